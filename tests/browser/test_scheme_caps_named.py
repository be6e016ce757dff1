"""The department's admin sets a scheme's monthly entitlement in Hindi on a 375 px phone, choosing what it covers by
name, as the quota page does, instead of typing an English code nobody at the department knows."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_money import in_hindi
from tests.browser.test_pages import menu

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)


def test_an_admin_chooses_a_schemes_entitlement_by_its_name_in_hindi(people):
    """Each cap's 'Category or class' was a text box holding 'cotton-hank-upto-40s': a clerk had to know the codes,
    and one typed wrong ('dyes', 'cotton-hank-upto-40') was saved and covered nothing, no subsidy and nothing said."""
    admin = in_hindi(people("admin"))
    page = admin.page
    page.set_viewport_size({"width": 375, "height": 800})
    menu(page, "योजनाएँ").click()
    expect(page.locator('tr[data-scheme="RMSS"]')).to_contain_text("40s तक का सूती हैंक धागा: 30 किलो")
    page.locator('tr[data-scheme="RMSS"] a').click()
    first = page.get_by_label("श्रेणी या वर्ग").first
    expect(first).to_have_value("cotton-hank-upto-40s")
    expect(first.locator("option:checked")).to_have_text("40s तक का सूती हैंक धागा")
    page.locator("#cap-4-category").select_option(label="रंग")
    page.locator("#cap-4-per_loom_per_month").fill("2.5")
    page.get_by_role("button", name="योजना सहेजें").click()
    expect(page.locator('tr[data-scheme="RMSS"]')).to_contain_text("रंग: 2.5 किलो")
    admin.shot("scheme-caps-named")


def test_a_scheme_whose_districts_cover_no_registered_artisan_says_so_where_it_is_saved(people):
    """'Varansi' typed for Varanasi was saved without a word, and from then on no artisan of Varanasi had an
    entitlement: the list of schemes now says that the scheme reaches nobody and what to check. The form has no
    place to type it any more (districts are ticked); a client of the API still may, and the form keeps it ticked
    until it is unticked."""
    admin = people("admin").log_in()
    page = admin.page
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    typed = page.context.request.patch(admin.url("requests", "/api/v1/schemes/RMSS"),
                                       data={"covers": {"crafts": [], "districts": ["Varansi"]}},
                                       headers={"X-CSRF-Token": token})
    assert typed.ok, typed.text()
    menu(page, "Schemes").click()
    row = page.locator('tr[data-scheme="RMSS"]')
    expect(row.locator("[data-covers-nobody]")).to_have_text(
        "No registered artisan is in these districts and crafts: check their spelling, else nobody gets this subsidy.")
    admin.shot("scheme-covers-nobody")
    row.get_by_role("link").click()
    districts = page.locator("fieldset#districts")
    expect(districts.get_by_label("Varansi (no artisan or depot has it)")).to_be_checked()
    districts.get_by_label("Varansi (no artisan or depot has it)").uncheck()
    districts.get_by_label("Varanasi").check()
    districts.get_by_label("Bhadohi").check()
    page.get_by_role("button", name="Save scheme").click()
    expect(row.locator("td").nth(4)).to_have_text("Bhadohi, Varanasi")
    expect(row.locator("[data-covers-nobody]")).to_have_count(0)
