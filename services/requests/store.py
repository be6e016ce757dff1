"""Requests documents in MongoDB; each requisition write is one conditional update."""
from __future__ import annotations

from dataclasses import asdict

from pymongo import ASCENDING, DESCENDING, IndexModel

from services.requests import login_throttle, users
from services.requests.domain import Change, Requisition, StockEvent
from shared import revocation
from shared.envelope import Event, utcnow_iso
from shared.relay import outbox_push

INDEXES = {
    "users": [IndexModel([("artisan_id", ASCENDING)], sparse=True),
              IndexModel([(users.ONE_LOGIN, ASCENDING)], unique=True, sparse=True),  # an artisan has one login
              IndexModel([("pending.id", ASCENDING)], sparse=True),  # a change left half done (login_changes)
              IndexModel([("outbox.event_id", ASCENDING)], sparse=True)],  # staff_names: who a staff login is
    "artisans": [
        IndexModel([("registration_id", ASCENDING)], unique=True),
        IndexModel([("cooperative", ASCENDING), ("_id", ASCENDING)]),
        IndexModel([("district", ASCENDING), ("_id", ASCENDING)]),
        IndexModel([("phone_key", ASCENDING)], sparse=True),  # who an SMS came from
        IndexModel([("outbox.event_id", ASCENDING)], sparse=True),
    ],
    "requisitions": [
        IndexModel([("created_at", DESCENDING)]),
        IndexModel([("artisan_id", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("members", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("awaiting", ASCENDING)], sparse=True),  # shares waiting for their members' confirmation
        IndexModel([("shares.confirmation.message", ASCENDING)], sparse=True),  # the callback that confirmed one
        IndexModel([("cooperative", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("status", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("depot", ASCENDING), ("status", ASCENDING), ("waitlist_place", ASCENDING)]),  # who is ahead
        IndexModel([("depot", ASCENDING), ("created_at", DESCENDING)]),
        IndexModel([("dispatch_month", ASCENDING), ("status", ASCENDING)], sparse=True),  # subsidy claims
        IndexModel([("returns.month", ASCENDING)], sparse=True),  # the claims' corrections (returns of a month)
        IndexModel([("returns.return_id", ASCENDING)], sparse=True),  # an Idempotency-Key's return, on any request
        IndexModel([("outbox.event_id", ASCENDING)], sparse=True),
    ],
    "inbound": [IndexModel([("at", ASCENDING)], expireAfterSeconds=90 * 24 * 3600)],  # gateway callbacks answered
    "quotas": [IndexModel([("artisan_id", ASCENDING), ("category", ASCENDING)])],
    "usage": [IndexModel([("artisan_id", ASCENDING), ("month", ASCENDING)])],
    "entitlements": [IndexModel([("artisan_id", ASCENDING), ("month", ASCENDING)])],
    "prices": [IndexModel([("sku", ASCENDING)])],
    "accounts": [IndexModel([("outbox.event_id", ASCENDING)], sparse=True),
                 IndexModel([("balance", DESCENDING), ("_id", ASCENDING)])],  # the accounts list: who owes most
    "cooperatives": [IndexModel([("district", ASCENDING), ("_id", ASCENDING)]),
                     IndexModel([("outbox.event_id", ASCENDING)], sparse=True),
                     IndexModel([("code_key", ASCENDING)], unique=True, sparse=True)],  # shared/codes.py
    **login_throttle.INDEXES,
}
OUTBOX_COLLECTIONS = ("requisitions", "artisans", "accounts", "cooperatives", revocation.COLLECTION, "users")
HIDDEN = {"outbox": 0, "_relay": 0, "applied": 0, "parked": 0, "fingerprint": 0}


def requisition_from(doc: dict) -> Requisition:
    return Requisition(
        status=doc["status"], waitlist_position=doc.get("waitlist_position"),
        waitlist_at=doc.get("waitlist_at"), waitlist_place=doc.get("waitlist_place"),
        reserved_at=doc.get("reserved_at"), stock=doc.get("stock"),
        parked=tuple(StockEvent(**p) for p in doc.get("parked", ())))


def state_fields(req: Requisition) -> dict:
    """The fields of the document that hold the requisition's state."""
    fields = asdict(req)
    fields["parked"] = [asdict(p) for p in req.parked]
    return fields


def save_change(db, req_id: str, version: int, change: Change, events: list[Event], *,
                applied: str | None = None, extra: dict | None = None) -> bool:
    """Store the new state, its history, its events and the id of the event that caused it, at once.

    False when another writer got there first (the version moved) or the event was already applied.
    """
    query = {"_id": req_id, "version": version}
    push = {"history": {"$each": list(change.history)}, **outbox_push(*events)}
    if applied:
        query["applied"] = {"$ne": applied}
        push["applied"] = applied
    update = {"$set": {**state_fields(change.requisition), **(extra or {}), "version": version + 1,
                       "updated_at": utcnow_iso()},
              "$push": push}
    return db.requisitions.update_one(query, update).matched_count == 1


def save_fields(db, req_id: str, version: int, fields: dict, events: list[Event], *, pull: dict | None = None) -> bool:
    """Change fields of a requisition (not its status) with their events, on the version read; False if it moved."""
    update = {"$set": {**fields, "version": version + 1, "updated_at": utcnow_iso()}, "$push": outbox_push(*events)}
    if pull:
        update["$pull"] = pull
    return db.requisitions.update_one({"_id": req_id, "version": version}, update).matched_count == 1
