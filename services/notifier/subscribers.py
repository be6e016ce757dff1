"""Who hears about alerts: webhooks (signed HTTP callbacks) and admin contacts (e-mail, SMS, digest)."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from services.notifier import domain, outbound
from shared.errors import Invalid
from shared.text import among


def add_webhook(db, data: dict, *, by: str, allow: frozenset[str]) -> dict:
    """Register a webhook to a public address (or one in `allow`); its signing secret is generated unless given."""
    try:
        outbound.check(data["url"], allow)
    except outbound.Refused as exc:
        raise Invalid({"url": [exc.reason]}) from None
    doc = {"_id": f"wh_{secrets.token_hex(8)}", "url": data["url"],
           "secret": data.get("secret") or secrets.token_urlsafe(32),
           "topics": sorted(set(data.get("topics") or domain.WEBHOOK_TOPICS)),
           "districts": sorted(set(data.get("districts") or [])), "active": True,
           "created_by": by, "created_at": datetime.now(timezone.utc)}
    db.webhooks.insert_one(doc)
    return doc


def webhooks(db, *, skip: int = 0, limit: int = 0) -> list[dict]:
    """Webhooks, oldest first (`limit` 0: all)."""
    return list(db.webhooks.find({}, {"secret": 0}).sort([("created_at", 1), ("_id", 1)]).skip(skip).limit(limit))


def webhook(db, webhook_id: str) -> dict | None:
    return db.webhooks.find_one({"_id": webhook_id})


def deactivate_webhook(db, webhook_id: str) -> bool:
    return db.webhooks.update_one({"_id": webhook_id}, {"$set": {"active": False}}).matched_count == 1


def covers(districts: list[str], district: str | None) -> bool:
    """Whether a subscriber for `districts` (empty: all) hears about `district`: the same name in any case and
    spacing ("varanasi", " Varanasi " are the depots' "Varanasi"), as people type them on the contact form."""
    return among(districts, district)


def webhooks_for(db, topic: str, district: str | None) -> list[dict]:
    return [w for w in db.webhooks.find({"active": True, "topics": topic})
            if covers(w.get("districts", []), district)]


def add_contact(db, data: dict, *, by: str) -> dict:
    """An admin to reach by e-mail or SMS for escalations of their districts and the daily digest."""
    doc = {"_id": f"ct_{secrets.token_hex(8)}", "name": data["name"], "email": data.get("email"),
           "phone": data.get("phone"), "language": data.get("language", "en"),
           "districts": sorted(set(data.get("districts") or [])),
           "created_by": by, "created_at": datetime.now(timezone.utc)}
    db.contacts.insert_one(doc)
    return doc


def remove_contact(db, contact_id: str) -> bool:
    """Forget an admin contact; False if there was none by that id."""
    return db.contacts.delete_one({"_id": contact_id}).deleted_count == 1


def contacts(db, *, skip: int = 0, limit: int = 0) -> list[dict]:
    """Admin contacts, oldest first (`limit` 0: all)."""
    return list(db.contacts.find({}).sort([("created_at", 1), ("_id", 1)]).skip(skip).limit(limit))


def contact(db, contact_id: str) -> dict | None:
    return db.contacts.find_one({"_id": contact_id})


def contacts_for(db, district: str | None) -> list[dict]:
    return [c for c in db.contacts.find({}) if covers(c.get("districts", []), district)]
