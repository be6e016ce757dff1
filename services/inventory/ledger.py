"""The movement ledger: each entry written inside its stock document, copied to `movements`.

An entry reaches `movements` by two routes, and no other:

1. The writer's copy, right after its stock write (`insert`, from stock_writes.write_stock),
   so that a read straight after the write (GET /movements, the CSV, reconciliation) shows it.
2. The worker's sweep (`project_pending`, every SWEEP_SECONDS, `make_sweeper`): it copies each
   journal entry again (a duplicate key where route 1 got there first), then `$pull`s it.

Why both. A stock change and its entry are one atomic write of one document (no multi-document
transactions), so the entry lands first in the stock document's `journal`. A process can die
before route 1, and a stock document may never be written again, so only a loop over the
journals finishes what a dead writer left: route 2. Why no more. The journal is the ledger's
outbox and the sweep its relay: copy (idempotent by id), then `$pull` by id, never the other
way round. Writers only `$push`, so they never need to know what was copied (no lookup, no
memory of ids) and never conflict with a `$pull`. The service's own stock events cannot stand
in for the sweep: holds, releases and issues raise none.

Hence an entry is in the journal, in `movements` or both, never nowhere; `movements` holds it
once (its id is the key); reconciliation counts a journal entry only when `movements` lacks it.
A journal holds what its document took since the last sweep; while the worker is down it grows,
as the outbox does while the relay (also in the worker) is down.
"""
from __future__ import annotations

import re
import secrets
import time
from datetime import datetime, timezone

from pymongo import DESCENDING
from pymongo.errors import BulkWriteError

from services.inventory import lot_rules
from services.inventory.domain import Stock, stock_id
from shared import staff
from shared.loops import poll_until_stopped

#: `at` is UTC; `at_ist` the same moment in India, as the pages show it; `type_hi` and `reason_hi` the kind and an
#: adjustment's reason in Hindi as the ledger page says them (labels.py); `material_hi` and `depot_hi` the Hindi
#: names the catalog stores for `sku` and `depot` (empty where it has none), as in the stock CSV; `by_name` and
#: `by_name_hi` who `by` is, by name (shared.staff.NAME_COLUMNS); columns added later go last (workbooks read them by
#: position)
CSV_COLUMNS = ("movement_id", "at", "type", "sku", "depot", "quantity", "reserved_change",
               "on_hand_after", "reserved_after", "from_depot", "to_depot", "reason", "reference",
               "supplier", "lot", "unit_cost", "requisition_id", "by", "at_ist", "purchase_order", "type_hi",
               "reason_hi", "material_hi", "depot_hi", *staff.NAME_COLUMNS)


def new_movement_id() -> str:
    """An id that sorts by time (nanoseconds, hex) with a random tail against collisions."""
    return f"{time.time_ns():016x}{secrets.token_hex(4)}"


def entry(kind: str, movement_id: str, before: Stock, after: Stock, *, by: str, **fields) -> dict:
    """The ledger entry of one change to one stock document, naming the lot(s) it moved (`lot`; with each
    lot's part in `lots` when it moved more than one)."""
    extra = {name: value for name, value in fields.items() if value not in (None, "")}
    parts = lot_rules.changes(before.lots, after.lots)
    if parts:
        extra["lot"] = ", ".join(code for code, _ in parts)
    if len(parts) > 1:  # each lot's part of a movement split across lots
        extra["lots"] = [{"lot": code, "quantity": quantity} for code, quantity in parts]
    return {"_id": movement_id, "type": kind, "sku": after.sku, "depot": after.depot,
            "quantity": after.on_hand - before.on_hand,
            "reserved_change": after.reserved - before.reserved,
            "on_hand_after": after.on_hand, "reserved_after": after.reserved,
            "by": by, "at": datetime.now(timezone.utc), **extra}


#: what an issue's entry keeps of each lot it took from (`lot_labels`), so material an artisan brings back goes into
#: that lot as it was even when the lot has left the stock meanwhile (returns.py)
LABELS = ("shade", "count", "mill", "expires_on", "supplier", "purchase_order", "received_at")


def labels(before: Stock, after: Stock) -> list[dict]:
    """Each lot a change took from, with its label (LABELS, those it has)."""
    taken = {code for code, part in lot_rules.changes(before.lots, after.lots) if part < 0}
    return [{"lot": lot.code, **{name: getattr(lot, name) for name in LABELS if getattr(lot, name)}}
            for lot in before.lots or () if lot.code in taken]


SWEEP_SECONDS = 1.0
SWEEP_BATCH = 100
_DUPLICATE_KEY = 11000


def insert(db, entries: list[dict]) -> None:
    """Copy ledger entries into `movements`; one already there (a duplicate key) is left as it is."""
    if not entries:
        return
    try:
        db.movements.insert_many([dict(item) for item in entries], ordered=False)
    except BulkWriteError as exc:  # entries never change, so a copy already there is this one
        if any(error["code"] != _DUPLICATE_KEY for error in exc.details["writeErrors"]):
            raise


def project_pending(db, batch: int = SWEEP_BATCH) -> int:
    """Copy the journals of up to `batch` stock documents into `movements`, then pull them.

    Returns how many documents it swept. Safe to repeat and to run beside writers and another
    sweep: an entry is copied before it is pulled, and a writer's `$push` commutes with a `$pull`.
    """
    docs = list(db.stock.find({"journal._id": {"$exists": True}}, {"journal": 1}).limit(batch))
    entries = [item for doc in docs for item in doc["journal"]]
    insert(db, entries)
    if docs:  # ids are unique, so pulling the batch's ids from each document pulls its own
        db.stock.update_many({"_id": {"$in": [doc["_id"] for doc in docs]}},
                             {"$pull": {"journal": {"_id": {"$in": [item["_id"] for item in entries]}}}})
    return len(docs)


def make_sweeper(db, config):
    """The worker's background part (ServiceSpec.background): the sweep, every SWEEP_SECONDS."""
    def run(stop) -> None:
        poll_until_stopped(stop, lambda: project_pending(db, SWEEP_BATCH) == SWEEP_BATCH,  # full: more may wait
                           interval=SWEEP_SECONDS, name="inventory ledger sweep")
    return run


def of_requisition(db, depot: str, skus, requisition_id: str, types) -> dict[str, dict]:
    """A requisition's ledger entries of `types` for these materials at one depot, by movement id: from the stock
    documents' journals first, then `movements`, so the sweep moving an entry in between hides none."""
    entries: dict[str, dict] = {}
    for sku in skus:
        pending = (db.stock.find_one({"_id": stock_id(depot, sku)}, {"journal": 1}) or {}).get("journal") or ()
        entries.update((e["_id"], e) for e in pending if e.get("requisition_id") == requisition_id
                       and e["type"] in types)
    for entry in db.movements.find({"requisition_id": requisition_id, "type": {"$in": list(types)},
                                    "depot": depot}).limit(1000):
        entries.setdefault(entry["_id"], entry)
    return entries


def lot_parts(entry: dict) -> list[dict]:
    """What one entry took from or put into each lot ({lot, quantity}, signed as the entry's): its `lots` (a split
    movement), else its one `lot`; none for stock without lots."""
    return entry.get("lots") or ([{"lot": entry["lot"], "quantity": entry["quantity"]}] if entry.get("lot") else [])


def recorded(db, depot: str, sku: str, movement_id: str) -> bool:
    """Whether a movement is in the ledger, pending or projected (read the stock first)."""
    pending = db.stock.find_one({"_id": stock_id(depot, sku), "journal._id": movement_id}, {"_id": 1})
    return pending is not None or db.movements.find_one({"_id": movement_id}, {"_id": 1}) is not None


#: what the ledger's text search looks in
SEARCHED = ("reference", "supplier", "lot", "purchase_order", "requisition_id", "by", "to_depot", "from_depot")


def id_at(moment: datetime) -> str:
    """The smallest movement id written at or after `moment` (ids begin with their time, new_movement_id)."""
    return f"{int(moment.timestamp() * 1_000_000_000):016x}"


def time_of(movement_id: str) -> datetime:
    """When a movement id was made (the inverse of id_at, to the microsecond)."""
    return datetime.fromtimestamp(int(movement_id[:16], 16) / 1_000_000_000, timezone.utc)


def movements_query(*, sku=None, depot=None, type_=None, requisition_id=None, before=None, since=None, until=None,
                    words=None) -> dict:
    """The ledger's filter: by fields, `before` a cursor, from `since` up to `until` (datetimes), and a text
    searched for (case ignored) in references, suppliers, lots, orders, requests, people and depots."""
    query = {name: value for name, value in (("sku", sku), ("depot", depot), ("type", type_),
                                             ("requisition_id", requisition_id)) if value}
    ids = {}
    if since:
        ids["$gte"] = id_at(since)
    if until or before:
        ids["$lt"] = min(filter(None, (until and id_at(until), before)))
    if ids:
        query["_id"] = ids
    if words:
        pattern = {"$regex": re.escape(words[:100]), "$options": "i"}
        query["$or"] = [{name: pattern} for name in SEARCHED]
    return query


def count(db, query: dict) -> int:
    return db.movements.count_documents(query)


def page(db, query: dict, limit: int, skip: int = 0) -> list[dict]:
    """One page of movements, newest first (after `skip` of them)."""
    return list(db.movements.find(query).sort("_id", DESCENDING).skip(skip).limit(limit))


def stream(db, query: dict, batch: int = 500):
    """Every matching movement, newest first, fetched a page at a time (for CSV export)."""
    while True:
        rows = page(db, query, batch)
        yield from rows
        if len(rows) < batch:
            return
        query = {**query, "_id": {**query.get("_id", {}), "$lt": rows[-1]["_id"]}}


def totals(db, depot: str, sku: str) -> dict:
    """Sums of the projected ledger of one stock: what reconciliation compares with on hand."""
    rows = db.movements.aggregate([
        {"$match": {"depot": depot, "sku": sku}},
        {"$group": {"_id": None, "quantity": {"$sum": "$quantity"},
                    "reserved": {"$sum": "$reserved_change"}, "count": {"$sum": 1}}}])
    found = next(iter(rows), None) or {"quantity": 0, "reserved": 0, "count": 0}
    return {"on_hand": found["quantity"], "reserved": found["reserved"], "entries": found["count"]}
