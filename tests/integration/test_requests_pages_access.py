"""Every page of the requests service x every role x own and other's objects, as test_access_matrix.py does for
the API: who sees it (200), who logs in first (302), whose role it is not for (403), whose it is not (404). The
roles, the rows' form and the completeness check are pages_access.py's, shared with the inventory's and
the notifier's pages.

Side A (depot VNS, ART-A in Coop-A) is the warehouse user's, the artisan's and the secretary's; side B (depot
BHD, ART-B in Coop-B) is someone else's. A new page fails the completeness test until it has its row here.
"""
from __future__ import annotations

import pytest

from tests.integration.pages_access import as_expected, expect, pages_without_a_row, statuses
from tests.integration.test_requests_money_support import scheme
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

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


@pytest.fixture
def world(client, token):
    client.register("ART-A", cooperative="Coop-A")
    client.register("ART-B", cooperative="Coop-B")
    scheme(client)
    own = client.submit(client.artisan("ART-A"), [("DYE-INDIGO", "1")])["id"]
    other = client.submit(client.artisan("ART-B"), [("DYE-INDIGO", "1")], depot="BHD")["id"]
    headers = {"admin": client.admin(), "warehouse": token("warehouse", sub="ravi-store", depot="VNS"),
               "artisan": client.artisan("ART-A"), "secretary": client.secretary("Coop-A")}
    tokens = {role: header["Authorization"].split()[1] for role, header in headers.items()}
    return {"client": client, "own": own, "other": other, "tokens": tokens}


@pytest.mark.parametrize("path,expected", PAGES, ids=[path for path, _ in PAGES])
def test_page_access(world, path, expected):
    found = statuses(world["client"].app, world["tokens"], path.format(own=world["own"], other=world["other"]))
    assert found == as_expected(expected, found)


def test_every_page_has_a_row(world):
    """A page (a GET outside /api/ and /static/) that no row opens fails here."""
    assert not pages_without_a_row(world["client"].app, [path for path, _ in PAGES])
