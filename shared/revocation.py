"""Tokens revoked before they expire: a deny-list every service keeps until the tokens expire.

A logout revokes one token (its id); a new password revokes every token of its user issued before
it (a subject's entry, `sub:<name>`, with the first second whose tokens pass, `not_before`). The
service that logs people in writes either in one write, with a TokenRevoked event in the same
document's outbox; the other services store what that event says. Each service asks about the
caller's token id and subject in one lookup by `_id` at every request (shared/auth.current_principal),
so a revoked token stops working at once where it was revoked and, on the others, as soon as they
have the event.
"""
from __future__ import annotations

import math
from datetime import datetime, timezone

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from shared.envelope import new_event
from shared.relay import outbox_push

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


def subject_key(sub: str) -> str:
    """The entry of every token of one user (a token id is hex: never this)."""
    return f"sub:{sub}"


def not_before(changed_at: float) -> int:
    """The first second whose tokens pass after a change at `changed_at`: the next whole one.

    `iat` is whole seconds, so a token issued earlier in the change's own second carries the same
    `iat` as one issued later in it: both are refused, and a login in that second waits for the next
    (services/requests/users.login_token) rather than let a token from before the change through.
    """
    return math.floor(changed_at) + 1


def revoke_subject(db, sub: str, changed_at: float, keep_seconds: int, *, source: str,
                   correlation_id: str | None = None) -> int:
    """Deny every token of `sub` issued before `changed_at`, for `keep_seconds` (the longest a token may
    live), and tell the other services (the same write); return the first second whose tokens pass."""
    key, first = subject_key(sub), not_before(changed_at)
    until = expiry(first + keep_seconds)
    event = new_event(EVENT, key, {"token_id": key, "expires_at": until, "subject": sub,
                                   "issued_before": expiry(first)}, source=source, correlation_id=correlation_id)
    db[COLLECTION].update_one({"_id": key}, {"$max": {"not_before": first, "until": until},
                                             "$push": outbox_push(event)}, upsert=True)
    return first


def remember(db, data: dict) -> None:
    """Keep what another service revoked (a TokenRevoked event's payload): a token id, or a subject's tokens issued
    before a second (the latest such second wins, whatever the order events arrive in); replays change nothing."""
    if data.get("subject") is not None:
        first = int(data["issued_before"].timestamp())
        db[COLLECTION].update_one({"_id": subject_key(data["subject"])},
                                  {"$max": {"not_before": first, "until": data["expires_at"]}}, upsert=True)
        return
    db[COLLECTION].update_one({"_id": data["token_id"]}, {"$setOnInsert": {"until": data["expires_at"]}},
                              upsert=True)


def is_revoked(db, token_id: str | None, sub: str | None = None, issued: int | None = None) -> bool:
    """Whether the token was revoked itself, or its subject's tokens issued when it was (one lookup by _id)."""
    if token_id is None:
        return False
    if sub is None:
        return db[COLLECTION].find_one({"_id": token_id}, {"_id": 1}) is not None
    issued = -1 if issued is None else issued  # no iat: as old as can be
    found = db[COLLECTION].find({"_id": {"$in": [token_id, subject_key(sub)]}}, {"not_before": 1})
    return any(entry.get("not_before", issued + 1) > issued for entry in found)  # a token's entry has none


def subject_not_before(db, sub: str) -> int:
    """The first second whose tokens of `sub` pass (0: none of them was ever revoked)."""
    entry = db[COLLECTION].find_one({"_id": subject_key(sub)}, {"not_before": 1})
    return (entry or {}).get("not_before", 0)


def expiry(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc)
