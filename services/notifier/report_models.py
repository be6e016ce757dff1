"""The department's reports as read models, folded from events and rebuilt from the event log.

Every fold is an upsert under a natural id (a share of a dispatch, a requisition's waiting for a
material), so applying an event twice, or all of them again in any order, gives the same
documents: `rebuild` clears the report collections and replays the notifier's event log through
`HANDLERS`. Artisans' and cooperatives' copies (projections.py) are folded the same way and only
ever replaced by newer ones, so a rebuild replays them too but never clears them.
"""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, IndexModel

from services.notifier import projections, shares
from shared.calendar import month_of
from shared.envelope import Event, decode_event

INDEXES = {
    "report_dispatches": [IndexModel([("month", ASCENDING)]), IndexModel([("depot", ASCENDING)])],
    "report_unmet": [IndexModel([("month", ASCENDING)]), IndexModel([("requisition_id", ASCENDING)])],
    "report_returns": [IndexModel([("month", ASCENDING)])],
}
#: what a rebuild starts again
COLLECTIONS = ("report_dispatches", "report_unmet", "report_ended", "shares", "report_returns")


def _at(event: Event) -> datetime:
    return datetime.fromisoformat(event.occurred_at.replace("Z", "+00:00"))


def dispatched(db, event: Event) -> None:
    """Each share of a dispatched requisition: who got which material, where, with its value and subsidy."""
    data = event.data
    month = data.get("dispatch_month") or month_of(_at(event))
    for share in data.get("shares") or [{"artisan_id": data["artisan_id"], "district": data.get("district"),
                                         "lines": data["lines"]}]:
        member = projections.artisan(db, share["artisan_id"]) or {}
        db.report_dispatches.replace_one({"_id": f"{data['requisition_id']}:{share['artisan_id']}"}, {
            "requisition_id": data["requisition_id"], "artisan_id": share["artisan_id"], "month": month,
            "depot": data["depot"], "district": share.get("district") or data.get("district") or member.get("district"),
            "cooperative": data.get("cooperative") or member.get("cooperative"),
            "lines": [{"sku": line["sku"], "quantity": line["quantity"], "value": line.get("value") or 0,
                       "subsidy": line.get("subsidy") or 0} for line in share["lines"]]}, upsert=True)


def returned(db, event: Event) -> None:
    """What came back of a share with a credit note, in the month of the return (when the subsidy claim is corrected):
    each material's quantity, its value at the mill-gate price (the share's, for that much of it) and the subsidy
    taken back; restocked, damaged and short (never reached the member, settled as a return) alike, since all were
    handed over and counted, and are credited now."""
    data = event.data
    share = db.report_dispatches.find_one({"_id": f"{data['requisition_id']}:{data['artisan_id']}"}) or {}
    handed = {line["sku"]: line for line in share.get("lines", ())}
    member = projections.artisan(db, data["artisan_id"]) or {}
    lines: dict[str, dict] = {}
    for line in data["lines"]:
        kept = lines.setdefault(line["sku"], {"sku": line["sku"], "quantity": 0, "value": 0, "subsidy": 0})
        kept["quantity"] += line["quantity"]
        kept["subsidy"] += line.get("subsidy") or 0
        if line.get("value") is not None:  # requests' figure: its returns of a line add up to the line's value
            kept["value"] = kept.get("value") + line["value"]
            kept["valued"] = True
    for sku, kept in lines.items():
        given = handed.get(sku) or {}
        if not kept.pop("valued", False) and given.get("quantity"):  # an event without it: rounded half up here
            kept["value"] = (given["value"] * kept["quantity"] * 2 + given["quantity"]) // (2 * given["quantity"])
    db.report_returns.replace_one({"_id": data["return_id"]}, {
        "requisition_id": data["requisition_id"], "artisan_id": data["artisan_id"], "month": data["month"],
        "depot": data["depot"], "district": data.get("district") or share.get("district") or member.get("district"),
        "cooperative": data.get("cooperative") or share.get("cooperative") or member.get("cooperative"),
        "lines": sorted(lines.values(), key=lambda line: line["sku"])}, upsert=True)


def waitlisted(db, event: Event) -> None:
    """A requisition waiting for stock: what it waits for, at which depot, since when (its first waiting)."""
    _unmet(db, event, "waitlisted")


def refused(db, event: Event) -> None:
    """A requisition refused (rejected by an admin, or never holdable at its depot): demand not met."""
    _unmet(db, event, "refused")
    ended(db, event)


def ended(db, event: Event) -> None:
    """The moment a requisition stopped waiting (held, cancelled, refused); the earliest one counts."""
    db.report_ended.update_one({"_id": event.data["requisition_id"]}, {"$min": {"at": _at(event)}}, upsert=True)


def _unmet(db, event: Event, kind: str) -> None:
    """A refused requisition's every line is demand not met; a waitlisted one's, only the lines its depot was short
    of (StockWaitlisted's `short`, when `short_only`): every line when it names none (it waits behind earlier
    requisitions for material on hand, so for all of it) or the event is older than `short_only` (counted whole then,
    as inventory's reservations of that time keep no `waited_for`: a rebuild counts them as they were counted).
    Inventory's reservation keeps the same (`waited_for`)."""
    data, at = event.data, _at(event)
    for line in (kind == "waitlisted" and data.get("short_only") and data.get("short")) or data["lines"]:
        db.report_unmet.update_one({"_id": f"{data['requisition_id']}:{line['sku']}:{kind}"}, {"$setOnInsert": {
            "requisition_id": data["requisition_id"], "kind": kind, "depot": data["depot"], "sku": line["sku"],
            "quantity": line["quantity"], "since": at, "month": month_of(at)}}, upsert=True)


def keep_artisan(db, event: Event) -> None:
    projections.put_artisan(db, event.data, event.occurred_at)


def keep_cooperative(db, event: Event) -> None:
    projections.put_cooperative(db, event.data, event.occurred_at)


def share_asked(db, event: Event) -> None:
    shares.keep_asked(db, event.data)


def share_answered(db, event: Event) -> None:
    shares.keep_answer(db, event.data)


def share_settled(db, event: Event) -> None:
    shares.keep_settled(db, event.data)


#: event type -> how the reports fold it (the notifier's consumer runs these too)
HANDLERS = {
    "ArtisanRegistered": (keep_artisan,), "ArtisanUpdated": (keep_artisan,),
    "CooperativeRegistered": (keep_cooperative,), "CooperativeUpdated": (keep_cooperative,),
    "RequisitionDispatched": (dispatched,), "StockWaitlisted": (waitlisted,), "RequisitionReturned": (returned,),
    "StockReservationFailed": (refused,), "RequisitionRejected": (refused,),
    "StockReserved": (ended,), "RequisitionCancelled": (ended,),
    "ShareCodeIssued": (share_asked,), "ShareConfirmed": (share_answered,),
    "ShareDisputeSettled": (share_settled,),
}


def apply(db, event: Event) -> None:
    for fold in HANDLERS.get(event.type, ()):
        fold(db, event)


def rebuild(db) -> int:
    """Clear the reports and fold every event in the log again, in the order the notifier received them."""
    for name in COLLECTIONS:
        db[name].delete_many({})
    count = 0
    for doc in db.events.find({"type": {"$in": sorted(HANDLERS)}}, {"_id": 0, "received_at": 0}) \
            .sort("received_at", ASCENDING).batch_size(500):
        apply(db, decode_event(doc))
        count += 1
    return count
