"""The one consumer loop: decode, handle with bounded retries, dead-letter, then commit."""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from kafka import KafkaConsumer
from kafka.structs import OffsetAndMetadata
from pymongo.errors import ConnectionFailure

from shared.config import Config
from shared.dead_letters import error_headers
from shared.envelope import EnvelopeError, Event, decode_event
from shared.errors import StoreUnavailable, outcome
from shared.events import dlq_topic
from shared.kafka import Consumer, bootstrap_servers
from shared.metrics import CONSUMER_LAG, EVENTS_DEAD_LETTERED, EVENTS_HANDLED, EVENTS_RETRIED

log = logging.getLogger(__name__)

MAX_DLQ_VALUE = 512 * 1024
#: headers of a message that its dead letter keeps: which `rawbank dlq resend` sent it (shared/dlq_cli.py)
CARRIED_HEADERS = ("resent_from", "resend_id")

Handler = Callable[[Event], None]
RawHandler = Callable[[object], None]  # takes the kafka ConsumerRecord as it came


class Stopping(Exception):
    """The loop was asked to stop while an event was still unapplied."""


class ConsumerLoop:
    """Reads topics in a consumer group and applies each event through `handler`.

    Offsets are committed only after the handler returned (its effect is stored) or the
    message was acknowledged by the dead-letter topic, so a crash replays, never skips.
    Messages of `raw_topics` (e.g. dead-letter topics) are not decoded: `raw_handler` gets
    the record itself, with the same retries.
    """

    def __init__(self, config: Config, *, service: str, group_id: str, topics, handler: Handler,
                 producer, raw_topics=(), raw_handler: RawHandler | None = None,
                 before_commit: Callable[[], None] | None = None, applied: Callable[[], None] | None = None):
        self.config = config
        self.service = service
        self.group_id = group_id
        self.topics = tuple(topics)
        self.handler = handler
        self.producer = producer
        self.raw_topics = tuple(raw_topics) if raw_handler else ()
        self.raw_handler = raw_handler
        self.before_commit = before_commit  # makes the effects durable before their offsets are committed
        self.applied = applied  # told after each event's effect is stored (wakes the relay and live streams)
        self.ready = threading.Event()
        self.lag: int | None = None  # messages not yet handled on the assigned partitions; None: not known
        self._handled = {}  # (topic, event type) -> its EVENTS_HANDLED child: a labels() lookup per event cost more

    def _consumer(self) -> KafkaConsumer:
        interval = self.config.kafka_max_poll_interval_ms
        return Consumer(
            *self.topics, *self.raw_topics, bootstrap_servers=bootstrap_servers(self.config), group_id=self.group_id,
            client_id=f"{self.service}-consumer", enable_auto_commit=False,
            auto_offset_reset="earliest", max_poll_interval_ms=interval,
            fetch_max_wait_ms=self.config.kafka_fetch_max_wait_ms,
            session_timeout_ms=min(interval, 10000), heartbeat_interval_ms=min(interval, 10000) // 4,
            request_timeout_ms=max(self.config.kafka_request_timeout_ms, 5000) + interval)

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set; a broken connection is rebuilt after a pause."""
        while not stop.is_set():
            consumer = None
            try:
                consumer = self._consumer()
                self._loop(consumer, stop)
            except Stopping:
                return
            except Exception:
                log.exception("%s consumer failed; reconnecting", self.service)
                stop.wait(1.0)
            finally:
                if consumer is not None:
                    consumer.close(autocommit=False)

    def _loop(self, consumer: KafkaConsumer, stop: threading.Event) -> None:
        while not stop.is_set():
            batches = consumer.poll(timeout_ms=200, max_records=200)
            if consumer.assignment():
                self.ready.set()
            # Poll again well within max_poll_interval, or the group drops this member, the commit
            # fails and the same slow batch is handled again and again. The rest is fetched anew.
            deadline = time.monotonic() + self.config.kafka_max_poll_interval_ms / 2000
            done = {}  # partition -> the offset after its last settled message
            try:
                for partition, messages in batches.items():
                    for message in messages:
                        if time.monotonic() > deadline:
                            consumer.seek(partition, message.offset)
                            break
                        self.process(message, stop)
                        done[partition] = OffsetAndMetadata(message.offset + 1, "", -1)
            finally:
                if done:  # one commit for the whole poll: a broker round trip per partition was the cost
                    if self.before_commit is not None:
                        self.before_commit()
                    consumer.commit(done)
            self.lag = _lag(consumer)
            if self.lag is not None:
                CONSUMER_LAG.labels(self.service).set(self.lag)

    def caught_up(self) -> bool:
        return self.lag == 0

    def process(self, message, stop: threading.Event) -> None:
        """Apply one message, or dead-letter it; return only when it is settled."""
        if message.topic in self.raw_topics:
            item, handler, name, ident = message, self.raw_handler, "raw", f"offset {message.offset}"
        else:
            try:
                item = decode_event(message.value)
            except EnvelopeError as exc:
                self.dead_letter(message, str(exc))
                return
            handler, name, ident = self.handler, item.type, item.event_id
        attempt = 0
        while True:
            attempt += 1
            try:
                handler(item)
                counted = self._handled.get((message.topic, name))
                if counted is None:
                    counted = self._handled[message.topic, name] = EVENTS_HANDLED.labels(self.service, message.topic,
                                                                                         name)
                counted.inc()
                if self.applied is not None:
                    self.applied()
                return
            except (ConnectionFailure, StoreUnavailable) as exc:  # the store is down: wait, never dead-letter
                log.warning("%s store unavailable (%s); retrying %s", self.service, exc, ident)
                attempt = min(attempt, self.config.consumer_max_retries - 1)
            except Exception as exc:
                if outcome(exc).permanent:  # it can never apply (shared/errors.OUTCOMES)
                    self.dead_letter(message, f"{name}: {exc}", exc)
                    return
                # the trace under the event's id: what its dead letter tells staff to look for
                log.exception("%s handler failed on %s %s (attempt %d)", self.service, name, ident, attempt)
                if attempt >= self.config.consumer_max_retries:
                    self.dead_letter(message, f"{name}: handler failed {attempt} times: {exc!r}", exc)
                    return
            EVENTS_RETRIED.labels(self.service, message.topic).inc()
            delay = min(self.config.consumer_backoff_ms * 2 ** (attempt - 1), 10000) / 1000
            if stop.wait(delay):
                raise Stopping()

    def dead_letter(self, message, reason: str, exc: BaseException | None = None) -> None:
        """Send the message as it came to <topic>.dlq with why (and, for an error of ours its handler raised, that
        error in words: shared/dead_letters.error_headers), and wait for the ack."""
        log.error("%s dead-letters %s[%d]@%d: %s", self.service, message.topic, message.partition,
                  message.offset, reason)
        headers = [
            ("reason", reason[:2000].encode()),
            ("original_topic", message.topic.encode()),
            ("original_partition", str(message.partition).encode()),
            ("original_offset", str(message.offset).encode()),
            ("consumer_group", self.group_id.encode()),
            ("dead_lettered_at", str(int(time.time() * 1000)).encode()),
        ] + [(name, value) for name, value in (message.headers or ()) if name in CARRIED_HEADERS] \
            + (error_headers(exc) if exc is not None else [])
        value = message.value or b""
        if len(value) > MAX_DLQ_VALUE:
            headers.append(("truncated_from", str(len(value)).encode()))
            value = value[:MAX_DLQ_VALUE]
        self.producer.send(dlq_topic(message.topic), key=message.key, value=value,
                           headers=headers).get(timeout=30)
        EVENTS_DEAD_LETTERED.labels(self.service, message.topic).inc()


def _lag(consumer: KafkaConsumer) -> int | None:
    """What the broker holds beyond this consumer's position on its partitions (None: not known yet)."""
    partitions = consumer.assignment()
    if not partitions:
        return None
    total = 0
    for partition in partitions:
        end = consumer.highwater(partition)
        if end is None:
            return None
        total += max(end - consumer.position(partition), 0)
    return total
