"""Purchase orders to mills and agencies: draft, send, receive against, close or cancel, and lateness.

The order document is the header people read. What a line may still receive lives on the stock
it arrives into (order_rules.OrderLine under `orders.<id>`), so a receipt checks and counts its line
in its own single write: two receipts can never both pass the over-receipt check. Sending puts
the lines there and closing takes them off (now, and again from the order's event, so a crash in
between is finished by inventory's consumer); the order's `received` figures follow the receipts
the same way (apply_receipt, by movement id).
"""
from __future__ import annotations

import logging

from pymongo import DESCENDING

from services.inventory import clock, order_rules, suppliers
from services.inventory.catalog import depot_or_error, material_or_error, whole_units
from services.inventory.errors import (MaterialInactive, NotOnOrder, OrderClosed, OrderNotFound, OrderNotSent,
                                       OrderOtherDepot, OrderPartlyReceived, OrderStatus, UnknownOrder)
from services.inventory.numbers import next_number
from services.inventory.stock_writes import SOURCE, write_stock
from services.inventory.store import load_stock
from shared.changes import nothing_changes
from shared.envelope import new_event
from shared.errors import Busy, Conflict
from shared.money import round_half_up
from shared.quantity import SCALE

log = logging.getLogger(__name__)
HIDDEN = {"outbox": 0}


def _lines(db, lines: list[dict]) -> list[dict]:
    out = []
    for line in lines:
        material = material_or_error(db, line["sku"])
        if not material.get("active", True):
            raise MaterialInactive({"sku": line["sku"]}).named(db, material)
        whole_units(db, line["sku"], {f"lines.{len(out)}.quantity": line["quantity"]}, material)
        out.append({"sku": line["sku"], "quantity": line["quantity"], "price": line["price"], "received": 0})
    return out


def create(db, body: dict, *, by: str, origin: str | None = None, number=None) -> dict:
    """A draft order; nothing is expected at the depot until it is sent. `origin`: what drafted it (replenishment);
    `number()`: its number, once the order is found right (once.py), else the next of the series."""
    supplier = suppliers.active(db, body["supplier"])
    depot_or_error(db, body["depot"])
    lines = _lines(db, body["lines"])
    now = clock.now()
    doc = {"_id": number() if number else next_number(db, "purchase_order", "PO"), "supplier": supplier["code"],
           "supplier_name": supplier["name"], "supplier_name_hi": supplier.get("name_hi"), "depot": body["depot"],
           "lines": lines,
           "expected_on": body["expected_on"], "status": order_rules.DRAFT, "note": body.get("note") or "",
           "created_by": by, "created_at": now, "updated_at": now, "receipts": [], "version": 1, "outbox": [],
           **({"origin": origin} if origin else {})}
    db.purchase_orders.insert_one(doc)
    return view(doc)


def edit(db, number: str, changes: dict, *, by: str) -> dict:
    """Change a draft's lines, expected date or note; all as they are writes nothing: the order as it is, its
    version and updated_at the same (shared/changes.py). A draft no more (or a line's material since made inactive)
    is refused as before."""
    doc = _as_stored(db, number)
    _allowed(doc, "edit")
    update = {k: v for k, v in changes.items() if k in ("expected_on", "note")}
    if "lines" in changes:
        update["lines"] = _lines(db, changes["lines"])
    if nothing_changes(doc, update):
        return view(doc)
    _write(db, doc, {"$set": {**update, "updated_at": clock.now(), "updated_by": by}})
    return get(db, number)


def get(db, number: str, *, depot: str | None = None) -> dict:
    """One order; with `depot` (the caller's), another depot's order is not found, as if it did not exist."""
    doc = _as_stored(db, number)
    if depot and doc["depot"] != depot:
        raise OrderNotFound({"purchase_order": number})
    return view(doc)


def _as_stored(db, number: str) -> dict:
    """The order as stored (its lines as they are kept, not as `view` shows them)."""
    doc = db.purchase_orders.find_one({"_id": number}, HIDDEN)
    if doc is None:
        raise OrderNotFound({"purchase_order": number})
    return doc


def view(doc: dict) -> dict:
    """The order as it is read: each line with what is still to come (nothing once the order is closed or cancelled)
    and what closing it cancelled (what had not come by then), and what it is worth.

    A line's `amount` and the order's `total` are what the order is worth now: what came and what is still to come,
    at the order's prices; what closing or cancelling it cancelled is not in them (a closed order is worth what
    came, a cancelled one nothing). `ordered_amount` and `ordered_total` are the value as it was ordered."""
    finished = doc["status"] in (order_rules.CLOSED, order_rules.CANCELLED)
    lines = []
    for line in doc["lines"]:
        short = max(line["quantity"] - line["received"], 0)
        worth = line["received"] + (0 if finished else short)
        lines.append({**line, "remaining": 0 if finished else short, "cancelled": short if finished else 0,
                      "amount": round_half_up(worth * line["price"], SCALE),
                      "ordered_amount": round_half_up(line["quantity"] * line["price"], SCALE)})
    return {**{k: v for k, v in doc.items() if k != "outbox"}, "purchase_order": doc["_id"], "lines": lines,
            "total": sum(line["amount"] for line in lines),
            "ordered_total": sum(line["ordered_amount"] for line in lines)}


def count(db, *, status=None, depot=None) -> int:
    """How many orders the filter finds (the pages' "N in all")."""
    return db.purchase_orders.count_documents({k: v for k, v in (("status", status), ("depot", depot)) if v})


def find(db, *, status=None, depot=None, after=None, skip=0, limit=50) -> list[dict]:
    """Orders newest first, filtered."""
    query = {k: v for k, v in (("status", status), ("depot", depot)) if v}
    if after:
        query["_id"] = {"$lt": after}
    return [view(d) for d in db.purchase_orders.find(query, HIDDEN).sort("_id", DESCENDING).skip(skip).limit(limit)]


def _allowed(doc: dict, action: str) -> None:
    if not order_rules.may(action, doc["status"]):
        raise OrderStatus({"purchase_order": doc["_id"], "status": doc["status"], "action": action})


def _write(db, doc: dict, update: dict) -> None:
    """One conditional write of the order; someone else's write first means: look again."""
    update.setdefault("$inc", {})["version"] = 1
    if not db.purchase_orders.update_one({"_id": doc["_id"], "version": doc["version"]}, update).matched_count:
        raise Conflict({"purchase_order": doc["_id"]})


def _payload(doc: dict, lines=None, **fields) -> dict:
    lines = lines if lines is not None else [{"sku": line["sku"], "quantity": line["quantity"],
                                              "limit": line.get("limit") or line["quantity"]} for line in doc["lines"]]
    return {"purchase_order": doc["_id"], "supplier": doc["supplier"], "depot": doc["depot"], "lines": lines,
            **fields}


def _event(kind: str, doc: dict, correlation_id, lines=None, **fields) -> dict:
    return new_event(kind, doc["_id"], _payload(doc, lines, **fields), source=SOURCE,
                     correlation_id=correlation_id).to_dict()


def send(db, number: str, *, by: str, correlation_id=None) -> dict:
    """Send a draft: its lines are now on order at the depot, each up to the supplier's tolerance (an inactive
    supplier takes no new orders, drafts raised before it stopped included)."""
    doc = get(db, number)
    _allowed(doc, "send")
    tolerance = suppliers.active(db, doc["supplier"]).get("tolerance_percent", 0)
    doc["lines"] = [{**line, "limit": order_rules.limit(line["quantity"], tolerance)} for line in doc["lines"]]
    event = _event("PurchaseOrderSent", doc, correlation_id, expected_on=doc["expected_on"])
    _write(db, doc, {"$set": {"status": order_rules.SENT, "lines": [_stored(line) for line in doc["lines"]],
                              "sent_by": by, "sent_at": clock.now(), "updated_at": clock.now()},
                     "$push": {"outbox": event}})
    _follow(expect_lines, db, _payload(doc), correlation_id)
    return get(db, number)


def _stored(line: dict) -> dict:
    return {k: line[k] for k in ("sku", "quantity", "price", "received", "limit") if k in line}


def close(db, number: str, *, by: str, correlation_id=None) -> dict:
    """Stop waiting for what has not come: the rest of every line is cancelled."""
    return _finish(db, get(db, number), order_rules.CLOSED, "close", by, correlation_id)


def cancel(db, number: str, *, by: str, correlation_id=None) -> dict:
    """Cancel an order nothing was received on (a draft, or sent and not yet delivered)."""
    doc = get(db, number)
    if any(line["received"] for line in doc["lines"]):
        raise OrderPartlyReceived({"purchase_order": number})
    return _finish(db, doc, order_rules.CANCELLED, "cancel", by, correlation_id)


def _finish(db, doc: dict, status: str, action: str, by: str, correlation_id) -> dict:
    _allowed(doc, action)
    sent = doc["status"] != order_rules.DRAFT
    update = {"$set": {"status": status, f"{status}_by": by, f"{status}_at": clock.now(), "updated_at": clock.now()}}
    event = _event("PurchaseOrderFinished", doc, correlation_id, status=status) if sent else None
    if event:
        update["$push"] = {"outbox": event}
    _write(db, doc, update)
    if event:
        _follow(stop_lines, db, _payload(doc, status=status), correlation_id)
    return get(db, doc["_id"])


def _follow(step, db, payload: dict, correlation_id) -> None:
    try:
        step(db, payload, correlation_id=correlation_id)
    except Exception:  # the order and its event are stored: inventory's consumer repeats this step
        log.warning("%s of %s left to the consumer", step.__name__, payload["purchase_order"], exc_info=True)


def _each_line(db, payload: dict, change, correlation_id) -> None:
    number = payload["purchase_order"]
    for line in payload["lines"]:
        expected = order_rules.OrderLine(ordered=line["quantity"], limit=line.get("limit") or line["quantity"])
        write_stock(db, line["sku"], payload["depot"], lambda s, e=expected: change(s, number, e),
                    lambda before, after: ([], []), order_id=number, correlation_id=correlation_id,
                    on_new=lambda: depot_or_error(db, payload["depot"]))


def expect_lines(db, payload: dict, *, correlation_id=None) -> None:
    """Put a sent order's lines on order at its depot (once per line, however often asked)."""
    _each_line(db, payload, order_rules.open_line, correlation_id)


def stop_lines(db, payload: dict, *, correlation_id=None) -> None:
    """Take a closed or cancelled order's lines off order (once per line)."""
    if payload.get("status") in (order_rules.CLOSED, order_rules.CANCELLED):
        _each_line(db, payload, order_rules.close_line, correlation_id)


def for_receipt(db, number: str, depot: str, sku: str, *, seen_from: str | None = None
                ) -> tuple[dict, order_rules.OrderLine]:
    """The order a receipt names and its line as the order says, if the receipt may count on it.

    `seen_from`: the receiver's own depot, when they may see only its orders (another's is unknown to them).
    """
    doc = db.purchase_orders.find_one({"_id": number}, HIDDEN)
    if doc is None or (seen_from and doc["depot"] != seen_from):
        raise UnknownOrder({"purchase_order": number})
    details = {"purchase_order": number, "status": doc["status"]}
    if doc["status"] == order_rules.DRAFT:
        raise OrderNotSent(details)
    if doc["status"] not in order_rules.RECEIVING:
        raise OrderClosed(details)
    if doc["depot"] != depot:
        raise OrderOtherDepot({"purchase_order": number, "order_depot": doc["depot"], "depot": depot}).named(db)
    line = next((line for line in doc["lines"] if line["sku"] == sku), None)
    if line is None:
        raise NotOnOrder({"purchase_order": number, "sku": sku,
                          "on_order": [line["sku"] for line in doc["lines"]]}).named(db)
    return doc, order_rules.OrderLine(ordered=line["quantity"], limit=line.get("limit") or line["quantity"])


def apply_receipt(db, number: str, receipt: dict, correlation_id=None) -> None:
    """Count a receipt on its order once (by movement id): received per line, then the status."""
    for _ in range(50):
        doc = db.purchase_orders.find_one({"_id": number}, HIDDEN)
        if doc is None or any(r["movement_id"] == receipt["movement_id"] for r in doc["receipts"]):
            return
        receipts = [*doc["receipts"], receipt]
        lines = order_rules.received_by_line(doc["lines"], receipts)
        status = order_rules.status_after_receipt(doc["status"], lines)
        update = {"$set": {"lines": lines, "status": status, "updated_at": clock.now()},
                  "$push": {"receipts": receipt}, "$inc": {"version": 1}}
        if status == order_rules.RECEIVED != doc["status"]:
            update["$push"]["outbox"] = _event("PurchaseOrderFinished", {**doc, "lines": lines}, correlation_id,
                                               status=status)
        if db.purchase_orders.update_one({"_id": number, "version": doc["version"]}, update).matched_count:
            return
    raise Busy({"purchase_order": number})


def depot_of(db, number: str) -> str | None:
    """The depot an order is for (None: no such order)."""
    doc = db.purchase_orders.find_one({"_id": number}, {"depot": 1})
    return doc["depot"] if doc else None


def returnable(db, number: str, depot: str, sku: str, quantity: int) -> int:
    """How much of `quantity` of a lot that came on order `number` (for `depot`) going back to the supplier from
    another depot the order takes back: what its line counts received on the stock at `depot`, at most."""
    stock = load_stock(db, depot, sku, order_id=number)[0]
    kept = stock.orders.get(number) if stock is not None else None
    return min(quantity, kept.received) if kept is not None else 0


def count_return(db, returned: dict, correlation_id=None) -> None:
    """Count what went back of a lot that came on an order (`order_returned` of a StockReturned) on that order, once
    (by movement id), however often asked (the request, then its event at the consumer).

    A return made at another depot than the order's (the lot travelled there) first lowers the order's line on the
    stock at the order's depot (once per movement: order_rules.returned_on_line); one made at the order's depot
    did that in its own write. Then the order's own figures follow (apply_receipt), the return listed among its
    receipts with the depot it went back from."""
    number, back, mid = returned["purchase_order"], returned["order_returned"], returned["movement_id"]
    home = depot_of(db, number)
    if home is None:
        return
    elsewhere = home != returned["depot"]
    if elsewhere:
        write_stock(db, returned["sku"], home,
                    lambda s: order_rules.returned_on_line(s, back, number, mid), lambda before, after: ([], []),
                    order_id=number, correlation_id=correlation_id)
    apply_receipt(db, number, {"movement_id": mid, "sku": returned["sku"], "quantity": -back,
                               "lot": returned.get("lot") or "", "by": returned["by"], "at": returned.get("at"),
                               **({"depot": returned["depot"]} if elsewhere else {})}, correlation_id)


def raise_overdue(db, limit: int = 100) -> int:
    """Raise PurchaseOrderOverdue, once per order, for orders past their expected date; how many."""
    today, raised = clock.today(), 0
    for doc in db.purchase_orders.find({"status": {"$in": list(order_rules.AWAITED)}, "overdue": None,
                                        "expected_on": {"$lt": today.isoformat()}}, HIDDEN).limit(limit):
        event = _event("PurchaseOrderOverdue", doc, None, lines=order_rules.remaining(doc["lines"]),
                       expected_on=doc["expected_on"], supplier_name=doc["supplier_name"],
                       supplier_name_hi=doc.get("supplier_name_hi"),
                       days_late=order_rules.days_late(doc["expected_on"], today))
        raised += db.purchase_orders.update_one(
            {"_id": doc["_id"], "overdue": None}, {"$set": {"overdue": today.isoformat()},
                                                   "$push": {"outbox": event}}).modified_count
    return raised

