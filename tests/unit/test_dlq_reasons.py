"""What a dead letter's reason means and what to do next (shared/dead_letters.explain), said for each kind of
reason a consumer writes (shared/consumer.py, shared/envelope.py), and by `rawbank reconcile` as by `rawbank dlq
list`: the raw reason ("{'quantity': ['Must be ...']}") told a district operator nothing they could act on."""
from __future__ import annotations

import pytest

from types import SimpleNamespace

from services.inventory.errors import InsufficientStock, StockBusy
from services.requests.errors import ArtisanInactive
from shared.dead_letters import error_headers, explain, read
from shared.i18n import translate
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
     "The notifier failed unexpectedly 3 times applying the StockReceived event ev-1: a fault in the notifier or its "
     "store. Its log has the trace under the event id ev-1; once the fault is fixed, send it again: rawbank dlq "
     "resend ev-1", "अनपेक्षित रूप से"),
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


def kept(reason: str, exc: BaseException, group: str = "rawbank-inventory") -> dict:
    """The dead letter a consumer writes when its own handler raised `exc`, as `rawbank dlq` and the notifier read
    it back (shared/dead_letters.read)."""
    headers = [("reason", reason.encode()), ("original_topic", b"requests.events"),
               ("consumer_group", group.encode()), *error_headers(exc)]
    envelope = b'{"event_id": "ev-1", "type": "RequisitionApproved"}'
    return read(SimpleNamespace(topic="requests.events.dlq", partition=0, offset=3, headers=headers, value=envelope))


@pytest.mark.parametrize("exc, service", [
    (InsufficientStock({"sku": "YRN-40", "depot": "VNS", "available": "2", "wanted": "5"}), "The inventory service"),
    (ArtisanInactive({"artisan_id": "ART-9"}), "The requests service"),
])
def test_an_error_a_consumers_own_handler_raised_is_said_by_its_message_in_each_language(exc, service):
    """A handler's own refusal was said as its code and a dict ("insufficient_stock {'sku': 'YRN-40', ...}") inside
    the sentence: it is now the error's own message in the reader's language, then what to do; the reason is kept."""
    group = "rawbank-inventory" if service.startswith("The inventory") else "rawbank-requests"
    letter = kept(f"RequisitionApproved: {exc}", exc, group)
    assert letter["reason"] == f"RequisitionApproved: {exc}" and exc.code in letter["reason"]  # as the consumer wrote
    for lang in ("en", "hi"):
        said, message = explain(letter, lang), exc.describe(lang).rstrip(".।")
        assert message and message in said and exc.code not in said and "{" not in said, said
        assert said.endswith("rawbank dlq resend ev-1"), said
    english = explain(letter, "en")
    assert english.startswith(f"{service} refused the RequisitionApproved event ev-1: {exc.describe('en')} If it "
                              "is no longer needed, acknowledge this dead letter's alert"), english
    assert explain(letter, "hi") != english and translate(exc.message, "hi") != exc.message


def test_a_known_error_that_kept_coming_back_is_said_by_its_message_not_as_python_wrote_it():
    """An error that passes (the stock busy) retried until the consumer gave up was said as its repr
    ("StockBusy('stock_busy', {...})"): it is its message, and to send it again once it has passed."""
    exc = StockBusy({"sku": "YRN-40", "depot": "VNS"})
    letter = kept(f"RequisitionApproved: handler failed 5 times: {exc!r}", exc)
    for lang in ("en", "hi"):
        said = explain(letter, lang)
        assert exc.describe(lang).rstrip(".।") in said and "StockBusy" not in said and "{" not in said, said
        assert "5" in said and said.endswith("rawbank dlq resend ev-1"), said
    assert explain(letter, "en").startswith("The inventory service tried 5 times to apply the RequisitionApproved "
                                            "event ev-1 and could not: This stock is very busy right now"), letter


def test_an_unexpected_exception_has_no_message_of_its_own_and_is_said_as_a_fault_to_find_in_the_log():
    """What the handler raised that is no error of ours keeps no words of its own: the sentence says the consumer
    failed unexpectedly, that its log has the trace under the event id, and to send it again after the fix."""
    letter = kept("RequisitionApproved: handler failed 3 times: KeyError('sku')", KeyError("sku"))
    assert "error_said" not in letter or letter["error_said"] is None
    english, hindi = explain(letter, "en"), explain(letter, "hi")
    assert english.startswith("The inventory service failed unexpectedly 3 times applying the RequisitionApproved "
                              "event ev-1") and "log has the trace under the event id ev-1" in english, english
    assert "KeyError" not in english + hindi and "अनपेक्षित रूप से" in hindi and "ev-1" in hindi, hindi
    assert hindi.endswith("rawbank dlq resend ev-1"), hindi


@pytest.mark.parametrize("reason, headers, code", [
    ("RequisitionApproved: artisan_inactive {'artisan_id': 'ART-9'}", [("error_code", b"artisan_inactive")],
     "artisan_inactive"),  # a code kept, its words not
    ("RequisitionApproved: artisan_inactive {'artisan_id': 'ART-9'}", [], "artisan_inactive"),  # only the reason
    ("RequisitionApproved: handler failed 5 times: StockBusy('stock_busy', {'sku': 'YRN-40'})", [], "stock_busy"),
])
def test_an_old_letter_with_a_known_code_and_no_words_is_said_by_that_codes_own_message_marked_derived(
        reason, headers, code):
    """A letter written before consumers kept error_said was said as its bare code ("artisan_inactive {...}"): the
    code's own message says it, in each language, and `meaning` marks it as derived from that code."""
    envelope = b'{"event_id": "ev-1", "type": "RequisitionApproved"}'
    letter = read(SimpleNamespace(topic="requests.events.dlq", partition=0, offset=3, value=envelope, headers=[
        ("reason", reason.encode()), ("original_topic", b"requests.events"), ("consumer_group", b"rawbank-requests"),
        *headers]))
    kind = {"artisan_inactive": ArtisanInactive, "stock_busy": StockBusy}[code]
    assert letter["error_said"] is None
    for lang in ("en", "hi"):
        said = explain(letter, lang)
        assert translate(kind.message, lang).rstrip(".।") in said and code not in said and "{" not in said, said
        assert said.endswith("rawbank dlq resend ev-1"), said
    from shared.dead_letters import meaning
    assert meaning(letter) == {"code": code, **{lang: translate(kind.message, lang) for lang in ("en", "hi")}}


@pytest.mark.parametrize("reason, headers", [
    ("RequisitionApproved: no_such_code {'sku': 'YRN'}", [("error_code", b"no_such_code")]),  # a code not ours
    ("RequisitionApproved: insufficient_stock {'sku': 'YRN'}", []),  # its message needs the figures
    ("RequisitionApproved: not_found {'requisition_id': 'R9'}", []),  # its errors say different things
    ("RequisitionApproved: business_rule", []),  # no message of its own
    ("RequisitionApproved: requisition R9 was never approved here", []),  # an Inapplicable's words
])
def test_a_code_without_one_message_of_its_own_is_said_as_before_and_nothing_is_derived(reason, headers):
    from shared.dead_letters import meaning
    envelope = b'{"event_id": "ev-1", "type": "RequisitionApproved"}'
    letter = read(SimpleNamespace(topic="requests.events.dlq", partition=0, offset=3, value=envelope, headers=[
        ("reason", reason.encode()), ("original_topic", b"requests.events"), ("consumer_group", b"rawbank-requests"),
        *headers]))
    assert meaning(letter) is None
    english = explain(letter, "en")
    assert english.startswith("The requests service refused the RequisitionApproved event ev-1: "
                              f"{reason.removeprefix('RequisitionApproved: ')}. If it"), english


def test_a_letter_with_its_own_words_says_them_and_derives_nothing():
    from shared.dead_letters import meaning
    refusal = ArtisanInactive({"artisan_id": "ART-9"})
    letter = kept(f"RequisitionApproved: {refusal}", refusal, "rawbank-requests")
    assert letter["error_said"] and meaning(letter) is None


@pytest.mark.parametrize("repr_", ["KeyError('busy')", "ValueError('conflict', 3)", "StockBusy('busy', {})"])
def test_an_exception_whose_repr_only_looks_like_one_of_ours_derives_no_meaning(repr_):
    """An old letter's reason after "handler failed N times: " is the repr of what the handler raised: a KeyError of
    a key named like one of our codes ("busy"), or a class of ours with another class's code, was read as that code
    and said as "This record is very busy". Only one of our errors, its class and its own code, is derived."""
    from shared.dead_letters import meaning
    letter = kept(f"RequisitionApproved: handler failed 3 times: {repr_}", KeyError("busy"))
    assert meaning(letter) is None
    english = explain(letter, "en")
    assert english.startswith("The inventory service failed unexpectedly 3 times applying the RequisitionApproved "
                              "event ev-1"), english
    assert "very busy" not in english and "conflicts" not in english, english
