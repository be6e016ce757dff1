"""Phone numbers as rawbank compares them: one phone however it was typed."""
from __future__ import annotations


def phone_key(phone: str | None) -> str | None:
    """The last ten digits of a phone number: '+91 98000 00001', '098000 00001' and '9800000001' are one phone."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-10:] if len(digits) >= 10 else None


def ending(phone: str | None) -> str:
    """The last four digits, as a message names a number without giving it away ('' for none)."""
    return "".join(ch for ch in phone or "" if ch.isdigit())[-4:]
