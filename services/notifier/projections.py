"""The notifier's own copies of materials, depots, artisans, requisitions and waiting lists."""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from shared.districts import forget as forget_districts
from shared.phones import fill_phone_keys, phone_key

INDEXES = {
    "artisans": [IndexModel([("district", ASCENDING)]),
                 IndexModel([("phone_key", ASCENDING)], sparse=True)],  # a phone a family shares (sharing_phone)
    "requisitions": [IndexModel([("artisan_id", ASCENDING)])],
    "waitlist": [IndexModel([("depot", ASCENDING), ("sku", ASCENDING), ("left_at", ASCENDING),
                             ("since", ASCENDING)]),
                 IndexModel([("requisition_id", ASCENDING)]),
                 IndexModel([("left_at", ASCENDING)], expireAfterSeconds=90 * 24 * 3600)],
}


def put_material(db, data: dict) -> None:
    fields = {k: data[k] for k in ("name", "name_hi", "category", "unit", "reorder_level") if k in data}
    db.materials.update_one({"_id": data["sku"]}, {"$set": fields}, upsert=True)


def put_depot(db, data: dict) -> None:
    db.depots.update_one({"_id": data["code"]}, {"$set": {"name": data["name"], "name_hi": data.get("name_hi"),
                                                           "district": data["district"],
                                                           "district_hi": data.get("district_hi")}}, upsert=True)
    forget_districts()  # the reports say a district in Hindi as the depots now give it


def put_artisan(db, data: dict, occurred_at: str) -> None:
    """Keep the newest profile; an older or repeated event changes nothing."""
    fields = {k: data.get(k) for k in ("name", "name_hi", "district", "language", "phone", "email",
                                       "cooperative", "active", "looms", "social_category", "gender", "bpl",
                                       "phone_asked")}
    try:
        db.artisans.update_one(
            {"_id": data["artisan_id"], "$or": [{"as_of": {"$lte": occurred_at}}, {"as_of": {"$exists": False}}]},
            {"$set": {**fields, "phone_key": phone_key(fields["phone"]), "as_of": occurred_at}}, upsert=True)
    except DuplicateKeyError:  # a newer profile is stored already
        pass


def backfill_phone_keys(db, config=None) -> int:
    """At start: the `phone_key` of each artisan's copy kept before copies had one (shared.phones.fill_phone_keys;
    once: later starts skip it)."""
    return fill_phone_keys(db)


def put_cooperative(db, data: dict, occurred_at: str) -> None:
    """Keep the newest record of a cooperative (names, kind, district); an older event changes nothing."""
    try:
        db.cooperatives.update_one(
            {"_id": data["code"], "$or": [{"as_of": {"$lte": occurred_at}}, {"as_of": {"$exists": False}}]},
            {"$set": {**{k: data.get(k) for k in ("name", "name_hi", "kind", "district", "active")},
                      "as_of": occurred_at}}, upsert=True)
    except DuplicateKeyError:  # a newer record is stored already
        pass


def cooperative(db, code: str | None) -> dict | None:
    return db.cooperatives.find_one({"_id": code}) if code else None


def put_requisition(db, data: dict) -> None:
    """Remember whose requisition it is (a cooperative's: each member's share); attach one artisan's to the
    notifications that arrived before it."""
    fields = {"artisan_id": data["artisan_id"], "depot": data["depot"], "lines": data["lines"]}
    if data.get("shares") and data.get("cooperative"):
        fields.update(cooperative=data["cooperative"],
                      shares=[{"artisan_id": s["artisan_id"], "lines": s["lines"]} for s in data["shares"]])
    db.requisitions.update_one({"_id": data["requisition_id"]}, {"$set": fields}, upsert=True)
    if "shares" not in fields:  # a cooperative's early notifications go to each member (notifications.to_members)
        db.notifications.update_many({"requisition_id": data["requisition_id"], "artisan_id": None},
                                     {"$set": {"artisan_id": data["artisan_id"]}})


def end_requisition(db, requisition_id: str, at: datetime) -> None:
    """Requests has said its last word on the requisition (rejected, cancelled, dispatched, received)."""
    db.requisitions.update_one({"_id": requisition_id}, {"$min": {"ended_at": at}}, upsert=True)


def requisition(db, requisition_id: str) -> dict | None:
    return db.requisitions.find_one({"_id": requisition_id})


def artisan(db, artisan_id: str | None) -> dict | None:
    return db.artisans.find_one({"_id": artisan_id}) if artisan_id else None


def shares_phone(db, artisan: dict, phone: str | None) -> bool:
    """Whether another active artisan is registered with `phone` (the same number however written): SMS to it
    then say whose they are. A copy kept before copies had the number's key gets it at the notifier's start
    (backfill_phone_keys)."""
    key = phone_key(phone)
    if not key:
        return False
    return db.artisans.find_one({"phone_key": key, "_id": {"$ne": artisan["_id"]}, "active": {"$ne": False}},
                                {"_id": 1}) is not None


def artisans(db, ids) -> dict:
    """The artisans of `ids` (None and empty ids left out), by id."""
    return {doc["_id"]: doc for doc in db.artisans.find({"_id": {"$in": sorted({i for i in ids if i})}})}


def members(db, cooperative: str) -> list[str]:
    """The ids of a cooperative's artisans."""
    return [a["_id"] for a in db.artisans.find({"cooperative": cooperative}, {"_id": 1})]


def materials(db, skus) -> dict:
    return {doc["_id"]: doc for doc in db.materials.find({"_id": {"$in": sorted(set(skus))}})}


def all_materials(db) -> list[dict]:
    """Every material the notifier has heard of, in SKU order (its unit: the reports' CSV columns)."""
    return list(db.materials.find({}, {"unit": 1}).sort("_id", 1))


def depots(db, codes) -> dict:
    return {doc["_id"]: doc for doc in db.depots.find({"_id": {"$in": sorted(set(codes))}})}


def all_depots(db, limit: int = 200) -> list[dict]:
    """Every depot known, by code (for a page to filter by)."""
    return list(db.depots.find().sort("_id", ASCENDING).limit(limit))


def depot_known(db, depot: str) -> bool:
    return db.depots.find_one({"_id": depot}, {"_id": 1}) is not None


def district_of(db, depot: str | None) -> str | None:
    doc = db.depots.find_one({"_id": depot}) if depot else None
    return doc["district"] if doc else None


def join_waitlist(db, requisition_id: str, depot: str, skus, since: datetime) -> None:
    """One entry per requisition and material (natural key); a requisition that already left
    (or whose end arrived first, from the other topic) never joins again, so replays leave no ghosts."""
    if db.requisitions.find_one({"_id": requisition_id, "off_waitlist_at": {"$ne": None}}, {"_id": 1}):
        return
    for sku in skus:
        db.waitlist.update_one({"_id": f"{requisition_id}:{sku}"},
                               {"$setOnInsert": {"requisition_id": requisition_id, "depot": depot,
                                                 "sku": sku, "since": since, "left_at": None}}, upsert=True)


def rejoin_waitlist(db, requisition_id: str, depot: str, skus, since: datetime) -> None:
    """A reserved requisition whose lot expired waits again (StockWaitlisted, reason lot_expired): back on the lists
    it left when it was reserved, unless requests has ended it or it left again after `since` (a replay)."""
    if db.requisitions.update_one({"_id": requisition_id, "ended_at": None, "off_waitlist_at": {"$lte": since}},
                                  {"$unset": {"off_waitlist_at": ""}}).matched_count:
        db.waitlist.update_many({"requisition_id": requisition_id, "left_at": {"$ne": None}},
                                {"$set": {"left_at": None, "since": since}})
    join_waitlist(db, requisition_id, depot, skus, since)


def leave_waitlist(db, requisition_id: str, at: datetime) -> list[tuple[str, str]]:
    """Take a requisition off every waiting list for good; return the (depot, sku) lists it was on."""
    db.requisitions.update_one({"_id": requisition_id}, {"$min": {"off_waitlist_at": at}}, upsert=True)
    entries = list(db.waitlist.find({"requisition_id": requisition_id, "left_at": None}))
    db.waitlist.update_many({"requisition_id": requisition_id, "left_at": None}, {"$set": {"left_at": at}})
    return sorted({(e["depot"], e["sku"]) for e in entries})


def waiting(db, depot: str, sku: str) -> tuple[int, datetime | None]:
    """How many requisitions wait for a material at a depot, and since when the oldest."""
    entries = list(db.waitlist.find({"depot": depot, "sku": sku, "left_at": None}, {"since": 1})
                   .sort("since", ASCENDING))
    return len(entries), (entries[0]["since"] if entries else None)


def waiting_lists(db) -> list[tuple[str, str]]:
    return sorted({(e["depot"], e["sku"]) for e in db.waitlist.find({"left_at": None}, {"depot": 1, "sku": 1})})
