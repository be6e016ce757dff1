"""Inventory rules: stock levels, receipts and reorder-level crossings. Standard library only."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

CATEGORIES = ("yarn", "fibre", "dye", "metal", "wood", "clay", "chemical", "packaging", "other")
UNITS = ("kg", "g", "m", "litre", "piece")

OK, LOW, DEPLETED = "ok", "low", "depleted"
LEVEL_EVENTS = {LOW: "StockLow", DEPLETED: "StockDepleted", OK: "StockReplenished"}


class StockError(Exception):
    """A movement the rules refuse."""


@dataclass(frozen=True)
class Stock:
    sku: str
    depot: str
    reorder_level: int
    on_hand: int = 0
    reserved: int = 0
    level: str | None = None
    holds: dict = field(default_factory=dict)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def stock_id(depot: str, sku: str) -> str:
    return f"{depot}/{sku}"


def level_of(available: int, reorder_level: int) -> str:
    """Where available stock stands against the reorder level."""
    if available <= 0:
        return DEPLETED
    if available < reorder_level:
        return LOW
    return OK


def crossing(before: Stock, after: Stock) -> str | None:
    """The level event to raise when a movement crosses a threshold, once per crossing."""
    new_level = level_of(after.available, after.reorder_level)
    if before.level is None or new_level == before.level:
        return None
    return LEVEL_EVENTS[new_level]


def settle_level(stock: Stock) -> Stock:
    return replace(stock, level=level_of(stock.available, stock.reorder_level))


def receive(stock: Stock, quantity: int) -> Stock:
    """Stock after a receipt of `quantity` thousandths."""
    if quantity <= 0:
        raise StockError("a receipt must be for more than zero")
    return settle_level(replace(stock, on_hand=stock.on_hand + quantity))
