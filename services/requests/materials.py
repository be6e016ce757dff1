"""The requests service's copy of inventory's catalog: materials (what quotas and entitlements count
by, what pages name), their prices, and each depot's district and freight zone."""
from __future__ import annotations

from shared.districts import forget as forget_districts
from shared.money import price_on


def remember(db, data: dict) -> None:
    """Keep the SKU's names, category, class and unit (same result if replayed)."""
    db.materials.replace_one({"_id": data["sku"]}, {
        "_id": data["sku"], "name": data["name"], "name_hi": data["name_hi"],
        "category": data["category"], "unit": data["unit"],
        "entitlement_class": data.get("entitlement_class")}, upsert=True)


def remember_price(db, data: dict) -> None:
    """Keep one price of a material, under its natural key (same result if replayed)."""
    key = f"{data['sku']}@{data['effective_from']}@{data['set_at']}"
    db.prices.replace_one({"_id": key}, {"_id": key, **{k: data[k] for k in ("sku", "price", "effective_from",
                                                                             "set_at")}}, upsert=True)


def remember_depot(db, data: dict) -> None:
    db.depots.replace_one({"_id": data["code"]}, {"_id": data["code"], "name": data["name"],
                                                   "name_hi": data.get("name_hi"), "district": data["district"],
                                                   "district_hi": data.get("district_hi"), "zone": data["zone"]},
                        upsert=True)
    forget_districts()  # a search by a district's Hindi name sees it at once


def by_sku(db, skus) -> dict[str, dict]:
    return {m["_id"]: m for m in db.materials.find({"_id": {"$in": list(skus)}})}


def prices_on(db, skus, day: str) -> dict[str, int]:
    """sku -> the price per unit (paise) that applies on `day`; unpriced materials are left out."""
    records: dict[str, list] = {}
    for record in db.prices.find({"sku": {"$in": list(skus)}}):
        records.setdefault(record["sku"], []).append(record)
    found = {sku: price_on(rows, day) for sku, rows in records.items()}
    return {sku: price for sku, price in found.items() if price is not None}


def depot_known(db, depot: str) -> bool:
    """True once inventory has announced the depot."""
    return db.depots.find_one({"_id": depot}, {"_id": 1}) is not None


def zone_of(db, depot: str) -> str:
    """A depot's freight zone; 'plain' until inventory has said otherwise."""
    doc = db.depots.find_one({"_id": depot}, {"zone": 1})
    return (doc or {}).get("zone") or "plain"


def units(db) -> dict[str, str]:
    """The unit each category and class is counted in (from the materials that have it)."""
    found = {}
    for material in listing(db):
        found.setdefault(material["category"], material["unit"])
        if material.get("entitlement_class"):
            found.setdefault(material["entitlement_class"], material["unit"])
    return found


def listing(db, *, limit: int = 500) -> list[dict]:
    """Every known material in SKU order, for a form to choose from."""
    return list(db.materials.find().sort("_id", 1).limit(limit))
