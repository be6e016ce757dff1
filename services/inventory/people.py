"""Inventory's copies of the artisans and cooperatives that requests owns, folded from requests' events, so that
the hand-over page and slip can say who collects (name, phone, cooperative) without asking requests.

Events of one artisan (or cooperative) share its id as their key, so they arrive in order; each carries the whole
record, and a replay after a crash applies them again in the same order, so the copy ends at the newest.
Only what a hand-over needs is kept: never the admin-only social category, gender or BPL status.
"""
from __future__ import annotations

ARTISAN_FIELDS = ("name", "name_hi", "phone", "district", "cooperative", "active")
COOPERATIVE_FIELDS = ("name", "name_hi", "district", "active")


def put_artisan(db, data: dict) -> None:
    """Keep an artisan's names (English, Hindi), phone, district, cooperative and whether they are active."""
    db.artisans.update_one({"_id": data["artisan_id"]},
                           {"$set": {k: data.get(k) for k in ARTISAN_FIELDS}}, upsert=True)


def put_cooperative(db, data: dict) -> None:
    """Keep a cooperative's names (English, Hindi), district and whether it is active."""
    db.cooperatives.update_one({"_id": data["code"]},
                               {"$set": {k: data.get(k) for k in COOPERATIVE_FIELDS}}, upsert=True)


def who(db, artisan_ids) -> dict[str, dict]:
    """artisan id -> the artisan's copy, with `cooperative_doc` (the cooperative's copy) where known."""
    ids = sorted(set(filter(None, artisan_ids)))
    found = {doc["_id"]: doc for doc in db.artisans.find({"_id": {"$in": ids}}).limit(len(ids) or 1)}
    known = cooperatives(db, [doc.get("cooperative") for doc in found.values()])
    for doc in found.values():
        doc["cooperative_doc"] = known.get(doc.get("cooperative"))
    return found


def cooperatives(db, codes) -> dict[str, dict]:
    """code -> the cooperative's copy, of those known here."""
    codes = sorted(set(filter(None, codes)))
    return {doc["_id"]: doc for doc in db.cooperatives.find({"_id": {"$in": codes}}).limit(len(codes))} if codes else {}
