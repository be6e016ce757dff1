"""The event envelope every service publishes and consumes, and its registry of payloads."""
from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import marshmallow as ma

from shared.events import PAYLOADS


class EnvelopeError(ValueError):
    """A message that can never be handled: not JSON, unknown type or invalid fields."""


class EnvelopeSchema(ma.Schema):
    event_id = ma.fields.UUID(required=True)
    type = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    version = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))
    occurred_at = ma.fields.AwareDateTime(required=True, format="iso")
    source = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    key = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    correlation_id = ma.fields.String(load_default=None, allow_none=True,
                                      validate=ma.validate.Length(max=200))
    payload = ma.fields.Dict(required=True)


_ENVELOPE = EnvelopeSchema()


@dataclass(frozen=True)
class Event:
    event_id: str
    type: str
    version: int
    occurred_at: str
    source: str
    key: str
    correlation_id: str | None
    payload: dict

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @property
    def data(self) -> dict:
        """The payload loaded by its schema: quantities as integer thousandths."""
        return _load(self.type, self.version, self.payload)

    def to_bytes(self) -> bytes:
        return wire_bytes(self.__dict__)


_FIELDS = tuple(Event.__dataclass_fields__)


def wire_bytes(event: dict) -> bytes:
    """The message of an event given as a dict with the envelope's fields (an Event's, or an outbox entry,
    which may hold more): those fields in the envelope's order, compact JSON, UTF-8."""
    return json.dumps({name: event[name] for name in _FIELDS}, separators=(",", ":"), ensure_ascii=False).encode()


def iso_instant(moment: datetime) -> str:
    """An aware instant as events and records keep theirs: UTC, milliseconds, 'Z' ('2026-11-04T18:30:00.000Z')."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utcnow_iso() -> str:
    return iso_instant(datetime.now(timezone.utc))


def new_event(type_: str, key: str, payload: dict, *, source: str,
              correlation_id: str | None = None, version: int = 1) -> Event:
    """Make an event from a loaded payload (quantities in thousandths), checked by its schema and KEY."""
    schema = _payload_schema(type_, version)
    try:
        wire = _dump(type_, version, payload)
        loaded = _load(type_, version, wire)  # what a consumer will see: the check that it is valid
        if loaded.keys() != wire.keys():  # loading filled in defaults: send them as well
            wire = _with_defaults(type_, version, wire, loaded)
    except ma.ValidationError as exc:
        raise EnvelopeError(f"{type_} v{version} payload invalid: {exc.messages}") from None
    if schema.KEY and key != schema.KEY.format_map(wire):  # the key docs/events.md promises
        raise EnvelopeError(f"{type_} key {key!r} is not {schema.KEY} of its payload")
    return Event(str(uuid.uuid4()), type_, version, utcnow_iso(), source, key, correlation_id, wire)


def decode_event(raw: bytes | str | dict) -> Event:
    """Parse and validate a message; raise EnvelopeError with the reason if it can't be handled."""
    if isinstance(raw, (bytes, str)):
        try:
            raw = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EnvelopeError(f"not JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise EnvelopeError("not a JSON object")
    try:
        envelope = _ENVELOPE.load(raw, unknown=ma.EXCLUDE)
    except ma.ValidationError as exc:
        raise EnvelopeError(f"envelope invalid: {exc.messages}") from None
    type_, version = envelope["type"], envelope["version"]
    try:
        payload = _dump(type_, version, _load(type_, version, envelope["payload"]))  # _load: unknown types refused
    except ma.ValidationError as exc:
        raise EnvelopeError(f"{envelope['type']} payload invalid: {exc.messages}") from None
    return Event(str(envelope["event_id"]), envelope["type"], envelope["version"],
                 raw["occurred_at"], envelope["source"], envelope["key"],
                 envelope["correlation_id"], payload)


def _payload_schema(type_: str, version: int) -> ma.Schema:
    if (type_, version) not in PAYLOADS:
        raise EnvelopeError(f"unknown event type {type_!r} version {version}")
    return _schema(type_, version)


@functools.cache
def _schema(type_: str, version: int) -> ma.Schema:
    """One instance per payload type: building a schema costs more than using it (stateless)."""
    return PAYLOADS[(type_, version)]()


def _load(type_: str, version: int, data) -> dict:
    """The payload schema's `load` of `data`, by `_fields_of` when it serves; EnvelopeError for an unknown type."""
    schema = _payload_schema(type_, version)
    fields = _fields_of(type_, version)
    if fields is None or type(data) is not dict:
        return schema.load(data)
    loaded = {}
    try:
        for key, name, load in fields:
            value = load(data.get(key, ma.missing), key, data)
            if value is not ma.missing:
                loaded[name] = value
    except ma.ValidationError:
        return schema.load(data)  # raises it with every field's message, as always
    return loaded


def _dump(type_: str, version: int, payload) -> dict:
    """The payload schema's `dump` of `payload`, by `_dumpers` when it serves."""
    dumpers = _dumpers(type_, version)
    if dumpers is None or type(payload) is not dict:
        return _schema(type_, version).dump(payload)
    wire = {}
    for key, dump in dumpers:
        value = dump(payload)
        if value is not ma.missing:
            wire[key] = value
    return wire


@functools.cache
def _dumpers(type_: str, version: int) -> tuple | None:
    """(data key, dumper) of each field a flat payload schema dumps, or None for any other schema.

    marshmallow's `Schema.dump` of a schema with no pre_dump or post_dump hooks, not many and its own
    `get_attribute`, is each field's `serialize(name, obj, accessor=schema.get_attribute)`, kept unless missing,
    under its data key: that is what `_dump` runs, without the machinery around it. tests/unit/test_envelope.py
    compares both for every payload.
    """
    schema = _schema(type_, version)
    if (schema.many or schema.dict_class is not dict or any(schema._hooks.values())
            or type(schema).get_attribute is not ma.Schema.get_attribute):
        return None
    return tuple((field.data_key if field.data_key is not None else name, _dumper(field, name, schema.get_attribute))
                 for name, field in schema.dump_fields.items())


def _dumper(field: ma.fields.Field, name: str, accessor):
    """`field.serialize(name, obj, accessor=accessor)` of a dict `obj`, shorter where it comes to the same.

    `Field.serialize` takes the value by the schema's `get_attribute`, which for a dict holding the attribute (no
    dot in it) is that item, then gives it to `_serialize`; a plain String's `_serialize` of a `str` is the `str`.
    Anything else (an attribute absent or dotted, a field with its own way to get or serialize) is `serialize`.
    """
    serialize = field.serialize
    attribute = field.attribute or name
    kind = type(field)
    if (not getattr(field, "_CHECK_ATTRIBUTE", False) or not _as_marshmallows(kind, "serialize", "get_value")
            or "." in attribute):
        return lambda obj: serialize(name, obj, accessor=accessor)
    convert = field._serialize
    text = kind is ma.fields.String

    def dump(obj):
        value = obj.get(attribute, ma.missing)
        if value is ma.missing:
            return serialize(name, obj, accessor=accessor)
        return value if text and type(value) is str else convert(value, name, obj)
    return dump


def _with_defaults(type_: str, version: int, wire: dict, loaded: dict) -> dict:
    """The schema's dump of `loaded`, the payload `wire` loaded with its defaults filled in: `wire`'s own values
    kept and only the fields it lacked dumped, in the schema's order.

    A flat payload's dumped values load and dump back to themselves, so this is what dumping all of `loaded`
    again gives, at the cost of the defaults alone (an event's second dump was a quarter of making it);
    tests/unit/test_envelope.py compares both for every payload. Any other schema dumps `loaded` itself.
    """
    fields = _flat_fields(type_, version)
    schema = _schema(type_, version)
    if fields is None or schema.dump_fields.keys() != schema.load_fields.keys():
        return schema.dump(loaded)
    dumped = {}
    for key, attribute, field in fields:
        if key in wire:
            dumped[key] = wire[key]
        elif attribute in loaded and (value := field.serialize(field.name, loaded)) is not ma.missing:
            dumped[key] = value
    return dumped


@functools.cache
def _fields_of(type_: str, version: int) -> tuple | None:
    """(data key, attribute, loader) of each field a flat payload schema loads (_flat_fields), or None for any other;
    the loader is the field's `deserialize`, or one that comes to the same (_loader)."""
    fields = _flat_fields(type_, version)
    return None if fields is None else tuple((key, attribute, _loader(field)) for key, attribute, field in fields)


@functools.cache
def _flat_fields(type_: str, version: int) -> tuple | None:
    """(data key, attribute, field) of each field a flat payload schema loads, or None for any other.

    marshmallow's `Schema.load` of a schema with no hooks (pre_load, validates, validates_schema,
    post_load), unknown keys excluded, nothing partial and plain attribute names is each field's
    `deserialize` of its key's value, kept unless missing: that is what this runs, without the
    machinery around it (a third of the cost of an event's check). Any refusal is loaded again by
    the schema itself, so the error is the schema's own. tests/unit/test_envelope.py compares both.
    """
    schema = _schema(type_, version)
    if (schema.many or schema.partial is not None or schema.unknown != ma.EXCLUDE or schema.dict_class is not dict
            or any(schema._hooks.values())):
        return None
    fields = []
    for name, field in schema.load_fields.items():
        attribute = field.attribute or name
        if "." in attribute:
            return None
        fields.append((field.data_key if field.data_key is not None else name, attribute, field))
    return tuple(fields)


def _loader(field: ma.fields.Field):
    """`field.deserialize`, or a shorter way to the same result for the values most events carry.

    marshmallow's `Field.deserialize` of a value neither missing nor None checks nothing more (required, null),
    runs the field's pre_load functions, its `_deserialize`, then its validators. So for a field with neither
    pre_load nor validators (a quantity, a date) it is `_deserialize` of the value; for a plain String checked only
    by lengths, a `str` within them is that `str` itself (`ensure_text_type` of a str is the str). Those are
    answered here, without marshmallow's machinery around them (a field's check cost as much again); anything
    else, refusals included, is the field's own `deserialize`. tests/unit/test_envelope.py compares the loads
    with the schema's for every payload, valid and not.
    """
    deserialize = field.deserialize
    kind = type(field)
    if getattr(field, "pre_load", True) or not _as_marshmallows(kind, "deserialize", "_validate_missing", "_validate"):
        return deserialize
    if not field.validators:
        convert = field._deserialize

        def plain(value, key, data):
            return deserialize(value, key, data) if value is ma.missing or value is None else convert(value, key, data)
        return plain
    if kind is not ma.fields.String or not all(type(check) is ma.validate.Length and check.equal is None
                                              for check in field.validators):
        return deserialize
    shortest = max((check.min for check in field.validators if check.min is not None), default=0)
    longest = min((check.max for check in field.validators if check.max is not None), default=None)

    if longest is None:
        def text(value, key, data):
            return value if type(value) is str and len(value) >= shortest else deserialize(value, key, data)
    else:
        def text(value, key, data):
            return value if type(value) is str and shortest <= len(value) <= longest else deserialize(value, key, data)
    return text


def _as_marshmallows(kind: type, *methods: str) -> bool:
    """Whether a field class has marshmallow's own `Field` methods of these names: the shortcuts above rest on what
    they do in marshmallow 4. A name a later release no longer has counts as not (its field's own load or dump
    then runs), so an upgrade can make an event slower but never wrong or failing."""
    return all(getattr(kind, name, None) is getattr(ma.fields.Field, name, _ABSENT) for name in methods)


_ABSENT = object()
