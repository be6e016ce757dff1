"""Stock movements people record: receipts (into lots, against orders), adjustments, transfers, returns."""
from __future__ import annotations

import logging

from services.inventory import clock, domain, errors, ledger, lot_rules, order_rules, purchase_orders
from services.inventory.catalog import depot_or_error, material_or_error, whole_units
from services.inventory.lot_rules import Incoming, Lot
from services.inventory.stock_writes import SOURCE, movement_event, stock_view, write_stock
from services.inventory.store import load_stock
from shared.envelope import new_event

log = logging.getLogger(__name__)
NEW_CODE_TRIES = 5


def record_movement(db, body: dict, *, by: str, correlation_id: str | None = None,
                    seen_from: str | None = None, movement_id: str | None = None) -> dict:
    """Apply one POST /movements body; InsufficientStock and nothing stored if stock would go negative.

    `seen_from`: the caller's depot when they see only its purchase orders (warehouse staff).
    `movement_id` makes it happen once however often it is asked (an Idempotency-Key, once.py).
    """
    kind, once = body["type"], {"correlation_id": correlation_id, "movement_id": movement_id}
    whole_units(db, body["sku"], {"quantity": body["quantity"]})  # no half plank comes, goes or is written off
    try:
        if kind == "receipt":
            return receive(db, body["sku"], body, by=by, seen_from=seen_from, **once)
        if kind == "adjustment":
            return adjust(db, body["sku"], body, by=by, labelled=True, **once)
        if kind == "return":
            return give_back(db, body, by=by, **once)
        return transfer(db, material_or_error(db, body["sku"]), body, by=by, **once)
    except domain.InsufficientStock as exc:
        raise errors.short(exc, db, sku=body["sku"], depot=body["depot"]) from None


def _depot_check(db, code: str):
    """Checked only for a new stock record: an existing one is proof that its depot exists."""
    return lambda: depot_or_error(db, code)


def _result(movement_id, kind, body, quantity, stock) -> dict:
    return {"movement_id": movement_id, "type": kind, "sku": body["sku"], "depot": body["depot"],
            "to_depot": body.get("to_depot"), "quantity": quantity, "stock": stock_view(stock)}


def _lot(body: dict) -> dict:
    """The body's lot as {code, shade, ...}; a bare code is accepted too."""
    lot = body.get("lot") or {}
    return {"code": lot} if isinstance(lot, str) else lot


def _incoming(lot: dict, **more) -> Incoming:
    """What a lot's label says: the lot stock goes into (a receipt, or stock found)."""
    return Incoming(code=lot.get("code") or None, shade=lot.get("shade") or "", count=lot.get("count") or "",
                    mill=lot.get("mill") or "", expires_on=lot.get("expires_on") or None, **more)


def _lot_code(body: dict) -> str | None:
    return _lot(body).get("code") or None


def _drawing_codes(write, named: bool):
    """Run a write that may open a lot rawbank names; a name another material has is drawn again."""
    for attempt in range(NEW_CODE_TRIES):
        try:
            return write()
        except errors.LotCodeTaken:
            if named or attempt == NEW_CODE_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def receive(db, material: dict | str, body: dict, *, by: str, correlation_id=None, seen_from=None,
            movement_id=None) -> dict:
    """Add received stock to its lot, with its StockReceived event and ledger entry (material: see write_stock).

    A receipt naming a purchase order counts on that order's line in the same write, refused
    past the line's tolerance (over_receipt); the order's own figures follow (apply_receipt).
    A new lot of a dye or chemical must give its expiry date (domain._into_lot; the category as write_stock reads it).
    """
    mid, quantity, depot = movement_id or ledger.new_movement_id(), body["quantity"], body["depot"]
    sku = material if isinstance(material, str) else material["_id"]
    lot, number = _lot(body), body.get("purchase_order") or None
    order = purchase_orders.for_receipt(db, number, depot, sku, seen_from=seen_from) if number else None
    supplier = order[0]["supplier"] if order else body.get("supplier") or ""
    unit_cost = body.get("unit_cost")
    if order and unit_cost is None:
        unit_cost = f"{next(x['price'] for x in order[0]['lines'] if x['sku'] == sku) / 100:.2f}"
    incoming = _incoming(lot, supplier=supplier, purchase_order=number or "")
    details = {"supplier": supplier, "unit_cost": str(unit_cost or ""), "reference": body.get("reference") or "",
               "reason": body.get("reason") or ""}
    ordered = {"purchase_order": number} if number else {}
    into = {}

    def record(before, after):
        code = into["lot"] = lot_rules.changes(before.lots, after.lots)[0][0] if after.lots is not None else ""
        event = movement_event("StockReceived", mid, after, quantity, by=by, correlation_id=correlation_id, lot=code,
                               on_order=after.on_order, **details, **ordered)
        return [ledger.entry("receipt", mid, before, after, by=by, **details, **ordered)], [event]

    def write():
        change = lambda s, category: domain.receive(  # noqa: E731
            s, quantity, incoming, order=order and (number, order[1]), today=clock.today(), now=clock.local_now(),
            category=category)
        return write_stock(db, material, depot, change, record, order_id=number, movement_id=movement_id,
                           correlation_id=correlation_id, on_new=_depot_check(db, depot), with_category=True)
    before, after = _drawing_codes(write, named=bool(incoming.code))
    if number and after != before:  # else this movement was stored before, and counted then or by the consumer
        _count_on_order("receipt", mid, number, lambda: purchase_orders.apply_receipt(db, number, {
            "movement_id": mid, "sku": sku, "quantity": quantity, "by": by, "at": clock.now(),
            "lot": into.get("lot", "")}, correlation_id))
    return {**_result(mid, "receipt", body, quantity, after), "lot": into.get("lot")}


def _count_on_order(kind: str, movement_id: str, number: str, count) -> None:
    """`count()` a receipt or a return on its order, after the movement's own write; if that fails, the movement and
    its event are stored: the consumer counts it on the order."""
    try:
        count()
    except Exception:
        log.warning("counting %s %s on %s left to the consumer", kind, movement_id, number, exc_info=True)


def adjust(db, material: dict | str, body: dict, *, by: str, correlation_id=None, movement_id=None,
           labelled: bool = False) -> dict:
    """A signed correction with its reason code, of one lot or the earliest (material: see write_stock).

    Never below available stock; an expired lot leaves the books only with reason `expired`.
    `movement_id` makes it happen once however often it is asked (an approved count).
    `labelled` (POST /movements): as a receipt's, stock found into a new lot of a dye or chemical gives its expiry
    date; an approved count's corrections are not asked it (a count says what is on the shelf, not a label).
    """
    mid, delta, reason = movement_id or ledger.new_movement_id(), body["quantity"], body["reason"]
    reference, code = body.get("reference") or "", _lot_code(body)

    def record(before, after):
        event = movement_event("StockAdjusted", mid, after, delta, by=by, correlation_id=correlation_id,
                               reason=reason, reference=reference)
        return [ledger.entry("adjustment", mid, before, after, by=by, reason=reason,
                             reference=reference)], [event]

    def write():
        change = lambda s, category=None: domain.adjust(  # noqa: E731
            s, delta, reason, code, today=clock.today(), now=clock.local_now(), found=_incoming(_lot(body)),
            category=category)
        return write_stock(db, material, body["depot"], change, record, movement_id=movement_id,
                           correlation_id=correlation_id, on_new=_depot_check(db, body["depot"]),
                           with_category=labelled)[1]
    after = _drawing_codes(write, named=bool(code))
    return _result(mid, "adjustment", body, delta, after)


def give_back(db, body: dict, *, by: str, correlation_id=None, movement_id=None) -> dict:
    """Return (part of) a lot to its supplier: it leaves the books with a StockReturned event.

    A lot that came on a purchase order counts as much less received on that order's line (never more than the
    line counts received: `order_returned`, on the entry and the event), so a replacement can be received; the
    order's own figures follow. At the order's depot the line is lowered in the same write (its stock keeps the
    line); a lot that travelled to another depot goes back from there, and the line at the order's depot is
    lowered right after, once (purchase_orders.count_return; the consumer finishes it if this process died).
    """
    mid, quantity, code, sku = movement_id or ledger.new_movement_id(), body["quantity"], _lot_code(body), body["sku"]
    details = {"reason": body.get("reason") or "", "reference": body.get("reference") or ""}
    counted = {}
    stored = load_stock(db, body["depot"], sku)[0]  # a lot's order never changes: read it first, to
    lot = lot_rules.find(stored.lots or (), code) if stored else None  # load that order's line with the stock
    number = lot.purchase_order if lot else ""
    home = purchase_orders.depot_of(db, number) if number else None
    elsewhere = home not in (None, body["depot"])  # the lot travelled here from the order's depot

    def change(stock):
        after = domain.return_lot(stock, quantity, code)
        return order_rules.returned_on_line(after, quantity, number) if number and not elsewhere else after

    def record(before, after):
        lot = lot_rules.find(before.lots or (), code) or Lot(code=code)
        fields = {**details, "supplier": lot.supplier, "purchase_order": lot.purchase_order}
        if lot.purchase_order:  # said even when 0 (reconcile counts one from another depot without it as whole)
            if elsewhere:
                back = purchase_orders.returnable(db, number, home, sku, quantity)
            else:
                back = order_rules.returned(before, after, lot.purchase_order)
            fields["order_returned"] = back
            if back:
                counted.update(purchase_order=lot.purchase_order, order_returned=back)
        event = movement_event("StockReturned", mid, after, -quantity, by=by, correlation_id=correlation_id,
                               lot=code, on_order=after.on_order, **fields)
        return [ledger.entry("return", mid, before, after, by=by, **fields)], [event]

    _, after = write_stock(db, sku, body["depot"], change, record, order_id=number or None,
                           movement_id=movement_id, correlation_id=correlation_id,
                           on_new=_depot_check(db, body["depot"]))
    if counted:  # as a receipt on the order, taken back (only by the request that stored the return)
        _count_on_order("return", mid, counted["purchase_order"], lambda: purchase_orders.count_return(db, {
            **counted, "movement_id": mid, "sku": sku, "depot": body["depot"], "by": by, "at": clock.now(),
            "lot": code}, correlation_id))
    return _result(mid, "return", body, -quantity, after)


def transfer(db, material: dict, body: dict, *, by: str, correlation_id=None, movement_id=None) -> dict:
    """Take stock out of one depot now (its lots travel with it); the other depot's leg follows from StockTransferred.

    The request applies the destination leg itself as well, so a transfer normally shows
    at both depots at once; the consumer repeats it (idempotently) if this process died.
    """
    source, target, quantity = body["depot"], body["to_depot"], body["quantity"]
    if source == target:
        raise errors.SameDepot({"to_depot": target})
    depot_or_error(db, target)
    try:  # the destination's leg could not be stored once the stock has left: refused before it leaves
        domain.room_for(load_stock(db, target, material["_id"])[0], material["_id"], target, quantity)
    except domain.Refused as exc:
        raise errors.refused(exc, db) from None
    mid = movement_id or ledger.new_movement_id()
    details = {"reason": body.get("reason") or "", "reference": body.get("reference") or ""}
    payload = {"movement_id": mid, "sku": material["_id"], "depot": source, "to_depot": target,
               "quantity": quantity, "by": by, **details}

    def record(before, after):
        payload["lots"] = [_travelling(lot_rules.find(before.lots, code), -part)
                           for code, part in lot_rules.changes(before.lots, after.lots)]
        event = new_event("StockTransferred", domain.stock_id(source, after.sku), payload,
                          source=SOURCE, correlation_id=correlation_id)
        return [ledger.entry("transfer", mid, before, after, by=by, from_depot=source,
                             to_depot=target, **details)], [event]

    before, after = write_stock(db, material, source, lambda s: domain.transfer_out(s, quantity, _lot_code(body)),
                                record, movement_id=movement_id, correlation_id=correlation_id,
                                on_new=_depot_check(db, source))
    try:
        if after != before:  # else stored before: its destination leg was applied then, or by the consumer
            transfer_in(db, payload, correlation_id=correlation_id)
    except Exception:  # the source leg and its event are stored: the consumer applies this leg
        log.warning("destination leg of transfer %s left to the consumer", mid, exc_info=True)
    return _result(mid, "transfer", body, quantity, after)


def _travelling(lot: Lot, quantity: int) -> dict:
    return {"lot": lot.code, "quantity": quantity, "shade": lot.shade, "count": lot.count, "mill": lot.mill,
            "expires_on": lot.expires_on or "", "supplier": lot.supplier, "purchase_order": lot.purchase_order}


def transfer_in(db, payload: dict, *, correlation_id=None) -> None:
    """The destination leg of a transfer, applied once per movement however often it is asked."""
    material = material_or_error(db, payload["sku"])
    mid, quantity, source = payload["movement_id"] + "-in", payload["quantity"], payload["depot"]
    details = {"reason": payload.get("reason") or "", "reference": payload.get("reference") or ""}
    arriving = [(Lot(code=part["lot"], shade=part.get("shade") or "", count=part.get("count") or "",
                     mill=part.get("mill") or "", expires_on=part.get("expires_on") or None,
                     supplier=part.get("supplier") or "", purchase_order=part.get("purchase_order") or ""),
                 part["quantity"]) for part in payload.get("lots") or []]
    if not arriving:  # a transfer recorded before lots travelled: the stock arrives as a lot of its own
        arriving = [(Lot(code=f"{mid[:12]}-{payload['to_depot'][:8]}", generated=True), quantity)]

    def record(before, after):
        return [ledger.entry("transfer", mid, before, after, by=payload["by"], from_depot=source,
                             to_depot=payload["to_depot"], **details)], []

    write_stock(db, material, payload["to_depot"],
                lambda s: domain.transfer_in(s, arriving, today=clock.today(), now=clock.local_now()), record,
                movement_id=mid, correlation_id=correlation_id)
