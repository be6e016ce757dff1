"""A refusal is said once: what is wrong with a field under that field, and in the form's notice only a short line
that sends the eye there. It was said twice on every form (under the field and again, word for word, in the notice).
What no field shown is about (a hidden field, a rule of the whole form) is said in the notice itself.

First rawbank.js alone (no services), then real forms in both languages: the login, a receipt, a scheme, a new
request."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.script_alone import script_alone
from tests.browser.test_pages import menu, reload_until

pytestmark = pytest.mark.e2e
ONE = {"en": "Check the marked field: what is wrong is written under it.",
       "hi": "निशान लगे खाने को देखें: क्या ग़लत है, यह उसके नीचे लिखा है।"}
MANY = {"en": "Check the marked fields: what is wrong is written under each.",
        "hi": "निशान लगे खानों को देखें: क्या ग़लत है, यह हर एक के नीचे लिखा है।"}
TEXTS = {"busy": "Working…", "offline": "Could not reach rawbank.", "saved": "Saved.", "v_required": "fill this in.",
         "v_number": "write a number, such as 12.5.", "marked_one": ONE["en"], "marked_many": MANY["en"]}
HTML = f"""<!doctype html><html lang="en"><title>Receive</title>
<script id="rb-texts" type="application/json">{json.dumps(TEXTS)}</script>
<form id="receive" data-api="/api/v1/movements">
  <input type="hidden" name="depot" value="VNS">
  <label for="q">Quantity received</label><input name="quantity" id="q" inputmode="decimal" required>
  <label for="n">Note</label><input name="note" id="n">
  <p data-errors></p><button type="submit">Record receipt</button>
</form>
<script src="/rawbank.js"></script>"""


@pytest.fixture
def alone(browser):
    """A receipt form with only rawbank.js on it; `answers` says how the API answers each call in turn."""
    with script_alone(browser, HTML, lambda page, route: route.fulfill(
            status=page.answers[0][0], content_type="application/json", body=json.dumps(page.answers.pop(0)[1]))) \
            as page:
        yield page


def said(page) -> tuple[list[str], str]:
    """What is said under fields, and in the form's notice, once the form is no longer busy."""
    page.wait_for_function("() => !document.querySelector('button').disabled")
    return page.locator(".field-error").all_inner_texts(), page.inner_text("[data-errors]")


def test_rawbank_js_says_a_fields_refusal_under_it_and_only_where_to_look_in_the_notice(alone):
    alone.click("button")  # its own check: the quantity is required
    assert said(alone) == (["Quantity received: fill this in."], ONE["en"])

    alone.fill("#q", "12.5")
    alone.fill("#n", "x" * 10)
    alone.answers.append((400, {"error": {"code": "validation_error", "message": "Some fields are invalid.",
                                          "details": {"quantity": ["Not a valid number."], "note": ["Too long."],
                                                      "depot": ["No depot VNS."]}}}))
    alone.click("button")
    # two fields shown: said under each; the hidden depot is shown nowhere, so it is said in the notice
    assert said(alone) == (["Quantity received: Not a valid number.", "Note: Too long."],
                           MANY["en"] + " No depot VNS.")

    alone.answers.append((409, {"error": {"code": "conflict", "message": "Someone changed it first."}}))
    alone.click("button")  # tied to no field: said in the notice, as it was
    assert said(alone) == ([], "Someone changed it first.")


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_login_says_an_empty_field_once(people, lang):
    user = people("warehouse")
    user.language(lang)
    page = user.page
    page.goto(user.url("requests", "/login"))
    page.locator("form:not(.lang) button[type=submit]").click()
    expect(page.locator("#username")).to_be_focused()
    expect(page.locator(".field-error")).to_have_count(2)
    expect(page.locator("#username-error")).to_contain_text({"en": "fill this in.", "hi": "इसे भरें।"}[lang])
    expect(page.locator("#page-notice")).to_have_text(MANY[lang])


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_a_receipt_the_service_refuses_is_said_under_its_quantity_once(people, lang):
    warehouse = people("warehouse").log_in()
    warehouse.language(lang)
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    form.locator("select[name=sku]").select_option("YRN-COT-40")
    quantity = form.locator("input[name=quantity]")
    quantity.fill("1.00001")  # finer than the service keeps: refused by it, not by the page
    form.locator("button[type=submit]").last.click()
    expect(quantity).to_have_attribute("aria-invalid", "true")
    under = form.locator(".field-error")
    expect(under).to_have_count(1)
    expect(under).to_contain_text({"en": "three decimal places", "hi": "दशमलव"}[lang])
    expect(form.locator("[data-errors]")).to_have_text(ONE[lang])
    warehouse.shot(f"receipt-refused-{lang}")


def test_a_scheme_form_left_empty_is_said_under_its_fields_once(people):
    admin = people("admin").log_in()
    admin.language("hi")
    page = admin.page
    page.goto(admin.url("requests", "/admin/schemes"))
    form = page.locator("form.card", has=page.locator("#code"))
    form.locator("button[type=submit]").click()
    expect(page.locator("#code")).to_be_focused()
    expect(form.locator("#code-error")).to_contain_text("इसे भरें।")
    expect(page.locator("#page-notice")).to_have_text(MANY["hi"])
    assert "इसे भरें" not in page.locator("#page-notice").inner_text()


def test_a_new_request_over_the_quota_is_said_beside_its_material_once(people):
    artisan = people("artisan").log_in()
    artisan.language("hi")
    page = artisan.page
    page.goto(artisan.url("requests", "/my"))
    menu(page, "नया अनुरोध").click()
    reload_until(page, lambda: page.locator(".material").count() > 0, message="requests to learn the catalog")
    cotton = page.locator('.material[data-sku="YRN-COT-40"]')
    cotton.locator("input").fill("70")
    page.get_by_role("button", name="अनुरोध भेजें").click()
    expect(cotton.locator(".field-error")).to_contain_text("आपके मासिक धागा कोटे से अधिक")
    expect(page.locator("#new-request [data-errors]")).to_have_text(ONE["hi"])
    artisan.shot("new-request-over-quota-once")
