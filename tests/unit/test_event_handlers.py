"""The consumers' handler tables: every key is an event type of the contract, so none is silently skipped."""
from __future__ import annotations

import pytest

from services.inventory import consumer as inventory
from services.notifier import domain as notifier_domain, handlers as notifier
from services.requests import consumer as requests
from shared.events import PAYLOADS

TYPES = {type_ for type_, _ in PAYLOADS}


@pytest.mark.parametrize("table", [inventory.EVENT_HANDLERS, requests.EVENT_HANDLERS, notifier.EVENT_HANDLERS],
                         ids=["inventory", "requests", "notifier"])
def test_a_table_names_only_event_types_that_exist(table):
    assert set(table) <= TYPES, set(table) - TYPES


def test_the_notifier_handles_every_type_its_domain_has_a_rule_for():
    ruled = set(notifier_domain.REQUISITION_STATUS) | set(notifier_domain.LEVEL_EFFECTS)
    assert ruled <= set(notifier.EVENT_HANDLERS), ruled - set(notifier.EVENT_HANDLERS)
