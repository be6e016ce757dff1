"""Phone numbers: one phone however typed, and the form an SMS gateway takes."""
import pytest

from shared.phones import e164, ending, phone_key


@pytest.mark.parametrize("typed", ["+919800000001", "+91 98000 00001", "98000 00001", "098000 00001", "919800000001",
                                   "९८००००००01"])
def test_an_indian_number_however_typed_goes_to_the_gateway_as_one(typed):
    assert e164(typed) == "+919800000001"


def test_a_number_typed_with_its_own_country_keeps_it():
    assert e164("+44 20 7946 0958") == "+442079460958"


def test_one_phone_is_one_key_and_an_ending_gives_nothing_else_away():
    assert phone_key("+91 98000 00001") == phone_key("098000 00001") == "9800000001"
    assert (ending("+919811114321"), ending(None), phone_key("12345")) == ("4321", "", None)
