"""Notifier rules: alert kinds and lifecycle, escalation, waitlist limits, retries. Standard library only."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

OPEN, ACKNOWLEDGED, RESOLVED = "open", "acknowledged", "resolved"
STATUSES = (OPEN, ACKNOWLEDGED, RESOLVED)
LIVE = (OPEN, ACKNOWLEDGED)

LOW_STOCK, STOCK_OUT, WAITLIST = "low_stock", "stock_out", "waitlist_growing"
RESERVATION_FAILED, DEAD_LETTER = "reservation_failed", "dead_letter"
ORDER_OVERDUE, LOT_EXPIRING, LOT_EXPIRED = "purchase_order_overdue", "lot_expiring", "lot_expired"
COUNT_VARIANCE, ACCOUNT_OVERDUE = "count_variance", "account_overdue"
SHORT_SHARE, SHARES_UNCONFIRMED = "short_share", "shares_unconfirmed"  # cooperatives' members and their shares
EXPIRED_LOT_ISSUED = "expired_lot_issued"  # a dispatch was booked from a lot that expired under its hold
#: a member disputes what the depot's staff recorded for their share at the counter (ShareRecordDisputed): one alert per
#: share, resolved by hand once the board has looked into it
SHARE_RECORD_DISPUTED = "share_record_disputed"
#: a webhook's delivery failed after every attempt: one alert per webhook while it keeps failing, resolved by the
#: next delivery to it that succeeds
WEBHOOK_FAILING = "webhook_failing"
KINDS = (LOW_STOCK, STOCK_OUT, WAITLIST, RESERVATION_FAILED, DEAD_LETTER, ORDER_OVERDUE, LOT_EXPIRING,
         LOT_EXPIRED, COUNT_VARIANCE, ACCOUNT_OVERDUE, SHORT_SHARE, SHARES_UNCONFIRMED, EXPIRED_LOT_ISSUED,
         WEBHOOK_FAILING, SHARE_RECORD_DISPUTED)
SEVERITY = {LOW_STOCK: "warning", STOCK_OUT: "critical", WAITLIST: "warning",
            RESERVATION_FAILED: "warning", DEAD_LETTER: "critical", ORDER_OVERDUE: "warning",
            LOT_EXPIRING: "warning", LOT_EXPIRED: "critical", COUNT_VARIANCE: "warning", ACCOUNT_OVERDUE: "warning",
            SHORT_SHARE: "critical", SHARES_UNCONFIRMED: "warning", EXPIRED_LOT_ISSUED: "critical",
            WEBHOOK_FAILING: "warning", SHARE_RECORD_DISPUTED: "critical"}

#: level event -> (kind it opens, kinds it resolves at the same depot and material)
LEVEL_EFFECTS = {
    "StockLow": (LOW_STOCK, (STOCK_OUT,)),
    "StockDepleted": (STOCK_OUT, (LOW_STOCK,)),
    "StockReplenished": (None, (LOW_STOCK, STOCK_OUT, RESERVATION_FAILED)),
}
#: alerts that say what is on order of their material at their depot (purchase orders sent, not yet received)
ON_ORDER_SAID = (LOW_STOCK, STOCK_OUT)
#: alerts whose details are one stock's figures: a repeat says its own only if they are as new (alerts.raise_alert)
STOCK_FIGURES = (LOW_STOCK, STOCK_OUT)

#: event type -> the requisition status an artisan is told about
REQUISITION_STATUS = {
    "RequisitionSubmitted": "submitted", "RequisitionApproved": "approved",
    "RequisitionRejected": "rejected", "RequisitionCancelled": "cancelled",
    "StockReserved": "reserved", "StockWaitlisted": "waitlisted",
    "StockReservationFailed": "rejected",  # inventory can never hold it: requests rejects it
    "RequisitionDispatched": "dispatched", "RequisitionReceived": "received",
}
#: requests' last word on a requisition, and inventory's answers, which say nothing new once it is said
LAST_WORDS = ("RequisitionRejected", "RequisitionCancelled", "RequisitionDispatched", "RequisitionReceived")
INVENTORY_ANSWERS = ("StockReserved", "StockWaitlisted", "StockReservationFailed")
#: what inventory answered (a requisition's notification statuses): each comes of the approval, so one read before
#: the approval (or the submission: auto-approved at once) is later news already told
ANSWERED = ("reserved", "waitlisted", "rejected")
#: requests' statuses that inventory's answers follow: read after one of them was told, the submission is old news
#: (nothing is told) and the approval only tells the amount to pay (not "we are setting it aside" after "reserved")
BEFORE_ANSWERS = ("submitted", "approved")
#: StockWaitlisted's reason when a reserved requisition's lot expired under its holds: it waits again
WAITS_AGAIN = "lot_expired"
#: statuses that take a requisition off the waitlist
LEAVES_WAITLIST = ("reserved", "rejected", "cancelled", "dispatched", "received")

#: money that moved on an artisan's account (AccountUpdated's or PaymentRecorded's cause) -> what they are told
MONEY_MOVED = {"payment": "payment_received", "refund": "refunded", "payment_reversal": "payment_reversed"}
RETURN_CREDITED = "return_credited"  # material handed over came back to the depot with a credit note
SHORT_SETTLED = "short"  # a return line's condition: what a member reported did not reach them, credited as a return
ADVANCE_RECEIVED = "advance_received"  # a payment by the method `advance`: paid before it is due
#: news of the artisan's own record, not of a requisition: their phone changed (told at the old number too), or their
#: cooperative's secretary asked for a new one (it waits for an admin)
PHONE_CHANGED, PHONE_CHANGE_ASKED = "phone_changed", "phone_change_asked"
ABOUT_RECORD = (PHONE_CHANGED, PHONE_CHANGE_ASKED)
#: a member's answer for their share that the depot's staff recorded at the counter (ShareConfirmed `via` depot): the
#: member is told what was recorded in their name, so one recorded falsely does not go unnoticed by them
SHARE_RECORDED = "share_recorded"
#: the department's settlement of a member's dispute of that record (ShareDisputeSettled): upheld or rejected, with
#: the admin's note; the member is told (in-app, SMS, e-mail)
SHARE_DISPUTE_SETTLED = "share_dispute_settled"


def money_status(cause: str, method: str | None = None) -> str | None:
    """The notification an account's change is told as; None for a charge or a charge taken back (not texted)."""
    if cause == "payment" and method == "advance":
        return ADVANCE_RECEIVED
    return MONEY_MOVED.get(cause)


ALERT_OPENED, ALERT_UPDATED, ALERT_ESCALATED = "alert.opened", "alert.updated", "alert.escalated"
ALERT_ACKNOWLEDGED, ALERT_RESOLVED = "alert.acknowledged", "alert.resolved"
NOTIFICATION_CREATED, DIGEST = "notification.created", "digest"
WEBHOOK_TOPICS = (ALERT_OPENED, ALERT_ESCALATED, ALERT_ACKNOWLEDGED, ALERT_RESOLVED)  # the digest: e-mail only


def condition_key(kind: str, depot: str | None, sku: str | None, scope: str | None = None) -> str:
    """One open alert per condition: material x depot x kind, or kind x `scope` (an order, a lot, a count)."""
    return f"{kind}:{scope}" if scope else f"{kind}:{depot or '-'}:{sku or '-'}"


LOT_STAGES = (90, 60, 30, 0)  # days before a lot expires that it is announced; 0: it has expired


def lot_alert(stage: int) -> tuple[str, str]:
    """(kind, scope suffix) of an expiry alert: one alert per lot and stage, once each; 0 is expiry itself."""
    return (LOT_EXPIRED, "") if stage == 0 else (LOT_EXPIRING, f"/{stage}")


def earlier_lot_stages(stage: int) -> tuple[int, ...]:
    """The stages announced before `stage`, whose alerts it supersedes ("expires in 90 days" once it is 60)."""
    return LOT_STAGES[:LOT_STAGES.index(stage)] if stage in LOT_STAGES else ()


ACKNOWLEDGEABLE = (OPEN,)  # acknowledging stops escalation; nobody acknowledges twice
#: kinds whose every occurrence is a failure of its own, not a condition still holding: one coming after the
#: acknowledgement opens a new alert (told, escalated) as one after the resolution does; the acknowledged one stays
NEW_AFTER_ACKNOWLEDGED = (DEAD_LETTER,)
RESOLVABLE = LIVE


def newer_figure(version: int | None, at: datetime, than_version: int | None, than_at: datetime) -> bool:
    """Whether one stock's figure (of its `version` and time `at`) is newer than another: by the stock's version
    where both have it (one write, one version), else by time (an event of a rawbank before stock_version)."""
    if version is not None and than_version is not None:
        return version > than_version
    return at > than_at


def escalation_cutoff(now: datetime, after_seconds: int) -> datetime:
    """Open alerts first seen before this are overdue for acknowledgement."""
    return now - timedelta(seconds=after_seconds)


def waitlist_breached(count: int, oldest: datetime | None, now: datetime, *,
                      max_count: int, max_age_seconds: int) -> bool:
    """Too many requisitions waiting for a material at a depot, or one waiting too long."""
    too_old = oldest is not None and (now - oldest).total_seconds() > max_age_seconds
    return count > max_count or too_old


def retry_delay(attempt: int, base_ms: int, cap_seconds: float = 900.0) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): doubling, capped."""
    return min(base_ms * 2 ** (attempt - 1) / 1000, cap_seconds)


def after_failure(attempt: int, max_attempts: int, now: datetime, base_ms: int) -> tuple[str, datetime | None]:
    """(status, next attempt time) after a failed attempt: retry later, or give up."""
    if attempt >= max_attempts:
        return "failed", None
    return "pending", now + timedelta(seconds=retry_delay(attempt, base_ms))


def in_hours(moment: datetime, from_hour: int, until_hour: int, zone: tzinfo = timezone.utc) -> bool:
    """Whether `moment` falls from `from_hour` until `until_hour` (not included) of the day in `zone`; a window
    ending at or before its start runs past midnight (22 to 6), one ending where it starts is the whole day."""
    hour = moment.astimezone(zone).hour
    if from_hour == until_hour % 24:
        return True
    if from_hour < until_hour:
        return from_hour <= hour < until_hour
    return hour >= from_hour or hour < until_hour


def digest_day(now: datetime, hour_utc: int, zone: tzinfo = timezone.utc) -> str | None:
    """The day (YYYY-MM-DD) a digest is due for now, once today's `hour_utc` has passed: the last day in `zone`
    (people's calendar: India's) that ended before that hour."""
    if now.hour < hour_utc:
        return None
    struck = now.replace(hour=hour_utc, minute=0, second=0, microsecond=0)
    return (struck.astimezone(zone).date() - timedelta(days=1)).isoformat()
