"""How the requests service applies inventory's events."""
from __future__ import annotations

from services.requests import requisitions
from services.requests.domain import STOCK_EVENTS
from shared.envelope import Event


def remember_material(db, event: Event) -> None:
    """Keep the SKU's category and unit, which quotas are counted by (same result if replayed)."""
    data = event.payload
    db.materials.replace_one({"_id": data["sku"]}, {
        "_id": data["sku"], "name": data["name"], "name_hi": data["name_hi"],
        "category": data["category"], "unit": data["unit"]}, upsert=True)


def make_handler(db, config):
    def handle(event: Event) -> None:
        if event.type in ("MaterialRegistered", "MaterialUpdated"):
            remember_material(db, event)
        elif event.type in STOCK_EVENTS:
            requisitions.apply_stock_event(db, event)
    return handle
