"""Credit terms: how much an artisan may owe, for how many days, and what they pay before taking on credit.

Terms are kept by holder: one artisan, one cooperative (for its members), or everyone. An
artisan's own terms come first, then their cooperative's, then everyone's; with none set,
nothing is sold on credit. The holder is a key of its own (`cooperative:<name>`), so when
cooperatives become records of their own their terms can move there unchanged.
"""
from __future__ import annotations

from shared.envelope import utcnow_iso

NONE = {"credit_limit": 0, "credit_days": 0, "advance_percent": 0}
FIELDS = tuple(NONE)


def holder(artisan_id: str | None = None, cooperative: str | None = None) -> str:
    if artisan_id:
        return f"artisan:{artisan_id}"
    return f"cooperative:{cooperative}" if cooperative else "everyone"


def set_terms(db, body: dict, *, by: str) -> dict:
    """Set the terms of one artisan, one cooperative or everyone (neither given)."""
    key = holder(body.get("artisan_id"), body.get("cooperative"))
    doc = {"_id": key, "artisan_id": body.get("artisan_id"), "cooperative": body.get("cooperative"),
           **{k: body[k] for k in FIELDS}, "set_by": by, "set_at": utcnow_iso()}
    db.credit_terms.replace_one({"_id": key}, doc, upsert=True)
    return doc


def listing(db) -> list[dict]:
    return list(db.credit_terms.find().sort("_id", 1).limit(1000))


def terms_for(db, artisan: dict) -> dict:
    """The terms that apply to an artisan, and whose they are (`source`: artisan, cooperative, everyone, none)."""
    keys = [holder(artisan_id=artisan["_id"])]
    if artisan.get("cooperative"):
        keys.append(holder(cooperative=artisan["cooperative"]))
    keys.append(holder())
    found = {doc["_id"]: doc for doc in db.credit_terms.find({"_id": {"$in": keys}})}
    for key in keys:
        if key in found:
            return {**{k: found[key][k] for k in FIELDS}, "source": key.split(":")[0]}
    return {**NONE, "source": "none"}
