"""A supplier registered on the Suppliers page had no way to get a price or a pack size there (only the API's
`items` had them), so "What to order" could never draft an order to it. An admin registers one on the page, adds a
price for a material on its own page, changes and removes prices, and drafts the order from What to order; in
Hindi on a 360 px phone the same page reads in Hindi, fits the screen and says a refusal beside its field."""
from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import menu
from tests.browser.test_people_defects import api_call, in_english

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
BRASS, DYE = "MTL-BRASS-SHEET", "DYE-INDIGO"  # brass: no supplier prices it, and Varanasi has none of it


def priced(dev, supplier: str) -> list[str]:
    """The materials a supplier has a price for, as the API says."""
    token = api_call(dev, "requests", "/api/v1/auth/login", {"username": "admin", "password": "admin123"})
    request = urllib.request.Request(dev.url("inventory", f"/api/v1/suppliers/{supplier}"),
                                     headers={"Authorization": f"Bearer {token['access_token']}"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return [item["sku"] for item in json.loads(response.read())["items"]]


def test_a_supplier_added_on_the_page_gets_a_price_there_and_is_ordered_from_what_to_order(people, dev):
    admin = in_english(people("admin").log_in())
    page = admin.page
    menu(page, "Suppliers").click()
    form = page.locator("#add-supplier")
    form.get_by_label("Code").fill("NAYA")
    form.get_by_label("Name", exact=True).fill("Naya Metal Works")
    form.get_by_label("District", exact=True).fill("Moradabad")
    form.get_by_role("button", name="Add supplier").click()
    page.wait_for_url(re.compile(r"/admin/suppliers/NAYA$"))  # straight to where its prices are added
    expect(page.get_by_role("heading", level=1)).to_contain_text("Naya Metal Works")
    expect(page.locator("main")).to_contain_text("This supplier has no prices yet. Add a material below.")

    # a price added meanwhile (another admin, a script) is not added twice: said beside the material
    add = page.locator("#add-item")
    add.get_by_label("Material").select_option(DYE)
    add.get_by_label("Price per unit (₹)").fill("0")  # a slip the page says before sending
    add.get_by_role("button", name="Add price").click()
    expect(add.locator(".field-error")).to_have_text("Price per unit: must be more than 0.")
    api_call(dev, "inventory", "/api/v1/suppliers/NAYA/items", {"sku": DYE, "price": "1500"}, user="admin")
    add.get_by_label("Price per unit (₹)").fill("1,750.50")
    add.get_by_role("button", name="Add price").click()
    expect(add.locator("#i-sku-error")).to_have_text(
        "Material: Naya Metal Works already has a price for Natural indigo dye; change it in its row instead. "
        "Nothing was changed.")

    page.reload()
    dye = page.locator(f'.card[data-sku="{DYE}"]')
    expect(dye.locator('[data-f="price"]')).to_have_text("₹1,500.00 per kg")  # the one added first, untouched
    add.get_by_label("Material").select_option(BRASS)
    add.get_by_label("Price per unit (₹)").fill("640")
    add.get_by_label("Pack size (optional)").fill("10")
    add.get_by_role("button", name="Add price").click()
    brass = page.locator(f'.card[data-sku="{BRASS}"]')
    expect(brass.locator('[data-f="price"]')).to_have_text("₹640.00 per kg")
    expect(brass.locator('[data-f="pack"]')).to_have_text("packs of 10 kg")
    brass.get_by_label("Price per kg (₹)").fill("655.25")
    brass.get_by_role("button", name="Save").click()
    expect(brass.locator('[data-f="price"]')).to_have_text("₹655.25 per kg")
    expect(brass.locator('[data-f="pack"]')).to_have_text("packs of 10 kg")
    # removing a price asked nothing (one slip and What to order could no longer order it from here): now it asks in
    # the page, "No" puts the keyboard back, "Yes" removes it and the page says what was removed
    remove = dye.locator("summary", has_text="Remove")
    expect(remove).to_have_accessible_name("Remove Natural indigo dye")
    remove.focus()
    page.keyboard.press("Enter")
    expect(dye.get_by_text("Remove the price of Natural indigo dye from Naya Metal Works?")).to_be_visible()
    expect(dye.get_by_role("button", name="Yes, remove the price")).to_be_focused()
    assert DYE in priced(dev, "NAYA")  # nothing removed by the one key press
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "No, keep it"
    expect(remove).to_be_focused()
    assert DYE in priced(dev, "NAYA")
    remove.click()
    dye.get_by_role("button", name="Yes, remove the price").click()
    expect(page.locator("#page-notice")).to_have_text(
        "The price of Natural indigo dye is removed from Naya Metal Works.")
    expect(dye).to_have_count(0)
    assert DYE not in priced(dev, "NAYA")
    expect(page.locator("#add-item").get_by_label("Material").locator(f'option[value="{DYE}"]')).to_have_count(1)
    admin.shot("supplier-prices")

    # What to order drafts brass from it, in its packs and at its price
    page.goto(admin.url("inventory", "/admin/replenishment?depot=VNS"))
    for ticked in page.locator('#suggestions input[name="skus[]"]:checked').all():
        if ticked.get_attribute("value") != BRASS:
            ticked.uncheck()
    page.locator(f'#suggestions input[value="{BRASS}"]').check()
    draft = page.locator("#order-suggestion")
    draft.get_by_label("Supplier", exact=True).select_option("NAYA")
    draft.get_by_role("button", name="Make a draft order").click()
    page.wait_for_url(re.compile(r"/admin/purchase-orders/PO-[0-9-]+$"))
    line = page.locator(f'#order-lines tr[data-sku="{BRASS}"]')
    expect(line).to_contain_text("₹655.25")
    expect(page.locator("#order-status")).to_have_text("Draft")


def test_the_suppliers_own_page_in_hindi_on_a_phone(people, dev):
    api_call(dev, "inventory", "/api/v1/suppliers", {"code": "PHONE", "name": "Phone Mills", "district": "Salem",
                                                     "items": [{"sku": BRASS, "price": "600", "pack_size": "5"}]},
             user="admin")
    admin = people("admin").log_in()
    admin.language("hi")
    page = admin.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(admin.url("inventory", "/admin/suppliers"))
    page.locator('tr[data-supplier="PHONE"]').get_by_role("link", name="दाम और पैक आकार: 1").click()
    page.wait_for_url(re.compile(r"/admin/suppliers/PHONE$"))
    brass = page.locator(f'.card[data-sku="{BRASS}"]')
    expect(brass.locator('[data-f="price"]')).to_contain_text("₹600.00")
    expect(brass.locator('[data-f="pack"]')).to_have_text("5 किलो के पैक")
    api_call(dev, "inventory", "/api/v1/suppliers/PHONE/items", {"sku": DYE, "price": "1500"}, user="admin")
    add = page.locator("#add-item")
    add.get_by_label("सामान", exact=True).select_option(DYE)  # still offered: the page was made before
    add.get_by_label("प्रति इकाई दाम (₹)").fill("1600")
    add.get_by_role("button", name="दाम जोड़ें").click()
    expect(add.locator("#i-sku-error")).to_contain_text("Phone Mills के पास प्राकृतिक नील रंग का दाम पहले से है")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px screen"
    admin.shot("supplier-prices-phone")
    page.reload()
    brass.locator("summary", has_text="हटाएँ").click()
    expect(brass.get_by_text("Phone Mills से पीतल की चादर 22 गेज का दाम हटाएँ?")).to_be_visible()
    brass.get_by_role("button", name="हाँ, दाम हटाएँ").click()
    expect(page.locator("#page-notice")).to_have_text("Phone Mills से पीतल की चादर 22 गेज का दाम हटा दिया गया।")
    assert BRASS not in priced(dev, "PHONE")
