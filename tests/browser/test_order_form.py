"""The new purchase-order form says which line is wrong: the line the person filled in, never another one, and a
material put on two lines is named before anything is sent (the page's words, in Hindi too)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_people_defects import api_call, in_english

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
YARN = "YRN-COT-40"
BLOCK = "WD-TEAK-BLOCK"  # counted in pieces


def order_form(admin):
    page = admin.page
    page.goto(admin.url("inventory", "/admin/purchase-orders?depot=VNS"))
    form = page.locator("#new-order")
    form.locator("#o-supplier").select_option("SRM")
    form.locator("#o-expected").fill("2099-01-31")
    return form


def test_a_refused_quantity_is_marked_on_the_line_it_was_typed_on(people):
    admin = people("admin").log_in()
    form = order_form(admin)
    form.locator("#l1-sku").select_option(YARN)  # the second line; the first is left empty
    form.locator("#l1-quantity").fill("1.00001")  # finer than the API keeps
    form.locator("#l1-price").fill("245.50")
    form.get_by_role("button", name="Save as draft").click()
    expect(form.locator(".field-error")).to_contain_text("Quantity 2: at most three decimal places")
    expect(form.locator("[data-errors]")).to_have_text("Check the marked field: what is wrong is written under it.")
    expect(form.locator("#l1-quantity")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#l0-quantity")).not_to_have_attribute("aria-invalid", "true")


def test_a_material_on_two_lines_is_named_in_the_pages_language(people):
    admin = people("admin").log_in()
    admin.language("hi")
    form = order_form(admin)
    for row, quantity in ((0, "10"), (2, "5")):
        form.locator(f"#l{row}-sku").select_option(YARN)
        form.locator(f"#l{row}-quantity").fill(quantity)
        form.locator(f"#l{row}-price").fill("245.50")
    form.get_by_role("button", name="मसौदे के रूप में सहेजें").click()
    expect(form.locator(".field-error")).to_have_text(
        "सामान 3: यह सामान पहले की एक पंक्ति में पहले से है: उसकी पूरी मात्रा एक ही पंक्ति में लिखें।")
    expect(form.locator("[data-errors]")).to_have_text("निशान लगे खाने को देखें: क्या ग़लत है, यह उसके नीचे लिखा है।")
    expect(form.locator("#l2-sku")).to_have_attribute("aria-invalid", "true")
    assert "/admin/purchase-orders?" in admin.page.url  # nothing was raised


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_part_of_a_piece_is_said_under_the_line_it_was_typed_on(people, dev, lang):
    """422 whole_units_only names the line's quantity (details.field lines.0.quantity, the first line sent): it is said
    under the quantity of the row filled in (the second here), as a field's error is, not only in the form's notice;
    corrected, the order goes."""
    if lang == "en":
        api_call(dev, "inventory", "/api/v1/materials", {"sku": BLOCK, "name": "Teak block", "name_hi": "सागौन गुटका",
                                                         "category": "wood", "unit": "piece", "reorder_level": "10"},
                 user="admin")
    admin = people("admin").log_in()
    if lang == "hi":
        admin.language("hi")
    else:
        in_english(admin)
    form = order_form(admin)
    form.locator("#l1-sku").select_option(BLOCK)  # the second line; the first is left empty
    quantity = form.locator("#l1-quantity")
    quantity.fill("2.5")
    form.locator("#l1-price").fill("90")
    form.locator('button[type="submit"]').click()
    said = {"en": "Quantity 2: Teak block is counted in whole pieces: 2.5 is not a whole number. Nothing was changed.",
            "hi": "मात्रा 2: सागौन गुटका पूरे नग में गिना जाता है: 2.5 पूर्ण संख्या नहीं है। कुछ नहीं बदला गया।"}[lang]
    expect(form.locator("#l1-quantity-error")).to_have_text(said)
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(quantity).to_have_attribute("aria-describedby", "l1-quantity-error")
    expect(form.locator("#l0-quantity")).not_to_have_attribute("aria-invalid", "true")
    assert "/admin/purchase-orders?" in admin.page.url  # nothing was raised
    quantity.fill("3")
    form.locator('button[type="submit"]').click()
    admin.page.wait_for_url(lambda url: "/admin/purchase-orders/PO" in url)
