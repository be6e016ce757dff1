"""What people type may be one long word (a pasted link as a request's note, a long UPI reference): on a 375 px phone
it wraps inside its card, and the page never grows wider than the screen (a 1,000-character note made the request page
12,189 px wide and the approvals page 10,983 px)."""
from __future__ import annotations

import pytest

from tests.browser.test_people_defects import api_call

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}
NOTE = "https://example.org/designs/" + "a" * 900
REFERENCE = "UTR" + "7" * 97


@pytest.fixture(scope="module")
def long_words(dev):
    """A request with a long note and a cash payment on it with a long reference; its id."""
    rid = api_call(dev, "requests", "/api/v1/requisitions", {
        "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}], "note": NOTE}, user="artisan")["id"]
    api_call(dev, "requests", f"/api/v1/requisitions/{rid}/payments",
             {"amount": "10", "method": "cash", "reference": REFERENCE}, user="warehouse")
    return rid


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize(("role", "service", "path", "shown"), [
    ("artisan", "requests", "/my/requisitions/{rid}", (NOTE, REFERENCE)),
    ("admin", "requests", "/admin/approvals?status=", (NOTE,)),
    ("admin", "requests", "/requisitions/{rid}/receipt", (REFERENCE,)),
    ("artisan", "requests", "/my/passbook", (REFERENCE,))])
def test_a_long_word_someone_typed_wraps_on_a_phone(people, long_words, role, service, path, shown, lang):
    user = people(role).log_in()
    user.language(lang)
    page = user.page
    page.set_viewport_size(PHONE)
    page.goto(user.url(service, path.format(rid=long_words)))
    text = page.locator("main").inner_text().replace("\n", "")
    for word in shown:
        assert word in text, f"{word[:30]}... not on {path}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} in {lang} is {width} px wide on a {PHONE['width']} px phone"
