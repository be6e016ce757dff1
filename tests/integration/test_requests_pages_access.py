"""Every page of the requests service x every role x own and other's objects, as test_access_matrix.py does for
the API: who sees it (200), who logs in first (302), whose role it is not for (403), whose it is not (404).

Side A (depot VNS, ART-A in Coop-A) is the warehouse user's, the artisan's and the secretary's; side B (depot
BHD, ART-B in Coop-B) is someone else's. A new page fails the completeness test until it has its row here.
"""
from __future__ import annotations

import re

import pytest

from shared.auth import COOKIE
from tests.integration.test_requests_money_support import scheme
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

ROLES = ("anon", "admin", "warehouse", "artisan", "secretary")


def expect(anon=302, admin=200, warehouse=200, artisan=200, secretary=200) -> dict:
    return {"anon": anon, "admin": admin, "warehouse": warehouse, "artisan": artisan, "secretary": secretary}


ADMIN_ONLY = expect(warehouse=403, artisan=403, secretary=403)
ARTISAN_ONLY = expect(admin=403, warehouse=403, secretary=403)
PAGES = [
    ("/my", expect(admin=403, warehouse=403)),
    ("/my/new", ARTISAN_ONLY),
    ("/my/estimate", ARTISAN_ONLY),
    ("/my/account", ARTISAN_ONLY),
    ("/my/passbook", ARTISAN_ONLY),
    ("/my/requisitions/{own}", expect()),
    ("/my/requisitions/{other}", expect(warehouse=404, artisan=404, secretary=404)),
    ("/requisitions/{own}/receipt", expect()),
    ("/requisitions/{other}/receipt", expect(warehouse=404, artisan=404, secretary=404)),
    ("/admin/approvals", ADMIN_ONLY),
    ("/admin/quotas", ADMIN_ONLY),
    ("/admin/artisans", expect(warehouse=403, artisan=403)),
    ("/admin/artisans/ART-A", expect(warehouse=403, artisan=403)),
    ("/admin/artisans/ART-B", expect(warehouse=403, artisan=403, secretary=404)),
    ("/admin/cooperatives", ADMIN_ONLY),
    ("/admin/cooperatives/Coop-A", ADMIN_ONLY),  # a secretary's own too: registering and changing is the admins'
    ("/admin/cooperatives/Coop-B", ADMIN_ONLY),
    ("/passbook/ART-A", expect(artisan=403)),
    ("/passbook/ART-B", expect(artisan=403, secretary=404)),
    ("/passbook/ART-B?year=2025-26", expect(artisan=403, secretary=404)),
    ("/my/passbook?year=2025-26", ARTISAN_ONLY),
    ("/coop/new", expect(admin=403, warehouse=403, artisan=403)),
    ("/accounts", expect(warehouse=403, artisan=403)),
    ("/accounts/ART-A", expect()),
    ("/accounts/ART-B", expect(artisan=404, secretary=404)),
    ("/admin/schemes", ADMIN_ONLY),
    ("/admin/schemes/RMSS", ADMIN_ONLY),
    ("/admin/claims", ADMIN_ONLY),
    ("/admin/claims?year=2021-22", ADMIN_ONLY),  # a year the demo scheme ran in (from April 2021)
    ("/admin/collections", expect(artisan=403, secretary=403)),  # warehouse staff: their own depot's
    ("/admin/collections?depot=BHD", ADMIN_ONLY),
    ("/admin/users", ADMIN_ONLY),
    ("/password", expect()),  # Change my password: everyone logged in
]
OPEN = {"/", "/login", "/healthz", "/readyz", "/metrics", "/favicon.ico", "/needs-script"}  # no login needed


@pytest.fixture
def world(client, token):
    client.register("ART-A", cooperative="Coop-A")
    client.register("ART-B", cooperative="Coop-B")
    scheme(client)
    own = client.submit(client.artisan("ART-A"), [("DYE-INDIGO", "1")])["id"]
    other = client.submit(client.artisan("ART-B"), [("DYE-INDIGO", "1")], depot="BHD")["id"]
    tokens = {"admin": client.admin(), "warehouse": token("warehouse", sub="ravi-store", depot="VNS"),
              "artisan": client.artisan("ART-A"), "secretary": client.secretary("Coop-A")}
    return {"client": client, "own": own, "other": other, "tokens": tokens}


@pytest.mark.parametrize("path,expected", PAGES, ids=[path for path, _ in PAGES])
def test_page_access(world, path, expected):
    found = {}
    for role in ROLES:
        browser = world["client"].app.test_client()
        if role != "anon":
            browser.set_cookie(COOKIE, world["tokens"][role]["Authorization"].split()[1])
        found[role] = browser.get(path.format(own=world["own"], other=world["other"])).status_code
    assert found == expected


def test_every_page_has_a_row(world):
    """A page (a GET outside /api/ and /static/) that no row opens fails here."""
    missing = []
    for rule in world["client"].app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static/")) or rule.rule in OPEN:
            continue
        pattern = re.compile("^" + re.sub(r"<[^>]+>", "[^/]+", rule.rule) + "$")
        if not any(pattern.match(path) for path, _ in PAGES):
            missing.append(rule.rule)
    assert not missing
