"""Monthly caps and what each artisan has used of them.

Race-free without transactions: one usage document per artisan and month holds the used total
per category and one entry per requisition counted. Taking quota is a single conditional update
(`used.<category> <= cap - wanted` for every capped category, and no entry for this requisition
yet), so two submits racing past a cap cannot both pass: the second update no longer matches.
The requisition is inserted right after, under the same id; a retry with the same
Idempotency-Key finds its entry and does not count twice. Returning quota (reject, cancel,
reservation failed) removes the entry and decrements in one conditional update, once. Any entry
whose requisition was returned, or never got written (a crash between the two writes), is
reconciled before anybody is refused, so a crash never costs an artisan their quota.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from services.requests import domain
from services.requests.errors import QuotaBusy, QuotaExceeded
from shared.quantity import format_quantity

GRACE = timedelta(minutes=10)  # longer than any submit takes between its two writes
MAX_ATTEMPTS = 30


def set_cap(db, *, category: str, limit: int, per_loom: bool, artisan_id: str | None, by: str,
            now: datetime) -> dict:
    """Set the monthly cap of a category for everyone, or for one artisan (overrides everyone's)."""
    doc = {"_id": f"{category}@{artisan_id or '*'}", "category": category, "artisan_id": artisan_id,
           "limit": limit, "per_loom": per_loom, "set_by": by, "set_at": now}
    db.quotas.replace_one({"_id": doc["_id"]}, doc, upsert=True)
    return doc


def list_caps(db, artisan_id: str | None = None) -> list[dict]:
    query = {} if artisan_id is None else {"artisan_id": {"$in": [None, artisan_id]}}
    return list(db.quotas.find(query).sort("_id", 1).limit(500))


def caps_for(db, artisan: dict) -> dict[str, dict]:
    """category -> the cap that applies to this artisan, with its cap in thousandths."""
    rules = {}
    for rule in sorted(list_caps(db, artisan["_id"]), key=lambda r: r["artisan_id"] is not None):
        rules[rule["category"]] = {**rule, "cap": domain.cap_for(rule["limit"], rule["per_loom"],
                                                                 artisan.get("looms", 0))}
    return rules


def take(db, artisan: dict, month: str, req_id: str, wanted: dict[str, int], units: dict[str, str],
         now: datetime) -> None:
    """Count a requisition against the artisan's caps, or raise QuotaExceeded."""
    caps = {category: rule["cap"] for category, rule in caps_for(db, artisan).items()}
    usage_id = _ensure(db, artisan["_id"], month)
    reconciled = False
    for _ in range(MAX_ATTEMPTS):
        doc = db.usage.find_one({"_id": usage_id})
        if req_id in doc["entries"]:
            return
        excess = domain.over_cap(caps, doc["used"], wanted)
        if excess:
            if not reconciled and reconcile(db, doc, now):
                reconciled = True
                continue
            raise _exceeded(excess[0], units, month)
        query = {"_id": usage_id, f"entries.{req_id}": {"$exists": False}}
        limits = [{"$or": [{f"used.{c}": {"$exists": False}}, {f"used.{c}": {"$lte": caps[c] - q}}]}
                  for c, q in wanted.items() if c in caps]
        if limits:
            query["$and"] = limits
        update = {"$inc": {f"used.{c}": q for c, q in wanted.items()},
                  "$set": {f"entries.{req_id}": {"at": now.isoformat(), "totals": wanted}}}
        if db.usage.update_one(query, update).matched_count:
            return
    raise QuotaBusy()


def give_back(db, artisan_id: str, month: str, req_id: str) -> bool:
    """Return a requisition's quantities to the month's quota, once."""
    usage_id = f"{artisan_id}/{month}"
    doc = db.usage.find_one({"_id": usage_id, f"entries.{req_id}": {"$exists": True}})
    if doc is None:
        return False
    totals = doc["entries"][req_id]["totals"]
    result = db.usage.update_one(
        {"_id": usage_id, f"entries.{req_id}": {"$exists": True}},
        {"$unset": {f"entries.{req_id}": ""}, "$inc": {f"used.{c}": -q for c, q in totals.items()}})
    return result.matched_count == 1


def reconcile(db, usage: dict, now: datetime) -> bool:
    """Give back entries of returned requisitions and of ones never written; True if any."""
    changed = False
    for req_id, entry in usage["entries"].items():
        req = db.requisitions.find_one({"_id": req_id}, {"status": 1})
        stale = req is None and datetime.fromisoformat(entry["at"]) < now - GRACE
        if stale or (req is not None and req["status"] in domain.QUOTA_RETURNED):
            changed |= give_back(db, usage["artisan_id"], usage["month"], req_id)
    return changed


def usage_of(db, artisan: dict, month: str, now: datetime) -> list[dict]:
    """Each category with a cap or some use this month: cap, used and left."""
    doc = db.usage.find_one({"_id": f"{artisan['_id']}/{month}"})
    if doc is not None and reconcile(db, doc, now):
        doc = db.usage.find_one({"_id": doc["_id"]})
    used = doc["used"] if doc else {}
    rules = caps_for(db, artisan)
    rows = []
    for category in sorted(set(rules) | set(used)):
        rule = rules.get(category)
        cap = rule["cap"] if rule else None
        rows.append({"category": category, "month": month, "used": used.get(category, 0),
                     "cap": cap, "left": None if cap is None else max(cap - used.get(category, 0), 0),
                     "limit": rule["limit"] if rule else None,
                     "per_loom": rule["per_loom"] if rule else None})
    return rows


def _ensure(db, artisan_id: str, month: str) -> str:
    usage_id = f"{artisan_id}/{month}"
    try:
        db.usage.update_one({"_id": usage_id}, {"$setOnInsert": {
            "artisan_id": artisan_id, "month": month, "used": {}, "entries": {}}}, upsert=True)
    except DuplicateKeyError:  # a concurrent first submit of the month created it
        pass
    return usage_id


def _exceeded(excess: domain.Excess, units: dict[str, str], month: str) -> QuotaExceeded:
    return QuotaExceeded({
        "category": excess.category, "month": month, "unit": units.get(excess.category, ""),
        "cap": format_quantity(excess.cap), "used": format_quantity(excess.used),
        "left": format_quantity(excess.left), "requested": format_quantity(excess.requested)})
