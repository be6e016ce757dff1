"""Fixtures and helpers for the requests service tests (imported by test_requests_*.py)."""
from __future__ import annotations

import sys
import threading

import pytest

from services.requests import consumer, create_app
from shared.envelope import new_event
from shared.errors import Error

MATERIALS = [("YRN-COT-40", "yarn", "kg"), ("YRN-SLK-MUL", "yarn", "kg"), ("DYE-INDIGO", "dye", "kg"),
             ("MTL-BRASS", "metal", "kg")]
DEPOTS = [("VNS", "Varanasi"), ("BHD", "Bhadohi"), ("MZP", "Mirzapur")]


class Client:
    """The requests API through Flask's test client, with a token per call."""

    def __init__(self, app, token):
        self.app, self.http, self.token = app, app.test_client(), token

    @property
    def db(self):
        return self.app.extensions["rawbank"].db

    def call(self, method, path, as_, json=None, headers=None, status=None):
        response = self.http.open(f"/api/v1{path}", method=method, json=json,
                                  headers={**as_, **(headers or {})})
        if status is not None:
            assert response.status_code == status, (response.status_code, response.get_json())
        return response

    def admin(self):
        return self.token("admin", sub="asha-admin")

    def artisan(self, artisan_id):
        return self.token("artisan", sub=f"user-{artisan_id}", artisan_id=artisan_id)

    def secretary(self, cooperative):
        return self.token("secretary", sub=f"sec-{cooperative}", cooperative=cooperative)

    def cooperative(self, code, district="Varanasi", **fields):
        """Register a cooperative (once)."""
        if self.db.cooperatives.find_one({"_id": code}) is None:
            body = {"code": code, "name": f"Cooperative {code}", "name_hi": f"समिति {code}", "kind": "cooperative",
                    "district": district, **fields}
            self.call("POST", "/cooperatives", self.admin(), body, status=201)
        return code

    def register(self, artisan_id, *, looms=1, cooperative="Coop-A", active=True, language="hi"):
        if cooperative:
            self.cooperative(cooperative)
        body = {"artisan_id": artisan_id, "name": f"Artisan {artisan_id}", "district": "Varanasi",
                "craft": "weaving", "phone": "+919800000001", "language": language,
                "cooperative": cooperative, "looms": looms, "registration_id": f"REG-{artisan_id}",
                "active": active}
        return self.call("POST", "/artisans", self.admin(), body, status=201).get_json()

    def submit(self, as_, lines, depot="VNS", status=201, **extra):
        body = {"depot": depot, "lines": [{"sku": s, "quantity": q} for s, q in lines], **extra}
        return self.call("POST", "/requisitions", as_, body, status=status).get_json()

    def act(self, req_id, action, as_, status=200, **body):
        return self.call("POST", f"/requisitions/{req_id}/{action}", as_, body, status=status).get_json()

    def get(self, req_id, as_, status=200):
        return self.call("GET", f"/requisitions/{req_id}", as_, status=status).get_json()

    def pay_in_full(self, req_id):
        """Take in cash what the requisition costs, so its dispatch is within the artisan's credit (none by default)."""
        due = self.get(req_id, self.admin())["pricing"]["payable_total"]
        self.call("POST", f"/requisitions/{req_id}/payments", self.token("warehouse", depot="VNS"),
                  {"amount": due, "method": "cash", "reference": f"CASH-{req_id[:8]}"}, status=201)


def price_payload(sku: str, price: int, set_at: str = "2020-01-01T00:00:00.000Z") -> dict:
    """A MaterialPriced payload: `price` paise per unit from 2020-01-01 on (of two for that day, the one set last)."""
    return {"sku": sku, "price": price, "effective_from": "2020-01-01", "set_at": set_at, "by": "admin"}


#: paise per unit each test material is priced at from the start (a request is approved only at a price); others ₹100
PRICES = {"YRN-COT-40": 24_550, "YRN-SLK-MUL": 4_20_000, "DYE-INDIGO": 2_80_000, "MTL-BRASS": 65_000}


def know_materials(db, materials=MATERIALS):
    """Feed MaterialRegistered and MaterialPriced events to the requests consumer, as inventory would."""
    for sku, category, unit in materials:
        consumer.remember_material(db, new_event("MaterialRegistered", sku, {
            "sku": sku, "name": sku, "name_hi": sku, "category": category, "unit": unit,
            "reorder_level": 0}, source="inventory"))
        consumer.remember_price(db, new_event("MaterialPriced", sku, price_payload(
            sku, PRICES.get(sku, 100_00), set_at="2019-12-01T00:00:00.000Z"), source="inventory"))


def know_depots(db, depots=DEPOTS):
    """Feed DepotRegistered events to the requests consumer, as inventory would."""
    for code, district in depots:
        consumer.remember_depot(db, new_event("DepotRegistered", code, {
            "code": code, "name": f"{district} depot", "district": district, "zone": "plain"}, source="inventory"))


@pytest.fixture
def client(config, token):
    app = create_app(config)
    know_materials(app.extensions["rawbank"].db)
    know_depots(app.extensions["rawbank"].db)
    yield Client(app, token)
    app.extensions["rawbank"].close()


def at_once(*calls):
    """Run the calls in threads started together; each result is its return value or the Error it raised.

    The store's lock is per call, so reads and writes of the threads interleave.
    """
    results, start = [None] * len(calls), threading.Barrier(len(calls))

    def run(i, call):
        start.wait()
        try:
            results[i] = call()
        except Error as exc:
            results[i] = exc
    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so the race really happens
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        sys.setswitchinterval(interval)
    return results
