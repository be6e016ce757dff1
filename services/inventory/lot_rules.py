"""Lots: the batches a stock is made of, which lot an issue takes, expiry and its alerts. Standard library only.

Functions here only compute and never refuse; domain.py decides what is refused.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, timedelta

AVAILABLE, ON_HOLD, EXPIRED = "available", "on_hold", "expired"
STATUSES = (AVAILABLE, ON_HOLD, EXPIRED)
ALERT_DAYS = (90, 60, 30, 0)  # an expiry alert this many days before, once each; 0: expired
ATTRIBUTES = ("shade", "count", "mill", "expires_on")
NEVER = "9999-12-31"
#: categories that lose their strength: a new lot of them must say when it expires (domain.py refuses one that does not)
DATED = ("dye", "chemical")


class Lot(NamedTuple):
    """One lot of one material at one depot (a named tuple: a stock's lots are read and rebuilt on every write)."""

    code: str
    on_hand: int = 0
    shade: str = ""
    count: str = ""  # yarn count, e.g. "2/40s"
    mill: str = ""
    expires_on: str | None = None  # ISO date; expired from that day on
    status: str = AVAILABLE
    received_at: str = ""  # ISO time of its first receipt here: "oldest first"
    supplier: str = ""
    purchase_order: str = ""
    generated: bool = False  # rawbank named it: same-day receipts without a code and alike join it
    alerted: int | None = None  # the last expiry alert raised, in days before expiry
    alert_on: str | None = None  # the day the next expiry alert falls due

    @property
    def usable(self) -> bool:
        return self.status == AVAILABLE and self.on_hand > 0


@dataclass(frozen=True)
class Incoming:
    """What a receipt says about its lot; without a code rawbank names one."""

    code: str | None = None
    shade: str = ""
    count: str = ""
    mill: str = ""
    expires_on: str | None = None
    supplier: str = ""
    purchase_order: str = ""


def needs_expiry(category: str | None) -> bool:
    """Whether a new lot of a material of this category must give its expiry date."""
    return category in DATED


def fefo(lot: Lot) -> tuple:
    """Issue order: earliest expiry first, then the oldest."""
    return lot.expires_on or NEVER, lot.received_at, lot.code


def find(lots, code: str) -> Lot | None:
    return next((lot for lot in lots if lot.code == code), None)


def blocked(lots) -> int:
    """Stock on hand that may not be reserved or issued: lots on hold or expired."""
    return sum(lot.on_hand for lot in lots if lot.status != AVAILABLE)


def plan(lots, quantity: int, *, usable_only: bool = True) -> tuple[list[tuple[str, int]], int]:
    """(lot code, quantity) to take, and the shortfall: one lot when one can cover it, else FEFO."""
    candidates = sorted((lot for lot in lots if (lot.usable if usable_only else lot.on_hand > 0)), key=fefo)
    whole = next((lot for lot in candidates if lot.on_hand >= quantity), None)
    if whole is not None:
        return [(whole.code, quantity)], 0
    taken, left = [], quantity
    for lot in candidates:
        if left <= 0:
            break
        part = min(lot.on_hand, left)
        taken.append((lot.code, part))
        left -= part
    return taken, max(left, 0)


def take(lots, parts) -> tuple[Lot, ...]:
    """Lots after taking (code, quantity) parts; an emptied lot leaves the stock."""
    wanted = dict(parts)
    out = []
    for lot in lots:
        left = lot.on_hand - wanted.get(lot.code, 0)
        if left > 0:
            out.append(lot._replace(on_hand=left) if left != lot.on_hand else lot)
    return tuple(out)


def add(lots, lot: Lot, quantity: int) -> tuple[Lot, ...]:
    """Lots after adding `quantity` to `lot` (a new lot goes last)."""
    if find(lots, lot.code) is None:
        return (*lots, lot._replace(on_hand=quantity))
    return tuple(x._replace(on_hand=x.on_hand + quantity) if x.code == lot.code else x for x in lots)


def same_day_lot(lots, incoming: Incoming, day: str) -> Lot | None:
    """The lot a receipt without a code joins: named by rawbank today, with the same attributes."""
    for lot in lots:
        if lot.generated and lot.status == AVAILABLE and lot.received_at[:10] == day \
                and lot.shade == incoming.shade and lot.count == incoming.count and lot.mill == incoming.mill \
                and lot.expires_on == incoming.expires_on and lot.supplier == incoming.supplier \
                and lot.purchase_order == incoming.purchase_order:
            return lot
    return None


def mismatch(lot: Lot, incoming: Incoming) -> dict:
    """Attributes a receipt gives that differ from what its lot already says."""
    return {name: getattr(lot, name) for name in ATTRIBUTES
            if getattr(incoming, name) and getattr(incoming, name) != getattr(lot, name)}


def changes(before, after) -> list[tuple[str, int]]:
    """(code, change in on hand) of every lot a write changed, in code order."""
    before, after = before or (), after or ()
    if len(before) == len(after) and all(a.code == b.code for a, b in zip(before, after)):  # the same lots
        return sorted((b.code, b.on_hand - a.on_hand) for a, b in zip(before, after) if a.on_hand != b.on_hand)
    was = {lot.code: lot.on_hand for lot in before}
    now = {lot.code: lot.on_hand for lot in after}
    return [(code, now.get(code, 0) - was.get(code, 0)) for code in sorted(was.keys() | now.keys())
            if now.get(code, 0) != was.get(code, 0)]


def _shift(day: str, days: int) -> str | None:
    try:
        return (date.fromisoformat(day) - timedelta(days=days)).isoformat()
    except (OverflowError, ValueError):
        return None


def first_alert_on(expires_on: str | None) -> str | None:
    """When a new lot's first expiry alert falls due."""
    return _shift(expires_on, ALERT_DAYS[0]) if expires_on else None


def expire_due(lots, today: date) -> tuple[Lot, ...]:
    """Lots with every one whose expiry date has come marked expired (the same tuple if none has)."""
    day = today.isoformat()
    if not any(lot.expires_on and lot.expires_on <= day and lot.status != EXPIRED for lot in lots):
        return lots
    return tuple(lot._replace(status=EXPIRED) if lot.expires_on and lot.expires_on <= day else lot for lot in lots)


def days_left(lot: Lot, today: date) -> int:
    return (date.fromisoformat(lot.expires_on) - today).days


def raise_due(lots, today: date) -> tuple[Lot, ...]:
    """Lots with each due expiry alert marked raised: the nearest stage only, never one twice."""
    day, out = today.isoformat(), []
    if not any(lot.alert_on is not None and lot.alert_on <= day for lot in lots):
        return lots
    for lot in lots:
        if lot.alert_on is not None and lot.alert_on <= day and lot.expires_on:
            left = days_left(lot, today)
            stage = min(s for s in ALERT_DAYS if s >= min(max(left, 0), ALERT_DAYS[0]))
            later = [s for s in ALERT_DAYS if s < stage]
            lot = lot._replace(alerted=stage, alert_on=_shift(lot.expires_on, later[0]) if later else None)
        out.append(lot)
    return tuple(out)


def newly_alerted(before, after) -> list[Lot]:
    """Lots whose expiry alert stage a write moved on."""
    if after is before or not any(lot.alerted is not None for lot in after or ()):
        return []
    was = {lot.code: lot.alerted for lot in before or ()}
    return [lot for lot in after or () if lot.alerted is not None and was.get(lot.code) != lot.alerted]


# The functions below take and give a domain.Stock (its `lots` and what they block).

def with_lots(stock, lots):
    """The stock with new lots and what they block; lots always add up to on hand."""
    lots = tuple(lots)
    if sum(lot.on_hand for lot in lots) != stock.on_hand:
        raise AssertionError(f"{stock.depot}/{stock.sku}: lots do not add up to on hand")
    return stock._replace(lots=lots, blocked=blocked(lots))


def as_of(stock, today: date):
    """The stock as it stands today: lots whose expiry date has come are expired (the stored level is kept, so
    the write that settles it sees the crossing)."""
    if stock.lots is None:
        return stock
    lots = expire_due(stock.lots, today)
    return stock if lots is stock.lots else with_lots(stock, lots)


def raise_alerts(stock, today: date):
    """The stock with each expiry alert due today marked raised (the writer emits it)."""
    if stock.lots is None:
        return stock
    lots = raise_due(stock.lots, today)
    return stock if lots is stock.lots else stock._replace(lots=lots)


def new_lot_code(depot: str, today: date) -> str:
    """A code for a lot received without one: depot, day and a random tail (drawn again if taken)."""
    return f"{depot}-{today:%y%m%d}-{secrets.token_hex(3).upper()}"
