"""Which material each lot code belongs to: a code names one material's lot, at any depot."""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from services.inventory.errors import LotCodeTaken


def claim(db, sku: str, codes) -> None:
    """Register new lot codes for `sku`; LotCodeTaken if one already names another material.

    Called before the stock write that first holds the lot. A claim whose write then never
    happens only keeps the code for this material, which a later receipt may still use.
    """
    for code in codes:
        try:
            db.lot_codes.insert_one({"_id": code, "sku": sku})
        except DuplicateKeyError:
            owner = owner_of(db, code)
            if owner not in (None, sku):
                raise LotCodeTaken({"lot": code, "sku": owner}).named(db) from None


def owner_of(db, code: str) -> str | None:
    doc = db.lot_codes.find_one({"_id": code}, {"sku": 1})
    return doc and doc["sku"]
