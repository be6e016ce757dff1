"""An artisan's passbook by financial year on a 360 px phone, in English and Hindi: this year's by default, an
earlier year chosen in the passbook's own chooser, and the printed page saying which year it is."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from shared.calendar import financial_year_of
from shared.durable_store import DurableStore
from shared.runtime import database_name
from tests.browser.conftest import User
from tests.browser.test_old_pages import asked
from tests.browser.test_pages import menu
from tests.devserver import Dev

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
EARLIER = "2025-26"
WORDS = {"en": {"menu": "My passbook", "chooser": "Financial year (April to March)", "show": "Show",
                "year": "Financial year 2025-26: April 2025 to March 2026", "none": "No material asked for in this "
                                                                                   "financial year."},
         "hi": {"menu": "मेरी पासबुक", "chooser": "वित्तीय वर्ष (अप्रैल से मार्च)", "show": "दिखाएँ",
                "year": "वित्तीय वर्ष 2025-26: अप्रैल 2025 से मार्च 2026 तक",
                "none": "इस वित्तीय वर्ष में कोई सामग्री नहीं माँगी गई।"}}


def made_in(store_file, req_id: str, at: str) -> None:
    """The request as if made at `at` (UTC, as requisitions keep it): the stored record, changed while rawbank is
    stopped."""
    store = DurableStore(store_file)
    try:
        store.client[database_name("requests")].requisitions.update_one({"_id": req_id}, {"$set": {"created_at": at}})
        store.sync()
    finally:
        store.client.close()
        store.close()


def test_an_artisan_chooses_an_earlier_financial_year_of_the_passbook_and_prints_it(browser, tmp_path):
    """A request of June 2025 was in the passbook only while fewer than 200 newer ones hid it: now this year's
    passbook leaves it out and says so, and choosing 2025-26 shows it, the page (and its print) naming the year."""
    data = tmp_path / "var"
    dev = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    try:
        old = asked(dev, {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}]}, "artisan")
    finally:
        assert dev.stop() == 0, dev.output
    made_in(data / "requests.sqlite", old, "2025-06-10T05:00:00.000Z")

    dev = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    artisan = User(browser, dev, "artisan")
    this_year = financial_year_of(datetime.now(timezone.utc))
    try:
        artisan.log_in()
        page = artisan.page
        for lang, words in WORDS.items():
            artisan.language(lang)
            page.goto(artisan.url("requests", "/"))
            expect(page.locator("html")).to_have_attribute("lang", lang)
            menu(page, words["menu"]).click()
            chooser = page.get_by_label(words["chooser"])
            expect(chooser).to_have_value(this_year)
            expect(page.locator(f'[data-requisition="{old}"]')).to_have_count(0)
            expect(page.locator("main")).to_contain_text(words["none"])
            chooser.select_option(EARLIER)
            page.get_by_role("button", name=words["show"], exact=True).click()
            page.wait_for_url(lambda url: f"year={EARLIER}" in url)
            expect(page.locator(f'[data-requisition="{old}"]')).to_have_count(1)
            expect(page.locator("[data-year]")).to_have_text(words["year"])
            expect(page.get_by_label(words["chooser"])).to_have_value(EARLIER)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing runs off the phone
            page.emulate_media(media="print")
            expect(page.locator("[data-year]")).to_be_visible()  # the printed page says which year
            expect(page.locator("[data-years]")).to_be_hidden()  # not the chooser
            page.emulate_media(media="screen")
            artisan.shot("passbook-earlier-year")
        assert not artisan.errors, artisan.errors
    finally:
        artisan.close()
        assert dev.stop() == 0, dev.output
