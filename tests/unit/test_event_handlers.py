"""The consumers' handler tables: every key is an event type of the contract, so none is silently skipped."""
from __future__ import annotations

import pytest

from services.inventory import consumer as inventory
from services.notifier import domain as notifier_domain, handlers as notifier
from services.requests import consumer as requests
from shared.events import EVENTS_BY_TOPIC, PAYLOADS
from shared.spec import all_specs

TYPES = {type_ for type_, _ in PAYLOADS}


@pytest.mark.parametrize("table", [inventory.EVENT_HANDLERS, requests.EVENT_HANDLERS, notifier.EVENT_HANDLERS],
                         ids=["inventory", "requests", "notifier"])
def test_a_table_names_only_event_types_that_exist(table):
    assert set(table) <= TYPES, set(table) - TYPES


def test_the_notifier_handles_every_type_its_domain_has_a_rule_for():
    ruled = set(notifier_domain.REQUISITION_STATUS) | set(notifier_domain.LEVEL_EFFECTS)
    assert ruled <= set(notifier.EVENT_HANDLERS), ruled - set(notifier.EVENT_HANDLERS)


def test_the_specs_declare_these_very_tables_so_docs_events_md_shows_them():
    tables = {"inventory": inventory.EVENT_HANDLERS, "requests": requests.EVENT_HANDLERS,
              "notifier": notifier.EVENT_HANDLERS}
    declared = {spec.name: spec.event_handlers for spec in all_specs() if spec.consumes}
    assert declared.keys() == tables.keys()
    assert all(declared[name] is table for name, table in tables.items())


@pytest.mark.parametrize("spec", [spec for spec in all_specs() if spec.event_handlers], ids=lambda spec: spec.name)
def test_a_service_handles_only_event_types_of_the_topics_it_reads(spec):
    readable = {schema.__name__ for topic in spec.consumes for schema in EVENTS_BY_TOPIC.get(topic, ())}
    assert set(spec.event_handlers) <= readable, set(spec.event_handlers) - readable
