"""Purchase-order rules: statuses, what each action may start from, tolerance, lateness. Standard library only."""
from __future__ import annotations

from datetime import date

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


def amount(quantity: int, price: int) -> int:
    """Paise for `quantity` thousandths at `price` paise per unit, rounded half up."""
    return (quantity * price + 500) // 1000
