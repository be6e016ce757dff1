"""Suppliers: the mills and agencies a depot buys from, their tolerance, lead time, and each material's price and pack
size (`items`: set whole with the supplier, or one material at a time from its page)."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.inventory.errors import (CodeTaken, SupplierInactive, SupplierItemExists, SupplierItemNotFound,
                                       SupplierNotFound, UnknownMaterial, UnknownSupplier)
from shared import codes
from shared.names import named
from shared.changes import nothing_changes
from shared.errors import Conflict

DEFAULTS = {"gstin": "", "tolerance_percent": 0, "lead_time_days": 30, "items": [], "active": True}
TRIES = 5  # a change of one material's price read again and tried again when another change came first


def register(db, supplier: dict) -> dict:
    """Add a supplier; its code must be new, whatever the case of its letters (409 already_exists naming the one
    there is), and every material it prices in the catalog. `code_key`, the code in small letters, is unique
    (store.INDEXES) among suppliers registered since it was kept, so two registered at once cannot both pass; those
    from before are looked through first."""
    supplier = {**DEFAULTS, **supplier}
    code = supplier["code"]
    _refuse_taken(db, code)
    known(db, [i["sku"] for i in supplier["items"]])
    try:
        db.suppliers.insert_one({"_id": code, **supplier, codes.KEY: codes.code_key(code), "version": 1})
    except DuplicateKeyError:
        _refuse_taken(db, code)
        raise CodeTaken({"code": code, "existing": code}) from None
    return supplier


def _refuse_taken(db, code: str) -> None:
    """409 when a supplier's code is `code` whatever the case of its letters; codes stay as they were typed
    (shared/codes.py, as depots' and cooperatives')."""
    if (taken := codes.taken(db.suppliers, code)) is not None:
        raise CodeTaken({"code": code, "existing": taken})


def update(db, code: str, changes: dict) -> dict:
    """Change what may change about a supplier (not its code); all as it is (the Suppliers page's form sends its
    tolerance and lead time back) writes nothing: the supplier as it is, its version the same (shared/changes.py)."""
    current = get(db, code, not_found=True)
    known(db, [i["sku"] for i in changes.get("items") or []])
    if nothing_changes(current, changes, DEFAULTS):
        return current
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


def names(db, codes, lang: str = "en") -> dict[str, str]:
    """Suppliers' names by code in `lang` (its `name_hi` in Hindi, else its name), of those among `codes` that are
    suppliers (a supplier typed by hand is no code)."""
    wanted = sorted({c for c in codes if c})
    found = db.suppliers.find({"_id": {"$in": wanted}}, {"name": 1, "name_hi": 1}) if wanted else []
    return {d["_id"]: named(d, d["_id"], lang) for d in found}


def item(supplier: dict | None, sku: str) -> dict:
    """What a supplier says about one material: its pack size and price, if it said."""
    return next((i for i in (supplier or {}).get("items") or [] if i["sku"] == sku), {})


def known(db, skus: list[str]) -> None:
    """Refuses a price for a material the catalog does not have: no order could use it."""
    found = {m["_id"] for m in db.materials.find({"_id": {"$in": list(skus)}}, {"_id": 1})} if skus else set()
    unknown = [sku for sku in skus if sku not in found]
    if unknown:
        raise UnknownMaterial({"sku": unknown[0]})


def add_item(db, code: str, item: dict) -> dict:
    """One more material's price and pack size; a material the supplier already prices is refused (change it)."""
    get(db, code, not_found=True)
    known(db, [item["sku"]])

    def added(supplier, items):
        if any(i["sku"] == item["sku"] for i in items):
            raise SupplierItemExists({"supplier": code, "sku": item["sku"]}).named(db)
        return items + [{"sku": item["sku"], "pack_size": item.get("pack_size"), "price": item.get("price")}]
    return _items_changed(db, code, added)


def change_item(db, code: str, sku: str, changes: dict) -> dict:
    """A new price or pack size (null: the material's own) for a material the supplier prices."""
    def changed(supplier, items):
        return [{**i, **changes} if i["sku"] == sku else i for i in _having(db, supplier, items, sku)]
    return _items_changed(db, code, changed)


def remove_item(db, code: str, sku: str) -> dict:
    """The supplier no longer prices this material: orders from suggestions to it leave the material out."""
    def removed(supplier, items):
        return [i for i in _having(db, supplier, items, sku) if i["sku"] != sku]
    return _items_changed(db, code, removed)


def _having(db, supplier: dict, items: list[dict], sku: str) -> list[dict]:
    if not any(i["sku"] == sku for i in items):
        raise SupplierItemNotFound({"supplier": supplier["code"], "sku": sku}).named(db)
    return items


def _items_changed(db, code: str, change) -> dict:
    """The supplier's items as `change` makes them from those stored, written only if nobody changed the supplier
    since they were read (else read again): one material's change never undoes another's made meanwhile. Items
    all as they were (a price saved unchanged) write nothing."""
    for _ in range(TRIES):
        current = get(db, code, not_found=True)
        items = change(current, [dict(i) for i in current.get("items") or []])
        if nothing_changes(current, {"items": items}, DEFAULTS):  # a price saved as it was
            return current
        if db.suppliers.update_one({"_id": code, "version": current["version"]},
                                   {"$set": {"items": items}, "$inc": {"version": 1}}).matched_count:
            return get(db, code, not_found=True)
    raise Conflict({"code": code})
