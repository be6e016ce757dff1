"""The admins' alert board said a new alert in its polite live region (#alert-news) only on the whole board (or one
depot's): narrowed by words (a material) or days, a new alert that the words find was neither shown nor said, so a
screen reader user watching "indigo" heard nothing. Now the stream says which new alerts the board's words and days
find: those are added and said, in the page's language, and the others are left out, unsaid."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shared.calendar import add_days, today
from tests.browser.test_staff_defects import api

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)


def expiring_lot(warehouse, sku: str, lot: str) -> None:
    """A lot that expires in 25 days received at Varanasi: inventory raises its alert."""
    api(warehouse, "inventory", "POST", "/movements", {"type": "receipt", "sku": sku, "depot": "VNS", "quantity": "2",
                                                       "lot": {"code": lot, "expires_on": add_days(today(), 25)}})


def test_a_board_narrowed_by_words_or_days_says_the_new_alerts_they_find_and_only_those(people):
    admin, warehouse = people("admin").log_in(), people("warehouse").log_in()
    warehouse.page.goto(warehouse.url("inventory", "/warehouse/movements"))
    board = admin.page
    board.goto(admin.url("notifier", "/admin/alerts?q=indigo"))
    expect(board.locator("#live-text")).to_have_text("Live")  # following the stream
    news = board.locator('[aria-live="polite"]#alert-news')
    expect(news).to_have_text("")

    expiring_lot(warehouse, "YRN-COT-40", "COT-QUIET")  # an alert the words do not find: not shown, not said
    whole = admin.context.new_page()  # the whole board shows it, so it has reached the stream
    whole.goto(admin.url("notifier", "/admin/alerts"))
    expect(whole.locator(".alert-card", has_text="COT-QUIET")).to_be_visible(timeout=30_000)
    whole.close()

    expiring_lot(warehouse, "DYE-INDIGO", "IND-SAID")  # one they find: shown and said, by its title only
    card = board.locator(".alert-card", has_text="IND-SAID")
    expect(card).to_be_visible(timeout=30_000)
    title = card.locator('[data-f="title"]').inner_text()
    assert "Natural indigo dye" in title
    expect(news).to_have_text(f"New alert: {title}")
    expect(board.locator(".alert-card", has_text="COT-QUIET")).to_have_count(0)
    admin.shot("alert-announced-narrowed")

    # narrowed by days in Hindi: today's new alerts are said in Hindi; a board of earlier days says nothing of them
    admin.language("hi")
    board.goto(admin.url("notifier", f"/admin/alerts?from={today()}&to={today()}"))
    earlier = admin.context.new_page()
    yesterday = add_days(today(), -1)
    earlier.goto(admin.url("notifier", f"/admin/alerts?from={yesterday}&to={yesterday}"))
    for page in (board, earlier):
        expect(page.locator("#live-text")).to_have_text("लाइव")
    expiring_lot(warehouse, "DYE-INDIGO", "IND-TODAY")
    card = board.locator(".alert-card", has_text="IND-TODAY")
    expect(card).to_be_visible(timeout=30_000)
    expect(board.locator("#alert-news")).to_have_text(f"नई चेतावनी: {card.locator('[data-f=title]').inner_text()}")
    expect(earlier.locator(".alert-card", has_text="IND-TODAY")).to_have_count(0)
    expect(earlier.locator("#alert-news")).to_have_text("")
    earlier.close()
