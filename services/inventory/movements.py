"""Stock movements people record: receipts, adjustments and transfers between depots."""
from __future__ import annotations

import logging

from services.inventory import domain, errors, ledger
from services.inventory.catalog import depot_or_error, material_or_error
from services.inventory.stock_writes import SOURCE, movement_event, stock_view, write_stock
from shared.envelope import new_event
from shared.quantity import format_quantity

log = logging.getLogger(__name__)


def record_movement(db, body: dict, *, by: str, correlation_id: str | None = None) -> dict:
    """Apply one POST /movements body; InsufficientStock and nothing stored if stock would go negative."""
    kind = body["type"]
    try:
        if kind == "receipt":
            return receive(db, body["sku"], body, by=by, correlation_id=correlation_id)
        if kind == "adjustment":
            return adjust(db, body["sku"], body, by=by, correlation_id=correlation_id)
        return transfer(db, material_or_error(db, body["sku"]), body, by=by, correlation_id=correlation_id)
    except domain.InsufficientStock as exc:
        raise errors.InsufficientStock({  # quantities as the contract writes them: "12.5"
            "sku": body["sku"], "depot": body["depot"], "available": format_quantity(exc.available),
            "wanted": format_quantity(exc.wanted)}) from None


def _depot_check(db, code: str):
    """Checked only for a new stock record: an existing one is proof that its depot exists."""
    return lambda: depot_or_error(db, code)


def _result(movement_id, kind, body, quantity, stock) -> dict:
    return {"movement_id": movement_id, "type": kind, "sku": body["sku"], "depot": body["depot"],
            "to_depot": body.get("to_depot"), "quantity": quantity, "stock": stock_view(stock)}


def receive(db, material: dict | str, body: dict, *, by: str, correlation_id=None) -> dict:
    """Add received stock with its StockReceived event and ledger entry (material: see write_stock)."""
    mid, quantity = ledger.new_movement_id(), body["quantity"]
    details = {name: str(body.get(name) or "") for name in ("supplier", "lot", "unit_cost", "reference", "reason")}

    def record(before, after):
        event = movement_event("StockReceived", mid, after, quantity, by=by,
                               correlation_id=correlation_id, **details)
        return [ledger.entry("receipt", mid, before, after, by=by, **details)], [event]

    _, after = write_stock(db, material, body["depot"], lambda s: domain.receive(s, quantity), record,
                           correlation_id=correlation_id, on_new=_depot_check(db, body["depot"]))
    return _result(mid, "receipt", body, quantity, after)


def adjust(db, material: dict | str, body: dict, *, by: str, correlation_id=None) -> dict:
    """A signed correction with its reason code; never below available stock (material: see write_stock)."""
    mid, delta, reason = ledger.new_movement_id(), body["quantity"], body["reason"]
    reference = body.get("reference") or ""

    def record(before, after):
        event = movement_event("StockAdjusted", mid, after, delta, by=by, correlation_id=correlation_id,
                               reason=reason, reference=reference)
        return [ledger.entry("adjustment", mid, before, after, by=by, reason=reason,
                             reference=reference)], [event]

    _, after = write_stock(db, material, body["depot"], lambda s: domain.adjust(s, delta, reason),
                           record, correlation_id=correlation_id, on_new=_depot_check(db, body["depot"]))
    return _result(mid, "adjustment", body, delta, after)


def transfer(db, material: dict, body: dict, *, by: str, correlation_id=None) -> dict:
    """Take stock out of one depot now; the other depot's leg follows from StockTransferred.

    The request applies the destination leg itself as well, so a transfer normally shows
    at both depots at once; the consumer repeats it (idempotently) if this process died.
    """
    source, target, quantity = body["depot"], body["to_depot"], body["quantity"]
    if source == target:
        raise errors.SameDepot({"to_depot": target})
    depot_or_error(db, target)
    mid = ledger.new_movement_id()
    details = {"reason": body.get("reason") or "", "reference": body.get("reference") or ""}
    payload = {"movement_id": mid, "sku": material["_id"], "depot": source, "to_depot": target,
               "quantity": quantity, "by": by, **details}

    def record(before, after):
        event = new_event("StockTransferred", domain.stock_id(source, after.sku), payload,
                          source=SOURCE, correlation_id=correlation_id)
        return [ledger.entry("transfer", mid, before, after, by=by, from_depot=source,
                             to_depot=target, **details)], [event]

    _, after = write_stock(db, material, source, lambda s: domain.transfer_out(s, quantity), record,
                           correlation_id=correlation_id, on_new=_depot_check(db, source))
    try:
        transfer_in(db, payload, correlation_id=correlation_id)
    except Exception:  # the source leg and its event are stored: the consumer applies this leg
        log.warning("destination leg of transfer %s left to the consumer", mid, exc_info=True)
    return _result(mid, "transfer", body, quantity, after)


def transfer_in(db, payload: dict, *, correlation_id=None) -> None:
    """The destination leg of a transfer, applied once per movement however often it is asked."""
    material = material_or_error(db, payload["sku"])
    mid, quantity, source = payload["movement_id"] + "-in", payload["quantity"], payload["depot"]
    details = {"reason": payload.get("reason") or "", "reference": payload.get("reference") or ""}

    def record(before, after):
        return [ledger.entry("transfer", mid, before, after, by=payload["by"], from_depot=source,
                             to_depot=payload["to_depot"], **details)], []

    write_stock(db, material, payload["to_depot"], lambda s: domain.receive(s, quantity), record,
                movement_id=mid, correlation_id=correlation_id)
