"""A material added without a price: its request waits for one. The admin's approvals card says no price is set (in
English and Hindi), approving it is refused with what to do, and once the price is set it is approved at that price."""
from __future__ import annotations

import json
import urllib.error

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import menu
from tests.browser.test_people_defects import api_call, in_english
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)

SKU = "YRN-KHADI-10"


def _submitted(dev) -> str | None:
    """The artisan's request for 2 kg of the new yarn, once the requests service has heard of it."""
    try:
        return api_call(dev, "requests", "/api/v1/requisitions",
                        {"depot": "VNS", "lines": [{"sku": SKU, "quantity": "2"}]}, user="artisan")["id"]
    except urllib.error.HTTPError as error:
        assert json.loads(error.read())["error"]["code"] == "material_not_known"
        return None


def test_a_request_for_a_material_with_no_price_waits_for_its_price(people, dev):
    api_call(dev, "inventory", "/api/v1/materials", {"sku": SKU, "name": "Khadi yarn 10s", "name_hi": "खादी धागा 10s",
                                                     "category": "yarn", "unit": "kg", "reorder_level": "0"},
             user="admin")
    rid = wait_until(lambda: _submitted(dev), 30, message="the requests service to learn the new yarn")

    admin = in_english(people("admin").log_in())
    page = admin.page
    menu(page, "Approvals").click()
    card = page.locator(f'.card[data-requisition="{rid}"]')
    expect(card.locator("[data-unpriced]")).to_have_text(
        "No price is set yet for Khadi yarn 10s: set it on the “Prices” page before approving, or the request would "
        "be handed over for nothing.")
    card.get_by_role("button", name="Approve").click()
    expect(card.locator("[data-errors]")).to_contain_text(
        "No price is set yet for Khadi yarn 10s: approved now, it would be handed over for nothing.")
    page.reload()
    expect(card.locator("[data-done]")).to_have_text("Submitted")  # still waiting, nothing changed

    admin.language("hi")
    page.reload()
    expect(card.locator("[data-unpriced]")).to_contain_text("खादी धागा 10s का अभी कोई मूल्य तय नहीं है")
    card.get_by_role("button", name="स्वीकृत करें").click()
    expect(card.locator("[data-errors]")).to_contain_text("खादी धागा 10s का अभी कोई मूल्य तय नहीं है: अभी स्वीकृत")
    admin.shot("approvals-unpriced")

    # The price is set on the Prices page, in English; the page, made afresh, says it was saved.
    admin.language("en")
    page.goto(dev.url("inventory", "/admin/prices"))
    priced = page.locator(f'.card[data-sku="{SKU}"]')
    expect(priced.locator('[data-f="price"]')).to_have_text("no price set yet")
    other = page.locator('.card[data-sku="YRN-COT-40"]')  # a price typed on another card, not set yet
    other.get_by_label("New price per kg (₹)").fill("251.75")
    priced.get_by_label("New price per kg (₹)").fill("150")
    priced.get_by_role("button", name="Set price").click()
    expect(priced.locator('[data-f="price"]')).to_have_text("₹150.00 per kg")
    expect(priced.locator("[data-errors]")).to_have_text("Price saved.")
    expect(other.get_by_label("New price per kg (₹)")).to_have_value("251.75")  # the reload did not lose it
    expect(other.locator('[data-f="price"]')).to_have_text("₹245.50 per kg")  # nor set it
    admin.language("hi")
    page.goto(dev.url("requests", "/admin/approvals"))
    wait_until(lambda: page.reload() or not page.locator(f'.card[data-requisition="{rid}"] [data-unpriced]').count(),
               30, message="the requests service to learn the price")
    card.get_by_role("button", name="स्वीकृत करें").click()
    expect(card.locator("[data-done]")).to_have_text("स्वीकृत")
    page.goto(dev.url("requests", f"/my/requisitions/{rid}"))  # approved at the price now set: 2 kg at ₹150
    expect(page.locator("main")).to_contain_text("₹150.00")
    expect(page.locator("main")).not_to_contain_text("अभी मूल्य तय नहीं")  # the estimate's "no price set yet"
