"""Purchase-order rules: statuses, what each action may start from, tolerance, lateness, and the order
lines a stock keeps (what may still be received: the over-receipt check). Standard library only."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from services.inventory.refusals import Refused

DRAFT, SENT, PARTIAL, RECEIVED = "draft", "sent", "partially_received", "received"
CLOSED, CANCELLED = "closed", "cancelled"
STATUSES = (DRAFT, SENT, PARTIAL, RECEIVED, CLOSED, CANCELLED)
RECEIVING = (SENT, PARTIAL, RECEIVED)  # receipts may name the order (up to each line's tolerance)
AWAITED = (SENT, PARTIAL)  # something is still to come: late after its expected date
FINISHED = (RECEIVED, CLOSED, CANCELLED)

#: action -> statuses it may start from
ACTIONS = {"send": (DRAFT,), "close": (SENT, PARTIAL, RECEIVED), "cancel": (DRAFT, SENT), "edit": (DRAFT,)}


def may(action: str, status: str) -> bool:
    return status in ACTIONS[action]


def limit(quantity: int, tolerance_percent: int) -> int:
    """The most a line may receive: what was ordered plus the supplier's tolerance."""
    return quantity + quantity * tolerance_percent // 100


def received_by_line(lines: list[dict], receipts: list[dict]) -> list[dict]:
    """The lines with `received` summed from the receipts that name the order."""
    totals: dict[str, int] = {}
    for receipt in receipts:
        totals[receipt["sku"]] = totals.get(receipt["sku"], 0) + receipt["quantity"]
    return [{**line, "received": totals.get(line["sku"], 0)} for line in lines]


def status_after_receipt(status: str, lines: list[dict]) -> str:
    """The status once the lines' received figures changed.

    A receipt that reached its line before a cancel did turns the cancel into a close: the
    order was partly received after all, and the rest is cancelled.
    """
    anything = any(line["received"] > 0 for line in lines)
    if status == CANCELLED:
        return CLOSED if anything else CANCELLED
    if status in (CLOSED, DRAFT):
        return status
    if all(line["received"] >= line["quantity"] for line in lines):
        return RECEIVED
    return PARTIAL if anything else SENT


def remaining(lines: list[dict]) -> list[dict]:
    """(sku, quantity) still to come on each line."""
    return [{"sku": line["sku"], "quantity": line["quantity"] - line["received"]}
            for line in lines if line["quantity"] > line["received"]]


def days_late(expected_on: str, today: date) -> int:
    """Days past the expected date (0 or less: not late)."""
    return (today - date.fromisoformat(expected_on)).days


@dataclass(frozen=True)
class OrderLine:
    """A purchase-order line as the stock it arrives into keeps it: what may still be received."""

    ordered: int
    limit: int  # ordered plus the supplier's tolerance
    received: int = 0
    open: bool = True
    counted: tuple[str, ...] = ()  # returns made at another depot that this line counted (their movement ids)

    @property
    def remaining(self) -> int:
        return max(self.ordered - self.received, 0) if self.open else 0


# The functions below take and give a domain.Stock (its `orders` and `on_order`).

def received_on_line(stock, quantity: int, order_id: str, line: OrderLine):
    """The stock after `quantity` arrives on an order line (the line it keeps wins over `line`, the order's)."""
    kept = stock.orders.get(order_id)
    entry = kept or line
    if not entry.open:
        raise Refused("order_closed", purchase_order=order_id)
    if entry.received + quantity > entry.limit:
        raise Refused("over_receipt", purchase_order=order_id, sku=stock.sku, ordered=entry.ordered,
                      received=entry.received, allowed=max(entry.limit - entry.received, 0))
    new = replace(entry, received=entry.received + quantity)
    return _line_changed(stock, order_id, kept, new)


def returned_on_line(stock, quantity: int, order_id: str, movement_id: str | None = None):
    """The stock after `quantity` of a lot that came on an order went back to the supplier: the line counts that
    much less received (never below nothing), so as much may come again in its place (while the line is open).

    `movement_id`: the return was made at another depot than the order's (the lot travelled there) and is counted
    on the order's own stock in a write of its own: once per return however often asked (`counted`)."""
    kept = stock.orders.get(order_id)
    if kept is None or movement_id in kept.counted or (movement_id is None and not kept.received):
        return stock
    counted = kept.counted if movement_id is None else (*kept.counted, movement_id)
    return _line_changed(stock, order_id, kept, replace(kept, received=kept.received - min(quantity, kept.received),
                                                        counted=counted))


def line_doc(line: OrderLine) -> dict:
    """An order line as its stock document stores it (`counted` only once there is one)."""
    doc = vars(line)
    return {**doc, "counted": list(line.counted)} if line.counted else {k: v for k, v in doc.items() if k != "counted"}


def line_from(doc: dict) -> OrderLine:
    return OrderLine(**{**doc, "counted": tuple(doc.get("counted") or ())})


def returned(before, after, order_id: str) -> int:
    """How much of what order `order_id` received a write took back (returned_on_line)."""
    was, now = before.orders.get(order_id), after.orders.get(order_id)
    return (was.received - now.received) if was and now else 0


def _line_changed(stock, order_id: str, kept: OrderLine | None, new: OrderLine):
    on_order = stock.on_order - (kept.remaining if kept else 0) + new.remaining
    return stock._replace(orders={**stock.orders, order_id: new}, on_order=on_order)


def open_line(stock, order_id: str, line: OrderLine):
    """Expect an order line here (a sent order); nothing if this stock knows the line already."""
    if order_id in stock.orders:
        return stock
    return _line_changed(stock, order_id, None, line)


def close_line(stock, order_id: str, line: OrderLine):
    """Stop expecting an order line: what was not received is cancelled. A closed line stays closed."""
    kept = stock.orders.get(order_id)
    if kept is not None and not kept.open:
        return stock
    return _line_changed(stock, order_id, kept, replace(kept or line, open=False))
