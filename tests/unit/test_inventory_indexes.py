"""Every query the inventory code runs is served by an index it declares (store.INDEXES).

The real service functions run against the embedded store through a recorder that notes
each filter and sort; each noted query must have an index whose leading keys are fields the
query pins to values, followed by its sort key (or the query addresses one document by _id).
"""
import itertools
from datetime import datetime, timezone

import pytest
from pymongo import IndexModel

from services.inventory import (catalog, counts, handovers, ledger, lots, movements, people, purchase_orders, queries,
                                replenishment, returns, spec, stock_lists, store, suppliers, watch)
from services.inventory.reservations import Reservations
from shared.runtime import Runtime
from tests.integration.test_inventory_support import dated_receipt, requisition, seed_catalog


class Recorder:
    """Stands between the code and the store and notes (collection, filter, sort) of each read."""

    def __init__(self, db, seen):
        self._db, self._seen = db, seen

    def __getattr__(self, name):
        return RecordingCollection(self._db[name], name, self._seen)

    __getitem__ = __getattr__


class RecordingCollection:
    FILTERED = ("find_one", "count_documents", "update_one", "update_many", "find_one_and_update",
                "delete_one", "delete_many")

    def __init__(self, collection, name, seen):
        self._c, self._name, self._seen = collection, name, seen

    def find(self, query=None, *args, **kwargs):
        note = {"collection": self._name, "filter": query or {}, "sort": None, "find": True}
        self._seen.append(note)
        return RecordingCursor(self._c.find(query, *args, **kwargs), note)

    def aggregate(self, pipeline, *args, **kwargs):
        match = next((stage["$match"] for stage in pipeline if "$match" in stage), {})
        self._seen.append({"collection": self._name, "filter": match, "sort": None})
        return self._c.aggregate(pipeline, *args, **kwargs)

    def __getattr__(self, name):
        method = getattr(self._c, name)
        if name not in self.FILTERED:
            return method

        def call(query, *args, **kwargs):
            self._seen.append({"collection": self._name, "filter": query, "sort": kwargs.get("sort")})
            return method(query, *args, **kwargs)
        return call


class RecordingCursor:
    def __init__(self, cursor, note):
        self._cursor, self._note = cursor, note

    def sort(self, key, direction=1):
        self._note["sort"] = key if isinstance(key, str) else key[0][0]
        self._cursor = self._cursor.sort(key, direction)
        return self

    def skip(self, n):
        self._cursor = self._cursor.skip(n)
        return self

    def limit(self, n):
        self._note["limit"] = n
        self._cursor = self._cursor.limit(n)
        return self

    def __iter__(self):
        return iter(self._cursor)


def constrained(query: dict) -> tuple[set, set]:
    """(fields pinned to values or lists of values, fields given a range) of a filter."""
    pinned, ranged = set(), set()
    for key, value in query.items():
        if key == "$and":
            for part in value:
                p, r = constrained(part)
                pinned |= p
                ranged |= r
        elif key.startswith("$"):
            continue
        elif isinstance(value, dict) and set(value) - {"$in", "$eq"}:
            ranged.add(key)
        else:
            pinned.add(key)
    return pinned, ranged


def served(note, indexes) -> bool:
    """Equality-pinned leading keys, then the sort key; or one range (e.g. a word prefix) then the sort."""
    pinned, ranged = constrained(note["filter"])
    if "_id" in pinned:
        return True
    for model in [IndexModel([("_id", 1)]), *indexes.get(note["collection"], [])]:
        keys = list(model.document["key"])
        j = 0
        while j < len(keys) and keys[j] in pinned:
            j += 1
        after = keys[j:j + 2]
        if note["sort"] is None:
            if j or (after and after[0] in ranged):
                return True
        elif after[:1] == [note["sort"]] and (j or not (pinned | ranged) - {note["sort"]}):
            return True  # walking the sort key alone is fine only when nothing else is filtered
        elif after[:1] and after[0] in ranged and after[1:] == [note["sort"]]:
            return True
    return False


@pytest.fixture
def recorded(config):
    runtime = Runtime(spec(), config)
    seed_catalog(runtime.db)
    seen: list[dict] = []
    yield Recorder(runtime.db, seen), seen
    runtime.close()


def combos(**options):
    names = list(options)
    for values in itertools.product(*(options[n] for n in names)):
        yield dict(zip(names, values))


def exercise(db):
    """Run every read and write path of the service at least once."""
    for sku, depot, quantity in (("YRN", "VNS", 10_000), ("DYE", "VNS", 1_000), ("YRN", "BHD", 1_000)):
        movements.record_movement(db, dated_receipt({"type": "receipt", "sku": sku, "depot": depot,
                                                     "quantity": quantity}), by="t")  # a dye's lot: dated
    movements.record_movement(db, {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": -1,
                                   "reason": "count"}, by="t")
    movements.record_movement(db, {"type": "transfer", "sku": "YRN", "depot": "VNS", "to_depot": "BHD",
                                   "quantity": 1_000}, by="t")
    res = Reservations(db)
    res.approve(requisition("RequisitionApproved", "R1", [("YRN", 2_000), ("DYE", 100)]).data)
    res.approve(requisition("RequisitionApproved", "R2", [("YRN", 20_000)]).data)
    res.approve(requisition("RequisitionApproved", "R3", [("YRN", 1_000)]).data)
    res.retry_waitlist("VNS")
    res.cancel(requisition("RequisitionCancelled", "R3", []).data)
    res.cancel(requisition("RequisitionCancelled", "R4", []).data)
    res.dispatch(requisition("RequisitionDispatched", "R1", []).data)
    returns.take_back(db, {"requisition_id": "R1", "return_id": "RET-1", "artisan_id": "ART-1", "depot": "VNS",
                           "reason": "r", "month": "2026-12", "by": "t",
                           "lines": [{"sku": "YRN", "quantity": 500, "condition": "restock"},
                                     {"sku": "DYE", "quantity": 50, "condition": "damaged"}]})
    for depot in (None, "VNS"):
        returns.count(db, depot)
        returns.page(db, depot, skip=1, limit=5)
    assert [r["_id"] for r in returns.handed_over_numbered(db, "VNS", "r1")] == ["R1"]  # a return starts from it
    handed = db.reservations.find_one({"_id": "R1"})
    assert handovers.taken(db, handed)["lines"]["YRN"]["quantity"] == 2_000  # the gate pass after the hand-over
    assert handovers.first_printing(db, "R1") is None and handovers.printing(db, handed, "t")[1]
    assert handovers.printing(db, handed, "u") == (handovers.first_printing(db, "R1"), False)
    assert handovers.gate_pass(db, handed)["first_printed"]["by"] == "t"
    catalog.update_material(db, "YRN", {"reorder_level": 50_000, "category": "fibre"})
    for args in combos(q=[None, "yrn mat"], category=[None, "dye"], after=[None, "DYE"]):
        catalog.list_materials(db, **args)
    for args in combos(district=[None, "VNS"], after=[None, "BHD"]):
        catalog.list_depots(db, **args)
    for args in combos(depot=[None, "VNS"], sku=[None, "YRN"], category=[None, "yarn"],
                       below_reorder=[False, True], after=[None, "BHD/YRN"]):
        queries.list_stock(db, **args)
    for args in combos(depot=[None, "VNS"], sku=[None, "YRN"], q=[None, "yr"], category=[None, "yarn"],
                       levels=[None, ("low", "depleted")]):
        query = stock_lists.stock_query(db, **args)
        list(stock_lists.stock_rows(db, query, batch=1))  # the API's CSV, by any filter
        if args["depot"]:  # the stock page is always of one depot
            unstocked = stock_lists.unstocked(db, args["depot"], query)
            stock_lists.merged_page(db, query, unstocked, skip=0, limit=5, level_first=not args["levels"])
            list(stock_lists.stock_rows(db, query, batch=1, extra=unstocked))
    stock_lists.stock_card(db, "VNS", "YRN")
    catalog.list_materials(db, q="yrn", skip=1)
    catalog.count_materials(db, q="yrn", category="yarn")
    people.who(db, ["ART-1"])
    queries.get_stock(db, "VNS", "YRN")
    queries.get_stock(db, "BHD", "BRS")
    queries.get_reservation(db, "R2")
    queries.ready_to_dispatch(db, "VNS")
    for args in combos(sku=[None, "YRN"], depot=[None, "VNS"], type_=[None, "receipt"],
                       requisition_id=[None, "R1"], before=[None, "ffff"]):
        list(ledger.stream(db, ledger.movements_query(**args), batch=2))
    for args in combos(depot=[None, "VNS"], since=[None, datetime(2020, 1, 1, tzinfo=timezone.utc)],
                       until=[None, datetime(2999, 1, 1, tzinfo=timezone.utc)], words=[None, "GRN"]):
        query = ledger.movements_query(**args)
        list(ledger.stream(db, query, batch=2))  # the API's CSV, by any filter
        if args["depot"]:  # the ledger page is always of one depot
            ledger.count(db, query)
            ledger.page(db, query, 5, skip=1)
    ledger.project_pending(db)
    ledger.totals(db, "VNS", "YRN")
    exercise_procurement(db)


def exercise_procurement(db):
    """Suppliers, orders, lots, counts, replenishment and the watch loop."""
    suppliers.register(db, {"code": "MILL", "name": "Mill", "district": "D"})
    suppliers.find(db, after="A")
    suppliers.update(db, "MILL", {"tolerance_percent": 5})
    number = purchase_orders.create(db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2000-01-01",
                                         "lines": [{"sku": "DYE", "quantity": 5_000, "price": 100}]},
                                    by="t")["purchase_order"]
    purchase_orders.send(db, number, by="t")
    movements.record_movement(db, {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": 1_000,
                                   "purchase_order": number, "lot": {"code": "L1", "expires_on": "2999-01-01"}},
                              by="t")
    for args in combos(status=[None, "sent"], depot=[None, "VNS"], after=[None, "PO-1"]):
        purchase_orders.find(db, **args)
    watch.step(db)
    lots.hold(db, "VNS", "DYE", "L1", by="t")
    lots.release(db, "VNS", "DYE", "L1", by="t")
    movements.record_movement(db, {"type": "return", "sku": "DYE", "depot": "VNS", "quantity": 10, "lot": "L1"},
                              by="t")
    purchase_orders.close(db, number, by="t")
    count_id = counts.start(db, "VNS", by="t")["count_id"]
    counts.count_line(db, count_id, {"sku": "DYE", "lot": "L1", "counted": 900}, by="t")
    counts.submit(db, count_id, by="t", tolerance_percent=2)
    counts.approve(db, count_id, by="other")
    for args in combos(depot=[None, "VNS"], after=[None, "CNT-1"]):
        counts.find(db, **args)
    replenishment.suggestions(db, "VNS", supplier="MILL")
    replenishment.to_order_counts(db, ["VNS", "BHD"], supplier="MILL")  # an admin's first view of What to order
    replenishment.history(db, "VNS", "DYE", on_hand=1_000)


def test_every_query_the_code_runs_has_an_index(recorded):
    db, seen = recorded
    exercise(db)
    assert len(seen) > 100
    missing = {(n["collection"], tuple(sorted(constrained(n["filter"])[0])),
                tuple(sorted(constrained(n["filter"])[1])), n["sort"])
               for n in seen if not served(n, store.INDEXES)}
    assert missing == set()


def test_the_check_would_notice_a_missing_index(recorded):
    db, seen = recorded
    exercise(db)
    for collection, key in (("movements", "type"), ("reservations", "queue_seq"), ("stock", "level"),
                            ("materials", "terms"), ("depots", "district")):
        fewer = {**store.INDEXES, collection: [m for m in store.INDEXES[collection]
                                               if key not in m.document["key"]]}
        assert any(not served(n, fewer) for n in seen), f"{collection} without its {key} index"


def test_every_find_is_limited_so_no_list_loads_a_whole_collection(recorded):
    db, seen = recorded
    exercise(db)
    finds = [n for n in seen if n.get("find")]
    assert finds and [n for n in finds if not n.get("limit")] == []
