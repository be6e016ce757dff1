"""`rawbank dlq list` and `rawbank dlq resend` on a real broker: a dead letter goes back to its topic as it
came, once per run asked, and what cannot be sent as it was is refused in words."""
from __future__ import annotations

import io
import json
import threading
from dataclasses import replace

import pytest
import requests
from kafka import TopicPartition
from werkzeug.serving import make_server

from services import notifier
from services.inventory.errors import InsufficientStock, StockBusy, UnknownMaterial
from shared import console, dlq_cli
from shared.broker import start_broker, stop_process, wait_for_broker
from shared.consumer import ConsumerLoop
from shared.envelope import new_event
from shared.events import dlq_topic
from shared.i18n import translate
from shared.kafka import Consumer, ensure_topics, make_producer
from shared.runtime import Runtime
from shared.worker import Worker
from tests.conftest import free_port, wait_until
from tests.integration.test_messaging import running


def dead_letter(config, topic: str, event, *, reason: str, truncated: bool = False, more=()) -> None:
    """A message kept in <topic>.dlq with the headers a consumer writes when it gives up on it (and `more`)."""
    value = event.to_bytes()
    headers = [("reason", reason.encode()), ("original_topic", topic.encode()), ("original_partition", b"0"),
               ("original_offset", b"7"), ("consumer_group", b"rawbank-inventory"), ("dead_lettered_at", b"1"),
               *more]
    if truncated:
        headers.append(("truncated_from", str(len(value) * 10).encode()))
    producer = make_producer(config, "test")
    try:
        producer.send(dlq_topic(topic), key=event.key.encode(), value=value, headers=headers, partition=0).get(30)
    finally:
        producer.close()


def messages(config, topic: str) -> list:
    consumer = Consumer(bootstrap_servers=config.kafka_bootstrap_servers, group_id=None, enable_auto_commit=False,
                        consumer_timeout_ms=3000)
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        return list(consumer)
    finally:
        consumer.close()


def dispatch_and_low(rid: str):
    """A dispatch that inventory could not book, and a stock-low event: two dead letters of one topic."""
    dispatched = new_event("RequisitionDispatched", rid, {"requisition_id": rid, "depot": "VNS", "artisan_id": "ART-1",
                                                          "by": "clerk", "lines": [{"sku": "YRN", "quantity": 1000}]},
                           source="requests")
    low = new_event("StockLow", "VNS/YRN", {"sku": "YRN", "depot": "VNS", "available": 1, "reorder_level": 5},
                    source="inventory")
    return dispatched, low


SEEN = {  # where a dead letter was seen, as `rawbank reconcile` says it: English, Hindi
    "both": ("the broker has it and the notifier keeps it", "संदेश-केंद्र के पास है और नोटिफ़ायर ने भी रखा है"),
    "broker": ("the broker has it; the notifier has not kept it yet",
               "संदेश-केंद्र के पास है; नोटिफ़ायर ने अभी तक नहीं रखा"),
    "kept": ("the notifier keeps it; the broker no longer has it",
             "नोटिफ़ायर ने रखा है; संदेश-केंद्र के पास अब नहीं है"),
}


def said_under(listing: str, event_id: str) -> list[str]:
    """The lines plain `rawbank dlq list` prints under the dead letter of this event, up to the next one's."""
    lines = listing.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"{event_id}  "))
    under = []
    for line in lines[start + 3:]:  # after what its reason means, in English and in Hindi
        if "  group=" in line or "dead letter(s)" in line:
            break
        under.append(line.strip())
    return under


def test_a_dead_letter_is_listed_and_sent_again_as_it_came_to_its_topic(broker_config, unique):
    topic = f"inventory.events.{unique}"
    ensure_topics(broker_config, [topic])
    dispatched, other = dispatch_and_low("REQ-1")
    dead_letter(broker_config, topic, dispatched, reason="insufficient_stock: count the stock")
    dead_letter(broker_config, topic, other, reason="bug")

    out = io.StringIO()
    assert dlq_cli.list_(broker_config, [topic], stream=out) == 0
    listing = out.getvalue()
    assert dispatched.event_id in listing and "RequisitionDispatched" in listing and "count the stock" in listing
    assert "अटके संदेश" in listing  # the closing advice in Hindi too
    assert said_under(listing, dispatched.event_id) == list(SEEN["broker"])  # no notifier here: where it was seen
    out = io.StringIO()
    dlq_cli.list_(broker_config, [topic], as_json=True, stream=out)
    assert [entry["event_id"] for entry in json.loads(out.getvalue())] == [dispatched.event_id, other.event_id]

    assert messages(broker_config, topic) == []
    out = io.StringIO()
    assert dlq_cli.resend(broker_config, [topic], [dispatched.event_id], stream=out) == 0
    assert "[1/1]" in out.getvalue() and "count the stock" in out.getvalue()
    [sent] = messages(broker_config, topic)
    assert sent.value == dispatched.to_bytes() and sent.key == b"REQ-1"  # as it came: one event, the same id
    assert dict(sent.headers)["resent_from"].startswith(f"{dlq_topic(topic)}:0:".encode())
    assert len(dlq_cli.letters(broker_config, [topic])) == 2  # a topic is never edited: the dead letter stays
    assert dlq_cli.resend(broker_config, [topic], [dispatched.event_id], stream=io.StringIO()) == 0
    first, again = messages(broker_config, topic)  # each sending marked as its own: a failure of each is news
    assert dict(first.headers)["resend_id"] != dict(again.headers)["resend_id"]


def refused_by_inventory(config, topic: str, until=None):
    """A RequisitionDispatched event with a zero quantity and no artisan, which inventory's real consumer refuses
    (a dead letter in <topic>.dlq); `until` waits for more than the dead letter (the notifier to keep it)."""
    dispatched, _ = dispatch_and_low("REQ-5")
    malformed = json.loads(dispatched.to_bytes())
    malformed["payload"]["lines"][0]["quantity"] = "0"
    del malformed["payload"]["artisan_id"]
    producer = make_producer(config, "test")
    try:
        producer.send(topic, key=b"REQ-5", value=json.dumps(malformed).encode()).get(10)
        applied = []
        with running(ConsumerLoop(config, service="inventory", group_id="rawbank-inventory", topics=[topic],
                                  handler=applied.append, producer=producer)):
            wait_until(lambda: messages(config, dlq_topic(topic)), 30, message="the dead letter")
            if until:
                wait_until(until, 60, message="the notifier to keep the dead letter")
    finally:
        producer.close()
    assert applied == []  # refused, never applied
    return dispatched


def test_a_malformed_event_a_consumer_refused_is_listed_with_what_is_wrong_and_what_to_do_in_words(
        broker_config, unique, monkeypatch):
    """`rawbank dlq list` showed the reason as marshmallow wrote it ("RequisitionDispatched payload invalid:
    {'lines': {0: {'quantity': [...]}}}"), which a district operator cannot act on: under it, a sentence naming the
    event, the field and what is wrong, and what to do next, in English and in Hindi (or Hindi only, --lang hi)."""
    topic = f"requests.events.{unique}"
    ensure_topics(broker_config, [topic])
    dispatched = refused_by_inventory(broker_config, topic)
    config = broker_config.with_(notifier_url=f"http://127.0.0.1:{free_port()}")  # no notifier: the broker's copy

    out = io.StringIO()
    assert dlq_cli.list_(config, [topic], stream=out) == 0
    first, english, hindi = out.getvalue().splitlines()[:3]
    assert first.startswith(f"{dispatched.event_id}  RequisitionDispatched") and "payload invalid: {" in first  # kept
    assert english == (
        f"The inventory service could not apply the RequisitionDispatched event {dispatched.event_id} because its data "
        "is wrong: the field \u201cartisan_id\u201d: not given; the field \u201clines[0].quantity\u201d: must be "
        "greater than zero. Sent again unchanged it fails again: correct the record in the requests service (a "
        "corrected event follows) and acknowledge this dead letter's alert to discard it; only if the inventory "
        "service's check was wrong, send it again once the fix is deployed: "
        f"rawbank dlq resend {dispatched.event_id}"), out.getvalue()
    assert hindi.startswith("  इन्वेंटरी सेवा") and "\u201cartisan_id\u201d" in hindi and "नहीं दिया गया" in hindi
    assert "शून्य से अधिक होना चाहिए" in hindi and hindi.endswith(f"rawbank dlq resend {dispatched.event_id}"), hindi

    monkeypatch.setattr(console, "ONLY", "hi")
    out = io.StringIO()
    assert dlq_cli.list_(config, [topic], stream=out) == 0
    assert out.getvalue().splitlines()[1] == hindi.strip(), out.getvalue()
    out = io.StringIO()
    assert dlq_cli.list_(config, [topic], as_json=True, stream=out) == 0
    [listed] = json.loads(out.getvalue())  # the reason as the consumer wrote it, and what it means in each language
    assert listed["reason"].startswith("RequisitionDispatched payload invalid: {'artisan_id'"), listed
    assert listed["reason_explained"] == {"en": english, "hi": hindi.strip()}, listed


def test_an_unknown_or_cut_dead_letter_is_refused_and_nothing_is_sent(broker_config, unique, capsys):
    broker_config = broker_config.with_(notifier_url=f"http://127.0.0.1:{free_port()}")  # no notifier: the broker's
    topic = f"requests.events.{unique}"
    ensure_topics(broker_config, [topic])
    big = new_event("StockLow", "VNS/DYE", {"sku": "DYE", "depot": "VNS", "available": 0, "reorder_level": 5},
                    source="inventory")
    dead_letter(broker_config, topic, big, reason="too big", truncated=True)
    assert dlq_cli.resend(broker_config, [topic], ["no-such-event"]) == 1
    assert dlq_cli.resend(broker_config, [topic], [big.event_id]) == 1
    err = capsys.readouterr().err
    assert "no-such-event" in err and "rawbank dlq list" in err and "कोई अटका संदेश नहीं" in err
    assert "cannot be sent again" in err and "दोबारा नहीं भेजा जा सकता" in err
    assert f"ask the developers to apply it from {topic}" in err and "डेवलपरों से कहें" in err  # what to do instead
    assert "log has it whole" not in err  # the log has the reason, never the message
    assert "only the dead letters the broker still has" in err and "नोटिफ़ायर की प्रतियों के बिना" in err
    assert messages(broker_config, topic) == []


def test_a_dead_letter_asked_of_the_wrong_topic_says_which_topic_has_it(broker_config, unique, capsys):
    """`rawbank dlq resend ID --topic inventory.events` of a requests.events dead letter said only "no dead letter
    with event id ID", while `rawbank dlq list` showed it: the topic it is in, and what to type, are said."""
    broker_config = broker_config.with_(notifier_url=f"http://127.0.0.1:{free_port()}")  # no notifier: the broker's
    asked, other = f"inventory.events.{unique}", f"requests.events.{unique}"
    ensure_topics(broker_config, [asked, other])
    dispatched, _ = dispatch_and_low("REQ-9")
    dead_letter(broker_config, other, dispatched, reason="bug")
    assert dlq_cli.resend(broker_config, [asked], [dispatched.event_id], elsewhere=[other]) == 1
    err = capsys.readouterr().err
    assert f"no dead letter with event id {dispatched.event_id} in {asked}" in err
    assert f"it is in {other}: leave --topic out, or give --topic {other}" in err
    assert err.count(f"--topic {other}") == 2 and "में है" in err  # the English line, then the Hindi one
    assert messages(broker_config, asked) == [] and messages(broker_config, other) == []  # nothing sent


@pytest.fixture
def own_broker():
    """A broker of this test's own, which the test stops and starts again (empty, as Tansu keeps topics in memory)."""
    port = free_port()
    process = start_broker(port)
    wait_for_broker(port, process=process)
    broker = {"process": process, "port": port}

    def restart():
        stop_process(broker["process"])
        broker["process"] = start_broker(port)
        wait_for_broker(port, process=broker["process"])
    yield f"127.0.0.1:{port}", restart
    stop_process(broker["process"])


@pytest.fixture
def notifier_on(config, unique, tmp_path):
    """notifier_on(servers, topics): the notifier's worker (reading the .dlq topics) and its API on a free port,
    its store in a data directory (as `rawbank dev` keeps it); stop() ends them, and a start after it finds the
    store as it was."""
    started = []

    def start(servers: str, topics: tuple[str, ...]):
        on = config.with_(kafka_bootstrap_servers=servers, kafka_request_timeout_ms=5000, data_dir=str(tmp_path))
        service = replace(notifier.spec(), name=f"notifier-{unique}", consumes=topics,
                          consumes_raw=tuple(dlq_topic(t) for t in topics))
        runtime = Runtime(service, on)
        server = make_server("127.0.0.1", 0, notifier.create_app(on, runtime), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        worker = Worker(runtime).start()
        started.append((worker, server, runtime))
        return on.with_(notifier_url=f"http://127.0.0.1:{server.server_port}"), runtime.db

    def stop():
        while started:
            worker, server, runtime = started.pop()
            worker.stop()
            server.shutdown()
            runtime.close()
    start.stop = stop
    yield start
    stop()


def test_after_a_restart_lost_the_brokers_topics_the_notifier_still_lists_and_resends_each_dead_letter_once(
        own_broker, notifier_on, unique):
    servers, restart_broker = own_broker
    topic = f"inventory.events.{unique}"
    config, db = notifier_on(servers, (topic,))
    ensure_topics(config, [topic])
    dispatched, other = dispatch_and_low("REQ-9")
    dead_letter(config, topic, dispatched, reason="insufficient_stock: count the stock")
    dead_letter(config, topic, dispatched, reason="insufficient_stock: count the stock")  # sent twice by a crash
    dead_letter(config, topic, other, reason="bug")
    wait_until(lambda: db.dead_letters.count_documents({"event_id": other.event_id}), 60,
               message="the notifier to keep the dead letters")
    assert db.dead_letters.count_documents({}) == 2  # the duplicate kept once

    def listed() -> list[dict]:
        out = io.StringIO()
        assert dlq_cli.list_(config, [topic], as_json=True, stream=out) == 0
        return json.loads(out.getvalue())
    assert [entry["event_id"] for entry in listed()] == [dispatched.event_id, other.event_id]  # broker + notifier
    out = io.StringIO()
    assert dlq_cli.list_(config, [topic], stream=out) == 0  # plain, as reconcile says where each was seen
    assert said_under(out.getvalue(), dispatched.event_id) == list(SEEN["both"]), out.getvalue()
    assert said_under(out.getvalue(), other.event_id) == list(SEEN["both"]), out.getvalue()

    notifier_on.stop()  # the whole machine stops: the notifier's store is on disk, the broker's topics in memory
    restart_broker()
    config, db = notifier_on(servers, (topic,))
    ensure_topics(config, [topic])
    assert messages(config, dlq_topic(topic)) == []  # the broker lost every dead letter
    assert [(entry["event_id"], entry["reason"]) for entry in listed()] == [
        (dispatched.event_id, "insufficient_stock: count the stock"), (other.event_id, "bug")]
    out = io.StringIO()
    assert dlq_cli.list_(config, [topic], stream=out) == 0
    assert dispatched.event_id in out.getvalue() and "count the stock" in out.getvalue()
    assert said_under(out.getvalue(), other.event_id) == list(SEEN["kept"]), out.getvalue()

    out = io.StringIO()
    assert dlq_cli.resend(config, [topic], [dispatched.event_id], stream=out) == 0
    assert "[1/1]" in out.getvalue()
    [sent] = messages(config, topic)
    assert sent.value == dispatched.to_bytes() and sent.key == b"REQ-9"  # as it came, from the notifier's copy
    assert dict(sent.headers)["resent_from"].startswith(f"{dlq_topic(topic)}:0:".encode())
    [marked] = [entry for entry in listed() if entry["event_id"] == dispatched.event_id]
    assert [r["resend_id"].encode() for r in marked["resends"]] == [dict(sent.headers)["resend_id"]]
    out = io.StringIO()
    dlq_cli.list_(config, [topic], stream=out)
    assert "sent again 1" in out.getvalue() and "दोबारा भेजा गया" in out.getvalue()
    kept, kept_hi, again, again_hi = said_under(out.getvalue(), dispatched.event_id)  # under its own dead letter
    assert [kept, kept_hi] == list(SEEN["kept"]) and again.startswith("sent again 1 time(s), last ")
    assert again.endswith(" by rawbank-dlq") and again_hi.startswith("1 बार दोबारा भेजा गया"), out.getvalue()


def test_the_api_lists_a_refused_malformed_event_with_what_its_reason_means_as_rawbank_dlq_list_json_does(
        broker_config, notifier_on, unique, token):
    """GET /api/v1/dead-letters gave only the reason as marshmallow wrote it ("RequisitionDispatched payload invalid:
    {'lines': {0: ...}}"): beside it, `reason_explained` in English and Hindi, the same as `rawbank dlq list --json`."""
    topic = f"requests.events.{unique}"
    config, db = notifier_on(broker_config.kafka_bootstrap_servers, (topic,))
    ensure_topics(config, [topic])
    inventorys = {"consumer_group": "rawbank-inventory"}  # the notifier, reading the topic too, refuses it as well
    dispatched = refused_by_inventory(config, topic, until=lambda: db.dead_letters.count_documents(inventorys))
    answer = requests.get(f"{config.notifier_url}/api/v1/dead-letters", headers=token("admin"), timeout=10)
    assert answer.status_code == 200, answer.text
    [listed] = [letter for letter in answer.json() if letter["consumer_group"] == "rawbank-inventory"]
    assert listed["reason"].startswith("RequisitionDispatched payload invalid: {'artisan_id'"), listed  # as written
    english, hindi = listed["reason_explained"]["en"], listed["reason_explained"]["hi"]
    assert english.startswith("The inventory service could not apply the RequisitionDispatched event "
                              f"{dispatched.event_id} because its data is wrong: the field \u201cartisan_id\u201d: "
                              "not given; the field \u201clines[0].quantity\u201d: must be greater than zero."), english
    assert english.endswith(f"rawbank dlq resend {dispatched.event_id}"), english
    assert hindi.startswith("इन्वेंटरी सेवा") and "शून्य से अधिक होना चाहिए" in hindi, hindi
    out = io.StringIO()
    assert dlq_cli.list_(config, [topic], as_json=True, stream=out) == 0
    [from_cli] = [letter for letter in json.loads(out.getvalue()) if letter["consumer_group"] == "rawbank-inventory"]
    assert listed["reason_explained"] == from_cli["reason_explained"]


def test_an_error_the_consumers_own_handler_raised_is_listed_in_words_and_its_trace_logged_under_the_event_id(
        broker_config, unique, caplog):
    """A handler's own refusal was listed as its code and a dict ("insufficient_stock {'sku': ...}"), and a crash
    as Python's repr, inside the sentence: a real consumer now keeps the error in words beside the reason, which
    `rawbank dlq list --json` says in each language; a crash says the log has its trace under the event id, and the
    log does."""
    topic = f"requests.events.{unique}"
    ensure_topics(broker_config, [topic])
    short, crash = dispatch_and_low("REQ-7")[0], dispatch_and_low("REQ-8")[0]
    refusal = InsufficientStock({"sku": "YRN", "depot": "VNS", "available": "0.5", "wanted": "1"})

    def handler(event):
        if event.event_id == short.event_id:
            raise refusal
        raise KeyError("sku")
    producer = make_producer(broker_config, "test")
    try:
        for event in (short, crash):
            producer.send(topic, key=event.key.encode(), value=event.to_bytes()).get(10)
        with caplog.at_level("ERROR", logger="shared.consumer"), \
                running(ConsumerLoop(broker_config, service="inventory", group_id="rawbank-inventory",
                                     topics=[topic], handler=handler, producer=producer)):
            wait_until(lambda: len(messages(broker_config, dlq_topic(topic))) == 2, 60, message="two dead letters")
    finally:
        producer.close()
    out = io.StringIO()
    config = broker_config.with_(notifier_url=f"http://127.0.0.1:{free_port()}")  # no notifier: the broker's copy
    assert dlq_cli.list_(config, [topic], as_json=True, stream=out) == 0
    listed = {letter["event_id"]: letter for letter in json.loads(out.getvalue())}
    refused, failed = listed[short.event_id], listed[crash.event_id]
    assert refused["reason"] == f"RequisitionDispatched: {refusal}" and refused["error_code"] == "insufficient_stock"
    assert refused["reason_explained"]["en"] == (
        f"The inventory service refused the RequisitionDispatched event {short.event_id}: Only 0.5 of YRN is "
        "available at VNS; 1 was asked for. Nothing was changed. If it is no longer needed, acknowledge this dead "
        "letter's alert to discard it; else put the cause right (count the stock, correct the record) and send it "
        f"again: rawbank dlq resend {short.event_id}"), refused
    hindi = refused["reason_explained"]["hi"]
    assert refusal.describe("hi").rstrip("।") in hindi and "insufficient_stock" not in hindi and "{" not in hindi
    assert failed["reason"].startswith("RequisitionDispatched: handler failed"), failed
    assert "KeyError('sku')" in failed["reason"], failed  # as the consumer wrote it
    assert failed["error_code"] is None and "KeyError" not in str(failed["reason_explained"]), failed
    assert failed["reason_explained"]["en"].startswith("The inventory service failed unexpectedly "), failed
    assert f"log has the trace under the event id {crash.event_id}" in failed["reason_explained"]["en"], failed
    assert "अनपेक्षित रूप से" in failed["reason_explained"]["hi"], failed
    logged = [r for r in caplog.records if crash.event_id in r.getMessage() and r.exc_info]
    assert logged and logged[0].exc_info[0] is KeyError  # the trace the sentence sends staff to, under its event id


def test_an_old_dead_letter_with_a_known_code_but_no_words_is_said_by_that_codes_own_message_marked_as_derived(
        broker_config, notifier_on, unique, token):
    """A dead letter written before consumers kept an error's words (error_said) has its code in an error_code header
    or only in the reason as the consumer wrote the error ("unknown_material {'sku': ...}"): an admin read that code
    and nothing more. Where the code is one rawbank knows with a message of its own, the API gives that message in
    each language as `error_meaning` (error_said stays null: the letter never said it), and `rawbank dlq list` and
    the API say it in their sentences; a code rawbank does not know is said as before."""
    topic = f"requests.events.{unique}"
    config, db = notifier_on(broker_config.kafka_bootstrap_servers, (topic,))
    ensure_topics(config, [topic])
    coded, bare, busy, unknown = (dispatch_and_low(f"REQ-3{n}")[0] for n in range(4))
    refusal, passing = UnknownMaterial({"sku": "YRN"}), StockBusy({"sku": "YRN", "depot": "VNS"})
    dead_letter(config, topic, coded, reason=f"RequisitionDispatched: {refusal}",
                more=[("error_code", b"unknown_material")])
    dead_letter(config, topic, bare, reason=f"RequisitionDispatched: {refusal}")  # before error_code too
    dead_letter(config, topic, busy, reason=f"RequisitionDispatched: handler failed 5 times: {passing!r}")
    dead_letter(config, topic, unknown, reason="RequisitionDispatched: no_such_code {'sku': 'YRN'}",
                more=[("error_code", b"no_such_code")])
    wait_until(lambda: db.dead_letters.count_documents({"consumer_group": "rawbank-inventory"}) == 4, 60,
               message="the notifier keeps the four dead letters")
    meaning = {lang: translate(UnknownMaterial.message, lang) for lang in ("en", "hi")}
    busy_meaning = {lang: translate(StockBusy.message, lang) for lang in ("en", "hi")}
    assert meaning["hi"] != meaning["en"] and busy_meaning["hi"] != busy_meaning["en"]
    for language in ("en", "hi"):  # the same answer whatever the reader's language: each letter in both
        answer = requests.get(f"{config.notifier_url}/api/v1/dead-letters",
                              headers={**token("admin"), "Accept-Language": language}, timeout=10)
        assert answer.status_code == 200, answer.text
        listed = {letter["event_id"]: letter for letter in answer.json()}
        for event, code, words in ((coded, "unknown_material", meaning), (bare, "unknown_material", meaning),
                                   (busy, "stock_busy", busy_meaning)):
            letter = listed[event.event_id]
            assert letter["error_said"] is None, letter  # the letter never said it: derived, and marked so
            assert letter["error_meaning"] == {"code": code, **words}, letter
            for lang in ("en", "hi"):
                said = letter["reason_explained"][lang]
                assert words[lang].rstrip(".।") in said and code not in said and "{" not in said, said
                assert said.endswith(f"rawbank dlq resend {event.event_id}"), said
        assert listed[coded.event_id]["error_code"] == "unknown_material"  # as the letter has it
        assert listed[bare.event_id]["error_code"] is None
        assert listed[coded.event_id]["reason_explained"]["en"] == (
            f"The inventory service refused the RequisitionDispatched event {coded.event_id}: No material with this "
            "SKU; register it first (POST /api/v1/materials). If it is no longer needed, acknowledge this dead "
            "letter's alert to discard it; else put the cause right (count the stock, correct the record) and send "
            f"it again: rawbank dlq resend {coded.event_id}")
        assert listed[busy.event_id]["reason_explained"]["en"].startswith(
            f"The inventory service tried 5 times to apply the RequisitionDispatched event {busy.event_id} and could "
            "not: This stock is very busy right now")
        strange = listed[unknown.event_id]
        assert strange["error_meaning"] is None and strange["error_code"] == "no_such_code", strange
        assert f"{unknown.event_id}: no_such_code {{'sku': 'YRN'}}. If it" in strange["reason_explained"]["en"]
    properties = requests.get(f"{config.notifier_url}/api/v1/openapi.json", timeout=10).json()[
        "components"]["schemas"]["DeadLetter"]["properties"]
    assert "error_meaning" in properties and "derived" in str(properties["error_meaning"]), properties

    out = io.StringIO()
    assert dlq_cli.list_(config, [topic], stream=out) == 0
    listing = out.getvalue()
    for event in (coded, bare):
        at = listing.splitlines().index(next(line for line in listing.splitlines()
                                             if line.startswith(f"{event.event_id}  ")))
        english, hindi = listing.splitlines()[at + 1:at + 3]
        assert meaning["en"].rstrip(".") in english and meaning["hi"].rstrip("।") in hindi, listing
    out = io.StringIO()
    assert dlq_cli.list_(config, [topic], as_json=True, stream=out) == 0
    from_cli = {letter["event_id"]: letter for letter in json.loads(out.getvalue())}
    assert from_cli[bare.event_id]["error_meaning"] == {"code": "unknown_material", **meaning}
    assert from_cli[bare.event_id]["reason_explained"] == listed[bare.event_id]["reason_explained"]
    out = io.StringIO()  # without the notifier: the broker's copies, said alike
    alone = config.with_(notifier_url=f"http://127.0.0.1:{free_port()}")
    assert dlq_cli.list_(alone, [topic], as_json=True, stream=out) == 0
    from_broker = {letter["event_id"]: letter for letter in json.loads(out.getvalue())}
    for event in (coded, bare, busy, unknown):
        assert from_broker[event.event_id]["reason_explained"] == listed[event.event_id]["reason_explained"]
        assert from_broker[event.event_id]["error_meaning"] == listed[event.event_id]["error_meaning"]
