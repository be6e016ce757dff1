"""The department's reports as an admin walks them on a 375 px phone, in English and Hindi; each test failed
before its fix."""
from __future__ import annotations

import urllib.error

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import reload_until
from tests.browser.test_people_defects import api_call, coop_handed_over
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 375, "height": 800}

#: each cell of a table's total row: header cell or not, its label on a phone (what `::before` shows), its text
TOTAL_CELLS = """table => [...table.querySelectorAll("tfoot tr.total > *")].map(cell => ({
    header: cell.tagName === "TH", scope: cell.getAttribute("scope"),
    shown: getComputedStyle(cell, "::before").content.replace(/^"|"$/g, ""), text: cell.innerText.trim()}))"""
HEADERS = "table => [...table.querySelectorAll('thead th')].map(th => th.innerText.trim())"


@pytest.fixture(scope="module")
def handed_over(dev) -> str:
    """2 kg of 40s cotton for ART-0001 of SMBSS under the demo's scheme, set aside and handed over this month."""
    lines = [{"sku": "YRN-COT-40", "quantity": "2", "artisan_id": "ART-0001"}]
    return coop_handed_over(dev, lines)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_total_row_on_a_phone_says_what_each_figure_is(people, dev, handed_over, lang):
    """The total of a report or a claim stacked on a phone as a bare run of numbers, its figures header cells;
    now it reads as the rows above it ("Subsidy ₹73.65"), its first cell the row's header."""
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.set_viewport_size(PHONE)
    for service, path, table in (("notifier", "/admin/reports/distribution", '[data-report="distribution"]'),
                                 ("notifier", "/admin/reports/beneficiaries?group_by=gender",
                                  '[data-report="beneficiaries"]'),
                                 ("requests", "/admin/claims", "[data-claims]")):
        page.goto(admin.url(service, path))
        reload_until(page, lambda: page.locator(f"{table} tfoot").count() > 0, message=f"{path} to have a total")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        headers = page.locator(table).evaluate(HEADERS)
        cells = page.locator(table).evaluate(TOTAL_CELLS)
        assert len(cells) == len(headers) > 2, (path, cells)
        first, figures = cells[0], cells[1:]
        assert first["header"] and first["scope"] == "row" and first["text"] == ("कुल" if lang == "hi" else "Total")
        assert [c["header"] for c in figures] == [False] * len(figures), (path, cells)
        assert [c["shown"] for c in figures] == headers[1:], (path, cells)  # the label before each figure
        assert all(c["text"] for c in figures), (path, cells)
        admin.shot(f"total-on-a-phone-{path.split('/')[-1].split('?')[0]}")


OUTLINE = "() => [...document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6)')].map(h => Number(h.tagName[1]))"


@pytest.mark.parametrize("service,path", [("inventory", "/admin/catalog"), ("requests", "/admin/schemes/RMSS"),
                                          ("requests", "/admin/schemes"), ("requests", "/admin/claims"),
                                          ("notifier", "/admin/reports/distribution")])
def test_an_admins_page_has_one_h1_and_its_headings_go_down_one_level_at_a_time(people, service, path):
    """The catalog had two h1s (Materials, Depots); a scheme's page went from its h1 straight to h3s (the form's
    headings, written for the list page where the form sits under an h2)."""
    admin = people("admin").log_in()
    admin.page.goto(admin.url(service, path))
    levels = admin.page.evaluate(OUTLINE)
    assert levels[:1] == [1] and levels.count(1) == 1, (path, levels)
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), (path, levels)
