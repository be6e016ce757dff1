"""A short lease on a reservation document, so one worker at a time moves a requisition's holds."""
from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from pymongo import ReturnDocument


class Busy(Exception):
    """Another worker holds this requisition's lease; try again shortly (a retryable error)."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@contextmanager
def leased(db, requisition_id: str, owner: str, seconds: float, *, wait: float):
    """Yield the reservation document while `owner` holds its lease (None if there is none).

    The lease is given back when the block ends normally or with an Exception. A process
    that dies (or a BaseException) keeps it until it expires, and then anyone may take over.
    """
    deadline = time.monotonic() + wait
    while True:
        now = utcnow()
        doc = db.reservations.find_one_and_update(
            {"_id": requisition_id,
             "$or": [{"lease": None}, {"lease.until": {"$lt": now}}, {"lease.owner": owner}]},
            {"$set": {"lease": {"owner": owner, "until": now + timedelta(seconds=seconds)}}},
            projection={"outbox": 0}, return_document=ReturnDocument.AFTER)
        if doc is not None:
            break
        if db.reservations.find_one({"_id": requisition_id}, {"_id": 1}) is None:
            yield None
            return
        if time.monotonic() >= deadline:
            raise Busy(requisition_id)
        time.sleep(0.02)
    try:
        yield doc
    except Exception:
        give_back(db, requisition_id, owner)
        raise
    give_back(db, requisition_id, owner)


def give_back(db, requisition_id: str, owner: str) -> None:
    db.reservations.update_one({"_id": requisition_id, "lease.owner": owner}, {"$unset": {"lease": ""}})
