"""How many parts an SMS costs, and how to make a text fit in few of them.

An SMS part carries 140 bytes. A text all in the GSM-7 alphabet (GSM 03.38: Latin letters, digits, common
punctuation) takes 160 characters in one part, 153 a part when it needs more (the rest is the header that joins
them); the extension characters (`€ [ ] { } ^ ~ \\ |` and form feed) take two of those. One character outside it
(`₹`, `…`, any Devanagari) makes the whole text UCS-2: 70 UTF-16 units in one part, 67 a part when more. Gateways
charge by the part, and a board sends to thousands, so every SMS rawbank writes is made to fit (`fit`).
"""
from __future__ import annotations

from typing import Callable

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")
#: (one part, each part of several) in characters (GSM-7 septets or UCS-2 units)
LIMITS = {"gsm7": (160, 153), "ucs2": (70, 67)}
MOST_PARTS = 2  # what rawbank lets one SMS cost


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def encoding(text: str) -> str:
    """'gsm7' when every character is in the GSM-7 alphabet, else 'ucs2'."""
    return "gsm7" if is_gsm7(text) else "ucs2"


def _units(text: str, coding: str) -> list[int]:
    """What each character takes: septets (GSM-7) or UTF-16 code units (UCS-2)."""
    if coding == "gsm7":
        return [2 if ch in GSM7_EXTENDED else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def parts(text: str) -> int:
    """How many parts `text` is sent as (0 for an empty text); a character is never split between two parts."""
    coding = encoding(text)
    units = _units(text, coding)
    single, each = LIMITS[coding]
    if sum(units) <= single:
        return 1 if units else 0
    count, used = 1, 0
    for size in units:
        if used + size > each:
            count, used = count + 1, 0
        used += size
    return count


def clip(text: str, most: int, ellipsis: str = "…") -> str:
    """`text` in at most `most` characters: cut, with `ellipsis` at the end, when it is longer."""
    if len(text) <= most:
        return text
    return text[:max(most - len(ellipsis), 0)].rstrip(" ,;:-") + ellipsis


def fit(make: Callable[[Callable[..., str]], str], *, most_parts: int = MOST_PARTS, floor: int = 20) -> str:
    """The text `make` writes, in one part if cutting what it may cut to `floor` characters does it, else in at
    most `most_parts` parts, cut as little as needed.

    `make(cut)` writes the whole text and passes each piece that may be shortened (a material's name, a depot's)
    through `cut`; what it does not pass (a code, an amount, a date, what to do) is never cut. All cut pieces get
    the same length. A piece passed as `cut(piece, whole=True)` (a reason) is not cut to save the second part, only
    to stay within `most_parts`, and only once the other pieces are at `floor`. The cut ends in '…', or in '...'
    where that keeps the text GSM-7. Should even the pieces cut to nothing leave it longer (a fixed text too long),
    the end of it is cut."""
    whole = make(lambda piece, whole=False: piece)
    if parts(whole) <= 1:
        return whole

    def at(length: int, every: bool) -> str:
        def cutter(ellipsis):
            return lambda piece, whole=False: piece if whole and not every else clip(piece, length, ellipsis)
        plain = make(cutter("..."))
        return plain if is_gsm7(plain) else make(cutter("…"))

    longest = len(whole)
    # one part is not worth cutting a reason; within two, the names are cut to `floor` before the reason is
    for target, shortest, every in ((1, floor, False), (most_parts, floor, False), (most_parts, 1, True)):
        if parts(whole) <= target:
            return whole
        if parts(at(shortest, every)) > target:
            continue
        low, high = shortest, longest  # at(low) fits; find the longest that does
        while low < high:
            middle = (low + high + 1) // 2
            if parts(at(middle, every)) <= target:
                low = middle
            else:
                high = middle - 1
        return at(low, every)
    text = at(1, True)
    ellipsis = "..." if is_gsm7(text) else "…"
    while parts(text) > most_parts:
        text = clip(text, len(text) - 1, ellipsis)
    return text
