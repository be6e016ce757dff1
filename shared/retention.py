"""What a relay published, kept for days and published again when the broker has lost it.

The embedded broker keeps its topics in memory: after a restart it is empty, and events a relay
published but some consumer had not applied yet would be gone. So the relay keeps every event it
published (collection `relay_published`, `days` long) and *settles* an event once every consumer
group reading the topic has committed an offset past it. Unsettled events are published again
when the relay starts and whenever it sees a fresh broker (an acknowledged offset lower than one
it saw before, or a partition whose end is below it). Consumers apply each event once, so a
repeat is harmless. After a drained stop every event is settled and nothing is published twice.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from kafka import TopicPartition
from pymongo import ASCENDING, IndexModel
from pymongo.errors import BulkWriteError

from shared.mongo import ensure_indexes

log = logging.getLogger(__name__)

COLLECTION = "relay_published"
INDEXES = {COLLECTION: [IndexModel([("settled", ASCENDING), ("published_at", ASCENDING), ("n", ASCENDING)]),
                        IndexModel([("published_at", ASCENDING)])]}
SETTLE_SECONDS = 0.5
CHECK_SECONDS = 5.0
PRUNE_SECONDS = 24 * 3600.0  # and at start: a prune reads every kept event


class Retention:
    """One relay's kept events: keep after the ack, settle when read by all, republish when lost."""

    def __init__(self, db, topic: str, groups, make_admin, *, days: int = 7):
        self.db, self.topic, self.groups = db, topic, tuple(groups)
        self.make_admin = make_admin
        self.keep_for = timedelta(days=days)
        self.unsettled: list[tuple[str, int, int]] = []  # (event id, partition, offset) published by this process
        self.high: dict[int, int] = {}  # the highest offset acknowledged per partition since the last republish
        self.fresh = True  # republish what is unsettled before anything new
        self.count = 0
        self._admin = None
        self._due = {"settle": 0.0, "check": time.monotonic() + CHECK_SECONDS, "prune": 0.0}
        ensure_indexes(db, INDEXES)

    def keep(self, acked) -> None:
        """Store the acknowledged (event, metadata) pairs, noticing a broker that lost its log."""
        now = datetime.now(timezone.utc)
        docs = []
        for event, meta in acked:
            if meta.offset <= self.high.get(meta.partition, -1):
                log.warning("%s: offsets went back (partition %d at %d, was %d): the broker is fresh",
                            self.topic, meta.partition, meta.offset, self.high[meta.partition])
                self.fresh = True
            self.high[meta.partition] = meta.offset
            self.unsettled.append((event["event_id"], meta.partition, meta.offset))
            self.count += 1
            docs.append({"_id": event["event_id"], "event": event, "published_at": now, "n": self.count,
                         "settled": False})
        if docs:
            try:
                self.db[COLLECTION].insert_many(docs, ordered=False)
            except BulkWriteError as exc:  # published again after a crash: already kept
                if any(error.get("code") != 11000 for error in exc.details.get("writeErrors", [])):
                    raise

    def tick(self, send) -> int:
        """Republish if the broker is fresh, settle and prune when due; `send(events)` publishes.

        Asking the broker about offsets may fail (an outage, a broker without those requests):
        that only postpones settling, never the relay's publishing."""
        now = time.monotonic()
        if now >= self._due["check"]:
            self._due["check"] = now + CHECK_SECONDS
            self.fresh = self.fresh or self._asking(self._broker_lost_events, False)
        republished = self.republish(send) if self.fresh else 0
        if self.unsettled and now >= self._due["settle"]:
            self._due["settle"] = now + SETTLE_SECONDS
            self._asking(self.settle, 0)
        if now >= self._due["prune"]:
            self._due["prune"] = now + PRUNE_SECONDS
            self.db[COLLECTION].delete_many({"published_at": {"$lt": datetime.now(timezone.utc) - self.keep_for}})
        return republished

    def _asking(self, question, otherwise):
        try:
            return question()
        except Exception as exc:
            log.info("%s: could not ask the broker about offsets (%s); later", self.topic, exc)
            return otherwise

    def republish(self, send) -> int:
        """Publish every unsettled kept event again, oldest first."""
        pending = list(self.db[COLLECTION].find({"settled": False}, {"event": 1})
                       .sort([("published_at", ASCENDING), ("n", ASCENDING)]))
        self.high.clear()
        self.unsettled = []
        acked = send([doc["event"] for doc in pending])
        for event, meta in acked:
            self.high[meta.partition] = max(meta.offset, self.high.get(meta.partition, -1))
            self.unsettled.append((event["event_id"], meta.partition, meta.offset))
        if len(acked) < len(pending):
            raise RuntimeError(f"{self.topic}: republished {len(acked)} of {len(pending)} kept events")
        self.fresh = False
        if pending:
            log.info("%s: published %d kept events again (fresh broker)", self.topic, len(pending))
        return len(pending)

    def settle(self) -> int:
        """Mark settled what every consumer group of the topic has committed past."""
        if not self.groups:
            return 0
        partitions = [TopicPartition(self.topic, p) for p in sorted({p for _, p, _ in self.unsettled})]
        committed = self._admin_call(lambda admin: admin.list_group_offsets({g: partitions for g in self.groups}))
        floor = {tp.partition: min(_offset(committed.get(group, {}).get(tp)) for group in self.groups)
                 for tp in partitions}
        done = [event_id for event_id, p, offset in self.unsettled if offset < floor[p]]
        if done:
            for event_id in done:  # one by _id each: the embedded store finds those without a scan
                self.db[COLLECTION].update_one({"_id": event_id}, {"$set": {"settled": True}})
            gone = set(done)
            self.unsettled = [entry for entry in self.unsettled if entry[0] not in gone]
        return len(done)

    def settled(self) -> bool:
        return not self.fresh and not self.unsettled

    def _broker_lost_events(self) -> bool:
        """Whether a partition this relay published to is empty now: a broker that lost its log.

        (Only emptiness is asked: Tansu reports a partition's end as its last batch's first offset
        plus one. A fresh broker that has taken a new event is caught by `keep`.)"""
        if not self.high:
            return False
        from kafka.admin import OffsetSpec
        ends = self._admin_call(lambda admin: admin.list_partition_offsets(
            {TopicPartition(self.topic, p): OffsetSpec.LATEST for p in self.high}))
        lost = any(ends[TopicPartition(self.topic, p)].offset == 0 for p in self.high)
        if lost:
            log.warning("%s: the broker's log is empty where events were published: it is fresh", self.topic)
        return lost

    def _admin_call(self, call):
        if self._admin is None:
            self._admin = self.make_admin()
        try:
            return call(self._admin)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._admin is not None:
            try:
                self._admin.close()
            except Exception:
                log.debug("closing the retention's admin client failed", exc_info=True)
            self._admin = None


def _offset(committed) -> int:
    """A group's committed offset (the next it reads), -1 when it has none."""
    return -1 if committed is None else committed.offset
