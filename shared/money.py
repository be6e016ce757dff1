"""Money is integer paise everywhere; JSON carries rupees as decimal strings ("245.50").

Rates (a subsidy, freight, a depot charge) are integer basis points: hundredths of a percent,
so "15" is 1500 and "2.5" is 250. Every money figure computed from a rate or a quantity is
rounded once, to the paisa, half up (`round_half_up`).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import marshmallow as ma
from babel.numbers import format_decimal

from shared.i18n import F_
from shared.quantity import as_typed, ascii_digits

PAISE = 100
MAX_PAISE = 10**11 * PAISE  # ten thousand crore rupees: more than any one bank handles
TOO_LARGE = F_("is too large: an amount is at most ₹1,00,00,00,00,000 (₹10,000 crore)")  # MAX_PAISE, said
BASIS_POINTS = 100  # per percent
MINUS = "\u2212"  # an amount below zero, as every page writes it: "−₹500.00" (an SMS keeps ASCII "-": GSM-7)
_PLAIN = re.compile(r"-?[0-9]{1,13}(?:\.[0-9]{1,2})?")
_LOCALES = {"en": "en_IN", "hi": "hi_IN"}
# thousands grouped as the pages write money (Indian 1,00,000.50) or by threes (100,000.50); never a decimal comma
_GROUPED = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3})(?:\.[0-9]*)?")


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest whole number, halves going up (both not negative)."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("round_half_up takes a numerator >= 0 and a denominator > 0")
    return (2 * numerator + denominator) // (2 * denominator)


def parse_hundredths(value, *, too_many: str, too_large: str = TOO_LARGE) -> int:
    """'245.50', '245.5', 245 or 245.5 -> 24550; refuses a third decimal, NaN, infinities and bools; `too_large`
    says what the largest is (an amount's, unless a rate's is asked for)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(F_('must be a decimal number such as "245.50"'))
    text = as_typed(value) if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    if text is None:  # as people write amounts: Devanagari digits yes, '+', '_' and exponents no
        raise ValueError(F_('must be a decimal number such as "245.50"'))
    if _PLAIN.fullmatch(text):
        whole, _, part = text.partition(".")
        amount = abs(int(whole)) * 100 + int(part.ljust(2, "0") or 0)
        amount = -amount if text.startswith("-") else amount
    else:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(F_('must be a decimal number such as "245.50"')) from None
        if not number.is_finite():
            raise ValueError(F_("must be a finite number"))
        if number * 100 != (number * 100).to_integral_value():
            raise ValueError(too_many)
        amount = int(number * 100)
    if abs(amount) > MAX_PAISE:
        raise ValueError(too_large)
    return amount


def format_hundredths(amount: int, *, keep_zeros: bool) -> str:
    """24550 -> '245.50' (money keeps its zeros), 1500 -> '15' and 250 -> '2.5' (rates do not)."""
    whole, part = divmod(abs(amount), 100)
    sign = "-" if amount < 0 else ""
    if keep_zeros:
        return f"{sign}{whole}.{part:02d}"
    return f"{sign}{whole}.{part:02d}".rstrip("0").rstrip(".") if part else f"{sign}{whole}"


def format_money(paise: int) -> str:
    return format_hundredths(paise, keep_zeros=True)


def parse_money(value) -> int:
    """As parse_hundredths, and rupees as the pages write them, commas between thousands: '1,00,000.50' -> 10000050.
    A comma anywhere else ('12,5') is refused, saying how to write it; rates (Percent) take no commas."""
    if isinstance(value, str) and "," in value:
        text = ascii_digits(value.strip())
        if not _GROUPED.fullmatch(text):
            raise ValueError(F_('a comma only separates thousands, such as "1,000.50"; paise come after a point, '
                                'such as "12.50"'))
        value = text.replace(",", "")
    return parse_hundredths(value, too_many=F_("at most two decimal places (paise)"))


def rupees(paise: int | Fraction, lang: str = "en", *, sms: bool = False, signed: bool = False) -> str:
    """What a person reads: '₹1,23,456.50' (lakh grouping), in the language's number format; below zero
    '−₹500.00' (a minus sign, no space), and with `signed` above zero '+₹257.78' (a figure added in a sum).

    A rate may hold a part of a paisa (a Fraction of paise: ₹245.50 less 15% is 20867.5): it is written exactly,
    '₹208.675', so quantity x rate is the amount beside it (at most 4 decimals of a paisa; money has 2).

    `sms`: for a text message, where English says 'Rs 1,23,456.50': '₹' is not in the GSM-7 alphabet and would
    turn the whole SMS into UCS-2, 70 characters a part instead of 160. A Hindi SMS is UCS-2 anyway: it keeps '₹'.
    Nor is '−' in GSM-7: a text message writes below zero with ASCII '-'."""
    sign = ("-" if sms else MINUS) if paise < 0 else "+" if signed and paise > 0 else ""
    exact = Fraction(abs(paise)) / PAISE
    text = format_decimal(Decimal(exact.numerator) / Decimal(exact.denominator), format="#,##,##0.00####",
                          locale=_LOCALES.get(lang, "en_IN"))
    return f"{sign}Rs {text}" if sms and lang != "hi" else f"{sign}₹{text}"


def percent_text(basis_points: int) -> str:
    return format_hundredths(basis_points, keep_zeros=False)


class Money(ma.fields.Field):
    """Rupees as a decimal string on the wire, integer paise inside; `positive` refuses zero and below."""

    def __init__(self, *, positive: bool = False, not_negative: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.positive, self.not_negative = positive, not_negative

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        try:
            paise = parse_money(value)
        except ValueError as exc:
            raise ma.ValidationError(str(exc)) from None
        if self.positive and paise <= 0:
            raise ma.ValidationError(F_("must be greater than zero"))
        if self.not_negative and paise < 0:
            raise ma.ValidationError(F_("must not be negative"))
        return paise

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format_money(value)


class Percent(ma.fields.Field):
    """A rate from 0 to 100 percent ("15", "2.5") on the wire, basis points inside."""

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        try:
            points = parse_hundredths(value, too_many=F_("at most two decimal places"),
                                      too_large=F_("a percentage from 0 to 100"))
        except ValueError as exc:
            raise ma.ValidationError(str(exc)) from None
        if not 0 <= points <= 100 * BASIS_POINTS:
            raise ma.ValidationError(F_("a percentage from 0 to 100"))
        return points

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else percent_text(value)


def price_on(records, day: str) -> int | None:
    """The price that applies on `day`: of the latest effective day not after it, the one set last."""
    applicable = [r for r in records if r["effective_from"] <= day]
    if not applicable:
        return None
    return max(applicable, key=lambda r: (r["effective_from"], r["set_at"]))["price"]
