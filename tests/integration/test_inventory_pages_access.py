"""Every page of the inventory service x every role x own and other depot's objects, as test_access_matrix.py does for
the API and test_requests_pages_access.py for the requests pages (the helpers are pages_access.py's).

What each role may do, from the pages' `@page` roles, the menus (pages.MENU) and services/inventory/README.md: the
depot's pages (/warehouse/..., purchase orders, what to order) are warehouse staff's and admins'; the catalog,
depots, prices and suppliers are admins' only; artisans and secretaries have no inventory page but the public
availability. The warehouse user works at VNS (side A): a page asked for another depot (?depot=BHD) is refused them
(403, naming their own), another depot's count or order is not found (404: not theirs to see, as a requisition of
another depot is in the API), another depot's hand-over slip refused (403 naming its depot, as its gate pass API);
central staff (no depot on their token) choose any depot
as admins do, but are no admins. The world is the demo data (seed.py: VNS and BHD, materials, suppliers, opening
stock), with a count, an order and a held requisition at each depot. A new page fails the completeness test until
it has its row here.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.inventory import consumer, create_app, seed, spec
from shared.config import Config
from shared.envelope import new_event
from shared.runtime import Runtime
from tests.conftest import free_port
from tests.integration.pages_access import as_expected, expect, pages_without_a_row, statuses, tokens_of

SKU = "YRN-COT-40"  # in stock at both demo depots
STAFF = expect(artisan=403, secretary=403)  # a depot's staff (their own depot's) and admins
ADMIN_ONLY = expect(warehouse=403, artisan=403, secretary=403)
OTHER_DEPOT = expect(warehouse=403, artisan=403, secretary=403, central=200)  # ?depot=BHD: refused to VNS's staff
NO_SUCH = expect(admin=404, warehouse=404, artisan=403, secretary=403)  # not found, for those it would be for
NO_SUCH_DEPOT = expect(admin=404, warehouse=403, artisan=403, secretary=403, central=404)  # VNS's staff: not theirs
PAGES = [
    ("/availability", expect(anon=200)),  # public: no login, no figures
    ("/availability?district=Varanasi", expect(anon=200)),
    ("/warehouse/stock", STAFF),
    ("/warehouse/stock?depot=VNS", STAFF),
    ("/warehouse/stock?depot=BHD", OTHER_DEPOT),
    ("/warehouse/stock?depot=NOPE", NO_SUCH_DEPOT),
    (f"/warehouse/stock/{SKU}", STAFF),
    (f"/warehouse/stock/{SKU}?depot=BHD", OTHER_DEPOT),
    ("/warehouse/stock/NO-SUCH-SKU", NO_SUCH),
    ("/warehouse/movements", STAFF),
    ("/warehouse/movements?depot=BHD", OTHER_DEPOT),
    ("/warehouse/lots", STAFF),
    ("/warehouse/lots?depot=BHD", OTHER_DEPOT),
    ("/warehouse/dispatch", STAFF),
    ("/warehouse/dispatch?depot=BHD", OTHER_DEPOT),
    ("/warehouse/dispatch/{own_rid}/slip", STAFF),
    ("/warehouse/dispatch/{other_rid}/slip", OTHER_DEPOT),  # 403 naming its depot, as the gate pass API
    ("/warehouse/dispatch/R-NONE/slip", NO_SUCH),
    ("/warehouse/returns", STAFF),
    ("/warehouse/returns?depot=BHD", OTHER_DEPOT),
    ("/warehouse/ledger", STAFF),
    ("/warehouse/ledger?depot=BHD", OTHER_DEPOT),
    ("/warehouse/counts", STAFF),
    ("/warehouse/counts?depot=BHD", OTHER_DEPOT),
    ("/warehouse/counts/{own_count}", STAFF),
    ("/warehouse/counts/{other_count}", expect(warehouse=404, artisan=403, secretary=403, central=200)),
    ("/warehouse/counts/{own_count}/sheet", STAFF),
    ("/warehouse/counts/{other_count}/sheet", expect(warehouse=404, artisan=403, secretary=403, central=200)),
    ("/warehouse/counts/C-NONE", NO_SUCH),
    ("/admin/purchase-orders", STAFF),  # warehouse staff receive against them: in their menu
    ("/admin/purchase-orders?depot=BHD", OTHER_DEPOT),
    ("/admin/purchase-orders/{own_po}", STAFF),
    ("/admin/purchase-orders/{other_po}", expect(warehouse=404, artisan=403, secretary=403, central=200)),
    ("/admin/purchase-orders/PO-NONE", NO_SUCH),
    ("/admin/replenishment", STAFF),  # "What to order": in their menu; drafting orders from it is the admins'
    ("/admin/replenishment?depot=BHD", OTHER_DEPOT),
    ("/admin/suppliers", ADMIN_ONLY),
    ("/admin/suppliers/SRM", ADMIN_ONLY),
    ("/admin/suppliers/NOPE", expect(warehouse=403, artisan=403, secretary=403, admin=404)),
    ("/admin/catalog", ADMIN_ONLY),
    ("/admin/depots/VNS", ADMIN_ONLY),  # the warehouse user's own depot too: changing a depot is the admins'
    ("/admin/depots/BHD", ADMIN_ONLY),
    ("/admin/depots/NOPE", expect(warehouse=403, artisan=403, secretary=403, admin=404)),
    ("/admin/prices", ADMIN_ONLY),
]


def event(type_, key, payload):
    return new_event(type_, key, payload, source="test")


@pytest.fixture(scope="module")
def world():
    """The inventory service on the demo data, with a count, an order and a held requisition at each depot, and a
    token per role. The pages only read: one world serves every row."""
    config = Config.from_env({}, kafka_bootstrap_servers=f"127.0.0.1:{free_port()}")  # nothing is published
    runtime = Runtime(spec(), config)
    seed.seed(runtime.db, config)
    app = create_app(config, runtime)
    secret = config.jwt_secret
    tokens = tokens_of(secret)
    api = app.test_client()

    def call(path, body):
        response = api.post(f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {tokens['admin']}"})
        assert response.status_code < 300, (path, response.status_code, response.get_json())
        return response.get_json()
    objects = {}
    for side, depot in (("own", "VNS"), ("other", "BHD")):
        objects[f"{side}_count"] = call("/counts", {"depot": depot})["count_id"]
        objects[f"{side}_po"] = call("/purchase-orders", {
            "supplier": "SRM", "depot": depot, "expected_on": (date.today() + timedelta(days=30)).isoformat(),
            "lines": [{"sku": SKU, "quantity": "5", "price": "245.50"}]})["purchase_order"]
        objects[f"{side}_rid"] = rid = f"R-{depot}"
        consumer.make_handler(runtime.db, config)(event("RequisitionApproved", rid, {
            "requisition_id": rid, "artisan_id": "ART-A", "depot": depot, "lines": [{"sku": SKU, "quantity": 1000}],
            "by": "adm"}))
    yield {"app": app, "tokens": tokens, "objects": objects}
    runtime.close()


@pytest.mark.parametrize("path,expected", PAGES, ids=[path for path, _ in PAGES])
def test_page_access(world, path, expected):
    found = statuses(world["app"], world["tokens"], path.format(**world["objects"]))
    assert found == as_expected(expected, found)


def test_every_page_has_a_row(world):
    """A page (a GET outside /api/ and /static/, not open to all) that no row opens fails here."""
    assert not pages_without_a_row(world["app"], [path for path, _ in PAGES])
