"""kafka-python adapters: producer, topic creation and a broker readiness probe."""
from __future__ import annotations

import logging
import threading

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
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


def _let_go(client) -> None:
    """Close what a kafka-python client's constructor opened before it raised.

    kafka-python 3.0 starts a client's I/O thread, then bootstraps; when the broker does not answer,
    the constructor raises before the client counts as open, so its own `close()` does nothing (or
    fails) and the thread goes on calling the absent broker for good. Whoever retries while the
    broker is down (the readiness probe at each /readyz, the consumer loop, the relay's retention)
    would leave one thread per try. The steps are those of the clients' own `close()`.
    """
    for part, close in (("_client", "close"), ("_net", "stop"), ("_metrics", "close")):
        opened = getattr(client, part, None)
        if opened is not None:
            try:
                getattr(opened, close)()
            except Exception:  # closing must not hide why the broker did not answer
                log.debug("closing the %s of a half-made Kafka client failed", part, exc_info=True)


class _LettingGo:
    """Put before a kafka-python client class: the client lets go of its I/O thread when the broker does not
    answer its constructor (`_let_go`)."""

    def __init__(self, *args, **configs):
        try:
            super().__init__(*args, **configs)
        except Exception:
            _let_go(self)
            raise


class _AdminClient(_LettingGo, KafkaAdminClient):
    """kafka-python's admin client, which lets go of its I/O thread when the broker does not answer it."""


class Consumer(_LettingGo, KafkaConsumer):
    """kafka-python's consumer, which lets go of its I/O thread when the broker does not answer it."""


def make_admin(config: Config, client_id: str) -> KafkaAdminClient:
    return _AdminClient(bootstrap_servers=bootstrap_servers(config), client_id=client_id,
                        request_timeout_ms=config.kafka_request_timeout_ms,
                        bootstrap_timeout_ms=config.kafka_request_timeout_ms)


def ensure_topics(config: Config, topics) -> None:
    """Create each topic, its dead-letter topic and that one's own if missing.

    The notifier reads the dead-letter topics as they come: one it cannot keep goes on to `<topic>.dlq.dlq`. A
    broker that creates topics when they are first written to (Apache Kafka's default) would make that one then;
    one hardened with auto.create.topics.enable=false would time the send out, and the notifier would read the same
    dead letter again for ever."""
    admin = make_admin(config, "rawbank-topics")
    try:
        existing = set(admin.list_topics())
        wanted = []
        for topic in topics:
            for name, partitions in ((topic, config.kafka_topic_partitions), (dlq_topic(topic), 1),
                                     (dlq_topic(dlq_topic(topic)), 1)):
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
