"""A financial year of subsidy claims as an admin reads it on a 360 px phone, in English and Hindi, by keyboard: the
"Financial year" tab beside the month, a row per month with a link to its claim, the year's total and its CSV."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from shared.calendar import financial_year_of, month_of
from tests.browser.test_pages import menu, reload_until
from tests.browser.test_report_defects import handed_over  # noqa: F401  (fixture: 2 kg handed over this month)

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 360, "height": 740}
WORDS = {"en": {"menu": "Subsidy claims", "tab": "Financial year", "h1": "Subsidy claims for a financial year",
                "total": "Total", "so_far": "is not over", "kg": "2 kg",
                "month_h1": "Monthly subsidy claim"},
         "hi": {"menu": "सब्सिडी दावे", "tab": "वित्तीय वर्ष", "h1": "वित्तीय वर्ष के सब्सिडी दावे",
                "total": "कुल", "so_far": "अभी पूरा नहीं हुआ", "kg": "2 किलो",
                "month_h1": "मासिक सब्सिडी दावा"}}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_an_admin_sees_the_financial_year_month_by_month_on_a_phone(people, dev, handed_over, lang):  # noqa: F811
    words, now = WORDS[lang], datetime.now(timezone.utc)
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.set_viewport_size(PHONE)
    page.goto(admin.url("requests", "/"))
    menu(page, words["menu"]).click()
    tab = page.get_by_role("navigation", name="Claims by" if lang == "en" else "दावे की अवधि") \
        .get_by_role("link", name=words["tab"], exact=True)
    tab.focus()  # reached and followed by keyboard
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["h1"])
    expect(tab).to_have_attribute("aria-current", "page")
    table = page.locator("[data-claims-year]")
    row = table.locator(f'tr[data-month="{month_of(now)}"]')
    reload_until(page, lambda: row.count() and row.locator("td").first.inner_text().strip() not in ("0", "०"),
                 message="this month's hand-over in the year's row")
    subsidy = row.locator('[data-f="subsidy"]').inner_text()
    expect(page.locator("[data-so-far]")).to_contain_text(words["so_far"])
    expect(page.get_by_label(words["tab"] + (" (April to March)" if lang == "en" else " (अप्रैल से मार्च)"))) \
        .to_have_value(financial_year_of(now))
    total = table.locator("tfoot tr.total")
    expect(total.locator("th[scope=row]")).to_have_text(words["total"])
    expect(total).to_contain_text(words["kg"][1:])  # the unit of the 2 kg handed over
    assert page.locator("[data-claims-year] thead th[scope=col]").count() >= 4  # headers for a screen reader
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off the phone
    csv_link = page.locator(f'a[href*="/api/v1/reports/subsidy-claims/year"][href*="year={financial_year_of(now)}"]')
    expect(csv_link).to_have_count(1)
    assert "format=csv" in csv_link.get_attribute("href")
    admin.shot("claims-year-on-a-phone")
    link = row.locator("th a")
    link.focus()
    page.keyboard.press("Enter")  # the month's own claim, per district
    page.wait_for_url(lambda url: f"month={month_of(now)}" in url)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["month_h1"])
    expect(page.locator('[data-claims] tfoot [data-label]').last).to_have_text(subsidy)  # the same figure
