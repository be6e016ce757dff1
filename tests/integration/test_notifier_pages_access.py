"""Every page of the notifier service x every role x own and other depot's, as test_access_matrix.py does for the API
and test_requests_pages_access.py for the requests pages (the helpers are pages_access.py's).

What each role may do, from the pages' `@page` roles, the menus (pages.MENU, report_pages.MENU) and the README: the
alert board is admins' and warehouse staff's, a depot's staff seeing their own depot's only (another asked, ?depot=,
is refused: 403, naming theirs; one alert's page of another depot's alert is not found, 404, as in the API); central
staff (no depot on their token) choose any depot as admins do; the department's reports are admins' only;
notifications are artisans' (their own) and secretaries' (their members').
The world is fed by the notifier's own consumer with the events of side A (VNS, ART-A of Coop-A) and side B (BHD,
ART-B of Coop-B): depots, artisans, a requisition each and a low-stock alert at each depot (a row's {VNS} or {BHD}:
its id). A new page fails the completeness test until it has its row here.
"""
from __future__ import annotations

import pytest

from services.notifier import consumer, create_app, spec
from shared.config import Config
from shared.envelope import new_event
from shared.runtime import Runtime
from tests.conftest import free_port
from tests.integration.pages_access import as_expected, expect, pages_without_a_row, statuses, tokens_of

STAFF = expect(artisan=403, secretary=403)  # admins, and a depot's staff their own depot's
ADMIN_ONLY = expect(warehouse=403, artisan=403, secretary=403)
OTHER_DEPOT = expect(warehouse=403, artisan=403, secretary=403, central=200)
PEOPLE = expect(admin=403, warehouse=403)  # artisans and the secretaries acting for their members
PAGES = [
    ("/admin/alerts", STAFF),
    ("/admin/alerts?status=resolved", STAFF),
    ("/admin/alerts?depot=VNS", STAFF),
    ("/admin/alerts?depot=BHD", OTHER_DEPOT),
    ("/admin/alerts?depot=NOPE", expect(admin=404, warehouse=403, artisan=403, secretary=403, central=404)),
    # one alert (where an e-mail leads), by its depot's alert: another depot's is not found (as in the API)
    ("/admin/alerts/{VNS}", STAFF),
    ("/admin/alerts/{BHD}", expect(warehouse=404, artisan=403, secretary=403, central=200)),
    ("/admin/alerts/no-such-alert", expect(admin=404, warehouse=404, artisan=403, secretary=403)),
    ("/admin/reports/distribution", ADMIN_ONLY),
    ("/admin/reports/distribution?group_by=cooperative", ADMIN_ONLY),
    ("/admin/reports/beneficiaries", ADMIN_ONLY),
    ("/admin/reports/unmet-demand", ADMIN_ONLY),
    ("/admin/reports/cooperatives", ADMIN_ONLY),
    ("/admin/reports/no-such-report", expect(anon=404, admin=404, warehouse=404, artisan=404, secretary=404)),
    ("/my/notifications", PEOPLE),
]


def event(type_, key, payload):
    return new_event(type_, key, payload, source="test")


@pytest.fixture(scope="module")
def world():
    """The notifier with side A's and side B's depots, artisans, requisitions and alerts, and a token per role. The
    pages only read: one world serves every row."""
    config = Config.from_env({}, kafka_bootstrap_servers=f"127.0.0.1:{free_port()}")  # nothing is published
    runtime = Runtime(spec(), config)
    handle = consumer.make_handler(runtime.db, config)
    for side, depot in (("A", "VNS"), ("B", "BHD")):
        rid = f"R-{depot}"
        handle(event("DepotRegistered", depot, {"code": depot, "name": depot, "district": depot}))
        handle(event("ArtisanRegistered", f"ART-{side}", {"artisan_id": f"ART-{side}", "name": side, "district": depot,
                                                          "language": "hi", "cooperative": f"Coop-{side}"}))
        handle(event("RequisitionSubmitted", rid, {"requisition_id": rid, "artisan_id": f"ART-{side}", "depot": depot,
                                                   "lines": [{"sku": "YRN-COT-40", "quantity": 1000}], "by": "adm",
                                                   "note": ""}))
        handle(event("StockLow", f"{depot}/YRN-COT-40", {"sku": "YRN-COT-40", "depot": depot, "available": 1000,
                                                         "reorder_level": 50_000}))
    ids = {doc["depot"]: doc["_id"] for doc in runtime.db.alerts.find()}
    assert set(ids) == {"VNS", "BHD"}
    secret = config.jwt_secret
    tokens = tokens_of(secret)
    yield {"app": create_app(config, runtime), "tokens": tokens, "alerts": ids}
    runtime.close()


@pytest.mark.parametrize("path,expected", PAGES, ids=[path for path, _ in PAGES])
def test_page_access(world, path, expected):
    found = statuses(world["app"], world["tokens"], path.format(**world["alerts"]))
    assert found == as_expected(expected, found)


def test_every_page_has_a_row(world):
    """A page (a GET outside /api/ and /static/, not open to all) that no row opens fails here."""
    assert not pages_without_a_row(world["app"], [path for path, _ in PAGES])
