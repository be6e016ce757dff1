"""What a dead letter says (the headers a consumer wrote, shared/consumer.py) and what tells one from another.

The broker's copy (`rawbank dlq`, `rawbank reconcile`) and the notifier's (services/notifier/dead_letters.py)
are read by the same function, so the two can be merged without duplicates (shared/dlq_cli.letters, which
`rawbank dlq` and `rawbank reconcile` both list)."""
from __future__ import annotations

import hashlib
import json

from shared.i18n import N_

IN_BOTH = N_("the broker has it and the notifier keeps it")
KEPT_ONLY = N_("the notifier keeps it; the broker no longer has it")
BROKER_ONLY = N_("the broker has it; the notifier has not kept it yet")
SENT_AGAIN = N_("sent again {count} time(s), last {at} by {by}")


def read(record) -> dict:
    """A dead letter as `rawbank dlq` lists it: where it lies, the event's id and type, and why it was kept."""
    headers = {k: (v or b"").decode("utf-8", "replace") for k, v in record.headers or []}
    try:
        envelope = json.loads(record.value)
        type_, event_id = envelope.get("type"), envelope.get("event_id")
    except (TypeError, ValueError, AttributeError):
        type_ = event_id = None
    return {"topic": record.topic, "partition": record.partition, "offset": record.offset,
            "type": type_ if isinstance(type_, str) else None,
            "event_id": event_id if isinstance(event_id, str) else None, "reason": headers.get("reason", ""),
            "original_topic": headers.get("original_topic"), "consumer_group": headers.get("consumer_group"),
            "resent_from": headers.get("resent_from"), "resend_id": headers.get("resend_id"),
            "size": len(record.value or b""), "truncated_from": headers.get("truncated_from")}


def identity(entry: dict, value: bytes | None) -> str:
    """One failure of one event in one service (and one sending of `rawbank dlq resend`), wherever it lies:
    the same dead letter sent twice, read twice, or found again on a broker started anew has the same."""
    topic = entry["original_topic"] or entry["topic"]
    if entry["event_id"]:
        found = f"{topic}:{entry['consumer_group'] or ''}:{entry['event_id'][:100]}"
    else:  # nothing to know it by but what it holds
        found = f"{topic}:{entry['consumer_group'] or ''}:sha256:{hashlib.sha256(value or b'').hexdigest()}"
    return found + (f":{entry['resend_id'][:100]}" if entry["resend_id"] else "")


def where_seen(entry: dict) -> str | None:
    """Where a merged dead letter was seen (a catalog text), or None for a bare broker record not merged."""
    if "in_broker" not in entry:
        return None
    if entry["in_broker"]:
        return IN_BOTH if entry.get("kept") else BROKER_ONLY
    return KEPT_ONLY


def shown(entry: dict) -> dict:
    """A merged dead letter as a report or `--json` shows it: without its bytes and the notifier's key for it."""
    return {k: v for k, v in entry.items() if k not in ("key", "value", "id")}


def read_dlq(config, topics, timeout_ms: int = 5000, *, with_value: bool = False) -> list[dict]:
    """Every message now in the dead-letter topics, with the reason headers the consumer wrote (and, `with_value`,
    the message's key and bytes)."""
    from kafka import TopicPartition
    from shared.kafka import Consumer, bootstrap_servers
    consumer = Consumer(bootstrap_servers=bootstrap_servers(config), enable_auto_commit=False,
                        group_id=None, request_timeout_ms=max(timeout_ms, 5000) + 1000,
                        consumer_timeout_ms=timeout_ms)
    try:
        partitions = [TopicPartition(topic, p) for topic in topics
                      for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return []
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        found = []
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            batch = consumer.poll(timeout_ms=timeout_ms)
            if not batch:
                break
            for records in batch.values():
                found += [{**read(record), **({"key": record.key, "value": record.value} if with_value else {})}
                          for record in records]
        return found
    finally:
        consumer.close()
