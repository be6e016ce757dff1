"""A change of a login that ends its tokens (deactivated, another role, another depot) and, for an active admin's,
must not leave the bank without an active admin: whole, whatever crash or error comes between its writes.

There are no multi-document transactions (DESIGN.md, "Consistency rules"), so the change is written with a mark,
`pending`, in the same update: its id, what puts the login back as it was (an active admin's change only), the
lifetime of the tokens to end and the request's correlation id. Then, counted after that write, no active admin
left undoes the change and drops the mark in one update and refuses it (LastAdmin); otherwise the login's tokens
end and the mark goes. A crash or an error anywhere in between leaves the mark, and whoever comes next finishes it
the same way (`settle`, once per request): each start of the service, the Users list and every change of a login
(all marks), a login (its own). Each step after the write is conditional on the mark's id, so a change is
finished or undone once, whoever gets there first; its request, if it still runs, answers as that step went.

Two admins changing each other at once: each counts after its own write, so the later count sees the other's
change (done, or still marked) and finds no admin; both may be refused, never both let through. A change settled by
someone else was counted after its write too, so the same holds.
"""
from __future__ import annotations

import time
import uuid

from services.requests import staff_names, users
from services.requests.errors import LastAdmin

MARK = "pending"
ACTIVE_ADMINS = {"role": "admin", "active": {"$ne": False}}


def change(db, username: str, expect: dict, update: dict, *, undo: dict | None, token_ttl: int,
           correlation_id: str | None = None) -> bool:
    """Store `update` of a login that is still as `expect` says, with no change of it pending, and finish it (its
    tokens end); False, with nothing written, if it is not (read it again). `undo` (an update with $set and $unset
    putting it back) is given for an active admin's change: undone and refused (LastAdmin) if no active admin is
    left after it."""
    mark = {"id": uuid.uuid4().hex, "token_ttl": token_ttl, "correlation_id": correlation_id,
            "undo": None if undo is None else {"set": undo.get("$set", {}), "unset": sorted(undo.get("$unset", {}))}}
    written = db.users.update_one({"_id": username, f"{MARK}.id": {"$exists": False}, **expect},
                                  {**update, "$set": {**update.get("$set", {}), MARK: mark}})
    if not written.matched_count:
        return False
    _finish(db, username, mark)
    return True


def settle(db, username: str | None = None) -> None:
    """Finish or undo each change a crash or an error left pending (`username`'s only, if given)."""
    for doc in list(db.users.find({f"{MARK}.id": {"$exists": True}, **({"_id": username} if username else {})},
                                  {MARK: 1})):
        try:
            _finish(db, doc["_id"], doc[MARK])
        except LastAdmin:
            pass  # undone: the login is as it was


def at_start(db, config) -> None:
    """The service starts: every change a crash left half done is finished or undone."""
    settle(db)


def active_admins(db) -> int:
    return db.users.count_documents(ACTIVE_ADMINS)


def _finish(db, username: str, mark: dict) -> None:
    """The steps after the write, each taken once whoever takes it: undo, or end the tokens and drop the mark."""
    undo = mark.get("undo")
    if undo is not None and active_admins(db) == 0:
        back = {"$unset": {MARK: "", **dict.fromkeys(undo["unset"], "")}, **({"$set": undo["set"]} if undo["set"]
                                                                               else {})}
        if "role" in undo["set"]:  # its new role was told (staff_names): the role it has again is told after it
            named = db.users.find_one({"_id": username}, {"name": 1, "name_hi": 1}) or {}
            back = staff_names.telling(back, username, undo["set"]["role"], named.get("name"), named.get("name_hi"),
                                       correlation_id=mark["correlation_id"])
        db.users.update_one({"_id": username, f"{MARK}.id": mark["id"]}, back)
        if _undone(db, username, undo):  # by this update, or by whoever settled it first
            raise LastAdmin({"username": username})
        return  # finished by whoever settled it first: it stands, its tokens ended
    # after the write: a login that checked the password before it has a token no later than this, refused too
    users.end_tokens(db, username, time.time(), token_ttl=mark["token_ttl"], correlation_id=mark["correlation_id"])
    if not db.users.update_one({"_id": username, f"{MARK}.id": mark["id"]}, {"$unset": {MARK: ""}}).matched_count \
            and undo is not None and _undone(db, username, undo):
        raise LastAdmin({"username": username})  # whoever settled it first counted no admin left and undid it


def _undone(db, username: str, undo: dict) -> bool:
    doc = db.users.find_one({"_id": username}) or {}
    return MARK not in doc and all(doc.get(field) == value for field, value in undo["set"].items()) \
        and not any(field in doc for field in undo["unset"])
