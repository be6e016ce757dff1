"""rawbank.js alone in Chromium, no services: the test's own form at PAGE, the script, and API answered by the test."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "shared" / "static" / "rawbank.js"
PAGE = "http://rawbank.test/warehouse/movements"
API = "http://rawbank.test/api/v1/movements"


@contextmanager
def script_alone(browser, html: str, api):
    """A page opened on `html` at PAGE with rawbank.js; `api(page, route)` answers each call to API, from the
    page's `answers` (each call takes the first) as the test puts them there."""
    context = browser.new_context()
    page = context.new_page()
    page.answers = []
    page.route(PAGE, lambda route: route.fulfill(content_type="text/html", body=html))
    page.route("http://rawbank.test/rawbank.js",
               lambda route: route.fulfill(content_type="text/javascript", body=SCRIPT.read_text()))
    page.route(API, lambda route: api(page, route))
    page.goto(PAGE)
    try:
        yield page
    finally:
        context.close()
