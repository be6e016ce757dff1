"""A service's background parts: its consumer loop and its outbox relay, as threads."""
from __future__ import annotations

import logging
import threading
import time

from shared.consumer import ConsumerLoop
from shared.events import TOPICS
from shared.kafka import ensure_topics, make_admin, make_producer
from shared.relay import OutboxRelay
from shared.retention import Retention
from shared.runtime import Runtime
from shared.spec import all_specs

log = logging.getLogger(__name__)


class Worker:
    """Runs the consumer, the relay and any background loops of one service until stopped."""

    def __init__(self, runtime: Runtime, readers=None):
        self.runtime = runtime
        self.readers = readers  # consumer groups reading what this service publishes; None: the services' own
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.producer = None
        self.consumer: ConsumerLoop | None = None
        self.relay: OutboxRelay | None = None
        self.running = False  # the relay and the consumer have started

    def _connect(self) -> bool:
        """Create topics and the producer, waiting out a broker that is not up yet."""
        config, name = self.runtime.config, self.runtime.spec.name
        delay = 0.5
        while not self.stop_event.is_set():
            try:
                ensure_topics(config, TOPICS)
                self.producer = make_producer(config, f"{name}-worker")
                return True
            except Exception as exc:
                log.warning("%s worker: broker at %s not reachable (%s); retrying in %.1fs",
                            name, config.kafka_bootstrap_servers, exc, delay)
                self.stop_event.wait(delay)
                delay = min(delay * 2, 10)
        return False

    def _run(self) -> None:
        spec, config, db = self.runtime.spec, self.runtime.config, self.runtime.db
        self._start([(part, make(db, config)) for part, make in spec.background])
        if not self._connect():
            return
        parts = []
        if spec.publishes:
            self.relay = OutboxRelay(db, spec.outbox_collections, self.producer, spec.publishes,
                                     service=spec.name, lease_seconds=config.relay_lease_seconds,
                                     interval_ms=config.relay_interval_ms, retention=self._retention(),
                                     renew_producer=self._renew_producer, wake=self.runtime.written)
            parts.append(("relay", self.relay.run))
        if spec.consumes and spec.make_handler:
            self.consumer = ConsumerLoop(config, service=spec.name, group_id=spec.group_id,
                                         topics=spec.consumes, handler=spec.make_handler(db, config),
                                         producer=self.producer, raw_topics=spec.consumes_raw,
                                         before_commit=self.runtime.sync, applied=self.runtime.written.notify,
                                         raw_handler=spec.make_raw_handler(db, config)
                                         if spec.make_raw_handler else None)
            parts.append(("consumer", self.consumer.run))
        self._start(parts)
        self.running = True

    def _renew_producer(self):
        """A new producer for the relay and the consumer's dead letters; the old one failed for good."""
        old, self.producer = self.producer, make_producer(self.runtime.config, f"{self.runtime.spec.name}-worker")
        if self.consumer is not None:
            self.consumer.producer = self.producer
        old.close(timeout=0)
        return self.producer

    def _retention(self) -> Retention | None:
        spec, config = self.runtime.spec, self.runtime.config
        if config.relay_retention_days <= 0:
            return None
        readers = self.readers if self.readers is not None else readers_of(spec.publishes)
        return Retention(self.runtime.db, spec.publishes, readers, lambda: make_admin(config, f"{spec.name}-retention"),
                         days=config.relay_retention_days)

    def _start(self, parts) -> None:
        spec = self.runtime.spec
        for part, target in parts:
            thread = threading.Thread(target=target, args=(self.stop_event,),
                                      name=f"{spec.name}-{part}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def start(self) -> "Worker":
        starter = threading.Thread(target=self._run, name=f"{self.runtime.spec.name}-start", daemon=True)
        starter.start()
        self.threads.append(starter)
        return self

    def busy(self) -> bool:
        """Whether events are still in flight: not connected yet, an outbox event not yet read by every group,
        or this service's consumer not yet joined or behind."""
        return (not self.running
                or (self.relay is not None and self.relay.pending())
                or (self.consumer is not None and not self.consumer.caught_up()))

    def drain(self, timeout: float = 15.0, calm: float = 1.5) -> bool:
        """Before a clean stop: wait until every outbox is published and read by every consumer group,
        and this service's consumer has caught up, all for `calm` seconds on end (the other services
        drain at the same time, so what they still publish is applied here)."""
        deadline = time.monotonic() + timeout
        calm_since = None
        while time.monotonic() < deadline and self.producer is not None:
            calm_since = None if self.busy() else calm_since or time.monotonic()
            if calm_since is not None and time.monotonic() - calm_since >= calm:
                return True
            time.sleep(0.1)
        return False

    def stop(self, timeout: float = 15.0) -> None:
        """Stop both loops, let in-flight work finish, close the producer."""
        self.stop_event.set()
        while self.threads:  # the starter adds the loops before it ends, so join in order
            self.threads.pop(0).join(timeout)
        if self.producer is not None:
            self.producer.close(timeout=5)


def readers_of(topic: str) -> tuple[str, ...]:
    """The consumer groups of the services that read `topic`."""
    return tuple(spec.group_id for spec in all_specs() if topic in spec.consumes)
