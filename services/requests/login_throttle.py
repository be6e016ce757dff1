"""Failed logins counted per username and address, and per address, in the store.

The counters live in the store so every gunicorn worker (and every API process) sees the same
numbers. A window starts at the first failure; while a counter is at its limit, even the right
password is refused with 429 and Retry-After until the window ends. A success clears the
username's counter for that address.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from pymongo import ASCENDING, IndexModel, ReturnDocument

from services.requests import users
from services.requests.errors import BadLogin
from shared.errors import TooManyAttempts

WINDOW = timedelta(minutes=15)
PER_USER_AND_ADDRESS = 10
PER_ADDRESS = 100
INDEXES = {"login_attempts": [IndexModel([("until", ASCENDING)], expireAfterSeconds=0)]}


def _keys(username: str, address: str | None) -> list[tuple[str, int]]:
    address = address or "-"
    return [(f"user:{username[:100]}|addr:{address}", PER_USER_AND_ADDRESS), (f"addr:{address}", PER_ADDRESS)]


def check(db, username: str, address: str | None, now: datetime) -> None:
    """Raise TooManyAttempts (with the seconds to wait) while a counter is at its limit."""
    for key, limit in _keys(username, address):
        doc = db.login_attempts.find_one({"_id": key, "until": {"$gt": now}})
        if doc is not None and doc["count"] >= limit:
            wait = max(1, math.ceil((doc["until"] - now).total_seconds()))
            raise TooManyAttempts(wait)


def failed(db, username: str, address: str | None, now: datetime) -> None:
    """Count one failed login against both counters."""
    for key, _ in _keys(username, address):
        doc = db.login_attempts.find_one_and_update({"_id": key, "until": {"$gt": now}}, {"$inc": {"count": 1}},
                                                    return_document=ReturnDocument.AFTER)
        if doc is None:  # no window yet, or it ended: this failure starts one
            db.login_attempts.update_one({"_id": key}, {"$set": {"count": 1, "until": now + WINDOW}}, upsert=True)


def authenticate(db, username: str, password: str, address: str | None, now: datetime | None = None) -> dict:
    """users.authenticate, refused with TooManyAttempts after too many failures from this address."""
    now = now or datetime.now(timezone.utc)
    check(db, username, address, now)
    try:
        user = users.authenticate(db, username, password)
    except BadLogin:
        failed(db, username, address, now)
        raise
    db.login_attempts.delete_one({"_id": _keys(username, address)[0][0]})
    return user
