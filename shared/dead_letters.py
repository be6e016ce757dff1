"""What a dead letter says (the headers a consumer wrote, shared/consumer.py) and what tells one from another.

The broker's copy (`rawbank dlq`, `rawbank reconcile`) and the notifier's (services/notifier/dead_letters.py)
are read by the same function, so the two can be merged without duplicates (shared/dlq_cli.letters, which
`rawbank dlq` and `rawbank reconcile` both list)."""
from __future__ import annotations

import ast
import functools
import hashlib
import json
import logging
import re

from shared.errors import Error, Inapplicable
from shared.field_messages import translate_message
from shared.i18n import LANGUAGES, N_, translate

log = logging.getLogger(__name__)
MAX_SAID = 1000  # characters of an error's message kept in each language

IN_BOTH = N_("the broker has it and the notifier keeps it")
KEPT_ONLY = N_("the notifier keeps it; the broker no longer has it")
BROKER_ONLY = N_("the broker has it; the notifier has not kept it yet")
SENT_AGAIN = N_("sent again {count} time(s), last {at} by {by}")

#: what a consumer's reason (shared/consumer.py, shared/envelope.py) means, and what to do next, said to staff: each
#: that can be sent again ends with the command, which a page shows as it is
FIELDS_WRONG = N_("{consumer} could not apply the {type} event {event_id} because its data is wrong: {problems}. Sent "
                  "again unchanged it fails again: correct the record in {producer} (a corrected event follows) and "
                  "acknowledge this dead letter's alert to discard it; only if {consumer}'s check was wrong, send it "
                  "again once the fix is deployed: rawbank dlq resend {event_id}")
NO_EVENT = N_("{consumer} could not read a message on {topic} as an event ({problems}), so it cannot be sent again: "
              "find which program wrote it there and stop it, then acknowledge this dead letter's alert.")
UNKNOWN_TYPE = N_("{consumer} does not know the event type {type} (version {version}) of the event {event_id}, which "
                  "{producer} wrote: update {consumer} to the same version as {producer}, then send it again: rawbank "
                  "dlq resend {event_id}")
FAILED = N_("{consumer} failed unexpectedly {times} times applying the {type} event {event_id}: a fault in {consumer} "
            "or its store. Its log has the trace under the event id {event_id}; once the fault is fixed, send it "
            "again: rawbank dlq resend {event_id}")
#: an error of ours that passes (the store busy) and kept coming back until the consumer gave up: its message
FAILED_SAID = N_("{consumer} tried {times} times to apply the {type} event {event_id} and could not: {error}. Once "
                 "that has passed or is put right, send it again: rawbank dlq resend {event_id}")
REFUSED = N_("{consumer} refused the {type} event {event_id}: {error}. If it is no longer needed, acknowledge this "
             "dead letter's alert to discard it; else put the cause right (count the stock, correct the record) and "
             "send it again: rawbank dlq resend {event_id}")
FIELD_WRONG = N_("the field \u201c{field}\u201d: {message}")
MISSING = N_("not given")
NOT_JSON = N_("not JSON")
#: a service as these sentences name it, by the first part of its topic or the group of its consumer
SERVICES = {"inventory": N_("the inventory service"), "requests": N_("the requests service"),
            "notifier": N_("the notifier")}
_FIELDS = re.compile(r"(?:(?P<type>\S+) payload|envelope) invalid: (?P<fields>\{.*)", re.DOTALL)
_UNKNOWN = re.compile(r"unknown event type '(?P<type>.*)' version (?P<version>\d+)", re.DOTALL)
_FAILED = re.compile(r"\S+: handler failed (?P<times>\d+) times: (?P<error>.*)", re.DOTALL)
#: an error of ours as a consumer wrote it in a reason after "<type>: ": "<code> <details>" (Error.__str__) when it
#: refused the event, its repr ("StockBusy('stock_busy', {...})") after "handler failed N times: " when it gave up
_CODE = re.compile(r"(?P<code>[a-z][a-z0-9_]*)(?: .*)?", re.DOTALL)
_CODE_REPR = re.compile(r"(?P<kind>\w+)\('(?P<code>[a-z][a-z0-9_]*)'(?:, .*)?\)", re.DOTALL)


def error_headers(exc: BaseException) -> list[tuple[str, bytes]]:
    """What a dead letter keeps of the error its consumer's own handler raised, beside the reason (shared/consumer.py),
    so that `explain` says it in words wherever the letter is read: its code and its message in each language (filled
    with its details as the service that raised it says them). Nothing for an exception that is no error of ours, nor
    for one that is said by its reason (Inapplicable)."""
    if not isinstance(exc, Error) or isinstance(exc, Inapplicable):
        return []
    try:
        said = {lang: exc.describe(lang)[:MAX_SAID] for lang in LANGUAGES}
    except Exception:  # never keep an event from its dead letter for want of words: the reason still says it
        log.exception("could not say the error %s in words", exc.code)
        return []
    return [("error_code", exc.code[:100].encode()), ("error_said", json.dumps(said, ensure_ascii=False).encode())]


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
            "size": len(record.value or b""), "truncated_from": headers.get("truncated_from"),
            "error_code": headers.get("error_code"), "error_said": _said(headers.get("error_said"))}


def _said(header: str | None) -> dict | None:
    """The error_said header (lang -> the handler's error message), or None when absent or not what error_headers
    writes."""
    try:
        said = json.loads(header) if header else None
    except ValueError:
        return None
    if not isinstance(said, dict):
        return None
    return {lang: text for lang, text in said.items() if isinstance(lang, str) and isinstance(text, str)} or None


def meaning(letter: dict) -> dict | None:
    """What the code of the error a consumer's handler raised means, for a letter that kept no words of it (written
    before consumers kept error_said): {code, en, hi}, the code's own message, derived, not what the letter said. The
    code is its error_code, else the one its reason wrote; None when the letter has its words, has no code, or one
    that `known_messages` does not know."""
    if letter.get("error_said"):
        return None
    code = letter.get("error_code") or _code_in(letter.get("reason") or "", letter.get("type") or "?")
    message = known_messages().get(code or "")
    if message is None:
        return None
    return {"code": code, **{lang: translate(message, lang) for lang in LANGUAGES}}


def _code_in(reason: str, type_: str) -> str | None:
    """The code of an error of ours as a consumer wrote it in a reason (_CODE, _CODE_REPR); None for another reason."""
    if match := _FAILED.fullmatch(reason):
        found = _CODE_REPR.fullmatch(match["error"])
        # only one of our errors, by its class and its own code: not a KeyError('busy') of a key named like a code
        found = found if found and (found["kind"], found["code"]) in _our_kinds() else None
    else:
        found = _CODE.fullmatch(reason.removeprefix(f"{type_}: ")) if reason.startswith(f"{type_}: ") else None
    return found["code"] if found else None


@functools.cache
def known_messages() -> dict[str, str]:
    """Each error code (shared/errors.py, each service's `errors`) whose every error says one message of its own with
    no detail to fill in: that message (its catalog text). A code whose errors say different things or need their
    details (insufficient_stock's figures) or say themselves otherwise is left out, and one with no message of its
    own (business_rule): a message said for it would be guessed."""
    said: dict[str, set] = {}
    for kind in _error_kinds():
        # one that says itself otherwise (per its details) has no one message: None leaves its code out
        said.setdefault(kind.code, set()).add(kind.message if kind.describe is Error.describe else None)
    return {code: message for code, (message, *others) in said.items()
            if not others and message and "{" not in message and message != Error.message}


@functools.cache
def _our_kinds() -> frozenset[tuple[str, str]]:
    """(class name, code) of each error of ours, as its repr in a reason names them."""
    return frozenset((kind.__name__, kind.code) for kind in _error_kinds())


def _error_kinds() -> list[type[Error]]:
    """The errors shared/errors.py and each service's `errors` module declare."""
    from shared import errors
    from shared.spec import all_specs
    return [kind for module in (errors, *(spec.errors for spec in all_specs() if spec.errors is not None))
            for kind in vars(module).values() if isinstance(kind, type) and issubclass(kind, Error)]


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
    """A merged dead letter as a report or `--json` shows it: without its bytes and the notifier's key for it, with
    what its reason means in each language (`reason_explained`, beside the `reason` as the consumer wrote it) and, for
    an old letter, what its error's code means (`error_meaning`)."""
    return {**{k: v for k, v in entry.items() if k not in ("key", "value", "id", "error_said")},
            "error_meaning": meaning(entry), "reason_explained": {lang: explain(entry, lang) for lang in LANGUAGES}}


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


def explain(letter: dict, lang: str) -> str:
    """What a dead letter's reason means and what to do next, as a sentence in `lang`."""
    said = _explained(letter, lang)
    return said[:1].upper() + said[1:]


def _explained(letter: dict, lang: str) -> str:
    """explain's sentence from the `reason` a consumer wrote
    (kept as it is, for diagnosis), its `type`, `event_id`, `consumer_group` and `original_topic` (or `topic`)."""
    reason, type_, event_id = letter.get("reason") or "", letter.get("type") or "?", letter.get("event_id") or "?"
    topic = (letter.get("original_topic") or letter.get("topic") or "?").removesuffix(".dlq")
    group = (letter.get("consumer_group") or "?").removeprefix("rawbank-")
    values = {"type": type_, "event_id": event_id, "topic": topic, "consumer": _service(group, lang),
              "producer": _service(topic.split(".")[0], lang)}
    if reason.startswith(("not JSON", "not a JSON object")):
        return translate(NO_EVENT, lang, **values, problems=translate(NOT_JSON, lang))
    if match := _UNKNOWN.fullmatch(reason):
        return translate(UNKNOWN_TYPE, lang, **{**values, "type": match["type"]}, version=match["version"])
    # the handler's own error, in words, when its consumer kept them; else what its code means (an old letter)
    said = _words(letter.get("error_said"), lang) or _words(meaning(letter), lang)
    if match := _FAILED.fullmatch(reason):
        if said:
            return translate(FAILED_SAID, lang, **values, times=match["times"], error=said)
        return translate(FAILED, lang, **values, times=match["times"])
    if said:
        return translate(REFUSED, lang, **values, error=said)
    if match := _FIELDS.fullmatch(reason):
        try:
            problems = _problems(ast.literal_eval(match["fields"]), lang)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):  # cut at 2000 characters
            problems = match["fields"]
        return translate(FIELDS_WRONG if match["type"] else NO_EVENT, lang, **values, problems=problems)
    return translate(REFUSED, lang, **values, error=reason.removeprefix(f"{type_}: ") or "?")


def _words(said, lang: str) -> str | None:
    """An error's message in each language (error_said, or `meaning`'s) in `lang` (else English), without its full
    stop, for a sentence to go on after it; None without one."""
    if not isinstance(said, dict):
        return None
    text = said.get(lang) or said.get("en")
    return text.strip().rstrip(".।").strip() if isinstance(text, str) and text.strip() else None


def _service(name: str, lang: str) -> str:
    return translate(SERVICES[name], lang) if name in SERVICES else name


def _problems(fields, lang: str, path: str = "") -> str:
    """marshmallow's messages ({'quantity': ['Must be ...']}, nested for lists and objects) as '; '-joined words."""
    if not isinstance(fields, dict):
        return "; ".join(_message(str(text), lang) for text in (fields if isinstance(fields, list) else [fields]))
    said = []
    for name, messages in fields.items():
        field = f"{path}[{name}]" if isinstance(name, int) else f"{path}.{name}" if path else str(name)
        if isinstance(messages, dict):
            said.append(_problems(messages, lang, field))
        else:
            said.append(translate(FIELD_WRONG, lang, field=field, message=_problems(messages, lang)))
    return "; ".join(said)


def _message(text: str, lang: str) -> str:
    """One field message as a sentence's part: in `lang`, without its full stop; a missing field 'not given'."""
    if text == "Missing data for required field.":
        return translate(MISSING, lang)
    said = translate_message(text, lang).rstrip(".।")
    return said[:1].lower() + said[1:] if lang == "en" else said
