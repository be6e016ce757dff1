"""Phone numbers as rawbank compares them: one phone however it was typed."""
from __future__ import annotations

import re
import unicodedata

from shared import backfills
from shared.quantity import ascii_digits

#: Marks a phone's contacts app puts around a number copied from it (direction marks and isolates), and the
#: no-break spaces some keyboards type: invisible, never part of the number.
_INVISIBLE = {**dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")),
              0xa0: " ", 0x202f: " "}
_HYPHENS = re.compile(r"(?<=[0-9])[-\u2010\u2011\u2012\u2013](?=[0-9])")


def as_typed(phone: str) -> str:
    """A phone number as people type or paste it, written with ASCII digits and spaces: '९८०००-०००२१' is
    '98000 00021', '\u202a+91 98000 00021\u202c' (copied from a phone's contacts) is '+91 98000 00021'.
    Anything else stays as typed, for the field's check to refuse."""
    text = ascii_digits(phone.translate(_INVISIBLE)).strip()
    return _HYPHENS.sub(" ", text)


def phone_key(phone: str | None) -> str | None:
    """The last ten digits of a phone number: '+91 98000 00001', '098000 00001' and '9800000001' are one phone."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-10:] if len(digits) >= 10 else None


#: the backfill of `phone_key` (shared.backfills): once done, a start no longer looks for artisans without one
PHONE_KEYS = "artisans.phone_key"


def fill_phone_keys(db) -> int:
    """The `phone_key` of each artisan record (`db.artisans`) kept before records had one (a phone it shared, or an
    SMS from it, was not known as that artisan's until the record was next saved): run at start; how many were
    filled. Twice is once: a record with a key (None for no phone) is not looked at again, and one whose phone
    changed meanwhile is left to the key its own save gave it. Once a pass has run whole it is marked done
    (shared.backfills) and later starts do not look again: every save since gives a record its key."""
    return backfills.once(db, PHONE_KEYS, lambda: _fill_phone_keys(db.artisans))


def _fill_phone_keys(artisans) -> int:
    filled = 0
    for doc in list(artisans.find({"phone_key": {"$exists": False}}, {"phone": 1})):
        phone = doc.get("phone")
        filled += artisans.update_one({"_id": doc["_id"], "phone_key": {"$exists": False}, "phone": phone},
                                      {"$set": {"phone_key": phone_key(phone)}}).modified_count
    return filled


def ending(phone: str | None) -> str:
    """The last four digits, as a message names a number without giving it away ('' for none)."""
    return "".join(ch for ch in phone or "" if ch.isdigit())[-4:]


def e164(phone: str, country: str = "91") -> str:
    """The number as an SMS gateway takes it, '+<country><number>': a phone typed '98000 00001', '098000 00001' or
    '+91 98000 00001' is '+919800000001' (India's ten-digit numbers; one typed with '+' keeps its own country)."""
    digits = "".join(str(unicodedata.decimal(ch)) for ch in phone if ch.isdecimal())  # ९ is 9 to a gateway
    if phone.strip().startswith("+"):
        return f"+{digits}"
    if len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) == 10:
        return f"+{country}{digits}"
    if len(digits) == 12 and digits.startswith(country):
        return f"+{digits}"
    return digits
