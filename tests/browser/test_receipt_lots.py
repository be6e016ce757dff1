"""The receipt form asks a dye's expiry date for a new lot only: more of a lot the depot already has keeps that lot's
date (the service takes it without one), so the page lets it go without, and says why beside the date."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shared.calendar import add_days, today
from tests.browser.test_people_defects import in_english

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
DYE, YARN, LOT = "DYE-INDIGO", "YRN-COT-40", "UPNDC-IND-24"  # the demo's dye lot at Varanasi


def test_more_of_a_dye_lot_already_here_is_received_without_an_expiry_date(people):
    warehouse = in_english(people("warehouse").log_in())
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    expires = form.get_by_label("Expires on (dyes, chemicals)")
    lot = form.get_by_label("Lot code (empty: rawbank gives one)")
    form.get_by_label("Material").select_option(DYE)
    expect(expires).to_have_attribute("required", "")  # no code: a lot of the day, new
    lot.fill(LOT)
    expect(expires).not_to_have_attribute("required", "")  # the depot's lot: its date stays
    form.get_by_label("Quantity received").fill("1")
    form.get_by_role("button", name="Record receipt").click()
    expect(form.locator("[data-errors]")).to_contain_text("Saved: 1 kg of Natural indigo dye received.")
    expect(expires).not_to_have_attribute("aria-invalid", "true")
    expect(expires).to_have_accessible_description(
        "Needed for a new lot of a dye or chemical; more of a lot already here keeps that lot's date.")

    # a code the depot has for another material (the yarn's), or none of its lots: a new lot, whose date is asked
    form.get_by_label("Material").select_option(DYE)
    lot.fill("SRM-2411-07")
    expect(expires).to_have_attribute("required", "")
    lot.fill("IND-FRESH-1")
    expect(expires).to_have_attribute("required", "")
    form.get_by_label("Material").select_option(YARN)
    expect(expires).not_to_have_attribute("required", "")
    form.get_by_label("Material").select_option(DYE)
    form.get_by_label("Quantity received").fill("2")
    expires.fill(add_days(today(), 300))
    form.get_by_role("button", name="Record receipt").click()
    expect(form.locator("[data-errors]")).to_contain_text("Saved: 2 kg of Natural indigo dye received.")
    # the lot just received is the depot's now: more of it goes without a date, as the service takes it
    form.get_by_label("Material").select_option(DYE)
    lot.fill("IND-FRESH-1")
    expect(expires).not_to_have_attribute("required", "")
    form.get_by_label("Quantity received").fill("1")
    form.get_by_role("button", name="Record receipt").click()
    expect(form.locator("[data-errors]")).to_contain_text("Saved: 1 kg of Natural indigo dye received.")


def test_the_expiry_dates_hint_is_in_hindi(people):
    warehouse = people("warehouse").log_in()
    warehouse.language("hi")
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    expires = page.locator("#receive").get_by_label("समाप्ति तिथि (रंग, रसायन)")
    expect(expires).to_have_accessible_description(
        "रंग या रसायन के नए लॉट के लिए ज़रूरी; यहाँ पहले से रखे लॉट में और माल आए, तो उस लॉट की "
        "तिथि बनी रहती है।")


SILK = "YRN-SLK-MUL"  # the demo's order: 20 kg of it from the Karnataka Silk Marketing Board to Varanasi, sent


def test_a_receipt_against_an_order_says_what_is_still_to_come_and_the_stock_card_names_and_links_it(people):
    """The receipt's message said what is now at the depot, not what is still to come on the order; the stock card
    said "Supplier: KSMB" and the order as plain text, which now leads to the order's page (it prints)."""
    warehouse = in_english(people("warehouse").log_in())
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    order = form.locator('select[name="purchase_order"] option[value^="PO-"]').first.get_attribute("value")
    form.get_by_label("Material").select_option(SILK)
    form.get_by_label("Purchase order (optional)").select_option(order)
    form.get_by_label("Quantity received").fill("12")
    form.get_by_role("button", name="Record receipt").click()
    expect(form.locator("[data-errors]")).to_contain_text(f"8 kg still to come on {order}.")
    form.get_by_label("Material").select_option(SILK)
    form.get_by_label("Purchase order (optional)").select_option(order)
    form.get_by_label("Quantity received").fill("8")
    form.get_by_role("button", name="Record receipt").click()
    expect(form.locator("[data-errors]")).to_contain_text(f"Order {order} is complete: nothing more is to come on it.")

    page.goto(warehouse.url("inventory", f"/warehouse/stock/{SILK}"))
    lot = page.locator("#lots tbody tr", has=page.get_by_role("link", name=order))  # both receipts, one lot: traced
    expect(lot.locator('[data-source="supplier"]')).to_have_text("Supplier: Karnataka Silk Marketing Board")
    expect(lot.locator('[data-source="received"]')).to_contain_text("2 receipts, the last")
    details = page.locator('[data-detail="supplier"]').first
    expect(details).to_have_text("Supplier: Karnataka Silk Marketing Board")
    page.locator('[data-detail="purchase_order"]').first.get_by_role("link", name=order).click()
    expect(page.get_by_role("heading", name=f"Purchase order {order}")).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Received")
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # a clerk prints it for the supplier

