"""The broker is memory only: what a relay published but not every reader had is published again."""
from __future__ import annotations

import json
import os
import threading
import time

import pytest
from kafka import KafkaConsumer
from kafka.structs import OffsetAndMetadata

from shared.broker import start_broker, stop_process, wait_for_broker
from shared.envelope import new_event
from shared.kafka import ensure_topics, make_admin, make_producer
from shared.mongo import connect
from shared.relay import OutboxRelay, outbox_push
from shared.retention import COLLECTION, Retention
from tests.conftest import free_port, wait_until

pytestmark = pytest.mark.broker
GROUP = "republish-readers"


class Broker:
    """A Tansu of this test's own on one port, which can be restarted empty."""

    def __init__(self):
        self.port = free_port()
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = start_broker(self.port)
        wait_for_broker(self.port, process=self.process)

    def restart_empty(self) -> None:
        stop_process(self.process)
        self.start()


@pytest.fixture
def own_broker(config):
    broker = Broker()
    yield broker, config.with_(kafka_bootstrap_servers=f"127.0.0.1:{broker.port}", kafka_topic_partitions=1)
    stop_process(broker.process)


def make_relay(db, config, topic):
    producer = make_producer(config, "republish-test")
    retention = Retention(db, topic, (GROUP,), lambda: make_admin(config, "republish-test"))
    return OutboxRelay(db, ["stock"], producer, topic, service="test", retention=retention,
                       renew_producer=lambda: make_producer(config, "republish-test"))


def close(relay) -> None:
    """What the relay's own loop closes when it stops (`OutboxRelay.run`): here the test drives `step`."""
    relay.producer.close()
    relay.retention.close()


def add_events(db, *names) -> list[str]:
    events = [new_event("StockReceived", "VNS/YRN", {
        "movement_id": name, "sku": "YRN", "depot": "VNS", "quantity": 1000, "on_hand": 1000, "available": 1000,
        "by": "test"}, source="test") for name in names]
    db.stock.update_one({"_id": "VNS:YRN"}, {"$push": outbox_push(*events)}, upsert=True)
    return [event.event_id for event in events]


def read(config, topic, *, commit_first: int = 0) -> list[str]:
    """Every event id now in `topic`, read as GROUP, which commits past the first `commit_first`."""
    consumer = KafkaConsumer(topic, bootstrap_servers=config.kafka_bootstrap_servers, group_id=GROUP,
                             enable_auto_commit=False, auto_offset_reset="earliest", max_poll_interval_ms=10000,
                             session_timeout_ms=10000, heartbeat_interval_ms=2500, consumer_timeout_ms=3000)
    try:
        records = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (records and not consumer.poll(timeout_ms=0)):
            for partition, batch in consumer.poll(timeout_ms=1000).items():
                records += batch
        records.sort(key=lambda r: r.offset)
        if commit_first:
            last = records[commit_first - 1]
            consumer.commit({next(iter(consumer.assignment())): OffsetAndMetadata(last.offset + 1, "", -1)})
        return [json.loads(r.value)["event_id"] for r in records]
    finally:
        consumer.close(autocommit=False)


def test_a_restart_on_a_fresh_broker_publishes_again_what_no_reader_had(own_broker, unique):
    broker, config = own_broker
    topic = f"republish.{unique}"
    ensure_topics(config, [topic])
    db = connect("mongomock://localhost").rawbank_test
    ids = add_events(db, "a", "b", "c")
    relay = make_relay(db, config, topic)
    assert relay.step() == 3
    assert read(config, topic, commit_first=2) == ids  # the readers applied a and b, not c
    wait_until(lambda: relay.step() == 0 and relay.retention.settle() == 0 and len(relay.retention.unsettled) == 1,
               message="a and b settled")
    assert db[COLLECTION].count_documents({"settled": True}) == 2
    close(relay)

    broker.restart_empty()  # rawbank stopped hard: the broker's memory is gone
    ensure_topics(config, [topic])
    restarted = make_relay(db, config, topic)
    assert restarted.step() == 1
    assert read(config, topic, commit_first=1) == ids[2:]
    wait_until(lambda: restarted.retention.settle() == 1 or restarted.retention.settled(), message="c settled")
    close(restarted)

    broker.restart_empty()  # everything was read: nothing to publish again
    ensure_topics(config, [topic])
    again = make_relay(db, config, topic)
    assert again.step() == 0
    close(again)


def test_a_running_relay_that_sees_a_fresh_broker_publishes_again(own_broker, unique):
    broker, config = own_broker
    topic = f"republish.{unique}"
    ensure_topics(config, [topic])
    db = connect("mongomock://localhost").rawbank_test
    first = add_events(db, "a", "b")
    relay = make_relay(db, config, topic)
    assert relay.step() == 2

    broker.restart_empty()
    ensure_topics(config, [topic])
    later = add_events(db, "c")
    wait_until(lambda: _step(relay) and db.stock.find_one({"outbox.0": {"$exists": True}}) is None
               and not relay.retention.fresh, 60, message="the relay to publish c and see the fresh broker")
    found = read(config, topic)
    assert set(found) == set(first + later), found  # a and b again, and c (perhaps twice)
    close(relay)


def _step(relay) -> bool:
    try:
        relay.step()
    except Exception:  # the broker is still coming up: the relay's loop retries the same way
        return False
    return True


def test_no_event_leaves_before_the_change_that_made_it_is_on_disk(own_broker, unique, tmp_path, monkeypatch):
    """The durable store writes behind: the relay waits for the disk before it publishes."""
    from shared import durable_store
    broker, config = own_broker
    topic = f"ondisk-{unique}"
    ensure_topics(config, [topic])
    release, real = threading.Event(), os.fdatasync
    monkeypatch.setattr(durable_store.os, "fdatasync", lambda fd: (release.wait(10), real(fd)))
    store = durable_store.DurableStore(tmp_path / "inventory.sqlite")
    db = store.client.rawbank_test
    producer = make_producer(config, "ondisk-test")
    sent_while = []
    send = producer.send

    def watched(*args, **kwargs):  # kafka-python's own send, noting what the disk held at that moment
        sent_while.append((store.writer.durable, store.writer.queued))
        return send(*args, **kwargs)
    producer.send = watched
    relay = OutboxRelay(db, ["stock"], producer, topic, service="test")
    add_events(db, "a")  # in memory, queued for the disk, which is slow to answer
    threading.Timer(0.5, release.set).start()
    assert relay.run_once() == 1
    assert sent_while and all(durable == queued for durable, queued in sent_while), sent_while
    producer.close()
    store.client.close()
    store.close()
