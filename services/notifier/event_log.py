"""The notifier's log of every integration event it consumed, each stored once."""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from shared.envelope import Event

INDEXES = {"events": [IndexModel([("received_at", DESCENDING), ("_id", DESCENDING)]),
                      IndexModel([("type", 1), ("received_at", DESCENDING), ("_id", DESCENDING)])]}


def record(db, event: Event) -> bool:
    """Store the event under its id; a duplicate delivery changes nothing. True if new."""
    try:
        db.events.insert_one({"_id": event.event_id, **event.to_dict(),
                              "received_at": datetime.now(timezone.utc)})
    except DuplicateKeyError:
        return False
    return True


def recent(db, *, type_: str | None = None, limit: int = 50, before: datetime | None = None,
           skip: int = 0) -> list[dict]:
    """Newest first; `before` is the received_at of the last item of the previous page (or `skip` that many)."""
    query = {}
    if type_:
        query["type"] = type_
    if before:
        query["received_at"] = {"$lt": before}
    return list(db.events.find(query, {"_id": 0}).sort([("received_at", DESCENDING), ("_id", DESCENDING)])
                .skip(skip).limit(limit))
