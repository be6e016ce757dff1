"""The dead letters the notifier read, each kept once with its bytes: the broker of one machine keeps its topics
in memory only, and a dead letter is the one copy of an event a service never applied.

Kept for good: they are few (each is a failure staff must look at), a resend that fails again is a dead letter
of its own (with `resend_id`), and only staff know when the event is no longer needed; the store is backed up
with the rest of the notifier's data (`rawbank backup`). Each sending of `rawbank dlq resend` is marked on the
dead letter it sent (`resends`), so staff see which were dealt with."""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.notifier.domain import DEAD_LETTER
from services.notifier.errors import CutWhenKept, DeadLetterNotFound, NoEventToResend
from shared import dead_letters
from shared.i18n import LANGUAGES

INDEXES = {"dead_letters": [IndexModel([("kept_at", ASCENDING), ("offset", ASCENDING)]),
                            IndexModel([("event_id", ASCENDING)])]}


def keep(db, message) -> bool:
    """Keep the dead letter under what tells it from another (shared/dead_letters.identity); True if new.

    Read twice, sent twice by its consumer, or found again on a broker started anew: nothing new is kept."""
    entry = dead_letters.read(message)
    try:
        db.dead_letters.insert_one({"_id": dead_letters.identity(entry, message.value), **entry,
                                    "key": message.key, "value": message.value,
                                    "kept_at": datetime.now(timezone.utc), "resends": []})
    except DuplicateKeyError:
        return False
    return True


def find(db, *, event_id: str | None = None, values: bool = False, limit: int = 500, skip: int = 0) -> list[dict]:
    """The kept dead letters, oldest first; with `values`, each with its key and bytes."""
    hidden = {} if values else {"key": 0, "value": 0}
    docs = list(db.dead_letters.find({"event_id": event_id} if event_id else {}, hidden)
                .sort([("kept_at", ASCENDING), ("offset", ASCENDING)]).skip(skip).limit(limit))
    return shown(db, docs)


def shown(db, docs: list[dict]) -> list[dict]:
    """Kept dead letters as the API gives them: each with what its reason means and its alert."""
    alerts = _alerts(db, docs)
    return [{**explained(doc), "alert": alerts.get(_cause(doc))} for doc in docs]


def alert_cause(identity: str | None, topic: str, partition: int, offset: int) -> str:
    """The cause a dead letter's alert is raised under (handlers.dead_letter): an event's letter by its identity (one
    failure of one event in one service, however often it came: the kept copy's `_id`), any other by where it lies
    in the dead-letter topic."""
    return f"dlq:{identity}" if identity else f"dlq:{topic}:{partition}:{offset}"


def _cause(doc: dict) -> str:
    """The cause under which handlers.dead_letter raised a kept letter's alert."""
    return alert_cause(doc["_id"] if doc.get("event_id") else None, doc["topic"], doc["partition"], doc["offset"])


def _alerts(db, docs: list[dict]) -> dict:
    """The alert of each letter (by cause): its id and status, which acknowledging it discards the letter."""
    causes = [_cause(doc) for doc in docs]
    found = {}
    for alert in db.alerts.find({"kind": DEAD_LETTER, "events": {"$in": causes}}, {"events": 1, "status": 1}) \
            .sort("first_seen", ASCENDING):
        found.update({cause: {"id": alert["_id"], "status": alert["status"]}
                      for cause in set(alert["events"]).intersection(causes)})
    return found


def mark_resent(db, letter_id: str, *, resend_id: str, by: str, at: datetime) -> dict:
    """Mark one sending of the dead letter (once per resend_id, however often told). Refused, nothing marked, for a
    letter not kept (naming an event's letters if the id is an event's) and one that cannot be sent again."""
    letter = db.dead_letters.find_one({"_id": letter_id}, {"event_id": 1, "truncated_from": 1})
    if letter is None:
        of_event = [doc["_id"] for doc in db.dead_letters.find({"event_id": letter_id}, {"_id": 1}).limit(20)]
        raise DeadLetterNotFound({"id": letter_id, **({"dead_letters": of_event} if of_event else {})})
    if not letter.get("event_id"):
        raise NoEventToResend({"id": letter_id})
    if letter.get("truncated_from"):
        raise CutWhenKept({"id": letter_id, "truncated_from": letter["truncated_from"]})
    db.dead_letters.update_one({"_id": letter_id, "resends.resend_id": {"$ne": resend_id}},
                               {"$push": {"resends": {"resend_id": resend_id, "by": by, "at": at}}})
    return shown(db, [db.dead_letters.find_one({"_id": letter_id}, {"key": 0, "value": 0})])[0]


def explained(doc: dict) -> dict:
    """A kept dead letter with what its reason means in each language (`reason_explained`, as `rawbank dlq list
    --json` gives it), beside the `reason` its consumer wrote, and what its error's code means where the letter kept no
    words of it (`error_meaning`, derived when read: shared/dead_letters.meaning)."""
    return {**doc, "error_meaning": dead_letters.meaning(doc),
            "reason_explained": {lang: dead_letters.explain(doc, lang) for lang in LANGUAGES}}
