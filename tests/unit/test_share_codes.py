"""A member's share code lives to the end of a day in India, and the "confirm by" day the member is told is it."""
from datetime import datetime, timedelta, timezone

import pytest

from services.requests import share_rules
from shared.calendar import IST, last_full_day


@pytest.mark.parametrize("sent, last_day", [
    (datetime(2026, 12, 1, 10, 0, tzinfo=IST), "2026-12-15"),  # a morning hand-over
    (datetime(2026, 12, 1, 23, 50, tzinfo=IST), "2026-12-15"),  # late that night: still 1 December in India
    (datetime(2026, 12, 2, 0, 10, tzinfo=IST), "2026-12-16"),  # 1 December in UTC, 2 December in India
])
def test_a_code_works_all_of_its_last_day_in_india_and_that_is_the_day_the_member_is_told(sent, last_day):
    expires_at = share_rules.expires(sent.astimezone(timezone.utc))
    until = datetime.fromisoformat(expires_at)
    assert until.utcoffset() == timedelta(0)  # compared as text with now in UTC
    assert last_full_day(until) == last_day
    last_evening = datetime.fromisoformat(f"{last_day}T23:59:00").replace(tzinfo=IST).astimezone(timezone.utc)
    confirmation = {"status": share_rules.PENDING, "expires_at": expires_at}
    assert share_rules.code_live(confirmation, last_evening.isoformat())
    assert not share_rules.code_live(confirmation, (last_evening + timedelta(minutes=1)).isoformat())


def test_a_deadline_inside_a_day_says_the_day_before_it():
    """A code sent before this rule expired at the hour it was sent: "by" the day before, which it outlives."""
    assert last_full_day(datetime(2026, 12, 15, 4, 30, tzinfo=timezone.utc)) == "2026-12-14"  # 10:00 in India
    assert last_full_day(datetime(2026, 12, 15, 20, 0, tzinfo=timezone.utc)) == "2026-12-15"  # 01:30 on the 16th


@pytest.mark.parametrize("text, parsed", [
    ("Rcv 698192.", ("en", "698192", None, None)), ("RCV698192", ("en", "698192", None, None)),
    ("RCV-698192", ("en", "698192", None, None)), ("RCV 698 192", ("en", "698192", None, None)),
    ("RCV 698192 1.5kgs", ("en", "698192", "1.5", "kg")), ("हाँ ४५९९४५ १.५ कि.ग्रा.", ("hi", "459945", "1.5", "kg")),
    ("हाँ 459945 1.5 किग्रा", ("hi", "459945", "1.5", "kg")), ("RCV 123456 20 m", ("en", "123456", "20", "m")),
    ("RCV 123456 500 g", ("en", "123456", "500", "g")), ("RCV 123456 2 litre", ("en", "123456", "2", "litre")),
    ("हाँ १२३४५६ २ लीटर", ("hi", "123456", "2", "litre")), ("RCV 123456 12 pieces", ("en", "123456", "12", "piece")),
    ("haan 123456 8", ("hi", "123456", "8", None)), ("RCV 123456 3 bags", ("en", "123456", "3", "bags")),
    ("RCV 123456 8 kg received", ("en", "123456", "8", "kg")), ("हाँ 123456 8 किलो मिला", ("hi", "123456", "8", "kg")),
    ("RCV 123456 8 bags received", ("en", "123456", "8", "bags received")),
    ("haan 123456 8 mila hai", ("hi", "123456", "8", None)), ("RCV 123456 8 received.", ("en", "123456", "8", None)),
    ("RCV 123456 8 kg less", ("en", "123456", "8", "kg less")),
    ("हाँ 123456 8 किलो कम", ("hi", "123456", "8", "किलो कम")),
    ("RCV 123456, 8", ("en", "123456", "8", None)), ("RCV 123456: 8 kg", ("en", "123456", "8", "kg")),
    ("RCV 123456 2,5", ("en", "123456", "2,5", None)), ("RCV 123456 1,000 g", ("en", "123456", "1,000", "g")),
    ("RCV 123456 ,5", ("en", "123456", ",5", None)), ("RCV 123456 , 5", ("en", "123456", "5", None)),
    ("RCV 123456 .5", ("en", "123456", ".5", None)), ("हाँ १२३४५६ .५ किलो", ("hi", "123456", ".5", "kg")),
    ("RCV 123456 2.1234", ("en", "123456", "2.1234", None)), ("Rcvd 123456 8", ("en", "123456", "8", None)),
    ("RECD. 123456 8", ("en", "123456", "8", None)), ("हाँ 123456 5 टुकड़े", ("hi", "123456", "5", "piece")),
    ("हाँ 123456 5 टुकडे मिले", ("hi", "123456", "5", "piece")),
    ("haan 123456 5 tukde", ("hi", "123456", "5", "piece")),
    ("RCV 123456.5", None),  # a dot straight after the code: the code mistyped, or half a unit? never guessed
    ("OK 123456 8", None),  # 'OK' acknowledges an SMS as often as it says the goods came: not read as RCV
    ("RCV 123456 thanks", None), ("RCV 1234567", None), ("hello 123456", None)])
def test_the_replies_members_type_are_read_with_the_unit_they_wrote(text, parsed):
    assert share_rules.parse_sms(text) == parsed


def test_a_quantity_in_another_unit_is_converted_only_exactly_and_never_read_as_the_materials_unit():
    assert share_rules.in_unit(500_000, "g", "kg") == 500  # 500 g: 0.5 kg
    assert share_rules.in_unit(2_000, "kg", "g") == 2_000_000
    assert share_rules.in_unit(8_000, None, "kg") == share_rules.in_unit(8_000, "kg", "kg") == 8_000
    for written, unit, quantity in (("m", "kg", 20_000), ("g", "kg", 500_500), ("litre", "m", 2_000),
                                    ("bags", "kg", 3_000)):
        with pytest.raises(share_rules.NotReceivable) as refused:
            share_rules.in_unit(quantity, written, unit)
        assert (refused.value.reason, refused.value.details["unit"]) == ("unit", unit)


@pytest.mark.parametrize("written, names, read", [
    ("planks", ["Mango plank", "आम तख़्ता"], True), ("plank", ["Mango plank"], True),
    ("mango planks received", ["Mango plank"], True), ("तख़्ते", ["Mango plank", "आम तख़्ता"], True),
    ("तख्ते मिले", ["Mango plank", "आम तख़्ता"], True), ("Bamboo poles", ["Bamboo pole"], True),
    ("bags", ["Mango plank", "आम तख़्ता"], False), ("planks kam", ["Mango plank"], False),
    ("planks less", ["Mango plank"], False), ("received", ["Mango plank"], False), (None, ["Mango plank"], False)])
def test_words_naming_a_material_counted_in_pieces_are_read_as_its_pieces(written, names, read):
    """'RCV <code> 5 planks' for mango planks was asked for the quantity in pieces again."""
    assert share_rules.names_the_pieces(written, names) is read