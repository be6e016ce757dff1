"""Today's date where the depots are (India), the one clock the inventory rules read."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

IST = timezone(timedelta(hours=5, minutes=30))


def now() -> datetime:
    return datetime.now(timezone.utc)


def local_now() -> datetime:
    """Now, in India: a lot's receipt time, whose date is the day same-day receipts share a lot."""
    return now().astimezone(IST)


def today() -> date:
    """The date in India: lots expire and orders fall due at midnight there."""
    return now().astimezone(IST).date()
