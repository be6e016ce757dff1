"""Quantities are integers in thousandths of a unit; JSON carries decimal strings."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import marshmallow as ma

from shared.i18n import F_, N_

SCALE = 1000
MAX_QUANTITY = 10**12 * SCALE


_PLAIN = re.compile(r"-?[0-9]{1,16}(?:\.[0-9]{1,3})?")
_DECIMAL = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")  # no sign '+', exponent or '_', as people write them
_DEVANAGARI = str.maketrans("०१२३४५६७८९", "0123456789")  # artisans type १२.५ as often as 12.5
NOT_A_NUMBER = F_('must be a decimal number such as "12.5"')
NO_COMMAS = F_('write it without commas, such as "1000" or "12.5"')
TOO_LARGE = F_("is too large: at most 10,00,00,00,00,000 (one lakh crore)")  # MAX_QUANTITY, in units
#: the units a material is counted whole in (no depot hands over half a plank), each with its plural as messages say
#: it; kg, g, m and litre take up to three decimals. Every quantity of such a material that becomes stock, is asked
#: for, comes back or is received is whole: each check is `whole_enough` below (its callers: docs/architecture.md,
#: "Quantities and whole units").
WHOLE_UNITS = {"piece": N_("pieces")}
#: what the OpenAPI document says of a quantity that becomes stock or is asked for
WHOLE_NOTE = "in the material's unit, a decimal string; a whole number for a material counted in pieces " \
             "(422 whole_units_only)"


class TooManyDecimals(ValueError):
    """A quantity finer than a thousandth ('2.1234'): kept in thousandths, never rounded."""


class TooLarge(ValueError):
    """A quantity past MAX_QUANTITY."""


def ascii_digits(text: str) -> str:
    """Devanagari digits (१२.५) as ASCII ones (12.5): people type either."""
    return text.translate(_DEVANAGARI)


def as_typed(text: str) -> str | None:
    """A decimal number as people type it ('12.5', '१२.५', '-3', '.5'), in ASCII digits; None for anything else
    ('+5', '1_000', '1e5', full-width digits): Python and Decimal would read those, a person never writes them."""
    text = ascii_digits(text.strip())
    return text if _DECIMAL.fullmatch(text) else None


def parse_quantity(value) -> int:
    """'12.5', '१२.५' or 12.5 -> 12500; refuses '+', '_', exponents in text, over three decimals (TooManyDecimals),
    past MAX_QUANTITY (TooLarge), NaN, bools: each a ValueError."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(NOT_A_NUMBER)
    if isinstance(value, str):
        if "," in value:  # "1,000" or "12,5": say what is wrong, not only that it is no number
            raise ValueError(NO_COMMAS)
        value = as_typed(value)
        if value is None:
            raise ValueError(NOT_A_NUMBER)
    if isinstance(value, str) and _PLAIN.fullmatch(value):  # the usual "12.5": no Decimal needed
        whole, _, part = value.partition(".")
        milli = abs(int(whole)) * SCALE + int(part.ljust(3, "0") or 0)
        milli = -milli if value.startswith("-") else milli
    else:
        milli = _parse_decimal(value)
    if abs(milli) > MAX_QUANTITY:
        raise TooLarge(TOO_LARGE)
    return milli


def _parse_decimal(value) -> int:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(NOT_A_NUMBER) from None
    if not number.is_finite():
        raise ValueError(F_("must be a finite number"))
    milli = number * SCALE
    if milli != milli.to_integral_value():
        raise TooManyDecimals(F_("at most three decimal places"))
    return int(milli)


def whole_enough(milli: int, unit: str | None) -> bool:
    """Whether `milli` thousandths may be a quantity of a material counted in `unit`: whole units for those in
    WHOLE_UNITS (piece), any for the others."""
    return unit not in WHOLE_UNITS or milli % SCALE == 0


def up_to_whole(milli: int, unit: str | None) -> int:
    """`milli` rounded up to a whole unit for a material counted whole (7.3 pieces to order -> 8), else as it is."""
    return -(-milli // SCALE) * SCALE if unit in WHOLE_UNITS else milli


def format_quantity(milli: int) -> str:
    """12500 -> '12.5'; 3000 -> '3'."""
    whole, part = divmod(abs(milli), SCALE)
    sign = "-" if milli < 0 else ""
    return f"{sign}{whole}.{part:03d}".rstrip("0") if part else f"{sign}{whole}"


class Quantity(ma.fields.Field):
    """A quantity loaded into thousandths and dumped as a decimal string; `positive` refuses zero and below,
    `not_negative` below zero (as Money's)."""

    def __init__(self, *, positive: bool = False, not_negative: bool = False, allow_zero: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.positive, self.not_negative = positive, not_negative
        self.allow_zero = allow_zero

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        try:
            milli = parse_quantity(value)
        except ValueError as exc:
            raise ma.ValidationError(str(exc)) from None
        if self.positive and milli <= 0:
            raise ma.ValidationError(F_("must be greater than zero"))
        if self.not_negative and milli < 0:
            raise ma.ValidationError(F_("must not be negative"))
        if not self.allow_zero and milli == 0:
            raise ma.ValidationError(F_("must not be zero"))
        return milli

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format_quantity(value)
