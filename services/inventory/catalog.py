"""The catalog of materials and the depots: register, change, find, list a page at a time."""
from __future__ import annotations

import re

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.inventory.errors import CodeTaken, DepotNotFound, UnknownDepot, WholeUnitsOnly
from services.inventory.stock_writes import SOURCE, refresh_copies
from services.inventory.store import material_or_error
from shared import codes
from shared.changes import nothing_changes
from shared.envelope import new_event
from shared.quantity import SCALE, format_quantity, whole_enough
from shared.errors import Conflict

MATERIAL_FIELDS = ("sku", "name", "name_hi", "category", "unit", "reorder_level", "pack_size", "max_level", "active",
                   "entitlement_class")
DEPOT_FIELDS = ("code", "name", "name_hi", "district", "district_hi", "zone")  # what its events carry
DEPOT_PLACE = ("address", "address_hi", "opening_hours")  # where and when artisans find it (pages, no events)
_SPLIT = re.compile(r"[\s,;:/()\[\]._-]+")


#: a material's own figures that are quantities of it: whole for a material counted in pieces
LEVELS = ("reorder_level", "pack_size", "max_level")


def whole_units(db, sku: str, figures: dict[str, int | None], material: dict | None = None) -> None:
    """Refuse (422 whole_units_only, naming the material, its unit and the figure) a part of a unit of a material
    counted whole (a piece: shared.quantity.WHOLE_UNITS) in `figures` (field -> thousandths), before anything changes.
    The one rule for every quantity that becomes stock or is asked for; the catalog is read only for a figure with a
    fraction (`material`: the caller's copy, when it has one). Stock stored before the rule stays as it is."""
    parts = {field: figure for field, figure in figures.items() if figure is not None and figure % SCALE}
    if not parts:
        return
    material = material or db.materials.find_one({"_id": sku}, {"name": 1, "name_hi": 1, "unit": 1}) or {}
    for field, figure in parts.items():
        if not whole_enough(figure, material.get("unit")):
            raise WholeUnitsOnly({"sku": sku, "unit": material["unit"], "field": field,
                                  "quantity": format_quantity(figure)}).named(db, material)


def search_terms(material: dict) -> list[str]:
    """Lower-case words of the sku and both names, for prefix search on an index."""
    words = {material["sku"].lower()}
    for text in (material["sku"], material["name"], material["name_hi"]):
        words.update(w for w in _SPLIT.split(text.lower()) if w)
    return sorted(words)


def register_depot(db, depot: dict, *, correlation_id: str | None = None) -> dict:
    """Add a depot with its DepotRegistered event in the same write; its code must be new, whatever the case of its
    letters and the spaces around it (409 already_exists naming the one there is, shared/codes.py): `code_key`,
    unique (store.INDEXES), keeps two registered at once apart."""
    code = depot["code"]
    _refuse_taken_depot(db, code)
    event = new_event("DepotRegistered", code, depot, source=SOURCE, correlation_id=correlation_id)
    try:
        db.depots.insert_one({"_id": code, **depot, codes.KEY: codes.code_key(code), "outbox": [event.to_dict()]})
    except DuplicateKeyError:
        _refuse_taken_depot(db, code)
        raise CodeTaken({"code": code, "existing": code}) from None
    return depot


def _refuse_taken_depot(db, code: str) -> None:
    if (existing := codes.taken(db.depots, code)) is not None:
        raise CodeTaken({"code": code, "existing": existing})


def update_depot(db, code: str, changes: dict, *, correlation_id: str | None = None) -> dict:
    """Change a depot's names, its district's Hindi name, freight zone, address or hours, with its DepotUpdated event
    in the same write; all as they are (the page saved unchanged) writes nothing and makes no event
    (shared/changes.py)."""
    for _ in range(20):
        current = depot_or_error(db, code, not_found=True)
        before = {k: current.get(k, "plain" if k == "zone" else None) for k in DEPOT_FIELDS}
        after = {**before, **changes}
        if nothing_changes(current, changes, {"zone": "plain"}):  # saved as it was: no event
            return {**{k: current.get(k) for k in DEPOT_PLACE}, **after}
        event = new_event("DepotUpdated", code, after, source=SOURCE, correlation_id=correlation_id)
        unchanged = {k: current[k] if k in current else {"$exists": False}
                     for k in ("name", "name_hi", "district_hi", "zone")}
        if db.depots.update_one({"_id": code, **unchanged},
                                {"$set": changes, "$push": {"outbox": event.to_dict()}}).matched_count:
            return {**{k: current.get(k) for k in DEPOT_PLACE}, **after}
    raise Conflict({"code": code})


def register_material(db, material: dict, *, correlation_id: str | None = None) -> dict:
    """Add a material with its MaterialRegistered event in the same write."""
    material = {"pack_size": None, "max_level": None, "active": True, "entitlement_class": None, **material}
    event = new_event("MaterialRegistered", material["sku"], material, source=SOURCE,
                      correlation_id=correlation_id)
    sku = material["sku"]
    whole_units(db, sku, {k: material.get(k) for k in LEVELS}, material)
    _refuse_taken_sku(db, sku)
    try:
        db.materials.insert_one({"_id": sku, **material, "terms": search_terms(material), "sku_key": sku.lower(),
                                 "version": 1, "outbox": [event.to_dict()]})
    except DuplicateKeyError:
        _refuse_taken_sku(db, sku)
        raise CodeTaken({"sku": sku, "existing": sku}) from None
    return material


def _refuse_taken_sku(db, sku: str) -> None:
    """A material's code is new whatever the case of its letters (`yrn-cot-40` beside `YRN-COT-40`): its search
    terms hold the code in small letters; `sku_key`, unique (store.INDEXES), keeps two registered at once apart."""
    key = sku.lower()
    taken = next((d["_id"] for d in db.materials.find({"terms": key}, {"_id": 1}) if d["_id"].lower() == key), None)
    if taken is not None:
        raise CodeTaken({"sku": sku, "existing": taken})


def update_material(db, sku: str, changes: dict, *, correlation_id: str | None = None) -> dict:
    """Change names, category, levels, pack size, whether it is active or its class; never the unit. All as they
    are (the page saved unchanged) writes nothing: no new version, no MaterialUpdated (shared/changes.py).

    Stock documents keep a copy of category and reorder level (for their filters, and the
    reorder level for every later stock write); they are refreshed here one by one.
    """
    for _ in range(20):
        current = material_or_error(db, sku, not_found=True)
        whole_units(db, sku, {k: changes.get(k) for k in LEVELS}, current)
        updated = {**{k: current.get(k) for k in MATERIAL_FIELDS}, "active": current.get("active", True), **changes}
        if nothing_changes(current, changes, {"active": True}):  # saved as it was: no version, no event
            return updated
        event = new_event("MaterialUpdated", sku, updated, source=SOURCE, correlation_id=correlation_id)
        result = db.materials.update_one(
            {"_id": sku, "version": current.get("version", 1)},
            {"$set": {**changes, "terms": search_terms(updated), "version": current.get("version", 1) + 1},
             "$push": {"outbox": event.to_dict()}})
        if result.matched_count:
            break
    else:
        raise Conflict({"sku": sku})
    if {"category", "reorder_level"} & set(changes):
        _refresh_stock(db, material_or_error(db, sku), correlation_id)
    return updated


def _refresh_stock(db, material: dict, correlation_id) -> None:
    after = ""
    while True:
        docs = list(db.stock.find({"sku": material["_id"], "_id": {"$gt": after}}, {"depot": 1})
                    .sort("_id", ASCENDING).limit(100))
        for doc in docs:
            refresh_copies(db, material, doc["depot"], correlation_id)
        if len(docs) < 100:
            return
        after = docs[-1]["_id"]


def depot_or_error(db, code: str, not_found: bool = False) -> dict:
    depot = db.depots.find_one({"_id": code}, {"outbox": 0})
    if depot is None:
        raise (DepotNotFound if not_found else UnknownDepot)({"depot": code})
    return depot


def list_materials(db, *, q=None, category=None, after=None, skip=0, limit=50) -> list[dict]:
    """One page of the catalog in sku order, filtered by category and word prefixes."""
    query = _materials_query(q, category)
    if after:
        query["_id"] = {"$gt": after}
    return list(db.materials.find(query, {"outbox": 0, "terms": 0}).sort("_id", ASCENDING).skip(skip).limit(limit))


def count_materials(db, *, q=None, category=None) -> int:
    return db.materials.count_documents(_materials_query(q, category))


def _materials_query(q, category) -> dict:
    query = {}
    if category:
        query["category"] = category
    words = [w for w in _SPLIT.split((q or "").lower()) if w]
    if words:
        query["$and"] = [{"terms": {"$regex": "^" + re.escape(w)}} for w in words[:5]]
    return query


def list_depots(db, *, district=None, after=None, skip=0, limit=50) -> list[dict]:
    query = {"district": district} if district else {}
    if after:
        query["_id"] = {"$gt": after}
    return list(db.depots.find(query, {"outbox": 0}).sort("_id", ASCENDING).skip(skip).limit(limit))
