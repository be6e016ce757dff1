"""A login that ends while a form is being filled: the form is not lost on the way through the login page."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from shared.auth import COOKIE
from tests.browser.test_people_defects import in_english

ENDED = {"en": "Your login had ended, so that was not done. What you typed is back in the page: check it and send it "
               "again.",
         "hi": "आपका लॉगिन समाप्त हो गया था, इसलिए वह काम नहीं हुआ। आपने जो लिखा था वह पेज में वापस है: उसे जाँचें "
               "और फिर से भेजें।"}
OPEN = "form => { const folded = form.closest('details'); if (folded) folded.open = true; }"


def end_login(user) -> None:
    """Log this browser's login out behind its back, as its hour running out would."""
    [token] = [c["value"] for c in user.context.cookies() if c["name"] == COOKIE]
    asked = urllib.request.Request(user.url("requests", "/api/v1/auth/logout"), data=b"", method="POST",
                                   headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(asked, timeout=10) as answer:
        assert answer.status in (200, 204)


def test_what_an_admin_typed_when_their_login_ended_is_back_after_logging_in_again(people, dev):
    """The admin typed an artisan's details, the login ended, Register took them to the login page; back on the page
    the form was empty and nothing said the artisan was not registered."""
    admin = in_english(people("admin").log_in())
    page = admin.page
    for lang, name, card in (("en", "Kamla Bai", "UDYAM-UP-70-0091"), ("hi", "Shanti Devi", "UDYAM-UP-70-0092")):
        admin.language(lang)
        page.goto(admin.url("requests", "/admin/artisans"))
        page.locator("#register-form").evaluate(OPEN)
        form = page.locator("#register-form")
        form.locator("#name").fill(name)
        form.locator("#registration_id").fill(card)
        form.locator("#district").fill("Mirzapur")
        form.locator("#craft").fill("Carpet weaving")
        end_login(admin)
        form.locator("button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" in url)
        page.locator("#username").fill("admin")
        page.locator("#password").fill("admin123")
        page.locator("#password").press("Enter")
        page.wait_for_url(admin.url("requests", "/admin/artisans"))
        expect(page.locator("#page-notice")).to_have_text(ENDED[lang])
        expect(form.locator("#name")).to_have_value(name)
        expect(form.locator("#district")).to_have_value("Mirzapur")
        expect(form.locator("#registration_id")).to_have_value(card)
        admin.shot("login-ended")
        with urllib.request.urlopen(urllib.request.Request(
                admin.url("requests", f"/api/v1/artisans?q={name.split()[0]}"),
                headers={"Authorization": f"Bearer {token_of(admin)}"}), timeout=10) as answer:
            assert json.loads(answer.read()) == []  # not registered: only said to be back, not sent


def token_of(user) -> str:
    return next(c["value"] for c in user.context.cookies() if c["name"] == COOKIE)


def test_a_read_that_finds_the_login_ended_puts_back_what_was_typed_and_says_nothing_was_undone(people, dev):
    """A page's own read (the depot's stock on the request form) that meets an ended login goes to the login page as
    a form does; back, what was typed is there, and no notice says an action was not done: none was asked for."""
    from tests.conftest import wait_until
    artisan = people("artisan").log_in()
    page = artisan.page
    artisan.language("en")
    page.goto(artisan.url("requests", "/my/new"))
    depot = page.locator("#depot")
    wait_until(lambda: depot.locator("option").count() > 1, message="the depots to load")
    page.locator("#note").fill("For the wedding order")
    token = token_of(artisan)
    end_login(artisan)

    def refused_by_inventory() -> bool:  # the other services hear of a logout within a few seconds
        asked = urllib.request.Request(artisan.url("inventory", "/api/v1/stock?limit=1"),
                                       headers={"Authorization": f"Bearer {token}"})
        try:
            urllib.request.urlopen(asked, timeout=10).close()
        except urllib.error.HTTPError as refused:
            return refused.code == 401
        return False
    wait_until(refused_by_inventory, timeout=30, message="inventory to refuse the ended login")
    values = depot.locator("option").evaluate_all("options => options.map(o => o.value).filter(Boolean)")
    depot.select_option(next(value for value in values if value != depot.input_value()))
    page.wait_for_url(lambda url: "/login" in url)
    page.locator("#username").fill("artisan")
    page.locator("#password").fill("artisan123")
    page.locator("#password").press("Enter")
    page.wait_for_url(artisan.url("requests", "/my/new"))
    expect(page.locator("#note")).to_have_value("For the wedding order")
    expect(page.locator("#page-notice")).to_have_text("")


def test_a_link_to_a_part_of_a_page_lands_there_after_logging_in(browser, dev):
    """An e-mail's link to a part of a request's page (`#dispute-share`) opened while logged out went through the
    login page to the top of the page: the login form posted to a fixed address, so the part after '#' (which the
    browser keeps across the redirect to the login page, and never sends) was dropped. The form now posts to the
    login page's own address, part and all, and the redirect after it keeps it."""
    for lang in ("en", "hi"):
        context = browser.new_context(locale=f"{lang}-IN")
        try:
            page = context.new_page()
            page.goto(dev.url("requests", "/admin/approvals?status=#filters"))
            page.wait_for_url(lambda url: "/login" in url)
            page.locator("#username").fill("admin")
            page.locator("#password").fill("admin123")
            page.locator("#password").press("Enter")
            page.wait_for_url(lambda url: "/admin/approvals" in url)
            assert page.url.endswith("/admin/approvals?status=#filters"), (lang, page.url)
        finally:
            context.close()
