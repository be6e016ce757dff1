"""An artisan reading in Hindi on a 360 px phone sees the depot's district and their own craft in Hindi (the demo
data gives both), where the pages said 'Varanasi' and 'Banarasi silk weaving'; in English they read as before."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import User

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
SAID = {"hi": {"district": "वाराणसी", "depot": "वाराणसी डिपो (वाराणसी)", "craft": "बनारसी रेशम बुनाई"},
        "en": {"district": "Varanasi", "depot": "Varanasi depot (Varanasi)", "craft": "Banarasi silk weaving"}}


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_an_artisan_reads_the_depots_district_and_their_craft_in_the_pages_language(browser, dev, lang):
    artisan = User(browser, dev, "artisan")
    try:
        artisan.log_in()
        artisan.language(lang)
        page, said = artisan.page, SAID[lang]
        page.goto(artisan.url("inventory", "/availability"))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("#depot-VNS span")).to_have_text(said["district"])
        expect(page.locator("#district option[value='Varanasi']")).to_have_text(said["district"])
        page.goto(artisan.url("requests", "/my/new"))
        expect(page.locator("#depot option[value='VNS']")).to_have_text(said["depot"])  # filled by the page's script
        page.goto(artisan.url("requests", "/my/passbook"))
        expect(page.locator(".passbook bdi", has_text=said["craft"])).to_have_count(1)
        assert SAID["hi" if lang == "en" else "en"]["craft"] not in page.content()
        artisan.shot("district-and-craft")
        assert artisan.errors == []
    finally:
        artisan.context.close()
