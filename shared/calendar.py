"""India's calendar: days and months turn over at midnight Indian Standard Time."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import marshmallow as ma

from shared.i18n import F_

IST = timezone(timedelta(hours=5, minutes=30))
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])\Z")
#: years a day or month may name: within them a day can be turned into UTC instants and moved by a day or
#: a month (Python's dates end at year 1 and 9999, and 0001-01-01 in India begins before the first UTC day)
FIRST_YEAR, LAST_YEAR = 1900, 9998


def in_calendar(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def is_month(text) -> bool:
    """'YYYY-MM' naming a month of the years the calendar takes."""
    return isinstance(text, str) and bool(MONTH.match(text)) and FIRST_YEAR <= int(text[:4]) <= LAST_YEAR


class Month(ma.validate.Validator):
    """A schema's check of a month, 'YYYY-MM' (see is_month)."""

    error = F_("a month such as 2026-11")

    def __call__(self, value):
        if not is_month(value):
            raise ma.ValidationError(self.error)
        return value


#: an Indian financial year, 1 April to 31 March: '2026-27', the second part the next year's last two digits
FINANCIAL_YEAR = re.compile(r"^([0-9]{4})-([0-9]{2})\Z")


def is_financial_year(text) -> bool:
    """'YYYY-YY' naming a financial year (2026-27: April 2026 to March 2027) whose months the calendar takes."""
    return is_written_financial_year(text) and FIRST_YEAR <= int(text[:4]) < LAST_YEAR


def is_written_financial_year(text) -> bool:
    """'YYYY-YY' written as a financial year is (the second part the next year's last two digits), whatever year it
    names: 1899-00 is well written, though before the calendar (and any scheme)."""
    found = FINANCIAL_YEAR.match(text) if isinstance(text, str) else None
    return bool(found) and int(found[2]) == (int(found[1]) + 1) % 100


class FinancialYear(ma.validate.Validator):
    """A schema's check of a financial year, 'YYYY-YY' (see is_financial_year); `any_year`: only how it is written
    (is_written_financial_year), for a use case that says itself why a year it cannot serve has nothing."""

    error = F_("a financial year such as 2026-27")

    def __init__(self, *, any_year: bool = False):
        self.any_year = any_year

    def __call__(self, value):
        if not (is_written_financial_year if self.any_year else is_financial_year)(value):
            raise ma.ValidationError(self.error)
        return value


def financial_year_of(moment: datetime) -> str:
    """The financial year ('2026-27') a moment falls in, in India: it begins on 1 April."""
    local = moment.astimezone(IST)
    first = local.year if local.month >= 4 else local.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def year_of_month(month: str) -> str:
    """The financial year ('2026-27') a month ('2027-03') is in."""
    first = int(month[:4]) if int(month[5:7]) >= 4 else int(month[:4]) - 1
    return f"{first}-{(first + 1) % 100:02d}"


def months_of_year(year: str) -> list[str]:
    """The twelve months of a financial year, April to March ('2026-04' ... '2027-03')."""
    first = int(year[:4])
    return [f"{first}-{month:02d}" for month in range(4, 13)] + [f"{first + 1}-{month:02d}" for month in range(1, 4)]


def month_of(moment: datetime) -> str:
    """The month ('2026-11') a moment falls in, in India."""
    return moment.astimezone(IST).strftime("%Y-%m")


def day_of(moment: datetime) -> str:
    """The day ('2026-11-05') a moment falls in, in India."""
    return moment.astimezone(IST).date().isoformat()


def last_full_day(until: datetime) -> str:
    """The last day in India wholly before `until`: what a deadline at that moment says "by <day>" of."""
    return (until.astimezone(IST) - timedelta(days=1)).date().isoformat()


def today() -> str:
    return day_of(datetime.now(timezone.utc))


def day_start(day: str) -> datetime:
    """The moment a day ('2026-11-05') begins in India."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), IST)


def add_days(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def month_bounds(month: str) -> tuple[str, str]:
    """The first and last day of a month, as days."""
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first.isoformat(), (following - timedelta(days=1)).isoformat()


class Day(ma.fields.Field):
    """A calendar day as 'YYYY-MM-DD' on the wire and in the store (the store keeps no bare dates)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str) and len(value) == 10:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                day = None
            if day and in_calendar(day):
                return day.isoformat()
        raise ma.ValidationError(F_("a day such as 2026-11-01"))

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class Moment(ma.fields.AwareDateTime):
    """An instant with its zone ('2026-11-05T10:30:00+05:30'), loaded as UTC, within the years the calendar takes.

    An aware time near Python's first or last day may have no UTC time at all (year 1 at +01:00), and a
    store asked about it fails: such a time, or one outside the calendar's years, is refused like any
    other bad value (in the caller's language), never a server error.
    """

    default_error_messages = {"invalid": F_("a date and time with its zone, such as 2026-11-05T10:30:00+05:30")}

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        try:
            moment = super()._deserialize(value, attr, data, **kwargs).astimezone(timezone.utc)
        except (ma.ValidationError, OverflowError):
            raise self.make_error("invalid") from None
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise self.make_error("invalid")
        return moment


def moment_or_none(text: str) -> datetime | None:
    """`text` as an aware instant in UTC within the calendar's years (see Moment), else None."""
    try:
        return Moment().deserialize(text)
    except ma.ValidationError:
        return None


def instants(first: str | None, last: str | None) -> tuple[datetime | None, datetime | None]:
    """India's days `first` to `last` (both included) as the instants [start, end) they cover; None where open."""
    start = datetime.combine(date.fromisoformat(first), datetime.min.time(), IST) if first else None
    end = datetime.combine(date.fromisoformat(last) + timedelta(days=1), datetime.min.time(), IST) if last else None
    return start, end
