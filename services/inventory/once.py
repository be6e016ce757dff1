"""Inventory's creating POSTs applied once per Idempotency-Key (shared/idempotency.py).

A key's claim (collection `idempotency`, made at its first use) keeps the fingerprint of the body it
came with and pins the id its record gets: a movement id (ids sort by time, so none can be derived
from the key), or the number of a purchase order or a count. The write with that id happens once
however often it is asked: a stock write skips a movement id already in the ledger (stock_writes),
an order or a count is one insert of its id. So a retry after a crash at any point, or the same key
twice at once, applies the request exactly once; the answer of a retry is the record as it stands.

A claim outlives a refusal (not enough stock): the same body may be sent again with its key, another
body needs another key. An order or a count is checked before its key is claimed.
"""
from __future__ import annotations

from typing import Callable

from pymongo.errors import DuplicateKeyError

from services.inventory import counts, ledger, movements, purchase_orders, replenishment
from services.inventory.numbers import next_number
from services.inventory.store import load_stock
from services.inventory.stock_writes import stock_view
from shared import idempotency
from shared.errors import IdempotencyKeyReused


def movement(db, body: dict, *, key_id: str | None, by: str, correlation_id=None,
             seen_from=None) -> tuple[dict, bool]:
    """record_movement, once per key (`key_id`: idempotency.record_id); True if it was recorded now."""
    if key_id is None:
        return movements.record_movement(db, body, by=by, correlation_id=correlation_id, seen_from=seen_from), True
    canonical = {"request": "movement", **body}
    mid = _claim(db, key_id, canonical, lambda: {"movement_id": ledger.new_movement_id()})["movement_id"]
    if not ledger.recorded(db, body["depot"], body["sku"], mid):
        done = movements.record_movement(db, body, by=by, correlation_id=correlation_id, seen_from=seen_from,
                                         movement_id=mid)
        if _answered_first(db, key_id):
            return done, True
    return _movement_as_stored(db, body, mid), False


def purchase_order(db, body: dict, *, key_id: str | None, by: str) -> tuple[dict, bool]:
    """A draft purchase order (purchase_orders.create), once per key."""
    return _numbered(db, key_id, {"request": "purchase_order", **body}, "purchase_orders", ("purchase_order", "PO"),
                     lambda number: purchase_orders.create(db, body, by=by, number=number),
                     lambda number: purchase_orders.get(db, number))


def suggested_order(db, body: dict, *, key_id: str | None, by: str) -> tuple[dict, bool]:
    """A draft of what is suggested (replenishment.draft_order), once per key."""
    return _numbered(db, key_id, {"request": "suggested_order", **body}, "purchase_orders", ("purchase_order", "PO"),
                     lambda number: replenishment.draft_order(db, body, by=by, number=number),
                     lambda number: purchase_orders.get(db, number))


def count(db, depot: str, *, key_id: str | None, by: str) -> tuple[dict, bool]:
    """A new stock count at a depot (counts.start), once per key."""
    return _numbered(db, key_id, {"request": "count", "depot": depot}, "counts", ("count", "CNT"),
                     lambda number: counts.start(db, depot, by=by, number=number),
                     lambda number: counts.view(counts.get(db, number)))


def _claim(db, key_id: str, canonical: dict, pins: Callable[[], dict]) -> dict:
    """The key's claim; the key sent with another body before is refused (409), whatever became of that one."""
    fingerprint = idempotency.fingerprint(canonical)
    return _same(idempotency.claim(db.idempotency, key_id, lambda: {"fingerprint": fingerprint, **pins()}), canonical)


def _same(claim: dict, canonical: dict) -> dict:
    if claim["fingerprint"] != idempotency.fingerprint(canonical):
        raise IdempotencyKeyReused({k: v for k, v in claim.items() if k in ("movement_id", "number")})
    return claim


def _answered_first(db, key_id: str) -> bool:
    """Whether this is the first answer given for the key (two sent at once: one says it was made now)."""
    return db.idempotency.update_one({"_id": key_id, "answered": {"$exists": False}},
                                     {"$set": {"answered": True}}).modified_count == 1


def _movement_as_stored(db, body: dict, mid: str) -> dict:
    """What POST /movements answered for a movement stored before: the same fields, the stock as it is now."""
    stock = load_stock(db, body["depot"], body["sku"])[0]
    answer = {"movement_id": mid, "type": body["type"], "sku": body["sku"], "depot": body["depot"],
              "to_depot": body.get("to_depot"), "stock": stock_view(stock),
              "quantity": -body["quantity"] if body["type"] == "return" else body["quantity"]}
    if body["type"] == "receipt":
        answer["lot"] = _entry(db, body, mid).get("lot", "")
    return answer


def _entry(db, body: dict, mid: str) -> dict:
    """A movement's ledger entry, still in its stock's journal or copied to `movements` (read in that order)."""
    doc = db.stock.find_one({"_id": f"{body['depot']}/{body['sku']}"}, {"journal": 1}) or {}
    pending = next((item for item in doc.get("journal", ()) if item["_id"] == mid), None)
    return pending or db.movements.find_one({"_id": mid}) or {}


def _numbered(db, key_id: str | None, canonical: dict, collection: str, series: tuple[str, str],
              make: Callable, show: Callable[[str], dict]) -> tuple[dict, bool]:
    """A record numbered from a series, made once per key: `make(number)` checks the request, then asks
    `number()` for its number (the key's) and inserts it; `show(number)` is the record made before."""
    if key_id is None:
        return make(None), True
    claim = db.idempotency.find_one({"_id": key_id})
    if claim is not None:  # answered from what is stored, before any check of what may have changed since
        _same(claim, canonical)
        if db[collection].find_one({"_id": claim["number"]}, {"_id": 1}) is not None:
            return show(claim["number"]), False
    pinned = {}

    def number() -> str:
        pinned.update(_claim(db, key_id, canonical, lambda: {"number": next_number(db, *series)}))
        return pinned["number"]
    try:
        make(number)
    except DuplicateKeyError:  # the same key twice at once: the other one inserted it
        if not pinned:
            raise
        return show(pinned["number"]), False
    return show(pinned["number"]), True  # as stored, as a retry will see it (times to the millisecond)
