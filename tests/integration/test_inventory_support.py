"""Shared helpers of the inventory tests: a store, a small catalog, events, the invariants."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from services.inventory import catalog, create_app, ledger, lot_rules, spec
from shared.envelope import new_event
from shared.runtime import Runtime

DEPOTS = ("VNS", "BHD")
MATERIALS = {"YRN": ("yarn", 5_000), "DYE": ("dye", 1_000), "BRS": ("metal", 0)}
#: An expiry date three years ahead: a new lot of a dye or chemical must give one (expiry_required), and this one is
#: far enough that no expiry alert, hold or write-off changes what a test tests.
FAR_EXPIRY = (date.today() + timedelta(days=3 * 365)).isoformat()
#: The materials above whose new lots must give their expiry date.
DATED_SKUS = frozenset(sku for sku, (category, _) in MATERIALS.items() if category in lot_rules.DATED)


def dated(lot=None, sku: str = "DYE"):
    """The lot a test's receipt of `sku` names (a code, a label or None), with FAR_EXPIRY for a dye or chemical.

    A label's own date wins; a material the rule does not cover keeps its lot as it was given."""
    if sku not in DATED_SKUS:
        return lot
    label = {"code": lot} if isinstance(lot, str) else dict(lot or {})
    label.setdefault("expires_on", FAR_EXPIRY)
    return label


def dated_receipt(body: dict) -> dict:
    """A receipt's `body` with its lot dated (dated) when its material is a dye or chemical; others as given."""
    return {**body, "lot": dated(body.get("lot"), body["sku"])} if body["sku"] in DATED_SKUS else body


@contextmanager
def fresh(config):
    """A fresh embedded inventory store with two depots and three materials."""
    runtime = Runtime(spec(), config)
    seed_catalog(runtime.db)
    try:
        yield runtime
    finally:
        runtime.close()


@pytest.fixture
def runtime(config):
    with fresh(config) as made:
        yield made


@pytest.fixture
def db(config):
    """The inventory database of a fresh embedded store with two depots and three materials."""
    with fresh(config) as runtime:
        yield runtime.db


@pytest.fixture
def inventory_api(config, runtime, token):
    """call(method, path, body, role=, status=, lang=, sub=, **claims): the inventory API's JSON answer.

    With `status`, the answer must have it. Admin by default; other roles take their claims (depot=...).
    """
    client = create_app(config, runtime).test_client()

    def call(method, path, body=None, *, role="admin", status=None, lang="en", sub=None, **claims):
        headers = {**token(role, sub=sub, **claims), "Accept-Language": lang}
        response = client.open(f"/api/v1{path}", method=method, json=body, headers=headers)
        if status is not None:
            assert response.status_code == status, response.get_json()
        return response.get_json()
    return call


def seed_catalog(db) -> None:
    for code in DEPOTS:
        catalog.register_depot(db, {"code": code, "name": f"{code} depot", "district": code})
    for sku, (category, reorder) in MATERIALS.items():
        catalog.register_material(db, {"sku": sku, "name": f"{sku} material", "name_hi": f"{sku} सामान",
                                       "category": category, "unit": "kg", "reorder_level": reorder})


def requisition(type_: str, rid: str, lines, depot: str = "VNS", artisan: str = "ART-1"):
    """A requisition event as the requests service publishes it; lines as (sku, thousandths)."""
    payload = {"requisition_id": rid, "artisan_id": artisan, "depot": depot, "by": "admin",
               "lines": [{"sku": sku, "quantity": q} for sku, q in lines]}
    return new_event(type_, rid, payload, source="requests")


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing cleans up after it (a lease it holds stays)."""


class DyingStore:
    """The store of a worker that dies after `writes` stock writes: the next one (or, `right_after`, the last one's
    own return, before the ledger copy and whatever it would write next) raises Killed, and so does every call
    after. The real store underneath is written as the process would have written it; nothing is mocked."""

    def __init__(self, db, writes: int, right_after: bool = False):
        self._db, self.writes, self.right_after = db, writes, right_after
        self.done, self.dead = 0, False

    def _die(self):
        self.dead = True
        raise Killed()

    def __getattr__(self, name):
        if self.dead:
            self._die()
        return getattr(self._db, name)

    def __getitem__(self, name):
        return self.stock if name == "stock" else getattr(self, name)

    @property
    def stock(self):
        real, store = self._db.stock, self

        def writing(method):
            def write(*args, **kwargs):
                if store.dead or store.done >= store.writes:
                    store._die()
                result = getattr(real, method)(*args, **kwargs)
                if method == "insert_one" or result.matched_count:
                    store.done += 1
                    if store.right_after and store.done >= store.writes:
                        store._die()
                return result
            return write

        class Stock:
            insert_one, update_one = staticmethod(writing("insert_one")), staticmethod(writing("update_one"))

            def __getattr__(self, name):
                if store.dead:
                    store._die()
                return getattr(real, name)
        return Stock()


def outbox_types(db, collection: str, key: str | None = None) -> list[str]:
    """Event types waiting in a collection's outboxes (optionally of one document)."""
    query = {"_id": key} if key else {}
    return [e["type"] for doc in db[collection].find(query, {"outbox": 1}) for e in doc.get("outbox", [])]


def check_invariants(db, unsettled=()) -> None:
    """What must hold after every step, whatever happened before. `unsettled`: requisitions a worker died part way
    through (it held, released or issued some lines): each may hold only lines it noted first, in full."""
    ledger.project_pending(db)
    holds_by_rid: dict[str, dict[tuple[str, str], int]] = {}
    for doc in db.stock.find({}):
        where, lots = doc["_id"], doc.get("lots", [])
        assert doc["available"] == doc["on_hand"] - doc["reserved"] - doc.get("blocked", 0), where
        assert sum(lot["on_hand"] for lot in lots) == doc["on_hand"], f"{where}: lots != on hand {lots}"
        assert all(lot["on_hand"] > 0 for lot in lots), f"{where}: an empty or negative lot {lots}"
        statuses = [lot.get("status", "available") for lot in lots]  # a lot in use is stored without one
        assert doc.get("blocked", 0) == sum(lot["on_hand"] for lot, status in zip(lots, statuses)
                                            if status != "available"), where
        assert doc["reserved"] <= doc["on_hand"], f"{where}: more set aside than on hand"
        if set(statuses) <= {"available"}:  # only a lot expiring under holds uncovers them
            assert doc["available"] >= 0, f"{where}: negative available {doc['available']}"
        awaited = sum(x["ordered"] - x["received"] for x in (doc.get("orders") or {}).values()
                      if x["open"] and x["ordered"] > x["received"])
        assert doc.get("on_order", 0) == awaited, f"{where}: on order {doc.get('on_order')} != {awaited}"
        assert doc["reserved"] == sum(doc.get("holds", {}).values()), f"{where}: reserved != holds"
        assert not doc.get("journal"), f"{where}: ledger entries left unprojected"
        totals = ledger.totals(db, doc["depot"], doc["sku"])
        assert totals["on_hand"] == doc["on_hand"], f"{where}: on hand {doc['on_hand']} != ledger {totals}"
        assert totals["reserved"] == doc["reserved"], f"{where}: reserved != ledger {totals}"
        for rid, quantity in doc.get("holds", {}).items():
            holds_by_rid.setdefault(rid, {})[(doc["depot"], doc["sku"])] = quantity
    for res in db.reservations.find({}):
        held = holds_by_rid.pop(res["_id"], {})
        wanted = {(res["depot"], line["sku"]): line["quantity"] for line in res["lines"]}
        if res["status"] == "reserving" or res["_id"] in unsettled and res["status"] in ("held", "waitlisted"):
            noted = {(res["depot"], sku) for sku in res.get("held", [])}
            assert all(key in noted and quantity == wanted.get(key) for key, quantity in held.items()), \
                f"{res['_id']} ({res['status']}, part way) holds {held}, noted {noted}, lines {wanted}"
        elif res["status"] == "held":
            assert held == wanted, f"{res['_id']} is held but holds are {held}, lines {wanted}"
        else:
            assert held == {}, f"{res['_id']} is {res['status']} but still holds {held}"
    assert holds_by_rid == {}, f"holds without a reservation: {holds_by_rid}"
    check_orders(db)


def check_orders(db) -> None:
    """Every sent order's received figures are the receipts naming it less what went back of them (from any depot; a
    return not saying how much counts whole), on the order and on its stock."""
    for order in db.purchase_orders.find({"status": {"$ne": "draft"}}):
        for line in order["lines"]:
            receipts = [m["quantity"] if m["type"] == "receipt" else -m.get("order_returned", -m["quantity"])
                        for m in db.movements.find({"type": {"$in": ["receipt", "return"]},
                                                    "purchase_order": order["_id"], "sku": line["sku"]})]
            assert line["received"] == sum(receipts), (order["_id"], line, receipts)
            stock = db.stock.find_one({"_id": f"{order['depot']}/{line['sku']}"}) or {}
            kept = (stock.get("orders") or {}).get(order["_id"])
            if kept is not None:
                assert kept["received"] == line["received"], (order["_id"], kept, line)
