"""Who a staff login (admin, warehouse) is, told to the services that keep no users: a StaffNamed event in the login's
own outbox, in the same write as its addition, its new role or its new display name (DESIGN.md, one write)."""
from __future__ import annotations

from datetime import datetime, timezone

from shared.envelope import new_event
from shared.relay import outbox_push

EVENT = "StaffNamed"


def event(login: str, role: str, name: str | None, name_hi: str | None, *, correlation_id: str | None = None):
    """The StaffNamed event of a staff login as it now is."""
    return new_event(EVENT, login, {"login": login, "role": role, "name": name, "name_hi": name_hi,
                                    "at": datetime.now(timezone.utc)}, source="requests", correlation_id=correlation_id)


def told(login: str, role: str, name: str | None, name_hi: str | None, *, correlation_id: str | None = None) -> dict:
    """The `$push` that tells it, for the update that changes the login."""
    return {"$push": outbox_push(event(login, role, name, name_hi, correlation_id=correlation_id))}
