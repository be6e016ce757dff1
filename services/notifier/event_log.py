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
           before_event: str | None = None, skip: int = 0) -> list[dict]:
    """Newest first, a page at a time: after the previous page's last item, given by its `received_at`
    (`before`) and, so that events received in the same moment are not skipped, its id (`before_event`);
    or `skip` that many."""
    query = {"type": type_} if type_ else {}
    if before and before_event:
        # In (received_at, _id) descending order, the events received at `before` whose id is not below
        # `before_event` come first among those received by then: the previous page showed them.
        skip += db.events.count_documents({**query, "received_at": before, "_id": {"$gte": before_event}})
        query["received_at"] = {"$lte": before}
    elif before:
        query["received_at"] = {"$lt": before}
    return list(db.events.find(query, {"_id": 0}).sort([("received_at", DESCENDING), ("_id", DESCENDING)])
                .skip(skip).limit(limit))
