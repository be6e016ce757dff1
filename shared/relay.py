"""The outbox relay: publish each document's embedded events, wait for the ack, pull them."""
from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from kafka.errors import CorruptRecordError, InvalidRecordError, MessageSizeTooLargeError, RecordListTooLargeError
from pymongo import ReturnDocument

from shared.envelope import Event, wire_bytes
from shared.loops import poll_until_stopped
from shared.metrics import EVENTS_PUBLISHED
from shared.mongo import sync_writes
from shared.wakeup import Wakeup

log = logging.getLogger(__name__)

PENDING = {"outbox.event_id": {"$exists": True}}
BATCH = 100  # documents leased, and their events sent, before the relay waits for the acks
#: refusals of the message itself (its size, its records), by the producer or the broker: a new producer sends the same
#: message and is refused the same, so the producer is kept
MESSAGE_REFUSED = (MessageSizeTooLargeError, RecordListTooLargeError, InvalidRecordError, CorruptRecordError)
WARN_AGAIN_SECONDS = 600  # an event that still fails is warned of again after this long, not at every try


class Refused:
    """Stands for the future of a send the producer refused at once (a message over its max_request_size, no topic
    metadata in time): settled as a send that failed, so only its own document's later events wait behind it."""

    def __init__(self, exc: Exception):
        self.exc = exc

    def get(self, timeout=None):
        raise self.exc


class OutboxRelay:
    """Publishes the `outbox` arrays of the given collections to one topic.

    A relay first leases documents (so relays in other processes leave them alone), then
    publishes each one's events in order (all documents' at once, then waits for the acks),
    then `$pull`s exactly those it saw acknowledged. A crash between publish and pull
    republishes after the lease ends; consumers dedupe.
    """

    def __init__(self, db, collections, producer, topic: str, *, service: str,
                 lease_seconds: int = 30, interval_ms: int = 100, retention=None, renew_producer=None,
                 wake: Wakeup | None = None):
        self.db = db
        self.collections = tuple(collections)
        self.producer = producer
        self.topic = topic
        self.service = service
        self.lease = timedelta(seconds=lease_seconds)
        self.interval = interval_ms / 1000
        self.owner = f"{service}-{uuid.uuid4().hex[:8]}"
        self.retention = retention  # shared/retention.py: what was published, kept to publish again
        self.renew_producer = renew_producer  # () -> a new producer, for one that failed for good
        self.wake = wake  # counts this process's writes: look at once instead of after `interval`
        self.failing: dict[str, float] = {}  # event id -> when its failure was last warned of

    def claim(self, collection: str):
        """Lease one document with pending events, or return None."""
        claimed = self.claim_many(collection, 1)
        return claimed[0] if claimed else None

    def claim_many(self, collection: str, limit: int = BATCH) -> list[dict]:
        """Lease up to `limit` documents with pending events: one search, then each leased by its id."""
        now = datetime.now(timezone.utc)
        free = {**PENDING, "$or": [{"_relay.until": {"$exists": False}}, {"_relay.until": {"$lt": now}}]}
        found = [doc["_id"] for doc in self.db[collection].find(free, {"_id": 1}).limit(limit)]
        lease = {"$set": {"_relay": {"owner": self.owner, "until": now + self.lease}}}
        claimed = (self.db[collection].find_one_and_update({"_id": doc_id, **free}, lease, projection={"outbox": 1},
                                                           return_document=ReturnDocument.AFTER) for doc_id in found)
        return [doc for doc in claimed if doc is not None]  # None: another relay leased it in between

    def publish(self, doc) -> list[str]:
        """Send a document's events, keep those acknowledged, and return their ids."""
        return self.publish_many([doc])[0]

    def publish_many(self, docs) -> list[list[str]]:
        """Send every document's events before waiting for any ack; per document, the ids acknowledged."""
        batches, stuck = [], False
        for doc in docs:
            batches.append([] if stuck else self.submit(doc.get("outbox", [])))
            stuck = stuck or _refused_for_now(batches[-1])  # the documents after it wait for the next try
        acked = self.settle(batches)
        if self.retention is not None:
            self.retention.keep([item for items in acked for item in items])
        return [[event["event_id"] for event, _ in items] for items in acked]

    def send(self, events) -> list[tuple[dict, object]]:
        """Send events in order; (event, record metadata) for those acknowledged before the first failure."""
        return self.settle([self.submit(events)])[0]

    def submit(self, events) -> list[tuple[dict, object]]:
        """Hand events to the producer in order; (event, future) each, up to and including one it refuses at once
        (Refused), after which the rest wait, as after any failed send."""
        sent = []
        for event in events:
            try:
                future = self.producer.send(self.topic, key=event["key"].encode(), value=wire_bytes(event),
                                            headers=[("type", event["type"].encode())])
            except Exception as exc:
                sent.append((event, Refused(exc)))
                break
            sent.append((event, future))
        return sent

    def settle(self, batches) -> list[list[tuple[dict, object]]]:
        """Wait for each batch's acks in order; per batch, (event, metadata) of those before its first failure."""
        results, renew = [], False
        for futures in batches:
            acked = []
            for event, future in futures:
                try:
                    acked.append((event, future.get(timeout=30)))
                except Exception as exc:
                    self._warn(event, exc)
                    renew = renew or not (getattr(exc, "retriable", True) or isinstance(exc, MESSAGE_REFUSED))
                    break
            results.append(acked)
        for event, _ in (item for acked in results for item in acked):
            self.failing.pop(event["event_id"], None)
        EVENTS_PUBLISHED.labels(self.service, self.topic).inc(sum(len(acked) for acked in results))
        if renew and self.renew_producer is not None:
            self.producer = self.renew_producer()  # e.g. a fresh broker does not know its producer id
        return results

    def _warn(self, event: dict, exc: Exception) -> None:
        """Warn that an event was not published, with why; of one that keeps failing, again only now and then (a
        relay woken by every write would otherwise log it many times a second)."""
        now, last = time.monotonic(), self.failing.get(event["event_id"])
        if last is not None and now - last < WARN_AGAIN_SECONDS:
            return
        if len(self.failing) >= BATCH * 10:  # bounded: forget the oldest warned of
            self.failing.pop(next(iter(self.failing)))
        self.failing[event["event_id"]] = now
        hint = " (the producer or the broker refuses the message itself: see the relay in docs/architecture.md)" \
            if isinstance(exc, MESSAGE_REFUSED) else ""
        log.warning("%s relay: %s %s of %s not published%s; will retry (its document's later events wait)",
                    self.service, event["type"], event["event_id"], event["key"], hint, exc_info=exc)

    def remove(self, collection: str, doc_id, event_ids: list[str]) -> None:
        """Pull the published events and give up the lease."""
        self.db[collection].update_one(
            {"_id": doc_id, "_relay.owner": self.owner},
            {"$pull": {"outbox": {"event_id": {"$in": event_ids}}}, "$unset": {"_relay": ""}})

    def run_once(self) -> int:
        """Publish whatever is pending now, a batch of documents at a time; return how many events went out."""
        published = 0
        for collection in self.collections:
            while docs := self.claim_many(collection):
                sync_writes(self.db)  # no event leaves for a change a crash could still undo
                complete = True
                for doc, sent in zip(docs, self.publish_many(docs)):
                    self.remove(collection, doc["_id"], sent)
                    published += len(sent)
                    complete = complete and len(sent) == len(doc.get("outbox", []))
                if not complete:
                    return published
        return published

    def step(self) -> int:
        """Publish kept events again if the broker lost them, then what is pending now."""
        republished = self.retention.tick(self.send) if self.retention is not None else 0
        return republished + self.run_once()

    def pending(self) -> bool:
        """Whether an outbox still holds an event, or a published one is not yet read by every group."""
        if self.retention is not None and not self.retention.settled():
            return True
        return any(self.db[name].find_one(PENDING, {"_id": 1}) is not None for name in self.collections)

    def run(self, stop: threading.Event) -> None:
        """Relay until `stop` is set; broker outages are waited out, nothing is dropped."""
        try:
            poll_until_stopped(stop, self.step, interval=self.interval, name=f"{self.service} relay",
                               wake=self.wake)
        finally:
            if self.retention is not None:
                self.retention.close()


def _refused_for_now(futures) -> bool:
    """Whether the producer refused the last send at once for anything but the message itself (no topic metadata
    within max_block_ms: the broker is away): a send after it would wait as long, and be refused the same."""
    return bool(futures) and isinstance(futures[-1][1], Refused) and not isinstance(futures[-1][1].exc,
                                                                                     MESSAGE_REFUSED)


def outbox_push(*events: Event) -> dict:
    """The `$push` that stores events in a document's outbox within the same update."""
    return {"outbox": {"$each": [event.to_dict() for event in events]}}
