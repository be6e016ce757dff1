"""The one clock the inventory rules read (tests move `now`); India's date by shared/calendar.py."""
from __future__ import annotations

from datetime import date, datetime, timezone

from shared.calendar import IST


def now() -> datetime:
    return datetime.now(timezone.utc)


def local_now() -> datetime:
    """Now, in India: a lot's receipt time, whose date is the day same-day receipts share a lot."""
    return now().astimezone(IST)


def today() -> date:
    """The date in India: lots expire and orders fall due at midnight there."""
    return local_now().date()
