"""resend.js alone in Chromium (no services): which key a request form sends a request with."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
SCRIPT = Path(__file__).resolve().parents[2] / "services" / "requests" / "static" / "resend.js"
FORM = "http://rawbank.test/my/new"


@pytest.fixture
def form(browser):
    """The new-request page's address with only resend.js on it, so its sessionStorage is the page's own."""
    context = browser.new_context()
    page = context.new_page()
    page.route(FORM, lambda route: route.fulfill(content_type="text/html",
                                                 body="<!doctype html><title>New request</title><p>form</p>"))
    page.route("http://rawbank.test/resend.js", lambda route: route.fulfill(content_type="text/javascript",
                                                                           body=SCRIPT.read_text()))
    yield page
    context.close()


def test_the_same_request_again_next_month_is_a_new_one_and_a_quick_resend_is_the_first(form):
    """Sita asks for 5 kg of cotton yarn every month from the one tab of her phone: next month's is a new request
    (it was shown last month's, saying nothing was sent twice); a resend within minutes is still the first."""
    start = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)
    form.clock.set_fixed_time(start)
    form.goto(FORM)
    form.add_script_tag(url="http://rawbank.test/resend.js")
    body = '{"depot":"VNS","lines":[{"sku":"YRN-COT-40","quantity":"5"}],"note":""}'

    def choose(key, at):
        form.clock.set_fixed_time(at)
        return form.evaluate("([key, body]) => rbResend.choose(key, body)", [key, body])

    assert choose("november", start) == {"key": "november", "again": False}
    assert choose("reloaded", start + timedelta(minutes=3)) == {"key": "november", "again": True}
    assert choose("december", start + timedelta(days=30)) == {"key": "december", "again": False}
    assert choose("back-again", start + timedelta(days=30, minutes=1)) == {"key": "december", "again": True}
