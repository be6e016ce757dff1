"""What artisans owe, as requests last said, and what the notifier does about it each day.

Requests announces an artisan's account after every change (AccountUpdated, PaymentRecorded):
the balance and the open dues, each with its due day (a charge's, or money to repay: refunded, then
the payment was reversed; `kind` refund_reversed). The notifier keeps the newest of these
(by the account's version, so an old or repeated event changes nothing) and, when it looks:
reminds the artisan (in daytime in India only) a few days before a due day and again once it has passed (one
notification per due and kind, under a natural id, so looking again sends nothing twice), and keeps one alert
for admins open while an account's overdue total is above the threshold.
"""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.notifier import alerts, domain, notifications, projections
from shared.calendar import IST, add_days, day_of
from shared.money import format_money

INDEXES = {"accounts": [IndexModel([("owing", ASCENDING)]), IndexModel([("alerted", ASCENDING)], sparse=True)]}
DUE_SOON, OVERDUE = "payment_due", "payment_overdue"


def keep(db, data: dict) -> None:
    """Keep the account as of this event, unless a newer one is kept already."""
    fields = {"version": data["version"], "balance_due": data["balance_due"], "open_dues": data["open_dues"],
              "owing": bool(data["open_dues"])}
    try:
        db.accounts.update_one({"_id": data["artisan_id"], "$or": [{"version": {"$lt": data["version"]}},
                                                                   {"version": {"$exists": False}}]},
                               {"$set": fields}, upsert=True)
    except DuplicateKeyError:  # a newer version is kept already
        pass


def check(db, config, now: datetime) -> int:
    """Remind artisans of dues soon and past, and raise or resolve the overdue alerts; how many reminders.

    Reminders go only in daytime in India (RAWBANK_NOTIFIER_REMINDER_FROM_HOUR until ..._UNTIL_HOUR, IST): a due
    that enters the window or passes at midnight is reminded when the morning's first look comes, not to thousands
    of artisans at once in the night. They answer nothing the artisan just did, so they can wait; the admins' alert
    is kept up to date at any hour."""
    today, sent = day_of(now), 0
    daytime = domain.in_hours(now, config.notifier_reminder_from_hour, config.notifier_reminder_until_hour, IST)
    soon = add_days(today, config.notifier_reminder_days_before)
    threshold = config.notifier_overdue_alert_paise
    for account in db.accounts.find({"$or": [{"owing": True}, {"alerted": True}]}):
        overdue = [due for due in account["open_dues"] if due["due_on"] < today]
        for due in account["open_dues"]:
            kind = OVERDUE if due["due_on"] < today else DUE_SOON if due["due_on"] <= soon else None
            if kind and daytime:
                sent += notifications.create(  # a repayment is reminded as a charge is, under an id of its own
                    db, event_id=f"{kind}:{account['_id']}:{due['requisition_id']}:{due['due_on']}"
                                 + (f":{due['kind']}" if due.get("kind") else ""), status=kind,
                    requisition_id=due["requisition_id"], depot="", lines=[], at=now, artisan_id=account["_id"],
                    amount=due["amount"], due_on=due["due_on"])
        _alert(db, account, sum(due["amount"] for due in overdue), overdue, threshold, today, now)
    return sent


def _alert(db, account: dict, total: int, overdue: list, threshold: int, today: str, now: datetime) -> None:
    artisan_id = account["_id"]
    if total > threshold:
        profile = projections.artisan(db, artisan_id) or {}
        alerts.raise_alert(db, domain.ACCOUNT_OVERDUE, depot=None, sku=None, scope=artisan_id,
                           cause=f"overdue:{artisan_id}:{today}", at=now, district=profile.get("district"),
                           details={"artisan_id": artisan_id, "name": profile.get("name") or artisan_id,
                                    "name_hi": profile.get("name_hi"),
                                    "overdue": format_money(total), "since": min(d["due_on"] for d in overdue)})
        db.accounts.update_one({"_id": artisan_id}, {"$set": {"alerted": True}})
    elif account.get("alerted"):
        alerts.resolve_condition(db, domain.ACCOUNT_OVERDUE, depot=None, sku=None, scope=artisan_id,
                                 cause=f"paid:{artisan_id}:{account['version']}", at=now)
        db.accounts.update_one({"_id": artisan_id}, {"$set": {"alerted": False}})
