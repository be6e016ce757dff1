"""Members' shares of cooperative requisitions, as the notifier follows them: asking, answers and alerts.

One document per share (`<requisition>:<member>`), from ShareCodeIssued (the member is asked, and
told their code by SMS) and ShareConfirmed (answered: confirmed, or short). An answer the depot's
staff recorded at the counter is told to the member (tell_recorded), and one the member disputes
(ShareRecordDisputed) opens an alert (alert_disputed), which the department's settlement (ShareDisputeSettled)
resolves, telling the member (dispute_settled); a short share opens an alert at once;
shares still unconfirmed a week after receipt raise one alert per cooperative per month. The same
documents feed the cooperatives report's confirmation rate.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from pymongo import ASCENDING, IndexModel

from services.notifier import alerts, domain, notifications, projections
from shared.calendar import day_of, last_full_day, month_of
from shared.envelope import Event

INDEXES = {"shares": [IndexModel([("status", ASCENDING), ("received_at", ASCENDING)]),
                      IndexModel([("cooperative", ASCENDING), ("month", ASCENDING)]),
                      IndexModel([("month", ASCENDING)])]}
PENDING, CONFIRMED, SHORT = "pending", "confirmed", "short"
UNCONFIRMED_AFTER = timedelta(days=7)
CONFIRM_SHARE = "confirm_share"  # the notification that asks a member, with their code in the SMS


def keep_asked(db, data: dict) -> None:
    """Keep the share as waiting for its member; an answer kept already stays."""
    at = datetime.fromisoformat(data["received_at"])
    db.shares.update_one({"_id": f"{data['requisition_id']}:{data['artisan_id']}"}, {
        "$setOnInsert": {"status": PENDING, **_share(data, at), "lines": data["lines"]}}, upsert=True)


def keep_answer(db, data: dict) -> None:
    """Keep the member's answer: confirmed, or short (with what they received)."""
    at = datetime.fromisoformat(data["received_at"])
    db.shares.update_one({"_id": f"{data['requisition_id']}:{data['artisan_id']}"}, {
        "$set": {"status": SHORT if data["short"] else CONFIRMED, "via": data["via"], "answered": data["lines"]},
        "$setOnInsert": {**_share(data, at), "lines": [{"sku": l["sku"], "quantity": l["quantity"]}
                                                       for l in data["lines"]]}}, upsert=True)


def ask_member(db, event: Event) -> None:
    """Tell the member their share arrived and how to confirm it (their SMS carries their code).

    A fresh code (a higher nonce) supersedes the asking of the code before it: the member sees one current
    notification, and the SMS of an earlier code not sent yet is not sent (messages.NothingToSend); whichever of
    two codes' events comes first, and however often each comes, the newest stays current."""
    data = event.data
    notifications.create(db, event_id=event.event_id, status=CONFIRM_SHARE, requisition_id=data["requisition_id"],
                         depot=data["depot"], lines=data["lines"], at=_occurred(event), artisan_id=data["artisan_id"],
                         nonce=data["nonce"], due_on=last_full_day(datetime.fromisoformat(data["expires_at"])))
    same = {"requisition_id": data["requisition_id"], "artisan_id": data["artisan_id"], "status": CONFIRM_SHARE}
    db.notifications.update_many({**same, "nonce": {"$lt": data["nonce"]}, "superseded": {"$ne": True}},
                                 {"$set": {"superseded": True}})
    if db.notifications.find_one({**same, "nonce": {"$gt": data["nonce"]}}, {"_id": 1}):  # read after a newer one
        db.notifications.update_one({"_id": event.event_id, "superseded": {"$ne": True}},
                                    {"$set": {"superseded": True}})


def tell_recorded(db, event: Event) -> None:
    """An answer the depot's staff recorded at the counter for the member (`via` depot): the member is told what was
    recorded in their name (all of it, or what of each material), and what to do if it is not so (in the app and the
    e-mail: dispute it on the request's page, or tell their depot; by SMS: tell the department or the depot); their
    own word is the check on a record made falsely. Stored under the event's id, so a replay or a
    duplicate tells them once; the member's own answer (app, SMS, call) is not told back to them."""
    data = event.data
    if data.get("via") != "depot":
        return
    notifications.create(db, event_id=event.event_id, status=domain.SHARE_RECORDED,
                         requisition_id=data["requisition_id"], depot=data["depot"],
                         lines=[{"sku": line["sku"], "quantity": line["quantity"], "received": line["received"]}
                                for line in data["lines"]],
                         at=_occurred(event), artisan_id=data["artisan_id"])


def alert_if_short(db, event: Event) -> None:
    """A member who received less than their share: an alert for admins at once."""
    if event.data["short"]:
        _share_alert(db, event, domain.SHORT_SHARE)


def alert_disputed(db, event: Event) -> None:
    """A member who says what the depot's staff recorded for them at the counter is not what they received: an alert
    on the board (admins, and that depot's staff, who see their depot's alerts), naming the member, the cooperative,
    who recorded what for which request, and the member's note. One per share (a member disputes once), opened by the
    event's id, so a replay or duplicate opens nothing more, even once it is resolved by hand."""
    data = event.data
    _share_alert(db, event, domain.SHARE_RECORD_DISPUTED, recorded_by=data.get("recorded_by"),
                 recorded_by_person=data.get("recorded_by_person"), recorded_at=data.get("recorded_at"),
                 note=data["note"])


def keep_settled(db, data: dict) -> None:
    """An upheld dispute: what the member received replaces what the depot recorded, as their answer (confirmed, or
    short), as keep_answer keeps one; a rejected one changes nothing."""
    if data["outcome"] != "upheld":
        return
    db.shares.update_one({"_id": f"{data['requisition_id']}:{data['artisan_id']}"}, {
        "$set": {"status": SHORT if data["short"] else CONFIRMED,
                 "answered": [{k: line[k] for k in ("sku", "quantity", "received")} for line in data["lines"]]}})


def dispute_settled(db, event: Event) -> None:
    """The department settled a member's dispute of what the depot recorded for their share: the member is told the
    outcome, what now stands of each material and the admin's note (in-app, SMS, e-mail); the board's
    share_record_disputed alert is resolved as settled (its `resolved`: the admin as `by`, the note, the `outcome`);
    an upheld dispute that leaves the share short opens the short-share alert as the member's own answer would (the depot settles it with `short` return lines, which resolve it). All by
    the event's id, so a replay or duplicate changes nothing more."""
    data = event.data
    notifications.create(db, event_id=event.event_id, status=domain.SHARE_DISPUTE_SETTLED,
                         requisition_id=data["requisition_id"], depot=data["depot"],
                         lines=[{k: line[k] for k in ("sku", "quantity", "recorded", "received")}
                                for line in data["lines"]],
                         at=_occurred(event), artisan_id=data["artisan_id"], reason=data["note"],
                         outcome=data["outcome"])
    alerts.resolve_condition(db, domain.SHARE_RECORD_DISPUTED, depot=None, sku=None,
                             scope=f"{data['requisition_id']}:{data['artisan_id']}", cause=event.event_id,
                             at=_occurred(event), settled={"by": data["settled_by"], "note": data["note"],
                                                           "by_person": data.get("settled_by_person"),
                                                           "outcome": data["outcome"]})
    if data["outcome"] == "upheld" and data["short"]:
        _share_alert(db, event, domain.SHORT_SHARE)


def _share_alert(db, event: Event, kind: str, **more) -> None:
    """The alert of one member's share (`event`: ShareConfirmed or ShareRecordDisputed), once per share and kind:
    the member and their cooperative named, the share's lines and `more` in its details."""
    data = event.data
    member = projections.artisan(db, data["artisan_id"]) or {}
    coop = projections.cooperative(db, data["cooperative"]) or {}
    alerts.raise_alert(db, kind, depot=data["depot"], sku=None,
                       scope=f"{data['requisition_id']}:{data['artisan_id']}", cause=event.event_id,
                       at=_occurred(event), district=coop.get("district") or member.get("district"),
                       details={"requisition_id": data["requisition_id"], "artisan_id": data["artisan_id"],
                                "name": member.get("name") or data["artisan_id"], "name_hi": member.get("name_hi"),
                                "lines": data["lines"], **more, **_named(data["cooperative"], coop)})


def settle_short(db, event: Event) -> None:
    """A return whose `short` lines settle what a member reported did not reach them: once the returns of their share
    add up to what they were short of each material, the short-share alert is resolved; before, it stays open and
    its details say what is settled so far (`settled`) and what is not (`still_short`; none once resolved, so its
    text no longer says anything is still short). Worked out from the member's answer and every return told them
    (notifications.returned's `not_reached`), so a replay changes nothing; a part settled is news to the live board
    (its text says it), once."""
    data = event.data
    if not any(line["condition"] == domain.SHORT_SETTLED for line in data["lines"]):
        return
    scope = f"{data['requisition_id']}:{data['artisan_id']}"
    share = db.shares.find_one({"_id": scope}, {"status": 1, "answered": 1})
    if share is None or share.get("status") != SHORT:
        return
    short_by = {}
    for line in share.get("answered") or ():
        if line["quantity"] > line["received"]:
            short_by[line["sku"]] = short_by.get(line["sku"], 0) + line["quantity"] - line["received"]
    settled = {}
    for note in db.notifications.find({"requisition_id": data["requisition_id"], "artisan_id": data["artisan_id"],
                                       "status": domain.RETURN_CREDITED}, {"not_reached": 1}):
        for line in note.get("not_reached") or ():
            settled[line["sku"]] = settled.get(line["sku"], 0) + line["quantity"]
    still = {sku: short - settled.get(sku, 0) for sku, short in short_by.items() if short > settled.get(sku, 0)}
    alerts.change_details(db, domain.SHORT_SHARE, scope=scope, changes={  # all settled: nothing still short, then
        "settled": [{"sku": sku, "quantity": quantity} for sku, quantity in sorted(settled.items())],  # resolved
        "still_short": [{"sku": sku, "quantity": quantity} for sku, quantity in sorted(still.items())]})
    if not still:
        alerts.resolve_condition(db, domain.SHORT_SHARE, depot=None, sku=None, scope=scope, cause=event.event_id,
                                 at=_occurred(event))


def _share(data: dict, at: datetime) -> dict:
    return {"requisition_id": data["requisition_id"], "artisan_id": data["artisan_id"],
            "cooperative": data["cooperative"], "depot": data["depot"], "received_at": at, "month": month_of(at)}


def _occurred(event: Event) -> datetime:
    return datetime.fromisoformat(event.occurred_at.replace("Z", "+00:00"))


def check_unconfirmed(db, now: datetime) -> int:
    """One alert per cooperative per month while shares wait unconfirmed for a week, its figures following the
    answers, resolved once none waits; how many cooperatives have shares waiting."""
    overdue = {"status": PENDING, "received_at": {"$lte": now - UNCONFIRMED_AFTER}}
    waiting = defaultdict(list)
    for share in db.shares.find(overdue).limit(5000):
        waiting[share["cooperative"]].append(share)
    month = month_of(now)
    for code, found in waiting.items():
        coop = projections.cooperative(db, code) or {}
        details = {**_named(code, coop), "waiting": len(found),
                   "since": day_of(min(s["received_at"] for s in found)),
                   "requisitions": sorted({s["requisition_id"] for s in found})[:20]}
        live = db.alerts.find_one({"open_key": domain.condition_key(domain.SHARES_UNCONFIRMED, None, None, code)},
                                  {"details": 1})
        changed = f":{now.isoformat()}" if live and live.get("details") != details else ""  # news in the month
        alerts.raise_alert(db, domain.SHARES_UNCONFIRMED, depot=None, sku=None, scope=code,
                           cause=f"unconfirmed:{code}:{month}{changed}", at=now, district=coop.get("district"),
                           details=details)
    for live in db.alerts.find({"kind": domain.SHARES_UNCONFIRMED, "open_key": {"$exists": True}}, {"details": 1}):
        code = (live.get("details") or {}).get("cooperative")
        if code and code not in waiting and not db.shares.find_one({**overdue, "cooperative": code}, {"_id": 1}):
            alerts.resolve_condition(db, domain.SHARES_UNCONFIRMED, depot=None, sku=None, scope=code,
                                     cause=f"answered:{code}:{now.isoformat()}", at=now)
    return len(waiting)


def _named(code: str, coop: dict) -> dict:
    return {"cooperative": code, "cooperative_name": coop.get("name"), "cooperative_name_hi": coop.get("name_hi")}
