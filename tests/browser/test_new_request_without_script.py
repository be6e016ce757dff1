"""The artisan's new-request form lists the depots, prices the request and sends it from its script: with JavaScript
off it showed 'Loading depots…' and 'Enter quantities to see the price' for ever, and could not be sent, with not a
word of why. Now it says so, and what to do, in the person's language; with the script on, nothing of it shows."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import User
from tests.browser.test_alert_board_without_script import WithoutScript

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
SAYS = {"en": "Without JavaScript this form cannot list the depots, show the price or send your request.",
        "hi": "जावास्क्रिप्ट के बिना यह फ़ॉर्म डिपो की सूची नहीं दिखा सकता, दाम नहीं बता सकता"}


@pytest.mark.parametrize("lang", SAYS)
def test_the_new_request_form_says_without_javascript_that_it_cannot_price_or_send(browser, dev, lang):
    reader = WithoutScript(browser, dev, "artisan")
    try:
        page = reader.log_in().page
        reader.language(lang)
        page.goto(reader.url("requests", "/my/new"))
        expect(page.locator("[data-no-script]")).to_be_visible()
        expect(page.locator("[data-no-script]")).to_contain_text(SAYS[lang])
    finally:
        reader.context.close()
    user = User(browser, dev, "artisan")
    try:
        page = user.log_in().page
        user.language(lang)
        page.goto(user.url("requests", "/my/new"))
        expect(page.locator('#depot option[value="VNS"]')).to_have_count(1)  # the script has listed the depots
        expect(page.get_by_text(SAYS[lang])).to_have_count(0)
        assert not user.errors, user.errors
    finally:
        user.context.close()
