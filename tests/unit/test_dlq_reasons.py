"""What a dead letter's reason means and what to do next (shared/dead_letters.explain), said for each kind of
reason a consumer writes (shared/consumer.py, shared/envelope.py), and by `rawbank reconcile` as by `rawbank dlq
list`: the raw reason ("{'quantity': ['Must be ...']}") told a district operator nothing they could act on."""
from __future__ import annotations

import pytest

from shared.dead_letters import explain
from shared.reconcile import Report


def letter(reason: str, **more) -> dict:
    return {"event_id": "ev-1", "type": "StockReceived", "topic": "inventory.events.dlq", "partition": 0, "offset": 4,
            "original_topic": "inventory.events", "consumer_group": "rawbank-notifier", "reason": reason, **more}


@pytest.mark.parametrize("reason, english, hindi", [
    ("not JSON: Expecting value: line 1 column 1 (char 0)",
     "The notifier could not read a message on inventory.events as an event (not JSON), so it cannot be sent again",
     "दोबारा नहीं भेजा जा सकता"),
    ("envelope invalid: {'event_id': ['Not a valid UUID.']}",
     "The notifier could not read a message on inventory.events as an event (the field \u201cevent_id\u201d: not a "
     "valid UUID), so it cannot be sent again", "फ़ील्ड \u201cevent_id\u201d: मान्य UUID नहीं है"),
    ("unknown event type 'StockCounted' version 2",
     "The notifier does not know the event type StockCounted (version 2) of the event ev-1, which the inventory "
     "service wrote: update the notifier to the same version as the inventory service, then send it again: "
     "rawbank dlq resend ev-1", "संस्करण 2"),
    ("StockReceived: handler failed 3 times: ValueError('bug')",
     "The notifier failed 3 times applying the StockReceived event ev-1 (ValueError('bug'))", "3 बार लागू नहीं"),
    ("StockReceived: not_found {'requisition_id': 'R9'}",
     "The notifier refused the StockReceived event ev-1: not_found {'requisition_id': 'R9'}. If it is no longer "
     "needed, acknowledge this dead letter's alert to discard it", "अस्वीकार की"),
    ("StockReceived payload invalid: {'lines': {0: {'quantity': ['Not a valid integer.']}}, 'sku': ['Longer than "
     "maximum length 40.']}",
     "The notifier could not apply the StockReceived event ev-1 because its data is wrong: the field "
     "\u201clines[0].quantity\u201d: not a valid integer; the field \u201csku\u201d: longer than maximum length 40.",
     "\u201csku\u201d: अधिकतम लंबाई 40 से ज़्यादा है"),
])
def test_each_kind_of_reason_is_said_with_what_to_do_next_in_english_and_hindi(reason, english, hindi):
    said_en, said_hi = explain(letter(reason), "en"), explain(letter(reason), "hi")
    assert said_en.startswith(english) or english in said_en, said_en
    assert hindi in said_hi and said_hi.startswith("नोटिफ़ायर") and reason not in said_hi, said_hi
    assert ("rawbank dlq resend ev-1" in said_en) is not reason.startswith(("not JSON", "envelope")), said_en


def test_a_reason_cut_at_2000_characters_still_names_the_event_and_what_to_do():
    reason = "StockReceived payload invalid: {'sku': ['Longer than maximum length 40.'], 'depot': ['Miss"
    said = explain(letter(reason), "en")
    assert said.startswith("The notifier could not apply the StockReceived event ev-1 because its data is wrong: "
                           "{'sku'") and said.endswith("rawbank dlq resend ev-1"), said


def test_reconcile_says_what_each_dead_letters_reason_means_under_it_in_both_languages():
    report = Report(dlq=[letter("StockReceived payload invalid: {'quantity': ['Must be greater than or equal to 1.']}",
                                in_broker=True, kept=True)])
    english, hindi = report.lines("en"), report.lines("hi")
    [at] = [n for n, line in enumerate(english) if line.startswith("  ev-1  ")]
    assert "payload invalid: {'quantity'" in english[at] and english[at][:150] == hindi[at][:150]  # as it came
    assert english[at + 1].startswith("    The notifier could not apply the StockReceived event ev-1 because its "
                                      "data is wrong: the field \u201cquantity\u201d: must be greater than or equal "
                                      "to 1."), english
    assert hindi[at + 1].startswith("    नोटिफ़ायर से StockReceived घटना ev-1 लागू नहीं हो सकी"), hindi
    assert len(english) == len(hindi)  # the same lines in each language, as `rawbank reconcile` prints them
