"""The issue's 'Done when', through the API of `rawbank dev`: the demo RMSS scheme, prices and zones,
an estimate split at the entitlement, approval, a UPI payment, dispatch, the account and the claim."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from shared.calendar import month_of
from tests.conftest import wait_until
from tests.devserver import running_dev
from tests.e2e.test_walking_skeleton import http, login

pytestmark = pytest.mark.e2e
ARTISAN = {"artisan_id": "ART-E2E", "name": "Sunita Devi", "district": "Varanasi", "craft": "cotton weaving",
           "registration_id": "UP-VNS-E2E", "looms": 2, "language": "hi"}


@pytest.fixture(scope="module")
def dev():
    with running_dev() as dev:
        yield dev


def test_seventy_kg_with_ten_subsidised_already_is_priced_paid_dispatched_and_claimed(dev):
    admin, warehouse = login(dev, "admin", "admin123"), login(dev, "warehouse", "warehouse123")
    api = lambda service, path: dev.url(service, f"/api/v1{path}")  # noqa: E731
    assert http("POST", api("requests", "/artisans"), ARTISAN, admin)[0] == 201
    quota = {"category": "yarn", "limit": "50", "per_loom": True, "artisan_id": "ART-E2E"}  # room for 80 kg
    assert http("POST", api("requests", "/quotas"), quota, admin)[0] == 200
    assert http("GET", api("inventory", "/materials/YRN-COT-40"), token=admin)[1]["price"] == "245.50"

    def order(quantity):
        return {"artisan_id": "ART-E2E", "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": quantity}]}
    def priced():
        status, body = http("POST", api("requests", "/requisitions/estimate"), order("1"), admin)
        return status == 200 and body["pricing"]["lines"][0]["unit_price"] == "245.50"
    wait_until(priced, 30, message="requests to learn the demo catalog and prices")
    status, first = http("POST", api("requests", "/requisitions"), order("10"), admin)
    assert status == 201 and first["pricing"]["lines"][0]["subsidised_quantity"] == "10"

    status, estimate = http("POST", api("requests", "/requisitions/estimate"), order("70"), admin)
    [line] = estimate["pricing"]["lines"]
    assert (line["subsidised_quantity"], line["quantity"], line["scheme"]) == ("50", "70", "RMSS")
    assert (line["freight"], line["depot_charge"], estimate["pricing"]["payable_total"]) == \
        ("257.78", "343.70", "15945.23")
    assert [e for e in estimate["entitlements"] if e["category"] == "cotton-hank-upto-40s"][0]["left"] == "50"

    status, req = http("POST", api("requests", "/requisitions"), order("70"), admin)
    assert status == 201
    rid = req["id"]
    assert http("POST", api("requests", f"/requisitions/{rid}/approve"), {}, admin)[0] == 200
    wait_until(lambda: http("GET", api("requests", f"/requisitions/{rid}"), token=admin)[1]["status"] == "reserved",
               20, message="the stock to be set aside")
    locked = http("GET", api("requests", f"/requisitions/{rid}"), token=warehouse)[1]["pricing"]
    assert locked["locked"] and locked["payable_total"] == "15945.23"
    payment = {"amount": "15945.23", "method": "upi", "reference": "UPI-E2E-000123"}
    assert http("POST", api("requests", f"/requisitions/{rid}/payments"), payment, warehouse)[0] == 201
    assert http("POST", api("requests", f"/requisitions/{rid}/payments"), payment, warehouse)[0] == 200  # repeated
    status, dispatched = http("POST", api("requests", f"/requisitions/{rid}/dispatch"), {}, warehouse)
    assert status == 200 and dispatched["status"] == "dispatched"

    account = http("GET", api("requests", "/artisans/ART-E2E/account"), token=admin)[1]
    assert (account["balance_due"], account["overdue"]) == ("0.00", "0.00")
    month = month_of(datetime.now(timezone.utc))
    claim = http("GET", api("requests", f"/reports/subsidy-claims?scheme=RMSS&month={month}"), token=admin)[1]
    [row] = [r for r in claim["rows"] if r["district"] == "Varanasi"]
    assert (row["quantities"]["cotton-hank-upto-40s"], row["subsidy"]) == ("50", "1841.25")
    wait_until(lambda: http("GET", api("inventory", "/stock/VNS/YRN-COT-40"), token=admin)[1]["on_hand"] == "130", 20,
               message="the 70 kg to leave the depot's stock")
