"""How the requests service applies inventory's events."""
from __future__ import annotations

from services.requests import materials, requisitions
from shared.envelope import Event


def remember_material(db, event: Event) -> None:
    """Keep the SKU's category and unit, which quotas are counted by (same result if replayed)."""
    materials.remember(db, event.payload)


def remember_price(db, event: Event) -> None:
    """Keep a material's price, which requisitions are priced by."""
    materials.remember_price(db, event.data)


def remember_depot(db, event: Event) -> None:
    """Keep a depot's freight zone (schemes charge freight by it), and its names and district in both languages."""
    materials.remember_depot(db, event.data)


#: event type -> what requests does about it
EVENT_HANDLERS = {
    "MaterialRegistered": remember_material,
    "MaterialUpdated": remember_material,
    "MaterialPriced": remember_price,
    "DepotRegistered": remember_depot,
    "DepotUpdated": remember_depot,
    "StockReserved": requisitions.apply_stock_event,
    "StockWaitlisted": requisitions.apply_stock_event,
    "StockReservationFailed": requisitions.apply_stock_event,
    "StockReleased": requisitions.apply_stock_event,
    "StockIssued": requisitions.apply_stock_event,
}


def make_handler(db, config):
    """Apply each event by EVENT_HANDLERS, other types not at all."""
    def handle(event: Event) -> None:
        handler = EVENT_HANDLERS.get(event.type)
        if handler is not None:
            handler(db, event)
    return handle
