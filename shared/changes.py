"""Whether a PATCH changes anything: the pages send every field of a form back, unchanged or not.

A PATCH whose every given field is already what is stored is answered with the record as it is: no write, no new
`version`, no event in the outbox (an unchanged save otherwise filled the event log with updates the other services
apply to nothing). A real change is written as it always was. The check is made on the record as it was read, so
a change made meanwhile by someone else is not undone: the record answered is the one read.
"""
from __future__ import annotations


def nothing_changes(stored: dict, changes: dict, defaults: dict | None = None) -> bool:
    """Every field in `changes` equals the stored one; a field not stored is its default in `defaults`, or null
    (a registration number never given and one sent back empty as null are the same)."""
    defaults = defaults or {}
    return all(stored.get(field, defaults.get(field)) == value for field, value in changes.items())
