"""Inventory answers applied once and in order per requisition, whatever the delivery."""
from __future__ import annotations

import dataclasses
import itertools
import json

import pytest
from kafka import KafkaConsumer, TopicPartition

from services.requests import consumer, create_app, spec
from shared.envelope import new_event
from shared.errors import Inapplicable
from shared.events import INVENTORY_TOPIC, REQUESTS_TOPIC
from shared.kafka import make_producer
from shared.runtime import Runtime
from shared.worker import Worker
from tests.conftest import wait_until
from tests.integration.test_requests_support import (Client, client, know_depots, know_materials,  # noqa: F401
                                                     price_payload)


def answer(kind, rid, **extra):
    payload = {"requisition_id": rid, "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": 2000}]}
    return new_event(kind, rid, {**payload, **extra}, source="inventory")


def final_state(client, rid):
    doc = client.db.requisitions.find_one({"_id": rid})
    return (doc["status"], doc.get("waitlist_position"), doc.get("stock"),
            [(h["status"], h["by"]) for h in doc["history"]])


def approved_requisition(client, artisan="ART-1"):
    if client.db.artisans.find_one({"_id": artisan}) is None:
        client.register(artisan)
    rid = client.submit(client.artisan(artisan), [("YRN-COT-40", 2)])["id"]
    client.act(rid, "approve", client.admin())
    return rid


def test_duplicates_and_every_delivery_order_leave_the_same_state(client):
    handle = consumer.make_handler(client.db, None)
    outcomes = set()
    for order in itertools.permutations(range(3)):
        rid = approved_requisition(client)
        events = [answer("StockWaitlisted", rid, position=3), answer("StockWaitlisted", rid, position=1),
                  answer("StockReserved", rid)]
        for i in order:
            handle(events[i])
            handle(events[i])  # every one delivered twice
        handle(events[order[0]])
        status, position, stock, history = final_state(client, rid)
        outcomes.add((status, position, stock, history[-1]))
        doc = client.db.requisitions.find_one({"_id": rid})
        assert sorted(doc["applied"]) == sorted(e.event_id for e in events)
        assert doc["version"] == 2 + 3  # submit, approve, then each answer applied exactly once
    assert outcomes == {("reserved", None, None, ("reserved", "inventory"))}


def test_an_answer_before_the_local_approval_is_kept_for_it(client):
    client.register("ART-1")
    rid = client.submit(client.artisan("ART-1"), [("YRN-COT-40", 2)])["id"]
    consumer.make_handler(client.db, None)(answer("StockReserved", rid))
    assert client.get(rid, client.admin())["status"] == "submitted"
    approved = client.act(rid, "approve", client.admin())
    assert approved["status"] == "reserved"
    assert [h["status"] for h in approved["history"]] == ["submitted", "approved", "reserved"]


def test_a_release_after_cancel_and_late_answers_change_nothing_twice(client):
    handle = consumer.make_handler(client.db, None)
    rid = approved_requisition(client)
    handle(answer("StockReserved", rid))
    client.act(rid, "cancel", client.artisan("ART-1"))
    released = answer("StockReleased", rid)
    late = (released, answer("StockWaitlisted", rid, position=1), released, answer("StockReserved", rid))
    for event in late:
        handle(event)
    assert final_state(client, rid)[:3] == ("cancelled", None, "released")


def test_an_answer_for_an_unknown_requisition_is_dead_lettered(client):
    with pytest.raises(Inapplicable):  # dead-lettered at once (shared/errors.OUTCOMES)
        consumer.make_handler(client.db, None)(answer("StockReserved", "no-such-requisition"))


@pytest.mark.broker
def test_answers_through_the_broker_reversed_and_duplicated(broker_config, unique, token):
    name_spec = dataclasses.replace(spec(), name=f"requests-{unique}")
    runtime = Runtime(name_spec, broker_config)
    client = Client(create_app(broker_config, runtime), token)
    know_depots(client.db)
    worker = Worker(runtime).start()
    producer = make_producer(broker_config, "test-inventory")
    try:
        sku = f"YRN-{unique}"
        registered = new_event("MaterialRegistered", sku, {
            "sku": sku, "name": "yarn", "name_hi": "धागा", "category": "yarn", "unit": "kg", "reorder_level": 0},
            source="inventory")
        priced = new_event("MaterialPriced", sku, price_payload(sku, 24_550), source="inventory")
        for sent in (registered, priced):  # approved only at a price
            producer.send(INVENTORY_TOPIC, key=sku.encode(), value=sent.to_bytes()).get(10)
        wait_until(lambda: client.db.materials.find_one({"_id": sku}) and client.db.prices.find_one({"sku": sku}), 40,
                   message="material and its price known")
        artisan_id = f"ART-{unique}"
        client.register(artisan_id, language="hi")
        rid = client.submit(client.artisan(artisan_id), [(sku, 2)])["id"]
        client.act(rid, "approve", client.admin())
        answers = [answer("StockWaitlisted", rid, position=2), answer("StockReserved", rid)]
        for event in reversed(answers + answers):
            producer.send(INVENTORY_TOPIC, key=rid.encode(), value=event.to_bytes()).get(10)
        wait_until(lambda: client.get(rid, client.admin())["status"] == "reserved", 20, message="reserved")
        published = read_requests_events(broker_config, rid, 2)
        assert [e["type"] for e in published] == ["RequisitionSubmitted", "RequisitionApproved"]
        [artisan_event] = read_requests_events(broker_config, artisan_id, 1)
        assert (artisan_event["type"], artisan_event["payload"]["language"]) == ("ArtisanRegistered", "hi")
        wait_until(lambda: not client.db.requisitions.find_one({"_id": rid})["outbox"], 10,
                   message="outbox empty")
        assert final_state(client, rid)[0] == "reserved"
    finally:
        producer.close()
        worker.stop()
        runtime.close()


def read_requests_events(config, key, expect):
    reader = KafkaConsumer(bootstrap_servers=config.kafka_bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(REQUESTS_TOPIC, p) for p in reader.partitions_for_topic(REQUESTS_TOPIC)]
        reader.assign(partitions)
        reader.seek_to_beginning(*partitions)
        found = []

        def enough():
            for batch in reader.poll(timeout_ms=200).values():
                found.extend(json.loads(m.value) for m in batch if m.key == key.encode())
            return len(found) >= expect
        wait_until(enough, 20, message=f"{expect} events of {key} on {REQUESTS_TOPIC}")
        return found
    finally:
        reader.close()
