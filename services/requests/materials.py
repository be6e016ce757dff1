"""The requests service's copy of inventory's materials: what quotas count by, and what pages name."""
from __future__ import annotations


def remember(db, data: dict) -> None:
    """Keep the SKU's names, category and unit (same result if replayed)."""
    db.materials.replace_one({"_id": data["sku"]}, {
        "_id": data["sku"], "name": data["name"], "name_hi": data["name_hi"],
        "category": data["category"], "unit": data["unit"]}, upsert=True)


def by_sku(db, skus) -> dict[str, dict]:
    return {m["_id"]: m for m in db.materials.find({"_id": {"$in": list(skus)}})}


def listing(db, *, limit: int = 500) -> list[dict]:
    """Every known material in SKU order, for a form to choose from."""
    return list(db.materials.find().sort("_id", 1).limit(limit))
