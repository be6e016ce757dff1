"""A tester's walk through procurement and the warehouse: what the pages said, and now say, in both languages."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
BRASS = "MTL-BRS-SHT"


def test_a_receipt_past_what_a_depot_can_hold_is_refused_under_its_quantity(people):
    """A receipt taking a stock past 10^12 kg was stored and made every later one a 500 ('Something went wrong');
    now the quantity says how much the depot can hold and what to do, in both languages."""
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    material = form.get_by_label("Material")
    sku = "YRN-COT-40"  # the demo's yarn (a dye's new lot would first ask for its expiry date)
    material.select_option(sku)
    quantity = form.get_by_label("Quantity received")
    quantity.fill("999999999999")  # the demo's stock is there already: this one would take it past the limit
    form.get_by_role("button", name="Record receipt").click()
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field-error")).to_contain_text("can hold at most 10,00,00,00,00,000")
    expect(form.locator(".field-error")).to_contain_text("Correction of an earlier entry")
    warehouse.language("hi")
    page.reload()
    form.get_by_label("सामान").select_option(sku)
    form.get_by_label("प्राप्त मात्रा").fill("999999999999")
    form.get_by_role("button", name="प्राप्ति दर्ज करें").click()
    expect(form.locator(".field-error")).to_contain_text("पिछली प्रविष्टि में सुधार")
    warehouse.language("en")


def test_what_to_order_with_every_box_unticked_says_to_tick_one(people):
    """It said "Order Natural indigo dye: Length must be between 1 and 200." under the first box."""
    admin = people("admin").log_in()
    page = admin.page
    page.goto(admin.url("inventory", "/admin/replenishment?depot=VNS"))
    form = page.locator("#order-suggestion")
    for box in form.locator('input[type="checkbox"]').all():
        box.uncheck()
    supplier = form.locator("#r-to")
    supplier.select_option(supplier.locator("option").nth(1).get_attribute("value"))
    form.get_by_role("button", name="Make a draft order").click()
    expect(form.locator("[data-errors]")).to_have_text(
        "Tick at least one material to order (the boxes in the first column).")
    expect(form.locator(".field-error")).to_have_count(0)
    assert "/admin/replenishment" in page.url


def test_days_of_stock_and_an_order_lines_quantity_say_the_servers_rules_before_sending(people):
    """0 and 99999 days reloaded the page with 60 in the field and the focus lost; a line of 0 kg went to the
    server. Both are now said beside the field before sending, and a refused figure stays typed."""
    admin = people("admin").log_in()
    page = admin.page
    page.goto(admin.url("inventory", "/admin/replenishment?depot=VNS"))
    days = page.locator("#r-days")
    for typed, said in (("0", "must be at least 1."), ("99999", "must be at most 365.")):
        days.fill(typed)
        page.locator("#cover").get_by_role("button", name="Show").click()
        expect(page.locator("#cover .field-error")).to_contain_text(said)
        expect(days).to_have_value(typed)
        expect(days).to_be_focused()
        assert "cover_days" not in page.url
    page.goto(admin.url("inventory", "/admin/replenishment?depot=VNS&cover_days=0"))  # sent all the same
    expect(page.locator("#r-days")).to_have_value("0")
    expect(page.locator("#r-days")).to_be_focused()
    expect(page.locator("#r-days-error")).to_contain_text("between 1 and 365")

    page.goto(admin.url("inventory", "/admin/purchase-orders?depot=VNS"))
    form = page.locator("#new-order")
    form.locator("#o-supplier").select_option(form.locator("#o-supplier option").nth(1).get_attribute("value"))
    form.locator("#o-expected").fill("2099-01-31")
    form.locator("#l0-sku").select_option(form.locator("#l0-sku option").nth(1).get_attribute("value"))
    form.locator("#l0-quantity").fill("0")
    form.locator("#l0-price").fill("10")
    form.get_by_role("button", name="Save as draft").click()
    expect(form.locator("#l0-quantity")).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field-error")).to_contain_text("must be more than 0.")
