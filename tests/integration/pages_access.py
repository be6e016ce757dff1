"""What the page access matrices share (test_requests_pages_access.py, test_inventory_pages_access.py,
test_notifier_pages_access.py), as test_access_matrix.py is for the API: a row per page (an address, with its
own and another's objects filled in) and per role what GETting it answers, written from what the pages' code, menus
and docs say each role may do: 200 (the page), 302 (log in first: to the login page, and back), 403 (not for this
role, or another depot's for a depot's staff), 404 (not found, or not this person's). A page route no row opens fails
the service's completeness test (`pages_without_a_row`) until its row is written.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from shared.auth import COOKIE, issue_token

#: who asks: nobody logged in, then one of each role (the warehouse user works at one depot, side A's)
ROLES = ("anon", "admin", "warehouse", "artisan", "secretary")
#: warehouse staff with no depot on their token (central staff): they choose the depot on the pages as admins do
CENTRAL = "central"
#: pages anyone opens without logging in, and what the services answer for their running (no row needed)
OPEN = {"/", "/login", "/healthz", "/readyz", "/metrics", "/favicon.ico", "/needs-script"}


def tokens_of(secret: str) -> dict[str, str]:
    """A token per role the matrices ask as: an admin, VNS's warehouse staff, an artisan, a secretary, and central
    warehouse staff (no depot on their token)."""
    return {"admin": issue_token(secret, sub="adm", role="admin"),
            "warehouse": issue_token(secret, sub="ravi-store", role="warehouse", depot="VNS"),
            "artisan": issue_token(secret, sub="art", role="artisan", artisan_id="ART-A"),
            "secretary": issue_token(secret, sub="sec", role="secretary", cooperative="Coop-A"),
            CENTRAL: issue_token(secret, sub="central-store", role="warehouse")}

def expect(anon=302, admin=200, warehouse=200, artisan=200, secretary=200, central=None) -> dict:
    """A row's expected status per role; central staff answer as the warehouse user unless said (they differ where
    a page is another depot's: refused to a depot's staff, chosen by central staff)."""
    return {"anon": anon, "admin": admin, "warehouse": warehouse, "artisan": artisan, "secretary": secretary,
            CENTRAL: warehouse if central is None else central}


def statuses(app, tokens: dict[str, str], path: str) -> dict:
    """What GET `path` answers each role: nobody logged in, then each of `tokens` (role -> token) in its login
    cookie, each in a browser of its own. A redirect is not followed; one to anywhere but the login page (with the
    page to come back to) is reported with where it went, so it never passes for "log in first"."""
    found = {}
    for role in ("anon", *tokens):
        browser = app.test_client()
        if role != "anon":
            browser.set_cookie(COOKIE, tokens[role])
        response = browser.get(path)
        found[role] = response.status_code
        if response.status_code == 302 and not _to_login(response.headers["Location"]):
            found[role] = f"302 to {response.headers['Location']}"
    return found


def _to_login(location: str) -> bool:
    address = urlsplit(location)
    return address.path == "/login" and address.query.startswith("next=")


def as_expected(expected: dict, found: dict) -> dict:
    """The row's expectations for the roles asked (a matrix without central staff asks five)."""
    return {role: expected[role] for role in found}


def pages_without_a_row(app, paths, open_=OPEN) -> list[str]:
    """The app's page routes (a GET outside /api/ and /static/, not open to all) that no row's address matches."""
    missing = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static/")) or rule.rule in open_:
            continue
        pattern = re.compile("^" + re.sub(r"<[^>]+>", "[^/]+", rule.rule) + "$")
        if not any(pattern.match(path.split("?")[0]) for path in paths):
            missing.append(rule.rule)
    return missing
