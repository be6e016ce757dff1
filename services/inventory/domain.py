"""Inventory rules: stock levels, movements, lots, holds, order lines and reorder-level crossings. Standard library only."""
from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from services.inventory import clock, lot_rules, order_rules
from services.inventory.refusals import InsufficientStock, Refused, StockError  # noqa: F401  (the rules' refusals)
from services.inventory.lot_rules import AVAILABLE, EXPIRED, ON_HOLD, Incoming, Lot

CATEGORIES = ("yarn", "fibre", "dye", "metal", "wood", "clay", "chemical", "packaging", "other")
UNITS = ("kg", "g", "m", "litre", "piece")
EXPIRED_LOT = "expired"  # the only reason that takes an expired lot off the books
ADJUSTMENT_REASONS = ("count", "damage", "expiry", "theft", "correction", EXPIRED_LOT)
TAKEN_BACK = "taken_back"  # material handed over that an artisan brought back to the shelf (RequisitionReturned)
MOVEMENT_TYPES = ("receipt", "adjustment", "transfer", "return", "reservation", "release", "issue", TAKEN_BACK)

#: the most of a material a depot's stock may hold, in thousandths: what an event's quantity can carry
#: (shared.quantity.MAX_QUANTITY, 10^12 units; tests/unit/test_inventory_domain.py holds them equal)
MAX_STOCK = 10**15

OK, LOW, DEPLETED = "ok", "low", "depleted"
LEVEL_EVENTS = {LOW: "StockLow", DEPLETED: "StockDepleted", OK: "StockReplenished"}


class Stock(NamedTuple):
    """One material at one depot; `holds` and `orders` hold only what a use case loaded.

    `lots` is None where lots are not tracked (a bare figure); a stored stock always has them.
    A named tuple: every write reads and rebuilds it, so it is cheap to make and to copy.
    """

    sku: str
    depot: str
    reorder_level: int
    on_hand: int = 0
    reserved: int = 0
    level: str | None = None
    holds: dict = {}  # never changed in place: a change makes a new dict
    lots: tuple[Lot, ...] | None = None
    blocked: int = 0  # on hand in lots on hold or expired
    orders: dict = {}  # purchase order id -> order_rules.OrderLine; never changed in place
    on_order: int = 0  # still to come on open order lines

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved - self.blocked


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
    return stock._replace(level=level_of(stock.available, stock.reorder_level))


def _settle(stock: Stock, lots=None, **changes) -> Stock:
    """The stock with `changes`, its lots (they must add up to on hand) and its level, in one step."""
    lots = lots if lots is not None else stock.lots
    on_hand = changes.get("on_hand", stock.on_hand)
    if lots is not None:
        lots = tuple(lots)
        if sum(lot.on_hand for lot in lots) != on_hand:
            raise AssertionError(f"{stock_id(stock.depot, stock.sku)}: lots do not add up to on hand")
        changes.update(lots=lots, blocked=lot_rules.blocked(lots))
    available = on_hand - changes.get("reserved", stock.reserved) - changes.get("blocked", stock.blocked)
    return stock._replace(level=level_of(available, stock.reorder_level), **changes)


def within_limit(before: Stock, after: Stock) -> Stock:
    """`after`, unless it changes on hand to more than a depot may hold (MAX_STOCK): its events could not carry the
    figure. Taking stock off a stock already past it (stored before this rule) is refused too until it is back
    within: one adjustment down to MAX_STOCK or below is how such a stock is corrected."""
    if after.on_hand > MAX_STOCK and after.on_hand != before.on_hand:
        raise Refused("stock_too_large", sku=after.sku, depot=after.depot, stock_after=after.on_hand,
                      largest=MAX_STOCK)
    return after


def room_for(stock: Stock | None, sku: str, depot: str, quantity: int) -> None:
    """Refuse bringing `quantity` to a depot's stock (None: none yet) when it would hold more than MAX_STOCK."""
    on_hand = (stock.on_hand if stock is not None else 0) + quantity
    if on_hand > MAX_STOCK:
        raise Refused("stock_too_large", sku=sku, depot=depot, stock_after=on_hand, largest=MAX_STOCK)


def _require_available(stock: Stock, wanted: int) -> None:
    if wanted > stock.available:
        raise InsufficientStock(stock.available, wanted)


def _into_lot(stock: Stock, quantity: int, incoming: Incoming, *, today: date, now: datetime,
              receipt: bool, category: str | None = None) -> tuple[Lot, ...] | None:
    """The stock's lots after `quantity` arrives in the lot `incoming` names (or rawbank's of the day).

    A new lot of a material of `category` that loses its strength (a dye, a chemical: lot_rules.DATED) must give
    its expiry date (expiry_required); more of a lot already here keeps that lot's date."""
    if stock.lots is None:
        return None
    if incoming.code:
        lot = lot_rules.find(stock.lots, incoming.code)
        if lot is not None and receipt and lot.status == EXPIRED:
            raise Refused("lot_expired", lot=lot.code)
        if lot is not None and lot_rules.mismatch(lot, incoming):  # a receipt's, or stock found, not this lot's label
            raise Refused("lot_mismatch", lot=lot.code, **lot_rules.mismatch(lot, incoming))
    else:
        lot = lot_rules.same_day_lot(stock.lots, incoming, today.isoformat())
    if lot is None and not incoming.expires_on and lot_rules.needs_expiry(category):
        # stock found (an adjustment, whose page has no lot fields) is told what to do instead: errors.py
        raise Refused("expiry_required" if receipt else "expiry_required_found", sku=stock.sku)
    if lot is None:
        lot = Lot(code=incoming.code or lot_rules.new_lot_code(stock.depot, today), shade=incoming.shade,
                  count=incoming.count, mill=incoming.mill, expires_on=incoming.expires_on,
                  received_at=now.isoformat(), supplier=incoming.supplier, purchase_order=incoming.purchase_order,
                  generated=not incoming.code, alert_on=lot_rules.first_alert_on(incoming.expires_on))
    return lot_rules.add(stock.lots, lot, quantity)


def receive(stock: Stock, quantity: int, incoming: Incoming | None = None, *, order=None,
            today: date | None = None, now: datetime | None = None, category: str | None = None) -> Stock:
    """Stock after a receipt of `quantity` thousandths into a lot, against an order line if given.

    `order` is (purchase order id, OrderLine as the order says): the line this stock keeps wins.
    `category`: the material's; a new lot of a dye or chemical must give its expiry date (_into_lot).
    """
    if quantity <= 0:
        raise StockError("a receipt must be for more than zero")
    incoming = incoming or Incoming()
    today, now = today or clock.today(), now or clock.local_now()
    if incoming.expires_on and incoming.expires_on <= today.isoformat():
        raise Refused("expiry_in_past", expires_on=incoming.expires_on)
    if order is not None:
        stock = order_rules.received_on_line(stock, quantity, *order)
    lots = _into_lot(stock, quantity, incoming, today=today, now=now, receipt=True, category=category)
    return _settle(stock, lots, on_hand=stock.on_hand + quantity)


def adjust(stock: Stock, delta: int, reason: str, lot: str | None = None, *, today: date | None = None,
           now: datetime | None = None, found: Incoming | None = None, category: str | None = None) -> Stock:
    """Stock after a signed correction; never below what is available, an expired lot only for `expired`.

    Stock found (`delta` > 0) goes into the lot `found` labels (its code is `lot`), new or matching its label;
    with the material's `category`, a new lot of a dye or chemical must give its expiry date, as a receipt's."""
    if delta == 0:
        raise StockError("an adjustment must change the stock")
    if reason not in ADJUSTMENT_REASONS:
        raise StockError(f"reason must be one of {', '.join(ADJUSTMENT_REASONS)}")
    if delta > 0:
        lots = _into_lot(stock, delta, found or Incoming(code=lot), today=today or clock.today(),
                         now=now or clock.local_now(), receipt=False, category=category)
        return _settle(stock, lots, on_hand=stock.on_hand + delta)
    wanted = -delta
    if stock.lots is None:
        _require_available(stock, wanted)
        return settle_level(stock._replace(on_hand=stock.on_hand + delta))
    if lot is not None:
        parts = [(lot, wanted)]
        _check_lot(stock, lot, wanted, expired_ok=reason in (EXPIRED_LOT, "count"), expired_only=reason == EXPIRED_LOT)
    elif reason == EXPIRED_LOT:
        parts, short = lot_rules.plan([x for x in stock.lots if x.status == EXPIRED], wanted, usable_only=False)
        if short:
            raise InsufficientStock(wanted - short, wanted)
    else:
        parts = _plan_usable(stock, wanted)
    return _taken(stock, wanted, parts)


def _check_lot(stock: Stock, code: str, wanted: int, *, expired_ok: bool = False,
               expired_only: bool = False) -> Lot:
    lot = lot_rules.find(stock.lots, code)
    if lot is None:
        raise Refused("unknown_lot", lot=code)
    if lot.status == EXPIRED and not expired_ok:
        raise Refused("lot_expired", lot=code)
    if expired_only and lot.status != EXPIRED:
        raise Refused("lot_not_expired", lot=code)
    if lot.on_hand < wanted:
        raise InsufficientStock(lot.on_hand, wanted, lot=code)
    if lot.status == AVAILABLE:
        _require_available(stock, wanted)
    return lot


def _plan_usable(stock: Stock, wanted: int) -> list[tuple[str, int]]:
    _require_available(stock, wanted)
    parts, short = lot_rules.plan(stock.lots, wanted)
    if short:
        raise InsufficientStock(wanted - short, wanted)
    return parts


def _taken(stock: Stock, quantity: int, parts) -> Stock:
    if stock.on_hand - quantity < stock.reserved:  # what is set aside stays on hand
        raise InsufficientStock(max(stock.on_hand - stock.reserved, 0), quantity)
    return _settle(stock, lot_rules.take(stock.lots, parts), on_hand=stock.on_hand - quantity)


def transfer_out(stock: Stock, quantity: int, lot: str | None = None) -> Stock:
    """The source leg of a transfer: only available stock may leave, from usable lots."""
    if quantity <= 0:
        raise StockError("a transfer must be for more than zero")
    _require_available(stock, quantity)
    if stock.lots is None:
        return settle_level(stock._replace(on_hand=stock.on_hand - quantity))
    if lot is not None:
        if _check_lot(stock, lot, quantity).status != AVAILABLE:
            raise Refused("lot_on_hold", lot=lot)
        return _taken(stock, quantity, [(lot, quantity)])
    return _taken(stock, quantity, _plan_usable(stock, quantity))


def transfer_in(stock: Stock, arriving: list[tuple[Lot, int]], *, today: date | None = None,
                now: datetime | None = None) -> Stock:
    """The destination leg: the same lots arrive, each with its shade, mill and expiry."""
    quantity = sum(q for _, q in arriving)
    if quantity <= 0:
        raise StockError("a transfer must be for more than zero")
    if stock.lots is None:
        return settle_level(stock._replace(on_hand=stock.on_hand + quantity))
    lots, now = stock.lots, now or clock.local_now()
    for lot, part in arriving:
        if lot_rules.find(lots, lot.code) is None:
            lot = lot._replace(received_at=now.isoformat(), status=AVAILABLE, alerted=None,
                          alert_on=lot_rules.first_alert_on(lot.expires_on))
        lots = lot_rules.add(lots, lot, part)
    return _settle(stock, lots, on_hand=stock.on_hand + quantity)


def take_back(stock: Stock, parts: list[tuple[Lot, int]], *, today: date | None = None,
              now: datetime | None = None) -> Stock:
    """Material handed over that comes back on the shelf, each part into its lot as it stands (on hold or expired,
    it stays so); a lot no longer in the stock is opened again as `parts` gives it (its status decided by the
    caller), expired if its date has come. Where lots are not kept the figure rises."""
    quantity = sum(part for _, part in parts)
    if quantity <= 0:
        raise StockError("what comes back must be more than zero")
    if stock.lots is None:
        return settle_level(stock._replace(on_hand=stock.on_hand + quantity))
    lots, today, now = stock.lots, today or clock.today(), now or clock.local_now()
    for lot, part in parts:
        if lot_rules.find(lots, lot.code) is None:
            expired = bool(lot.expires_on) and lot.expires_on <= today.isoformat()
            lot = lot._replace(received_at=lot.received_at or now.isoformat(), alerted=None,
                               status=EXPIRED if expired else lot.status,
                               alert_on=lot_rules.first_alert_on(lot.expires_on))
        lots = lot_rules.add(lots, lot, part)
    return _settle(stock, lots, on_hand=stock.on_hand + quantity)


def return_lot(stock: Stock, quantity: int, lot: str) -> Stock:
    """Send (part of) a lot back to its supplier: a held lot, or usable stock that is available."""
    if quantity <= 0:
        raise StockError("a return must be for more than zero")
    _check_lot(stock, lot, quantity)
    return _taken(stock, quantity, [(lot, quantity)])


def hold_lot(stock: Stock, code: str) -> Stock:
    """Put a lot on hold for inspection; what is set aside must stay covered by the other lots."""
    lot = _lot(stock, code)
    if lot.status == ON_HOLD:
        return stock
    _require_available(stock, lot.on_hand)
    return _settle(stock, tuple(x._replace(status=ON_HOLD) if x.code == code else x for x in stock.lots))


def release_lot(stock: Stock, code: str) -> Stock:
    """Give an inspected lot back to use; nothing if it is in use already."""
    lot = _lot(stock, code)
    if lot.status == AVAILABLE:
        return stock
    return _settle(stock, tuple(x._replace(status=AVAILABLE) if x.code == code else x for x in stock.lots))


def _lot(stock: Stock, code: str) -> Lot:
    lot = lot_rules.find(stock.lots or (), code)
    if lot is None:
        raise Refused("unknown_lot", lot=code)
    if lot.status == EXPIRED:
        raise Refused("lot_expired", lot=code)
    return lot


def hold(stock: Stock, requisition_id: str, quantity: int) -> Stock:
    """Hold `quantity` for a requisition; holding again for the same one changes nothing."""
    if requisition_id in stock.holds:
        return stock
    if quantity <= 0:
        raise StockError("a hold must be for more than zero")
    _require_available(stock, quantity)
    return settle_level(stock._replace(reserved=stock.reserved + quantity,
                                holds={**stock.holds, requisition_id: quantity}))


def release(stock: Stock, requisition_id: str) -> Stock:
    """Give a requisition's hold back to available stock (nothing if there is none)."""
    if requisition_id not in stock.holds:
        return stock
    holds = dict(stock.holds)
    quantity = holds.pop(requisition_id)
    return settle_level(stock._replace(reserved=stock.reserved - quantity, holds=holds))


def issue(stock: Stock, requisition_id: str) -> Stock:
    """Hand a held quantity over from usable lots (one lot when one covers it): it leaves reserved and on hand.

    What usable lots no longer cover came from lots that expired under the hold (earliest first)."""
    if requisition_id not in stock.holds:
        return stock
    holds = dict(stock.holds)
    quantity = holds.pop(requisition_id)
    released = stock._replace(reserved=stock.reserved - quantity, holds=holds)
    if stock.lots is None:
        return settle_level(released._replace(on_hand=stock.on_hand - quantity))
    parts, short = lot_rules.plan(stock.lots, quantity)
    if short:  # a lot expired under the hold and it was handed over all the same: the books say what left
        usable = dict(parts)
        rest = [lot._replace(on_hand=lot.on_hand - usable.get(lot.code, 0)) for lot in stock.lots
                if lot.status == EXPIRED]
        expired, still = lot_rules.plan(rest, short, usable_only=False)
        if still:
            raise InsufficientStock(quantity - still, quantity)
        parts = [*parts, *expired]
    return _settle(released, lot_rules.take(stock.lots, _merged(parts)), on_hand=stock.on_hand - quantity)


def _merged(parts) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for code, quantity in parts:
        totals[code] = totals.get(code, 0) + quantity
    return list(totals.items())


def hold_handed_over(stock: Stock, requisition_id: str, quantity: int) -> Stock:
    """Hold what was handed over for a requisition that had lost its hold: it is on hand, though not available
    (e.g. in the expired lot it was held in), but not in a lot on hold for inspection, which `issue` never
    takes from; a hold already there changes nothing."""
    if requisition_id in stock.holds:
        return stock
    if quantity <= 0:
        raise StockError("a hold must be for more than zero")
    inspected = sum(lot.on_hand for lot in stock.lots or () if lot.status == ON_HOLD)
    if stock.on_hand - inspected - stock.reserved < quantity:
        raise InsufficientStock(max(stock.on_hand - inspected - stock.reserved, 0), quantity)
    return settle_level(stock._replace(reserved=stock.reserved + quantity,
                                       holds={**stock.holds, requisition_id: quantity}))


def merge_lines(lines) -> list[tuple[str, int]]:
    """A requisition's lines as (sku, quantity), one per sku, in a stable order."""
    totals: dict[str, int] = {}
    for line in lines:
        if line["quantity"] <= 0:
            raise StockError("every line needs a quantity above zero")
        totals[line["sku"]] = totals.get(line["sku"], 0) + line["quantity"]
    return sorted(totals.items())
