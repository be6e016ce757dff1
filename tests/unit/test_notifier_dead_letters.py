"""The notifier keeps each dead letter it reads, once, so that `rawbank dlq` finds it after the broker lost it."""
from __future__ import annotations

import base64
import json
import uuid
from types import SimpleNamespace

import pytest

from services.notifier import create_app, spec
from services.notifier.consumer import make_dead_letter_handler
from shared.mongo import connect
from shared.runtime import Runtime


@pytest.fixture
def db():
    return connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]


def record(offset, value, *, topic="inventory.events.dlq", group=b"rawbank-requests", resend_id=None,
           truncated_from=None):
    return SimpleNamespace(topic=topic, partition=0, offset=offset, key=b"VNS/YRN", value=value, headers=[
        ("reason", b"StockReceived payload invalid"), ("original_topic", b"inventory.events"),
        ("consumer_group", group),
        *([("resent_from", b"inventory.events.dlq:0:3"), ("resend_id", resend_id)] if resend_id else []),
        *([("truncated_from", truncated_from)] if truncated_from else [])])


def received(event_id):
    return json.dumps({"type": "StockReceived", "event_id": event_id, "payload": {"depot": "VNS"}}).encode()


def test_each_dead_letter_is_kept_once_with_what_it_says_and_its_bytes(db, config):
    handle = make_dead_letter_handler(db, config)
    handle(record(5, received("e-1")))
    handle(record(5, received("e-1")))  # read twice (a crash before the commit)
    handle(record(0, received("e-1")))  # the same failure, sent again by its consumer, or on a broker started anew
    handle(record(6, received("e-1"), group=b"rawbank-inventory"))  # another service's failure of it: its own
    handle(record(7, received("e-1"), resend_id=b"r-1"))  # a resent copy that failed again: its own
    handle(record(8, b"\x00garbage"))
    handle(record(8, b"\x00garbage"))
    kept = list(db.dead_letters.find().sort([("kept_at", 1), ("offset", 1)]))
    assert len(kept) == 4
    first = kept[0]
    assert (first["topic"], first["partition"], first["offset"]) == ("inventory.events.dlq", 0, 5)
    assert (first["event_id"], first["type"], first["consumer_group"], first["original_topic"]) == (
        "e-1", "StockReceived", "rawbank-requests", "inventory.events")
    assert first["reason"] == "StockReceived payload invalid" and first["value"] == received("e-1")
    assert first["key"] == b"VNS/YRN" and first["truncated_from"] is None
    assert (kept[2]["resend_id"], kept[2]["resent_from"]) == ("r-1", "inventory.events.dlq:0:3")
    assert kept[3]["event_id"] is None and kept[3]["value"] == b"\x00garbage"


def test_admins_read_the_kept_dead_letters_with_their_bytes_when_asked(config, token):
    runtime = Runtime(spec(), config, client=connect("mongomock://x"))
    handle = make_dead_letter_handler(runtime.db, config)
    handle(record(5, received("e-1")))
    handle(record(6, received("e-2"), truncated_from=b"900000"))
    client = create_app(config, runtime).test_client()
    listed = client.get("/api/v1/dead-letters", headers=token("admin"))
    assert listed.status_code == 200, listed.json
    assert [entry["event_id"] for entry in listed.json] == ["e-1", "e-2"]
    assert "value" not in listed.json[0] and listed.json[1]["truncated_from"] == "900000"
    one = client.get("/api/v1/dead-letters?event_id=e-1&values=true", headers=token("admin")).json
    assert [base64.b64decode(entry["value"]) for entry in one] == [received("e-1")]
    assert base64.b64decode(one[0]["key"]) == b"VNS/YRN"
    assert client.get("/api/v1/dead-letters", headers=token("warehouse")).status_code == 403
    bad = client.get("/api/v1/dead-letters?limit=0", headers=token("admin"))
    assert bad.status_code == 400 and "error" in bad.json
    every_byte = client.get("/api/v1/dead-letters?values=true", headers=token("admin"))  # up to 512 KiB each
    assert every_byte.status_code == 400 and "values" in every_byte.json["error"]["details"]


def test_a_resend_is_marked_on_its_dead_letter_once_however_often_it_is_told(config, token):
    runtime = Runtime(spec(), config, client=connect("mongomock://x"))
    make_dead_letter_handler(runtime.db, config)(record(5, received("e-1")))
    client = create_app(config, runtime).test_client()
    [kept] = client.get("/api/v1/dead-letters", headers=token("admin")).json
    assert kept["resends"] == []
    told = {"id": kept["id"], "resend_id": "r-1"}
    first = client.post("/api/v1/dead-letters/resends", json=told, headers=token("admin", sub="asha"))
    assert first.status_code == 200, first.json
    again = client.post("/api/v1/dead-letters/resends", json=told, headers=token("admin", sub="asha"))  # a retry
    assert [r["resend_id"] for r in again.json["resends"]] == ["r-1"] and again.json["resends"][0]["by"] == "asha"
    client.post("/api/v1/dead-letters/resends", json={**told, "resend_id": "r-2"}, headers=token("admin"))
    [kept] = client.get("/api/v1/dead-letters", headers=token("admin")).json
    assert [r["resend_id"] for r in kept["resends"]] == ["r-1", "r-2"]
    unknown = client.post("/api/v1/dead-letters/resends", json={**told, "id": "nope"}, headers=token("admin"))
    assert unknown.status_code == 404 and "error" in unknown.json
    bad = client.post("/api/v1/dead-letters/resends", json={"id": kept["id"], "resend_id": ""}, headers=token("admin"))
    assert bad.status_code == 400 and "error" in bad.json
    assert len(client.get("/api/v1/dead-letters", headers=token("admin")).json[0]["resends"]) == 2  # nothing changed
    assert client.post("/api/v1/dead-letters/resends", json=told, headers=token("warehouse")).status_code == 403


def test_the_alert_of_a_message_that_is_no_event_does_not_say_to_resend_it():
    """A message that was not JSON raised an alert saying "send it again: rawbank dlq resend -", and `rawbank dlq
    resend -` (or the '?' the list shows) found no such dead letter: there is nothing to send again."""
    from services.notifier import texts
    alert = {"kind": "dead_letter", "details": {"reason": "not JSON: Expecting value",
                                                "original_topic": "inventory.events", "event_id": None}}
    for lang, cannot in (("en", "cannot be sent again"), ("hi", "दोबारा नहीं भेजा जा सकता")):
        _, body = texts.alert(alert, {}, {}, lang)
        assert cannot in body and "resend" not in body and "inventory.events" in body, body
    _, body = texts.alert({**alert, "details": {**alert["details"], "event_id": "e-1", "type": "StockReceived",
                                                "reason": "StockReceived: not_found {'requisition_id': 'R9'}"}},
                          {}, {}, "en")
    assert body.endswith("rawbank dlq resend e-1")  # an event that failed: it can be sent again once mended


def test_the_alert_of_a_malformed_event_says_which_field_is_wrong_and_what_to_do_in_both_languages():
    """The Alerts page showed a dead letter's reason as marshmallow wrote it ("{'quantity': ['Must be greater than or
    equal to 1.']}"): it says the event, the field and what is wrong, and what to do next, as `rawbank dlq list`."""
    from services.notifier import texts
    alert = {"kind": "dead_letter", "details": {
        "reason": "StockReserved payload invalid: {'quantity': ['Must be greater than or equal to 1.']}",
        "type": "StockReserved", "original_topic": "inventory.events", "event_id": "e-7",
        "consumer_group": "rawbank-requests"}}
    _, body = texts.alert(alert, {}, {}, "en")
    assert body.startswith("The requests service could not apply the StockReserved event e-7 because its data is "
                           "wrong: the field \u201cquantity\u201d: must be greater than or equal to 1. "), body
    assert "correct the record in the inventory service" in body and body.endswith("rawbank dlq resend e-7"), body
    assert "{'quantity'" not in body
    _, body = texts.alert(alert, {}, {}, "hi")
    assert body.startswith("अनुरोध सेवा") and "\u201cquantity\u201d: कम से कम 1 होना चाहिए" in body, body
    assert "इन्वेंटरी सेवा" in body and body.endswith("rawbank dlq resend e-7") and "Must be" not in body, body


def test_the_openapi_schema_of_a_dead_letter_describes_what_its_reason_means_in_each_language(config):
    """`reason_explained` ({en, hi}) is in GET /api/v1/dead-letters' schema, beside `reason` (which stays)."""
    client = create_app(config, Runtime(spec(), config, client=connect("mongomock://x"))).test_client()
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    letter = schemas["DeadLetter"]["properties"]
    assert "reason" in letter and "reason_explained" in letter, sorted(letter)
    explained = letter["reason_explained"]
    assert "rawbank dlq list --json" in explained.get("description", ""), explained
    [ref] = [part["$ref"] for part in explained.get("allOf", [explained]) if "$ref" in part] or [None]
    fields = schemas[ref.rsplit("/", 1)[1]] if ref else explained
    assert set(fields["properties"]) == {"en", "hi"}, fields


def test_marking_a_resend_of_no_kept_dead_letter_says_what_to_give_instead(config, token):
    """An unknown id was answered "Nothing was found at this address; check the id.", also for the event id that
    `rawbank dlq list` shows first (the usual slip): now it says where the ids are, or the id of that event's letter."""
    runtime = Runtime(spec(), config, client=connect("mongomock://x"))
    make_dead_letter_handler(runtime.db, config)(record(5, received("e-1")))
    client = create_app(config, runtime).test_client()
    [kept] = client.get("/api/v1/dead-letters", headers=token("admin")).json
    unknown = client.post("/api/v1/dead-letters/resends", json={"id": "nope", "resend_id": "r-1"},
                          headers=token("admin"))
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_found", unknown.json
    assert "nope" in unknown.json["error"]["message"] and "GET /api/v1/dead-letters" in unknown.json["error"]["message"]
    hindi = client.post("/api/v1/dead-letters/resends", json={"id": "nope", "resend_id": "r-1"},
                        headers={**token("admin"), "Accept-Language": "hi"}).json["error"]["message"]
    assert "nope" in hindi and any("\u0900" <= ch <= "\u097f" for ch in hindi), hindi
    event = client.post("/api/v1/dead-letters/resends", json={"id": "e-1", "resend_id": "r-1"}, headers=token("admin"))
    assert event.status_code == 404 and event.json["error"]["details"] == {"id": "e-1", "dead_letters": [kept["id"]]}
    assert kept["id"] in event.json["error"]["message"] and "event" in event.json["error"]["message"], event.json
    assert client.get("/api/v1/dead-letters", headers=token("admin")).json[0]["resends"] == []  # nothing changed


def test_a_resend_of_a_dead_letter_that_cannot_be_sent_again_is_refused_and_not_marked(config, token):
    """A message that was no event, or was cut when kept, cannot be sent again as it was (`rawbank dlq resend` refuses
    it): marking it sent again was accepted, and the letter then looked dealt with. Refused (409), saying why."""
    runtime = Runtime(spec(), config, client=connect("mongomock://x"))
    handle = make_dead_letter_handler(runtime.db, config)
    handle(record(5, b"\x00garbage"))
    handle(record(6, received("e-2"), truncated_from=b"900000"))
    client = create_app(config, runtime).test_client()
    garbage, cut = client.get("/api/v1/dead-letters", headers=token("admin")).json
    for letter, why in ((garbage, "not an event"), (cut, "900000")):
        refused = client.post("/api/v1/dead-letters/resends", json={"id": letter["id"], "resend_id": "r-1"},
                              headers=token("admin"))
        error = refused.json["error"]
        assert refused.status_code == 409 and error["code"] == "dead_letter_not_resendable", error
        assert why in error["message"] and "acknowledge" in error["message"], error
    assert [letter["resends"] for letter in client.get("/api/v1/dead-letters", headers=token("admin")).json] == [[], []]


def test_each_dead_letter_names_its_alert_which_acknowledging_discards_it(config, token):
    """What a reason means ends "acknowledge this dead letter's alert", but the list did not say which alert that is:
    each letter names its alert (id and status), the one POST /api/v1/alerts/{id}/acknowledge takes."""
    runtime = Runtime(spec(), config, client=connect("mongomock://x"))
    handle = make_dead_letter_handler(runtime.db, config)
    handle(record(5, received("e-1")))
    handle(record(8, b"\x00garbage"))
    client = create_app(config, runtime).test_client()
    letter, garbage = client.get("/api/v1/dead-letters", headers=token("admin")).json
    assert letter["alert"]["status"] == "open" and garbage["alert"]["status"] == "open", (letter, garbage)
    done = client.post(f"/api/v1/alerts/{letter['alert']['id']}/acknowledge", json={}, headers=token("admin"))
    assert done.status_code == 200, done.json
    assert done.json["details"]["event_id"] == "e-1"
    letter, _ = client.get("/api/v1/dead-letters", headers=token("admin")).json
    assert letter["alert"]["status"] == "acknowledged"
    marked = client.post("/api/v1/dead-letters/resends", json={"id": letter["id"], "resend_id": "r-1"},
                         headers=token("admin"))
    assert marked.json["alert"] == letter["alert"] and marked.json["reason_explained"]["en"], marked.json
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert "acknowledge" in schemas["DeadLetter"]["properties"]["alert"]["description"]


def test_the_alert_of_an_error_the_consumers_handler_raised_says_its_message_in_both_languages(db):
    """The alert of a letter whose handler refused the event said its code and a dict ("insufficient_stock {'sku':
    ...}"): it says the error's message in the reader's language, as `rawbank dlq list` does, then what to do."""
    from services.inventory.errors import InsufficientStock
    from services.notifier import alerts, domain, handlers, texts
    from shared.dead_letters import error_headers
    refusal = InsufficientStock({"sku": "YRN", "depot": "VNS", "available": "0.5", "wanted": "1"})
    handlers.dead_letter(db, SimpleNamespace(
        topic="requests.events.dlq", partition=0, offset=5, key=b"REQ-5", value=json.dumps(
            {"type": "RequisitionApproved", "event_id": "e-9", "payload": {"depot": "VNS"}}).encode(),
        headers=[("reason", f"RequisitionApproved: {refusal}".encode()), ("original_topic", b"requests.events"),
                 ("consumer_group", b"rawbank-inventory"), *error_headers(refusal)]))
    [alert] = alerts.find(db, kind=domain.DEAD_LETTER)
    assert alert["details"]["reason"] == f"RequisitionApproved: {refusal}"  # as the consumer wrote it
    for lang in ("en", "hi"):
        _, body = texts.alert(alert, {}, {}, lang)
        assert refusal.describe(lang).rstrip(".।") in body and "insufficient_stock" not in body, body
        assert "{" not in body and body.endswith("rawbank dlq resend e-9"), body


def test_the_alert_of_an_old_letter_with_only_a_known_code_says_that_codes_own_message(db):
    """A letter kept before consumers kept error_said says its code only ("unknown_material {'sku': ...}"): its alert
    says that code's own message in the reader's language, as `rawbank dlq list` and the API do."""
    from services.inventory.errors import UnknownMaterial
    from services.notifier import alerts, domain, handlers, texts
    from shared.i18n import translate
    handlers.dead_letter(db, SimpleNamespace(
        topic="requests.events.dlq", partition=0, offset=5, key=b"REQ-5", value=json.dumps(
            {"type": "RequisitionApproved", "event_id": "e-9", "payload": {"depot": "VNS"}}).encode(),
        headers=[("reason", f"RequisitionApproved: {UnknownMaterial({'sku': 'YRN'})}".encode()),
                 ("original_topic", b"requests.events"), ("consumer_group", b"rawbank-inventory")]))
    [alert] = alerts.find(db, kind=domain.DEAD_LETTER)
    for lang in ("en", "hi"):
        _, body = texts.alert(alert, {}, {}, lang)
        assert translate(UnknownMaterial.message, lang).rstrip(".।") in body and "unknown_material" not in body, body
        assert "{" not in body and body.endswith("rawbank dlq resend e-9"), body


def test_the_api_gives_the_error_a_consumers_handler_raised_as_its_schema_declares(config, token):
    """A letter kept with the error_code and error_said headers (shared/dead_letters.error_headers): the API's schema
    dropped them; `rawbank dlq list` reads the kept letters from this API and said the bare reason instead."""
    from services.inventory.errors import InsufficientStock
    from shared.dead_letters import error_headers, explain
    refusal = InsufficientStock({"sku": "YRN", "depot": "VNS", "available": "0.5", "wanted": "1"})
    runtime = Runtime(spec(), config, client=connect("mongomock://x"))
    handle = make_dead_letter_handler(runtime.db, config)
    refused = record(5, received("e-1"))
    refused.headers += error_headers(refusal)
    handle(refused)
    handle(record(6, received("e-2")))
    client = create_app(config, runtime).test_client()
    said, plain = client.get("/api/v1/dead-letters", headers=token("admin")).json
    assert said["error_code"] == "insufficient_stock"
    assert said["error_said"] == {lang: refusal.describe(lang) for lang in ("en", "hi")}
    assert (plain["error_code"], plain["error_said"]) == (None, None)
    assert said["error_meaning"] is None is plain["error_meaning"]  # its own words, or no code: nothing derived
    assert refusal.describe("hi").rstrip(".।") in explain(said, "hi")  # as rawbank dlq says it from the API
    properties = client.get("/api/v1/openapi.json").json["components"]["schemas"]["DeadLetter"]["properties"]
    code, words = properties["error_code"], properties["error_said"]
    assert "handler" in code["description"] and (code.get("nullable") or "null" in code["type"]), code
    assert "language" in words["description"] and "object" in words["type"], words
