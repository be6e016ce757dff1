"""Login limits: strict per username and address, loose per address, counted before the password is checked.

Each attempt takes a place in its counters with one conditional update before the password is
verified, so parallel guesses cannot slip past a limit. A username may fail PER_USER_AND_ADDRESS
times from one address in a window; then even the right password waits (429, Retry-After) until
the window ends. An address may fail PER_ADDRESS times over all usernames (password spraying from
one address); then only people who logged in from that address before (within KNOWN_FOR) may
still try, each within their own limit, so the staff of a depot behind one address keep working.
A success clears the username's counter for that address and gives back the address's place.
A new password set for a login (an admin's, or `rawbank user password`) clears its counters and lets that one
username past a closed address, as if known there, until it logs in with it or RESET_FOR ends: the clerk whose
password was reset gets in from the office address the others' failures closed, each try within their own limit,
while the address stays closed to every other name.
The counters live in the store, so every API process sees the same numbers.
"""
from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.requests import login_changes, users
from shared.errors import TooManyAttempts

WINDOW = timedelta(minutes=15)
PER_USER_AND_ADDRESS = 10
PER_ADDRESS = 100
KNOWN_FOR = timedelta(days=30)
RESET_FOR = timedelta(days=1)  # a new password set for a login gets it past a closed address for this long, once
INDEXES = {"login_attempts": [IndexModel([("until", ASCENDING)], expireAfterSeconds=0)]}


def _pair(username: str, address: str) -> str:
    return f"user:{username[:100]}|addr:{address}"


def _known(username: str, address: str) -> str:
    return f"known:{username[:100]}|addr:{address}"


def _reset(username: str) -> str:
    return f"reset:{username[:100]}"


def take(db, key: str, limit: int, now: datetime) -> None:
    """Count one attempt against `key`, or raise TooManyAttempts while its window is at `limit`."""
    for _ in range(3):
        if db.login_attempts.find_one_and_update({"_id": key, "until": {"$gt": now}, "count": {"$lt": limit}},
                                                 {"$inc": {"count": 1}}) is not None:
            return
        try:  # no window, or it ended: this attempt starts one
            db.login_attempts.update_one({"_id": key, "until": {"$lte": now}},
                                         {"$set": {"count": 1, "until": now + WINDOW}}, upsert=True)
            return
        except DuplicateKeyError:  # a window is open: at its limit, or another attempt just opened it
            doc = db.login_attempts.find_one({"_id": key})
            if doc is not None and doc["until"] > now and doc["count"] >= limit:
                raise TooManyAttempts(max(1, math.ceil((doc["until"] - now).total_seconds()))) from None
    raise TooManyAttempts(1)


def give_back(db, key: str, now: datetime) -> None:
    """Return the place an attempt took in `key` (it was not a failure)."""
    db.login_attempts.update_one({"_id": key, "until": {"$gt": now}, "count": {"$gt": 0}}, {"$inc": {"count": -1}})


def authenticate(db, username: str, password: str, address: str, now: datetime | None = None) -> dict:
    """users.authenticate within the limits; TooManyAttempts (not checked at all) past them."""
    now = now or datetime.now(timezone.utc)
    pair, by_address = _pair(username, address), f"addr:{address}"
    known = db.login_attempts.count_documents({"_id": {"$in": [_known(username, address), _reset(username)]},
                                               "until": {"$gt": now}}) > 0
    if not known:
        take(db, by_address, PER_ADDRESS, now)
    try:
        take(db, pair, PER_USER_AND_ADDRESS, now)
    except TooManyAttempts:
        if not known:
            give_back(db, by_address, now)
        raise
    login_changes.settle(db, username)  # a change of this login a crash left half done: finished or undone first
    user = users.authenticate(db, username, password)  # a BadLogin leaves both places taken: they count it
    db.login_attempts.delete_one({"_id": pair})
    if not known:
        give_back(db, by_address, now)
    db.login_attempts.update_one({"_id": _known(username, address)}, {"$set": {"until": now + KNOWN_FOR}},
                                 upsert=True)
    db.login_attempts.delete_one({"_id": _reset(username)})  # used: known where it logged in, new elsewhere
    return user


def _pairs_of(username: str) -> dict:
    """The filter of a username's counters, one per address it was tried from."""
    return {"_id": {"$regex": "^" + re.escape(_pair(username, ""))}}


def locked_out(db, usernames: list[str], now: datetime | None = None) -> set[str]:
    """Which of these usernames are locked out now (at their limit from some address), for the Users page."""
    if not usernames:
        return set()
    now = now or datetime.now(timezone.utc)
    found = db.login_attempts.find({"$or": [_pairs_of(name) for name in usernames],
                                    "until": {"$gt": now}, "count": {"$gte": PER_USER_AND_ADDRESS}}, {"_id": 1})
    locked = {doc["_id"].removeprefix("user:").rpartition("|addr:")[0] for doc in found}
    return {name for name in usernames if name[:100] in locked}


def clear(db, username: str, now: datetime | None = None) -> None:
    """Forget a username's failed attempts from every address and let it past an address closed by others' failures
    until it logs in (RESET_FOR at most): an admin set them a new password, so the person logs in with it at once
    instead of waiting out the window. An address's own limit stays for every other name."""
    now = now or datetime.now(timezone.utc)
    db.login_attempts.delete_many(_pairs_of(username))
    db.login_attempts.update_one({"_id": _reset(username)}, {"$set": {"until": now + RESET_FOR}}, upsert=True)
