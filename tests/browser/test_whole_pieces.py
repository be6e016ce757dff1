"""A material counted in pieces takes whole numbers only: the receipt form (in English) and the artisan's request form
(in Hindi) say the refusal beside the quantity typed, and nothing is received or asked for."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import reload_until
from tests.browser.test_people_defects import api_call, in_english
from tests.browser.test_money import in_hindi

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PLANK = "WD-SHEESHAM-PLANK"


def test_half_a_plank_is_refused_beside_the_quantity_on_the_receipt_and_request_forms(people, dev):
    api_call(dev, "inventory", "/api/v1/materials", {"sku": PLANK, "name": "Sheesham plank", "name_hi": "शीशम तख़्ता",
                                                     "category": "wood", "unit": "piece", "reorder_level": "10"},
             user="admin")
    warehouse = in_english(people("warehouse").log_in())
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    form.get_by_label("Material").select_option(PLANK)
    quantity = form.get_by_label("Quantity received")
    quantity.fill("2.5")
    form.get_by_role("button", name="Record receipt").click()
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#receive-quantity-error")).to_have_text(
        "Quantity received: Sheesham plank is counted in whole pieces: 2.5 is not a whole number. Nothing was changed.")

    artisan = in_hindi(people("artisan"))  # logs in, then reads in Hindi
    page = artisan.page
    page.goto(artisan.url("requests", "/my/new"))
    row = page.locator(f'.material[data-sku="{PLANK}"]')
    reload_until(page, lambda: row.count() > 0, message=f"requests to learn {PLANK}")
    row.locator("input").fill("2.5")
    page.get_by_role("button", name="अनुरोध भेजें").click()
    expect(row.locator(".field-error")).to_contain_text(
        "शीशम तख़्ता पूरे नग में गिना जाता है: 2.5 पूर्ण संख्या नहीं है। कुछ नहीं बदला गया।")
    expect(page).to_have_url(artisan.url("requests", "/my/new"))
