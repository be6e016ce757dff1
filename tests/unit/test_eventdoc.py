"""docs/events.md is what `make docs` prints now, and what it prints follows the code."""
from __future__ import annotations

import re
from pathlib import Path

import marshmallow as ma
import pytest

from shared import eventdoc, events
from shared.envelope import EnvelopeError, new_event
from shared.spec import all_specs

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_docs_events_md_is_what_make_docs_prints_now():
    assert DOC.read_text(encoding="utf-8") == eventdoc.render(), "docs/events.md is stale: run `make docs`"


@pytest.mark.parametrize("schema", list(events.PAYLOADS.values()), ids=lambda schema: schema.__name__)
def test_every_event_type_says_what_happened_and_which_required_fields_make_its_key(schema):
    assert eventdoc.summary(schema), "give the event type a one-line docstring: what happened"
    named = re.findall(r"\{(\w+)\}", schema.KEY)
    assert named, "declare KEY, e.g. '{requisition_id}'"
    assert all(schema().fields[name].required for name in named)


def test_an_event_whose_key_is_not_its_declared_one_is_refused():
    payload = {"sku": "YRN", "depot": "VNS", "available": 1000, "reorder_level": 5000}
    assert new_event("StockLow", "VNS/YRN", payload, source="test").key == "VNS/YRN"
    with pytest.raises(EnvelopeError, match="key"):
        new_event("StockLow", "YRN/VNS", payload, source="test")


class ThingCounted(events.Payload):
    """A thing was counted."""

    KEY = "{thing}"
    thing = ma.fields.String(required=True)
    how_many = ma.fields.Integer(load_default=0)


def count_again(db, event) -> None:
    """Count the thing once more."""


def test_a_new_event_type_and_its_handler_appear_without_touching_the_generator(monkeypatch):
    topic = next(iter(events.EVENTS_BY_TOPIC))
    reader = next(spec for spec in all_specs() if topic in spec.consumes)
    monkeypatch.setitem(events.EVENTS_BY_TOPIC, topic, events.EVENTS_BY_TOPIC[topic] + (ThingCounted,))
    monkeypatch.setitem(events.PAYLOADS, ("ThingCounted", 1), ThingCounted)
    monkeypatch.setitem(reader.event_handlers, "ThingCounted", count_again)
    text = eventdoc.render()
    assert f"| [ThingCounted](#thingcounted) | `{topic}` | `{{thing}}` |" in text
    assert f"  - {reader.name}: `count_again`: Count the thing once more." in text
    assert "| `how_many` | integer | optional, default `0` |" in text
    assert text != DOC.read_text(encoding="utf-8")
