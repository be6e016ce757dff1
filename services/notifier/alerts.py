"""Alert documents: one open alert per condition, each change one atomic update with its fan-out."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.notifier import domain

INDEXES = {
    "alerts": [
        IndexModel([("open_key", ASCENDING)], unique=True, sparse=True),
        IndexModel([("condition", ASCENDING), ("events", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("last_seen", DESCENDING), ("_id", DESCENDING)]),
        IndexModel([("first_seen", DESCENDING)]),  # past alerts by date
        IndexModel([("updated_at", ASCENDING)]),
        IndexModel([("fanout.id", ASCENDING)], sparse=True),
    ],
    # causes that found nothing to resolve, kept long enough to outlive any replay
    "handled": [IndexModel([("at", ASCENDING)], expireAfterSeconds=90 * 24 * 3600)],
    "on_order": [],  # each stock's last on-order figure (remember_on_order), found by its _id (depot/sku) alone
}
KEEP_EVENTS = 200  # event ids kept per alert for dedupe
#: what a text search looks in: the alert's kind and codes, and the people, orders and lots its details name
SEARCHED = ("kind", "depot", "sku", "district", "details.artisan_id", "details.name", "details.cooperative",
            "details.cooperative_name", "details.purchase_order", "details.supplier_name",
            "details.supplier_name_hi", "details.lot", "details.webhook", "details.url")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _fanout(topic: str, now: datetime) -> dict:
    return {"$each": [{"id": uuid.uuid4().hex, "topic": topic, "at": now}]}


def _seen(db, condition: str, cause: str) -> bool:
    return (db.alerts.find_one({"condition": condition, "events": cause}, {"_id": 1}) is not None
            or db.handled.find_one({"_id": f"{cause}|{condition}"}) is not None)


def raise_alert(db, kind: str, *, depot: str | None, sku: str | None, cause: str, at: datetime,
                details: dict, district: str | None = None, scope: str | None = None,
                stock_version: int | None = None, on_order_kept: dict | None = None) -> str | None:
    """Open the condition's alert or count a repeat on the open one; a seen cause changes nothing.

    The condition is kind x depot x material, or kind x `scope` when given (dead letters). `stock_version`: the
    stock's version its details are of (a level event's). A repeat is counted and its cause kept; `last_seen` is
    the latest time the condition was raised (never moved back by an event read late). A repeat's details are said,
    but on an alert of a stock's figures (domain.STOCK_FIGURES) only if they are as new as what it says, as
    keep_on_order orders them. `on_order_kept`: the stock's last on-order figure read (last_on_order), said by an
    alert it opens where newer than the event's.
    """
    condition = domain.condition_key(kind, depot, sku, scope)
    if _seen(db, condition, cause):
        return None
    anew = kind in domain.NEW_AFTER_ACKNOWLEDGED
    versioned = {} if stock_version is None else {"stock_version": stock_version}
    said = {"details": details, **versioned}
    unsaid = {} if versioned else {"$unset": {"stock_version": ""}}  # what it says is no longer of a known version
    newer = _newer(at, stock_version, strict=False) if kind in domain.STOCK_FIGURES else {}  # else: the last read
    for _ in range(5):
        if anew:  # someone looked at the alert already: this one is news, the condition's next alert
            db.alerts.update_one({"open_key": condition, "status": domain.ACKNOWLEDGED}, {"$unset": {"open_key": ""}})
        live = {"open_key": condition, "events": {"$ne": cause}, **({"status": domain.OPEN} if anew else {})}
        repeat = {"$inc": {"count": 1, "version": 1}, "$max": {"last_seen": at}, "$set": {"updated_at": _now()},
                  "$push": {"events": {"$each": [cause], "$slice": -KEEP_EVENTS}}}
        updated = db.alerts.find_one_and_update({**live, **newer}, {**repeat, "$set": {**repeat["$set"], **said},
                                                                    **unsaid}, projection={"_id": 1})
        if updated is None and newer:  # a repeat older than the figures the alert says (read late): counted, not said
            updated = db.alerts.find_one_and_update({**live, "$nor": [newer]}, repeat, projection={"_id": 1})
        if updated is not None:
            return updated["_id"]
        alert_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{cause}|{condition}"))
        opened = {**said, **_kept_if_newer(on_order_kept, details, at, stock_version)}
        try:
            db.alerts.insert_one({
                "_id": alert_id, "condition": condition, "open_key": condition, "kind": kind,
                "severity": domain.SEVERITY[kind], "depot": depot, "sku": sku, "district": district,
                "status": domain.OPEN, "count": 1, "first_seen": at, "last_seen": at, "escalated": False,
                "events": [cause], "version": 1, "updated_at": _now(),
                **{field: value for field, value in opened.items() if value is not None},
                "fanout": _fanout(domain.ALERT_OPENED, at)["$each"]})
            return alert_id
        except DuplicateKeyError:  # opened by a concurrent writer, or this cause opened it already
            if db.alerts.find_one({"_id": alert_id}, {"_id": 1}):
                return None
    raise RuntimeError(f"could not open or update the alert for {condition}")


def _kept_if_newer(kept: dict | None, details: dict, at: datetime, stock_version: int | None) -> dict:
    """The fields an alert opens with instead of its event's where the stock's last on-order figure is newer."""
    if kept is None or not domain.newer_figure(kept.get("stock_version"), kept["at"], stock_version, at):
        return {}
    # newer by time (an event without a version): what the alert says is then of no known version
    version = kept.get("stock_version") if stock_version is not None else None
    return {"details": {**details, "on_order": kept["on_order"]}, "on_order_at": kept["at"], "stock_version": version}


def remember_on_order(db, *, depot: str, sku: str, on_order: int, at: datetime,
                      stock_version: int | None = None) -> None:
    """Keep the stock's last on-order figure read (an older one read late changes nothing): an alert opened later
    from an older level event says it instead (raise_alert's `on_order_kept`)."""
    not_newer = {"at": {"$lte": at}} if stock_version is None else {
        "$or": [{"stock_version": {"$lte": stock_version}}, {"stock_version": None, "at": {"$lte": at}}]}
    figure = {"$set": {"on_order": on_order, "at": at, **({} if stock_version is None else
                                                           {"stock_version": stock_version})},
              **({"$unset": {"stock_version": ""}} if stock_version is None else {})}
    try:
        db.on_order.update_one({"_id": f"{depot}/{sku}", **not_newer}, figure, upsert=True)
    except DuplicateKeyError:  # the figure kept is newer
        pass


def last_on_order(db, depot: str, sku: str) -> dict | None:
    """The stock's last on-order figure read (`on_order`, `at`, `stock_version` if its event had one), or None."""
    return db.on_order.find_one({"_id": f"{depot}/{sku}"})


def resolve_condition(db, kind: str, *, depot: str | None, sku: str | None, cause: str,
                      at: datetime, scope: str | None = None, settled: dict | None = None) -> bool:
    """Resolve the condition's live alert because it cleared; a seen cause changes nothing. `settled`: someone's
    decision cleared it (a dispute the department settled: `by`, `note`, `outcome`), kept in its resolution instead
    of "system"."""
    condition = domain.condition_key(kind, depot, sku, scope)
    if _seen(db, condition, cause):
        return False
    resolved = {"by": "system", "at": at, "cause": cause, **(settled or {})}
    result = db.alerts.update_one(
        {"open_key": condition},
        {"$set": {"status": domain.RESOLVED, "resolved": resolved,
                  "updated_at": _now()},
         "$unset": {"open_key": ""}, "$inc": {"version": 1},
         "$push": {"events": {"$each": [cause], "$slice": -KEEP_EVENTS},
                   "fanout": _fanout(domain.ALERT_RESOLVED, at)}})
    if result.matched_count == 0:  # remember the cause so a later replay cannot resolve a newer alert
        db.handled.update_one({"_id": f"{cause}|{condition}"}, {"$set": {"at": at}}, upsert=True)
    return result.matched_count == 1


def change_details(db, kind: str, *, scope: str, changes: dict) -> bool:
    """Set some details of the condition's live alert (what it says moved on, the condition not cleared), as news to
    the live board (its version and `updated_at` move); the same details again change nothing."""
    same = {f"details.{key}": value for key, value in changes.items()}
    result = db.alerts.update_one({"open_key": domain.condition_key(kind, None, None, scope), "$nor": [same]},
                                  {"$set": {**same, "updated_at": _now()}, "$inc": {"version": 1}})
    return result.modified_count == 1


def keep_on_order(db, kinds: tuple[str, ...], *, depot: str, sku: str, on_order: int, at: datetime,
                  stock_version: int | None = None) -> int:
    """Say what is on order now on the live alerts of `kinds` of a material at a depot (a receipt or return, an order
    sent, closed or cancelled): news to the live board, as change_details. Only a figure as new as what the alert
    says counts, so a replayed older event changes nothing; the same figure again changes nothing either, but for
    its age, so an older figure read after it (sent, then cancelled back to the figure the alert said) is older than
    what the alert says. Newer is by the stock's version (`stock_version`, one a write, exact) where the event and
    the alert both have it; else by `at`, the event's time, not before its last raising or figure (the clocks of the
    processes writing one stock may disagree, and times may be equal: an event without it, from an older rawbank)."""
    live = {"open_key": {"$in": [domain.condition_key(kind, depot, sku) for kind in kinds]}}
    newer, newer_or_same = _newer(at, stock_version, strict=True), _newer(at, stock_version, strict=False)
    changed = {"$set": {"details.on_order": on_order, "updated_at": _now()}, "$max": {"on_order_at": at},
               "$inc": {"version": 1}}
    if stock_version is None:  # what the alert says is no longer of a known version
        changed["$unset"] = {"stock_version": ""}
    else:
        changed["$set"]["stock_version"] = stock_version
    result = db.alerts.update_many({**live, **newer_or_same, "details.on_order": {"$ne": on_order}}, changed)
    db.alerts.update_many({**live, **newer, "details.on_order": on_order},
                          {"$max": {"on_order_at": at}, **({} if stock_version is None else
                                                           {"$set": {"stock_version": stock_version}})})
    return result.modified_count


def _newer(at: datetime, stock_version: int | None, *, strict: bool) -> dict:
    """The filter of alerts saying a figure older than the event's (`strict`), or no newer: by version where both
    have it, else by time."""
    by_time = {"last_seen": {"$lte": at}, "on_order_at": {"$not": {"$gte" if strict else "$gt": at}}}
    if stock_version is None:
        return by_time
    return {"$or": [{"stock_version": {"$lt" if strict else "$lte": stock_version}},
                    {"stock_version": None, **by_time}]}


def acknowledge(db, alert_id: str, *, by: str, note: str, at: datetime) -> dict | None:
    """Mark an open alert acknowledged; None if it is not open (or not there)."""
    return db.alerts.find_one_and_update(
        {"_id": alert_id, "status": {"$in": list(domain.ACKNOWLEDGEABLE)}},
        {"$set": {"status": domain.ACKNOWLEDGED, "acknowledged": {"by": by, "at": at, "note": note},
                  "updated_at": _now()},
         "$inc": {"version": 1}, "$push": {"fanout": _fanout(domain.ALERT_ACKNOWLEDGED, at)}},
        return_document=ReturnDocument.AFTER)


def resolve(db, alert_id: str, *, by: str, note: str, at: datetime) -> dict | None:
    """Resolve a live alert by hand; None if it is resolved already (or not there)."""
    return db.alerts.find_one_and_update(
        {"_id": alert_id, "status": {"$in": list(domain.RESOLVABLE)}},
        {"$set": {"status": domain.RESOLVED, "resolved": {"by": by, "at": at, "note": note},
                  "updated_at": _now()},
         "$unset": {"open_key": ""}, "$inc": {"version": 1},
         "$push": {"fanout": _fanout(domain.ALERT_RESOLVED, at)}},
        return_document=ReturnDocument.AFTER)


def escalate_overdue(db, *, now: datetime, after_seconds: int) -> list[str]:
    """Escalate open alerts nobody acknowledged in time, each once."""
    cutoff = domain.escalation_cutoff(now, after_seconds)
    escalated = []
    for doc in db.alerts.find({"status": domain.OPEN, "escalated": False, "first_seen": {"$lte": cutoff}},
                              {"_id": 1}):
        result = db.alerts.update_one(
            {"_id": doc["_id"], "status": domain.OPEN, "escalated": False},
            {"$set": {"escalated": True, "escalated_at": now, "updated_at": _now()},
             "$inc": {"version": 1}, "$push": {"fanout": _fanout(domain.ALERT_ESCALATED, now)}})
        if result.modified_count:
            escalated.append(doc["_id"])
    return escalated


def fill_district(db, depot: str, district: str) -> None:
    """Alerts raised before their depot was known get its district (who is told depends on it)."""
    db.alerts.update_many({"depot": depot, "district": None}, {"$set": {"district": district}})


def get(db, alert_id: str) -> dict | None:
    return db.alerts.find_one({"_id": alert_id}, {"events": 0, "fanout": 0})


def find(db, *, status: str | None = None, depot: str | None = None, kind: str | None = None,
         limit: int = 100, skip: int = 0, **filters) -> list[dict]:
    """Alerts, most recently seen first; `filters`: statuses (a list), q (words), since and until (first seen)."""
    return list(db.alerts.find(_query(db, status, depot, kind, **filters), {"events": 0, "fanout": 0})
                .sort([("last_seen", DESCENDING), ("_id", DESCENDING)]).skip(skip).limit(limit))


def count(db, *, status: str | None = None, depot: str | None = None, kind: str | None = None, **filters) -> int:
    return db.alerts.count_documents(_query(db, status, depot, kind, **filters))


def matching(db, ids: list[str], **filters) -> set[str]:
    """Of these alerts, those `filters` (find's q, since, until) find: a narrowed board's new alerts (stream.py)."""
    query = _query(db, None, None, None, **filters)
    return {doc["_id"] for doc in db.alerts.find({"$and": [{"_id": {"$in": list(ids)}}, query]}, {"_id": 1})}


def _query(db, status, depot, kind, *, statuses=None, q=None, since=None, until=None) -> dict:
    query = {k: v for k, v in (("status", status), ("depot", depot), ("kind", kind)) if v}
    if statuses:
        query.setdefault("status", {"$in": list(statuses)})
    if since or until:
        query["first_seen"] = {**({"$gte": since} if since else {}), **({"$lt": until} if until else {})}
    words = [{"$or": _matches(db, word)} for word in (q or "").split()[:5]]
    return {**query, "$and": words} if words else query


def _matches(db, word: str) -> list[dict]:
    """Where a word of a search may be: the codes an alert names, and the names of its material and depot."""
    pattern = {"$regex": re.escape(word), "$options": "i"}
    named = {"$or": [{"name": pattern}, {"name_hi": pattern}]}
    skus = [doc["_id"] for doc in db.materials.find(named, {"_id": 1}).limit(50)]
    depots = [doc["_id"] for doc in db.depots.find(named, {"_id": 1}).limit(50)]
    return [{field: pattern} for field in SEARCHED] + [{"sku": {"$in": skus}}, {"depot": {"$in": depots}}]


CHANGED_PAGE = 500


def changed_since(db, since: datetime, depot: str | None = None) -> list[dict]:
    """Up to CHANGED_PAGE alerts changed at or after `since`, oldest change first (the live feed's source):
    a full page continues from its last `updated_at` (stream.py)."""
    query = {"updated_at": {"$gte": since}}
    if depot:
        query["depot"] = depot
    return list(db.alerts.find(query, {"events": 0, "fanout": 0}).sort("updated_at", ASCENDING).limit(CHANGED_PAGE))


def between(db, field: str, start: datetime, end: datetime) -> list[dict]:
    return list(db.alerts.find({field: {"$gte": start, "$lt": end}}, {"events": 0, "fanout": 0}))
