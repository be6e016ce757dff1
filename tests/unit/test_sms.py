"""SMS parts as gateways bill them: GSM-7 160 characters in one part, 153 a part of several; UCS-2 (any character
outside GSM-7, such as '₹' or Devanagari) 70 and 67; and `fit`, which cuts only what it is allowed to."""
from __future__ import annotations

import pytest

from shared import sms


@pytest.mark.parametrize("text, coding, count", [
    ("", "gsm7", 0), ("a" * 160, "gsm7", 1), ("a" * 161, "gsm7", 2), ("a" * 306, "gsm7", 2), ("a" * 307, "gsm7", 3),
    ("€" * 80, "gsm7", 1), ("€" * 81, "gsm7", 2),  # an extension character takes two septets
    ("a" * 152 + "€", "gsm7", 1), ("a" * 152 + "€" + "a" * 7, "gsm7", 2),
    ("a" * 152 + "€" + "a" * 8, "gsm7", 2),  # 161 septets: '€' goes whole to the second part
    ("Pay ₹5", "ucs2", 1), ("₹" * 70, "ucs2", 1), ("₹" * 71, "ucs2", 2), ("क" * 134, "ucs2", 2),
    ("क" * 135, "ucs2", 3), ("…" + "a" * 69, "ucs2", 1),
    ("🧵" * 35, "ucs2", 1), ("🧵" * 36, "ucs2", 2),  # beyond the BMP: two UTF-16 units each
])
def test_parts_count_gsm7_and_ucs2_as_gateways_do(text, coding, count):
    assert (sms.encoding(text), sms.parts(text)) == (coding, count)


def test_rupee_and_rs():
    assert sms.parts("REQ 875b39a2: payment of ₹5,338.35 reversed. You now owe ₹5,338.35 (by 7 Dec 2026).") == 2
    assert sms.parts("REQ 875b39a2: payment of Rs 5,338.35 reversed. You now owe Rs 5,338.35 (by 7 Dec 2026).") == 1


def test_fit_keeps_a_short_text_and_cuts_only_the_pieces_it_is_given():
    assert sms.fit(lambda cut: f"REQ 1 {cut('cotton yarn')}: reply RCV 123456") == "REQ 1 cotton yarn: reply RCV 123456"
    long = sms.fit(lambda cut: f"REQ 1 {cut('Z' * 300)}: reply RCV 123456 if you got it all")
    assert sms.parts(long) == 1 and long.endswith("Z...: reply RCV 123456 if you got it all")  # GSM-7 stays GSM-7
    hindi = sms.fit(lambda cut: f"अनुरोध 1 {cut('ज' * 300)}: हाँ 123456 भेजें")
    assert sms.parts(hindi) == 1 and hindi.endswith("ज…: हाँ 123456 भेजें")


def test_fit_goes_to_two_parts_only_when_one_would_cut_a_piece_below_the_floor():
    fixed = "अनुरोध 1 : पूरा मिला तो हाँ 123456 भेजें, कम मिला तो हाँ 123456 <मात्रा>"  # 70+ characters alone
    text = sms.fit(lambda cut: fixed.replace(" :", f" {cut('ज' * 200)}:"))
    assert sms.parts(text) == 2 and "ज…:" in text and text.endswith("हाँ 123456 <मात्रा>")
    piece = "ज" * 40  # the rest alone is 60 characters: one part would need the piece below 20; two hold it whole
    assert sms.fit(lambda cut: "क" * 60 + cut(piece)) == "क" * 60 + piece
    assert sms.fit(lambda cut: "क" * 40 + cut(piece)) == "क" * 40 + "ज" * 29 + "…"  # one part: cut to 30


def test_fit_cuts_the_end_of_a_fixed_text_too_long_for_two_parts():
    text = sms.fit(lambda cut: "क" * 300)
    assert sms.parts(text) == 2 and text.endswith("…")


def test_a_piece_kept_whole_is_cut_only_to_stay_within_two_parts():
    reason = "ख" * 50
    kept = sms.fit(lambda cut: "क" * 40 + cut(reason, whole=True))  # one part would cut it to 30: two hold it
    assert kept == "क" * 40 + reason
    cut = sms.fit(lambda cut: "क" * 40 + cut(reason * 3, whole=True))
    assert sms.parts(cut) == 2 and cut == "क" * 40 + "ख" * 93 + "…"


def test_within_two_parts_the_names_are_cut_to_their_floor_before_a_reason_is():
    """A Hindi refusal with a long material name lost the end of its reason while the name stayed long (every piece
    was cut to one length): the reason says what to do, the name only which material."""
    reason = "ख" * 80
    text = sms.fit(lambda cut: "क" * 30 + cut("ज" * 60) + cut(reason, whole=True))
    assert sms.parts(text) == 2 and text.endswith(reason) and "ज…" in text, text
