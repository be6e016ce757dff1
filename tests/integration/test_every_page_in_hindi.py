"""Every page route of the three services, opened in Hindi by every kind of user (and by nobody logged in): none is
a 500, each is marked `lang="hi"`, and none shows an English word of the catalogue (tests/browser/english.py says
what counts; codes, names kept as typed and text marked as another language are left alone).

The browser test (tests/browser/test_hindi_pages.py) reads the main pages as a screen shows them; this one reads the
HTML of every route the services have, each role's version of it, in seconds: a new page is walked without being
listed here, and a route whose placeholders it cannot fill fails until PLACEHOLDERS has them.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from werkzeug.routing.converters import AnyConverter

from shared.auth import COOKIE, issue_token
from shared.config import Config
from shared.i18n import LANG_COOKIE
from tests.browser.english import english_in
from tests.integration.test_duplicate_events import World

ROLES = {"anyone": None, "admin": {}, "warehouse": {"depot": "VNS"}, "artisan": {"artisan_id": "ART-0001"},
         "secretary": {"cooperative": "SMBSS"}}
SKIPPED = {"/healthz", "/readyz", "/metrics", "/favicon.ico", "/"}  # no page: a probe, a figure, an icon, a redirect
#: what each placeholder of a route is filled with ({requisition} and {count}: made by the `world` fixture)
PLACEHOLDERS = {"sku": "YRN-COT-40", "artisan_id": "ART-0001", "code": "RMSS", "coop": "SMBSS", "number": "PO-00001",
                "requisition_id": "{requisition}", "req_id": "{requisition}", "count_id": "{count}", "depot": "VNS",
                "alert_id": "{alert}"}
FOREIGN = ("script", "style", "code", "kbd", "samp")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Texts(HTMLParser):
    """What a person reads or hears in a page: the text and the placeholders, labels, titles and alt texts, except
    what is marked as another language (lang, translate="no") or is code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: is its content foreign?
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        foreign = bool(self.stack and self.stack[-1]) or tag in FOREIGN or attrs.get("translate") == "no" or \
            attrs.get("lang", "hi") != "hi"
        if not foreign:
            self.found += [attrs[name] for name in ("placeholder", "aria-label", "title", "alt") if attrs.get(name)]
        if tag not in VOID:
            self.stack.append(foreign)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip() and not (self.stack and self.stack[-1]):
            self.found.append(data.strip())


def texts_of(page: str) -> list[str]:
    reader = Texts()
    reader.feed(page)
    return reader.found


def paths_of(app, made: dict) -> list[str]:
    """Each page route of the app with its placeholders filled (an any() placeholder: once per choice)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static/")) or rule.endpoint.endswith(
                "static") or rule.rule in SKIPPED:
            continue
        choices = [{}]
        for name in rule.arguments:
            converter = rule._converters[name]
            values = sorted(converter.items) if isinstance(converter, AnyConverter) else [PLACEHOLDERS[name]]
            choices = [{**chosen, name: value.format(**made)} for chosen in choices for value in values]
        paths += [app.url_map.bind("localhost").build(rule.endpoint, chosen) for chosen in choices]
    return paths


@pytest.fixture(scope="module")
def world():
    config = Config.from_env({}, consumer_backoff_ms=10, relay_interval_ms=20)
    made = World(config)
    admin = {"Authorization": "Bearer " + issue_token(config.jwt_secret, sub="admin", role="admin")}
    artisan = {"Authorization": "Bearer " + issue_token(config.jwt_secret, sub="artisan", role="artisan",
                                                        artisan_id="ART-0001")}
    asked = made.http["requests"].post("/api/v1/requisitions", headers=artisan, json={
        "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "2"}], "note": "ज़रूरी"})
    assert asked.status_code == 201, asked.json
    approved = made.http["requests"].post(f"/api/v1/requisitions/{asked.json['id']}/approve", headers=admin, json={})
    assert approved.status_code == 200, approved.json
    secretary = {"Authorization": "Bearer " + issue_token(config.jwt_secret, sub="secretary", role="secretary",
                                                          cooperative="SMBSS")}
    waits = made.http["requests"].patch("/api/v1/artisans/ART-0001", headers=secretary,
                                        json={"phone": "+919899999999"})  # a new phone waiting for an admin
    assert waits.status_code == 200 and waits.json["phone_change"], waits.json
    count = made.http["inventory"].post("/api/v1/counts", headers=admin, json={"depot": "VNS"})
    assert count.status_code == 201, count.json
    low = made.http["inventory"].post("/api/v1/movements", headers=admin, json={
        "type": "adjustment", "sku": "DYE-INDIGO", "depot": "VNS", "quantity": "-7", "reason": "damage"})
    assert low.status_code == 201, low.json  # indigo below its reorder level: an alert on the board
    made.settle()
    alerts = made.http["notifier"].get("/api/v1/alerts", headers=admin).json
    assert alerts, "no alert on the board"
    made.ids = {"requisition": asked.json["id"], "count": count.json["count_id"], "alert": alerts[0]["id"]}
    return made


def cases():
    for service in ("inventory", "requests", "notifier"):
        for role in ROLES:
            yield pytest.param(service, role, id=f"{service}-{role}")


def hindi_client(world, service: str, role: str):
    """A test client of `service` reading in Hindi, logged in as `role` (ROLES; "anyone": not logged in)."""
    client = world.http[service].application.test_client()
    client.set_cookie(LANG_COOKIE, "hi")
    if ROLES[role] is not None:
        client.set_cookie(COOKIE, issue_token(world.config.jwt_secret, sub=role, role=role, **ROLES[role]))
    return client


@pytest.mark.parametrize(("service", "role"), list(cases()))
def test_every_page_in_hindi_is_no_500_and_has_no_english_word(world, service, role):
    client = hindi_client(world, service, role)
    found, seen = {}, 0
    for path in paths_of(world.http[service].application, world.ids):
        response = client.get(path, headers={"Accept": "text/html"})
        if response.status_code in (301, 302, 303):
            continue  # to the login page, walked as anyone
        seen += 1
        page = response.get_data(as_text=True)
        problems = [f"status {response.status_code}"] if response.status_code >= 500 else []
        if response.mimetype == "text/html":
            problems += [] if re.search(r'<html lang="hi"', page) else ["not lang=hi"]
            problems += english_in(texts_of(page))
        else:
            problems.append(f"not a page: {response.mimetype}")
        if problems:
            found[path] = problems
    assert found == {}, f"{role} on {service} in Hindi"
    assert seen or role == "anyone"


def test_the_walk_reads_what_a_person_reads_and_finds_english():
    """The reader sees text, titles and labels, skips what is marked as another language or kept as typed."""
    page = ('<html lang="hi"><title>Stock · rawbank</title><p>स्टॉक <b>Depot</b></p><input placeholder="Quantity">'
            '<span lang="en">Cotton yarn</span><bdi translate="no">Approved Traders</bdi><br><code>stock</code>'
            '<script>var x = "Stock";</script><img alt="Cancelled"></html>')
    assert texts_of(page) == ["Stock · rawbank", "स्टॉक", "Depot", "Quantity", "Cancelled"]
    assert english_in(texts_of(page)) == ["Cancelled: 'Cancelled'", "Depot: 'Depot'", "Quantity: 'Quantity'",
                                          "Stock: 'Stock · rawbank'"]


def test_every_route_of_every_service_is_walked(world):
    """No page route is left out for want of a placeholder value, and the walk has the pages people use."""
    walked = {service: paths_of(world.http[service].application, world.ids) for service in world.http}
    assert {"/warehouse/stock/YRN-COT-40", f"/warehouse/counts/{world.ids['count']}/sheet"} <= set(walked["inventory"])
    assert {f"/my/requisitions/{world.ids['requisition']}", "/admin/schemes/RMSS"} <= set(walked["requests"])
    assert "/admin/reports/unmet-demand" in walked["notifier"]
