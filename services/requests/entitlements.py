"""Subsidised entitlements: what each artisan may buy at the scheme price, per category and month.

A scheme caps a category per loom per month; the artisan's cap is that times their looms. What
a requisition takes is decided at submit: each line gets what is left of its category, in line
order (the rest is at full price, never refused for that), counted in one conditional update
per artisan and month that keeps every category within its cap (monthly.py), so two submits
cannot both take the last kilograms. Rejected, cancelled and failed requisitions give theirs back.
"""
from __future__ import annotations

from datetime import datetime

from services.requests import materials, monthly, pricing, schemes
from shared.calendar import day_of, month_bounds, month_of
from shared.errors import Busy

MAX_ATTEMPTS = 30


def caps_for(db, artisan: dict, day: str) -> dict[str, dict]:
    """category -> the scheme capping it for this artisan on the day, its per-loom cap and the artisan's cap."""
    looms = max(artisan.get("looms") or 0, 0)
    return {cap["category"]: {"scheme": scheme["code"], "per_loom_per_month": cap["per_loom_per_month"],
                              "cap": cap["per_loom_per_month"] * looms, "looms": looms}
            for scheme in schemes.covering(db, artisan, day) for cap in scheme["caps"]}


def day_for(month: str, now: datetime) -> str:
    """The day whose schemes count for a month: today in this month, else its first or last day."""
    first, last = month_bounds(month)
    current = month_of(now)
    return day_of(now) if month == current else (first if month > current else last)


def take(db, artisan: dict, month: str, req_id: str, lines, caps: dict[str, dict], now: datetime) -> dict[str, int]:
    """Count what a requisition gets at the scheme price; sku -> subsidised quantity (a retry gets the same)."""
    doc_id = monthly.ensure(db.entitlements, artisan["_id"], month)
    limits = {category: cap["cap"] for category, cap in caps.items()}
    capped = [line for line in lines if line[1] in caps]
    settled = False
    for _ in range(MAX_ATTEMPTS):
        doc = monthly.current(db.entitlements, doc_id, req_id)
        if req_id in doc.get("entries", {}):
            return doc["entries"][req_id].get("lines", {})
        left = {category: cap - doc["used"].get(category, 0) for category, cap in limits.items()}
        taken = pricing.split(capped, left)
        if sum(taken.values()) < sum(line[2] for line in capped) and not settled:
            settled = True
            if monthly.settle_all(db, db.entitlements, doc_id, now):
                continue
        totals = {}
        for sku, category, _ in capped:
            if taken[sku]:
                totals[category] = totals.get(category, 0) + taken[sku]
        if monthly.count(db.entitlements, doc_id, req_id, totals, monthly.within(limits, totals), now, lines=taken):
            return taken
    raise Busy()


def give_back(db, artisan_id: str, month: str, req_id: str) -> bool:
    return monthly.give_back(db.entitlements, artisan_id, month, req_id)


def used(db, artisan: dict, month: str, now: datetime) -> dict[str, int]:
    return monthly.used(db, db.entitlements, artisan["_id"], month, now)


def rows(db, artisan: dict, month: str, now: datetime) -> list[dict]:
    """Each category a scheme caps for the artisan in the month: cap, used and left, in the unit of its materials
    (None while no known material counts against it)."""
    caps = caps_for(db, artisan, day_for(month, now))
    figures = pricing.entitlement({c: cap["cap"] for c, cap in caps.items()}, used(db, artisan, month, now))
    units = materials.units(db)
    return [{"category": category, "month": month, **figures[category], "unit": units.get(category),
             "scheme": cap["scheme"], "per_loom_per_month": cap["per_loom_per_month"], "looms": cap["looms"]}
            for category, cap in sorted(caps.items())]
