"""Cooperatives, self-help groups and producer companies: records of their own, which artisans belong to.

A cooperative is one document (`_id` its code) written with its event in the same update. Its
credit limit is not kept here but in its members' credit terms (credit.py, holder
`cooperative:<code>`), the one place the dispatch's credit check reads: a cooperative's view
shows it from there, and setting it here sets those terms. A registration keeps the limit it
asked for on the cooperative until the terms are written, so sending it again after a crash
in between finishes it.
"""
from __future__ import annotations

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.requests import credit
from services.requests.errors import CodeTaken, UnknownCooperative
from shared import codes
from shared.auth import Principal
from shared.changes import nothing_changes
from shared.envelope import new_event, utcnow_iso
from shared.errors import AlreadyExists, Conflict, NotFound

SOURCE = "requests"
KINDS = ("cooperative", "shg", "producer_company")
EVENT_FIELDS = ("code", "name", "name_hi", "kind", "district", "active")
DEFAULT_CREDIT_DAYS = 30  # when a cooperative's limit is set before any terms exist
PENDING_LIMIT = "credit_limit_asked"  # a registration's credit limit until its members' terms hold it
PUBLIC = {"outbox": 0, "_relay": 0, PENDING_LIMIT: 0, "code_key": 0}


def visible(principal: Principal) -> dict:
    """The cooperatives a caller may see: all for staff, their own for a secretary."""
    if principal.role in ("admin", "warehouse"):
        return {}
    if principal.role == "secretary" and principal.cooperative:
        return {"_id": principal.cooperative}
    return {"_id": {"$in": []}}


def register(db, body: dict, *, by: str, correlation_id: str | None = None) -> dict:
    """Add a cooperative with its CooperativeRegistered event; its code must be new, whatever the case of its letters
    and the spaces around it (409 already_exists naming the one there is, shared/codes.py): `code_key`, unique
    (store.INDEXES), keeps two registered at once apart. The same code sent again finishes its credit limit."""
    body = dict(body)
    limit = body.pop("credit_limit", None)
    doc = {"_id": body["code"], **body, "active": body.get("active", True), "created_at": utcnow_iso(),
           "created_by": by, "version": 1}
    event = _event("CooperativeRegistered", doc, correlation_id)
    asked = {PENDING_LIMIT: limit} if limit is not None else {}
    code = body["code"]
    if (existing := codes.taken(db.cooperatives, code)) not in (None, code):  # the same in other letters
        raise CodeTaken({"code": code, "existing": existing})
    try:
        db.cooperatives.insert_one({**doc, **asked, codes.KEY: codes.code_key(code), "outbox": [event.to_dict()]})
    except DuplicateKeyError:
        same = db.cooperatives.find_one({"_id": code}, {PENDING_LIMIT: 1})
        if same is None:  # its key: the same code in other letters, registered at the same moment
            raise CodeTaken({"code": code, "existing": codes.taken(db.cooperatives, code) or code}) from None
        _finish_limit(db, same, by)
        raise AlreadyExists({"code": code}) from None
    _finish_limit(db, {"_id": body["code"], **asked}, by)
    return view(db, doc)


def update(db, code: str, changes: dict, *, by: str, correlation_id: str | None = None) -> dict:
    """Change a cooperative's details (with CooperativeUpdated), or its credit limit (its members' terms; the limit
    they have already writes nothing). Details all as they are write nothing either: the cooperative as it is, its
    version the same, no event (shared/changes.py)."""
    before = get(db, Principal(by, "admin"), code)
    changes = dict(changes)
    limit = changes.pop("credit_limit", None)
    if limit is not None:  # a registration's limit not stored yet is overtaken by this one
        db.cooperatives.update_one({"_id": code}, {"$unset": {PENDING_LIMIT: ""}})
        _set_limit(db, code, limit, by)
    if nothing_changes(before, changes):  # none left but the limit, or the page saved as it was: no new version
        return view(db, before)
    after = {**before, **changes, "version": before["version"] + 1, "updated_at": utcnow_iso()}
    event = _event("CooperativeUpdated", after, correlation_id)
    stored = db.cooperatives.find_one_and_update(
        {"_id": code, "version": before["version"]},
        {"$set": {k: after[k] for k in (*changes, "version", "updated_at")}, "$push": {"outbox": event.to_dict()}},
        projection=PUBLIC, return_document=ReturnDocument.AFTER)
    if stored is None:
        raise Conflict({"code": code})
    return view(db, stored)


def get(db, principal: Principal, code: str) -> dict:
    """One cooperative the caller may see, with its credit limit and member count; 404 otherwise."""
    doc = db.cooperatives.find_one({"$and": [{"_id": code}, visible(principal)]}, PUBLIC)
    if doc is None:
        raise NotFound({"code": code})
    return view(db, doc)


def listing(db, principal: Principal, *, district=None, kind=None, limit=100, offset=0) -> list[dict]:
    query = {k: v for k, v in (("district", district), ("kind", kind)) if v}
    docs = db.cooperatives.find({"$and": [query, visible(principal)]}, PUBLIC).sort("_id", 1).skip(offset).limit(limit)
    return [view(db, doc) for doc in docs]


def view(db, doc: dict) -> dict:
    terms = db.credit_terms.find_one({"_id": credit.holder(cooperative=doc["_id"])}) or {}
    return {**doc, "credit_limit": terms.get("credit_limit"),
            "members": db.artisans.count_documents({"cooperative": doc["_id"]})}


def require(db, code: str | None) -> None:
    """Refuse an artisan's cooperative that is not registered (422 unknown_cooperative)."""
    if code and db.cooperatives.find_one({"_id": code}, {"_id": 1}) is None:
        raise UnknownCooperative({"cooperative": code})


def members(db, code: str) -> list[dict]:
    """A cooperative's active members, in id order."""
    return list(db.artisans.find({"cooperative": code, "active": {"$ne": False}}, PUBLIC).sort("_id", 1).limit(2000))


def _finish_limit(db, doc: dict, by: str) -> None:
    """Store the credit limit a registration asked for, kept on the cooperative until its terms are written: a
    registration that died between its two writes is finished when it is sent again."""
    if doc.get(PENDING_LIMIT) is None:
        return
    _set_limit(db, doc["_id"], doc[PENDING_LIMIT], by)
    db.cooperatives.update_one({"_id": doc["_id"], PENDING_LIMIT: doc[PENDING_LIMIT]}, {"$unset": {PENDING_LIMIT: ""}})


def _set_limit(db, code: str, limit: int, by: str) -> None:
    """The members' credit terms with this limit (their days and advance kept); the limit they have already is no
    change: the terms keep who set them and when (the cooperative page sends its limit with the name)."""
    current = db.credit_terms.find_one({"_id": credit.holder(cooperative=code)}) or {}
    if current.get("credit_limit") == limit:
        return
    credit.set_terms(db, {"artisan_id": None, "cooperative": code, "credit_limit": limit,
                          "credit_days": current.get("credit_days", DEFAULT_CREDIT_DAYS),
                          "advance_percent": current.get("advance_percent", 0)}, by=by)


def _event(type_: str, doc: dict, correlation_id: str | None):
    payload = {"code": doc["_id"], **{k: doc.get(k) for k in EVENT_FIELDS if k != "code"}}
    return new_event(type_, doc["_id"], payload, source=SOURCE, correlation_id=correlation_id)
