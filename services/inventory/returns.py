"""Returns from artisans: material handed over that came back to the depot (requests' RequisitionReturned).

A return is one document in `returns` (`_id`: its return id), stored before any stock changes, with its lines
merged per material and condition; each `restock` line pins the id of its `taken_back` movement there. The line then
goes back on the shelf in one stock write (stock_writes.write_stock) that skips a movement id already in the ledger,
so the event coming again after a crash anywhere, or twice, takes each line back exactly once; `applied` is set
once every line is. `damaged` lines change no stock: the document is what tells staff what is on the damaged shelf.
`short` lines (a shortfall a cooperative's member reported, settled by requests as a return: it never reached the
member) change no stock either: the material left the depot at hand-over; they are listed with the others.

Which lot a restock line goes into: the lots its requisition's issue took that material from at this depot, earliest
expiring first (then oldest, as an issue takes them: returned material is never given a longer life than it may
have), each up to what it gave less what earlier returns put back; anything beyond goes into the last of them. A lot
still in the stock takes it as it stands (on hold for inspection or expired, it stays so). A lot that has left the
stock is opened again under its code with the label the issue's ledger entry kept (`lot_labels`): on hold for
inspection when it went back to its supplier (staff decide whether it is usable), expired when its date has come.
Material whose issue named no lot (stock kept before lots were), or that was handed over at another depot, goes into
a lot rawbank names for the day.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from services.inventory import clock, domain, ledger, lot_rules, people
from services.inventory.catalog import depot_or_error
from services.inventory.lot_rules import AVAILABLE, ON_HOLD, Lot
from services.inventory.reservations import ISSUED
from services.inventory.stock_writes import movement_event, write_stock
from services.inventory.store import material_or_error
from shared import names, staff
from shared.i18n import N_, translate
from shared.money import format_money
from shared.names import in_india
from shared.quantity import format_quantity
from shared.spreadsheet import safe_cell

RESTOCK, DAMAGED, SHORT = "restock", "damaged", "short"
CONDITIONS = (RESTOCK, DAMAGED, SHORT)
_HISTORY = ("issue", domain.TAKEN_BACK)
#: where a line went (a damaged one is written off: no stock), as the returns page and its CSV's `condition_text` say it
CONDITION_TEXTS = {RESTOCK: N_("Back on the shelf"), DAMAGED: N_("Damaged: written off"),
                   SHORT: N_("Did not reach the member")}
#: the returns list as CSV: a row per line of each return; names and the shelf in the asker's language; `by_name` and
#: `by_name_hi` who `by` is, by name in both (shared.staff.NAME_COLUMNS); a new column only ever goes at the end
CSV_COLUMNS = ("return_id", "at_ist", "requisition_id", "artisan_id", "artisan_name", "cooperative", "depot", "sku",
               "material", "unit", "quantity", "condition", "condition_text", "lot", "credit_rupees", "reason", "by",
               *staff.NAME_COLUMNS)
CSV_BATCH = 500


def take_back(db, data: dict, *, correlation_id: str | None = None) -> dict:
    """Apply one RequisitionReturned: its return stored once, each restock line back on the shelf once.

    A depot or material inventory does not know is refused (UnknownDepot, UnknownMaterial: a dead letter) before
    anything is stored."""
    depot_or_error(db, data["depot"])
    for line in data["lines"]:
        material_or_error(db, line["sku"])
    doc = _recorded(db, data)
    for line in doc["lines"]:
        if line["condition"] == RESTOCK:
            _restock(db, doc, line, correlation_id)
    if not doc.get("applied"):
        db.returns.update_one({"_id": doc["_id"]}, {"$set": {"applied": True}})
    return doc


def _lines(lines: list[dict]) -> list[dict]:
    """The event's lines, one per material and condition (sku order), a restock line with its movement id."""
    merged: dict[tuple[str, str], dict] = {}
    for line in lines:
        kept = merged.setdefault((line["sku"], line["condition"]), {"quantity": 0, "credit": 0})
        kept["quantity"] += line["quantity"]
        kept["credit"] += line.get("credit") or 0
    return [{"sku": sku, "condition": condition, **kept,
             **({"movement_id": ledger.new_movement_id()} if condition == RESTOCK else {})}
            for (sku, condition), kept in sorted(merged.items())]


def _recorded(db, data: dict) -> dict:
    """The return's document: stored now, or as the first delivery of its event stored it (its movement ids)."""
    doc = {"_id": data["return_id"], "requisition_id": data["requisition_id"], "artisan_id": data["artisan_id"],
           "cooperative": data.get("cooperative"), "depot": data["depot"], "reason": data["reason"],
           "month": data["month"], "credit": data.get("credit") or 0, "by": data["by"], "lines": _lines(data["lines"]),
           "at": datetime.now(timezone.utc), "applied": False}
    try:
        db.returns.insert_one(doc)
    except DuplicateKeyError:
        return db.returns.find_one({"_id": data["return_id"]})
    return doc


def _restock(db, doc: dict, line: dict, correlation_id) -> None:
    depot, sku, rid, mid = doc["depot"], line["sku"], doc["requisition_id"], line["movement_id"]
    issued, back, labels = _history(db, depot, sku, rid, mid)
    sent_back = {code for code in issued if _went_to_supplier(db, depot, sku, code)}
    into: list[str] = []

    def change(stock):
        parts = _parts(stock, line["quantity"], issued, back, labels, sent_back)
        into[:] = [lot.code for lot, _ in parts]
        return domain.take_back(stock, parts, today=clock.today(), now=clock.local_now())

    def record(before, after):
        fields = {"requisition_id": rid, "return_id": doc["_id"], "reason": doc["reason"]}
        event = movement_event("StockTakenBack", mid, after, line["quantity"], by=doc["by"],
                               correlation_id=correlation_id, lot=", ".join(into) if after.lots is not None else "",
                               **fields)
        return [ledger.entry(domain.TAKEN_BACK, mid, before, after, by=doc["by"], **fields)], [event]

    write_stock(db, sku, depot, change, record, movement_id=mid, correlation_id=correlation_id)


def _history(db, depot: str, sku: str, rid: str, mid: str) -> tuple[dict, dict, dict]:
    """(what the requisition's issue took of each lot, what earlier returns put back into each, the lots' labels)
    of one material at one depot; from the stock's journal first, then `movements` (so the ledger sweep moving an
    entry in between hides none)."""
    issued: dict[str, int] = {}
    back: dict[str, int] = {}
    labels: dict[str, dict] = {}
    for entry in ledger.of_requisition(db, depot, [sku], rid, _HISTORY).values():
        if entry["sku"] != sku or entry["_id"] == mid:
            continue
        into = issued if entry["type"] == "issue" else back
        for part in ledger.lot_parts(entry):
            into[part["lot"]] = into.get(part["lot"], 0) + abs(part["quantity"])
        labels.update((kept["lot"], kept) for kept in entry.get("lot_labels") or ())
    return issued, back, labels


def _went_to_supplier(db, depot: str, sku: str, code: str) -> bool:
    """Whether (part of) a lot went back to its supplier from this stock (a `return` movement naming it)."""
    pending = db.stock.find_one({"_id": domain.stock_id(depot, sku), "journal": {"$elemMatch": {
        "type": "return", "lot": code}}}, {"_id": 1})
    return pending is not None or db.movements.find_one(
        {"depot": depot, "sku": sku, "type": "return", "lot": code}, {"_id": 1}) is not None


def _parts(stock, quantity: int, issued: dict, back: dict, labels: dict, sent_back: set) -> list[tuple[Lot, int]]:
    """The lots a restock line goes into and how much into each (see the module's docstring)."""
    here = {lot.code: lot for lot in stock.lots or ()}

    def lot_of(code: str) -> Lot:
        if code in here:
            return here[code]
        kept = labels.get(code) or {}  # the label the issue's entry kept (ledger.LABELS; the rest: Lot's defaults)
        return Lot(code=code, status=ON_HOLD if code in sent_back else AVAILABLE,
                   **{name: kept[name] for name in ledger.LABELS if kept.get(name)})

    lots = sorted((lot_of(code) for code in issued), key=lot_rules.fefo)
    if not lots:  # handed over before lots were kept (or no issue here): a lot rawbank names for the day
        return [(Lot(code=lot_rules.new_lot_code(stock.depot, clock.today()), generated=True), quantity)]
    parts, left = {}, quantity
    for lot in lots:
        part = min(max(issued[lot.code] - back.get(lot.code, 0), 0), left)
        if part:
            parts[lot.code] = part
            left -= part
    if left:  # more than its lots gave: the rest goes with the last of them
        parts[lots[-1].code] = parts.get(lots[-1].code, 0) + left
    return [(lot, parts[lot.code]) for lot in lots if lot.code in parts]


def returns_query(depot: str | None) -> dict:
    return {"depot": depot} if depot else {}


def count(db, depot: str | None) -> int:
    """How many returns a depot (None: every depot) has."""
    return db.returns.count_documents({"depot": depot}) if depot else db.returns.estimated_document_count()


def page(db, depot: str | None, *, skip: int = 0, limit: int = 50) -> list[dict]:
    """A page of returns, newest first (of two recorded at the same instant, the greater id first: a page boundary
    between them never shows one twice or skips the other)."""
    return list(db.returns.find(returns_query(depot)).sort([("at", DESCENDING), ("_id", DESCENDING)]).skip(skip)
                .limit(limit))


def handed_over_numbered(db, depot: str, number: str, limit: int = 5) -> list[dict]:
    """The requisitions handed over at the depot (their holds issued) with this number as people give it, the whole
    id or the short one the slip, the receipt and the SMS show (its first characters): where a return starts, on the
    request's page at requests. At most `limit`, so a number too short to tell them apart says so."""
    typed = number.strip().lstrip("#").strip()
    if not typed:
        return []
    query = {"depot": depot, "status": ISSUED, "$or": numbered(typed)}
    return list(db.reservations.find(query, {"_id": 1, "artisan_id": 1, "cooperative": 1}).limit(limit))


def numbered(typed: str) -> list[dict]:
    """The `$or` branches that find a requisition by its number as people give it (`typed`, stripped): the whole id or
    its first characters, in each spelling ids have (hex in lower case, or as "REQ-1042" was made)."""
    spellings = sorted({typed, typed.lower(), typed.upper()})
    return [{"_id": {"$regex": "^" + re.escape(spelling)}} for spelling in spellings]


def lots_of(db, docs: list[dict]) -> dict[str, str]:
    """movement id -> the lot(s) a restock line of these returns went into (from the ledger)."""
    ids = [x["movement_id"] for doc in docs for x in doc["lines"] if x.get("movement_id")]
    return {m["_id"]: m.get("lot") or "" for m in db.movements.find({"_id": {"$in": ids}}, {"lot": 1}).limit(len(ids))
            } if ids else {}


def view(doc: dict) -> dict:
    """A return as the API gives it."""
    return {"return_id": doc["_id"], "requisition_id": doc["requisition_id"], "artisan_id": doc["artisan_id"],
            "cooperative": doc.get("cooperative"), "depot": doc["depot"], "reason": doc["reason"],
            "month": doc["month"], "at": doc["at"], "by": doc["by"], "applied": bool(doc.get("applied")),
            "credit": doc.get("credit") or 0,
            "lines": [{"sku": x["sku"], "quantity": x["quantity"], "condition": x["condition"],
                       "credit": x.get("credit") or 0, "movement_id": x.get("movement_id")} for x in doc["lines"]]}


def csv_rows(db, depot: str | None, lang: str, batch: int = CSV_BATCH):
    """Every line of every return of a depot (None: every depot), newest first as the page lists them, fetched a
    batch at a time, as CSV rows: the artisan and material named in `lang`, no cell read as a formula."""
    skip, named = 0, staff.name_cells(db)
    while True:
        docs = page(db, depot, skip=skip, limit=batch)
        who = people.who(db, [doc["artisan_id"] for doc in docs])
        skus = sorted({line["sku"] for doc in docs for line in doc["lines"]})
        known = {m["_id"]: m for m in db.materials.find({"_id": {"$in": skus}}, {"name": 1, "name_hi": 1, "unit": 1})
                 .limit(len(skus) or 1)}
        lots = lots_of(db, docs)
        for doc in docs:
            artisan = who.get(doc["artisan_id"]) or {}
            for line in doc["lines"]:
                material = known.get(line["sku"]) or {}
                yield [safe_cell(doc["_id"]), in_india(doc["at"]), safe_cell(doc["requisition_id"]),
                       safe_cell(doc["artisan_id"]), safe_cell(_named(artisan, lang) or doc["artisan_id"]),
                       safe_cell(doc.get("cooperative") or ""), safe_cell(doc["depot"]), safe_cell(line["sku"]),
                       safe_cell(_named(material, lang) or line["sku"]), safe_cell(material.get("unit") or ""),
                       format_quantity(line["quantity"]), line["condition"],
                       translate(CONDITION_TEXTS.get(line["condition"], line["condition"]), lang),
                       safe_cell(lots.get(line.get("movement_id")) or ""), format_money(line.get("credit") or 0),
                       safe_cell(doc.get("reason") or ""), safe_cell(doc.get("by") or ""), *named(doc.get("by"))]
        if len(docs) < batch:
            return
        skip += batch


def _named(doc: dict, lang: str) -> str:
    return names.named(doc, "", lang)
