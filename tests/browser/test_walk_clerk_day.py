"""A district depot clerk's day, in Hindi on a 390 px phone: what they tripped over, each test seen failing before its
fix."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import reload_until
from tests.browser.test_staff_defects import ready_requisition

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 390, "height": 800}
SILK, COTTON, LOT = "YRN-SLK-MUL", "YRN-COT-40", "SRM-2411-07"  # the sent order is of silk; cotton from its lot

LINES_OF_TEXT = """(row, text) => {  // on how many lines the first `text` in `row` is laid out
  const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    return new Set(Array.from(range.getClientRects(), rect => Math.round(rect.top))).size;
  }
  return 0;
}"""


def on_phone_in_hindi(user):
    user.language("hi")
    user.page.set_viewport_size(PHONE)
    return user.page


def test_choosing_the_order_in_the_receipt_form_chooses_the_one_material_still_to_come_on_it(people):
    """The clerk opened "Receive" from the menu and chose the mill's order: the material stayed "सामान चुनें", and the
    receipt was refused "सामान: इसे भरें।" though the order has one material, which the clerk had to know."""
    warehouse = people("warehouse").log_in()
    page = on_phone_in_hindi(warehouse)
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    material = form.get_by_label("सामान", exact=True)
    expect(material).to_have_value("")
    order = form.locator('select[name="purchase_order"] option[value^="PO-"]').first.get_attribute("value")
    form.get_by_label("खरीद ऑर्डर (वैकल्पिक)").select_option(order)
    expect(material).to_have_value(SILK)
    form.get_by_label("प्राप्त मात्रा").fill("5")
    form.get_by_role("button", name="प्राप्ति दर्ज करें").click()
    expect(form.locator("[data-errors]")).to_contain_text(order)
    expect(material).not_to_have_attribute("aria-invalid", "true")


def test_the_hand_over_slip_on_a_phone_keeps_each_material_code_on_one_line(people):
    """On the slip at 390 px the code under the material broke in two ("YRN-" over "COT-40"), and so did the lot's
    ("SRM-2411-" over "07"): the clerk checking the bags' labels against the slip read two codes."""
    requisition = ready_requisition(people)
    warehouse = people("warehouse").log_in()
    page = on_phone_in_hindi(warehouse)
    page.goto(warehouse.url("inventory", "/warehouse/dispatch"))
    reload_until(page, lambda: page.locator(f'[data-requisition="{requisition}"]').count() > 0,
                 message="the request to be set aside")
    page.goto(warehouse.url("inventory", f"/warehouse/dispatch/{requisition}/slip"))
    line = page.locator(f'#slip-lines [data-line="{COTTON}"]')
    expect(line).to_contain_text(LOT)
    for code in (COTTON, LOT):
        assert line.evaluate(LINES_OF_TEXT, code) == 1, code
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_request_page_names_the_artisan_to_the_depot_clerk_who_takes_a_return(people):
    """A return is recorded on the request's page, found by the slip's number; the page, headed by a date, named no
    one: the clerk at the counter could not check that the person bringing the yarn back is the artisan it went to."""
    requisition = ready_requisition(people)
    warehouse = people("warehouse").log_in()
    page = on_phone_in_hindi(warehouse)
    page.goto(warehouse.url("requests", f"/my/requisitions/{requisition}"))
    expect(page.locator("[data-item] [data-f='artisan']")).to_have_text("कारीगर: रमेश कुमार (ART-0001)")
    warehouse.language("en")
    page.reload()
    expect(page.locator("[data-item] [data-f='artisan']")).to_have_text("Artisan: Ramesh Kumar (ART-0001)")


def test_the_header_names_the_clerk_in_hindi_on_a_phone_on_every_service(people):
    """The header said the login, "warehouse · गोदाम कर्मचारी": the clerk reads their own name there (the demo's
    Meena Devi, मीना देवी on Hindi pages), whole, with their role, and the page does not scroll sideways for it."""
    warehouse = people("warehouse").log_in()
    page = on_phone_in_hindi(warehouse)
    for service, path in (("inventory", "/warehouse/stock"), ("requests", "/password"), ("notifier", "/admin/alerts")):
        page.goto(warehouse.url(service, path))
        who = page.locator("header .who")
        expect(who).to_have_text("मीना देवी · गोदाम कर्मचारी")
        assert who.evaluate("e => e.scrollWidth <= e.clientWidth"), f"the name is cut short on {service}"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], service
