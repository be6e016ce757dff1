"""Inventory documents in MongoDB: one stock document per material and depot."""
from __future__ import annotations

from dataclasses import asdict

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.inventory.domain import Stock, stock_id
from shared.envelope import Event
from shared.relay import outbox_push

INDEXES = {
    "materials": [IndexModel([("category", ASCENDING), ("_id", ASCENDING)])],
    "depots": [IndexModel([("district", ASCENDING), ("_id", ASCENDING)])],
    "stock": [
        IndexModel([("sku", ASCENDING), ("depot", ASCENDING)], unique=True),
        IndexModel([("depot", ASCENDING), ("sku", ASCENDING)]),
        IndexModel([("outbox.event_id", ASCENDING)], sparse=True),
    ],
}
OUTBOX_COLLECTIONS = ("materials", "stock")


class VersionConflict(Exception):
    """Another writer changed the document first; read it again and retry."""


def _stock_from(doc: dict) -> Stock:
    return Stock(sku=doc["sku"], depot=doc["depot"], reorder_level=doc["reorder_level"],
                 on_hand=doc["on_hand"], reserved=doc["reserved"], level=doc.get("level"),
                 holds=doc.get("holds", {}))


def load_stock(db, depot: str, sku: str, reorder_level: int) -> tuple[Stock, int]:
    """The stock document and its version (0 for one not stored yet)."""
    doc = db.stock.find_one({"_id": stock_id(depot, sku)}, {"outbox": 0})
    if doc is None:
        return Stock(sku=sku, depot=depot, reorder_level=reorder_level), 0
    return _stock_from(doc), doc["version"]


def save_stock(db, stock: Stock, version: int, events: list[Event]) -> None:
    """Store the new state and its events in one atomic write, if nobody wrote in between."""
    state = asdict(stock)
    if version == 0:
        try:
            db.stock.insert_one({"_id": stock_id(stock.depot, stock.sku), **state, "version": 1,
                                 "outbox": [e.to_dict() for e in events]})
        except DuplicateKeyError:
            raise VersionConflict() from None
        return
    result = db.stock.update_one(
        {"_id": stock_id(stock.depot, stock.sku), "version": version},
        {"$set": {**state, "version": version + 1}, "$push": outbox_push(*events)})
    if result.matched_count == 0:
        raise VersionConflict()
