"""A link shown to a person works for that person, in English and in Hindi.

For each kind of user (anyone not logged in, artisan, secretary, warehouse, admin) the crawl starts at their main
pages (tests/browser/main_pages.py) and their first page, and follows every link (<a href>) to any of the three
services, breadth first (a page of a shape not yet opened first), GET only, up to PAGES distinct pages. A page is
its path and its sorted query; at most VARIANTS pages share a shape (the path with its ids as '*', any query), so a
list's pages, filters and rows do not crowd out the rest. Each page is fetched in English and rendered in Hindi in
the user's logged-in browser. Before the crawls, the demo data gets what a day's work leaves (`lived_in`).

What it collects: any answer of 400 or more to a link the user was shown (a 403 included: a link shown to a user
must work for that user; an error page's own address is not followed), a logged-in user sent to log in, a link to
a port on this machine where no service listens or to a default port (8001-8003) while the services were started
elsewhere (an address written into a page, not the configured one), a Hindi rendering with English words
(tests/browser/english.py says what counts) or not in Hindi at all, and a script error in a page. Downloads
(anything but HTML: CSV, JSON) are fetched in both languages, never rendered.

Not followed: the logout address (logging out is a form anyway), other sites, a link to a place on the same page
('#...'), mailto:/tel:/javascript: links, and the links on a page that answered with an error (its 'go on' link is
the error page's; the answer itself is what is reported).
"""
from __future__ import annotations

import functools
import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest

from shared.dev import default_ports
from shared.pages import home_page
from tests.browser.english import english_on
from tests.browser.main_pages import DESKTOP, MAIN_PAGES, PHONE, Browsers
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e

ROLES = ["anyone", "artisan", "secretary", "warehouse", "admin"]
PAGES = 80  # distinct pages per kind of user
VARIANTS = 6  # pages of one shape (e.g. /my/requisitions/*, or one list with its filters and page numbers)
ID = re.compile(r"[0-9]|^[A-Z][A-Z0-9-]+$")  # a path segment that names one thing: YRN-COT-40, VNS, an uuid
SKIPPED = ("/logout",)
LOCAL_HOSTS = ("127.0.0.1", "localhost")
DEFAULT_PORTS = set(default_ports().values())


class Links(HTMLParser):
    """Every <a href> of an HTML page, as written."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def links_in(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.found


def key_of(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.netloc, parts.path, tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


def shape_of(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.netloc, tuple("*" if ID.search(segment) else segment for segment in parts.path.split("/"))


class Crawl:
    """One kind of user's crawl: what it opened, and every problem it met (role, what, where, linked from)."""

    def __init__(self, browsers: Browsers, role: str):
        self.browsers, self.dev, self.role = browsers, browsers.dev, role
        self.origins = {f"127.0.0.1:{port}" for port in self.dev.ports.values()}
        self.problems: list[str] = []
        self.opened: list[str] = []

    def starts(self) -> list[str]:
        mains = [main for main in MAIN_PAGES if main.role == self.role]
        paths = [(main.service, self.browsers.path_of(main)) for main in mains]
        return [self.dev.url(service, path) for service, path in [home_page(self.role), *paths]]

    def where(self, href: str, base: str, parent: str) -> str | None:
        """The address a link goes to if the crawl follows it, else None (reported if it goes nowhere)."""
        if href.startswith("#") or href.split(":", 1)[0].lower() in ("mailto", "tel", "javascript", "sms"):
            return None
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        if parts.netloc not in self.origins:
            if parts.hostname in LOCAL_HOSTS and parts.port not in DEFAULT_PORTS:
                self.report("link to a port where no service listens", url, parent)
            elif parts.hostname in LOCAL_HOSTS:
                self.report("link to a default port, not the service's configured address", url, parent)
            return None
        if parts.path.endswith(SKIPPED):
            return None
        return url

    def report(self, what: str, url: str, parent: str | None) -> None:
        self.problems.append(f"{self.role}: {what}: {self.short(url)}"
                             + (f"  (linked from {self.short(parent)})" if parent else "  (a main page)"))

    def short(self, url: str) -> str:
        """The address with the service's name for its port, as people say it (requests:/my/account)."""
        parts = urlsplit(url)
        names = {f"127.0.0.1:{port}": name for name, port in self.dev.ports.items()}
        return f"{names.get(parts.netloc, parts.netloc)}:{parts.path}" + (f"?{parts.query}" if parts.query else "")

    def run(self) -> "Crawl":
        """Breadth first, a page of a shape not yet opened before another of one already opened."""
        starts = self.starts()  # the request made for the detail pages is made before the language is set
        hindi = self.browsers.page(self.role, DESKTOP, "hi")
        english = self.browsers.page(self.role, PHONE, "en").context.request
        fresh, more, seen, shapes = deque((url, None) for url in starts), deque(), set(), {}
        while (fresh or more) and len(self.opened) < PAGES:
            url, parent = (fresh or more).popleft()
            key, shape = key_of(url), shape_of(url)
            if key in seen or (parent and shapes.get(shape, 0) >= VARIANTS):
                continue
            seen.add(key)
            shapes[shape] = shapes.get(shape, 0) + 1
            self.opened.append(url)
            for href in self.visit(url, parent, hindi, english):
                (more if shape_of(href) in shapes else fresh).append((href, url))
        return self

    def visit(self, url: str, parent: str | None, hindi, english) -> list[str]:
        """Open one address in English and in Hindi; the addresses its links go to."""
        answer = english.get(url)
        if not self.works(answer.status, answer.url, url, parent, "English"):
            return []
        if "text/html" not in answer.headers.get("content-type", ""):
            download = hindi.context.request.get(url)
            self.works(download.status, download.url, url, parent, "Hindi")
            return []
        base, hrefs = answer.url, links_in(answer.text())
        errors = len(self.browsers.errors)
        response = hindi.goto(url)
        if self.works(response.status if response else 0, hindi.url, url, parent, "Hindi"):
            if (lang := hindi.locator("html").get_attribute("lang")) != "hi":
                self.report(f"asked in Hindi, answered in {lang!r}", url, parent)
            words = english_on(hindi)
            if words:
                self.report("English words in Hindi: " + "; ".join(words), url, parent)
            hrefs += hindi.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        for error in self.browsers.errors[errors:]:
            self.report(f"script error: {error}", url, parent)
        del self.browsers.errors[errors:]
        return [target for href in dict.fromkeys(hrefs) if (target := self.where(href, base, url))]

    def works(self, status: int, landed: str, url: str, parent: str | None, lang: str) -> bool:
        if status >= 400 or not status:
            self.report(f"{status or 'no answer'} in {lang}", url, parent)
            return False
        login = urlsplit(self.dev.url("requests", "/login"))
        if self.role != "anyone" and urlsplit(landed)[1:3] == login[1:3] and urlsplit(url)[1:3] != login[1:3]:
            self.report(f"sent to log in ({lang})", url, parent)
            return False
        return True


@pytest.fixture(scope="module")
def browsers(browser, dev):
    made = Browsers(browser, dev)
    yield made
    made.close()


@pytest.fixture(scope="module")
def lived_in(browsers):
    """What people meet after a day's work besides the demo data: requests in each state (set aside, cancelled,
    rejected, handed over and received, a cooperative's for its members, one waiting with a note), their
    notifications, a payment taken back and money handed back, a transfer, a stock count, a low-stock alert and a
    request on the waiting list. Reasons and notes are in English, as people type them: a page shows them as typed
    (translate="no"), or the Hindi check reads them as untranslated English."""
    browsers.ready_requisition()
    call = functools.partial(browsers._call, browsers.page("admin", DESKTOP, "en"))
    artisan, secretary, warehouse = (browsers.page(role, DESKTOP, "en") for role in ("artisan", "secretary",
                                                                                    "warehouse"))
    cotton = {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}]}
    cancelled, rejected, received = (browsers._call(artisan, "requests", "/requisitions", cotton) for _ in range(3))
    assert browsers._call(artisan, "requests", f"/requisitions/{cancelled['id']}/cancel",
                          {"reason": "Asked for the wrong material"})
    assert browsers._call(artisan, "requests", "/requisitions", {**cotton, "note": "Please keep the white one for me"})
    assert call("requests", f"/requisitions/{rejected['id']}/reject", {"reason": "Duplicate request"})
    assert call("requests", f"/requisitions/{received['id']}/approve", {})
    wait_until(lambda: browsers._call(warehouse, "requests", f"/requisitions/{received['id']}/dispatch", {}), 30,
               interval=0.5, message="the request to be set aside and handed over")
    assert browsers._call(artisan, "requests", f"/requisitions/{received['id']}/receive", {})
    paid = call("requests", f"/requisitions/{received['id']}/payments",
                {"amount": "20.00", "method": "upi", "reference": "UPI-CRAWL-1"})
    assert call("requests", f"/requisitions/{received['id']}/payments/{paid['payment_id']}/reversal",
                {"reason": "Wrong amount typed"})
    assert call("requests", f"/requisitions/{received['id']}/payments",
                {"amount": "5000.00", "method": "advance", "reference": "UPI-CRAWL-2"})
    assert call("requests", "/artisans/ART-0001/refunds", {"amount": "5.00", "method": "cash",
                                                           "reference": "VCH-CRAWL-1",
                                                           "reason": "Paid twice for this request"})
    assert browsers._call(secretary, "requests", "/requisitions", {"depot": "VNS", "cooperative": "SMBSS", "lines": [
        {"sku": "YRN-COT-40", "quantity": "1", "artisan_id": "ART-0002"},
        {"sku": "YRN-COT-40", "quantity": "2", "artisan_id": "ART-0003"}]})
    assert browsers._call(warehouse, "inventory", "/counts", {"depot": "VNS"})
    assert browsers._call(warehouse, "inventory", "/movements", {"type": "adjustment", "sku": "DYE-INDIGO",
                                                                 "depot": "VNS", "quantity": "-7", "reason": "damage"})
    assert browsers._call(warehouse, "inventory", "/movements", {
        "type": "transfer", "sku": "YRN-COT-40", "depot": "VNS", "to_depot": "BHD", "quantity": "2",
        "reason": "Sent for the stock of the other depot"})
    waits = browsers._call(artisan, "requests", "/requisitions",
                           {"depot": "VNS", "lines": [{"sku": "DYE-INDIGO", "quantity": "2"}]})
    assert waits and call("requests", f"/requisitions/{waits['id']}/approve", {})
    return browsers


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_user_is_shown_opens_in_english_and_hindi(lived_in, role):
    browsers, started = lived_in, time.monotonic()
    crawl = Crawl(browsers, role).run()
    print(f"\n{role}: {len(crawl.opened)} pages in {time.monotonic() - started:.1f} s: "
          + " ".join(crawl.short(url) for url in crawl.opened))
    errors, browsers.errors = browsers.errors, []
    assert (crawl.problems, errors) == ([], []), (
        f"\n{len(crawl.problems)} broken for {role}:\n" + "\n".join(crawl.problems)
        + "".join(f"\nscript error: {error}" for error in errors))
