"""Text rawbank accepts: valid Unicode without control characters (tabs and line breaks allowed).

Every API input passes `text_errors` before its schema loads it (shared/web.py's Parser), so a
string field added to any schema of any service is covered without code of its own. A lone
surrogate (JSON's "\\ud800") cannot be stored as UTF-8, and NUL, escape sequences and the like
never belong in a name, a code or a note.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from marshmallow import ValidationError, validate

from shared.i18n import F_

NOT_TEXT = F_("must be text without control characters or broken Unicode")
NOT_BLANK = F_("must not be only spaces")
#: lone surrogates, C0 controls but tab, line feed and carriage return, DEL, C1 controls, U+FFFE and U+FFFF
_BAD = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def is_clean(text: str) -> bool:
    return _BAD.search(text) is None


def shown(key: str) -> str:
    """A key as it can be written back in an error: broken Unicode escaped as \\udxxx."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def text_errors(data):
    """Errors shaped as marshmallow's for every string or key in `data` that is not clean text; None if all are."""
    if isinstance(data, str):
        return None if is_clean(data) else [NOT_TEXT]
    if isinstance(data, Mapping):
        errors = {}
        for key in data:
            if isinstance(key, str) and not is_clean(key):
                errors[shown(key)] = [NOT_TEXT]
            elif (found := text_errors(data[key])) is not None:
                errors[key] = found
        return errors or None
    if isinstance(data, (list, tuple)):
        errors = {index: found for index, item in enumerate(data) if (found := text_errors(item)) is not None}
        return errors or None
    return None


def not_blank(value: str) -> None:
    """A validator: a name, district or address of only spaces says nothing (and shows as an empty cell)."""
    if value and not value.strip():
        raise ValidationError(NOT_BLANK)


def filled(most: int) -> list:
    """The validators of a label people read (a name, a district): 1 to `most` characters, not only spaces."""
    return [validate.Length(min=1, max=most), not_blank]


def plain_name(name: str) -> str:
    """A place or craft as people mean it, case and spacing aside: 'Sant  Ravidas nagar ' is 'Sant Ravidas Nagar'
    (districts typed on one form and another are one district)."""
    return " ".join(name.split()).casefold()


def districts_called(depots, name: str | None, *, part: bool = False) -> list[str]:
    """The districts (as depots store them, in English) whose Hindi name a depot gives (`district_hi`) is `name`, case
    and spacing aside (plain_name), or holds it when `part` (one word of a search); each once, in the depots' order."""
    asked, found = plain_name(name or ""), []
    for depot in depots:
        hindi = plain_name(depot.get("district_hi") or "")
        district = depot.get("district")
        if asked and hindi and (asked in hindi if part else asked == hindi) and district and district not in found:
            found.append(district)
    return found


def among(names, name: str | None) -> bool:
    """Whether `name` is one of `names` (none: every name is), case and spacing aside (plain_name)."""
    return not names or (name is not None and plain_name(name) in {plain_name(n) for n in names})


def spellings(names) -> dict[str, str]:
    """Each plain name (plain_name) of `names` with the one spelling it is shown by: the least of its spellings,
    spaces collapsed, so that the same names give the same rows in any order (blank names left out)."""
    shown: dict[str, str] = {}
    for name in names:
        if spelled := " ".join((name or "").split()):
            key = plain_name(spelled)
            shown[key] = min(shown.get(key, spelled), spelled)
    return shown
