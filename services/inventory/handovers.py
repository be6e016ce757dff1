"""What a hand-over took, as the ledger recorded it: the gate pass of a requisition handed over is printed from its
issue movements (the lots each line left from, how much, who handed it over and when), never from a plan of lots,
which changes as other hand-overs take from the same stock. Its first printing is remembered (`gate_passes`) when a
person prints it (opening or reading it records nothing), so every later one is marked as a copy."""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo.errors import DuplicateKeyError

from services.inventory import ledger, people
from services.inventory.errors import NoSlipHere, OtherDepotsSlip

ISSUE = "issue"
COLLECTION = "gate_passes"


def to_print(db, requisition_id: str, works_at: str | None) -> dict:
    """The reservation whose hand-over slip (gate pass) a person working at `works_at` may read, for its page and its
    API alike: unknown 404 (NoSlipHere); another depot's, to a depot's staff, 403 wrong_depot naming that depot
    (OtherDepotsSlip); admins and central staff (no depot) read any depot's."""
    doc = db.reservations.find_one({"_id": requisition_id}, {"outbox": 0})
    if doc is None:
        raise NoSlipHere({"requisition_id": requisition_id})
    if works_at and doc["depot"] != works_at:
        raise OtherDepotsSlip({"requisition_id": requisition_id, "depot": doc["depot"],
                               "your_depot": works_at}).named(db)
    return doc


def taken(db, doc: dict) -> dict:
    """A handed-over requisition's issues at its depot: {at, by, lines: {sku: {quantity, parts: [{lot, quantity,
    shade}]}}}, each quantity what left (positive); `at` and `by` of the last issue. From the stock documents'
    journals first, then `movements`, so the ledger's sweep moving an entry in between hides none."""
    entries = ledger.of_requisition(db, doc["depot"], [line["sku"] for line in doc["lines"]], doc["_id"], (ISSUE,))
    lines: dict[str, dict] = {}
    for entry in sorted(entries.values(), key=lambda e: e["_id"]):
        shades = {kept["lot"]: kept.get("shade", "") for kept in entry.get("lot_labels") or ()}
        line = lines.setdefault(entry["sku"], {"quantity": 0, "parts": []})
        line["quantity"] += -entry["quantity"]
        line["parts"] += [{"lot": part["lot"], "quantity": abs(part["quantity"]), "shade": shades.get(part["lot"], "")}
                          for part in ledger.lot_parts(entry)]
    last = max(entries.values(), key=lambda e: e["_id"], default={})
    return {"at": last.get("at") or doc.get("updated_at"), "by": last.get("by"), "lines": lines}


def first_printing(db, requisition_id: str) -> dict | None:
    """When and by whom a handed-over requisition's gate pass was first printed ({at, by}); None: never yet.
    Reading it records nothing: only printing() does, when a person prints it."""
    return db[COLLECTION].find_one({"_id": requisition_id}, {"_id": 0, "at": 1, "by": 1})


def printing(db, doc: dict, by: str) -> tuple[dict, bool]:
    """Record that a person printed the gate pass of a handed-over requisition: the first printing ({at, by}) and
    whether this was it. Only the first is stored (one insert per requisition; a second is a duplicate key)."""
    now = datetime.now(timezone.utc)
    first = {"at": now.replace(microsecond=now.microsecond // 1000 * 1000), "by": by}  # as the store keeps it
    try:
        db[COLLECTION].insert_one({"_id": doc["_id"], "depot": doc["depot"], **first})
    except DuplicateKeyError:
        return first_printing(db, doc["_id"]), False
    return first, True


def gate_pass(db, doc: dict) -> dict:
    """What a handed-over requisition's gate pass says, for the API: who collects, each line approved and what left
    from which lots, the hand-over's at and by, and its first printing (None: not printed yet)."""
    handed = taken(db, doc)

    def line(approved: dict) -> dict:
        left = handed["lines"].get(approved["sku"]) or {"quantity": 0, "parts": []}
        return {"sku": approved["sku"], "approved": approved["quantity"], "quantity": left["quantity"],
                "lots": left["parts"]}
    artisan = people.who(db, [doc.get("artisan_id")]).get(doc.get("artisan_id")) or {}
    coop = people.cooperatives(db, [doc.get("cooperative")]).get(doc.get("cooperative")) or {}
    return {"requisition_id": doc["_id"], "depot": doc["depot"],
            "artisan": {"artisan_id": doc["artisan_id"], "name": artisan.get("name"),
                        "name_hi": artisan.get("name_hi")} if doc.get("artisan_id") else None,
            "cooperative": {"code": doc["cooperative"], "name": coop.get("name"),
                            "name_hi": coop.get("name_hi")} if doc.get("cooperative") else None,
            "lines": [line(approved) for approved in doc["lines"]],
            "shares": doc.get("shares") or [], "handed_over": {"at": handed["at"], "by": handed["by"]},
            "first_printed": first_printing(db, doc["_id"])}
