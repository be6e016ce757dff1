"""Copies of requests' staff logins in words ({login: role, name, name_hi}), folded from its StaffNamed events, so
that a service keeping no users names its staff on its pages as requests does (shared.pages.in_words): "Suresh Yadav
(wh-vns-2)", not the bare login. A login with no copy reads as before: the login.

Each event carries the whole record and when it was told (`at`): the newest kept wins, so a replay, a duplicate or an
older event arriving late changes nothing.
"""
from __future__ import annotations

from datetime import timezone

from pymongo.errors import DuplicateKeyError

from shared.i18n import translate
from shared.names import ACTORS
from shared.spreadsheet import safe_cell

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


#: a CSV's who-did-it name columns, put last (workbooks read columns by position): `by_name` the login's display
#: name, `by_name_hi` its Hindi one (else the name, as the Hindi pages say it); rawbank's own actors in words
NAME_COLUMNS = ("by_name", "by_name_hi")


def name_cells(db):
    """login -> [name, name in Hindi] for a CSV's rows (NAME_COLUMNS): the copies of the staff's names are read once,
    at the first call (a file streams its rows; the staff are few), rawbank's own actors said in words, and a login
    with no name in the copy (unknown, or no name given) as empty cells."""
    named: dict[str, list[str]] | None = None

    def cells(login) -> list[str]:
        nonlocal named
        if login in ACTORS:
            return [translate(ACTORS[login], "en"), translate(ACTORS[login], "hi")]
        if named is None:
            named = {doc["_id"]: [safe_cell(doc["name"]), safe_cell(doc.get("name_hi") or doc["name"])]
                     for doc in db[COLLECTION].find({}, {"name": 1, "name_hi": 1}) if doc.get("name")}
        return list(named.get(login, ("", "")))
    return cells
