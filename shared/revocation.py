"""Tokens revoked before they expire (logout): a deny-list every service keeps until the token expires.

The service that logs people in revokes a token in one write, with a TokenRevoked event in the
same document's outbox; the other services store that event's token id. Each service looks the
caller's token id up at every request (shared/auth.current_principal), so a revoked token stops
working at once where it was revoked and, on the others, as soon as they have the event.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from shared.envelope import new_event

COLLECTION = "revoked_tokens"
EVENT = "TokenRevoked"
INDEXES = {COLLECTION: [IndexModel([("until", ASCENDING)], expireAfterSeconds=0),
                        IndexModel([("outbox.event_id", ASCENDING)], sparse=True)]}


def revoke(db, token_id: str, expires_at: datetime, *, source: str, correlation_id: str | None = None) -> None:
    """Deny a token from now until it expires, and tell the other services (the same write); twice is once."""
    event = new_event(EVENT, token_id, {"token_id": token_id, "expires_at": expires_at}, source=source,
                      correlation_id=correlation_id)
    try:
        db[COLLECTION].insert_one({"_id": token_id, "until": expires_at, "outbox": [event.to_dict()]})
    except DuplicateKeyError:
        pass


def remember(db, data: dict) -> None:
    """Keep a token id another service revoked (a TokenRevoked event's payload); replays change nothing."""
    db[COLLECTION].update_one({"_id": data["token_id"]}, {"$setOnInsert": {"until": data["expires_at"]}},
                              upsert=True)


def is_revoked(db, token_id: str | None) -> bool:
    return token_id is not None and db[COLLECTION].find_one({"_id": token_id}, {"_id": 1}) is not None


def expiry(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc)
