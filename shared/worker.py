"""A service's background parts: its consumer loop and its outbox relay, as threads."""
from __future__ import annotations

import logging
import threading

from shared.consumer import ConsumerLoop
from shared.events import TOPICS
from shared.kafka import ensure_topics, make_producer
from shared.relay import OutboxRelay
from shared.runtime import Runtime

log = logging.getLogger(__name__)


class Worker:
    """Runs the consumer, the relay and any background loops of one service until stopped."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.producer = None
        self.consumer: ConsumerLoop | None = None
        self.relay: OutboxRelay | None = None

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
                                     interval_ms=config.relay_interval_ms)
            parts.append(("relay", self.relay.run))
        if spec.consumes and spec.make_handler:
            self.consumer = ConsumerLoop(config, service=spec.name, group_id=spec.group_id,
                                         topics=spec.consumes, handler=spec.make_handler(db, config),
                                         producer=self.producer, raw_topics=spec.consumes_raw,
                                         raw_handler=spec.make_raw_handler(db, config)
                                         if spec.make_raw_handler else None)
            parts.append(("consumer", self.consumer.run))
        self._start(parts)

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

    def stop(self, timeout: float = 15.0) -> None:
        """Stop both loops, let in-flight work finish, close the producer."""
        self.stop_event.set()
        while self.threads:  # the starter adds the loops before it ends, so join in order
            self.threads.pop(0).join(timeout)
        if self.producer is not None:
            self.producer.close(timeout=5)
