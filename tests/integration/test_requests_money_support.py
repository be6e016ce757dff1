"""Helpers for the money tests: the RMSS scheme, prices and a depot's zone, as inventory would send them."""
from __future__ import annotations

from services.requests import consumer
from shared.envelope import new_event
from tests.integration.test_requests_support import price_payload

COTTON, SILK, DYE = "YRN-COT-40", "YRN-SLK-MUL", "DYE-INDIGO"
RMSS = {"code": "RMSS", "name": "Raw Material Supply Scheme", "name_hi": "कच्चा माल आपूर्ति योजना",
        "subsidy_percent": "15", "depot_charge_percent": "2", "freight_percent": {"plain": "1.5", "hill": "4"},
        "caps": [{"category": "cotton-hank-upto-40s", "per_loom_per_month": "30"},
                 {"category": "silk-domestic", "per_loom_per_month": "4"}],
        "valid_from": "2021-04-01", "valid_to": None}


def inventory_says(db, type_, key, payload):
    consumer.make_handler(db, None)(new_event(type_, key, payload, source="inventory"))


def priced_catalog(db, prices=None):
    """Cotton (class cotton-hank-upto-40s) at ₹245.50/kg, silk (silk-domestic) at ₹4,200/kg, dye unclassed;
    depot VNS in Varanasi (plain), HIL in the hills."""
    classes = {COTTON: "cotton-hank-upto-40s", SILK: "silk-domestic", DYE: None}
    for sku, cls in classes.items():
        inventory_says(db, "MaterialRegistered", sku, {"sku": sku, "name": sku, "name_hi": sku, "unit": "kg",
                                                        "category": "dye" if sku == DYE else "yarn",
                                                        "reorder_level": 0, "entitlement_class": cls})
    for sku, price in (prices or {COTTON: 24_550, SILK: 4_20_000, DYE: 2_80_000}).items():
        inventory_says(db, "MaterialPriced", sku, price_payload(sku, price))
    for code, zone in (("VNS", "plain"), ("HIL", "hill")):
        inventory_says(db, "DepotRegistered", code, {"code": code, "name": code, "district": "Varanasi", "zone": zone})


def reserved(db, rid):
    """Inventory's answer that every line of the requisition is held."""
    doc = db.requisitions.find_one({"_id": rid})
    lines = [{"sku": line["sku"], "quantity": line["quantity"]} for line in doc["lines"]]
    inventory_says(db, "StockReserved", rid, {"requisition_id": rid, "depot": doc["depot"], "lines": lines})


def scheme(client, **changes):
    return client.call("POST", "/schemes", client.admin(), {**RMSS, **changes}, status=201).get_json()


def ready(client, as_, lines, depot="VNS"):
    """Submit, approve and hold a requisition: ready to pay for and dispatch."""
    rid = client.submit(as_, lines, depot=depot)["id"]
    client.act(rid, "approve", client.admin())
    reserved(client.db, rid)
    return rid


def pay(client, rid, amount, method="upi", reference=None, status=201, as_=None):
    body = {"amount": amount, "method": method, "reference": reference or f"UTR-{rid[:6]}-{amount}-{method}"}
    return client.call("POST", f"/requisitions/{rid}/payments", as_ or client.token("warehouse", depot="VNS"), body,
                       status=status).get_json()
