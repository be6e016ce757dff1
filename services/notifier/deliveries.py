"""Pending deliveries as documents: fan-out to recipients, claim with a lease, settle with a log entry."""
from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.notifier import alerts, domain, outbound, subscribers

INDEXES = {
    "deliveries": [
        IndexModel([("status", ASCENDING), ("next_attempt_at", ASCENDING)]),
        IndexModel([("target", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)]),
        IndexModel([("source.id", ASCENDING)]),
        IndexModel([("story", ASCENDING), ("channel", ASCENDING), ("order_at", ASCENDING)], sparse=True),
    ],
}
FANOUT_COLLECTIONS = ("alerts", "notifications")
PENDING, SENDING, DELIVERED, FAILED, SKIPPED = "pending", "sending", "delivered", "failed", "skipped"
LEASE = timedelta(seconds=60)
KEEP_LOG = 20
DIED = "the sender stopped during the last attempt (its lease ran out)"


def recipients(db, collection: str, doc: dict, topic: str) -> list[tuple[str, str]]:
    """(channel, target) pairs a change is delivered to."""
    if collection == "notifications":
        return [("in_app", "artisan"), ("email", "artisan"), ("sms", "artisan")]
    about = (doc.get("details") or {}).get("webhook") if doc.get("kind") == domain.WEBHOOK_FAILING else None
    targets = [("webhook", w["_id"]) for w in subscribers.webhooks_for(db, topic, doc.get("district"))
               if w["_id"] != about]  # a failing webhook is not told of itself: it would fail, or answer late
    if topic == domain.ALERT_ESCALATED:
        for contact in subscribers.contacts_for(db, doc.get("district")):
            targets += [(channel, contact["_id"]) for channel in ("email", "sms") if contact.get(
                "email" if channel == "email" else "phone")]
    return targets


def new(delivery_id: str, channel: str, target: str, topic: str, source: dict, now: datetime,
        payload: dict | None = None) -> dict:
    return {"_id": delivery_id, "channel": channel, "target": target, "topic": topic, "source": source,
            "payload": payload or {}, "status": PENDING, "attempts": 0, "next_attempt_at": now,
            "created_at": now, "last_error": None, "log": []}


def add(db, delivery: dict) -> bool:
    """Store a delivery under its deterministic id; a repeat changes nothing."""
    try:
        db.deliveries.insert_one(delivery)
    except DuplicateKeyError:
        return False
    return True


def expand(db, now: datetime) -> int:
    """Turn pending fan-out items into deliveries, then pull them; crash-safe by deterministic ids."""
    done = 0
    for collection in FANOUT_COLLECTIONS:
        for doc in db[collection].find({"fanout.id": {"$exists": True}}, {"events": 0}).limit(100):  # sparse index
            for item in doc["fanout"]:
                snapshot = {k: v for k, v in doc.items() if k not in ("fanout", "open_key")}
                for channel, target in recipients(db, collection, doc, item["topic"]):
                    delivery = new(f"{item['id']}:{channel}:{target}", channel, target, item["topic"],
                                   {"collection": collection, "id": doc["_id"], "at": item["at"]}, now, snapshot)
                    if collection == "notifications":  # claimed in the order it happened (claim)
                        delivery.update(story=_story(doc), order_at=doc["created_at"])
                    add(db, delivery)
                db[collection].update_one({"_id": doc["_id"]}, {"$pull": {"fanout": {"id": item["id"]}}})
                done += 1
    return done


def claim(db, now: datetime, max_attempts: int | None = None) -> dict | None:
    """Take the next due delivery (or one whose sender died) and count the attempt.

    A sender that died during the last allowed attempt too (the lease ran out) does not get
    another: that delivery is failed for good, as a failed last attempt is.

    An artisan's news of one requisition (its `story`) is taken in the order it happened (`order_at`: its event's
    time), not the order it was read: of its deliveries due on the same channel, the earliest. Two topics' events
    come in any order ("reserved" read before "approved"), so the one read first may not go first. One waiting for
    a retry holds none back.
    """
    if max_attempts is not None:
        dead = {"status": SENDING, "lease_until": {"$lt": now}, "attempts": {"$gte": max_attempts}}
        for doc in db.deliveries.find(dead, {"attempts": 1, "channel": 1, "target": 1}).limit(100):
            done = db.deliveries.update_one({**dead, "_id": doc["_id"]}, {
                "$set": {"status": FAILED, "failed_at": now, "last_error": DIED}, "$unset": {"lease_until": ""},
                "$push": {"log": {"$each": [{"attempt": doc["attempts"], "at": now, "ok": False, "info": DIED}],
                                  "$slice": -KEEP_LOG}}})
            if done.modified_count:
                webhook_failed(db, doc, now, DIED)
    branches = ({"status": PENDING, "next_attempt_at": {"$lte": now}}, {"status": SENDING, "lease_until": {"$lt": now}})
    due = {"$or": list(branches)}
    for _ in range(5):  # another sender may take the one chosen first
        first = _earliest(db, branches)
        if first is None:
            return None
        if first.get("story"):
            first = db.deliveries.find_one({**due, "story": first["story"], "channel": first["channel"]},
                                           {"_id": 1}, sort=[("order_at", ASCENDING), ("_id", ASCENDING)]) or first
        claimed = db.deliveries.find_one_and_update(
            {**due, "_id": first["_id"]},
            {"$set": {"status": SENDING, "lease_until": now + LEASE}, "$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER)
        if claimed is not None:
            return claimed
    return None


def _earliest(db, branches) -> dict | None:
    """The delivery due first of those either branch finds (ties: the pending one), each branch read on its own in
    the order of the (status, next_attempt_at) index: MongoDB's and the embedded store's walk of that index finds
    it among any number waiting (one `$or` sorted all of them in the embedded store)."""
    found = [doc for doc in (db.deliveries.find_one(branch, {"story": 1, "channel": 1, "next_attempt_at": 1},
                                                    sort=[("next_attempt_at", ASCENDING)]) for branch in branches)
             if doc is not None]
    return min(found, key=lambda doc: doc["next_attempt_at"], default=None)


def _story(note: dict) -> str:
    """Whose news a notification is, to be told in order: its requisition's (known even when inventory's answer
    comes before the artisan is), else the artisan's own (their record)."""
    return f"requisition:{note['requisition_id']}" if note.get("requisition_id") else f"artisan:{note['artisan_id']}"


def _settle(db, delivery: dict, fields: dict, entry: dict) -> bool:
    """Settle the attempt taken; False if it was settled already (or taken again since)."""
    return db.deliveries.update_one(
        {"_id": delivery["_id"], "status": SENDING, "attempts": delivery["attempts"]},
        {"$set": fields, "$unset": {"lease_until": ""},
         "$push": {"log": {"$each": [entry], "$slice": -KEEP_LOG}}}).modified_count == 1


def succeeded(db, delivery: dict, now: datetime, info: str = "") -> None:
    if _settle(db, delivery, {"status": DELIVERED, "delivered_at": now, "last_error": None},
               {"attempt": delivery["attempts"], "at": now, "ok": True, "info": info}):
        webhook_delivered(db, delivery, now)


def webhook_failed(db, delivery: dict, now: datetime, error: str) -> None:
    """A webhook's delivery failed for good: its webhook's alert opens (admins hear of it as of any alert), or counts
    one more failure while it is open; one alert per failing spell. The delivery is the cause: a repeat changes
    nothing."""
    if delivery.get("channel") != "webhook":
        return
    hook = subscribers.webhook(db, delivery["target"]) or {}
    alerts.raise_alert(db, domain.WEBHOOK_FAILING, depot=None, sku=None, scope=delivery["target"],
                       cause=f"delivery-failed:{delivery['_id']}", at=now,
                       details={"webhook": delivery["target"], "url": outbound.shown(hook.get("url") or ""),
                                "reason": error[:500]})


def webhook_delivered(db, delivery: dict, now: datetime) -> None:
    """A delivery to a webhook succeeded: its failing alert, if one is live, is resolved (the spell is over)."""
    if delivery.get("channel") != "webhook":
        return
    condition = domain.condition_key(domain.WEBHOOK_FAILING, None, None, delivery["target"])
    if db.alerts.find_one({"open_key": condition}, {"_id": 1}) is not None:  # else nothing to remember
        alerts.resolve_condition(db, domain.WEBHOOK_FAILING, depot=None, sku=None, scope=delivery["target"],
                                 cause=f"delivered:{delivery['_id']}", at=now)


def webhook_removed(db, webhook_id: str, now: datetime) -> None:
    """A webhook was stopped: nothing more is sent to it, so its failing alert (if live) is over."""
    condition = domain.condition_key(domain.WEBHOOK_FAILING, None, None, webhook_id)
    if db.alerts.find_one({"open_key": condition}, {"_id": 1}) is not None:
        alerts.resolve_condition(db, domain.WEBHOOK_FAILING, depot=None, sku=None, scope=webhook_id,
                                 cause=f"removed:{webhook_id}:{now.isoformat()}", at=now)


def skipped(db, delivery: dict, now: datetime, reason: str) -> None:
    _settle(db, delivery, {"status": SKIPPED, "last_error": reason},
            {"attempt": delivery["attempts"], "at": now, "ok": False, "info": reason})


def failed(db, delivery: dict, now: datetime, error: str, *, max_attempts: int, backoff_ms: int) -> str:
    """Record a failed attempt; schedule the next with backoff, or mark it failed for good."""
    status, next_at = domain.after_failure(delivery["attempts"], max_attempts, now, backoff_ms)
    fields = {"status": status, "last_error": error[:500]}
    if next_at is not None:
        fields["next_attempt_at"] = next_at
    else:
        fields["failed_at"] = now
    settled = _settle(db, delivery, fields, {"attempt": delivery["attempts"], "at": now, "ok": False,
                                             "info": error[:500]})
    if settled and next_at is None:
        webhook_failed(db, delivery, now, error)
    return status


def find(db, *, status: str | None = None, channel: str | None = None, target: str | None = None,
         skip: int = 0, limit: int = 100) -> list[dict]:
    query = {k: v for k, v in (("status", status), ("channel", channel), ("target", target)) if v}
    return list(db.deliveries.find(query, {"payload": 0}).sort([("created_at", DESCENDING), ("_id", DESCENDING)])
            .skip(skip).limit(limit))
