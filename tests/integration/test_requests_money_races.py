"""Money under concurrency: entitlements, payments and credit hold when many writers act at once."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from services.requests import accounts, requisitions
from shared.auth import Principal
from shared.errors import Error
from tests.integration.test_requests_money_support import COTTON, DYE, priced_catalog, ready, scheme
from tests.integration.test_requests_support import at_once, client  # noqa: F401  (fixture)

WAREHOUSE = Principal("wh", "warehouse", depot="VNS")


def test_submits_at_once_never_subsidise_more_than_the_entitlement(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)  # 30 kg of cotton a month at the scheme price
    me = Principal("u", "artisan", "ART-1")
    body = {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": 7_000}]}
    done = at_once(*[lambda: requisitions.submit(client.db, me, body)[0] for _ in range(8)])
    subsidised = sorted(doc["pricing"]["lines"][0]["subsidised_quantity"] for doc in done)
    assert sum(subsidised) == 30_000 and subsidised == [0, 0, 0, 2_000, 7_000, 7_000, 7_000, 7_000]
    assert client.db.entitlements.find_one({})["used"] == {"cotton-hank-upto-40s": 30_000}


def test_payments_at_once_never_take_more_than_is_due(client):
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # 2800.00 due
    payments = [{"amount": 1_000_00, "method": "cash", "reference": f"R{i}"} for i in range(6)]
    now = datetime.now(timezone.utc)
    done = at_once(*[lambda p=p: requisitions.pay(client.db, WAREHOUSE, rid, p, now=now) for p in payments])
    taken = [r for r in done if isinstance(r, tuple)]
    assert len(taken) == 2 and all(getattr(r, "code", None) == "payment_above_due" for r in done if r not in taken)
    assert client.db.accounts.find_one({"_id": "ART-1"})["paid"][rid] == 2_000_00


def test_the_same_reference_sent_at_once_is_one_payment(client):
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    body, now = {"amount": 500_00, "method": "upi", "reference": "UTR-1"}, datetime.now(timezone.utc)
    done = at_once(*[lambda: requisitions.pay(client.db, WAREHOUSE, rid, body, now=now) for _ in range(5)])
    assert sorted(created for _, created in done) == [False] * 4 + [True]
    account = client.db.accounts.find_one({"_id": "ART-1"})
    assert (account["balance"], account["paid"][rid], len(account["entries"])) == (-500_00, 500_00, 1)


def test_dispatches_at_once_never_pass_the_credit_limit_together(client):
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    client.call("PUT", "/credit-terms", client.admin(), {"artisan_id": "ART-1", "credit_limit": "5000",
                                                          "credit_days": 30}, status=200)
    rids = [ready(client, client.artisan("ART-1"), [(DYE, "1")]) for _ in range(4)]  # 2800.00 each
    done = at_once(*[lambda r=r: requisitions.act(client.db, WAREHOUSE, r, "dispatch") for r in rids])
    assert sorted(getattr(r, "code", "dispatched") for r in done) == ["credit_limit_exceeded"] * 3 + ["dispatched"]
    account = client.db.accounts.find_one({"_id": "ART-1"})
    assert account["balance"] == 2_800_00 and len(account["entries"]) == 2  # one charge, its (zero) subsidy


class _FirstSaveWaits:
    """The store as one dispatch sees it: before its first write of the requisition, `meanwhile` runs (another
    counter dispatching the same requisition), so that write finds the version moved."""

    def __init__(self, db, meanwhile):
        self._db, self._meanwhile = db, meanwhile

    def __getattr__(self, name):
        collection = getattr(self._db, name)
        return _Requisitions(collection, self) if name == "requisitions" else collection


class _Requisitions:
    def __init__(self, collection, store):
        self._collection, self._store = collection, store

    def __getattr__(self, name):
        return getattr(self._collection, name)

    def update_one(self, *args, **kwargs):
        meanwhile, self._store._meanwhile = self._store._meanwhile, None
        if meanwhile is not None:
            meanwhile()
        return self._collection.update_one(*args, **kwargs)


def test_two_counters_dispatching_one_requisition_leave_its_charge_in_the_account(client):
    """Both read it reserved and charged it (the second found the first's charge); the first stored it dispatched,
    the second found it dispatched (409). The charge of material that left must stay."""
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    client.call("PUT", "/credit-terms", client.admin(), {"artisan_id": "ART-1", "credit_limit": "5000",
                                                          "credit_days": 30}, status=200)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # 2800.00 on credit
    other = _FirstSaveWaits(client.db, lambda: requisitions.act(client.db, WAREHOUSE, rid, "dispatch"))
    with pytest.raises(Error) as refused:
        requisitions.act(other, WAREHOUSE, rid, "dispatch")
    assert refused.value.code == "illegal_transition"
    assert client.db.requisitions.find_one({"_id": rid})["status"] == "dispatched"
    account = client.db.accounts.find_one({"_id": "ART-1"})
    assert (account["balance"], [e["id"] for e in account["entries"] if e["type"] == "charge"]) == \
        (2_800_00, [f"charge:{rid}"])


def test_refunds_at_once_never_hand_back_more_than_the_credit_and_one_reference_is_one_refund(client):
    """Two admins at two counters refund the same ₹1,000 advance at once: one is handed back, the other is refused;
    the same refund sent five times at once is recorded once."""
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    requisitions.pay(client.db, WAREHOUSE, rid, {"amount": 1_000_00, "method": "advance", "reference": "UTR-1"},
                     now=datetime.now(timezone.utc))
    bodies = [{"amount": 600_00, "method": "cash", "reference": f"RF-{i}", "reason": "cancelled"} for i in range(4)]
    now = datetime.now(timezone.utc)
    done = at_once(*[lambda b=b: accounts.refund(client.db, "ART-1", b, by="adm", now=now) for b in bodies])
    assert sorted(getattr(r, "code", "refunded") for r in done) == ["refund_above_credit"] * 3 + ["refunded"]
    account = client.db.accounts.find_one({"_id": "ART-1"})
    assert (account["balance"], account["paid"][rid]) == (-400_00, 400_00)
    body = {"amount": 400_00, "method": "upi", "reference": "RF-X", "reason": "leaving the scheme"}
    done = at_once(*[lambda: accounts.refund(client.db, "ART-1", body, by="adm", now=now) for _ in range(5)])
    assert sorted(created for _, created in done) == [False] * 4 + [True]
    account = client.db.accounts.find_one({"_id": "ART-1"})
    assert (account["balance"], account["paid"][rid], sum(e["type"] == "refund" for e in account["entries"])) == \
        (0, 0, 2)
