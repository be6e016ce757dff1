"""Copies of requests' staff logins in words ({login: role, name, name_hi}), folded from its StaffNamed events, so
that a service keeping no users names its staff on its pages as requests does (shared.pages.in_words): "Suresh Yadav
(wh-vns-2)", not the bare login. A login with no copy reads as before: the login.

Each event carries the whole record and when it was told (`at`): the newest kept wins, so a replay, a duplicate or an
older event arriving late changes nothing.
"""
from __future__ import annotations

from datetime import timezone

from pymongo.errors import DuplicateKeyError

COLLECTION = "staff"
FIELDS = ("role", "name", "name_hi")


def remember(db, data: dict) -> None:
    """Keep a StaffNamed event's record of its login, unless the copy is as new or newer."""
    at = data["at"].astimezone(timezone.utc).isoformat(timespec="microseconds")
    older = {"$or": [{"at": {"$lt": at}}, {"at": {"$exists": False}}]}
    try:
        db[COLLECTION].update_one({"_id": data["login"], **older},
                                  {"$set": {**{k: data.get(k) for k in FIELDS}, "at": at}}, upsert=True)
    except DuplicateKeyError:
        pass  # the copy is as new (this very event again) or newer: kept


def known(db, logins) -> dict[str, dict]:
    """Each of `logins` with a copy, as {role, name, name_hi}: one query for them all."""
    logins = sorted({login for login in logins if isinstance(login, str)})
    if not logins:
        return {}
    return {doc["_id"]: {k: doc.get(k) for k in FIELDS}
            for doc in db[COLLECTION].find({"_id": {"$in": logins}}).limit(len(logins))}
