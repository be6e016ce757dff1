"""Suppliers: the mills and agencies a depot buys from, their tolerance, lead time and pack sizes."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.inventory.errors import CodeTaken, SupplierInactive, SupplierNotFound, UnknownSupplier
from shared.errors import Conflict

DEFAULTS = {"gstin": "", "tolerance_percent": 0, "lead_time_days": 30, "items": [], "active": True}
OLD_SUPPLIERS = 5_000  # suppliers registered before code_key was kept, looked through for a code in other letters


def register(db, supplier: dict) -> dict:
    """Add a supplier; its code must be new, whatever the case of its letters (409 already_exists naming the one
    there is). `code_key`, the code in small letters, is unique (store.INDEXES) among suppliers registered since it
    was kept, so two registered at once cannot both pass; those from before are looked through first."""
    supplier = {**DEFAULTS, **supplier}
    code = supplier["code"]
    _refuse_taken(db, code)
    try:
        db.suppliers.insert_one({"_id": code, **supplier, "code_key": code.lower(), "version": 1})
    except DuplicateKeyError:
        _refuse_taken(db, code)
        raise CodeTaken({"code": code, "existing": code}) from None
    return supplier


def _refuse_taken(db, code: str) -> None:
    """409 when a supplier's code is `code` whatever the case of its letters; codes stay as they were typed."""
    key = code.lower()
    found = db.suppliers.find_one({"code_key": key}, {"_id": 1})
    taken = found["_id"] if found else next(  # those registered before code_key was kept: a few dozen
        (d["_id"] for d in db.suppliers.find({"code_key": {"$exists": False}}, {"_id": 1}).limit(OLD_SUPPLIERS)
         if d["_id"].lower() == key), None)
    if taken is not None:
        raise CodeTaken({"code": code, "existing": taken})


def update(db, code: str, changes: dict) -> dict:
    """Change what may change about a supplier (not its code)."""
    current = get(db, code, not_found=True)
    result = db.suppliers.update_one({"_id": code, "version": current["version"]},
                                     {"$set": changes, "$inc": {"version": 1}})
    if not result.matched_count:
        raise Conflict({"code": code})
    return get(db, code, not_found=True)


def get(db, code: str, not_found: bool = False) -> dict:
    supplier = db.suppliers.find_one({"_id": code})
    if supplier is None:
        raise (SupplierNotFound if not_found else UnknownSupplier)({"supplier": code})
    return supplier


def active(db, code: str) -> dict:
    """The supplier, if an order may go to it; if not, the refusal names it as people know it."""
    supplier = get(db, code)
    if not supplier.get("active", True):
        raise SupplierInactive({"supplier": code}).named(db)
    return supplier


def find(db, *, after: str | None = None, skip: int = 0, limit: int = 50) -> list[dict]:
    query = {"_id": {"$gt": after}} if after else {}
    return list(db.suppliers.find(query).sort("_id", ASCENDING).skip(skip).limit(limit))


def item(supplier: dict | None, sku: str) -> dict:
    """What a supplier says about one material: its pack size and price, if it said."""
    return next((i for i in (supplier or {}).get("items") or [] if i["sku"] == sku), {})
