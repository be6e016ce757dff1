"""A page that fails on our side, in a real browser: the error page in the reader's language, with a way on.

The inventory service runs in this process on a free port, its store refusing a read (a store's own error, the
kind a bug or a refused command gives) or not answering at all (MongoDB down), so the fault is real and can end:
then "Try again" shows the page.
"""
from __future__ import annotations

import threading

import mongomock
import pytest
from pymongo.errors import OperationFailure, ServerSelectionTimeoutError
from werkzeug.serving import make_server

from services import inventory, notifier
from services.notifier import handlers
from shared.auth import COOKIE, issue_token
from shared.envelope import new_event
from shared.i18n import LANG_COOKIE
from shared.mongo import connect
from shared.runtime import Runtime
from tests.browser.checks import axe_findings
from tests.conftest import free_port

pytestmark = pytest.mark.e2e

WORDS = {  # language -> (title, what to do next, the button to try again, the stock page's heading)
    "en": ("Something went wrong", "try again, and tell an admin if it keeps happening", "Try again", "Stock at"),
    "hi": ("कुछ गड़बड़ हुई", "फिर से प्रयास करें, और बार-बार हो तो एडमिन को बताएँ", "फिर से प्रयास करें", "में स्टॉक"),
}


DOWN = {  # language -> (title, what it says and what to do next)
    "en": ("Not available just now", "The data store is not answering just now. Try again in a minute, and tell an "
           "admin if it keeps happening."),
    "hi": ("अभी उपलब्ध नहीं", "डेटा भंडार अभी जवाब नहीं दे रहा है। एक मिनट बाद फिर से प्रयास करें, और बार-बार हो तो "
           "एडमिन को बताएँ।"),
}


class Refusing:
    """The store's count, refused while `on` (the embedded store keeps the method it first looked up)."""

    def __init__(self, fault=lambda: OperationFailure("not authorized on inventory to execute command { count: "
                                                      "'stock' }", code=13)):
        self.on, self.count, self.fault = True, mongomock.collection.Collection.count_documents, fault

    def __call__(self, *args, **kwargs):
        if self.on:
            raise self.fault()
        return self.count(*args, **kwargs)


@pytest.fixture
def inventory_site(config):
    """The inventory pages at http://127.0.0.1:<free port>, as `rawbank dev` serves them."""
    port = free_port()
    config = config.with_(inventory_url=f"http://127.0.0.1:{port}")
    runtime = Runtime(inventory.spec(), config, client=connect("mongomock://browser-error-pages"))
    inventory.spec().seed(runtime.db, config)
    server = make_server("127.0.0.1", port, inventory.create_app(config, runtime), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield config
    server.shutdown()


@pytest.fixture
def notifier_site(config):
    """The notifier's pages at http://127.0.0.1:<free port>, with Varanasi and Bhadohi each low on cotton yarn."""
    port = free_port()
    config = config.with_(notifier_url=f"http://127.0.0.1:{port}")
    runtime = Runtime(notifier.spec(), config, client=connect("mongomock://browser-error-pages-notifier"))
    for code, name, name_hi in (("VNS", "Varanasi depot", "वाराणसी डिपो"), ("BHD", "Bhadohi depot", "भदोही डिपो")):
        handlers.apply(runtime.db, config, new_event("DepotRegistered", code, {
            "code": code, "name": name, "name_hi": name_hi, "district": name}, source="inventory"))
        handlers.apply(runtime.db, config, new_event("StockLow", f"{code}/YRN-COT", {
            "sku": "YRN-COT", "depot": code, "available": 4_000, "reorder_level": 10_000}, source="inventory"))
    server = make_server("127.0.0.1", port, notifier.create_app(config, runtime), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield config
    runtime.stopping.set()  # the board's live stream ends
    server.shutdown()


def warehouse_page(browser, site, lang: str, *, width: int, url: str | None = None):
    """A browser tab of Varanasi's warehouse staff reading in `lang` (on the inventory's pages, or those at `url`):
    (context, page, the page's script errors)."""
    url = url or site.inventory_url
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-IN")
    context.add_cookies([
        {"name": COOKIE, "value": issue_token(site.jwt_secret, sub="w", role="warehouse", depot="VNS"), "url": url},
        {"name": LANG_COOKIE, "value": lang, "url": url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def tries_again(page, again: str, heading: str, url: str) -> None:
    """The error page's link to try again shows the page it failed on, at its own address, once the fault passed."""
    page.get_by_role("link", name=again).click()
    page.wait_for_load_state()
    assert heading in page.get_by_role("heading", level=1).inner_text()
    assert page.url == url


@pytest.mark.parametrize("lang", WORDS)
def test_a_page_that_fails_says_what_to_do_next_and_try_again_works_once_it_passes(browser, inventory_site,
                                                                                   monkeypatch, lang):
    title, advice, again, heading = WORDS[lang]
    site = inventory_site.inventory_url
    context, page, errors = warehouse_page(browser, inventory_site, lang, width=1024)
    refusing = Refusing()
    monkeypatch.setattr(mongomock.collection.Collection, "count_documents",
                        lambda *args, **kwargs: refusing(*args, **kwargs))
    try:
        response = page.goto(f"{site}/warehouse/stock?q=cotton")
        assert response.status == 500 and page.locator("html").get_attribute("lang") == lang
        assert page.get_by_role("heading", level=1).inner_text() == title
        assert advice in page.locator("main").inner_text()
        assert page.locator("main code").inner_text() == response.headers["x-request-id"]  # what the admin asks for
        assert axe_findings(page) == [] and errors == []
        refusing.on = False  # the fault passes
        tries_again(page, again, heading, f"{site}/warehouse/stock?q=cotton")
    finally:
        context.close()


@pytest.mark.parametrize("lang", DOWN)
def test_a_page_when_the_store_is_not_answering_says_so_and_try_again_works_once_it_answers(browser, inventory_site,
                                                                                           monkeypatch, lang):
    """It was the API's raw JSON 503 in the browser."""
    (title, says), (_, _, again, heading) = DOWN[lang], WORDS[lang]
    site = inventory_site.inventory_url
    context, page, errors = warehouse_page(browser, inventory_site, lang, width=390)
    down = Refusing(lambda: ServerSelectionTimeoutError("127.0.0.1:27017: [Errno 111] Connection refused"))
    monkeypatch.setattr(mongomock.collection.Collection, "count_documents",
                        lambda *args, **kwargs: down(*args, **kwargs))
    try:
        response = page.goto(f"{site}/warehouse/stock?q=cotton")
        assert response.status == 503 and response.headers["retry-after"] == "5"
        assert page.locator("html").get_attribute("lang") == lang
        assert page.get_by_role("heading", level=1).inner_text() == title
        assert says in page.locator("main").inner_text()
        assert page.locator("main code").inner_text() == response.headers["x-request-id"]
        assert axe_findings(page) == [] and errors == []
        down.on = False  # the store answers again
        tries_again(page, again, heading, f"{site}/warehouse/stock?q=cotton")
    finally:
        context.close()


NO_DEPOT = {  # language -> (title, what the page says, the link to choose a depot, the depot choice's label)
    "en": ("Not found", "No depot with this code.", "Choose a depot", "Depot"),
    "hi": ("नहीं मिला", "इस कोड का कोई डिपो नहीं है।", "डिपो चुनें", "डिपो"),
}


def follows_on(page, errors, url, status, lang, title, said, onward) -> None:
    """Open `url`: the error page (`status`, in `lang`, headed `title`, saying `said`, no accessibility finding or
    script error) and its onward link, big enough to tap, followed."""
    response = page.goto(url)
    assert response.status == status and page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert said in page.locator("main").inner_text()
    assert axe_findings(page) == [] and errors == []
    link = page.get_by_role("link", name=onward)
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    link.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", NO_DEPOT)
def test_a_depot_code_no_depot_has_is_not_found_and_leads_to_the_depot_choice(browser, inventory_site, lang):
    """An admin's old bookmark (?depot=VNX) showed the first depot's stock as if it were the one asked for."""
    title, said, choose, label = NO_DEPOT[lang]
    site = inventory_site.inventory_url
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-IN")
    context.add_cookies([{"name": COOKIE, "value": issue_token(inventory_site.jwt_secret, sub="a", role="admin"),
                          "url": site}, {"name": LANG_COOKIE, "value": lang, "url": site}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        follows_on(page, errors, f"{site}/warehouse/counts?depot=VNX", 404, lang, title, said, choose)
        assert page.url == f"{site}/warehouse/counts"
        assert page.get_by_label(label, exact=True).is_visible()  # where the depot is chosen
    finally:
        context.close()


OWN_DEPOT = {  # language -> (title, what the page says, the link to their own depot's page, its heading)
    "en": ("Not allowed", "These pages show only your own depot, Varanasi depot.", "Open this page for Varanasi depot",
           "Stock at Varanasi depot"),
    "hi": ("अनुमति नहीं", "ये पेज केवल आपके अपने डिपो, वाराणसी डिपो, के हैं।", "यह पेज वाराणसी डिपो के लिए खोलें",
           "वाराणसी डिपो में स्टॉक"),
}


@pytest.mark.parametrize("lang", OWN_DEPOT)
def test_depot_staff_following_another_depots_link_are_told_and_led_to_their_own_depots_page(browser, inventory_site,
                                                                                               lang):
    """A link an admin sent (?depot=BHD) showed Varanasi's staff Varanasi's stock under Bhadohi's code, nothing
    saying so. The page says these pages show only their own depot, and its link opens the same page there."""
    title, said, onward, heading = OWN_DEPOT[lang]
    site = inventory_site.inventory_url
    context, page, errors = warehouse_page(browser, inventory_site, lang, width=360)
    try:
        follows_on(page, errors, f"{site}/warehouse/stock?depot=BHD&q=cotton&page=2", 403, lang, title, said, onward)
        assert page.url == f"{site}/warehouse/stock?q=cotton"  # their depot's page, the search kept, from page 1
        assert page.get_by_role("heading", level=1).inner_text() == heading
    finally:
        context.close()


ALERTS_HEADING = {"en": "Supply alerts", "hi": "आपूर्ति चेतावनियाँ"}


@pytest.mark.parametrize("lang", OWN_DEPOT)
def test_depot_staff_following_another_depots_alerts_link_are_told_and_led_to_their_own_depots_board(
        browser, notifier_site, lang):
    """The alert board with ?depot=BHD showed Varanasi's staff Varanasi's alerts under Bhadohi's code, nothing saying
    so. The page says these pages show only their own depot, and its link opens the same board there."""
    title, said, onward, _ = OWN_DEPOT[lang]
    site = notifier_site.notifier_url
    context, page, errors = warehouse_page(browser, notifier_site, lang, width=360, url=site)
    try:
        follows_on(page, errors, f"{site}/admin/alerts?status=open&depot=BHD&q=yarn&page=2", 403, lang, title, said,
                   onward)
        assert page.url == f"{site}/admin/alerts?status=open&q=yarn"  # their depot's board, the search kept, page 1
        assert page.get_by_role("heading", level=1).inner_text() == ALERTS_HEADING[lang]
        assert page.locator("main").get_by_text("Bhadohi").count() == 0
    finally:
        context.close()
