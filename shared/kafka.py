"""kafka-python adapters: producer, topic creation and a broker readiness probe."""
from __future__ import annotations

import logging
import threading

from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from shared.config import Config
from shared.events import dlq_topic

log = logging.getLogger(__name__)


def bootstrap_servers(config: Config) -> list[str]:
    return [s.strip() for s in config.kafka_bootstrap_servers.split(",") if s.strip()]


def make_producer(config: Config, client_id: str) -> KafkaProducer:
    """A producer that waits for all in-sync replicas and never duplicates on retry."""
    return KafkaProducer(
        bootstrap_servers=bootstrap_servers(config), client_id=client_id, acks="all",
        enable_idempotence=True, linger_ms=config.kafka_linger_ms,
        request_timeout_ms=max(config.kafka_request_timeout_ms, 5000),
        max_block_ms=max(config.kafka_request_timeout_ms, 5000))


class _AdminClient(KafkaAdminClient):
    """kafka-python's admin client, which also lets go of its I/O thread when the broker does not answer it.

    kafka-python 3.0 starts the client's I/O thread, then bootstraps; when that times out the
    constructor raises before the client counts as open, so nobody can close it and the thread goes
    on calling the absent broker for good. The readiness probe and the relay's retention make a new
    client at each try while the broker is down: every /readyz of an outage left one thread behind.
    """

    def __init__(self, **configs):
        try:
            super().__init__(**configs)
        except Exception:
            if hasattr(self, "_net"):  # the thread was started: close what the constructor opened
                self._closed = False
                try:
                    self.close()
                except Exception:  # closing must not hide why the broker did not answer
                    log.debug("closing a half-made admin client failed", exc_info=True)
            raise


def make_admin(config: Config, client_id: str) -> KafkaAdminClient:
    return _AdminClient(bootstrap_servers=bootstrap_servers(config), client_id=client_id,
                        request_timeout_ms=config.kafka_request_timeout_ms,
                        bootstrap_timeout_ms=config.kafka_request_timeout_ms)


def ensure_topics(config: Config, topics) -> None:
    """Create each topic and its dead-letter topic if missing."""
    admin = make_admin(config, "rawbank-topics")
    try:
        existing = set(admin.list_topics())
        wanted = []
        for topic in topics:
            for name, partitions in ((topic, config.kafka_topic_partitions), (dlq_topic(topic), 1)):
                if name not in existing:
                    wanted.append(NewTopic(name, partitions, config.kafka_replication_factor))
        if wanted:
            try:
                admin.create_topics(wanted)
            except TopicAlreadyExistsError:
                pass
            log.info("created topics %s", [t.name for t in wanted])
    finally:
        admin.close()


class BrokerProbe:
    """Answers whether the broker serves requests now, with one bounded metadata request."""

    def __init__(self, config: Config, client_id: str, timeout_ms: int = 2000):
        self._config = config.with_(kafka_request_timeout_ms=min(timeout_ms, config.kafka_request_timeout_ms))
        self._client_id = client_id
        self._admin: KafkaAdminClient | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise if the broker does not answer a metadata request in time."""
        with self._lock:
            try:
                if self._admin is None:
                    self._admin = make_admin(self._config, self._client_id)
                self._admin.list_topics()
            except Exception:
                self.close_locked()
                raise

    def close_locked(self) -> None:
        if self._admin is not None:
            try:
                self._admin.close()
            except Exception:  # closing a broken client must not hide the first error
                log.debug("closing admin client failed", exc_info=True)
            self._admin = None

    def close(self) -> None:
        with self._lock:
            self.close_locked()
