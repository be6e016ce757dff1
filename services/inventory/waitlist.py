"""The FIFO waitlist of each depot: places, who is ahead, and serving it when stock frees up.

Fairness rule: a requisition waits behind every earlier waitlisted requisition of the same
depot that needs any of the same materials. A newcomer that overlaps the queue joins its end
without trying; a retry walks the queue in order and, once one requisition cannot be served,
nothing behind it that shares a material may take stock before it. A turn a worker died in part way
(the requisition holds some of its lines) is taken again by the next walk, whatever is ahead of it: it
is served in full or gives every hold back, and never waits holding stock.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterator

from pymongo import ASCENDING, ReturnDocument

from services.inventory.domain import stock_id
from services.inventory.lease import Busy

log = logging.getLogger(__name__)

WAITLISTED = "waitlisted"
BATCH = 50


def join(db, depot: str, place: int | None = None) -> int:
    """A place number at a depot for a requisition joining its waitlist; one that has a place (`place`) keeps it.

    The depot's counter also counts who waits, as a hint that is never too low: it goes up
    before a requisition is stored as waitlisted and down after it left (see `leave`), so a
    crash in between only costs a needless look at the queue, never a queue jump.
    """
    if place is not None:
        db.counters.update_one({"_id": f"waitlist/{depot}"}, {"$inc": {"waiting": 1}}, upsert=True)
        return place
    doc = db.counters.find_one_and_update({"_id": f"waitlist/{depot}"}, {"$inc": {"seq": 1, "waiting": 1}},
                                          upsert=True, return_document=ReturnDocument.AFTER)
    return doc["seq"]


def ticket(db, depot: str) -> int:
    """A place number taken by a requisition held at its approval without waiting: behind every place taken
    before and ahead of every one taken after, it is the place its approval gives it if it must wait later."""
    doc = db.counters.find_one_and_update({"_id": f"waitlist/{depot}"}, {"$inc": {"seq": 1}},
                                          upsert=True, return_document=ReturnDocument.AFTER)
    return doc["seq"]


def place_again(doc: dict) -> int | None:
    """The place of a held requisition that must wait again: the one it had when it first waited, else the one
    it took when its approval held it (None for one held before holds took one: it joins at the end)."""
    return doc.get("queue_seq") or doc.get("ticket")


def leave(db, depot: str) -> None:
    db.counters.update_one({"_id": f"waitlist/{depot}", "waiting": {"$gt": 0}}, {"$inc": {"waiting": -1}})


def anyone_waiting(db, depot: str) -> bool:
    doc = db.counters.find_one({"_id": f"waitlist/{depot}"}, {"waiting": 1})
    return bool(doc and doc.get("waiting", 0) > 0)


def position(db, depot: str, seq: int) -> int:
    """1 for the first in line: how many wait at the depot with a smaller place, plus one."""
    return db.reservations.count_documents(
        {"depot": depot, "status": WAITLISTED, "queue_seq": {"$lt": seq}}) + 1


def queue_ahead(db, doc: dict) -> bool:
    """Whether an earlier waitlisted requisition at the depot needs one of the same materials."""
    if not anyone_waiting(db, doc["depot"]):
        return False
    skus = [line["sku"] for line in doc["lines"]]
    return db.reservations.find_one(
        {"depot": doc["depot"], "status": WAITLISTED, "lines.sku": {"$in": skus}},
        {"_id": 1}) is not None


def _short_lines(db, doc: dict) -> Iterator[dict]:
    """Each line the depot has too little of now: available, with what the requisition holds itself (a worker
    serving it at this moment holds it, and its hold is no reason to pass it by); read one line at a time."""
    rid = doc["_id"]
    for line in doc["lines"]:
        stock = db.stock.find_one({"_id": stock_id(doc["depot"], line["sku"])}, {"available": 1, f"holds.{rid}": 1})
        if stock is None or stock["available"] + (stock.get("holds") or {}).get(rid, 0) < line["quantity"]:
            yield {"sku": line["sku"], "quantity": line["quantity"]}


def short(db, doc: dict) -> list[dict]:
    """The lines the depot has too little of now: what a requisition that begins to wait waits for; none when it
    waits behind earlier ones for material on hand."""
    return list(_short_lines(db, doc))


def _could_fit(db, doc: dict) -> bool:
    """A cheap read before any write: is every line available right now? (It stops at the first that is not.)"""
    return next(_short_lines(db, doc), None) is None


def retry(db, depot: str, serve: Callable[[str], bool]) -> int:
    """Walk the depot's waitlist in order, calling `serve(requisition_id)` where it may fit."""
    blocked: set[str] = set()
    served, after = 0, 0
    if not anyone_waiting(db, depot):
        return 0
    while True:
        docs = list(db.reservations.find(
            {"depot": depot, "status": WAITLISTED, "queue_seq": {"$gt": after}},
            {"lines": 1, "depot": 1, "queue_seq": 1, "held": 1}).sort("queue_seq", ASCENDING).limit(BATCH))
        for doc in docs:
            after = doc["queue_seq"]
            skus = {line["sku"] for line in doc["lines"]}
            # a turn a worker died in (it holds some lines) is taken again whatever is ahead or on hand: served
            # in full, or short and every hold given back; passed by, it held that stock while it waited
            interrupted = bool(doc.get("held"))
            if not interrupted and (skus & blocked or not _could_fit(db, doc)):
                blocked |= skus
                continue
            try:
                ok = serve(doc["_id"])
            except Busy:  # a live worker kept renewing its lease past a whole lease's wait: that worker settles it
                ok = False
            if ok:
                served += 1
            else:
                blocked |= skus
        if len(docs) < BATCH:
            return served
