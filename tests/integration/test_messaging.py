"""The shared Kafka parts against a real broker: consumer loop, dead letters, outbox relay."""
import os
import signal
import threading
from contextlib import contextmanager

import pytest
from kafka import KafkaConsumer, TopicPartition
from prometheus_client import REGISTRY

from services.notifier import event_log
from shared.config import Config
from shared.consumer import ConsumerLoop
from shared.envelope import new_event
from shared.errors import Busy, NotFound
from shared.kafka import ensure_topics, make_producer
from shared.mongo import connect
from shared.relay import OutboxRelay, outbox_push
from tests.conftest import WatchedWakeup, wait_until

pytestmark = pytest.mark.broker


def receipt_event(n: int = 1):
    return new_event("StockReceived", "VNS/YRN", {
        "movement_id": f"m{n}", "sku": "YRN", "depot": "VNS", "quantity": n * 1000,
        "on_hand": n * 1000, "available": n * 1000, "by": "test"}, source="test")


@pytest.fixture
def topic(broker_config, unique):
    name = f"test-{unique}"
    ensure_topics(broker_config, [name])
    return name


def test_topics_come_with_their_dead_letter_topic_and_its_own(broker_config, topic):
    """The notifier's reading of a dead-letter topic dead-letters in turn: that topic must exist on a broker that
    does not create topics on first use."""
    from shared.kafka import make_admin
    admin = make_admin(broker_config, "test")
    try:
        assert {topic, f"{topic}.dlq", f"{topic}.dlq.dlq"} <= set(admin.list_topics())
    finally:
        admin.close()


@pytest.fixture
def producer(broker_config):
    producer = make_producer(broker_config, "test")
    yield producer
    producer.close()


@contextmanager
def running(loop: ConsumerLoop):
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    try:
        # A group's first join takes about its rebalance timeout (10 s here), longer on a loaded machine: the
        # tests' own waits start once the loop holds its partitions, not while it is still joining.
        assert loop.ready.wait(60), "the consumer loop never joined its group"
        yield loop
    finally:
        stop.set()
        thread.join(20)
        assert not thread.is_alive()


def read_all(config, topic: str, expect: int, timeout: float = 15.0):
    """Every message on a topic's partitions, read without a consumer group."""
    consumer = KafkaConsumer(bootstrap_servers=config.kafka_bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        found = []

        def enough():
            for batch in consumer.poll(timeout_ms=200).values():
                found.extend(batch)
            return len(found) >= expect
        wait_until(enough, timeout, message=f"{expect} messages on {topic}")
        return found
    finally:
        consumer.close()


def _handled(topic: str) -> float:
    return REGISTRY.get_sample_value("rawbank_events_handled_total",
                                     {"service": "test", "topic": topic, "type": "StockReceived"}) or 0


def test_round_trip_and_offsets_committed_after_handling(broker_config, topic, producer, unique):
    seen = []
    group = f"g-{unique}"
    sent = [receipt_event(n) for n in range(1, 4)]
    for event in sent:
        producer.send(topic, key=event.key.encode(), value=event.to_bytes()).get(10)
    with running(ConsumerLoop(broker_config, service="test", group_id=group, topics=[topic],
                              handler=seen.append, producer=producer)):
        wait_until(lambda: len(seen) == 3, message="three events handled")
    assert sorted(e.event_id for e in seen) == sorted(e.event_id for e in sent)
    assert seen[0].data["quantity"] in (1000, 2000, 3000)
    assert _handled(topic) == 3  # each event counted once in rawbank_events_handled_total

    later = receipt_event(9)
    producer.send(topic, key=later.key.encode(), value=later.to_bytes()).get(10)
    again = []
    with running(ConsumerLoop(broker_config, service="test", group_id=group, topics=[topic],
                              handler=again.append, producer=producer)) as loop:
        wait_until(lambda: again, message="the new event")
        loop.ready.wait(5)
    assert [e.event_id for e in again] == [later.event_id]
    assert _handled(topic) == 4  # a new loop counts on the same series


def test_poison_message_goes_to_the_dlq_and_the_partition_keeps_moving(broker_config, topic, producer, unique):
    good = receipt_event()
    for value in (b"{not json", b'{"type": "Nope"}', good.to_bytes()):
        producer.send(topic, key=b"VNS/YRN", value=value).get(10)  # same key: same partition, in order
    seen = []
    with running(ConsumerLoop(broker_config, service="test", group_id=f"g-{unique}", topics=[topic],
                              handler=seen.append, producer=producer)):
        wait_until(lambda: seen, message="the good event after the poison")
    assert [e.event_id for e in seen] == [good.event_id]
    dead = read_all(broker_config, f"{topic}.dlq", 2)
    assert [m.value for m in dead] == [b"{not json", b'{"type": "Nope"}']
    headers = dict(dead[0].headers)
    assert headers["reason"].startswith(b"not JSON")
    assert headers["original_topic"] == topic.encode()
    assert b"envelope invalid" in dict(dead[1].headers)["reason"]


def test_handler_failing_after_its_effect_is_retried_and_the_effect_stored_once(
        broker_config, topic, producer, unique):
    db = connect("mongomock://test")["rawbank_notifier"]
    calls = []

    def crash_after_storing_once(event):
        calls.append(event.event_id)
        event_log.record(db, event)
        if len(calls) == 1:
            raise RuntimeError("process died after the write, before the commit")

    event = receipt_event()
    producer.send(topic, key=event.key.encode(), value=event.to_bytes()).get(10)
    with running(ConsumerLoop(broker_config, service="test", group_id=f"g-{unique}", topics=[topic],
                              handler=crash_after_storing_once, producer=producer)):
        wait_until(lambda: len(calls) >= 2, message="the retry")
    assert calls == [event.event_id, event.event_id]
    assert db.events.count_documents({"event_id": event.event_id}) == 1


def test_handler_that_always_fails_is_dead_lettered_after_bounded_retries(broker_config, topic, producer, unique):
    attempts = []

    def broken(event):
        attempts.append(event.event_id)
        raise ValueError("bug")

    event = receipt_event()
    producer.send(topic, key=event.key.encode(), value=event.to_bytes()).get(10)
    with running(ConsumerLoop(broker_config.with_(consumer_max_retries=3), service="test",
                              group_id=f"g-{unique}", topics=[topic], handler=broken, producer=producer)):
        dead = read_all(broker_config, f"{topic}.dlq", 1)
    assert len(attempts) == 3
    assert b"handler failed 3 times" in dict(dead[0].headers)["reason"]


def test_a_dead_letter_of_an_event_sent_again_says_which_sending_it_was(broker_config, topic, producer, unique):
    """`rawbank dlq resend` marks its copy (resend_id): its dead letter carries the mark, so the notifier tells a new
    failure of the copy from a replay of the first."""
    def broken(event):
        raise NotFound({"requisition_id": "R9"})

    event = receipt_event()
    producer.send(topic, key=event.key.encode(), value=event.to_bytes(),
                  headers=[("resent_from", b"x.dlq:0:7"), ("resend_id", b"r1"), ("other", b"not carried")]).get(10)
    with running(ConsumerLoop(broker_config, service="test", group_id=f"g-{unique}", topics=[topic], handler=broken,
                              producer=producer)):
        [dead] = read_all(broker_config, f"{topic}.dlq", 1)
    headers = dict(dead.headers)
    assert (headers["resent_from"], headers["resend_id"], headers["original_topic"]) == (b"x.dlq:0:7", b"r1",
                                                                                          topic.encode())
    assert "other" not in headers


def test_the_error_table_decides_retry_or_dead_letter_at_once(broker_config, topic, producer, unique):
    attempts = []

    def busy_then_gone(event):
        attempts.append(event.event_id)
        if len(attempts) == 1:
            raise Busy(reason="a moment later it passes")      # retried
        raise NotFound({"requisition_id": "R9"})                 # can never apply: no retry

    event = receipt_event()
    producer.send(topic, key=event.key.encode(), value=event.to_bytes()).get(10)
    with running(ConsumerLoop(broker_config.with_(consumer_max_retries=5), service="test",
                              group_id=f"g-{unique}", topics=[topic], handler=busy_then_gone, producer=producer)):
        dead = read_all(broker_config, f"{topic}.dlq", 1)
    assert len(attempts) == 2
    assert dict(dead[0].headers)["reason"] == b"StockReceived: not_found {'requisition_id': 'R9'}"


def test_relay_killed_between_publish_and_removal_republishes_and_the_consumer_dedupes(
        broker_config, topic, producer, unique):
    inventory = connect("mongomock://inventory")["rawbank_inventory"]
    notifier = connect("mongomock://notifier")["rawbank_notifier"]
    event = receipt_event()
    inventory.stock.insert_one({"_id": "VNS/YRN", "on_hand": 1000})
    inventory.stock.update_one({"_id": "VNS/YRN"}, {"$push": outbox_push(event)})

    crashed = OutboxRelay(inventory, ["stock"], producer, topic, service="test", lease_seconds=0)
    doc = crashed.claim("stock")
    assert crashed.publish(doc) == [event.event_id]  # ... and the process dies before remove()

    restarted = OutboxRelay(inventory, ["stock"], producer, topic, service="test", lease_seconds=30)
    assert restarted.run_once() == 1
    assert inventory.stock.find_one({"_id": "VNS/YRN"})["outbox"] == []
    assert restarted.run_once() == 0

    copies = read_all(broker_config, topic, 2)
    assert [m.value for m in copies].count(event.to_bytes()) == 2
    with running(ConsumerLoop(broker_config, service="notifier", group_id=f"g-{unique}", topics=[topic],
                              handler=lambda e: event_log.record(notifier, e), producer=producer)):
        wait_until(lambda: notifier.events.count_documents({}) >= 1, message="the event stored")
        wait_until(lambda: _committed(broker_config, f"g-{unique}", topic) >= 2, message="both copies consumed")
    assert notifier.events.count_documents({"event_id": event.event_id}) == 1


def test_a_leased_document_is_left_alone_by_another_relay(broker_config, topic, producer):
    db = connect("mongomock://inventory")["rawbank_inventory"]
    db.stock.insert_one({"_id": "a", "outbox": [receipt_event().to_dict()]})
    first = OutboxRelay(db, ["stock"], producer, topic, service="one", lease_seconds=60)
    second = OutboxRelay(db, ["stock"], producer, topic, service="two", lease_seconds=60)
    assert first.claim("stock") is not None
    assert second.claim("stock") is None
    assert second.run_once() == 0


def _committed(config, group: str, topic: str) -> int:
    consumer = KafkaConsumer(bootstrap_servers=config.kafka_bootstrap_servers, group_id=group,
                             enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        return sum(consumer.committed(tp) or 0 for tp in partitions)
    finally:
        consumer.close()


def test_the_relay_publishes_a_write_it_is_woken_for_without_waiting_for_its_poll(broker_config, topic, producer):
    """Woken by the write, the relay publishes long before its next look (two minutes away) would."""
    db = connect("mongomock://inventory")["rawbank_inventory"]
    wake, stop = WatchedWakeup(), threading.Event()
    relay = OutboxRelay(db, ["stock"], producer, topic, service="test", interval_ms=120_000, wake=wake)
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert wake.waiting.wait(15), "the relay never went idle"
        event = receipt_event()
        db.stock.insert_one({"_id": "VNS/YRN", "outbox": [event.to_dict()]})
        wake.notify()
        [message] = read_all(broker_config, topic, 1, timeout=30)
        assert message.value == event.to_bytes()
        wait_until(lambda: db.stock.find_one({"_id": "VNS/YRN"})["outbox"] == [], message="the event pulled")
    finally:
        stop.set()
        wake.notify()
        thread.join(20)
    assert not thread.is_alive()


def test_an_event_too_large_to_send_holds_back_only_its_own_document(broker_config, topic, producer, caplog):
    """A message the producer refuses before it leaves (over its max_request_size, 1 MB) failed the whole batch:
    the documents leased with it were sent again and again and never pulled (held back with it for good). Now it
    holds back only its own document's later events; the others go out once; renewing the producer cannot make it
    smaller, so the producer is kept; and its warning is logged once, not at every try."""
    db = connect("mongomock://inventory")["rawbank_inventory"]
    first, second, after, other, another = (receipt_event(n) for n in range(1, 6))
    oversized = {**second.to_dict(), "payload": {**second.payload, "by": "x" * 1_100_000}}
    db.stock.insert_many([{"_id": "big", "outbox": [first.to_dict(), oversized, after.to_dict()]},
                          {"_id": "next", "outbox": [other.to_dict()]}, {"_id": "last", "outbox": [another.to_dict()]}])
    renewed = []
    relay = OutboxRelay(db, ["stock"], producer, topic, service="test", lease_seconds=0,
                        renew_producer=lambda: renewed.append(1) or producer)
    with caplog.at_level("WARNING", logger="shared.relay"):
        for _ in range(3):
            relay.run_once()
    assert [e["event_id"] for e in db.stock.find_one({"_id": "big"})["outbox"]] == [oversized["event_id"],
                                                                                   after.event_id]
    assert db.stock.find_one({"_id": "next"})["outbox"] == [] and db.stock.find_one({"_id": "last"})["outbox"] == []
    sent = [m.value for m in read_all(broker_config, topic, 3)]
    assert sorted(sent) == sorted(e.to_bytes() for e in (first, other, another))
    assert renewed == []
    assert len([r for r in caplog.records if oversized["event_id"] in r.getMessage()]) == 1


def test_a_broker_away_before_the_first_send_costs_one_wait_not_one_per_document(own_broker, unique):
    """With no metadata for the topic yet and the broker not answering, the producer's send waits max_block_ms and
    raises at once. The first document's send is taken as failed; the documents leased with it are not each sent
    after that wait too (100 documents were 100 waits); all keep their events for the next try."""
    process, servers = own_broker
    config = Config.from_env({}).with_(kafka_bootstrap_servers=servers, kafka_request_timeout_ms=1000)
    producer = make_producer(config, "away")
    tried = []
    send = producer.send
    producer.send = lambda *args, **kwargs: tried.append(args[0]) or send(*args, **kwargs)
    db = connect("mongomock://inventory")["rawbank_inventory"]
    db.stock.insert_many([{"_id": name, "outbox": [receipt_event(n).to_dict()]} for n, name in enumerate("abc")])
    relay = OutboxRelay(db, ["stock"], producer, f"never-seen-{unique}", service="test", lease_seconds=0)
    os.kill(process.pid, signal.SIGSTOP)
    try:
        assert relay.run_once() == 0
    finally:
        os.kill(process.pid, signal.SIGCONT)
        producer.close(timeout=0)
    assert len(tried) == 1
    assert all(len(doc["outbox"]) == 1 for doc in db.stock.find())
