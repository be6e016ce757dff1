"""The one way stock changes: read, apply a rule, store state + ledger + events in one write."""
from __future__ import annotations

import logging
import random
import time
from typing import Callable

from services.inventory import domain, ledger
from services.inventory.store import VersionConflict, load_stock, save_stock
from shared.envelope import Event, new_event

log = logging.getLogger(__name__)

SOURCE = "inventory"
BUSY_SECONDS = 15.0


class StockBusy(Exception):
    """Writers kept colliding on one stock document until the deadline."""


Change = Callable[[domain.Stock], domain.Stock]
Record = Callable[[domain.Stock, domain.Stock], tuple[list[dict], list[Event]]]


def write_stock(db, material: dict, depot: str, change: Change, record: Record, *,
                requisition_id: str | None = None, movement_id: str | None = None,
                correlation_id: str | None = None, on_new=None) -> tuple[domain.Stock, domain.Stock]:
    """Apply `change` to one stock and store it with `record`'s ledger entries and events.

    Returns (before, after); when the change changes nothing, or `movement_id` is already in
    the ledger, nothing is written and after == before. Rule errors propagate unchanged.
    `on_new()` runs first when the stock record does not exist yet (e.g. to check the depot).
    """
    sku = material["_id"]
    deadline = time.monotonic() + BUSY_SECONDS
    attempt = 0
    while True:
        attempt += 1
        before, version = load_stock(db, depot, sku, material["reorder_level"], requisition_id)
        if movement_id is not None and version and ledger.recorded(db, depot, sku, movement_id):
            return before, before
        if not version and on_new is not None:
            on_new()
        before = _with_reorder_level(before, material["reorder_level"])
        after = change(before)
        if after == before:
            return before, after
        journal, events = record(before, after)
        events = [*events, *level_events(before, after, correlation_id)]
        try:
            save_stock(db, before, after, version, category=material["category"],
                       journal=journal, events=events)
        except VersionConflict:
            if time.monotonic() > deadline:
                raise StockBusy(domain.stock_id(depot, sku)) from None
            time.sleep(random.uniform(0, min(0.0005 * 2 ** min(attempt, 7), 0.05)))
            continue
        if journal:
            try:
                ledger.project(db, depot, sku, journal)
            except Exception:  # the entry is safe in the journal; the sweep projects it later
                log.warning("projecting the ledger of %s/%s failed", depot, sku, exc_info=True)
        return before, after


def _with_reorder_level(stock: domain.Stock, reorder_level: int) -> domain.Stock:
    """The catalog's reorder level wins; a change is checked against it at the next write."""
    if stock.reorder_level == reorder_level:
        return stock
    return domain.Stock(sku=stock.sku, depot=stock.depot, reorder_level=reorder_level,
                        on_hand=stock.on_hand, reserved=stock.reserved, level=stock.level,
                        holds=stock.holds)


def level_events(before: domain.Stock, after: domain.Stock, correlation_id: str | None) -> list[Event]:
    """StockLow / StockDepleted / StockReplenished when the change crosses a level."""
    kind = domain.crossing(before, after)
    if kind is None:
        return []
    payload = {"sku": after.sku, "depot": after.depot, "available": after.available,
               "reorder_level": after.reorder_level}
    return [new_event(kind, domain.stock_id(after.depot, after.sku), payload, source=SOURCE,
                      correlation_id=correlation_id)]


def movement_event(kind: str, movement_id: str, after: domain.Stock, quantity: int, *, by: str,
                   correlation_id: str | None, **fields) -> Event:
    """StockReceived / StockAdjusted for one movement."""
    payload = {"movement_id": movement_id, "sku": after.sku, "depot": after.depot, "quantity": quantity,
               "on_hand": after.on_hand, "available": after.available, "by": by, **fields}
    return new_event(kind, domain.stock_id(after.depot, after.sku), payload, source=SOURCE,
                     correlation_id=correlation_id)


def stock_view(stock: domain.Stock) -> dict:
    return {"sku": stock.sku, "depot": stock.depot, "on_hand": stock.on_hand,
            "reserved": stock.reserved, "available": stock.available,
            "reorder_level": stock.reorder_level}
