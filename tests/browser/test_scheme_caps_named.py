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

