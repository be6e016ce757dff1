"""Lists on pages: a page at a time (`?page=N`), text search (`?q=`) and a range of India's days (`?from=&to=`).

The names are the contract's (DESIGN.md, "Pages and lists"); every service's list pages read them here, and
templates draw the paging controls with the `pager` macro of rawbank/macros.html.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import marshmallow as ma
from flask import request, url_for
from flask_babel import gettext as _

from shared.calendar import add_days, day_start, in_calendar
from shared.quantity import ascii_digits

PAGE_SIZE = 50
MAX_PAGE = 100_000


def page_field(*, load_default=1, description: str = "page N (from 1) of `limit` items") -> ma.fields.Integer:
    """`?page=N` in an API list's query schema (with its `limit`); `skip_of` turns it into a skip."""
    return ma.fields.Integer(load_default=load_default, validate=ma.validate.Range(min=1, max=MAX_PAGE),
                             metadata={"description": description})


def skip_of(query: dict) -> int:
    """How many items come before the page `?page=N` asks for (none without it)."""
    return ((query.get("page") or 1) - 1) * query["limit"]


@dataclass(frozen=True)
class Pager:
    """Which page of a list is shown: its number (from 1), the page size and how many items there are in all."""

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def skip(self) -> int:
        return (self.number - 1) * self.size

    def url(self, number: int) -> str:
        """This page's address with the same filters, showing page `number`."""
        args = {**request.view_args, **request.args.to_dict(), "page": number}
        return url_for(request.endpoint, **args)


def asked_number(name: str, digits: int) -> int | None:
    """The whole number `?name=` asks for, in ASCII or Devanagari digits ('४५' is 45), at most `digits` of them;
    None for anything else ('²' and '①' are digits to str.isdigit() that int() refuses)."""
    raw = ascii_digits(request.args.get(name, "").strip())
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= digits else None


def pager(total: int, size: int = PAGE_SIZE) -> Pager:
    """The page `?page=N` asks for, kept within the pages there are (the first for anything that is not a number)."""
    number = asked_number("page", 6) or 1
    return Pager(min(max(number, 1), max(1, -(-total // size))), size, total)


def search_text() -> str:
    """What `?q=` searches for, trimmed (at most 100 characters)."""
    return request.args.get("q", "").strip()[:100]


def day_arg(name: str, errors: dict) -> date | None:
    """`?<name>=YYYY-MM-DD` as a date; a bad one is named in `errors` (field -> message) and left out."""
    raw = ascii_digits(request.args.get(name, "").strip())
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not in_calendar(day):
        errors[name] = _("Write a date such as %(example)s.", example="2026-04-30")
        return None
    return day


def day_range(errors: dict) -> tuple[datetime | None, datetime | None]:
    """`?from=` and `?to=` (India's days, both included) as the UTC instants [start, end) they cover."""
    start, end = day_arg("from", errors), day_arg("to", errors)
    if start and end and end < start:
        errors["to"] = _("The last day comes before the first, so the list is not narrowed by day; correct one of "
                         "the two days.")
        return None, None
    return (day_start(start.isoformat()) if start else None,
            day_start(add_days(end.isoformat(), 1)) if end else None)
