"""An alert's e-mail linked to the alert board, where an admin with a long board hunted for the alert. Its link now
leads to the alert's own page with its card marked (#alert-<id>); opened while logged out, it goes through the login
page and lands on the alert, as does a link to the board narrowed by a query with a card's part (the login keeps the
query and the part after '#')."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from services.notifier import links
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_alert_news_narrowed import expiring_lot
from tests.browser.test_staff_defects import api
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e
HEADINGS = {"en": "Supply alert", "hi": "आपूर्ति चेतावनी"}


def alert_of_lot(admin, lot: str) -> str:
    """The id of the open alert that names `lot` (inventory's event reaches the notifier in a moment)."""
    return wait_until(lambda: next((a["id"] for a in api(admin, "notifier", "GET", "/alerts?status=open&q=" + lot)),
                                   None), timeout=30, message=f"the alert of lot {lot}")


def logged_out_to(browser, url: str, lang: str):
    """A browser that was never logged in opens `url` (an e-mail's link), is sent to log in, and logs in as the admin;
    its page once back."""
    context = browser.new_context(locale=f"{lang}-IN", viewport={"width": 1280, "height": 600})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_url(lambda address: "/login" in address)
    page.locator("#username").fill("admin")
    page.locator("#password").fill("admin123")
    page.locator("#password").press("Enter")
    page.wait_for_url(lambda address: "/login" not in address)
    return page


def marked(page, alert_id: str) -> None:
    """The alert's card is the page's target: in view, and marked by the style sheet."""
    card = page.locator(f"#alert-{alert_id}")
    expect(card).to_be_in_viewport()
    assert card.evaluate("el => el.matches(':target') && getComputedStyle(el).outlineStyle === 'solid'")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_an_alerts_email_link_opened_logged_out_lands_on_the_alert_after_logging_in(browser, dev, people, lang):
    admin, warehouse = people("admin").log_in(), people("warehouse").log_in()
    warehouse.page.goto(warehouse.url("inventory", "/warehouse/movements"))
    admin.page.goto(admin.url("notifier", "/admin/alerts"))
    lots = [f"LINK-{lang}-{n}".upper() for n in range(12)]  # a long board: the alert asked for is far down
    for lot in lots:
        expiring_lot(warehouse, "DYE-INDIGO", lot)
    alert_id = alert_of_lot(admin, lots[0])
    link = links.one_alert(alert_id, SimpleNamespace(notifier_url=dev.url("notifier", "")))
    page = logged_out_to(browser, link, lang)
    try:
        assert page.url == link, page.url
        expect(page.locator("h1")).to_have_text(HEADINGS[lang])
        expect(page.locator(".alert-card")).to_have_count(1)
        expect(page.locator(f"#alert-{alert_id}")).to_contain_text(lots[0])
        marked(page, alert_id)
    finally:
        page.context.close()

    # the board narrowed by a query, to a card far down its page: the query and the part both survive the login
    board = dev.url("notifier", f"/admin/alerts?status=open&q=LINK-{lang}#alert-{alert_id}")
    page = logged_out_to(browser, board, lang)
    try:
        assert page.url == board, page.url
        expect(page.locator(".alert-card")).to_have_count(len(lots))
        marked(page, alert_id)
    finally:
        page.context.close()
