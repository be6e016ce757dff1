"""Inventory rules: stock levels, movements, holds and reorder-level crossings. Standard library only."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

CATEGORIES = ("yarn", "fibre", "dye", "metal", "wood", "clay", "chemical", "packaging", "other")
UNITS = ("kg", "g", "m", "litre", "piece")
ADJUSTMENT_REASONS = ("count", "damage", "expiry", "theft", "correction")
MOVEMENT_TYPES = ("receipt", "adjustment", "transfer", "reservation", "release", "issue")

OK, LOW, DEPLETED = "ok", "low", "depleted"
LEVEL_EVENTS = {LOW: "StockLow", DEPLETED: "StockDepleted", OK: "StockReplenished"}


class StockError(Exception):
    """A movement the rules refuse."""


class InsufficientStock(StockError):
    """The movement would take more than is available (on hand and not held)."""

    def __init__(self, available: int, wanted: int):
        super().__init__(f"available {available}, wanted {wanted}")
        self.available = available
        self.wanted = wanted


@dataclass(frozen=True)
class Stock:
    """One material at one depot; `holds` holds only the requisitions a use case loaded."""

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
    """The level event to raise when a change crosses a threshold, once per crossing.

    A stock record seen for the first time (no level yet) raises nothing: it did not cross.
    """
    new_level = level_of(after.available, after.reorder_level)
    if before.level is None or new_level == before.level:
        return None
    return LEVEL_EVENTS[new_level]


def settle_level(stock: Stock) -> Stock:
    return replace(stock, level=level_of(stock.available, stock.reorder_level))


def _require_available(stock: Stock, wanted: int) -> None:
    if wanted > stock.available:
        raise InsufficientStock(stock.available, wanted)


def receive(stock: Stock, quantity: int) -> Stock:
    """Stock after a receipt of `quantity` thousandths."""
    if quantity <= 0:
        raise StockError("a receipt must be for more than zero")
    return settle_level(replace(stock, on_hand=stock.on_hand + quantity))


def adjust(stock: Stock, delta: int, reason: str) -> Stock:
    """Stock after a signed correction; never below what is available."""
    if delta == 0:
        raise StockError("an adjustment must change the stock")
    if reason not in ADJUSTMENT_REASONS:
        raise StockError(f"reason must be one of {', '.join(ADJUSTMENT_REASONS)}")
    if delta < 0:
        _require_available(stock, -delta)
    return settle_level(replace(stock, on_hand=stock.on_hand + delta))


def transfer_out(stock: Stock, quantity: int) -> Stock:
    """The source leg of a transfer: only available stock may leave."""
    if quantity <= 0:
        raise StockError("a transfer must be for more than zero")
    _require_available(stock, quantity)
    return settle_level(replace(stock, on_hand=stock.on_hand - quantity))


def hold(stock: Stock, requisition_id: str, quantity: int) -> Stock:
    """Hold `quantity` for a requisition; holding again for the same one changes nothing."""
    if requisition_id in stock.holds:
        return stock
    if quantity <= 0:
        raise StockError("a hold must be for more than zero")
    _require_available(stock, quantity)
    return settle_level(replace(stock, reserved=stock.reserved + quantity,
                                holds={**stock.holds, requisition_id: quantity}))


def release(stock: Stock, requisition_id: str) -> Stock:
    """Give a requisition's hold back to available stock (nothing if there is none)."""
    if requisition_id not in stock.holds:
        return stock
    holds = dict(stock.holds)
    quantity = holds.pop(requisition_id)
    return settle_level(replace(stock, reserved=stock.reserved - quantity, holds=holds))


def issue(stock: Stock, requisition_id: str) -> Stock:
    """Hand a held quantity over: it leaves both reserved and on hand."""
    if requisition_id not in stock.holds:
        return stock
    holds = dict(stock.holds)
    quantity = holds.pop(requisition_id)
    return settle_level(replace(stock, on_hand=stock.on_hand - quantity,
                                reserved=stock.reserved - quantity, holds=holds))


def merge_lines(lines) -> list[tuple[str, int]]:
    """A requisition's lines as (sku, quantity), one per sku, in a stable order."""
    totals: dict[str, int] = {}
    for line in lines:
        if line["quantity"] <= 0:
            raise StockError("every line needs a quantity above zero")
        totals[line["sku"]] = totals.get(line["sku"], 0) + line["quantity"]
    return sorted(totals.items())
