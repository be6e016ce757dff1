"""Field-level validation messages in the caller's language.

marshmallow and webargs write their messages in English, already filled in ("Length must be
between 1 and 100."). Every message our APIs can produce is marked with `F_` (marshmallow's
below, ours where they are raised), so it is in the catalogs; a validation error's details are
translated by finding each message's text, or the template it was filled from, among those.
"""
from __future__ import annotations

import functools
import re

from shared.i18n import F_, FIELD_MESSAGES, translate

#: marshmallow's and webargs' messages for the fields and validators our schemas use
#: (tests/unit/test_field_messages.py finds any a schema can produce that is missing here)
DEFAULTS = (
    F_("Missing data for required field."), F_("Field may not be null."), F_("Invalid value."),
    F_("Unknown field."), F_("Invalid input type."), F_("Invalid type."), F_("Invalid JSON body."),
    F_("Not a valid string."), F_("Not a valid utf-8 string."), F_("Not a valid integer."),
    F_("Not a valid number."), F_("Number too large."),
    F_("Special numeric values (nan or infinity) are not permitted."), F_("Not a valid boolean."),
    F_("Not a valid datetime."), F_("Not a valid aware datetime."), F_("Not a valid date."),
    F_('"{input}" cannot be formatted as a date.'),
    F_('"{input}" cannot be formatted as a datetime.'), F_("Not a valid mapping type."),
    F_("Not a valid list."), F_("Not a valid UUID."), F_("Not a valid email address."), F_("Not a valid URL."),
    F_("Length must be between {min} and {max}."), F_("Length must be {equal}."),
    F_("Longer than maximum length {max}."), F_("Shorter than minimum length {min}."),
    F_("Must be one of: {choices}."), F_("String does not match expected pattern."),
    F_("Must be greater than or equal to {min} and less than or equal to {max}."),
    F_("Must be greater than or equal to {min}."), F_("Must be less than or equal to {max}."),
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.lru_cache(maxsize=512)
def _pattern(template: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                              for i, part in enumerate(parts)), re.DOTALL)


def translate_message(text: str, lang: str) -> str:
    """One field message in `lang`; a text that is not a known field message stays as it is."""
    if text in FIELD_MESSAGES:
        return translate(text, lang)
    for template in sorted(FIELD_MESSAGES, key=len, reverse=True):
        if "{" in template and (match := _pattern(template).fullmatch(text)):
            return translate(template, lang, **match.groupdict())
    return text


def translated(details, lang: str):
    """A validation error's details with every message (never a key) in `lang`."""
    if lang == "en":
        return details
    if isinstance(details, dict):
        return {key: translated(value, lang) for key, value in details.items()}
    if isinstance(details, list):
        return [translated(value, lang) for value in details]
    return translate_message(details, lang) if isinstance(details, str) else details
