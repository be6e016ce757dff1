"""The one way stock changes: read, apply a rule, store state + ledger + events in one write."""
from __future__ import annotations

import logging
import random
import time
from dataclasses import replace
from typing import Callable

from services.inventory import clock, domain, ledger, lot_codes, lot_rules
from services.inventory.errors import StockBusy, refused
from services.inventory.store import VersionConflict, load_stock, material_or_error, save_stock
from shared.envelope import Event, new_event
from shared.events import PAYLOADS

log = logging.getLogger(__name__)

SOURCE = "inventory"
BUSY_SECONDS = 15.0


Change = Callable[[domain.Stock], domain.Stock]
Record = Callable[[domain.Stock, domain.Stock], tuple[list[dict], list[Event]]]


def write_stock(db, material: dict | str, depot: str, change: Change, record: Record, *,
                requisition_id: str | None = None, order_id: str | None = None, movement_id: str | None = None,
                correlation_id: str | None = None, on_new=None,
                with_category: bool = False) -> tuple[domain.Stock, domain.Stock]:
    """Apply `change` to one stock and store it with `record`'s ledger entries and events.

    `material` is the catalog document, or only its sku: then the stock document's own copy
    of the reorder level and category is used (update_material keeps those copies current)
    and the catalog is read only to create the stock document (422 unknown_material).

    The ledger entries go into the stock document's journal in the same write and are then
    copied to `movements`; the worker's sweep empties the journal (services/inventory/ledger.py).

    `change` sees the stock as it stands today (lots past their expiry date expired); a lot
    code new to this stock is claimed for the material first (lot_codes.py), and an expiry
    alert that falls due is raised in the same write, as is a level crossing the expiry alone
    caused (then, when `change` itself changed nothing, `record` is not asked for entries).

    Returns (before, after); when the change changes nothing, or `movement_id` is already in
    the ledger, nothing is written and after == before. InsufficientStock propagates unchanged,
    other refusals of the rules as the service's errors (errors.refused).
    `on_new()` runs first when the stock record does not exist yet (e.g. to check the depot).
    `with_category`: `change(stock, category)` is given the material's category too (as the copy or the catalog
    says it, read anyway), for a rule that depends on it (a new lot of a dye gives its expiry date).
    """
    sku = material if isinstance(material, str) else material["_id"]
    deadline = time.monotonic() + BUSY_SECONDS
    attempt = 0
    while True:
        attempt += 1
        stored, version, category, lots_stored = load_stock(db, depot, sku, requisition_id, order_id)
        if movement_id is not None and version and ledger.recorded(db, depot, sku, movement_id):
            return stored, stored
        if stored is not None and isinstance(material, str):
            known = {"_id": sku, "reorder_level": stored.reorder_level, "category": category}
        else:
            known = material_or_error(db, sku) if isinstance(material, str) else material
        if stored is None:
            if on_new is not None:
                on_new()
            stored = domain.Stock(sku=sku, depot=depot, reorder_level=known["reorder_level"], lots=())
        today = clock.today()
        before = lot_rules.as_of(_with_reorder_level(stored, known["reorder_level"]), today)
        try:
            changed = change(before, known["category"]) if with_category else change(before)
            changed = domain.within_limit(before, changed)  # never a stock its events cannot carry
        except domain.Refused as exc:
            raise refused(exc, db) from None
        # the level its available gives: a lot that expired since the last write may have moved it, and the level
        # is stored with the write that raises its crossing, so the next write does not raise it again
        after = lot_rules.raise_alerts(domain.settle_level(changed), today)
        if after == before:
            return before, after
        new_codes = _new_codes(stored if lots_stored else None, after)
        if new_codes:
            lot_codes.claim(db, sku, new_codes)
        journal, events = record(before, after) if changed != before else ([], [])  # only time changed it
        events = [*events, *level_events(before, after, correlation_id),
                  *expiry_events(before, after, today, correlation_id), *emptied_events(before, after, correlation_id)]
        events += on_order_events(before, after, events, correlation_id)
        events = versioned(events, domain.stock_id(depot, sku), version + 1)  # the version this write stores
        try:
            save_stock(db, before, after, version, category=known["category"], journal=journal, events=events,
                       stored=stored if version else None, stored_category=category, lots_stored=lots_stored)
        except VersionConflict:
            if time.monotonic() > deadline:
                raise StockBusy(reason=domain.stock_id(depot, sku)) from None
            time.sleep(random.uniform(0, min(0.0005 * 2 ** min(attempt, 7), 0.05)))
            continue
        try:
            ledger.insert(db, journal)  # so a read right after this write shows the entry
        except Exception:  # the entry is safe in the journal; the worker's sweep copies it
            log.warning("copying the ledger entry of %s/%s failed", depot, sku, exc_info=True)
        if not version:
            _check_copies(db, known, depot, correlation_id)
        return before, after


def versioned(events: list[Event], key: str, version: int) -> list[Event]:
    """The write's events of this stock, each with the stock's version after it (`stock_version`): what orders one
    stock's events where the clocks of the processes writing it disagree (the notifier's alerts)."""
    return [replace(event, payload={**event.payload, "stock_version": version})
            if event.key == key and "stock_version" in PAYLOADS[(event.type, event.version)]._declared_fields
            else event for event in events]


def _check_copies(db, used: dict, depot: str, correlation_id) -> None:
    """A new stock document copied the catalog as read before its insert; if the material
    changed in between (its update found no stock document here yet), copy it again."""
    current = material_or_error(db, used["_id"])
    if (current["reorder_level"], current["category"]) != (used["reorder_level"], used["category"]):
        refresh_copies(db, current, depot, correlation_id)


def refresh_copies(db, material: dict, depot: str, correlation_id=None) -> None:
    """Copy a changed material's category and reorder level into its stock at one depot.

    The version is bumped too, so a writer that read the old copies fails its conditional
    update and starts again with the new ones; then the level is settled against the new
    reorder level (a crossing event if it moved across).
    """
    db.stock.update_one({"_id": domain.stock_id(depot, material["_id"])},
                        {"$set": {"category": material["category"], "reorder_level": material["reorder_level"]},
                         "$inc": {"version": 1}})
    write_stock(db, material, depot, domain.settle_level, lambda b, a: ([], []), correlation_id=correlation_id)


def _with_reorder_level(stock: domain.Stock, reorder_level: int) -> domain.Stock:
    """The catalog's reorder level wins; a change is checked against it at the next write."""
    return stock if stock.reorder_level == reorder_level else stock._replace(reorder_level=reorder_level)


def _new_codes(stored: domain.Stock | None, after: domain.Stock) -> list[str]:
    known = {lot.code for lot in stored.lots or ()} if stored is not None else set()
    return [lot.code for lot in after.lots or () if lot.code not in known]


def expiry_events(before: domain.Stock, after: domain.Stock, today, correlation_id) -> list[Event]:
    """LotExpiring for each lot whose next expiry alert this write raised (0 days: expired)."""
    return [new_event("LotExpiring", domain.stock_id(after.depot, after.sku), {
        "sku": after.sku, "depot": after.depot, "lot": lot.code, "shade": lot.shade, "expires_on": lot.expires_on,
        "stage": lot.alerted, "days_left": max(lot_rules.days_left(lot, today), 0), "on_hand": lot.on_hand},
        source=SOURCE, correlation_id=correlation_id) for lot in lot_rules.newly_alerted(before.lots, after.lots)]


def emptied_events(before: domain.Stock, after: domain.Stock, correlation_id) -> list[Event]:
    """LotEmptied for each lot with an expiry alert raised that this write took out of the stock to the last unit
    (an emptied lot leaves the stock), so its alert is resolved instead of naming stock no longer there."""
    left = {lot.code for lot in after.lots or () if lot.on_hand > 0}
    return [new_event("LotEmptied", domain.stock_id(after.depot, after.sku), {
        "sku": after.sku, "depot": after.depot, "lot": lot.code, "stage": lot.alerted},
        source=SOURCE, correlation_id=correlation_id)
        for lot in before.lots or () if lot.alerted is not None and lot.on_hand > 0 and lot.code not in left]


def level_events(before: domain.Stock, after: domain.Stock, correlation_id: str | None) -> list[Event]:
    """StockLow / StockDepleted / StockReplenished when the change crosses a level; the first two say what is on
    order at the depot (its alert says it, so nobody orders it again)."""
    kind = domain.crossing(before, after)
    if kind is None:
        return []
    payload = {"sku": after.sku, "depot": after.depot, "available": after.available,
               "reorder_level": after.reorder_level,
               **({"on_order": after.on_order} if kind != domain.LEVEL_EVENTS[domain.OK] else {})}
    return [new_event(kind, domain.stock_id(after.depot, after.sku), payload, source=SOURCE,
                      correlation_id=correlation_id)]


def on_order_events(before: domain.Stock, after: domain.Stock, events: list[Event],
                    correlation_id: str | None) -> list[Event]:
    """OnOrderChanged when the write changed what is on order and none of its other events says it (sending,
    closing or cancelling an order; a return counted here from another depot), so an open alert follows."""
    said = any(event.payload.get("on_order") is not None for event in events)
    if after.on_order == before.on_order or said:
        return []
    return [new_event("OnOrderChanged", domain.stock_id(after.depot, after.sku),
                      {"sku": after.sku, "depot": after.depot, "on_order": after.on_order}, source=SOURCE,
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


def full_view(stock: domain.Stock) -> dict:
    """The stock with what its lots keep out of available, what is on order, and its lots."""
    return {**stock_view(stock), "blocked": stock.blocked, "on_order": stock.on_order, "lots": lots_view(stock)}


def lots_view(stock: domain.Stock) -> list[dict]:
    """The stock's lots, in the order an issue takes them."""
    return [{"lot": lot.code, "on_hand": lot.on_hand, "shade": lot.shade, "count": lot.count, "mill": lot.mill,
             "expires_on": lot.expires_on, "status": lot.status, "received_at": lot.received_at,
             "supplier": lot.supplier, "purchase_order": lot.purchase_order}
            for lot in sorted(stock.lots or (), key=lot_rules.fefo)]
