"""Every inventory list pages by `?page=N` (with `limit`) as well as by `?after=<X-Next-Cursor>`, never both."""
from __future__ import annotations

import pytest

from services.inventory import catalog, counts, create_app, ledger, movements, purchase_orders, suppliers
from services.inventory.consumer import make_handler
from tests.integration.test_inventory_support import dated_receipt, requisition, runtime  # noqa: F401

API = "/api/v1"
# list, the field that names an item
LISTS = [("/depots", "code"), ("/materials", "sku"), ("/stock", "sku"), ("/stock?depot=VNS", "sku"),
         ("/depots/VNS/stock", "sku"), ("/movements", "movement_id"), ("/suppliers", "code"),
         ("/purchase-orders", "purchase_order"), ("/counts", "count_id"), ("/replenishment?depot=VNS", "sku")]


@pytest.fixture
def client(config, runtime):
    db = runtime.db
    catalog.register_depot(db, {"code": "AGR", "name": "AGR depot", "district": "AGR"})
    for depot in ("VNS", "BHD"):
        for sku in ("YRN", "DYE", "BRS"):
            movements.record_movement(db, dated_receipt({"type": "receipt", "sku": sku, "depot": depot,
                                                         "quantity": 1_000}), by="t")  # the dye's lot: dated
    make_handler(db, config)(requisition("RequisitionApproved", "R1", [("YRN", 99_000)]))  # waits: on replenishment
    for code in ("MILL-A", "MILL-B", "MILL-C"):
        suppliers.register(db, {"code": code, "name": code, "district": "Salem"})
    for depot in ("VNS", "BHD", "VNS"):
        purchase_orders.create(db, {"supplier": "MILL-A", "depot": depot, "expected_on": "2099-01-31",
                                    "lines": [{"sku": "YRN", "quantity": 1_000, "price": 100}]}, by="t")
        counts.start(db, depot, by="t")
    ledger.project_pending(db)
    return create_app(config, runtime).test_client()


@pytest.fixture
def get(client, token):
    def call(path, status=200, lang="en"):
        response = client.get(f"{API}{path}", headers={**token("admin"), "Accept-Language": lang})
        assert response.status_code == status, (path, response.get_json())
        return response
    return call


def joined(path: str, **args) -> str:
    return path + ("&" if "?" in path else "?") + "&".join(f"{k}={v}" for k, v in args.items())


@pytest.mark.parametrize("path, key", LISTS)
def test_page_n_gives_the_same_items_as_the_cursor_in_the_same_order(get, path, key):
    everything = [item[key] for item in get(joined(path, limit=200)).get_json()]
    assert len(everything) >= 3, everything
    by_page, number = [], 1
    while True:
        answer = get(joined(path, limit=2, page=number))
        items = [item[key] for item in answer.get_json()]
        more = len(everything) > number * 2
        assert ("X-Next-Cursor" in answer.headers) == more, (number, answer.headers)
        if more:  # the cursor of a page by number goes on where the page ended
            after = get(joined(path, limit=2, after=answer.headers["X-Next-Cursor"])).get_json()
            assert [item[key] for item in after] == everything[number * 2:number * 2 + 2]
        by_page += items
        if not more:
            break
        number += 1
    assert by_page == everything
    assert get(joined(path, limit=2, page=number + 5)).get_json() == []  # past the end: an empty page


@pytest.mark.parametrize("path, key", LISTS)
def test_page_and_after_together_are_refused_in_both_languages(get, path, key):
    for lang in ("en", "hi"):
        error = get(joined(path, page=2, after="x"), status=400, lang=lang).get_json()["error"]
        assert set(error) == {"code", "message", "details"} and error["code"] == "validation_error"
        assert "page" in error["details"]
    hindi = get(joined(path, page=2, after="x"), status=400, lang="hi").get_json()["error"]["details"]["page"][0]
    assert any("\u0900" <= ch <= "\u097f" for ch in hindi)
    for bad in ("0", "-1", "x", "1.5"):
        assert get(joined(path, page=bad), status=400).get_json()["error"]["code"] == "validation_error"


def test_the_openapi_document_shows_page_on_every_list(get):
    spec = get("/openapi.json").get_json()
    for path in {p.split("?")[0].replace("/VNS/", "/{code}/") for p, _ in LISTS}:
        parameters = {p["name"] for p in spec["paths"][f"{API}{path}"]["get"]["parameters"] if p["in"] == "query"}
        assert {"page", "after", "limit"} <= parameters, path


@pytest.mark.parametrize("path", ["/depots", "/materials", "/depots/VNS/stock", "/suppliers", "/counts"])
def test_a_list_without_an_export_refuses_csv_instead_of_ignoring_it(get, path):
    error = get(joined(path, format="csv"), status=400).get_json()["error"]
    assert error["code"] == "validation_error" and "format" in error["details"]
    assert get(joined(path, format="json")).mimetype == "application/json"
