"""Rules of a cooperative's requisition split into members' shares, and of confirming a share. Standard library only.

A share is what one member gets: their lines. When the requisition is received, each share waits
for its member's confirmation (`pending`, with a code that expires); the member confirms it in
full (`confirmed`) or says how much they received (`short` when less than the share).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, time, timedelta, timezone

from shared.calendar import IST

AWAITED, PENDING, CONFIRMED, SHORT = "awaited", "pending", "confirmed", "short"
ANSWERED = (CONFIRMED, SHORT)
VIA = ("sms", "ivr", "missed_call", "app", "depot")  # depot: told at the counter, recorded by its staff
CODE_DAYS = 14  # a member's code works this long after the requisition is received (then: the app, or a new code)

_DEVANAGARI = str.maketrans("०१२३४५६७८९", "0123456789")
#: what a member may start a reply with, and the language that says they read
#: ('Rcvd', 'RECD': received, as RCV). Not 'OK': it acknowledges an SMS as often as it says the goods came, and
#: 'OK <code>' would record the share received in full, which its member cannot take back
KEYWORDS = {"rcv": "en", "rcvd": "en", "recd": "en",
            "हाँ": "hi", "हां": "hi", "हा": "hi", "haan": "hi", "haa": "hi", "han": "hi"}  # + Latin
#: a keyword, the six-digit code ('RCV698192', 'RCV-698192', 'RCV 698 192'), then the quantity and its unit if short
#: ('RCV 698192, 8 kg', 'RCV 698192 .5' after a space); a quantity with a comma ('2,5', '1,000') is read as written,
#: for its own reply (inbound)
_MESSAGE = re.compile(r"^\s*([^\s0-9:.,-]+)[\s:.,-]*([0-9]{3})[\s-]?([0-9]{3})(?![0-9])"
                      r"(?:[\s,:]*([0-9]+(?:[.,][0-9]+)*|(?<=[\s,:])\.[0-9]+)\s*([^\s0-9][^0-9]*)?)?$", re.I)
_TRAILING = " \t\r\n.,;:!?।"  # a full stop (or danda) people end a message with
#: what people write after the quantity (dots and spaces left out, lower case) -> the unit's code
UNIT_WORDS = {
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "किलो", "किग्रा", "किलोग्राम", "केजी"),
    "g": ("g", "gm", "gms", "gram", "grams", "gramme", "grammes", "ग्राम", "ग्रा"),
    "m": ("m", "mtr", "mtrs", "meter", "meters", "metre", "metres", "मीटर", "मी"),
    "litre": ("l", "ltr", "ltrs", "lt", "litre", "litres", "liter", "liters", "लीटर", "लिटर", "ली"),
    "piece": ("pc", "pcs", "piece", "pieces", "nos", "no", "नग", "पीस", "टुकड़ा", "टुकड़े", "टुकड़ों", "tukda", "tukde",
              "tukra", "tukre")}
#: words people add after the unit that say nothing more ('8 kg received', '8 किलो मिला है'); any other word, such as
#: 'kam' or 'less' ('8 kg kam': short by 8, or got 8?), leaves the unit unread and the reply asks for it again
SAID = {"received", "recd", "rcvd", "got", "only", "ok", "okay", "thanks", "thank", "you", "mila", "mili", "mile",
        "hai", "ji", "मिला", "मिली", "मिले", "है", "जी", "धन्यवाद"}


def _plain(word: str) -> str:
    """A word as compared: lower case, without dots, and without the nukta many leave out ('टुकडे' for 'टुकड़े')."""
    return unicodedata.normalize("NFD", word.lower()).replace("\u093c", "").replace(".", "")


_UNITS = {_plain(word): code for code, words in UNIT_WORDS.items() for word in words}
_SAID = {_plain(word) for word in SAID}
_DIGITS = re.compile(r"^\s*([0-9]{4,8})(?:[*#]([0-9]+))?\s*#?\s*$")


class NotReceivable(Exception):
    """What a member says they received does not fit their share; `reason` says how."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason, self.details = reason, details


def by_member(lines) -> dict[str, list[dict]]:
    """Lines with an artisan_id, grouped by member in the order members first appear."""
    grouped: dict[str, list[dict]] = {}
    for line in lines:
        grouped.setdefault(line["artisan_id"], []).append({k: v for k, v in line.items() if k != "artisan_id"})
    return grouped


def merged(lines) -> list[dict]:
    """One line per material (the sum of every member's), in the order materials first appear."""
    out: dict[str, dict] = {}
    for line in lines:
        if line["sku"] in out:
            out[line["sku"]]["quantity"] += line["quantity"]
        else:
            out[line["sku"]] = {k: v for k, v in line.items() if k != "artisan_id"}
    return list(out.values())


def parse_sms(text: str) -> tuple[str, str, str | None, str | None] | None:
    """'RCV 482913', 'हाँ ४८२९१३ 8 किलो' or 'Rcv 482913 500 g.' -> (language, code, quantity text or None, the unit
    written after it: its code ('kg', also when only SAID words follow it: '8 kg received', '8 किलो मिला'),
    the words as written when no unit's, or None, also for SAID words only: '8 mila'); None if it is neither."""
    found = _MESSAGE.match(text.translate(_DEVANAGARI).rstrip(_TRAILING))
    if not found or found.group(1).lower() not in KEYWORDS:
        return None
    quantity, written = found.group(4), found.group(5)
    if quantity and re.search(r"\s,$", found.string[:found.start(4)]):  # 'RCV 482913 ,5': the comma a decimal
        quantity = "," + quantity  # point (0.5) or a separator (5)? never guessed: its own reply (inbound)
    unit = None
    if written:
        word = _plain(re.sub(r"\s", "", written))
        first, *rest = (_plain(part.strip(_TRAILING)) for part in written.split())
        plain = all(part in _SAID for part in rest if part)  # nothing more said after the first word
        if not (plain and first in _SAID):  # '8 mila': no unit written
            unit = _UNITS.get(word) or (_UNITS.get(first) if plain else None) or written.strip()
    return KEYWORDS[found.group(1).lower()], found.group(2) + found.group(3), quantity, unit


_NAME_WORD = re.compile(r"[^\s0-9,;:/()&+'\"-]+")  # 'Mango plank 2/40s' -> mango, plank, s


def names_the_pieces(written: str | None, names) -> bool:
    """Whether the words written after a number of a material counted in pieces name the material itself ('5 planks'
    or '5 mango planks' of 'Mango plank', '५ तख़्ते' of 'आम तख़्ता'), SAID words aside: one plank is one piece. Any
    other word ('5 bags', '5 planks less') is not read."""
    words = [_plain(part.strip(_TRAILING)) for part in (written or "").split()]
    words = [word for word in words if word and word not in _SAID]
    forms = {form for name in names if name for word in _NAME_WORD.findall(_plain(name))
             for form in _forms(word)}
    return bool(words) and all(word in forms for word in words)


def _forms(word: str) -> tuple[str, ...]:
    """A word of a material's name and its plurals as people write them: plank(s), box(es), तख़्ता (तख़्ते, तख़्तों)."""
    if word.endswith("\u093e"):  # तख्ता: तख्ते, तख्तों
        return word, word[:-1] + "\u0947", word[:-1] + "\u094b\u0902"
    return word, word + "s", word + "es", (word[:-1] + "ies" if word.endswith("y") else word)


def in_unit(quantity: int, written: str | None, unit: str | None) -> int:
    """A quantity (thousandths) written in `written` as thousandths of the material's `unit`: grams of a material
    in kg (or kg of one in grams) exactly; no unit written is the material's; another unit is refused
    (NotReceivable 'unit'), never read as the material's."""
    if written is None or written == unit or not unit:
        return quantity
    if (written, unit) == ("kg", "g"):
        return quantity * 1000
    if (written, unit) == ("g", "kg") and quantity % 1000 == 0:  # whole grams: exact thousandths of a kg
        return quantity // 1000
    raise NotReceivable("unit", unit=unit, written=written)


def parse_keys(digits: str) -> tuple[str, str | None] | None:
    """Keys pressed on an IVR call: the code, then '*' and the whole units received if short."""
    found = _DIGITS.match(digits.translate(_DEVANAGARI))
    return (found.group(1), found.group(2)) if found else None


def received(share: list[dict], quantity: int | None, lines: list[dict] | None) -> dict[str, int]:
    """sku -> what the member received: the whole share, one quantity of a one-material share, or per line."""
    asked = {line["sku"]: line["quantity"] for line in share}
    if lines:
        got = {line["sku"]: line["quantity"] for line in lines}
        unknown = sorted(set(got) - set(asked))
        if unknown:
            raise NotReceivable("not_in_share", skus=unknown)
        missing = sorted(set(asked) - set(got))
        if missing:  # never taken as received in full: the member did not say
            raise NotReceivable("lines_missing", skus=missing)
    elif quantity is not None:
        if len(asked) > 1:
            raise NotReceivable("lines_needed")
        got = {sku: quantity for sku in asked}
    else:
        got = dict(asked)
    above = sorted(sku for sku in asked if not 0 <= got[sku] <= asked[sku])
    if above:
        raise NotReceivable("above_share", skus=above)
    return got


def short_by(share: list[dict], got: dict[str, int]) -> dict[str, int]:
    """sku -> how much less than the share the member received (only materials that are short)."""
    return {line["sku"]: line["quantity"] - got[line["sku"]] for line in share if got[line["sku"]] < line["quantity"]}


def expires(now: datetime) -> str:
    """When a code sent `now` stops working: as the CODE_DAYS-th day after it ends in India, so the member's
    "confirm by <that day>" holds all that day (it ended at the hour it was sent, in the morning for most).
    In UTC, as `code_live` compares it with now."""
    last_day = (now.astimezone(IST) + timedelta(days=CODE_DAYS)).date()
    return datetime.combine(last_day + timedelta(days=1), time.min, IST).astimezone(timezone.utc).isoformat()


def code_live(confirmation: dict, now_iso: str) -> bool:
    """A share's code works while it waits for its member and has not expired."""
    return confirmation.get("status") == PENDING and now_iso < confirmation.get("expires_at", "")
