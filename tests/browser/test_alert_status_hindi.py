"""A live alert card, written by the board's script (alerts.js) from the page's data, says an alert's status in
Hindi in the gender of an alert (चेतावनी): खुली when it arrives, हल हो गई once resolved, as the server's cards do;
a depot's opening hours still say खुला."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_alert_news_narrowed import expiring_lot

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)


def test_a_live_alert_card_in_hindi_reads_khuli_then_hal_ho_gai(people):
    admin, warehouse = people("admin").log_in(), people("warehouse").log_in()
    warehouse.page.goto(warehouse.url("inventory", "/warehouse/movements"))
    admin.language("hi")
    board = admin.page
    board.goto(admin.url("notifier", "/admin/alerts"))
    expect(board.locator("#live-text")).to_have_text("लाइव")  # following the stream

    expiring_lot(warehouse, "DYE-INDIGO", "IND-KHULI")  # a new alert: its card comes by the stream, made by the script
    card = board.locator(".alert-card", has_text="IND-KHULI")
    expect(card).to_be_visible(timeout=30_000)
    expect(card.locator('[data-f="status"]')).to_have_text("खुली")
    alert_id = card.get_attribute("data-alert")

    one = admin.context.new_page()  # the alert's own page keeps its card, resolved, and follows the stream too
    one.goto(admin.url("notifier", f"/admin/alerts/{alert_id}"))
    expect(one.locator("#live-text")).to_have_text("लाइव")
    one.locator('[data-f="form"] input[name="note"]').fill("ऑर्डर भेजा")  # resolved here, as an admin does
    one.locator('[data-f="resolve"]').click()
    expect(one.locator(f'#alert-{alert_id} [data-f="status"]')).to_have_text("हल हो गई")
    admin.shot("alert-resolved-khuli")

    one.goto(admin.url("inventory", "/availability"))
    expect(one.locator('[data-depot="VNS"] [data-f="hours"]')).to_contain_text("खुला: ")
    one.close()
