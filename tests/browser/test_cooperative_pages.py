"""An admin registers a cooperative on its page and changes its members' credit limit, and a refusal of the API is
said under the field it is about, in English and in Hindi (until then cooperatives were the API's only)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import DEVANAGARI, menu
from tests.browser.test_people_defects import in_english

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)


def test_an_admin_registers_a_cooperative_and_changes_its_credit_limit_in_both_languages(people):
    admin = in_english(people("admin").log_in())
    page = admin.page
    menu(page, "Cooperatives", exact=True).click()
    expect(page).to_have_url(admin.url("requests", "/admin/cooperatives"))
    rows = page.locator("#cooperative-list tbody tr")
    expect(rows.filter(has_text="SMBSS")).to_contain_text("Sarai Mohana Bunkar Sahkari Samiti")

    page.get_by_text("Register a cooperative").click()
    form = page.locator("#register-form")

    def register(code):
        """The register form filled in English for Kabir Bunkar Sahkari Samiti with `code`, and sent."""
        form.get_by_label("Code").fill(code)
        form.get_by_label("Name", exact=True).fill("Kabir Bunkar Sahkari Samiti")
        form.get_by_label("Name in Hindi").fill("कबीर बुनकर सहकारी समिति")
        form.get_by_label("Kind").select_option("shg")
        form.get_by_label("District").fill("Mau")
        form.get_by_label("Credit limit of each member (₹)").fill("15,000")
        form.get_by_role("button", name="Register").click()
    register("smbss")  # the demo's, in small letters: the same code
    code = form.get_by_label("Code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#code-error")).to_contain_text("Code: The code SMBSS already exists")

    admin.language("hi")  # the same refusal in Hindi, under the same field
    page.reload()
    page.locator("#register summary").click()
    form.locator("#code").fill("Smbss")
    for name, value in (("name", "Kabir Bunkar Sahkari Samiti"), ("name_hi", "कबीर बुनकर सहकारी समिति"),
                        ("district", "Mau"), ("credit_limit", "15,000")):
        form.locator(f"#{name}").fill(value)
    form.locator('button[type="submit"]').click()
    expect(form.locator("#code")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#code-error")).to_contain_text("SMBSS")
    assert DEVANAGARI.search(form.locator("#code-error").inner_text())
    admin.shot("cooperative-code-taken")

    in_english(admin)
    page.locator("#register summary").click()
    register("KBSS")
    page.wait_for_url(re.compile(r"/admin/cooperatives/KBSS\?saved=1$"))
    expect(page.get_by_role("status")).to_contain_text("Registered: Kabir Bunkar Sahkari Samiti, code KBSS.")
    details = page.locator("#cooperative-form")
    limit = details.get_by_label("Credit limit of each member (₹)")
    expect(limit).to_have_value("15000.00")
    expect(details.get_by_label("Kind")).to_have_value("shg")

    limit.fill("-5")  # refused before it is sent, under its field
    details.get_by_role("button", name="Save changes").click()
    expect(limit).to_have_attribute("aria-invalid", "true")
    limit.fill("25,000")
    details.get_by_role("button", name="Save changes").click()
    expect(page.locator("#cooperative-form [data-errors], .notice").filter(
        has_text="Saved: the details of Kabir Bunkar Sahkari Samiti.").first).to_be_visible()
    expect(details.get_by_label("Credit limit of each member (₹)")).to_have_value("25000.00")
    admin.shot("cooperative")

    # only what changed is sent: a new name is no new setting of the members' credit terms (before, the limit went
    # with every save, and the terms became "set by" whoever saved, now); saved with nothing changed, nothing is sent
    details.get_by_role("button", name="Save changes").click()
    expect(details.locator("[data-errors]")).to_have_text("Nothing is changed: change a detail, then save.")
    details.get_by_label("Name", exact=True).fill("Kabir Bunkar Samiti")
    with page.expect_request(lambda sent: sent.method == "PATCH") as patch:
        details.get_by_role("button", name="Save changes").click()
    assert patch.value.post_data_json == {"name": "Kabir Bunkar Samiti"}
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabir Bunkar Samiti")

    page.goto(admin.url("requests", "/admin/cooperatives"))
    kbss = rows.filter(has_text="KBSS")
    expect(kbss).to_contain_text("Mau")
    expect(kbss).to_contain_text("25,000.00")
    expect(kbss).to_contain_text("Self-help group")
    admin.language("hi")
    page.reload()
    expect(kbss).to_contain_text("कबीर बुनकर सहकारी समिति")
    expect(kbss).to_contain_text("स्वयं सहायता समूह")
    admin.shot("cooperatives")
