"""`rawbank reconcile` itself: clean on agreeing stores, and each kind of disagreement is caught.

The stores are filled through the services' real APIs and consumer handlers (events handed
over in-process instead of through a broker); then one thing at a time is broken by hand.
`--via-api` is run as the command, against the three APIs served on free ports.
"""
from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from services import inventory, notifier, requests as requests_service
from services.inventory import consumer as inventory_consumer
from services.notifier import consumer as notifier_consumer
from services.requests import consumer as requests_consumer
from shared import cli, reconcile
from shared.auth import issue_token
from shared.envelope import decode_event
from shared.runtime import Runtime
from tests.conftest import free_port

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
SKU, DEPOT = "YRN-COT-40", "VNS"


def drain(runtimes, config) -> int:
    """Deliver every outbox event to the services that consume it, as relay and consumers would."""
    handlers = {"inventory": inventory_consumer.make_handler(runtimes["inventory"].db, config),
                "requests": requests_consumer.make_handler(runtimes["requests"].db, config),
                "notifier": notifier_consumer.make_handler(runtimes["notifier"].db, config)}
    readers = {"inventory": ("inventory", "requests", "notifier"), "requests": ("inventory", "notifier")}
    moved = 0
    for source in ("inventory", "requests"):
        db = runtimes[source].db
        for collection in runtimes[source].spec.outbox_collections:
            for doc in db[collection].find({"outbox.0": {"$exists": True}}, {"outbox": 1}):
                for raw in doc["outbox"]:
                    event = decode_event({k: v for k, v in raw.items() if k != "_relay"})
                    for reader in readers[source]:
                        handlers[reader](event)
                    moved += 1
                db[collection].update_one({"_id": doc["_id"]}, {"$set": {"outbox": []}})
    return moved


@pytest.fixture
def world(config):
    runtimes = {name: Runtime(package.spec(), config) for name, package in PACKAGES.items()}
    for name in ("inventory", "requests"):
        runtimes[name].spec.seed(runtimes[name].db, config)
    clients = {name: PACKAGES[name].create_app(config, runtimes[name]).test_client() for name in PACKAGES}
    admin = {"Authorization": f"Bearer {issue_token(config.jwt_secret, sub='adm', role='admin')}"}
    while drain(runtimes, config):
        pass
    rids = []
    for n in range(3):
        made = clients["requests"].post("/api/v1/requisitions", headers=admin, json={
            "artisan_id": "ART-0001", "depot": DEPOT, "lines": [{"sku": SKU, "quantity": "2"}]})
        assert made.status_code == 201, made.get_json()
        rids.append(made.get_json()["id"])
    for rid in rids:
        assert clients["requests"].post(f"/api/v1/requisitions/{rid}/approve", headers=admin, json={}).status_code == 200
    while drain(runtimes, config):
        pass
    assert clients["requests"].post(f"/api/v1/requisitions/{rids[1]}/dispatch", headers=admin, json={}).status_code == 200
    assert clients["requests"].post(f"/api/v1/requisitions/{rids[2]}/cancel", headers=admin, json={}).status_code == 200
    while drain(runtimes, config):
        pass
    yield runtimes, rids
    for runtime in runtimes.values():
        runtime.close()


def check(runtimes):
    return reconcile.check(reconcile.facts_of({name: runtime.db for name, runtime in runtimes.items()}))


def test_agreeing_stores_reconcile_clean(world):
    runtimes, rids = world
    report = check(runtimes)
    assert report.ok, report.problems
    assert report.counts["requisitions by status"] == {"cancelled": 1, "dispatched": 1, "reserved": 1}
    # a person reads the statuses as pages name them, in their language, not a Python dict of codes
    assert "  requisitions by status: Cancelled 1, Handed over 1, Ready at depot 1" in report.text().splitlines()
    assert "  स्थिति के अनुसार अनुरोध: रद्द 1, सौंप दिया गया 1, डिपो में तैयार 1" in report.text("hi").splitlines()


BREAKAGES = {
    "on hand changed without a ledger entry": (
        lambda inv, req, rids: inv.stock.update_one({"_id": f"{DEPOT}/{SKU}"}, {"$inc": {"on_hand": 1000}}),
        "the ledger sums to"),
    "a hold placed twice": (
        lambda inv, req, rids: inv.stock.update_one({"_id": f"{DEPOT}/{SKU}"},
                                                    {"$inc": {"reserved": 2000}, "$set": {f"holds.{rids[0]}": 4000}}),
        "holds {VNS/YRN-COT-40: 4}, expected {VNS/YRN-COT-40: 2}"),
    "a hold left behind by a cancel": (
        lambda inv, req, rids: inv.stock.update_one({"_id": f"{DEPOT}/{SKU}"},
                                                    {"$inc": {"reserved": 2000}, "$set": {f"holds.{rids[2]}": 2000}}),
        "(cancelled): holds"),
    "an issue recorded twice": (
        lambda inv, req, rids: inv.movements.insert_one({
            **inv.movements.find_one({"requisition_id": rids[1], "type": "issue"}), "_id": "twice"}),
        "issued 2 times"),
    "an inventory answer applied twice": (
        lambda inv, req, rids: req.requisitions.update_one(
            {"_id": rids[0]}, {"$push": {"applied": req.requisitions.find_one({"_id": rids[0]})["applied"][0]}}),
        "applied twice"),
    "statuses that disagree": (
        lambda inv, req, rids: req.requisitions.update_one({"_id": rids[1]}, {"$set": {"status": "reserved"}}),
        "reserved at requests but issued at inventory"),
    "an outbox not drained": (
        lambda inv, req, rids: req.requisitions.update_one({"_id": rids[0]}, {"$push": {"outbox": {"event_id": "x"}}}),
        "requests outbox not drained"),
    "a requisition the notifier never heard of": (
        lambda inv, req, rids: req.requisitions.insert_one({
            **req.requisitions.find_one({"_id": rids[2]}), "_id": "unheard", "applied": []}),
        "never reached the notifier"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_each_kind_of_disagreement_is_reported(world, breakage):
    runtimes, rids = world
    break_it, expected = BREAKAGES[breakage]
    break_it(runtimes["inventory"].db, runtimes["requests"].db, rids)
    report = check(runtimes)
    assert not report.ok
    assert any(expected in problem for problem in report.problems), report.problems


DEVANAGARI = re.compile("[\u0900-\u097f]")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_each_disagreement_is_said_in_hindi_with_its_figures(world, breakage):
    runtimes, rids = world
    BREAKAGES[breakage][0](runtimes["inventory"].db, runtimes["requests"].db, rids)
    report = check(runtimes)
    english, hindi = report.text().splitlines(), report.text("hi").splitlines()
    assert len(hindi) == len(english)
    for problem in report.problems:
        said = problem.said("hi")
        assert f"  - {said}" in hindi and f"  - {problem}" in english
        assert DEVANAGARI.search(said) and not PLACEHOLDER.search(said), said
        for value in problem.params.values():  # every code and figure of the English line is in the Hindi one
            assert str(value if not isinstance(value, reconcile.Problem) else value.said("hi")) in said, (said, value)


#: English a person would read in the Hindi report: a service's name, a requisition's or reservation's status
IN_ENGLISH = re.compile(r"\b(inventory|requests|notifier|submitted|approved|reserved|waitlisted|dispatched|received|"
                        r"rejected|cancelled|reserving|held|failed|released|issued)\b")


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_in_hindi_the_services_and_statuses_are_named_in_hindi(world, breakage):
    """`rawbank reconcile --lang hi` said "notifier", "reserved at requests but issued at inventory" in English
    within its Hindi lines; the English report (and the JSON's problems) keep the codes."""
    runtimes, rids = world
    BREAKAGES[breakage][0](runtimes["inventory"].db, runtimes["requests"].db, rids)
    report = check(runtimes)
    assert not IN_ENGLISH.search(report.text("hi")), report.text("hi")
    assert any(BREAKAGES[breakage][1] in problem for problem in report.problems)


def test_a_problem_is_its_english_text_and_says_its_phrases_in_hindi():
    nothing = reconcile.Problem("nothing")
    found = reconcile.Problem("report {what} {key}: the report says {reported}, the stores say {expected}",
                              what=reconcile.Problem("beneficiaries per month"), key="2026-11", reported=nothing,
                              expected=3)
    assert found == "report beneficiaries per month 2026-11: the report says nothing, the stores say 3"
    assert found.said("hi") == (
        "रिपोर्ट हर महीने के लाभार्थी 2026-11: रिपोर्ट कहती है कुछ नहीं, सेवाओं का डेटा कहता है 3")
    assert found.said("en") == found


@pytest.fixture
def served(world, config):
    """The three APIs on free ports, over the world's stores: {service: url}."""
    runtimes, _ = world
    servers, urls = [], {}
    for name, package in PACKAGES.items():
        port = free_port()
        server = make_server("127.0.0.1", port, package.create_app(config, runtimes[name]), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[name] = f"http://127.0.0.1:{port}"
    yield urls
    for server in servers:
        server.shutdown()


def url_args(urls: dict) -> list[str]:
    return [a for n, u in urls.items() for a in (f"--{n}-url", u)]


def test_the_command_reads_embedded_stores_through_the_admin_api_and_exits_by_verdict(world, served, config, capsys,
                                                                                       monkeypatch, tmp_path):
    runtimes, rids = world
    monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)
    # a data directory with no secret of its own: the checkout's ./var, after a `make dev`, holds one, which the
    # command would sign with instead of the tests' embedded one
    args = ["reconcile", "--via-api", "--no-dlq", "--data-dir", str(tmp_path)] + url_args(served)
    assert cli.main(args) == 0
    assert "verdict: CLEAN" in capsys.readouterr().out
    assert cli.main([*args, "--lang", "hi"]) == 0
    assert "नतीजा: सब ठीक" in capsys.readouterr().out
    runtimes["inventory"].db.stock.update_one({"_id": f"{DEPOT}/{SKU}"}, {"$inc": {"on_hand": 1}})
    assert cli.main(args) == 1
    assert "MISMATCH" in capsys.readouterr().out
    assert cli.main([*args, "--lang", "hi"]) == 1
    hindi = capsys.readouterr().out
    assert "पर आवाजाही खाते का जोड़" in hindi and "इन्वेंटरी सेवा" in hindi
    assert not IN_ENGLISH.search(hindi), hindi  # "events seen by the notifier", "reservations (inventory)": in Hindi
    # the in-process store is read over the services' APIs without being asked: as the README's plain command says
    assert cli.main(["reconcile", "--no-dlq", "--data-dir", str(tmp_path)] + url_args(served)) == 1
    assert "MISMATCH" in capsys.readouterr().out
    closed = [arg if not arg.startswith("http") else "http://127.0.0.1:9" for arg in url_args(served)]  # nobody
    assert cli.main(["reconcile", "--no-dlq", "--data-dir", str(tmp_path)] + closed) == 2  # rawbank is not running
    assert "make dev" in capsys.readouterr().err  # what to do next


def test_without_lang_it_says_each_line_in_english_then_in_hindi_as_the_other_commands_do(
        world, served, config, capsys, monkeypatch, tmp_path):
    """`rawbank reconcile` printed its report in English alone unless given `--lang hi`, where `dlq`, `backup` and
    `restore` say each line in English, then in Hindi below it. Now it does so too; `--lang en` and `--lang hi` say
    one language only, what is said on the way (a service that does not answer) too, as those commands do."""
    runtimes, _ = world
    monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)
    runtimes["inventory"].db.stock.update_one({"_id": f"{DEPOT}/{SKU}"}, {"$inc": {"on_hand": 1}})
    args = ["reconcile", "--via-api", "--no-dlq", "--data-dir", str(tmp_path)] + url_args(served)
    assert cli.main(args) == 1
    lines = capsys.readouterr().out.splitlines()
    problems = [n for n, line in enumerate(lines) if line.startswith("  - ")]
    assert problems and all(lines[n + 1].startswith("    - ") and HINDI.search(lines[n + 1]) for n in problems)
    assert any("पर आवाजाही खाते का जोड़" in lines[n + 1] for n in problems)  # each problem, then in Hindi below it
    verdict = next(n for n, line in enumerate(lines) if line.startswith("verdict: "))
    assert lines[verdict] == f"verdict: {len(problems)} MISMATCH(ES)"
    assert lines[verdict + 1] == f"  नतीजा: {len(problems)} बेमेल"
    assert cli.main([*args, "--lang", "en"]) == 1
    english = capsys.readouterr().out
    assert "MISMATCH(ES)" in english and not HINDI.search(english), english
    assert cli.main([*args, "--lang", "hi"]) == 1
    hindi = capsys.readouterr().out
    assert "बेमेल" in hindi and "verdict" not in hindi and not IN_ENGLISH.search(hindi), hindi
    closed = [arg if not arg.startswith("http") else "http://127.0.0.1:9" for arg in args]  # rawbank is not running
    assert cli.main([*closed, "--lang", "hi"]) == 2
    said = capsys.readouterr().err
    assert "तक नहीं पहुँच सके" in said and "could not reach" not in said, said


HINDI = re.compile("[\u0900-\u097f]")


def test_a_person_watching_sees_each_store_as_it_is_read(world, served, config, capsys):
    from shared import reconcile_cli
    assert reconcile_cli.main(config, via_api=True, urls=served, dlq=False, progress=True) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert [line.split(" Reading")[0] for line in lines[::2]] == ["[1/3]", "[2/3]", "[3/3]"]
    assert all(f"Reading the {name} store's facts ({served[name]}/api/v1/admin/reconcile-data)" in line
               for name, line in zip(("inventory", "requests", "notifier"), lines[::2]))
    assert all("तथ्य पढ़े जा रहे हैं" in line for line in lines[1::2])
    assert [line.split(" (")[0].strip() for line in lines[1::2]] == [  # the services in Hindi; where, as it is
        "[1/3] इन्वेंटरी सेवा के डेटा से तथ्य पढ़े जा रहे हैं", "[2/3] अनुरोध सेवा के डेटा से तथ्य पढ़े जा रहे हैं",
        "[3/3] नोटिफ़ायर सेवा के डेटा से तथ्य पढ़े जा रहे हैं"]
    assert "verdict: CLEAN" in captured.out
    assert reconcile_cli.main(config, via_api=True, urls=served, dlq=False) == 0
    assert capsys.readouterr().err == ""  # a script or a log: the report alone


def test_on_one_machine_it_lists_the_dead_letters_of_the_broker_rawbank_dev_started(
        served, broker, config, capsys, monkeypatch, tmp_path, unique):
    """`rawbank dev --broker-port N`: reconcile finds that broker in running.json, not KAFKA_BOOTSTRAP_SERVERS' 9092."""
    import json

    from shared.events import TOPICS, dlq_topic
    from shared.kafka import ensure_topics, make_producer
    on_broker = config.with_(kafka_bootstrap_servers=broker)
    ensure_topics(on_broker, [dlq_topic(t) for t in TOPICS])
    producer = make_producer(on_broker, "test-dlq")
    producer.send(dlq_topic(TOPICS[0]), b'{"type": "StockReceived"}',
                  headers=[("reason", f"poison {unique}".encode())]).get(timeout=10)
    producer.close()
    (tmp_path / "running.json").write_text(json.dumps(
        {"pid": 1, "host": "127.0.0.1", "ports": {"broker": int(broker.rsplit(":", 1)[1])}, "urls": served}))
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)
    cli.main(["reconcile", "--via-api", "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert "could not read the dead-letter topics" not in out
    assert f"poison {unique}" in out


def test_a_token_the_services_refuse_says_where_the_secret_comes_from(served, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RAWBANK_JWT_SECRET", "not-the-services-secret-" + "x" * 16)
    assert cli.main(["reconcile", "--via-api", "--no-dlq", "--data-dir", str(tmp_path), *url_args(served)]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "refused the admin token (HTTP 401)" in english and str(tmp_path) in english
    assert "--data-dir DIR" in english and "RAWBANK_JWT_SECRET" in english
    assert "एडमिन टोकन नहीं माना" in hindi and str(tmp_path) in hindi


def test_services_that_do_not_answer_say_how_to_start_them(served, config, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)
    gone = f"http://127.0.0.1:{free_port()}"
    assert cli.main(["reconcile", "--via-api", "--no-dlq", "--data-dir", str(tmp_path),
                     *url_args({**served, "requests": gone})]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert f"could not reach {gone}/api/v1/admin/reconcile-data" in english and "`make dev`" in english
    assert "तक नहीं पहुँच सके" in hindi and "`make dev`" in hindi



def test_after_a_broker_restart_it_lists_the_dead_letters_the_notifier_keeps_as_rawbank_dlq_does(
        world, served, broker, config, capsys, monkeypatch, tmp_path, unique):
    """Before, reconcile read the broker's .dlq topics only: on one machine, after a broker restart (Tansu keeps
    topics in memory) it said "0 message(s)" while `rawbank dlq list` showed the notifier's copies."""
    import json
    from datetime import datetime, timezone

    from kafka import TopicPartition
    from kafka.consumer.fetcher import ConsumerRecord

    from services.notifier.consumer import make_dead_letter_handler
    from services.notifier.dead_letters import mark_resent
    from shared.events import TOPICS, dlq_topic
    from shared.kafka import Consumer, ensure_topics, make_producer
    runtimes, _ = world
    topic, dlq = TOPICS[0], dlq_topic(TOPICS[0])
    lost, only_broker, both = (f"{name}-{unique}" for name in ("lost", "only-broker", "both"))
    headers = [("reason", f"insufficient_stock {unique}".encode()), ("original_topic", topic.encode()),
               ("consumer_group", b"rawbank-requests")]

    def value(event_id: str) -> bytes:
        return json.dumps({"type": "StockReceived", "event_id": event_id, "payload": {}}).encode()
    on_broker = config.with_(kafka_bootstrap_servers=broker)
    ensure_topics(on_broker, [dlq_topic(t) for t in TOPICS])
    producer = make_producer(on_broker, "test-dlq")
    for event_id in (only_broker, both):
        producer.send(dlq, value(event_id), key=b"VNS/YRN", headers=headers, partition=0).get(timeout=10)
    producer.close()
    keep = make_dead_letter_handler(runtimes["notifier"].db, config)  # what the notifier's worker does with each
    consumer = Consumer(bootstrap_servers=broker, group_id=None, enable_auto_commit=False, consumer_timeout_ms=3000)
    consumer.assign([TopicPartition(dlq, 0)])
    consumer.seek_to_beginning(TopicPartition(dlq, 0))
    [read] = [record for record in consumer if json.loads(record.value).get("event_id") == both]
    consumer.close()
    keep(read)  # the notifier read this one, and the broker still has it
    keep(ConsumerRecord(dlq, 0, -1, 4, 0, 0, b"VNS/YRN", value(lost), headers, None, 7, len(value(lost)), -1))
    mark_resent(runtimes["notifier"].db, f"{topic}:rawbank-requests:{lost}", resend_id="r-1", by="adm",
                at=datetime.now(timezone.utc))  # read from a broker since restarted, and sent again once
    (tmp_path / "running.json").write_text(json.dumps(
        {"pid": 1, "host": "127.0.0.1", "ports": {"broker": int(broker.rsplit(":", 1)[1])}, "urls": served}))
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)

    def ours(entries: list[dict]) -> list[tuple]:
        return sorted((e["event_id"], e["in_broker"], e["kept"]) for e in entries if unique in (e["event_id"] or ""))
    assert cli.main(["dlq", "list", "--json", "--data-dir", str(tmp_path)]) == 0
    listed = ours(json.loads(capsys.readouterr().out))
    assert listed == sorted([(lost, False, True), (only_broker, True, False), (both, True, True)])
    assert cli.main(["reconcile", "--via-api", "--json", "--data-dir", str(tmp_path)]) == 0  # not a mismatch
    report = json.loads(capsys.readouterr().out)
    assert ours(report["dlq"]) == listed and report["ok"] and report["dlq_error"] is None

    assert cli.main(["reconcile", "--via-api", "--data-dir", str(tmp_path), "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    [count] = [line for line in out if line.startswith("dead letters")]
    assert count.startswith(f"dead letters: {len(report['dlq'])} ")
    [gone] = [n for n, line in enumerate(out) if line.startswith(f"  {lost}")]
    assert "the notifier keeps it; the broker no longer has it" in out[gone]
    assert out[gone + 1].startswith("    The requests service ") and f"rawbank dlq resend {lost}" in out[gone + 1]
    assert "sent again 1 time(s)" in out[gone + 2] and "by adm" in out[gone + 2]
    assert "the broker has it; the notifier has not kept it yet" in next(line for line in out if only_broker in line)
    assert "the broker has it and the notifier keeps it" in next(line for line in out if both in line)
    assert "verdict: CLEAN" in out[-1]
    assert cli.main(["reconcile", "--via-api", "--data-dir", str(tmp_path), "--lang", "hi"]) == 0
    hindi = capsys.readouterr().out.splitlines()
    assert "संदेश-केंद्र" in next(line for line in hindi if lost in line) and "नतीजा: सब ठीक" in hindi[-1]


def test_with_no_running_dev_and_no_broker_address_it_checks_the_rest_and_says_how_to_name_the_broker(
        served, config, capsys, monkeypatch, tmp_path):
    """Before, with no running.json in the data directory and KAFKA_BOOTSTRAP_SERVERS not set (after `rawbank dev
    --memory --broker-port N`), the dead-letter part asked 127.0.0.1:9092: it waited there for nothing, or read another
    rawbank's dead letters. It asks no broker, says how to name one as `rawbank dlq` does, and the stores' checks
    still decide the verdict."""
    import json
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "RAWBANK_NOTIFIER_URL", "RAWBANK_DATA_DIR", "MONGO_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)
    args = ["reconcile", "--via-api", "--data-dir", str(tmp_path), *url_args(served)]  # tmp_path: no running.json
    assert cli.main([*args, "--json"]) == 0  # the dead letters unread are no mismatch
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["dlq"] == [] and report["counts"]
    said = report["dlq_error"]
    assert said.startswith("rawbank reconcile: no `rawbank dev` runs on the data directory " + str(tmp_path)), said
    assert "running.json" in said and "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:N" in said and "9092" not in said
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "verdict: CLEAN" in out and "could not read the dead-letter topics" not in out and "9092" not in out
    assert "note: rawbank reconcile: no `rawbank dev` runs on the data directory" in out
    assert "dead letters: not read this time" in out and "dead letters: 0" not in out  # no broker read, no "0" said
    assert "rawbank dev --memory --broker-port N" in out and "RAWBANK_NOTIFIER_URL" in out
    assert cli.main([*args, "--lang", "hi"]) == 0
    hindi = capsys.readouterr().out
    assert "नतीजा: सब ठीक" in hindi and "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:N" in hindi and str(tmp_path) in hindi
    assert "संदेश-केंद्र" in hindi and "make dev" in hindi
