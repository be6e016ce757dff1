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

from datetime import datetime, timezone

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.requests import domain, monthly
from services.requests.errors import QuotaBusy, QuotaExceeded, QuotaExists, QuotaNeedsLooms
from shared.calendar import add_days, month_bounds
from shared.errors import Invalid, NotFound
from shared.i18n import F_
from shared.quantity import format_quantity

GRACE = monthly.GRACE
MAX_ATTEMPTS = 30
MAX_LIMIT = 10_000 * 1000  # a month's cap above 10,000 units is a slip of the keyboard (1e9 was typed once)
HISTORY = 100  # changes kept per cap


def set_cap(db, *, category: str, limit: int, per_loom: bool, artisan_id: str | None, by: str,
            now: datetime, replace: bool = True) -> dict:
    """Set the monthly cap of a category for everyone, or for one artisan (overrides everyone's).

    A cap already set is replaced only with `replace` (else QuotaExists names it, for the page to ask);
    each change is kept in the cap's own history, in the same write.
    """
    if artisan_id is not None and db.artisans.find_one({"_id": artisan_id}, {"_id": 1}) is None:
        raise Invalid({"artisan_id": [F_("no artisan is registered with this number")]})
    if limit > MAX_LIMIT:
        raise Invalid({"limit": [F_("too large: at most 10,000 a month")]})
    quota_id, at = f"{category}@{artisan_id or '*'}", iso(now)
    rule = {"category": category, "artisan_id": artisan_id, "limit": limit, "per_loom": per_loom,
            "set_by": by, "set_at": at}
    for _ in range(MAX_ATTEMPTS):
        before = db.quotas.find_one({"_id": quota_id})
        live = before is not None and not before.get("removed")
        if live and not replace:
            raise QuotaExists({"id": quota_id, **{k: before[k] for k in ("category", "artisan_id", "per_loom")},
                               "limit": format_quantity(before["limit"])})
        change = {"change": "replaced" if live else "set", "limit": limit, "per_loom": per_loom, "by": by, "at": at,
                  "before": {"limit": before["limit"], "per_loom": before["per_loom"]} if live else None}
        if before is None:
            try:
                db.quotas.insert_one({"_id": quota_id, **rule, "removed": False, "version": 1, "history": [change]})
            except DuplicateKeyError:  # set by someone else at the same moment: look again
                continue
        elif not db.quotas.update_one(
                {"_id": quota_id, "version": before.get("version", {"$exists": False})},
                {"$set": {**rule, "removed": False}, "$inc": {"version": 1},
                 "$push": {"history": {"$each": [change], "$slice": -HISTORY}}}).matched_count:
            continue  # changed by someone else meanwhile: decide again on what is there now
        return get_cap(db, quota_id)
    raise QuotaBusy()


def remove_cap(db, quota_id: str, *, by: str, now: datetime) -> dict:
    """Take a cap away (artisans then ask without that limit); its history stays."""
    before = get_cap(db, quota_id)
    change = {"change": "removed", "limit": None, "per_loom": None, "by": by, "at": iso(now),
              "before": {"limit": before["limit"], "per_loom": before["per_loom"]}}
    done = db.quotas.find_one_and_update(
        {"_id": quota_id, "removed": {"$ne": True}},
        {"$set": {"removed": True, "set_by": by, "set_at": iso(now)}, "$inc": {"version": 1},
         "$push": {"history": {"$each": [change], "$slice": -HISTORY}}}, return_document=ReturnDocument.AFTER)
    if done is None:
        raise NotFound({"id": quota_id})
    return done


def get_cap(db, quota_id: str) -> dict:
    doc = db.quotas.find_one({"_id": quota_id, "removed": {"$ne": True}})
    if doc is None:
        raise NotFound({"id": quota_id})
    return doc


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def list_caps(db, artisan_id: str | None = None) -> list[dict]:
    query = {"removed": {"$ne": True}}
    if artisan_id is not None:
        query["artisan_id"] = {"$in": [None, artisan_id]}
    return list(db.quotas.find(query, {"history": 0}).sort("_id", 1).limit(500))


def history(db, *, limit: int = 50) -> list[dict]:
    """The latest changes of every cap (removed ones too), newest first."""
    changes = [{**change, "id": doc["_id"], "category": doc["category"], "artisan_id": doc["artisan_id"]}
               for doc in db.quotas.find({}, {"history": 1, "category": 1, "artisan_id": 1}).limit(500)
               for change in doc.get("history", ())]
    return sorted(changes, key=lambda change: change["at"], reverse=True)[:limit]


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
    rules = caps_for(db, artisan)
    caps = {category: rule["cap"] for category, rule in rules.items()}
    usage_id = monthly.ensure(db.usage, artisan["_id"], month)
    reconciled = False
    for _ in range(MAX_ATTEMPTS):
        doc = monthly.current(db.usage, usage_id, req_id)
        if req_id in doc.get("entries", {}):
            return
        excess = domain.over_cap(caps, doc["used"], wanted)
        if excess:
            if not reconciled and monthly.settle_all(db, db.usage, usage_id, now):
                reconciled = True
                continue
            raise _exceeded(excess[0], units, month, needs_looms=_needs_looms(rules[excess[0].category], artisan))
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


def renews_on(month: str) -> str:
    """The day a month's quotas renew: the first of the next month."""
    return add_days(month_bounds(month)[1], 1)


def needs_looms(db, artisan: dict, category: str) -> bool:
    """Whether this artisan is refused any of `category` only because its cap is counted per loom and they have none
    registered yet (a member a secretary registered, whose looms wait for an admin)."""
    rule = caps_for(db, artisan).get(category)
    return bool(rule) and _needs_looms(rule, artisan)


def _needs_looms(rule: dict, artisan: dict) -> bool:
    """The cap is counted per loom and is nothing only because the artisan has no loom registered (yet)."""
    return rule["per_loom"] and rule["limit"] > 0 and artisan.get("looms", 0) <= 0


def _exceeded(excess: domain.Excess, units: dict[str, str], month: str, *, needs_looms: bool = False) -> QuotaExceeded:
    return (QuotaNeedsLooms if needs_looms else QuotaExceeded)({
        "category": excess.category, "month": month, "unit": units.get(excess.category, ""),
        "cap": format_quantity(excess.cap), "used": format_quantity(excess.used),
        "left": format_quantity(excess.left), "requested": format_quantity(excess.requested)})
