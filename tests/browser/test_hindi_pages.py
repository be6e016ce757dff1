"""Issue 18, "Done when": every main page rendered in Hindi shows no English word but proper names and codes
(tests/browser/english.py says what counts).

An English word is one of the catalogue's: a word of a msgid that its Hindi translation does not keep (codes such
as CSV, SMS or rawbank stay in the Hindi, so they are not English words here). A code is never a word: a token with
a digit, '-', '_' or '/' in it (YRN-COT-40, at_ist) or in capitals (VNS). Text inside an element marked with another
language (`lang="en"`, the English name beside the Hindi one in the catalog), marked `translate="no"` (a username,
a supplier's name, a reference as it was typed: shared.pages.as_typed) or in <code> is meant to stay as it is.
Each page's Hindi screenshot is written to test-output/screenshots/."""
from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.english import english_in, english_on, english_words
from tests.browser.main_pages import DESKTOP, MAIN_PAGES, Browsers

pytestmark = pytest.mark.e2e


def test_the_catalogue_knows_english_words_and_leaves_codes_alone():
    assert {"stock", "depot", "kg", "approved", "cancelled"} <= english_words()
    assert not {"csv", "rawbank", "sms"} & english_words()
    assert english_in(["वाराणसी डिपो में स्टॉक", "YRN-COT-40, VNS", "Ramesh Kumar", "DYE-INDIGO"]) == []
    assert english_in(["Varanasi depot में 12 kg"]) == ["depot, kg: 'Varanasi depot में 12 kg'"]


@pytest.fixture(scope="module")
def browsers(browser, dev):
    made = Browsers(browser, dev)
    yield made
    made.close()


@pytest.mark.parametrize("main", MAIN_PAGES, ids=str)
def test_every_main_page_in_hindi_has_no_english_words_but_names_and_codes(browsers, main):
    page = browsers.open(main, DESKTOP, "hi")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{main}-desktop-hi.png"), full_page=True)
    assert page.locator("html").get_attribute("lang") == "hi"
    found = english_on(page)
    errors, browsers.errors = browsers.errors, []
    assert (found, errors) == ([], []), f"{main} in Hindi"
