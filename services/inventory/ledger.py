"""The movement ledger: entries written inside the stock document, projected to `movements`.

A stock change and its ledger entry are one atomic write (the entry waits in the stock
document's `journal`). Projection copies each entry to the append-only `movements` collection
by its id (an insert; a repeat is a duplicate key and changes nothing); only an entry found
there is dropped from the journal (by the document's next write, or pulled by the worker), so
an entry is always in one place or both, and on hand always equals the sum of the ledger.
"""
from __future__ import annotations

import secrets
import threading
import time
import weakref
from datetime import datetime, timezone

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from services.inventory.domain import Stock, stock_id

CSV_COLUMNS = ("movement_id", "at", "type", "sku", "depot", "quantity", "reserved_change",
               "on_hand_after", "reserved_after", "from_depot", "to_depot", "reason", "reference",
               "supplier", "lot", "unit_cost", "requisition_id", "by")


def new_movement_id() -> str:
    """An id that sorts by time (nanoseconds, hex) with a random tail against collisions."""
    return f"{time.time_ns():016x}{secrets.token_hex(4)}"


def entry(kind: str, movement_id: str, before: Stock, after: Stock, *, by: str, **fields) -> dict:
    """The ledger entry of one change to one stock document."""
    extra = {name: value for name, value in fields.items() if value not in (None, "")}
    return {"_id": movement_id, "type": kind, "sku": after.sku, "depot": after.depot,
            "quantity": after.on_hand - before.on_hand,
            "reserved_change": after.reserved - before.reserved,
            "on_hand_after": after.on_hand, "reserved_after": after.reserved,
            "by": by, "at": datetime.now(timezone.utc), **extra}


#: Ids this process has seen stored in `movements`, per client (by identity: clients of one
#: address compare equal) and database, newest last. Entries are never removed from
#: `movements`, so a remembered id needs no lookup.
_SEEN: dict[tuple[int, str], dict] = {}
_SEEN_LOCK = threading.Lock()
SEEN_LIMIT = 10_000


def _seen(db) -> dict:
    client = db.client
    key = (id(client), db.name)
    seen = _SEEN.get(key)
    if seen is None:
        with _SEEN_LOCK:
            seen = _SEEN.get(key)
            if seen is None:
                seen = _SEEN[key] = {}
                weakref.finalize(client, _SEEN.pop, key, None)  # before its id can be reused
    return seen


def _remember(db, movement_id: str) -> None:
    seen = _seen(db)
    with _SEEN_LOCK:
        seen[movement_id] = None
        if len(seen) > SEEN_LIMIT:
            del seen[next(iter(seen))]


def insert(db, entries: list[dict]) -> None:
    """Copy ledger entries into `movements`; one already there (a duplicate key) is left as it is."""
    for item in entries:
        try:
            db.movements.insert_one(dict(item))
        except DuplicateKeyError:  # projected before; entries never change, so nothing to do
            pass
        _remember(db, item["_id"])


def projected(db, movement_ids: list[str]) -> bool:
    """Whether every one of these entries is in `movements`: known to this process (it stored
    them, the usual case at a stock document's next write) or found by id."""
    seen = _seen(db)
    return all(mid in seen or db.movements.find_one({"_id": mid}, {"_id": 1}) is not None
               for mid in movement_ids)


def project(db, depot: str, sku: str, entries: list[dict] | None = None) -> int:
    """Move a stock document's pending journal entries (or just `entries`) into `movements`.

    Safe to repeat and to run beside another projector or a writer: an entry is inserted
    before it is pulled.
    """
    if entries is None:
        doc = db.stock.find_one({"_id": stock_id(depot, sku)}, {"journal": 1})
        entries = (doc or {}).get("journal") or []
    insert(db, entries)
    if entries:
        db.stock.update_one({"_id": stock_id(depot, sku)},
                            {"$pull": {"journal": {"_id": {"$in": [e["_id"] for e in entries]}}}})
    return len(entries)


def project_pending(db, batch: int = 100) -> int:
    """Project every journal a crash left behind (a sweep; normally there is none)."""
    done = 0
    for doc in db.stock.find({"journal._id": {"$exists": True}}, {"sku": 1, "depot": 1}).limit(batch):
        done += project(db, doc["depot"], doc["sku"])
    return done


def recorded(db, depot: str, sku: str, movement_id: str) -> bool:
    """Whether a movement is in the ledger, pending or projected (read the stock first)."""
    pending = db.stock.find_one({"_id": stock_id(depot, sku), "journal._id": movement_id}, {"_id": 1})
    return pending is not None or db.movements.find_one({"_id": movement_id}, {"_id": 1}) is not None


def movements_query(*, sku=None, depot=None, type_=None, requisition_id=None, before=None) -> dict:
    query = {name: value for name, value in (("sku", sku), ("depot", depot), ("type", type_),
                                             ("requisition_id", requisition_id)) if value}
    if before:
        query["_id"] = {"$lt": before}
    return query


def page(db, query: dict, limit: int) -> list[dict]:
    """One page of movements, newest first."""
    return list(db.movements.find(query).sort("_id", DESCENDING).limit(limit))


def stream(db, query: dict, batch: int = 500):
    """Every matching movement, newest first, fetched a page at a time (for CSV export)."""
    while True:
        rows = page(db, query, batch)
        yield from rows
        if len(rows) < batch:
            return
        query = {**query, "_id": {"$lt": rows[-1]["_id"]}}


def totals(db, depot: str, sku: str) -> dict:
    """Sums of the projected ledger of one stock: what reconciliation compares with on hand."""
    rows = db.movements.aggregate([
        {"$match": {"depot": depot, "sku": sku}},
        {"$group": {"_id": None, "quantity": {"$sum": "$quantity"},
                    "reserved": {"$sum": "$reserved_change"}, "count": {"$sum": 1}}}])
    found = next(iter(rows), None) or {"quantity": 0, "reserved": 0, "count": 0}
    return {"on_hand": found["quantity"], "reserved": found["reserved"], "entries": found["count"]}
