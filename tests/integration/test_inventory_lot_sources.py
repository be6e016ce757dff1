"""The stock card's lots say where each came from, to trace a bad lot: the day it was received, its mill, the
supplier(s) and order(s) of its receipts, on the page in both languages and in GET /stock/{depot}/{sku}."""
from __future__ import annotations

import re

import pytest

from services.inventory import create_app, movements, purchase_orders, spec, suppliers
from shared.auth import COOKIE, issue_token
from shared.i18n import LANG_COOKIE
from shared.runtime import Runtime
from tests.integration.test_inventory_support import seed_catalog

API = "/api/v1"


@pytest.fixture
def runtime(config):
    runtime = Runtime(spec(), config)
    seed_catalog(runtime.db)
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-31",
                                                 "lines": [{"sku": "YRN", "quantity": 50_000, "price": 24_550}]},
                                    by="adm")["purchase_order"]
    purchase_orders.send(runtime.db, number, by="adm")
    runtime.order = number
    label = {"code": "A1", "shade": "red", "mill": "Salem Spinning"}
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 20_000,
                                           "purchase_order": number, "lot": label}, by="clerk")
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 5_000,
                                           "supplier": "Bharat Traders", "lot": label}, by="clerk")  # more of A1
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 3_000,
                                           "supplier": "Kashi Yarns", "lot": {"code": "B1"}}, by="clerk")
    yield runtime
    runtime.close()


@pytest.fixture
def client(config, runtime):
    return create_app(config, runtime).test_client()


def page(config, client, path, lang="en"):
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="warehouse", role="warehouse", depot="VNS"))
    client.set_cookie(LANG_COOKIE, lang)
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def lot_row(html: str, code: str) -> str:
    table = re.search(r'id="lots".*?</table>', html, re.S).group(0)
    return re.search(rf'<tr data-lot="{code}">.*?</tr>', table, re.S).group(0)


def test_the_stock_cards_lots_name_the_mill_supplier_order_and_day_of_their_receipts(config, client, runtime):
    html = page(config, client, "/warehouse/stock/YRN")
    assert "<th>Received</th><th>Mill and supplier</th>" in html
    one, two = lot_row(html, "B1"), lot_row(html, "A1")
    assert 'data-source="supplier">Supplier: <bdi translate="no">Kashi Yarns</bdi><' in one
    assert "receipts" not in one and "data-source=\"purchase_order\"" not in one and 'data-source="mill"' not in one
    assert re.search(r'data-source="received">\d{1,2} \w{3} \d{4}, \d{1,2}:\d\d [AP]M IST', one)
    # two receipts into A1: the order's supplier by name, linked order, then the second's supplier, as typed
    assert 'data-source="mill">Mill: <bdi translate="no">Salem Spinning</bdi><' in two
    suppliers_named = re.findall(r'data-source="supplier">Supplier: <bdi translate="no">([^<]+)</bdi>', two)
    assert suppliers_named == ["Sri Ram Mills", "Bharat Traders"]
    assert f'href="/admin/purchase-orders/{runtime.order}" translate="no">{runtime.order}</a>' in two
    assert re.search(r"2 receipts, the last \d{1,2} \w{3} \d{4}", two)

    hindi = lot_row(page(config, client, "/warehouse/stock/YRN", lang="hi"), "A1")
    assert 'आपूर्तिकर्ता: <bdi translate="no">Sri Ram Mills</bdi>' in hindi and "मिल: " in hindi
    assert "2 प्राप्तियाँ, आख़िरी" in hindi and "receipts" not in hindi


def test_the_stock_api_gives_each_lots_receipts_suppliers_and_orders(client, runtime, token):
    answer = client.get(f"{API}/stock/VNS/YRN", headers=token("warehouse", depot="VNS"))
    assert answer.status_code == 200
    lots = {lot["lot"]: lot for lot in answer.json["lots"]}
    a1, b1 = lots["A1"], lots["B1"]
    assert (a1["supplier"], a1["purchase_order"], a1["mill"]) == ("MILL", runtime.order, "Salem Spinning")
    assert (a1["receipts"], a1["suppliers"], a1["purchase_orders"]) == (2, ["MILL", "Bharat Traders"],
                                                                        [runtime.order])
    assert a1["last_received_at"].endswith("+00:00") and a1["received_at"]
    assert (b1["receipts"], b1["suppliers"], b1["purchase_orders"]) == (1, ["Kashi Yarns"], [])
    schema = client.get(f"{API}/openapi.json").json["components"]["schemas"]["StockLot"]["properties"]
    assert {"receipts", "suppliers", "purchase_orders", "last_received_at"} <= set(schema)
