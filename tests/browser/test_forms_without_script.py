"""A form the page's script sends to the API had no method: with the script not loaded (a slow connection, Enter
pressed before it came) or failed, the browser sent it as a GET to the page, and the password an admin typed for a
new login stood in the address bar, the history and every server's and proxy's log. Now such a form goes as a POST
to /needs-script, which keeps nothing and answers (through a redirect: nothing typed in its address) with a page
that says in the person's language that nothing was saved and to open the page again, with the link to it."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import User
from tests.browser.test_alert_board_without_script import WithoutScript

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
SAYS = {"en": {"title": "Nothing was saved", "what": "wait until it has loaded fully", "again": "Open the page again"},
        "hi": {"title": "कुछ भी सहेजा नहीं गया", "what": "पूरा लोड होने तक रुकें", "again": "पेज फिर से खोलें"}}


def told_and_sent_back(page, says: dict, asked: list[str], typed: list[str], back: str) -> None:
    """The page says nothing was saved and what to do; no address asked for held what was typed; its link opens
    the page the form was on."""
    expect(page.get_by_role("heading", level=1)).to_have_text(says["title"])
    expect(page.locator("main")).to_contain_text(says["what"])
    assert any("/needs-script" in url for url in asked), asked
    assert not [url for url in asked for secret in typed if secret in url], asked
    page.get_by_role("link", name=says["again"]).click()
    page.wait_for_url(lambda url: url.endswith(back))


@pytest.mark.parametrize("lang", SAYS)
def test_a_password_typed_in_a_form_sent_without_javascript_goes_into_no_address(browser, dev, lang):
    says, name, secret = SAYS[lang], f"clerk-{uuid.uuid4().hex[:6]}", f"pass-{uuid.uuid4().hex}"
    reader = WithoutScript(browser, dev, "admin")
    try:
        page = reader.log_in().page
        reader.language(lang)
        asked: list[str] = []
        page.on("request", lambda sent: asked.append(sent.url))
        page.goto(reader.url("requests", "/admin/users?q=clerk"))
        page.locator("#add-login summary").click()
        form = page.locator("#add-user-form")
        form.locator("#username").fill(name)
        form.locator("#password").fill(secret)
        form.locator("#depot").select_option("VNS")
        form.locator("#password").press("Enter")  # Enter in the password: the browser sends the form itself
        told_and_sent_back(page, says, asked, [name, secret], "/admin/users?q=clerk")

        page.goto(reader.url("requests", "/admin/users?q=warehouse"))
        asked.clear()  # a new password for the warehouse login, its button pressed
        row = page.locator('tr[data-user="warehouse"]')
        row.locator("details[data-item] summary").first.click()
        row.locator('input[name="password"]').fill(secret)
        row.locator('input[name="password"]').locator("xpath=ancestor::form").locator("button[type=submit]").click()
        told_and_sent_back(page, says, asked, [secret], "/admin/users?q=warehouse")
        assert all(secret not in entry for entry in page.evaluate("() => [location.href, document.referrer]"))

        page.goto(reader.url("requests", f"/admin/users?q={name}"))  # nothing was saved
        expect(page.locator(f'tr[data-user="{name}"]')).to_have_count(0)
        assert reader.errors == []
    finally:
        reader.close()
    clerk = User(browser, dev, "warehouse")  # the warehouse login's password is as it was
    try:
        clerk.log_in()
    finally:
        clerk.close()
