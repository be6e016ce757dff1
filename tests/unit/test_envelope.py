import json
import uuid

import marshmallow as ma
import pytest

from shared import envelope as envelope_module
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


# An event's payload is loaded field by field when its schema is flat (shared/envelope._load): the result,
# and any refusal with its messages, must be the schema's own, for every registered payload.
_CANDIDATES = [None, True, False, 0, 3, -2, 10**6, "", "a", "VNS", "YRN-COT-40", "1.5", "-2", "0", "12.345", "1.2345",
               "12.50", "2026-12-02", "2026-13-01", "x" * 201, "plain", "hill", "2026-12-02T10:00:00+05:30",
               "2026-12-02T10:00:00", "3f0e2b9a-8c1d-4e5f-9a6b-7c8d9e0f1a2b", [], [{"sku": "a", "quantity": "1"}],
               [{"sku": "a", "quantity": "x"}], {}, {"k": 1}, ["a"], 1.5, b"VNS", b"\xff", "x" * 100, "x" * 101]


def _accepted(field) -> list:
    """The candidates `field` loads on its own: drawn from, a payload is valid as a whole."""
    import marshmallow as ma
    taken = []
    named = [choice for check in field.validators if isinstance(check, ma.validate.OneOf) for choice in check.choices]
    for value in [*_CANDIDATES, *named]:
        try:
            field.deserialize(value, "f", {})
            taken.append(value)
        except (ma.ValidationError, TypeError, ValueError):
            pass
    return taken


def _payloads():
    from hypothesis import strategies as st

    def draft(key):
        fields = PAYLOADS[key]().load_fields
        values = {}
        for name, field in fields.items():
            accepted = _accepted(field)
            good = [st.sampled_from(accepted)] if accepted else []
            anything, absent = st.sampled_from(_CANDIDATES), st.just(_ABSENT)
            # mostly what the field takes; an optional one left out as often; now and then anything at all
            values[name] = st.one_of(*good * 10, anything) if field.required else st.one_of(*good * 5, *[absent] * 5,
                                                                                            anything)
        values["unknown_extra"] = st.sampled_from(["x", _ABSENT])
        return st.fixed_dictionaries(values).map(lambda d: {k: v for k, v in d.items() if v is not _ABSENT})
    return st.sampled_from(sorted(PAYLOADS)).flatmap(lambda key: st.tuples(st.just(key), draft(key)))


_ABSENT = object()


def _outcome(load, data):
    import marshmallow as ma
    try:
        return "loaded", load(data)
    except ma.ValidationError as exc:
        return "refused", exc.messages


def test_a_flat_payload_is_loaded_as_its_schema_loads_it():
    from hypothesis import given, settings
    from shared.envelope import _fields_of, _load, _schema

    assert _fields_of("StockReceived", 1) is not None  # the receipt's event is loaded field by field
    wire = new_event("StockReceived", "VNS/YRN-COT-40", receipt(), source="inventory").payload
    for data in (wire, {k: v for k, v in wire.items() if k != "purchase_order"}, {**wire, "purchase_order": "PO-1"},
                 {**wire, "quantity": "abc"}, {k: v for k, v in wire.items() if k != "sku"}):
        assert _outcome(lambda d: _load("StockReceived", 1, d), data) == _outcome(_schema("StockReceived", 1).load, data)
    served, loaded = set(), set()

    @settings(max_examples=1500, deadline=None)
    @given(_payloads())
    def check(drawn):
        (type_, version), data = drawn
        if _fields_of(type_, version) is not None:
            served.add(type_)
        outcome = _outcome(lambda d: _load(type_, version, d), data)
        assert outcome == _outcome(_schema(type_, version).load, data)
        if outcome[0] == "loaded":
            loaded.add(type_)

    check()
    # most types are loaded field by field, and most were drawn valid at least once (refusals are drawn often)
    assert len(served) > len(PAYLOADS) // 2 and len(loaded) > len(PAYLOADS) // 2


def _dumped(dump, data):
    try:
        return "dumped", list(dump(data).items())
    except Exception as exc:  # a value a field cannot write: the same error either way
        return "raised", type(exc), str(exc)


def test_a_flat_payload_is_dumped_as_its_schema_dumps_it():
    """new_event and decode_event dump a payload field by field (shared/envelope._dump): the result, in its order,
    and any error must be the schema's own dump's, for every registered payload, of values loaded or not."""
    from hypothesis import given, settings
    from shared.envelope import _dump, _dumpers, _schema

    assert _dumpers("StockReceived", 1) is not None  # the receipt's event is dumped field by field
    served = set()

    @settings(max_examples=1500, deadline=None)
    @given(_payloads())
    def check(drawn):
        (type_, version), data = drawn
        schema = _schema(type_, version)
        if _dumpers(type_, version) is not None:
            served.add(type_)
        assert _dumped(lambda d: _dump(type_, version, d), data) == _dumped(schema.dump, data)
        try:
            loaded = schema.load(data)
        except ma.ValidationError:
            return
        assert _dumped(lambda d: _dump(type_, version, d), loaded) == _dumped(schema.dump, loaded)

    check()
    assert len(served) > len(PAYLOADS) // 2


def test_an_event_sends_its_defaults_as_the_schema_dumps_them():
    """new_event dumps only the defaults loading filled in (shared/envelope._with_defaults): the payload sent, in its
    order, must be the schema's dump of everything loaded, for every registered payload."""
    from hypothesis import given, settings
    from shared.envelope import _load, _schema, _with_defaults

    filled = set()

    @settings(max_examples=1500, deadline=None)
    @given(_payloads())
    def check(drawn):
        (type_, version), data = drawn
        schema = _schema(type_, version)
        try:
            loaded = schema.load(data)
        except ma.ValidationError:
            return
        keys = {field.attribute or name for name, field in schema.load_fields.items()
                if (field.data_key or name) in data}
        wire = schema.dump({k: v for k, v in loaded.items() if k in keys})  # as our code hands a payload over
        again = _load(type_, version, wire)
        if again.keys() != wire.keys():
            filled.add(type_)
        assert list(_with_defaults(type_, version, wire, again).items()) == list(schema.dump(again).items())

    check()
    assert len(filled) >= 6  # defaults were filled in for several types (12 of 45 in a run of 1,500)
    wire = _schema("StockReceived", 1).dump(receipt())  # the receipt's event: reason, reference, unit_cost filled
    again = _load("StockReceived", 1, wire)
    assert again.keys() - wire.keys() and list(_with_defaults("StockReceived", 1, wire, again).items()) == \
        list(_schema("StockReceived", 1).dump(again).items())


def test_a_payload_schema_with_hooks_or_dotted_attributes_is_loaded_by_the_schema_itself(monkeypatch):
    import marshmallow as ma
    from shared import envelope

    class Hooked(ma.Schema):
        sku = ma.fields.String(required=True)

        class Meta:
            unknown = ma.EXCLUDE

        @ma.post_load
        def upper(self, data, **kwargs):
            return {**data, "sku": data["sku"].upper()}

    class Dotted(ma.Schema):
        sku = ma.fields.String(attribute="line.sku")

        class Meta:
            unknown = ma.EXCLUDE

    class Keyed(ma.Schema):  # flat: loaded field by field, kept under its attribute
        sku = ma.fields.String(data_key="code", required=True)

        class Meta:
            unknown = ma.EXCLUDE

    monkeypatch.setitem(PAYLOADS, ("Keyed", 1), Keyed)
    assert envelope._fields_of("Keyed", 1) is not None and envelope._load("Keyed", 1, {"code": "a"}) == {"sku": "a"}
    monkeypatch.setitem(PAYLOADS, ("Hooked", 1), Hooked)
    monkeypatch.setitem(PAYLOADS, ("Dotted", 1), Dotted)
    assert envelope._fields_of("Hooked", 1) is None and envelope._fields_of("Dotted", 1) is None
    assert envelope._load("Hooked", 1, {"sku": "a"}) == {"sku": "A"}
    assert envelope._load("Dotted", 1, {"sku": "a"}) == {"line": {"sku": "a"}}


def test_the_shortcuts_rest_only_on_marshmallow_methods_it_has_and_a_name_a_release_drops_means_its_own_way():
    """The event's load and dump shortcuts run only for fields whose methods are marshmallow's own (as in 4.x); a
    method a later release renames or drops counts as not (the field's own deserialize/serialize runs), never an
    AttributeError on every event."""
    methods = ("_validate_missing", "_validate", "serialize", "get_value")
    assert envelope_module._as_marshmallows(ma.fields.String, *methods)
    assert not envelope_module._as_marshmallows(ma.fields.String, "_validate", "_a_method_no_release_has")

    class Own(ma.fields.String):
        def _validate(self, value):
            raise ma.ValidationError("never")
    assert not envelope_module._as_marshmallows(Own, "_validate_missing", "_validate")
    field = Own()
    assert envelope_module._loader(field) == field.deserialize  # its own way, with its own check
    with pytest.raises(ma.ValidationError):
        envelope_module._loader(field)("text", "key", {"key": "text"})
