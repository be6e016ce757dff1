"""Poison messages of every kind go to the dead-letter topic with their reason; admins see an alert.

A message that can never be handled must not stop its partition: each one below is followed
by a good event that must still be applied.
"""
from __future__ import annotations

import json
import uuid

import pytest
from kafka import KafkaProducer

from shared.envelope import new_event
from shared.events import dlq_topic
from shared.dead_letters import explain, read_dlq
from tests.conftest import wait_until
from tests.faults.harness import Stack

pytestmark = pytest.mark.broker


@pytest.fixture
def stack(broker_config):
    stack = Stack(broker_config, names=("inventory", "requests", "notifier"))
    for service in stack.services.values():
        service.start_worker()
    yield stack
    stack.close()


def envelope(type_: str, payload: dict, **changes) -> dict:
    body = {"event_id": str(uuid.uuid4()), "type": type_, "version": 1, "occurred_at": "2026-11-22T02:00:00.000Z",
            "source": "test", "key": "poison", "correlation_id": None, "payload": payload}
    return {**body, **changes}


def poison(suffix: str) -> dict[str, bytes]:
    """name -> raw message; every one of them can never be handled."""
    received = {"movement_id": "m1", "sku": "S", "depot": "D", "quantity": "1", "on_hand": "1",
                "available": "1", "by": "test"}
    missing = dict(received)
    del missing["movement_id"]
    return {
        "not_json": b"\xff\xfe{this is not json",
        "not_an_object": b"[1, 2, 3]",
        "unknown_type": json.dumps(envelope("StockTeleported", received)).encode(),
        "old_version": json.dumps(envelope("StockReceived", received, version=0)).encode(),
        "unknown_version": json.dumps(envelope("StockReceived", received, version=7)).encode(),
        "missing_fields": json.dumps(envelope("StockReceived", missing)).encode(),
        "huge": json.dumps(envelope("StockReceived", {**received, "reason": "x" * 800_000})).encode(),
        "never_applicable": json.dumps(envelope("RequisitionDispatched", {
            "requisition_id": f"never-approved-{suffix}", "artisan_id": "A", "depot": "D",
            "lines": [{"sku": "S", "quantity": "1"}], "by": "test"})).encode(),
    }


EXPECTED_REASON = {
    "not_json": "not JSON", "not_an_object": "not a JSON object", "unknown_type": "unknown event type",
    "old_version": "envelope invalid", "unknown_version": "unknown event type 'StockReceived' version 7",
    "missing_fields": "payload invalid", "huge": "payload invalid", "never_applicable": "never approved",
}


def test_every_kind_of_poison_is_dead_lettered_with_its_reason_and_raises_an_admin_alert(stack):
    notifier = stack["notifier"]
    topic = stack.topics["inventory"]
    wait_until(lambda: all(s.workers[-1][0].consumer is not None and s.workers[-1][0].consumer.ready.is_set()
                           for s in stack.services.values() if s.spec.consumes), 60,
               message="every consumer has its partitions")
    messages = poison(stack.suffix)
    producer = KafkaProducer(bootstrap_servers=stack.config.kafka_bootstrap_servers, acks="all",
                             max_request_size=2_000_000)
    markers = []
    try:
        for name, value in messages.items():
            producer.send(topic if name != "never_applicable" else stack.topics["requests"],
                          key=b"poison", value=value, headers=[("test", name.encode())]).get(30)
            marker = new_event("DepotRegistered", f"MARK-{name}", {"code": f"MARK-{name}", "name": name,
                                                                   "district": "Varanasi"}, source="test")
            producer.send(topic, key=b"poison", value=marker.to_bytes()).get(30)  # same partition, after it
            markers.append(f"MARK-{name}")
    finally:
        producer.close()
    wait_until(lambda: notifier.db.depots.count_documents({"_id": {"$in": markers}}) == len(markers), 60,
               message="the partition kept moving: every marker after a poison message was applied")

    def missing(found):
        """(service, kind, reasons) of every expected dead letter not among `found` yet."""
        by_group = {}
        for entry in found:
            by_group.setdefault(entry["consumer_group"], []).append(entry["reason"])
        gaps = []
        for service in ("inventory", "notifier"):
            reasons = by_group.get(stack[service].spec.group_id, [])
            for name, reason in EXPECTED_REASON.items():
                if name == "never_applicable" and service == "notifier":
                    continue  # the notifier only records a dispatch it cannot place; inventory cannot apply it
                if not any(reason in r for r in reasons):
                    gaps.append((service, name, reasons))
        return gaps

    def dead_letters():  # each consumer retries at its own pace: wait for every expected one, not a count
        found = read_dlq(stack.config, [dlq_topic(stack.topics["inventory"]), dlq_topic(stack.topics["requests"])])
        return found if len(found) >= 2 * (len(messages) - 1) + 1 and not missing(found) else None
    found = wait_until(dead_letters, 60, interval=1.0, message="every kind of dead letter from both consumers")
    assert missing(found) == []
    huge = [e for e in found if e["truncated_from"]]
    assert huge and all(e["size"] <= 512 * 1024 for e in huge)
    for entry in found:  # each real reason as `rawbank dlq list` and the alert say it: marshmallow's words in words
        said = {lang: explain(entry, lang) for lang in ("en", "hi")}
        assert all(entry["reason"] not in text for text in said.values()), said
        if "invalid: {" in entry["reason"]:
            assert not any("{'" in text or "Missing data" in text for text in said.values()), said
    assert any("\u201cmovement_id\u201d: not given" in explain(e, "en") for e in found)

    def dead_letter_alerts():
        response = notifier.call("GET", "/alerts?kind=dead_letter&limit=100", stack.admin)
        return response.get_json() if len(response.get_json()) >= 4 else None
    alerts = wait_until(dead_letter_alerts, 60, interval=0.5, message="dead-letter alerts for the admin")
    assert {a["status"] for a in alerts} == {"open"}
    assert {"critical"} == {a["severity"] for a in alerts}
    print(json.dumps(alerts[0], ensure_ascii=False)[:500])
