"""The admins' alert board listed its alerts only from a <script> (alerts.js drew them): with JavaScript off it said
"2 in all" and "Turn on JavaScript to see alerts as they happen" above an empty list, its status "Connecting…" for
ever. The server writes the cards, in the page's language; the script takes them over (none twice) and adds the live
changes only."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, VIEWPORTS, User
from tests.browser.test_alert_news_narrowed import expiring_lot
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
LOT = "NOSCRIPT-1"
SAYS = {"en": {"live": "Live", "resolve": "Resolve", "title": f"Lot {LOT} of"},
        "hi": {"live": "लाइव", "resolve": "हल करें", "title": f"का लॉट {LOT}"}}


class WithoutScript(User):
    """A person whose browser runs no JavaScript."""

    def __init__(self, browser, dev, role: str):
        super().__init__(browser, dev, role)
        self.context.close()
        self.context = browser.new_context(viewport=VIEWPORTS[role], locale="en-IN", java_script_enabled=False)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()


def shown(page) -> tuple[list[str], list[str], int]:
    """The board's cards (their alert ids, their titles) and the number it says it has in all."""
    cards = page.locator("#alerts > .alert-card")
    ids = [cards.nth(i).get_attribute("data-alert") for i in range(cards.count())]
    titles = [cards.nth(i).locator('[data-f="title"]').inner_text() for i in range(cards.count())]
    return ids, titles, int(page.locator("[data-total]").get_attribute("data-total"))


@pytest.mark.parametrize("lang", SAYS)
def test_the_alert_board_lists_its_alerts_without_javascript_and_once_with_it(browser, dev, people, lang):
    says = SAYS[lang]
    admin, warehouse = people("admin").log_in(), people("warehouse").log_in()
    warehouse.page.goto(warehouse.url("inventory", "/warehouse/movements"))
    if lang == "en":
        expiring_lot(warehouse, "DYE-INDIGO", LOT)  # two alerts whose titles we know
        expiring_lot(warehouse, "YRN-COT-40", "NOSCRIPT-2")
    board = admin.url("notifier", "/admin/alerts")
    reader = WithoutScript(browser, dev, "admin")
    try:
        reader.log_in()
        reader.language(lang)
        page = reader.page
        wait_until(lambda: page.goto(board) and page.locator(".alert-card", has_text="NOSCRIPT-").count() == 2,
                   timeout=30,
                   message=lambda: page.locator("main").inner_text()[:1000])
        ids, titles, total = shown(page)
        data = json.loads(page.locator("#board-data").text_content())["alerts"]
        assert ids == [a["id"] for a in data] and titles == [a["title"][lang] for a in data], (ids, titles)
        assert len(ids) == total >= 2 and any(says["title"] in title for title in titles), titles
        expect(page.locator("#live")).to_be_hidden()  # no "Connecting…" that never connects
        expect(page.locator("#no-alerts")).to_be_hidden()
        expect(page.get_by_role("button", name=says["resolve"])).to_have_count(0)  # it needs the script

        admin.language(lang)
        admin.page.goto(board)
        expect(admin.page.locator("#live-text")).to_have_text(says["live"])
        expect(admin.page.get_by_role("button", name=says["resolve"]).first).to_be_visible()
        with_script = shown(admin.page)
        assert with_script[0] == ids and with_script[1] == titles and with_script[2] == total, with_script
    finally:
        reader.close()
