"""The Users page's use cases, while rawbank runs: list, add, set a new password, deactivate or reactivate a login,
and change one's own password; and `rawbank user password` (set_password_from_cli), which sets a new password with
rawbank stopped.

Before, only `rawbank user add|password` did this, and only with rawbank stopped (it needs the data directory to
itself): a person locked out waited until someone stopped every service. These use the same checks
(users.refusals, users._check_password), the same revocation (users.change_password) and the same login limits
(login_throttle) as the command and the login do.
"""
from __future__ import annotations

import re
import time

from pymongo.errors import DuplicateKeyError

from services.requests import login_changes, login_throttle, staff_names, users
from services.requests.errors import (ArtisanHasOtherLogin, BadLogin, OwnLogin, OwnPassword, OwnRole, UnknownUser,
                                      UsernameTaken)
from shared.auth import Principal
from shared.config import SettingError
from shared.console import both
from shared.errors import AlreadyExists, Busy, Invalid
from shared.i18n import F_, in_both
from shared.names import STAFF

PUBLIC = {"password_hash": 0}  # never leaves the store
NEEDS = {"artisan": ("artisan_id", F_("an artisan's login needs their artisan number")),
         "secretary": ("cooperative", F_("a secretary's login needs their cooperative"))}
NOT_CURRENT = F_("this is not your current password")
SAME_PASSWORD = F_("this is your current password; choose a new one")
ONLY_WAREHOUSE = users.ONLY_WAREHOUSE
ONLY_STAFF = F_("only warehouse staff become admins and admins warehouse staff; an artisan's or a secretary's login "
                "stays theirs: add another login")


def _query(q: str | None, role: str | None, active: bool | None) -> dict:
    query: dict = {}
    if q:
        words = re.compile(re.escape(q), re.IGNORECASE)
        query["$or"] = [{field: words} for field in ("_id", "depot", "cooperative", "artisan_id")]
    if role:
        query["role"] = role
    if active is not None:
        query["active"] = {"$ne": False} if active else False
    return query


def view(doc: dict, locked: set[str]) -> dict:
    """A login as the Users page and GET /api/v1/users show it: never its hash."""
    return {"username": doc["_id"], "role": doc["role"], "depot": doc.get("depot"),
            "cooperative": doc.get("cooperative"), "artisan_id": doc.get("artisan_id"),
            "active": doc.get("active") is not False, "locked_out": doc["_id"] in locked,
            "language": doc.get("language"), "name": doc.get("name"), "name_hi": doc.get("name_hi")}


def settle(db) -> None:
    """Before the Users list is read (its count, then its page, or the page then its count): each change of a
    login a crash or an error left half done is finished or undone, once per request (login_changes)."""
    login_changes.settle(db)


def listing(db, *, q=None, role=None, active=None, limit=100, offset=0) -> list[dict]:
    """Logins in name order, a page at a time, each saying whether it is locked out now (`settle` first)."""
    docs = list(db.users.find(_query(q, role, active), PUBLIC).sort("_id", 1).skip(offset).limit(limit))
    locked = login_throttle.locked_out(db, [doc["_id"] for doc in docs])
    return [view(doc, locked) for doc in docs]


def count(db, *, q=None, role=None, active=None) -> int:
    """How many logins match (`settle` first)."""
    return db.users.count_documents(_query(q, role, active))


def get(db, username: str) -> dict:
    doc = db.users.find_one({"_id": username}, PUBLIC)
    if doc is None:
        raise UnknownUser({"username": username})
    return view(doc, login_throttle.locked_out(db, [username]))


def add(db, body: dict) -> dict:
    """A new login, checked as `rawbank user add` checks one (each field's problem said under it); 409 if taken."""
    found = {field: [refusal.en] for field, refusal in users.refusals(
        db, username=body["username"], password=body["password"], artisan_id=body.get("artisan_id"),
        depot=body.get("depot"), cooperative=body.get("cooperative"), role=body["role"]).items()}
    if body["role"] in NEEDS and not body.get(NEEDS[body["role"]][0]):
        field, text = NEEDS[body["role"]]
        found.setdefault(field, [text])
    if found:
        raise Invalid(found)
    try:
        users.add_user(db, username=body["username"], password=body["password"], role=body["role"],
                       artisan_id=body.get("artisan_id"), depot=body.get("depot"),
                       cooperative=body.get("cooperative"), name=body.get("name"), name_hi=body.get("name_hi"))
    except AlreadyExists:
        raise UsernameTaken({"username": body["username"]}) from None
    return get(db, body["username"])


def set_password(db, by: Principal, username: str, password: str, *, token_ttl: int,
                 correlation_id: str | None = None) -> dict:
    """An admin gives a login a new password: every token it had ends on every service, and its login lockout is
    forgotten, so the person logs in with the new password at once. Their own: Change my password."""
    if username == by.sub:
        raise OwnPassword({"username": username})
    _replace_password(db, username, password, lambda: _new_password("password", password),
                      lambda: UnknownUser({"username": username}), token_ttl=token_ttl, correlation_id=correlation_id)
    return get(db, username)


def set_password_from_cli(db, *, username: str, password: str | None, token_ttl: int = 3600) -> str | None:
    """`rawbank user password`: give an existing user a new password (a demo user's, a forgotten one) and end
    every login they had, as set_password does on the Users page; return what to print (English, then Hindi),
    raise SettingError otherwise. With no password it only checks that the user exists, changing nothing: the
    command asks for a password only for a login there is."""
    if password is None:
        if db.users.find_one({"_id": username}, {"_id": 1}) is None:
            raise SettingError.said(users.NO_SUCH_USER, username=repr(username))
        return None
    _replace_password(db, username, password, lambda: users._check_password(password),
                      lambda: SettingError.said(users.NO_SUCH_USER, username=repr(username)), token_ttl=token_ttl)
    return both(*in_both(users.PASSWORD_SET, username=username))


def _replace_password(db, username: str, password: str, check, unknown, *, token_ttl: int,
                      correlation_id: str | None = None) -> None:
    """The steps both ways of giving a password take: `check()` the password (raises its refusal), hash it (slow on
    purpose: before any write, so the writes follow at once), raise `unknown()` for a login that does not exist, end
    every token the login had and forget its lockout (the new password logs in at once, no lockout to wait)."""
    check()
    password_hash = users._hasher.hash(password)
    if db.users.find_one({"_id": username}, {"_id": 1}) is None:
        raise unknown()
    users.change_password(db, username, password_hash, token_ttl=token_ttl, correlation_id=correlation_id)
    login_throttle.clear(db, username)


def set_active(db, by: Principal, username: str, active: bool, *, token_ttl: int,
               correlation_id: str | None = None) -> dict:
    """Deactivate a login (its login is refused, every token it had ends on every service) or reactivate it.

    An admin cannot deactivate themself, nor the last active admin: the change is stored, the active admins are
    counted after it and, if none is left, it is undone and refused (two admins deactivating each other at once
    may both be refused; never both let through). A crash in between is finished or undone by whoever comes next
    (login_changes)."""
    login_changes.settle(db)
    return _set_active(db, by, username, active, token_ttl=token_ttl, correlation_id=correlation_id)


def _set_active(db, by: Principal, username: str, active: bool, *, token_ttl: int,
                correlation_id: str | None = None) -> dict:
    """set_active, the changes left pending settled; a write refused (changed meanwhile, or a change of it left
    pending since) is tried again through set_active, which settles first."""
    if not active and username == by.sub:
        raise OwnLogin({"username": username})
    before = db.users.find_one({"_id": username}, {"role": 1, "active": 1, "artisan_id": 1})
    if before is None:
        raise UnknownUser({"username": username})
    if active:
        _reactivate(db, username, before)
        return get(db, username)
    if before.get("active") is False:  # deactivated already: its tokens end again, as before
        users.end_tokens(db, username, time.time(), token_ttl=token_ttl, correlation_id=correlation_id)
        return get(db, username)
    if not login_changes.change(db, username, {"role": before["role"], "active": {"$ne": False}},
                                {"$set": {"active": False}, "$unset": {users.ONE_LOGIN: ""}},  # a new one may come
                                undo={"$unset": {"active": ""}} if before["role"] == "admin" else None,
                                token_ttl=token_ttl, correlation_id=correlation_id):  # changed meanwhile: again
        return set_active(db, by, username, active, token_ttl=token_ttl, correlation_id=correlation_id)
    return get(db, username)


def move_to_depot(db, username: str, depot: str | None, *, token_ttl: int,
                  correlation_id: str | None = None) -> dict:
    """Warehouse staff moved to another depot (None: every depot), as a clerk transferred between districts is,
    without a new login: every token they had ends on every service (each named the old depot), so their next
    login works at the new one. The depot it is already is no change; another role has no depot (400)."""
    login_changes.settle(db)
    return _move_to_depot(db, username, depot, token_ttl=token_ttl, correlation_id=correlation_id)


def _move_to_depot(db, username: str, depot: str | None, *, token_ttl: int,
                   correlation_id: str | None = None) -> dict:
    """move_to_depot, the changes left pending settled; a write refused (changed meanwhile, or a change of it left
    pending since) is tried again through move_to_depot, which settles first."""
    before = db.users.find_one({"_id": username}, {"role": 1, "depot": 1})
    if before is None:
        raise UnknownUser({"username": username})
    if before["role"] != "warehouse":
        raise Invalid({"depot": [ONLY_WAREHOUSE]})
    if depot and db.depots.find_one({"_id": depot}, {"_id": 1}) is None:
        raise Invalid({"depot": [users.unknown_depot(db, depot).en]})  # as adding one says
    if before.get("depot") == depot:
        return get(db, username)
    if not login_changes.change(db, username, {"role": "warehouse", "depot": before.get("depot")},
                                {"$set": {"depot": depot}} if depot else {"$unset": {"depot": ""}}, undo=None,
                                token_ttl=token_ttl, correlation_id=correlation_id):  # changed meanwhile: again
        return move_to_depot(db, username, depot, token_ttl=token_ttl, correlation_id=correlation_id)
    return get(db, username)


def _reactivate(db, username: str, before: dict) -> None:
    """Let a login in again; an artisan's only while they have no other active login (409 artisan_has_login, naming
    it), kept so by the unique users.ONE_LOGIN when another is added or reactivated at the same moment."""
    artisan = before.get("artisan_id") if before["role"] == "artisan" and before.get("active") is False else None
    if artisan is None:
        db.users.update_one({"_id": username}, {"$unset": {"active": ""}})
        return
    users.one_login(db, artisan, besides=username, refusal=ArtisanHasOtherLogin)
    try:
        db.users.update_one({"_id": username}, {"$unset": {"active": ""}, "$set": {users.ONE_LOGIN: artisan}})
    except DuplicateKeyError:
        users.one_login(db, artisan, besides=username, refusal=ArtisanHasOtherLogin)
        raise Busy() from None  # that one deactivated meanwhile: the request may be sent again


KEEP = object()  # change_role's depot when none was given
NAMED = {"name": 1, "name_hi": 1}  # a login's display name, English and Hindi


def change_role(db, by: Principal, username: str, role: str, depot=KEEP, *, token_ttl: int,
                correlation_id: str | None = None) -> dict:
    """Warehouse staff made an admin (their depot goes: an admin works for every depot), or an admin made warehouse
    staff at `depot` (None: every depot), as staff are promoted or step back, without a new login: every token they
    had ends (each named the old role). Not one's own role (422 own_login), nor the last active admin's (422
    last_admin, kept as set_active keeps it); the role it is already is no change but for a depot given (KEEP: none
    given; a warehouse role given without one works at every depot)."""
    login_changes.settle(db)
    return _change_role(db, by, username, role, depot, token_ttl=token_ttl, correlation_id=correlation_id)


def _change_role(db, by: Principal, username: str, role: str, depot=KEEP, *, token_ttl: int,
                 correlation_id: str | None = None) -> dict:
    """change_role, the changes left pending settled; a write refused (changed meanwhile, or a change of it left
    pending since) is tried again through change_role, which settles first."""
    if username == by.sub:
        raise OwnRole({"username": username})
    before = db.users.find_one({"_id": username}, {"role": 1, "depot": 1, "active": 1, **NAMED})
    if before is None:
        raise UnknownUser({"username": username})
    if before["role"] not in STAFF or role not in STAFF:  # an artisan's or a secretary's login is their record's
        raise Invalid({"role": [ONLY_STAFF]})
    if role == "admin" and depot is not KEEP and depot:
        raise Invalid({"depot": [ONLY_WAREHOUSE]})
    if before["role"] == role:
        return get(db, username) if depot is KEEP or role == "admin" else \
            _move_to_depot(db, username, depot, token_ttl=token_ttl, correlation_id=correlation_id)
    at = None if depot is KEEP else depot
    if at and db.depots.find_one({"_id": at}, {"_id": 1}) is None:
        raise Invalid({"depot": [users.unknown_depot(db, at).en]})
    named = {field: before.get(field) for field in NAMED}
    change = staff_names.telling({"$set": {"role": role, **({"depot": at} if at else {})}}, username, role, **named,
                                 correlation_id=correlation_id)
    if not at:
        change["$unset"] = {"depot": ""}
    undo = {"$set": {"role": "admin", "depot": before["depot"]}} if "depot" in before else \
        {"$set": {"role": "admin"}, "$unset": {"depot": ""}}
    inactive = before.get("active") is False
    expect = {"role": before["role"], "active": False if inactive else {"$ne": False}, **named}  # told as it is
    was_admin = before["role"] == "admin" and not inactive  # an active admin's change: kept as set_active keeps it
    if not login_changes.change(db, username, expect, change, undo=undo if was_admin else None,
                                token_ttl=token_ttl, correlation_id=correlation_id):  # changed meanwhile: again
        return change_role(db, by, username, role, depot, token_ttl=token_ttl, correlation_id=correlation_id)
    return get(db, username)


def update(db, by: Principal, username: str, changes: dict, *, token_ttl: int,
           correlation_id: str | None = None) -> dict:
    """PATCH /users/{username}: a new `role` (with the `depot` given, if any), else another `depot`, then `active`
    or not, each as change_role, move_to_depot and set_active do, the changes left pending settled once first."""
    login_changes.settle(db)
    changed = None
    if NAMED.keys() & changes.keys():
        changed = _rename(db, username, {field: changes[field] for field in NAMED if field in changes},
                          correlation_id=correlation_id)
    if "role" in changes:
        depot = changes["depot"] or None if "depot" in changes else KEEP
        changed = _change_role(db, by, username, changes["role"], depot, token_ttl=token_ttl,
                               correlation_id=correlation_id)
    elif "depot" in changes:
        changed = _move_to_depot(db, username, changes["depot"] or None, token_ttl=token_ttl,
                                 correlation_id=correlation_id)
    if "active" not in changes:
        return changed
    return _set_active(db, by, username, changes["active"], token_ttl=token_ttl, correlation_id=correlation_id)


def _rename(db, username: str, names: dict, *, correlation_id: str | None = None) -> dict:
    """A login's new display name (English, Hindi; empty or null: none); a staff login's is told to the other
    services (staff_names) in the same write, which holds only while its role and names are as read."""
    before = db.users.find_one({"_id": username}, {"role": 1, **NAMED})
    if before is None:
        raise UnknownUser({"username": username})
    was = {field: before.get(field) for field in NAMED}
    now = {**was, **{field: value or None for field, value in names.items()}}
    if now == was:
        return get(db, username)
    update = {"$set": {field: value for field, value in now.items() if value}}
    if gone := {field: "" for field, value in now.items() if not value}:
        update["$unset"] = gone
    if before["role"] in STAFF:
        update = staff_names.telling(update, username, before["role"], **now, correlation_id=correlation_id)
    if not db.users.update_one({"_id": username, "role": before["role"], f"{login_changes.MARK}.id": {"$exists": False},
                                **was}, {k: v for k, v in update.items() if v}).matched_count:
        login_changes.settle(db, username)
        return _rename(db, username, names, correlation_id=correlation_id)  # changed meanwhile: again
    return get(db, username)


def change_own_password(db, principal: Principal, current: str, new: str, address: str, config, *,
                        correlation_id: str | None = None) -> str:
    """Anyone logged in changes their own password: the current one is checked as a login checks it (a wrong one
    counts toward the login's limit), every token they had ends, and the token of a fresh login is returned so
    the page they are on keeps working."""
    _new_password("new_password", new)
    try:
        login_throttle.authenticate(db, principal.sub, current, address)
    except BadLogin:
        raise Invalid({"current_password": [NOT_CURRENT]}) from None
    if new == current:
        raise Invalid({"new_password": [SAME_PASSWORD]})
    users.change_password(db, principal.sub, users._hasher.hash(new), token_ttl=config.jwt_ttl_seconds,
                          correlation_id=correlation_id)
    return users.login_token(db, db.users.find_one({"_id": principal.sub}), config)


def _new_password(field: str, password: str) -> None:
    try:
        users._check_password(password)
    except SettingError as exc:
        raise Invalid({field: [exc.en]}) from None
