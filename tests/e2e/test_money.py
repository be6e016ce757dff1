"""The issue's 'Done when', through the API of `rawbank dev`: the demo RMSS scheme, prices and zones,
an estimate split at the entitlement, approval, a UPI payment, dispatch, the account and the claim."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from shared.calendar import month_of
from tests.conftest import wait_until
from tests.devserver import ROOT, running_dev
from tests.e2e.test_walking_skeleton import http, login

pytestmark = pytest.mark.e2e
SECRET = "e2e-money-" * 8  # the services' secret, so that `rawbank reconcile` below signs its admin token with it
ARTISAN = {"artisan_id": "ART-E2E", "name": "Sunita Devi", "district": "Varanasi", "craft": "cotton weaving",
           "registration_id": "UP-VNS-E2E", "looms": 2, "language": "hi"}


@pytest.fixture(scope="module")
def dev():
    with running_dev(settings={"RAWBANK_JWT_SECRET": SECRET}) as dev:
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


def test_a_return_through_the_api_reaches_the_shelf_the_account_the_claim_and_the_artisan(dev):
    """The return's whole path across the three services of `rawbank dev`: depot staff take back 5 of 20 kg handed
    over and paid for; requests credits the artisan and corrects the claim, inventory puts the 5 kg back on the
    shelf, the notifier tells the artisan, and `rawbank reconcile --via-api` finds every service's totals agree."""
    admin, warehouse = login(dev, "admin", "admin123"), login(dev, "warehouse", "warehouse123")
    api = lambda service, path: dev.url(service, f"/api/v1{path}")  # noqa: E731
    person = {**ARTISAN, "artisan_id": "ART-E2E-RET", "registration_id": "UP-VNS-E2E-RET", "name": "Kamla Devi"}
    assert http("POST", api("requests", "/artisans"), person, admin)[0] == 201
    login_of = {"username": "kamla", "password": "kamla's long passphrase", "role": "artisan",
                "artisan_id": person["artisan_id"]}
    assert http("POST", api("requests", "/users"), login_of, admin)[0] == 201
    artisan = login(dev, "kamla", "kamla's long passphrase")
    order = {"artisan_id": person["artisan_id"], "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "20"}]}
    wait_until(lambda: http("POST", api("requests", "/requisitions/estimate"), order, admin)[0] == 200, 30,
               message="requests to learn the demo catalog and prices")
    status, req = http("POST", api("requests", "/requisitions"), order, admin)
    assert status == 201, req
    rid = req["id"]
    assert http("POST", api("requests", f"/requisitions/{rid}/approve"), {}, admin)[0] == 200
    wait_until(lambda: http("GET", api("requests", f"/requisitions/{rid}"), token=admin)[1]["status"] == "reserved",
               20, message="the stock to be set aside")
    before = http("GET", api("inventory", "/stock/VNS/YRN-COT-40"), token=admin)[1]["on_hand"]
    paid = http("GET", api("requests", f"/requisitions/{rid}"), token=warehouse)[1]["pricing"]["payable_total"]
    payment = {"amount": paid, "method": "cash", "reference": "CASH-E2E-RET-1"}
    assert http("POST", api("requests", f"/requisitions/{rid}/payments"), payment, warehouse)[0] == 201
    status, dispatched = http("POST", api("requests", f"/requisitions/{rid}/dispatch"), {}, warehouse)
    assert status == 200, dispatched
    handed = float(before) - 20
    wait_until(lambda: float(http("GET", api("inventory", "/stock/VNS/YRN-COT-40"), token=admin)[1]["on_hand"])
               == handed, 20, message="the 20 kg to leave the depot's stock")
    back = {"lines": [{"sku": "YRN-COT-40", "quantity": "5", "condition": "restock"}], "reason": "wrong shade"}
    status, made = http("POST", api("requests", f"/requisitions/{rid}/returns"), back, warehouse)
    assert status == 201, made
    assert abs(float(made["credit"]) - float(paid) / 4) <= 0.01  # a quarter of what was charged (and paid)
    account = http("GET", api("requests", f"/artisans/{person['artisan_id']}/account"), token=admin)[1]
    assert (account["balance_due"], account["credit"]) == (f"-{made['credit']}", made["credit"])  # paid: credit
    wait_until(lambda: float(http("GET", api("inventory", "/stock/VNS/YRN-COT-40"), token=admin)[1]["on_hand"])
               == handed + 5, 20, message="the 5 kg back on the depot's shelf")
    status, listed = http("GET", api("inventory", "/returns?depot=VNS"), token=warehouse)
    assert status == 200 and rid in str(listed)

    def told():
        status, notes = http("GET", api("notifier", "/notifications"), token=artisan)
        return status == 200 and [n for n in notes if n["requisition_id"] == rid and n["status"] == "return_credited"]
    [note] = wait_until(told, 20, message="the artisan to be told of the credit")
    assert made["credit"].split(".")[0] in note["text"].replace(",", "")

    month = month_of(datetime.now(timezone.utc))
    claim = http("GET", api("requests", f"/reports/subsidy-claims?scheme=RMSS&month={month}"), token=admin)[1]
    assert [c for c in claim["corrections"] if c["district"] == "Varanasi"]
    from tests.e2e.test_durable_runtime import rawbank

    said = []

    def clean():
        urls = [f"--{name}-url={dev.url(name, '').rstrip('/')}" for name in ("inventory", "requests", "notifier")]
        result = rawbank("reconcile", "--via-api", "--no-dlq", *urls, cwd=ROOT, RAWBANK_JWT_SECRET=SECRET)
        said[:] = [result.stdout + result.stderr]
        return result.returncode == 0 and "verdict: CLEAN" in result.stdout
    wait_until(clean, 60, message=lambda: f"reconcile --via-api clean after the return; it said: {said}")


def test_a_members_reported_shortfall_settled_through_the_api_is_credited_everywhere_and_moves_no_stock(dev):
    """A cooperative's request across the three services of `rawbank dev`: handed over, the demo member ART-0001
    answers they received 3 of 4 kg; the depot settles the missing kilogram (a return line `short`): requests credits
    the member, inventory lists it without putting anything on the shelf, the notifier tells the member it did not
    reach them and is credited, and `rawbank reconcile --via-api` finds every service's totals agree."""
    admin, warehouse = login(dev, "admin", "admin123"), login(dev, "warehouse", "warehouse123")
    secretary, member = login(dev, "secretary", "secretary123"), login(dev, "artisan", "artisan123")
    api = lambda service, path: dev.url(service, f"/api/v1{path}")  # noqa: E731
    order = {"depot": "VNS", "cooperative": "SMBSS", "lines": [
        {"sku": "YRN-COT-40", "quantity": "4", "artisan_id": "ART-0001"},
        {"sku": "YRN-COT-40", "quantity": "3", "artisan_id": "ART-0002"}]}
    wait_until(lambda: http("POST", api("requests", "/requisitions/estimate"), order, secretary)[0] == 200, 30,
               message="requests to learn the demo catalog and prices")
    status, req = http("POST", api("requests", "/requisitions"), order, secretary)
    assert status == 201, req
    rid = req["id"]
    assert http("POST", api("requests", f"/requisitions/{rid}/approve"), {}, admin)[0] == 200
    wait_until(lambda: http("GET", api("requests", f"/requisitions/{rid}"), token=admin)[1]["status"] == "reserved",
               20, message="the stock to be set aside")
    stock = lambda: float(http("GET", api("inventory", "/stock/VNS/YRN-COT-40"), token=admin)[1]["on_hand"])  # noqa
    before = stock()
    status, dispatched = http("POST", api("requests", f"/requisitions/{rid}/dispatch"), {}, warehouse)
    assert status == 200, dispatched
    wait_until(lambda: stock() == before - 7, 20, message="the 7 kg to leave the depot's stock")
    assert http("POST", api("requests", f"/requisitions/{rid}/receive"), {}, secretary)[0] == 200
    status, share = http("POST", api("requests", f"/requisitions/{rid}/confirmations"),
                         {"artisan_id": "ART-0001", "quantity": "3"}, member)
    assert status == 201 and share["confirmation"]["status"] == "short", share
    charged = next(s for s in http("GET", api("requests", f"/requisitions/{rid}"), token=admin)[1]["shares"]
                   if s["artisan_id"] == "ART-0001")["pricing"]["payable_total"]
    settle = {"artisan_id": "ART-0001", "lines": [{"sku": "YRN-COT-40", "quantity": "1", "condition": "short"}],
              "reason": "did not reach the member"}
    status, made = http("POST", api("requests", f"/requisitions/{rid}/returns"), settle, warehouse)
    assert status == 201, made
    assert abs(float(made["credit"]) - float(charged) / 4) <= 0.01  # a quarter of the member's share's charge

    def listed():
        status, rows = http("GET", api("inventory", "/returns?depot=VNS"), token=warehouse)
        return status == 200 and [r for r in rows if r.get("requisition_id") == rid]
    [row] = wait_until(listed, 20, message="inventory to list the settled shortfall")
    assert [line["condition"] for line in row["lines"]] == ["short"]
    assert stock() == before - 7  # nothing came back to the shelf

    def told():
        status, notes = http("GET", api("notifier", "/notifications"), token=member)
        return status == 200 and [n for n in notes if n["requisition_id"] == rid and n["status"] == "return_credited"]
    [note] = wait_until(told, 20, message="the member to be told of the credit")
    assert made["credit"].split(".")[0] in note["text"].replace(",", "")
    from tests.e2e.test_durable_runtime import rawbank

    said = []

    def clean():
        urls = [f"--{name}-url={dev.url(name, '').rstrip('/')}" for name in ("inventory", "requests", "notifier")]
        result = rawbank("reconcile", "--via-api", "--no-dlq", *urls, cwd=ROOT, RAWBANK_JWT_SECRET=SECRET)
        said[:] = [result.stdout + result.stderr]
        return result.returncode == 0 and "verdict: CLEAN" in result.stdout
    wait_until(clean, 60, message=lambda: f"reconcile --via-api clean after the settled shortfall; it said: {said}")
