from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.quantity import MAX_QUANTITY, format_quantity, parse_quantity


@pytest.mark.parametrize("value, milli", [("12.5", 12_500), (12.5, 12_500), (3, 3_000), ("0.001", 1),
                                          (" 7 ", 7_000), ("-2.25", -2_250), (1e3, 1_000_000), ("-0.5", -500),
                                          ("007.10", 7_100), ("-0", 0), ("१२", 12_000), ("१२.५", 12_500),
                                          ("-०.२५", -250), ("1२", 12_000), (".5", 500), ("5.", 5_000)])
def test_parse(value, milli):
    assert parse_quantity(value) == milli


@pytest.mark.parametrize("value", ["0.0001", "abc", "", None, True, "NaN", "Infinity", [1], "1e30",
                                   "9999999999999999", "1_000", "+5", "1E3", "1e3", "١٢", "１２", "12,5", "1 000",
                                   "--5", "0x10", ".", "-", "१२.५.१"])
def test_parse_refuses(value):
    with pytest.raises(ValueError):
        parse_quantity(value)


@pytest.mark.parametrize("value", ["1,000", "12,5", "१,२००"])
def test_a_comma_is_said_to_be_the_trouble(value):
    """'1,000' (as pages write money) was refused as 'must be a decimal number such as "12.5"' only."""
    with pytest.raises(ValueError, match="without commas"):
        parse_quantity(value)


@pytest.mark.parametrize("milli, text", [(12_500, "12.5"), (3_000, "3"), (1, "0.001"), (0, "0"),
                                         (-2_250, "-2.25")])
def test_format(milli, text):
    assert format_quantity(milli) == text
    assert parse_quantity(text) == milli


# parse_quantity reads plain decimal strings and format_quantity writes them with integer
# arithmetic; both must agree with the Decimal arithmetic they replaced, for every value.
def _decimal_parse(value) -> int:
    number = Decimal(str(value).strip())
    if not number.is_finite() or number * 1000 != (number * 1000).to_integral_value():
        raise ValueError
    milli = int(number * 1000)
    if abs(milli) > MAX_QUANTITY:
        raise ValueError
    return milli


def _decimal_format(milli: int) -> str:
    text = str(Decimal(milli) / 1000)
    return text.rstrip("0").rstrip(".") if "." in text else text


@settings(max_examples=500)
@given(st.integers(-MAX_QUANTITY, MAX_QUANTITY))
def test_format_agrees_with_decimal_arithmetic_and_parses_back(milli):
    assert format_quantity(milli) == _decimal_format(milli)
    assert parse_quantity(format_quantity(milli)) == milli


@settings(max_examples=500)
@given(st.from_regex(r"\A-?[0-9]{1,17}(\.[0-9]{0,5})?\Z"))
def test_parse_agrees_with_decimal_arithmetic(text):
    try:
        expected = _decimal_parse(text)
    except (ValueError, InvalidOperation):
        with pytest.raises(ValueError):
            parse_quantity(text)
    else:
        assert parse_quantity(text) == expected


def test_a_figure_too_large_names_the_largest_allowed_and_money_says_amount_in_hindi():
    """'is too large' named no limit, and a price too large was 'मात्रा बहुत बड़ी है' (the quantity) in Hindi."""
    import marshmallow as ma

    from shared.field_messages import translate_message
    from shared.money import Money, Percent
    from shared.quantity import Quantity

    said = {}
    for kind, field in (("quantity", Quantity()), ("money", Money()), ("percent", Percent())):
        with pytest.raises(ma.ValidationError) as refused:
            field.deserialize("9" * 16)
        said[kind] = {lang: translate_message(refused.value.messages[0], lang) for lang in ("en", "hi")}
    assert said["quantity"] == {"en": "is too large: at most 10,00,00,00,00,000 (one lakh crore)",
                                "hi": "मात्रा बहुत बड़ी है: अधिक से अधिक 10,00,00,00,00,000 (एक लाख करोड़)"}
    assert said["money"] == {"en": "is too large: an amount is at most ₹1,00,00,00,00,000 (₹10,000 crore)",
                             "hi": "राशि बहुत बड़ी है: अधिक से अधिक ₹1,00,00,00,00,000 (₹10,000 करोड़)"}
    assert said["percent"]["en"] == "a percentage from 0 to 100"  # a rate is never an amount
    assert MAX_QUANTITY == 10**12 * 1000 and parse_quantity("1000000000000") == MAX_QUANTITY
