import json
import uuid

import pytest

from shared.envelope import EnvelopeError, decode_event, new_event
from shared.events import PAYLOADS


def receipt(**overrides):
    payload = {"movement_id": "m1", "sku": "YRN-COT-40", "depot": "VNS", "quantity": 12_500,
               "on_hand": 112_500, "available": 112_500, "by": "warehouse"}
    return {**payload, **overrides}


def test_new_event_fills_the_envelope_and_dumps_quantities_as_decimal_strings():
    event = new_event("StockReceived", "VNS/YRN-COT-40", receipt(), source="inventory", correlation_id="r1")
    uuid.UUID(event.event_id)
    assert event.occurred_at.endswith("Z")
    assert (event.type, event.version, event.source, event.key, event.correlation_id) == (
        "StockReceived", 1, "inventory", "VNS/YRN-COT-40", "r1")
    assert event.payload["quantity"] == "12.5"
    assert event.data["quantity"] == 12_500


def test_round_trip_through_bytes():
    event = new_event("StockReceived", "VNS/YRN-COT-40", receipt(), source="inventory")
    assert decode_event(event.to_bytes()) == event


def test_new_event_refuses_an_invalid_payload():
    with pytest.raises(EnvelopeError, match="sku"):
        new_event("StockReceived", "k", receipt(sku=""), source="inventory")


@pytest.mark.parametrize("raw, reason", [
    (b"\xff\xfe not json", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b"{}", "envelope invalid"),
])
def test_undecodable_messages_say_why(raw, reason):
    with pytest.raises(EnvelopeError, match=reason):
        decode_event(raw)


def envelope(**overrides):
    event = new_event("StockReceived", "VNS/YRN-COT-40", receipt(), source="inventory")
    return {**event.to_dict(), **overrides}


@pytest.mark.parametrize("field, value, reason", [
    ("type", "StockTeleported", "unknown event type"),
    ("version", 99, "unknown event type"),
    ("version", "1", "envelope invalid"),
    ("event_id", "not-a-uuid", "envelope invalid"),
    ("occurred_at", "yesterday", "envelope invalid"),
    ("occurred_at", "2026-11-22T10:00:00", "envelope invalid"),
    ("payload", {"sku": "x"}, "payload invalid"),
    ("payload", "text", "envelope invalid"),
])
def test_invalid_envelopes_are_refused(field, value, reason):
    with pytest.raises(EnvelopeError, match=reason):
        decode_event(json.dumps(envelope(**{field: value})).encode())


def test_missing_envelope_field_is_refused():
    raw = envelope()
    del raw["source"]
    with pytest.raises(EnvelopeError, match="source"):
        decode_event(json.dumps(raw))


def test_every_contract_event_type_is_registered():
    contract = """MaterialRegistered StockReceived StockAdjusted StockTransferred StockReserved
    StockReservationFailed StockWaitlisted StockReleased StockIssued StockLow StockDepleted
    StockReplenished RequisitionSubmitted RequisitionApproved RequisitionRejected
    RequisitionCancelled RequisitionDispatched RequisitionReceived""".split()
    assert set(contract) <= {name for name, _ in PAYLOADS}


def test_optional_payload_fields_left_out_are_sent_with_their_defaults():
    event = new_event("StockReceived", "VNS/YRN-COT-40", receipt(), source="inventory")
    assert (event.payload["supplier"], event.payload["lot"], event.payload["reason"]) == ("", "", "")
    full = new_event("StockReceived", "VNS/YRN-COT-40", receipt(supplier="Mill", lot="L1"), source="inventory")
    assert (full.payload["supplier"], full.payload["lot"], full.payload["quantity"]) == ("Mill", "L1", "12.5")
