"""`rawbank dlq list` and `rawbank dlq resend`: the dead letters, and sending them again once their cause is fixed.

A consumer sends a message it cannot handle to `<topic>.dlq` as it came, with why in its headers
(shared/consumer.py), and moves on. Once the cause is fixed (stock counted, a code deployed), staff
send it again to the topic it came from: every consumer applies each event once, so the services
that had applied it change nothing and the one that could not applies it now. The dead letter stays
where it is (a topic is never edited); the copy sent carries `resent_from` and `resend_id` (new at every sending)
in its headers, which its dead letter keeps if it fails again: the notifier tells that new failure from a replay.

The broker of one machine keeps its topics in memory only, so the notifier keeps every dead letter it reads
(services/notifier/dead_letters.py); both are read, over the notifier's admin API (GET /api/v1/dead-letters,
which `rawbank dev` and a docker compose production both serve), and merged: each dead letter once.
"""
from __future__ import annotations

import base64
import json
import sys
import urllib.parse
import uuid

from shared import admin_api, dead_letters
from shared.console import Said, joined, say, tell
from shared.i18n import LANGUAGES, N_
from shared.dead_letters import read_dlq
from shared.events import INVENTORY_TOPIC, REQUESTS_TOPIC
from shared.names import moment
from shared.reconciliation import Word

COMMAND = "rawbank dlq"
PAGE = 1000

NONE = N_("rawbank dlq: no dead letters in {topics}.")
LISTED = N_("{count} dead letter(s); send one again with `rawbank dlq resend EVENT_ID` once its cause is fixed.")
NOT_FOUND = N_("rawbank dlq resend: no dead letter with event id {event_id}; `rawbank dlq list` shows them.")
NOT_IN_TOPIC = N_("rawbank dlq resend: no dead letter with event id {event_id} in {asked}; it is in {found}: leave "
                  "--topic out, or give --topic {found}.")
TRUNCATED = N_("rawbank dlq resend: the dead letter {event_id} was cut to {size} bytes of {whole} when it was "
               "kept, so it cannot be sent again as it was: ask the developers to apply it from {topic}, where it "
               "came whole (while the broker keeps it), then acknowledge its alert.")
RESENDING = N_("[{step}/{steps}] Sending {type} {event_id} again to {topic} (dead-lettered by {group}: {reason}) ...")
RESENT = N_("Sent again: {count}. Each service applies an event once; watch the alerts for a new dead letter.")
READING = N_("Reading the dead letters at {servers} (up to 30 s if the broker does not answer) and those the "
             "notifier keeps ({url}) ...")
UNREACHABLE = N_("rawbank dlq: could not reach the broker at {servers}: {error}. Is rawbank running (make dev)? If the "
                 "broker is elsewhere, give its address with KAFKA_BOOTSTRAP_SERVERS.")
BROKER_ONLY = N_("{command}: without the notifier's copies, only the dead letters the broker still has are "
                 "read; those it lost when it stopped are missing.")
SENT_AGAIN = dead_letters.SENT_AGAIN
UNMARKED = N_("rawbank dlq resend: sent, but the notifier could not mark {event_id} as sent again ({error}); "
              "`rawbank dlq list` will not show it.")
#: a topic as a line in Hindi names it: the service's message queue ("संदेश-कतार", the catalog's word for a topic); in
#: English its name as `--topic` takes it
TOPIC_NAMES = {INVENTORY_TOPIC: N_("the inventory service's message queue"),
               REQUESTS_TOPIC: N_("the requests service's message queue")}
KEPT_ONLY = N_("{command}: the broker did not answer ({error}); these are the dead letters the notifier "
               "keeps.")


def topic(name: str) -> Word:
    """A topic in a line said to a person: its name in English, the service's queue in Hindi (a topic typed with
    `--topic` or shown in a dead letter's own line keeps its name)."""
    return Word(name, TOPIC_NAMES.get(name))


def letters(config, topics, event_ids=None, *, command: str = COMMAND, flags: str = "RAWBANK_NOTIFIER_URL",
            unread: list | None = None) -> list[dict]:
    """Every dead letter of these topics, each once: those the notifier keeps (oldest first), then those only the
    broker has; each with the event's id, the reason it was kept, `in_broker` and `kept` (by the notifier).
    `rawbank dlq` and `rawbank reconcile` (its `command`, and the `flags` that give the notifier's address) both
    list these; `unread` gets the broker's error when only the notifier answered.

    With `event_ids`, those events' dead letters only, with their key and bytes (`value`) to send again. Raises
    KafkaError if neither the broker nor the notifier answers; says on stderr what one that does not is missing."""
    from kafka.errors import KafkaError
    from shared.events import dlq_topic
    names = [dlq_topic(topic) for topic in topics]
    try:
        kept = _kept(config, set(names), event_ids)
    except admin_api.Unanswered as exc:
        admin_api.explain(command, exc, config, flags)
        kept = None
    try:
        broker = read_dlq(config, names, with_value=True)
    except KafkaError as exc:
        if kept is None:
            raise
        tell(KEPT_ONLY, sys.stderr, command=command, error=exc)
        if unread is not None:
            unread.append(exc)
        broker = []
    if kept is None:
        tell(BROKER_ONLY, sys.stderr, command=command)
        kept = []
    by_id = {entry["id"]: entry for entry in kept}
    found = list(kept)
    for entry in broker:
        if event_ids is not None and entry["event_id"] not in event_ids:
            continue
        identity = dead_letters.identity(entry, entry["value"])
        known = by_id.get(identity)
        if known is None:  # not read by the notifier yet: once, however often the broker has it
            by_id[identity] = {**entry, "in_broker": True, "kept": False, "resends": []}
            found.append(by_id[identity])
        else:
            known["in_broker"] = True
            if "value" not in known:
                known.update(key=entry["key"], value=entry["value"])
    return found


def _mark(config, entry: dict, resend_id: str) -> None:
    """Tell the notifier the dead letter was sent again (POST /api/v1/dead-letters/resends); say it if it cannot."""
    url = f"{config.notifier_url.rstrip('/')}/api/v1/dead-letters/resends"
    try:
        admin_api.call(url, admin_api.admin_token(config, "rawbank-dlq"), method="POST", timeout=30,
                       body={"id": entry["id"], "resend_id": resend_id})
    except admin_api.Unanswered as exc:
        tell(UNMARKED, sys.stderr, event_id=entry["event_id"], error=exc)


def _kept(config, names: set[str], event_ids) -> list[dict]:
    """The dead letters of these .dlq topics the notifier keeps (GET /api/v1/dead-letters, an admin token)."""
    url = f"{config.notifier_url.rstrip('/')}/api/v1/dead-letters"
    token = admin_api.admin_token(config, "rawbank-dlq")
    asked = [{"event_id": event_id, "values": "true"} for event_id in dict.fromkeys(event_ids)] \
        if event_ids is not None else [{}]
    found = []
    for query in asked:
        page = 1
        while True:
            batch = admin_api.call(f"{url}?{urllib.parse.urlencode({**query, 'limit': PAGE, 'page': page})}",
                                   token, timeout=60)
            found += batch
            if len(batch) < PAGE:
                break
            page += 1
    for entry in found:
        entry.update(in_broker=False, kept=True)
        for field in ("key", "value"):
            if entry.get(field) is not None:
                entry[field] = base64.b64decode(entry[field])
    return [entry for entry in found if entry["topic"] in names]


def list_(config, topics, *, as_json: bool = False, stream=None) -> int:
    stream = stream or sys.stdout
    found = letters(config, topics)
    if as_json:
        print(json.dumps([dead_letters.shown(entry) for entry in found], ensure_ascii=False), file=stream)
        return 0
    if not found:
        tell(NONE, stream, topics=joined(topic(name) for name in topics))
        return 0
    for entry in found:  # each with where it was seen and whether it was sent again, in reconcile's words
        print(f"{entry['event_id'] or '?'}  {entry['type'] or '?'}  {entry['original_topic'] or entry['topic']}  "
              f"group={entry['consumer_group'] or '?'}: {entry['reason'] or '?'}", file=stream)  # as it came
        say(*(dead_letters.explain(entry, lang) for lang in LANGUAGES), stream)  # what it means, what to do
        tell(dead_letters.where_seen(entry), stream)
        if entry.get("resends"):
            last = entry["resends"][-1]
            tell(SENT_AGAIN, stream, count=len(entry["resends"]), at=Said(lambda lang: moment(last["at"], lang)),
                 by=last["by"])  # in India's time, as status says one; --json keeps the ISO
    tell(LISTED, stream, count=len(found))
    return 0


def resend(config, topics, event_ids, *, stream=None, elsewhere=()) -> int:
    """Send the dead letters with these event ids again to the topics they came from; 1 if any is not there
    (one found in the topics `elsewhere`, those --topic left out, is said to be there)."""
    stream = stream or sys.stdout
    found = letters(config, topics, event_ids)
    by_id = {}
    for entry in found:
        by_id.setdefault(entry["event_id"], entry)  # dead-lettered by several services: one copy is enough
    missing = [event_id for event_id in event_ids if event_id not in by_id]
    there = {}
    if missing and elsewhere:
        for entry in letters(config, elsewhere, missing):
            there.setdefault(entry["event_id"], entry["original_topic"] or entry["topic"].removesuffix(".dlq"))
    for event_id in missing:
        if event_id in there:
            tell(NOT_IN_TOPIC, sys.stderr, event_id=event_id, asked=", ".join(topics), found=there[event_id])
        else:
            tell(NOT_FOUND, sys.stderr, event_id=event_id)
    chosen = [by_id[event_id] for event_id in dict.fromkeys(event_ids) if event_id in by_id]
    for entry in chosen:
        if entry["truncated_from"]:
            tell(TRUNCATED, sys.stderr, event_id=entry["event_id"], size=entry["size"], whole=entry["truncated_from"],
                 topic=entry["original_topic"] or entry["topic"].removesuffix(".dlq"))
            return 1
    if missing:
        return 1
    from shared.kafka import make_producer
    producer = make_producer(config, "rawbank-dlq-resend")
    try:
        for step, entry in enumerate(chosen, 1):
            target = entry["original_topic"] or entry["topic"].removesuffix(".dlq")
            tell(RESENDING, stream, step=step, steps=len(chosen), type=entry["type"] or "?",
                 event_id=entry["event_id"], topic=topic(target), group=entry["consumer_group"] or "?",
                 reason=entry["reason"] or "?")
            where = f"{entry['topic']}:{entry['partition']}:{entry['offset']}"
            resend_id = uuid.uuid4().hex
            producer.send(target, key=entry["key"], value=entry["value"],
                          headers=[("resent_from", where.encode()),
                                   ("resend_id", resend_id.encode())]).get(timeout=30)
            if entry.get("kept"):
                _mark(config, entry, resend_id)
    finally:
        producer.close()
    tell(RESENT, stream, count=len(chosen))
    return 0


def main(config, args) -> int:
    from kafka.errors import KafkaError
    from shared.events import TOPICS
    topics = list(args.topic or TOPICS)
    tell(READING, sys.stderr, servers=config.kafka_bootstrap_servers, url=config.notifier_url)
    try:
        if args.dlq_command == "list":
            return list_(config, topics, as_json=args.json)
        return resend(config, topics, args.event_ids, elsewhere=[name for name in TOPICS if name not in topics])
    except KafkaError as exc:
        tell(UNREACHABLE, sys.stderr, servers=config.kafka_bootstrap_servers, error=exc)
        return 2
