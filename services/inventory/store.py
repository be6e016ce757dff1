"""Inventory documents in MongoDB: one stock document per material and depot, and every index."""
from __future__ import annotations

import hashlib

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.inventory import lot_rules, order_rules
from services.inventory.domain import Stock, stock_id
from services.inventory.errors import MaterialNotFound, UnknownMaterial
from shared.envelope import Event

_ID = ("_id", ASCENDING)
_OUTBOX = IndexModel([("outbox.event_id", ASCENDING)], sparse=True)

#: Every query the service runs is served by one of these (tests/unit/test_inventory_indexes.py).
INDEXES = {
    "materials": [IndexModel([("category", ASCENDING), _ID]), IndexModel([("terms", ASCENDING), _ID]),
                  IndexModel([("sku_key", ASCENDING)], unique=True, sparse=True),  # the sku in small letters
                  _OUTBOX],
    "suppliers": [IndexModel([("code_key", ASCENDING)], unique=True, sparse=True)],  # the code in small letters
    "depots": [IndexModel([("district", ASCENDING), _ID]), _OUTBOX,
               IndexModel([("code_key", ASCENDING)], unique=True, sparse=True)],  # shared/codes.py: old ones have none
    "stock": [  # _id is "<depot>/<sku>": unique per material and depot without another index
        IndexModel([("depot", ASCENDING), _ID]),
        IndexModel([("depot", ASCENDING), ("level", ASCENDING), _ID]),  # a depot's stock, running-out first
        IndexModel([("sku", ASCENDING), _ID]),
        IndexModel([("category", ASCENDING), _ID]),
        IndexModel([("level", ASCENDING), _ID]),
        IndexModel([("journal._id", ASCENDING)], sparse=True),
        IndexModel([("lots.alert_on", ASCENDING)], sparse=True),  # expiry alerts falling due
        IndexModel([("available", ASCENDING)]),  # holds a lot's expiry uncovered (below zero)
        _OUTBOX,
    ],
    "movements": [
        IndexModel([("depot", ASCENDING), ("sku", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("depot", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("sku", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("type", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("requisition_id", ASCENDING), ("_id", DESCENDING)], sparse=True),
        IndexModel([("depot", ASCENDING), ("type", ASCENDING), ("_id", DESCENDING)]),  # issues for replenishment
    ],
    "returns": [IndexModel([("depot", ASCENDING), ("at", DESCENDING), ("_id", DESCENDING)]),  # a depot's returns
                IndexModel([("at", DESCENDING), ("_id", DESCENDING)])],  # from artisans, newest first
    "purchase_orders": [
        IndexModel([("status", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("depot", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("depot", ASCENDING), ("status", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("status", ASCENDING), ("overdue", ASCENDING), ("expected_on", ASCENDING)]),  # late orders
        _OUTBOX,
    ],
    "counts": [IndexModel([("depot", ASCENDING), ("_id", DESCENDING)]), _OUTBOX],
    "reservations": [
        IndexModel([("depot", ASCENDING), ("status", ASCENDING), ("queue_seq", ASCENDING)]),
        IndexModel([("depot", ASCENDING), ("status", ASCENDING), ("lines.sku", ASCENDING)]),
        IndexModel([("depot", ASCENDING), ("status", ASCENDING), ("updated_at", ASCENDING)]),  # ready to dispatch
        IndexModel([("status", ASCENDING), ("lease.until", ASCENDING)]),
        _OUTBOX,
    ],
}
OUTBOX_COLLECTIONS = ("materials", "depots", "stock", "reservations", "purchase_orders", "counts")
STOCK_FIELDS = ("sku", "depot", "category", "reorder_level", "on_hand", "reserved", "level", "version", "lots",
                "on_order")  # what a write reads; `available` and `blocked` follow from them


def _scalars(stock: Stock, category: str | None) -> dict:
    return {"reorder_level": stock.reorder_level, "category": category, "on_hand": stock.on_hand,
            "reserved": stock.reserved, "available": stock.available, "level": stock.level,
            "blocked": stock.blocked, "on_order": stock.on_order}


_NEW_LOT = lot_rules.Lot(code="")._asdict()


def lot_doc(lot: lot_rules.Lot) -> dict:
    """A lot as stored: its code as `lot`, on hand, and what differs from a new lot (every write copies the document)."""
    doc = {name: value for name, value in lot._asdict().items() if value != _NEW_LOT[name] or name == "on_hand"}
    doc["lot"] = doc.pop("code")
    return doc


def lot_from(doc: dict) -> lot_rules.Lot:
    fields = dict(doc)
    fields["code"] = fields.pop("lot")
    return lot_rules.Lot(**fields)


def legacy_lot_code(depot: str, sku: str) -> str:
    """The lot of stock recorded before lots were kept: one per stock, named from it."""
    return f"{depot[:16]}-OPENING-{hashlib.sha1(sku.encode()).hexdigest()[:6].upper()}"


def lots_of(doc: dict) -> tuple[lot_rules.Lot, ...]:
    """A stored stock's lots; stock kept before lots were is one lot of everything on hand."""
    if "lots" in doc:
        return tuple(lot_from(item) for item in doc["lots"])
    if doc.get("on_hand", 0) > 0:
        return (lot_rules.Lot(code=legacy_lot_code(doc["depot"], doc["sku"]), on_hand=doc["on_hand"]),)
    return ()


class VersionConflict(Exception):
    """Another writer changed the document first; read it again and retry."""


def stock_from(doc: dict) -> Stock:
    lots = lots_of(doc)
    return Stock(sku=doc["sku"], depot=doc["depot"], reorder_level=doc["reorder_level"],
                 on_hand=doc["on_hand"], reserved=doc["reserved"], level=doc.get("level"),
                 holds=doc.get("holds", {}), lots=lots, blocked=lot_rules.blocked(lots),
                 orders={order: order_rules.line_from(line) for order, line in (doc.get("orders") or {}).items()},
                 on_order=doc.get("on_order", 0))


def load_stock(db, depot: str, sku: str, requisition_id: str | None = None,
               order_id: str | None = None) -> tuple[Stock | None, int, str | None, bool]:
    """The stock (None if not stored yet), its version (0 then), its copy of the material's
    category and whether its lots are stored. Only the one hold and order line asked for are read.
    """
    projection = dict.fromkeys(STOCK_FIELDS, 1)
    if requisition_id is not None:
        projection[f"holds.{requisition_id}"] = 1
    if order_id is not None:
        projection[f"orders.{order_id}"] = 1
    doc = db.stock.find_one({"_id": stock_id(depot, sku)}, projection)
    if doc is None:
        return None, 0, None, False
    return stock_from(doc), doc["version"], doc["category"], "lots" in doc


def _lots_update(stored, lots) -> dict:
    """What to $set for changed lots: only the on hand of lots still in their places, else the whole array."""
    if stored is None or len(stored) != len(lots) or any(a.code != b.code for a, b in zip(stored, lots)):
        return {"lots": [lot_doc(lot) for lot in lots]}
    changed = {}
    for index, (was, lot) in enumerate(zip(stored, lots)):
        if was != lot:
            if was._replace(on_hand=lot.on_hand) == lot:
                changed[f"lots.{index}.on_hand"] = lot.on_hand
            else:
                changed[f"lots.{index}"] = lot_doc(lot)
    return changed


def material_or_error(db, sku: str, not_found: bool = False) -> dict:
    """The material, or UnknownMaterial (MaterialNotFound when it is the addressed resource)."""
    material = db.materials.find_one({"_id": sku}, {"outbox": 0, "terms": 0})
    if material is None:
        raise (MaterialNotFound if not_found else UnknownMaterial)({"sku": sku})
    return material


def save_stock(db, before: Stock, after: Stock, version: int, *, category: str,
               journal: list[dict], events: list[Event], stored: Stock | None = None,
               stored_category: str | None = None, lots_stored: bool = True) -> None:
    """Store the new state, its ledger entries and its events in one atomic write.

    The entries are appended to the journal (services/inventory/ledger.py says who empties
    it). Given the document as read (`stored`, `stored_category`), only what changed is
    written. Holds and order lines are written one key at a time, so a hot material's many
    holds are never rewritten; its lots are few and written whole when they change.
    """
    scalars = _scalars(after, category)
    if stored is not None:
        was = _scalars(stored, stored_category)
        changed = {name: value for name, value in scalars.items() if was[name] != value}
    else:
        changed = scalars
    outbox = [event.to_dict() for event in events]
    if version == 0:
        try:
            db.stock.insert_one({"_id": stock_id(after.depot, after.sku), "sku": after.sku,
                                 "depot": after.depot, **scalars, "holds": dict(after.holds),
                                 "lots": [lot_doc(lot) for lot in after.lots or ()],
                                 "orders": {k: order_rules.line_doc(line) for k, line in after.orders.items()},
                                 "version": 1, "journal": journal, "outbox": outbox})
        except DuplicateKeyError:
            raise VersionConflict() from None
        return
    update = {"$set": {**changed, "version": version + 1}}
    for rid, quantity in after.holds.items():
        if before.holds.get(rid) != quantity:
            update["$set"][f"holds.{rid}"] = quantity
    for order_id, line in after.orders.items():
        if before.orders.get(order_id) != line:
            update["$set"][f"orders.{order_id}"] = order_rules.line_doc(line)
    if after.lots is not None and (not lots_stored or stored is None or after.lots != stored.lots):
        update["$set"].update(_lots_update(stored.lots if lots_stored and stored else None, after.lots))
    gone = {f"holds.{rid}": "" for rid in before.holds if rid not in after.holds}
    if gone:
        update["$unset"] = gone
    pushed = {name: {"$each": items} for name, items in (("journal", journal), ("outbox", outbox)) if items}
    if pushed:
        update["$push"] = pushed
    result = db.stock.update_one({"_id": stock_id(after.depot, after.sku), "version": version}, update)
    if result.matched_count == 0:
        raise VersionConflict()
