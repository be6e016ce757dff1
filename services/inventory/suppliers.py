"""Suppliers: the mills and agencies a depot buys from, their tolerance, lead time and pack sizes."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.inventory.errors import SupplierInactive, SupplierNotFound, UnknownSupplier
from shared.errors import AlreadyExists, Conflict

DEFAULTS = {"gstin": "", "tolerance_percent": 0, "lead_time_days": 30, "items": [], "active": True}


def register(db, supplier: dict) -> dict:
    """Add a supplier; its code must be new."""
    supplier = {**DEFAULTS, **supplier}
    try:
        db.suppliers.insert_one({"_id": supplier["code"], **supplier, "version": 1})
    except DuplicateKeyError:
        raise AlreadyExists({"code": supplier["code"]}) from None
    return supplier


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
