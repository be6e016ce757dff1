import pytest

from shared.quantity import format_quantity, parse_quantity


@pytest.mark.parametrize("given, milli", [("12.5", 12_500), (12.5, 12_500), (3, 3_000), ("0.001", 1),
                                          (" 7 ", 7_000), ("-2.25", -2_250), ("1e3", 1_000_000)])
def test_parse(given, milli):
    assert parse_quantity(given) == milli


@pytest.mark.parametrize("given", ["0.0001", "abc", "", None, True, "NaN", "Infinity", [1], "1e30"])
def test_parse_refuses(given):
    with pytest.raises(ValueError):
        parse_quantity(given)


@pytest.mark.parametrize("milli, text", [(12_500, "12.5"), (3_000, "3"), (1, "0.001"), (0, "0"),
                                         (-2_250, "-2.25")])
def test_format(milli, text):
    assert format_quantity(milli) == text
    assert parse_quantity(text) == milli
