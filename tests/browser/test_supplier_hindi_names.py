"""A supplier's name and district in Hindi: an admin gives them on the Suppliers page's form (and changes them on the
supplier's own page), and the Hindi pages name the supplier so; one left without them reads in English there."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import menu
from tests.browser.test_people_defects import in_english

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)


def test_an_admin_gives_a_supplier_its_hindi_name_and_the_hindi_pages_say_it(people):
    admin = in_english(people("admin").log_in())
    page = admin.page
    menu(page, "Suppliers").click()
    form = page.locator("#add-supplier")
    form.get_by_label("Code").fill("KASHI")
    form.get_by_label("Name", exact=True).fill("Kashi Cotton Mills")
    form.get_by_label("Name in Hindi").fill("काशी कॉटन मिल्स")
    form.get_by_label("District", exact=True).fill("Varanasi")
    form.get_by_label("District in Hindi").fill("वाराणसी")
    form.get_by_role("button", name="Add supplier").click()
    page.wait_for_url(re.compile(r"/admin/suppliers/KASHI$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kashi Cotton Mills")

    admin.language("hi")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("काशी कॉटन मिल्स")
    names = page.locator("#supplier-names")
    page.get_by_text("नाम और ज़िला").click()
    names.get_by_label("हिन्दी में नाम").fill("काशी सूती मिल्स")
    names.get_by_role("button", name="सहेजें").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("काशी सूती मिल्स")

    menu(page, "आपूर्तिकर्ता").click()
    row = page.locator('tr[data-supplier="KASHI"]')
    expect(row).to_contain_text("काशी सूती मिल्स")
    expect(row).to_contain_text("वाराणसी")
    expect(row).not_to_contain_text("Kashi")
    expect(page.locator('tr[data-supplier="SRM"]')).to_contain_text("श्री राम स्पिनिंग मिल्स")  # the demo's mill
    in_english(admin)
