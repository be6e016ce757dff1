"""An admin reading in Hindi sees the artisans' and cooperatives' district in Hindi: it is typed in English
("Varanasi"), and the Hindi pages said it so, though the Varanasi depot names its district "वाराणसी" (the demo data
gives it). In English the lists read as before."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import User

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
SAID = {"hi": "वाराणसी", "en": "Varanasi"}


def district_cell(page, row: str):
    return page.locator(f"tr[data-{row}] td").nth(3)


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_an_admin_reads_the_artisans_and_cooperatives_district_in_the_pages_language(browser, dev, lang):
    admin = User(browser, dev, "admin")
    try:
        admin.log_in()
        admin.language(lang)
        page = admin.page
        deadline = time.monotonic() + 30  # the requests service hears of the depot's Hindi district from inventory
        while True:
            page.goto(admin.url("requests", "/admin/artisans"))
            if district_cell(page, "artisan").inner_text() == SAID[lang] or time.monotonic() > deadline:
                break
            page.wait_for_timeout(500)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        cells = page.locator("#artisan-list tbody tr td:nth-child(4)")
        expect(cells.first).to_have_text(SAID[lang])
        assert set(cells.all_inner_texts()) == {SAID[lang]}  # every demo artisan is of Varanasi
        admin.shot("artisans-district")
        page.goto(admin.url("requests", "/admin/cooperatives"))
        expect(district_cell(page, "cooperative")).to_have_text(SAID[lang])
        assert SAID["hi" if lang == "en" else "en"] not in page.locator("#cooperative-list").inner_text()
        assert admin.errors == []
    finally:
        admin.context.close()


def test_an_admin_reading_in_hindi_finds_the_artisans_of_a_district_by_its_hindi_name(browser, dev):
    """Typing वाराणसी in the search box, or in the District box, finds the demo artisans (all of Varanasi), as
    Varanasi does; it found nobody when only the English spelling matched."""
    admin = User(browser, dev, "admin")
    try:
        admin.log_in()
        admin.language("hi")
        page = admin.page
        deadline = time.monotonic() + 30  # the requests service hears of the depot's Hindi district from inventory
        while True:
            page.goto(admin.url("requests", "/admin/artisans"))
            if district_cell(page, "artisan").inner_text() == SAID["hi"] or time.monotonic() > deadline:
                break
            page.wait_for_timeout(500)
        everyone = page.locator("#artisan-list tbody tr").count()
        assert everyone > 0
        for box in ("#q", "#f-district"):
            page.goto(admin.url("requests", "/admin/artisans"))
            page.locator(box).fill(SAID["hi"])
            page.locator(box).press("Enter")
            page.wait_for_url(lambda url: "?" in url)
            cells = page.locator("#artisan-list tbody tr td:nth-child(4)")
            expect(cells).to_have_count(everyone)
            assert set(cells.all_inner_texts()) == {SAID["hi"]}
        admin.shot("artisans-found-by-hindi-district")
        assert admin.errors == []
    finally:
        admin.context.close()
