"""Monthly counts per artisan, what quotas and entitlements both keep.

One document per artisan and month (`<artisan>/<month>`) holds the used total per category and
one entry per requisition counted (`entries.<requisition id>`: when, and its totals). Counting is
one conditional update (the entry must not exist yet, and the caller adds its own limits), so a
requisition is never counted twice; returning removes the entry and decrements in one
conditional update, once. An entry whose requisition was returned, or never got written (a crash
between counting and inserting the requisition), is given back by `settle`.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from services.requests import domain

GRACE = timedelta(minutes=10)  # longer than any submit takes between counting and inserting


def ensure(collection, artisan_id: str, month: str) -> str:
    """The id of the artisan's document for the month, created empty if it is not there yet."""
    doc_id = f"{artisan_id}/{month}"
    if collection.find_one({"_id": doc_id}, {"_id": 1}) is not None:
        return doc_id  # an upsert that matches changes nothing, but the embedded store copies the document twice
    try:
        collection.update_one({"_id": doc_id}, {"$setOnInsert": {
            "artisan_id": artisan_id, "month": month, "used": {}, "entries": {}}}, upsert=True)
    except DuplicateKeyError:  # a concurrent first count of the month created it
        pass
    return doc_id


def within(caps: dict[str, int], totals: dict[str, int]) -> list[dict]:
    """The conditions that keep each capped category's used total within its cap after counting `totals`."""
    return [{"$or": [{f"used.{c}": {"$exists": False}}, {f"used.{c}": {"$lte": caps[c] - q}}]}
            for c, q in totals.items() if c in caps]


def count(collection, doc_id: str, req_id: str, totals: dict[str, int], limits: list[dict], now: datetime,
          **extra) -> bool:
    """Count a requisition's totals once, if every limit still holds; False if the document moved."""
    query = {"_id": doc_id, f"entries.{req_id}": {"$exists": False}}
    if limits:
        query["$and"] = limits
    update = {"$inc": {f"used.{c}": q for c, q in totals.items()},
              "$set": {f"entries.{req_id}": {"at": now.isoformat(), "totals": totals, **extra}}}
    return collection.update_one(query, update).matched_count == 1


def current(collection, doc_id: str, req_id: str) -> dict:
    """The month's used totals and this requisition's entry if it has one, not every other entry: the
    document holds one per requisition of the month, and a submit reads it at least once."""
    return collection.find_one({"_id": doc_id}, {"used": 1, f"entries.{req_id}": 1})


def settle_all(db, collection, doc_id: str, now: datetime) -> bool:
    """`settle` the whole month's document (read whole: it looks at every entry)."""
    doc = collection.find_one({"_id": doc_id})
    return doc is not None and settle(db, collection, doc, now)


def give_back(collection, artisan_id: str, month: str, req_id: str) -> bool:
    """Return a requisition's totals to the month, once."""
    doc_id = f"{artisan_id}/{month}"
    doc = collection.find_one({"_id": doc_id, f"entries.{req_id}": {"$exists": True}})
    if doc is None:
        return False
    totals = doc["entries"][req_id]["totals"]
    result = collection.update_one(
        {"_id": doc_id, f"entries.{req_id}": {"$exists": True}},
        {"$unset": {f"entries.{req_id}": ""}, "$inc": {f"used.{c}": -q for c, q in totals.items()}})
    return result.matched_count == 1


def give_back_part(collection, artisan_id: str, month: str, req_id: str, part_id: str, totals: dict[str, int]) -> bool:
    """Return part of a requisition's totals to the month (a return, `part_id`), once: the requisition's entry keeps
    counting the rest and notes the part (`returned`), in one conditional update. False if given back before, or if
    the requisition is not counted in the month (then there is nothing to give back)."""
    totals = {c: q for c, q in totals.items() if q}
    query = {"_id": f"{artisan_id}/{month}", f"entries.{req_id}": {"$exists": True},
             f"entries.{req_id}.returned": {"$ne": part_id}}
    update = {"$push": {f"entries.{req_id}.returned": part_id}}
    if totals:
        update["$inc"] = {**{f"used.{c}": -q for c, q in totals.items()},
                          **{f"entries.{req_id}.totals.{c}": -q for c, q in totals.items()}}
    return collection.update_one(query, update).matched_count == 1


def settle(db, collection, doc: dict, now: datetime) -> bool:
    """Give back entries of returned requisitions and of ones never written; True if any."""
    changed = False
    for req_id, entry in doc["entries"].items():
        req = db.requisitions.find_one({"_id": req_id}, {"status": 1})
        stale = req is None and datetime.fromisoformat(entry["at"]) < now - GRACE
        if stale or (req is not None and req["status"] in domain.QUOTA_RETURNED):
            changed |= give_back(collection, doc["artisan_id"], doc["month"], req_id)
    return changed


def used(db, collection, artisan_id: str, month: str, now: datetime) -> dict[str, int]:
    """The month's used totals per category, after settling what is stale."""
    doc = collection.find_one({"_id": f"{artisan_id}/{month}"})
    if doc is not None and settle(db, collection, doc, now):
        doc = collection.find_one({"_id": doc["_id"]})
    return doc["used"] if doc else {}
