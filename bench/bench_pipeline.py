"""Pipeline throughput: events through outbox -> relay -> broker -> consumer with the effect stored, beside
raw kafka-python produce -> consume on the same Tansu broker, in alternating rounds.

    .venv/bin/python bench/bench_pipeline.py [--events 2000] [--rounds 5] [--keys 50] [--json]

Raw: one producer (acks=all, idempotent, as rawbank's) sends N keyed events and a consumer assigned
to the topic's partitions reads all N; timed from the first send to the last event read. Pipeline:
N events are written into the outboxes of `--keys` stock documents (one store update each, as a
movement does; their rate is printed apart, it is the writing request's cost), then the relay is
woken and publishes them, and a consumer loop in its group stores each in the notifier's event log
(deduplicated by id); timed from the wake-up to the last event stored. The median round's ratio
counts. Target: pipeline >= 50% of raw. Asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from kafka import KafkaConsumer, TopicPartition  # noqa: E402

from figures import chart, emit, shown  # noqa: E402
from services.notifier import event_log  # noqa: E402
from shared.broker import start_broker, stop_process, wait_for_broker  # noqa: E402
from shared.config import Config  # noqa: E402
from shared.consumer import ConsumerLoop  # noqa: E402
from shared.envelope import new_event  # noqa: E402
from shared.kafka import ensure_topics, make_producer  # noqa: E402
from shared.mongo import connect  # noqa: E402
from shared.relay import OutboxRelay, outbox_push  # noqa: E402
from shared.wakeup import Wakeup  # noqa: E402
from tests.conftest import free_port  # noqa: E402


def events(count: int, keys: int) -> list:
    return [new_event("StockReceived", f"VNS/M{n % keys:03}", {
        "movement_id": f"m{uuid.uuid4().hex}", "sku": f"M{n % keys:03}", "depot": "VNS", "quantity": 1000,
        "on_hand": n * 1000, "available": n * 1000, "by": "bench"}, source="bench") for n in range(count)]


def wait_for(done, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.002)


class Raw:
    """kafka-python alone: produce keyed events, read them back from assigned partitions."""

    def __init__(self, config: Config, topic: str):
        self.producer = make_producer(config, "bench-raw")
        self.consumer = KafkaConsumer(bootstrap_servers=config.kafka_bootstrap_servers, enable_auto_commit=False,
                                      fetch_max_wait_ms=config.kafka_fetch_max_wait_ms)
        self.topic = topic
        partitions = [TopicPartition(topic, p) for p in self.consumer.partitions_for_topic(topic)]
        self.consumer.assign(partitions)
        self.consumer.seek_to_end(*partitions)
        for partition in partitions:
            self.consumer.position(partition)  # the end now, not lazily at the first poll (after the sends)

    def round(self, batch: list) -> float:
        started = time.perf_counter()
        for event in batch:
            self.producer.send(self.topic, key=event.key.encode(), value=event.to_bytes(),
                               headers=[("type", event.type.encode())])
        read = 0
        while read < len(batch):
            read += sum(len(records) for records in self.consumer.poll(timeout_ms=100, max_records=500).values())
        return len(batch) / (time.perf_counter() - started)

    def close(self):
        self.consumer.close()
        self.producer.close()


class Pipeline:
    """rawbank's own path: store write with outbox, relay woken by it, consumer loop storing the effect."""

    def __init__(self, config: Config, topic: str):
        self.source = connect("mongomock://bench")["rawbank_inventory"]
        self.sink = connect("mongomock://bench-sink")["rawbank_notifier"]
        self.wake, self.stop = Wakeup(), threading.Event()
        self.writes: list[float] = []  # outbox writes per second, each round (the writes are not timed as pipeline)
        self.producer = make_producer(config, "bench-pipeline")
        relay = OutboxRelay(self.source, ["stock"], self.producer, topic, service="bench",
                            interval_ms=60_000, wake=self.wake)  # it looks when woken, not while the writes go on
        self.stored = 0  # events the consumer stored, counted by its handler: asking the sink how many it holds
        # (a count over every event stored, every 2 ms) took the sink's lock from the consumer it was timing
        self.loop = ConsumerLoop(config, service="bench", group_id=f"bench-{uuid.uuid4().hex[:8]}", topics=[topic],
                                 handler=self.store, producer=self.producer)
        self.threads = [threading.Thread(target=part, args=(self.stop,), daemon=True) for part in (relay.run, self.loop.run)]
        for thread in self.threads:
            thread.start()
        wait_for(self.loop.ready.is_set, "the consumer group to form", 120)

    def store(self, event) -> None:
        if event_log.record(self.sink, event):  # False: stored before (a redelivery), not counted again
            self.stored += 1

    def round(self, batch: list) -> float:
        target = self.stored + len(batch)
        started = time.perf_counter()
        for event in batch:
            self.source.stock.update_one({"_id": event.key}, {"$push": outbox_push(event)}, upsert=True)
        self.writes.append(len(batch) / (time.perf_counter() - started))
        started = time.perf_counter()
        self.wake.notify()
        wait_for(lambda: self.stored >= target, "the events to be stored")
        return len(batch) / (time.perf_counter() - started)

    def close(self):
        self.stop.set()
        self.wake.notify()
        for thread in self.threads:
            thread.join(20)
        self.producer.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000, help="events per round (default 2000)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keys", type=int, default=50, help="stock documents the events are spread over")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args(argv)
    port = free_port()
    broker = start_broker(port)
    try:
        wait_for_broker(port, process=broker)
        config = Config.from_env({}, kafka_bootstrap_servers=f"127.0.0.1:{port}", kafka_max_poll_interval_ms=10000)
        raw_topic, pipeline_topic = f"bench-raw-{uuid.uuid4().hex[:6]}", f"bench-pipe-{uuid.uuid4().hex[:6]}"
        ensure_topics(config, [raw_topic, pipeline_topic])
        raw, pipeline = Raw(config, raw_topic), Pipeline(config, pipeline_topic)
        try:
            raw.round(events(200, args.keys))  # warm both up: connections, metadata, first fetches
            pipeline.round(events(200, args.keys))
            rows = []
            for number in range(1, args.rounds + 1):
                row = {"raw": raw.round(events(args.events, args.keys)),
                       "pipeline": pipeline.round(events(args.events, args.keys))}
                rows.append(row)
                print(f"round {number}/{args.rounds}: raw {row['raw']:.0f} events/s, pipeline {row['pipeline']:.0f} "
                      f"events/s = {row['pipeline'] / row['raw']:.0%} of raw", flush=True)
        finally:
            pipeline.close()
            raw.close()
    finally:
        stop_process(broker)
    ratios = [row["pipeline"] / row["raw"] for row in rows]
    figures = {"events_per_round": args.events, "rounds": args.rounds,
               "raw_events_per_s": round(statistics.median(row["raw"] for row in rows)),
               "pipeline_events_per_s": round(statistics.median(row["pipeline"] for row in rows)),
               "ratio": round(statistics.median(ratios), 3),
               "outbox_writes_per_s": round(statistics.median(pipeline.writes))}
    print(f"\nmedian: raw {figures['raw_events_per_s']} events/s, pipeline {figures['pipeline_events_per_s']} events/s, "
          f"ratio {figures['ratio']:.0%} (target >= 50%); the outbox writes before: "
          f"{figures['outbox_writes_per_s']} per second")
    path = chart("pipeline", "Events per second, alternating rounds", "round", "events/s",
                 {kind: [(n, row[kind]) for n, row in enumerate(rows, 1)] for kind in ("raw", "pipeline")})
    if path:
        print(f"chart: {shown(path)}")
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
