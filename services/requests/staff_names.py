"""Who a staff login (admin, warehouse) is, told to the services that keep no users: a StaffNamed event in the login's
own outbox, in the same write as its addition, its new role or its new display name (DESIGN.md, one write).

Each write that tells also marks the login told (`TOLD`); at start (`at_start`) a staff login never told (added
before StaffNamed was) is told once, its mark and its event in one write."""
from __future__ import annotations

from datetime import datetime, timezone

from shared import backfills
from shared.envelope import new_event
from shared.names import STAFF
from shared.relay import outbox_push

EVENT = "StaffNamed"
TOLD = "staff_told"  # true once the login's StaffNamed was written into its outbox
BACKFILL = "staff-named"


def event(login: str, role: str, name: str | None, name_hi: str | None, *, correlation_id: str | None = None):
    """The StaffNamed event of a staff login as it now is."""
    return new_event(EVENT, login, {"login": login, "role": role, "name": name, "name_hi": name_hi,
                                    "at": datetime.now(timezone.utc)}, source="requests", correlation_id=correlation_id)


def told(login: str, role: str, name: str | None, name_hi: str | None, *, correlation_id: str | None = None) -> dict:
    """The `$push` that tells it and the `$set` that marks it told, for the update that changes the login."""
    return {"$push": outbox_push(event(login, role, name, name_hi, correlation_id=correlation_id)),
            "$set": {TOLD: True}}


def telling(update: dict, login: str, role: str, name: str | None, name_hi: str | None, *,
            correlation_id: str | None = None) -> dict:
    """`update` (of the login) that also tells it: `told` merged in, operator by operator."""
    merged = {operator: dict(fields) for operator, fields in update.items()}
    for operator, fields in told(login, role, name, name_hi, correlation_id=correlation_id).items():
        merged.setdefault(operator, {}).update(fields)
    return merged


def at_start(db, config=None) -> int:
    """The service starts: each staff login never told is told as it is, once (later starts skip the scan,
    shared.backfills); how many were told."""
    return backfills.once(db, BACKFILL, lambda: tell_untold(db))


def tell_untold(db) -> int:
    """Tell each staff login not marked told, each in one write that holds only while it is still unmarked and as
    read: a crash between logins loses none, a pass run twice (or two processes at once) tells each once."""
    count = 0
    for doc in list(db.users.find({"role": {"$in": list(STAFF)}, TOLD: {"$exists": False}},
                                  {"role": 1, "name": 1, "name_hi": 1})):
        named = {field: doc.get(field) for field in ("name", "name_hi")}
        count += db.users.update_one({"_id": doc["_id"], "role": doc["role"], TOLD: {"$exists": False}, **named},
                                     told(doc["_id"], doc["role"], **named, correlation_id="start")).modified_count
    return count
