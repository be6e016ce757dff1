"""Monthly caps and what each artisan has used of them.

Race-free without transactions (see monthly.py): taking quota is a single conditional update
(`used.<category> <= cap - wanted` for every capped category, and no entry for this requisition
yet), so two submits racing past a cap cannot both pass: the second update no longer matches.
The requisition is inserted right after, under the same id; a retry with the same
Idempotency-Key finds its entry and does not count twice. Returning quota (reject, cancel,
reservation failed) gives the entry back once. Stale entries are settled before anybody is
refused, so a crash never costs an artisan their quota.
"""
from __future__ import annotations

from datetime import datetime

from services.requests import domain, monthly
from services.requests.errors import QuotaBusy, QuotaExceeded
from shared.quantity import format_quantity

GRACE = monthly.GRACE
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
    usage_id = monthly.ensure(db.usage, artisan["_id"], month)
    reconciled = False
    for _ in range(MAX_ATTEMPTS):
        doc = db.usage.find_one({"_id": usage_id})
        if req_id in doc["entries"]:
            return
        excess = domain.over_cap(caps, doc["used"], wanted)
        if excess:
            if not reconciled and monthly.settle(db, db.usage, doc, now):
                reconciled = True
                continue
            raise _exceeded(excess[0], units, month)
        if monthly.count(db.usage, usage_id, req_id, wanted, monthly.within(caps, wanted), now):
            return
    raise QuotaBusy()


def give_back(db, artisan_id: str, month: str, req_id: str) -> bool:
    """Return a requisition's quantities to the month's quota, once."""
    return monthly.give_back(db.usage, artisan_id, month, req_id)


def usage_of(db, artisan: dict, month: str, now: datetime) -> list[dict]:
    """Each category with a cap or some use this month: cap, used and left."""
    used = monthly.used(db, db.usage, artisan["_id"], month, now)
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


def _exceeded(excess: domain.Excess, units: dict[str, str], month: str) -> QuotaExceeded:
    return QuotaExceeded({
        "category": excess.category, "month": month, "unit": units.get(excess.category, ""),
        "cap": format_quantity(excess.cap), "used": format_quantity(excess.used),
        "left": format_quantity(excess.left), "requested": format_quantity(excess.requested)})
