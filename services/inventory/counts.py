"""Stock counts: a sheet of what the books say, counted lines, submission, approval by someone else.

Movements go on during a count: each line keeps the books as they stood when it was counted, and
approval posts that variance, so what moved since is neither lost nor counted twice. Approval
stores its adjustments (with their movement ids) and StockCountApproved in one write, then posts
them; each posts once by its id, so a crash in between is finished by inventory's consumer.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING

from services.inventory import clock, count_rules, domain, errors, ledger, lot_rules, movements
from services.inventory.catalog import depot_or_error, whole_units
from services.inventory.numbers import next_number
from services.inventory.stock_writes import SOURCE
from services.inventory.store import load_stock, stock_from
from shared.envelope import new_event
from shared.errors import Busy

HIDDEN = {"outbox": 0}
SHEET_LIMIT = 1000
OTHER_COUNTS = 200  # counts approved at a depot while another was being counted: a few at most


def start(db, depot: str, *, by: str, number=None) -> dict:
    """A new count at a depot, with a sheet of every lot the books show there now; `number()`: its number (once.py)."""
    depot_or_error(db, depot)
    sheet = []
    for doc in db.stock.find({"depot": depot}, {"holds": 0, "journal": 0, "outbox": 0, "orders": 0}) \
            .sort("_id", ASCENDING).limit(SHEET_LIMIT):
        stock = lot_rules.as_of(stock_from(doc), clock.today())
        lots = sorted(stock.lots, key=lot_rules.fefo) or [lot_rules.Lot(code="")]
        sheet += [{"sku": stock.sku, "lot": lot.code, "shade": lot.shade, "expires_on": lot.expires_on,
                   "status": lot.status, "book": lot.on_hand} for lot in lots]
    count_id = number() if number else next_number(db, "count", "CNT")
    doc = {"_id": count_id, "depot": depot, "status": count_rules.OPEN, "created_by": by,
           "created_at": clock.now(), "counted_by": [by], "sheet": sheet, "lines": [], "version": 1, "outbox": []}
    db.counts.insert_one(doc)
    return view(doc)


def view(doc: dict) -> dict:
    return {**{k: v for k, v in doc.items() if k != "outbox"}, "count_id": doc["_id"]}


def get(db, count_id: str, *, depot: str | None = None) -> dict:
    """One count; with `depot` (the caller's), another depot's count is not found, as if it did not exist."""
    doc = db.counts.find_one({"_id": count_id}, HIDDEN)
    if doc is None or (depot and doc["depot"] != depot):
        raise errors.CountNotFound({"count": count_id})
    return doc


def count(db, *, depot=None) -> int:
    """How many counts a depot has had (the page's "N in all")."""
    return db.counts.count_documents({"depot": depot} if depot else {})


def find(db, *, depot=None, after=None, skip=0, limit=50) -> list[dict]:
    query = {"depot": depot} if depot else {}
    if after:
        query["_id"] = {"$lt": after}
    return [view(d) for d in db.counts.find(query, HIDDEN).sort("_id", DESCENDING).skip(skip).limit(limit)]


def _allowed(doc: dict, action: str) -> None:
    if doc["status"] == count_rules.APPROVED and action != "count":
        raise errors.CountApproved({"count": doc["_id"]})
    if not count_rules.may(action, doc["status"]):
        raise errors.CountStatus({"count": doc["_id"], "status": doc["status"], "action": action})


def _write(db, count_id: str, change) -> dict:
    """Read the count, let `change` make its update, store it if nobody wrote first (else again)."""
    for _ in range(50):
        doc = get(db, count_id)
        update = change(doc)
        update.setdefault("$inc", {})["version"] = 1
        if db.counts.update_one({"_id": count_id, "version": doc["version"]}, update).matched_count:
            return doc
    raise Busy({"count": count_id})


def count_line(db, count_id: str, body: dict, *, by: str) -> dict:
    """Record what was counted of one lot, beside what the books say of it right now."""
    whole_units(db, body["sku"], {"counted": body["counted"]})  # 2.5 planks are never counted
    def change(doc):
        _allowed(doc, "count")
        stock = load_stock(db, doc["depot"], body["sku"])[0]
        if stock is None:
            raise errors.NotStocked({"depot": doc["depot"], "sku": body["sku"]}).named(db)
        code = _which_lot(db, doc, lot_rules.as_of(stock, clock.today()), body.get("lot"))
        book = (lot_rules.find(stock.lots, code) or lot_rules.Lot(code="")).on_hand if code else stock.on_hand
        entry = count_rules.line(body["sku"], code, body["counted"], book, by=by, at=clock.now())
        return {"$set": {"lines": count_rules.with_line(doc["lines"], entry)}, "$addToSet": {"counted_by": by}}
    _write(db, count_id, change)
    return view(get(db, count_id))


def _which_lot(db, doc: dict, stock: domain.Stock, code: str | None) -> str:
    if code:
        known = lot_rules.find(stock.lots, code) or any(x["sku"] == stock.sku and x["lot"] == code
                                                        for x in doc["sheet"])
        if not known:
            raise errors.CountUnknownLot({"lot": code, "sku": stock.sku, "depot": doc["depot"]}).named(db)
        return code
    if len(stock.lots) > 1:
        raise errors.LotRequired({"sku": stock.sku, "lots": [lot.code for lot in stock.lots]})
    return stock.lots[0].code if stock.lots else ""


def submit(db, count_id: str, *, by: str, tolerance_percent: int, correlation_id=None) -> dict:
    """Hand the count in; differences beyond the tolerance raise StockCountVariance in the same write."""
    def change(doc):
        _allowed(doc, "submit")
        if not doc["lines"]:
            raise errors.EmptyCount({"count": count_id})
        update = {"$set": {"status": count_rules.SUBMITTED, "submitted_by": by, "submitted_at": clock.now()},
                  "$addToSet": {"counted_by": by}}
        beyond = [x for x in doc["lines"] if count_rules.beyond(x, tolerance_percent)]
        if beyond:
            payload = {"count_id": count_id, "depot": doc["depot"], "by": by, "tolerance_percent": tolerance_percent,
                       "lines": [{k: x[k] for k in ("sku", "lot", "book", "counted", "variance")} for x in beyond]}
            update["$push"] = {"outbox": new_event("StockCountVariance", count_id, payload, source=SOURCE,
                                                   correlation_id=correlation_id).to_dict()}
        return update
    _write(db, count_id, change)
    return view(get(db, count_id))


def cancel(db, count_id: str, *, by: str, reason: str, correlation_id=None) -> dict:
    """Cancel a count begun by mistake or counted wrong (open or submitted): nothing is posted, and
    StockCountCancelled resolves its variance alert. A count cancelled already is answered as it is."""
    def change(doc):
        _allowed(doc, "cancel")
        payload = {"count_id": count_id, "depot": doc["depot"], "by": by, "reason": reason}
        return {"$set": {"status": count_rules.CANCELLED, "cancelled_by": by, "cancelled_at": clock.now(),
                         "cancel_reason": reason},
                "$push": {"outbox": new_event("StockCountCancelled", count_id, payload, source=SOURCE,
                                              correlation_id=correlation_id).to_dict()}}
    try:
        _write(db, count_id, change)
    except errors.CountStatus:
        if get(db, count_id)["status"] != count_rules.CANCELLED:  # cancelled already: the same answer
            raise
    return view(get(db, count_id))


def approve(db, count_id: str, *, by: str, correlation_id=None) -> dict:
    """Post one `count` adjustment per difference; never by someone who counted, never twice."""
    def change(doc):
        _allowed(doc, "approve")
        if by in doc["counted_by"]:
            raise errors.OwnCount({"count": count_id})
        if doc["status"] == count_rules.APPROVING:  # resuming: the adjustments are stored already
            return {"$set": {"resumed_by": by}}
        planned = [{**a, "movement_id": ledger.new_movement_id()}
                   for a in count_rules.adjustments([{**x, "counted_at": _utc(x["counted_at"])} for x in doc["lines"]],
                                                    *_approved_since(db, doc))]
        _check_feasible(db, count_id, doc["depot"], planned)
        payload = {"count_id": count_id, "depot": doc["depot"], "by": by, "adjustments": planned}
        return {"$set": {"status": count_rules.APPROVING, "approved_by": by, "adjustments": planned},
                "$push": {"outbox": new_event("StockCountApproved", count_id, payload, source=SOURCE,
                                              correlation_id=correlation_id).to_dict()}}
    _write(db, count_id, change)
    doc = get(db, count_id)
    post_adjustments(db, {"count_id": count_id, "depot": doc["depot"], "by": doc["approved_by"],
                          "adjustments": doc["adjustments"]}, correlation_id=correlation_id)
    return view(get(db, count_id))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _approved_since(db, doc: dict) -> tuple[list[dict], list[dict]]:
    """Other counts at the depot, approved, that counted or corrected something after this count's first line was
    counted (adjustment ids begin with their time): their lines and their adjustments (count_rules.adjustments)."""
    if not doc["lines"]:
        return [], []
    first = min(_utc(x["counted_at"]) for x in doc["lines"])
    since = ledger.id_at(first)
    lines, corrections = [], []
    for other in db.counts.find({"depot": doc["depot"], "_id": {"$ne": doc["_id"]},
                                 "status": {"$in": [count_rules.APPROVING, count_rules.APPROVED]},
                                 "$or": [{"lines.counted_at": {"$gte": first}},
                                         {"adjustments.movement_id": {"$gte": since}}]},
                                {"adjustments": 1, "lines": 1}).limit(OTHER_COUNTS):
        lines += [{**x, "counted_at": _utc(x["counted_at"])} for x in other["lines"]]
        corrections += [{**a, "posted_at": ledger.time_of(a["movement_id"])} for a in other.get("adjustments") or ()]
    return lines, corrections


def _check_feasible(db, count_id: str, depot: str, planned: list[dict]) -> None:
    """Refuse the approval before anything is posted if an adjustment would be refused (e.g. held stock); one that
    would take stock reserved for requests says how much is reserved, for which requests, and what to do."""
    for sku in sorted({a["sku"] for a in planned}):
        stock = lot_rules.as_of(load_stock(db, depot, sku)[0], clock.today())
        for a in (a for a in planned if a["sku"] == sku):
            try:
                stock = domain.within_limit(stock, domain.adjust(stock, a["quantity"], "count", a["lot"] or None,
                                                                 today=clock.today(), now=clock.now()))
            except domain.InsufficientStock as exc:
                if exc.lot is None and stock.reserved > 0:
                    holds = (db.stock.find_one({"_id": domain.stock_id(depot, sku)}, {"holds": 1}) or {}).get("holds")
                    raise errors.below_reserved(exc, db, count_id=count_id, sku=sku, depot=depot, lot=a["lot"],
                                                reserved=stock.reserved, holds=holds or {}) from None
                raise errors.short(exc, db, sku=sku, depot=depot) from None
            except domain.Refused as exc:
                raise errors.refused(exc, db) from None


def post_adjustments(db, payload: dict, *, correlation_id=None) -> None:
    """Post an approved count's adjustments, each once (by its movement id), then mark it approved."""
    for a in payload["adjustments"]:
        try:
            movements.adjust(db, a["sku"], {"sku": a["sku"], "depot": payload["depot"], "quantity": a["quantity"],
                                            "reason": "count",
                                            "lot": {"code": a["lot"]} if a.get("lot") else None,
                                            "reference": payload["count_id"]},
                             by=payload["by"], correlation_id=correlation_id, movement_id=a["movement_id"])
        except domain.InsufficientStock as exc:  # stock was set aside since the check: approve again later
            raise errors.short(exc, db, sku=a["sku"], depot=payload["depot"]) from None
    db.counts.update_one({"_id": payload["count_id"], "status": count_rules.APPROVING},
                         {"$set": {"status": count_rules.APPROVED, "approved_at": clock.now()},
                          "$inc": {"version": 1}})
