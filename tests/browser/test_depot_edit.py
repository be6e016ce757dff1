"""An admin of a district office, on a phone, changes a depot's district in Hindi and its opening hours on the depot's
page (reached from Edit in the catalog), in Hindi and in English; the public availability page then shows them.
Until then a depot was changed only through the API. A refusal of the API (closing before opening) is said under
the field it is about, in the page's language; the save says what it changed."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import User
from tests.browser.test_pages import DEVANAGARI
from tests.devserver import running_dev

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 360, "height": 740}
#: per language: the depot changed, its new name in the page's language (the field, the name), its new Hindi district,
#: the days ticked off, the hours typed (Devanagari digits too: people type them), the hours as the availability page
#: then says them, and the texts of the page (the save names the depot as saved, not the name the page came with)
CASES = {
    "hi": {"depot": "BHD", "rename": ("#name-hi", "भदोही कालीन डिपो"),
           "district_hi": "संत रविदास नगर", "untick": ("sat",), "opens": "09:00", "closes": "१६:००",
           "shown": "09:00–16:00", "edit": "बदलें", "save": "बदलाव सहेजें",
           "saved": ("भदोही कालीन डिपो के लिए सहेजा गया", "हिन्दी में नाम", "हिन्दी में ज़िला", "खुलने का समय"),
           "kept": "अंग्रेज़ी में नाम"},
    "en": {"depot": "VNS", "rename": ("#name", "Varanasi city depot"),
           "district_hi": "काशी", "untick": ("fri", "sat"), "opens": "08:00", "closes": "14:00",
           "shown": "08:00–14:00", "edit": "Edit", "save": "Save changes",
           "saved": ("Saved for Varanasi city depot", "Name in English", "District in Hindi", "Opening hours"),
           "kept": "Name in Hindi"},
}


@pytest.fixture(scope="module")
def dev():
    """`rawbank dev` whose public availability page is made afresh for each visit (by default it may be 30 s old)."""
    with running_dev(settings={"RAWBANK_PUBLIC_CACHE_SECONDS": "0"}) as started:
        yield started


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_an_admin_on_a_phone_changes_a_depots_hindi_district_and_hours(browser, dev, lang):
    case = CASES[lang]
    admin = User(browser, dev, "admin")
    try:
        admin.page.set_viewport_size(PHONE)
        admin.log_in()
        admin.language(lang)
        page = admin.page
        page.goto(admin.url("inventory", "/admin/catalog"))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.locator(f'tr[data-depot="{case["depot"]}"] a', has_text=case["edit"]).click()
        expect(page).to_have_url(admin.url("inventory", f"/admin/depots/{case['depot']}"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing off the screen
        form = page.locator("#depot-form")
        district_hi = form.locator("#district-hi")
        expect(district_hi).to_have_value({"BHD": "भदोही", "VNS": "वाराणसी"}[case["depot"]])  # as it is
        expect(form.locator("#opens")).to_have_value({"BHD": "09:30", "VNS": "10:00"}[case["depot"]])
        expect(form.locator("#day-sat")).to_be_checked()
        expect(form.locator("#day-sun")).not_to_be_checked()

        form.locator(case["rename"][0]).fill(case["rename"][1])
        district_hi.fill(case["district_hi"])
        for day in case["untick"]:
            form.locator(f"#day-{day}").uncheck()
        form.locator("#opens").fill(case["opens"])
        form.locator("#closes").fill("07:00")  # before it opens: the API refuses it, under the closing time
        form.get_by_role("button", name=case["save"]).click()
        closes = form.locator("#closes")
        expect(closes).to_have_attribute("aria-invalid", "true")
        error = form.locator("#closes-error")
        expect(error).to_be_visible()
        assert bool(DEVANAGARI.search(error.inner_text())) == (lang == "hi"), error.inner_text()
        admin.shot("depot-refused")

        closes.fill(case["closes"])
        form.get_by_role("button", name=case["save"]).click()
        notice = page.locator("#depot-form [data-errors]")
        for text in case["saved"]:
            expect(notice).to_contain_text(text)
        expect(notice).not_to_contain_text(case["kept"])  # not changed
        expect(form.locator("#district-hi")).to_have_value(case["district_hi"])  # the page made afresh has them
        expect(form.locator("#closes")).to_have_value(case["shown"][-5:])
        for day in case["untick"]:
            expect(form.locator(f"#day-{day}")).not_to_be_checked()
        admin.shot("depot-saved")

        admin.language("hi")  # the Hindi district is what Hindi pages say
        page.goto(admin.url("inventory", "/availability"))
        card = page.locator(f'section[data-depot="{case["depot"]}"]')
        expect(card.locator("h2 span")).to_have_text(case["district_hi"])
        expect(card.locator('[data-f="hours"]')).to_contain_text(case["shown"])
        admin.language("en")  # in English the hours, the district as registered
        page.reload()
        expect(card.locator('[data-f="hours"]')).to_contain_text(case["shown"])
        expect(card.locator('[data-f="hours"]')).to_contain_text(re.compile(r"Mon–(Thu|Fri)"))
        expect(card.locator("h2 span")).to_have_text({"BHD": "Bhadohi", "VNS": "Varanasi"}[case["depot"]])
        admin.shot("depot-availability")
        assert admin.errors == []
    finally:
        admin.context.close()


def test_warehouse_staff_have_no_depot_page(browser, dev):
    clerk = User(browser, dev, "warehouse")
    try:
        clerk.page.set_viewport_size(PHONE)
        clerk.log_in()
        response = clerk.page.goto(clerk.url("inventory", "/admin/depots/VNS"))
        assert response.status == 403
        expect(clerk.page.locator("#depot-form")).to_have_count(0)
    finally:
        clerk.context.close()
