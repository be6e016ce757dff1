"""Inventory use cases: each one reads, applies the domain rules and stores one document."""
from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError

from services.inventory import domain
from services.inventory.store import VersionConflict, load_stock, save_stock
from shared.envelope import new_event
from shared.errors import ApiError, BusinessRule, Conflict, NotFound

SOURCE = "inventory"
MAX_ATTEMPTS = 50


def register_depot(db, depot: dict) -> dict:
    """Add a depot; its code must be new."""
    try:
        db.depots.insert_one({"_id": depot["code"], **depot})
    except DuplicateKeyError:
        raise Conflict("already_exists", details={"code": depot["code"]}) from None
    return depot


def register_material(db, material: dict, *, correlation_id: str | None) -> dict:
    """Add a material to the catalog with its MaterialRegistered event in the same write."""
    event = new_event("MaterialRegistered", material["sku"], material, source=SOURCE,
                      correlation_id=correlation_id)
    try:
        db.materials.insert_one({"_id": material["sku"], **material, "outbox": [event.to_dict()]})
    except DuplicateKeyError:
        raise Conflict("already_exists", details={"sku": material["sku"]}) from None
    return material


def receive_stock(db, *, sku: str, depot: str, quantity: int, by: str, supplier: str = "",
                  reference: str = "", reason: str = "", correlation_id: str | None = None) -> dict:
    """Add received stock and store StockReceived (and any level event) in the same write."""
    material = _material(db, sku)
    _depot(db, depot)
    movement_id = uuid.uuid4().hex
    for _ in range(MAX_ATTEMPTS):
        before, version = load_stock(db, depot, sku, material["reorder_level"])
        after = domain.receive(before, quantity)
        payload = {"movement_id": movement_id, "sku": sku, "depot": depot, "quantity": quantity,
                   "on_hand": after.on_hand, "available": after.available, "reason": reason,
                   "reference": reference, "supplier": supplier, "by": by}
        events = [new_event("StockReceived", domain.stock_id(depot, sku), payload,
                            source=SOURCE, correlation_id=correlation_id)]
        events += _level_events(before, after, correlation_id)
        try:
            save_stock(db, after, version, events)
        except VersionConflict:
            continue
        return {"movement_id": movement_id, "type": "receipt", "sku": sku, "depot": depot,
                "quantity": quantity, "stock": stock_view(after)}
    raise ApiError(503, "conflict", "The stock is very busy; try again in a moment.")


def get_stock(db, depot: str, sku: str) -> dict:
    doc = db.stock.find_one({"_id": domain.stock_id(depot, sku)}, {"outbox": 0})
    if doc is None:
        material = _material(db, sku, not_found=True)
        _depot(db, depot, not_found=True)
        return stock_view(domain.Stock(sku=sku, depot=depot, reorder_level=material["reorder_level"]))
    return stock_view(domain.Stock(sku=doc["sku"], depot=doc["depot"], reorder_level=doc["reorder_level"],
                                   on_hand=doc["on_hand"], reserved=doc["reserved"]))


def stock_view(stock: domain.Stock) -> dict:
    return {"sku": stock.sku, "depot": stock.depot, "on_hand": stock.on_hand,
            "reserved": stock.reserved, "available": stock.available,
            "reorder_level": stock.reorder_level}


def _level_events(before, after, correlation_id):
    kind = domain.crossing(before, after)
    if kind is None:
        return []
    payload = {"sku": after.sku, "depot": after.depot, "available": after.available,
               "reorder_level": after.reorder_level}
    return [new_event(kind, domain.stock_id(after.depot, after.sku),
                      payload, source=SOURCE,
                      correlation_id=correlation_id)]



def _material(db, sku: str, not_found: bool = False) -> dict:
    material = db.materials.find_one({"_id": sku}, {"outbox": 0})
    if material is None:
        if not_found:
            raise NotFound("unknown_material", details={"sku": sku})
        raise BusinessRule("unknown_material", details={"sku": sku})
    return material


def _depot(db, code: str, not_found: bool = False) -> dict:
    depot = db.depots.find_one({"_id": code})
    if depot is None:
        if not_found:
            raise NotFound("unknown_depot", details={"depot": code})
        raise BusinessRule("unknown_depot", details={"depot": code})
    return depot
