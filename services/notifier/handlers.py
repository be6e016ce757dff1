"""Notifier use cases for each consumed event: projections, alerts and artisans' notifications."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from services.notifier import alerts, domain, dues, notifications, projections, report_models, shares
from services.notifier import dead_letters as kept_letters
from shared import dead_letters, revocation, staff
from shared.envelope import Event


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def apply(db, config, event: Event) -> None:
    """Apply one event by its type; every step is idempotent, so a replay or duplicate changes nothing."""
    for handler in EVENT_HANDLERS.get(event.type, ()):
        handler(db, config, event)


def keep_material(db, config, event: Event) -> None:
    """Keep a copy of the material (names, category, unit, reorder level) for texts and alerts."""
    projections.put_material(db, event.data)


def keep_depot(db, config, event: Event) -> None:
    """Keep a copy of the depot, and fill in the district of its alerts that lacked one."""
    projections.put_depot(db, event.data)
    alerts.fill_district(db, event.data["code"], event.data["district"])


def fold_reports(db, config, event: Event) -> None:
    """Fold it into the department's reports (report_models.HANDLERS), and the copies of artisans (their
    language and contacts for notifications) and cooperatives they group by."""
    report_models.apply(db, event)


def about_phone(db, config, event: Event) -> None:
    """Tell the artisan their phone changed (at the old number) or that their secretary asked for a new one; before
    the copy of them is folded, as it compares with that copy."""
    notifications.about_phone(db, event.data, event_id=event.event_id, occurred_at=event.occurred_at,
                              at=parse_time(event.occurred_at))


def ask_member(db, config, event: Event) -> None:
    """Tell the member their share arrived and how to confirm it; their SMS carries their code."""
    shares.ask_member(db, event)


def tell_recorded(db, config, event: Event) -> None:
    """What the depot's staff recorded at the counter as a member's answer: the member is told (not their own)."""
    shares.tell_recorded(db, event)


def alert_if_short(db, config, event: Event) -> None:
    """A member received less than their share: an alert for admins at once."""
    shares.alert_if_short(db, event)


def record_disputed(db, config, event: Event) -> None:
    """A member disputes what the depot recorded for their share: an alert for admins and that depot's staff."""
    shares.alert_disputed(db, event)


def dispute_settled(db, config, event: Event) -> None:
    """The department settled a member's dispute of a depot record: the member is told, the board's alert resolved
    (an upheld one left short: the short-share alert, as the member's own answer opens it)."""
    shares.dispute_settled(db, event)


def settle_short(db, config, event: Event) -> None:
    """A return settling all a member reported short of their share resolves its alert (after `returned`, which
    keeps what each return settled)."""
    shares.settle_short(db, event)


def keep_staff(db, config, event: Event) -> None:
    """Keep who a staff login is in words (the newest told wins), for the alert board's "Acknowledged by"."""
    staff.remember(db, event.data)


def forget_token(db, config, event: Event) -> None:
    """Refuse a logged-out token, or a user's tokens from before a new password, here too (the deny-list)."""
    revocation.remember(db, event.data)


def keep_requisition(db, config, event: Event) -> None:
    """Keep whose requisition it is (depot, lines), and attach notifications that came before it."""
    projections.put_requisition(db, event.data)
    notifications.to_members(db, event.data)


def stock_level(db, config, event: Event) -> None:
    """Open the level's alert and resolve the ones the new level clears.

    A repeat on the open alert is counted, but its figures are said only if as new as the alert's (an older one read
    late, a DLQ resend, changes no figure back: alerts.raise_alert); an alert it opens says the stock's last on-order
    figure read instead of the event's where that is newer (alerts.remember_on_order)."""
    opens, clears = domain.LEVEL_EFFECTS[event.type]
    data, cause, at = event.data, event.event_id, parse_time(event.occurred_at)
    depot, sku, version = data["depot"], data["sku"], data.get("stock_version")
    for cleared in clears:
        alerts.resolve_condition(db, cleared, depot=depot, sku=sku, cause=cause, at=at)
    kept = alerts.last_on_order(db, depot, sku)
    if data.get("on_order") is not None:
        alerts.remember_on_order(db, depot=depot, sku=sku, on_order=data["on_order"], at=at, stock_version=version)
    if opens:
        alerts.raise_alert(db, opens, depot=depot, sku=sku, cause=cause, at=at, on_order_kept=kept,
                           district=projections.district_of(db, depot), stock_version=version,
                           details={"available": data["available"], "reorder_level": data["reorder_level"],
                                    **({"on_order": data["on_order"]} if data.get("on_order") is not None else {})})


def on_order_moved(db, config, event: Event) -> None:
    """What is on order at the depot now (a receipt, a return, an order sent, closed or cancelled): on its alert.

    The material's live low-stock or out-of-stock alert says it from now on (alerts.keep_on_order: a figure older
    than the alert's changes nothing, older by the stock's version where both say it, else by time), and an alert
    opened later from an older level event says it too (alerts.remember_on_order); an event without it, from a
    rawbank before that, changes nothing."""
    data = event.data
    if data.get("on_order") is not None:
        at, version = parse_time(event.occurred_at), data.get("stock_version")
        alerts.remember_on_order(db, depot=data["depot"], sku=data["sku"], on_order=data["on_order"], at=at,
                                 stock_version=version)
        alerts.keep_on_order(db, domain.ON_ORDER_SAID, depot=data["depot"], sku=data["sku"],
                             on_order=data["on_order"], at=at, stock_version=version)


def reservation_failed(db, config, event: Event) -> None:
    """Open a reservation-failed alert for each line, with the reason."""
    data, at = event.data, parse_time(event.occurred_at)
    district = projections.district_of(db, data["depot"])
    for line in data["lines"]:
        alerts.raise_alert(db, domain.RESERVATION_FAILED, depot=data["depot"], sku=line["sku"],
                           cause=event.event_id, at=at, district=district,
                           details={"reason": data["reason"], "requisition_id": data["requisition_id"]})


def requisition_status(db, config, event: Event) -> None:
    """Tell the artisan, and keep the waiting lists (and their alerts) up to date."""
    status, data, cause = domain.REQUISITION_STATUS[event.type], event.data, event.event_id
    at = parse_time(event.occurred_at)
    if event.type in domain.LAST_WORDS:  # before the artisan is told: a replay finds it marked all the same
        projections.end_requisition(db, data["requisition_id"], at)
    known = projections.requisition(db, data["requisition_id"]) or {}
    # read after inventory's answer to it was told (the topics are not ordered): the approval tells only the amount
    late = status in domain.BEFORE_ANSWERS and notifications.answered(db, data["requisition_id"])
    if event.type in domain.INVENTORY_ANSWERS and known.get("ended_at"):
        pass  # read after requests' last word (the topics are not ordered): old news, nobody is told
    elif late and status != "approved":
        pass  # the submission (auto-approved at once) read after the answer: old news, nobody is told
    elif known.get("shares") and status == "received":
        pass  # the secretary received it for the members: each is asked what reached them (confirm_share), never told
        # "you have received" before they say so, nor when they then report less
    elif known.get("shares"):  # a cooperative's requisition: each member hears of their own share (and amount)
        amounts = {share["artisan_id"]: share.get("payable_total") for share in data.get("shares") or ()}
        paid = {share["artisan_id"]: share.get("paid") for share in data.get("shares") or ()}  # cancel, rejection
        for share in known["shares"]:
            if late and not amounts.get(share["artisan_id"]):
                continue  # no amount to tell them
            notifications.create(db, event_id=f"{cause}:{share['artisan_id']}", status=status,
                                 requisition_id=data["requisition_id"], depot=data["depot"], lines=share["lines"],
                                 at=at, position=data.get("position"), reason=data.get("reason", ""),
                                 artisan_id=share["artisan_id"], amount=amounts.get(share["artisan_id"]), late=late,
                                 short=data.get("short"), paid=paid.get(share["artisan_id"]))
    elif not late or data.get("payable_total"):
        notifications.create(db, event_id=cause, status=status, requisition_id=data["requisition_id"],
                             depot=data["depot"], lines=data["lines"], at=at,
                             position=data.get("position"), reason=data.get("reason", ""),
                             amount=data.get("payable_total"), late=late, short=data.get("short"),
                             paid=data.get("paid"), pay_first=data.get("pay_first"))
    skus = [line["sku"] for line in data["lines"]]
    if status == "waitlisted" and data.get("reason") == domain.WAITS_AGAIN:  # it was reserved: it waits again
        projections.rejoin_waitlist(db, data["requisition_id"], data["depot"], skus, at)
        touched = [(data["depot"], sku) for sku in skus]
    elif status == "waitlisted":
        projections.join_waitlist(db, data["requisition_id"], data["depot"], skus, at)
        touched = [(data["depot"], sku) for sku in skus]
    elif status in domain.LEAVES_WAITLIST:
        touched = projections.leave_waitlist(db, data["requisition_id"], at)
    else:
        touched = []
    if status == "reserved":
        for sku in skus:
            alerts.resolve_condition(db, domain.RESERVATION_FAILED, depot=data["depot"], sku=sku,
                                     cause=cause, at=at)
    for depot, sku in touched:
        check_waitlist(db, config, depot, sku, cause=cause, now=datetime.now(timezone.utc))


def _raise(db, event: Event, kind: str, scope: str, *, sku=None, details: dict) -> None:
    depot = event.data["depot"]
    alerts.raise_alert(db, kind, depot=depot, sku=sku, scope=scope, cause=event.event_id,
                       at=parse_time(event.occurred_at), district=projections.district_of(db, depot), details=details)


def _resolve(db, event: Event, kind: str, scope: str) -> None:
    alerts.resolve_condition(db, kind, depot=event.data["depot"], sku=None, scope=scope, cause=event.event_id,
                             at=parse_time(event.occurred_at))


def order_overdue(db, config, event: Event) -> None:
    """An order past its expected date: one alert per order."""
    data = event.data
    _raise(db, event, domain.ORDER_OVERDUE, data["purchase_order"], details={
        k: data[k] for k in ("purchase_order", "supplier", "supplier_name", "supplier_name_hi", "expected_on",
                             "days_late", "lines") if data.get(k) is not None})


def order_finished(db, config, event: Event) -> None:
    """Nothing more is awaited on the order: its lateness alert is resolved."""
    _resolve(db, event, domain.ORDER_OVERDUE, event.data["purchase_order"])


def lot_expiring(db, config, event: Event) -> None:
    """90, 60, 30 days before a lot expires and when it has: one alert each; a later one resolves the earlier."""
    data = event.data
    lot = f"{data['depot']}/{data['sku']}/{data['lot']}"
    for earlier in domain.earlier_lot_stages(data["stage"]):
        _resolve(db, event, *_lot_condition(lot, earlier))
    _raise(db, event, *_lot_condition(lot, data["stage"]), sku=data["sku"], details={
        k: data[k] for k in ("lot", "shade", "expires_on", "days_left", "stage", "on_hand")})


def lot_emptied(db, config, event: Event) -> None:
    """A lot with an expiry alert left the depot's stock: its alerts (every stage up to the last raised) are over."""
    data = event.data
    lot = f"{data['depot']}/{data['sku']}/{data['lot']}"
    for stage in (*domain.earlier_lot_stages(data["stage"]), data["stage"]):
        _resolve(db, event, *_lot_condition(lot, stage))


def expired_lot_issued(db, config, event: Event) -> None:
    """A dispatch was booked from a lot that had expired under its hold: one alert per lot and requisition."""
    data = event.data
    scope = f"{data['depot']}/{data['sku']}/{data['lot']}/{data['requisition_id']}"
    _raise(db, event, domain.EXPIRED_LOT_ISSUED, scope, sku=data["sku"], details={
        "lot": data["lot"], "expires_on": data["expires_on"], "on_hand": data["quantity"],
        "requisition_id": data["requisition_id"]})


def _lot_condition(lot: str, stage: int) -> tuple[str, str]:
    kind, suffix = domain.lot_alert(stage)
    return kind, f"{lot}{suffix}"


def count_variance(db, config, event: Event) -> None:
    """A count found differences beyond the tolerance: one alert per count."""
    data = event.data
    _raise(db, event, domain.COUNT_VARIANCE, data["count_id"], details={
        k: data[k] for k in ("count_id", "tolerance_percent", "lines", "by")})


def count_approved(db, config, event: Event) -> None:
    """The count is approved (its differences posted): its alert is resolved."""
    _resolve(db, event, domain.COUNT_VARIANCE, event.data["count_id"])


def count_cancelled(db, config, event: Event) -> None:
    """The count is cancelled (nothing posted): its alert is resolved."""
    _resolve(db, event, domain.COUNT_VARIANCE, event.data["count_id"])


def keep_account(db, config, event: Event) -> None:
    """What the artisan owes and by when: reminders and overdue alerts are worked out from it (dues.check)."""
    dues.keep(db, event.data)


def money_moved(db, config, event: Event) -> None:
    """Tell the artisan (SMS, in-app, e-mail) of a payment, an advance, a refund or a reversal, and what they owe.

    Once per payment (its id) or event, however often it comes; in the artisan's language when it is sent. A charge
    (at dispatch: the reminders tell of it) or a charge taken back is not texted here; a refund or reversal announced
    without its amount (an old event) cannot say how much, so it is not texted."""
    data = event.data
    status = domain.money_status(data["cause"], data.get("method"))
    if status is None or not data.get("amount"):
        return
    note_id = f"paid:{data['payment_id']}" if data.get("payment_id") else f"{data['cause']}:{event.event_id}"
    notifications.create(db, event_id=note_id, status=status, requisition_id=data["requisition_id"], depot="",
                         lines=[], at=parse_time(event.occurred_at), artisan_id=data["artisan_id"],
                         amount=data["amount"], method=data.get("method"), requisitions=data.get("requisitions"),
                         account={"balance_due": data["balance_due"], "open_dues": data["open_dues"],
                                  **({"to_pay": data["to_pay"]} if data.get("to_pay") is not None else {})})


def returned(db, config, event: Event) -> None:
    """Tell the artisan (SMS, in-app, e-mail; a cooperative's member: that member) what came back to the depot, on
    which request, and the credit in rupees; once per return (its id), however often the event comes. `short`
    lines never came back: they are what the member reported did not reach them, now credited (`not_reached`)."""
    data, came_back, not_reached = event.data, {}, {}
    for line in data["lines"]:  # restocked and damaged alike came back: one quantity per material
        into = not_reached if line["condition"] == domain.SHORT_SETTLED else came_back
        into[line["sku"]] = into.get(line["sku"], 0) + line["quantity"]
    notifications.create(db, event_id=f"returned:{data['return_id']}", status=domain.RETURN_CREDITED,
                         requisition_id=data["requisition_id"], depot=data["depot"],
                         lines=[{"sku": sku, "quantity": quantity} for sku, quantity in came_back.items()],
                         at=parse_time(event.occurred_at), artisan_id=data["artisan_id"],
                         amount=data.get("credit") or None,
                         not_reached=[{"sku": sku, "quantity": quantity} for sku, quantity in not_reached.items()])


#: event type -> what the notifier does about it, in order
EVENT_HANDLERS = {
    "MaterialRegistered": (keep_material,),
    "DepotRegistered": (keep_depot,),
    "DepotUpdated": (keep_depot,),
    "AccountUpdated": (keep_account, money_moved),
    "PaymentRecorded": (keep_account, money_moved),
    "ArtisanRegistered": (fold_reports,),
    "ArtisanUpdated": (about_phone, fold_reports),
    "CooperativeRegistered": (fold_reports,),
    "CooperativeUpdated": (fold_reports,),
    "StockLow": (stock_level,),
    "StockDepleted": (stock_level,),
    "StockReplenished": (stock_level,),
    "StockReceived": (on_order_moved,),
    "StockReturned": (on_order_moved,),
    "OnOrderChanged": (on_order_moved,),
    "StockReservationFailed": (reservation_failed, requisition_status, fold_reports),
    "StockReserved": (requisition_status, fold_reports),
    "StockWaitlisted": (requisition_status, fold_reports),
    "RequisitionSubmitted": (keep_requisition, requisition_status),
    "RequisitionApproved": (keep_requisition, requisition_status),
    "RequisitionRejected": (keep_requisition, requisition_status, fold_reports),
    "RequisitionCancelled": (keep_requisition, requisition_status, fold_reports),
    "RequisitionDispatched": (keep_requisition, requisition_status, fold_reports),
    "RequisitionReceived": (keep_requisition, requisition_status),
    "RequisitionReturned": (returned, settle_short, fold_reports),
    "ShareCodeIssued": (fold_reports, ask_member),
    "ShareConfirmed": (fold_reports, alert_if_short, tell_recorded),
    "ShareRecordDisputed": (record_disputed,),
    "ShareDisputeSettled": (fold_reports, dispute_settled),
    "PurchaseOrderOverdue": (order_overdue,),
    "PurchaseOrderFinished": (order_finished,),
    "LotExpiring": (lot_expiring,),
    "LotEmptied": (lot_emptied,),
    "ExpiredLotIssued": (expired_lot_issued,),
    "StockCountVariance": (count_variance,),
    "StockCountApproved": (count_approved,),
    "StockCountCancelled": (count_cancelled,),
    "TokenRevoked": (forget_token,),
    "StaffNamed": (keep_staff,),
}


def check_waitlist(db, config, depot: str, sku: str, *, cause: str | None, now: datetime,
                   resolve: bool = True) -> None:
    """Open or resolve the waiting-list alert of one material at one depot.

    Without a cause (the periodic age check) the oldest entry stands in, so checking again
    and again counts nothing twice.
    """
    count, oldest = projections.waiting(db, depot, sku)
    if domain.waitlist_breached(count, oldest, now, max_count=config.notifier_waitlist_max,
                                max_age_seconds=config.notifier_waitlist_max_age_seconds):
        cause = cause or f"waitlist-age:{depot}:{sku}:{oldest.isoformat() if oldest else '-'}"
        alerts.raise_alert(db, domain.WAITLIST, depot=depot, sku=sku, cause=cause, at=now,
                           district=projections.district_of(db, depot),
                           details={"waiting": count, "oldest_since": oldest.isoformat() if oldest else None})
    elif resolve and cause:
        alerts.resolve_condition(db, domain.WAITLIST, depot=depot, sku=sku, cause=cause, at=now)


def dead_letter(db, message) -> None:
    """A message another service could not handle: one open alert per topic and event type."""
    letter = dead_letters.read(message)  # what its headers say, as `rawbank dlq` reads them
    topic = letter["original_topic"] or message.topic
    try:
        envelope = json.loads(message.value)
        envelope = envelope if isinstance(envelope, dict) else {}
    except (TypeError, ValueError):
        envelope = {}
    payload = envelope.get("payload") if isinstance(envelope.get("payload"), dict) else {}
    type_ = str(envelope.get("type") or "undecodable")[:100]
    depot = payload["depot"][:100] if isinstance(payload.get("depot"), str) else None
    # a copy `rawbank dlq resend` sent (resend_id) that fails again is a failure of its own: the identity the kept
    # copies have; a letter of no event has nothing to know it by but where it lies
    cause = kept_letters.alert_cause(dead_letters.identity(letter, message.value) if letter["event_id"] else None,
                                     message.topic, message.partition, message.offset)
    alerts.raise_alert(
        db, domain.DEAD_LETTER, depot=depot, sku=None, scope=f"{topic}:{type_}", cause=cause,
        at=datetime.now(timezone.utc), district=projections.district_of(db, depot),
        details={"original_topic": topic, "type": type_, "reason": letter["reason"][:500],
                 "event_id": str(envelope.get("event_id", ""))[:100], "depot": depot,
                 "consumer_group": letter["consumer_group"] or "", "error_code": letter["error_code"],
                 "error_said": letter["error_said"]})  # the handler's own error in words, for explain
