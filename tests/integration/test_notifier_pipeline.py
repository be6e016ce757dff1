"""The notifier fed through a real Tansu broker: alert bursts, dead letters, SSE, SMTP and SMS in Hindi."""
from __future__ import annotations

import email
import email.policy
import json
import threading
import time
import urllib.request
import uuid
from dataclasses import replace

import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from services.notifier import create_app, spec
from shared.config import Config
from shared.envelope import new_event
from shared.events import dlq_topic
from shared.kafka import ensure_topics, make_producer
from shared.mongo import connect
from shared.runtime import Runtime
from shared.worker import Worker
from tests.conftest import free_port, wait_until
from tests.integration.test_notifier_webhooks import Receiver
from tests.unit.test_notifier_alerts import burst


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture(scope="module")
def stack(broker):
    """A notifier worker and API on their own topics, with a local SMTP server and SMS gateway."""
    uid = uuid.uuid4().hex[:8]
    inbox, sms = Inbox(), Receiver((200,))
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    config = Config.from_env({}, kafka_bootstrap_servers=broker, kafka_max_poll_interval_ms=10000,
                             consumer_backoff_ms=10, notifier_dispatch_interval_ms=50,
                             smtp_host="127.0.0.1", smtp_port=smtp.port, sms_gateway_url=f"{sms.url}/send")
    topics = (f"inventory.events.{uid}", f"requests.events.{uid}")
    ensure_topics(config, topics)
    service = replace(spec(), name=f"notifier-{uid}", consumes=topics,
                      consumes_raw=tuple(dlq_topic(t) for t in topics))
    runtime = Runtime(service, config, client=connect("mongomock://x"))
    app = create_app(config, runtime)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    worker = Worker(runtime).start()
    producer = make_producer(config, "notifier-test")
    wait_until(lambda: worker.consumer is not None and worker.consumer.ready.is_set(), timeout=60,
               message="the notifier's consumer to join its group")

    class Stack:
        db = runtime.db
        client = app.test_client()
        url = f"http://127.0.0.1:{server.server_port}"
        inventory, requests = topics
        messages, texts = inbox.messages, sms.requests

        def publish(self, topic, event):
            producer.send(topic, key=event.key.encode(), value=event.to_bytes()).get(timeout=30)

        def consumed(self, event, timeout=30):
            return wait_until(lambda: self.db.events.find_one({"_id": event.event_id}), timeout=timeout,
                              message=f"{event.type} to be consumed")
    try:
        yield Stack()
    finally:
        producer.close(timeout=5)
        worker.stop()
        server.shutdown()
        smtp.stop()
        sms.close()


def test_burst_through_the_broker_one_alert_per_crossing_replays_change_nothing(stack):
    events, final = burst(seed=11, depot="BRS", sku="YRN-SLK")
    openings = [e for e in events if e.type in ("StockLow", "StockDepleted")]
    for event in events:
        stack.publish(stack.inventory, event)
        if event.type != "StockAdjusted":
            stack.publish(stack.inventory, event)  # the relay republished it
    stack.consumed(events[-1])
    docs = list(stack.db.alerts.find({"depot": "BRS"}, {"fanout": 0}).sort("_id"))
    assert len(docs) == len(openings) >= 10
    assert sum(d["status"] != "resolved" for d in docs) == (0 if final == "ok" else 1)
    assert all(d["count"] == 1 for d in docs)
    for event in events:  # replay everything, then a marker on the same partition
        stack.publish(stack.inventory, event)
    marker = new_event("StockAdjusted", "BRS/YRN-SLK", {**events[0].data, "movement_id": "marker"},
                       source="inventory")
    stack.publish(stack.inventory, marker)
    stack.consumed(marker)
    assert list(stack.db.alerts.find({"depot": "BRS"}, {"fanout": 0}).sort("_id")) == docs


def read_stream(url, headers, frames, seconds=20):
    request = urllib.request.Request(f"{url}/api/v1/stream?max_seconds={seconds}&limit=1", headers=headers)
    with urllib.request.urlopen(request, timeout=seconds + 5) as response:
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("data: "):
                frames.append((time.monotonic(), json.loads(line[6:])))


def test_stream_pushes_a_new_alert_to_a_connected_client(stack, token):
    frames: list = []
    reader = threading.Thread(target=read_stream, args=(stack.url, token("admin"), frames), daemon=True)
    reader.start()
    depot = new_event("DepotRegistered", "SSE", {"code": "SSE", "name": "Sitapur depot", "name_hi": "सीतापुर डिपो",
                                                 "district": "Sitapur"}, source="inventory")
    stack.publish(stack.inventory, depot)
    stack.consumed(depot)
    time.sleep(0.5)  # connected and idle
    event = new_event("StockDepleted", "SSE/DYE-RED", {"sku": "DYE-RED", "depot": "SSE", "available": 0,
                                                       "reorder_level": 5_000}, source="inventory")
    stack.publish(stack.inventory, event)
    wait_until(lambda: stack.db.alerts.find_one({"depot": "SSE"}), timeout=30, message="the alert")
    stored_at = time.monotonic()
    reader.join(timeout=10)
    [(received_at, alert)] = frames
    assert (alert["depot"], alert["kind"], alert["status"]) == ("SSE", "stock_out", "open")
    assert alert["title"]["en"].startswith("Out of stock")
    assert alert["depot_name"] == {"en": "Sitapur depot", "hi": "सीतापुर डिपो"}  # what the board shows, not "SSE"
    assert received_at - stored_at < 1.0


def test_an_order_sent_then_cancelled_reaches_the_open_alert_and_the_board_through_the_broker(stack, token):
    """The open alert kept the figure of its raising: an order sent or cancelled while it was open was not said.
    Through the broker, each relayed twice, the board is sent the alert saying 20 kg on order once, then nothing on
    order; the sending republished after the cancelling (the relay retried it) changes nothing."""
    key, material = "ORD/SLK-ORD", {"sku": "SLK-ORD", "depot": "ORD"}
    stack.publish(stack.inventory, new_event("MaterialRegistered", "SLK-ORD", {
        "sku": "SLK-ORD", "name": "Silk yarn", "name_hi": "रेशमी धागा", "category": "yarn", "unit": "kg",
        "reorder_level": 10_000}, source="inventory"))
    low = new_event("StockLow", key, {**material, "available": 4_000, "reorder_level": 10_000, "on_order": 0},
                    source="inventory")
    stack.publish(stack.inventory, low)
    alert = wait_until(lambda: stack.db.alerts.find_one({"depot": "ORD"}), timeout=30, message="the alert")
    frames: list = []
    reader = threading.Thread(target=read_stream, args=(stack.url, token("admin"), frames), daemon=True)
    reader.start()
    time.sleep(0.5)  # connected and idle
    sent = new_event("OnOrderChanged", key, {**material, "on_order": 20_000}, source="inventory")
    for event in (sent, sent):
        stack.publish(stack.inventory, event)
    reader.join(timeout=30)
    [(_, shown)] = frames
    assert (shown["id"], shown["details"]["on_order"]) == (alert["_id"], "20")
    assert shown["text"]["en"].endswith(" 20 kg is already on order (sent to the supplier, not yet received).")
    cancelled = new_event("OnOrderChanged", key, {**material, "on_order": 0}, source="inventory")
    for event in (cancelled, cancelled, sent):
        stack.publish(stack.inventory, event)
    _all_read(stack, key, material)
    doc = stack.db.alerts.find_one({"_id": alert["_id"]})
    assert (doc["details"]["on_order"], doc["version"], doc["count"]) == (0, alert["version"] + 2, 1)
    [listed] = stack.client.get("/api/v1/alerts?depot=ORD", headers=token("admin")).json
    assert listed["text"]["en"] == "4 kg left, below the reorder level of 10 kg."  # nothing on order: not said


def test_one_stocks_figures_with_equal_times_read_out_of_order_leave_the_newer_by_the_stocks_version(stack):
    """Two processes wrote one stock in the same millisecond: the order's sending, then its cancelling (the stock's
    versions 6 and 7). Read cancelling first (each relayed twice), the alert kept the sending's 20 kg by their equal
    times; by the versions the stock's events carry it says nothing on order, once."""
    key, material = "ORV/SLK-ORD", {"sku": "SLK-ORD", "depot": "ORV"}
    stack.publish(stack.inventory, new_event("MaterialRegistered", "SLK-ORD", {
        "sku": "SLK-ORD", "name": "Silk yarn", "name_hi": "रेशमी धागा", "category": "yarn", "unit": "kg",
        "reorder_level": 10_000}, source="inventory"))
    low = new_event("StockLow", key, {**material, "available": 4_000, "reorder_level": 10_000, "on_order": 0,
                                      "stock_version": 5}, source="inventory")
    sent = new_event("OnOrderChanged", key, {**material, "on_order": 20_000, "stock_version": 6}, source="inventory")
    cancelled = replace(new_event("OnOrderChanged", key, {**material, "on_order": 0, "stock_version": 7},
                                  source="inventory"), occurred_at=sent.occurred_at)
    for event in (low, cancelled, cancelled, sent, sent):
        stack.publish(stack.inventory, event)
    _all_read(stack, key, material, stock_version=8)
    doc = stack.db.alerts.find_one({"depot": "ORV"})
    assert (doc["details"]["on_order"], doc["version"], doc["count"]) == (0, 1, 1)


def test_level_events_read_out_of_order_never_take_an_alert_back_to_an_older_figure_through_the_broker(stack):
    """An order sent (version 6, 20 kg on order) read while no alert was open, then the crossing of the write before
    it (version 5, nothing on order: a DLQ resend), then a repeat older still (version 3), each relayed twice: the
    alert said nothing on order, then the repeat's 6 kg. Now it says 4 kg with 20 kg on order, of version 6, the
    repeat counted once."""
    key, material = "ORW/SLK-OOO", {"sku": "SLK-OOO", "depot": "ORW"}
    stack.publish(stack.inventory, new_event("MaterialRegistered", "SLK-OOO", {
        "sku": "SLK-OOO", "name": "Silk yarn", "name_hi": "रेशमी धागा", "category": "yarn", "unit": "kg",
        "reorder_level": 10_000}, source="inventory"))
    sent = new_event("OnOrderChanged", key, {**material, "on_order": 20_000, "stock_version": 6}, source="inventory")
    low = new_event("StockLow", key, {**material, "available": 4_000, "reorder_level": 10_000, "on_order": 0,
                                      "stock_version": 5}, source="inventory")
    older = new_event("StockLow", key, {**material, "available": 6_000, "reorder_level": 10_000, "on_order": 0,
                                        "stock_version": 3}, source="inventory")
    for event in (sent, sent, low, low, older, older):
        stack.publish(stack.inventory, event)
    stack.consumed(older)
    _all_read(stack, key, material, stock_version=7)
    doc = stack.db.alerts.find_one({"depot": "ORW"})
    assert (doc["details"], doc["stock_version"], doc["count"]) == (
        {"available": 4_000, "reorder_level": 10_000, "on_order": 20_000}, 6, 2)


def test_stream_is_for_admins_and_warehouse_staff(stack, token):
    assert stack.client.get("/api/v1/stream", headers=token("artisan")).status_code == 403
    assert stack.client.get("/api/v1/stream").status_code == 401


def test_dead_letters_become_one_alert_per_topic_and_type(stack, token):
    stack.publish(stack.inventory, _poison())  # our own consumer dead-letters it, then reads the DLQ
    stack.publish(stack.inventory, _poison())
    alert = wait_until(lambda: stack.db.alerts.find_one({"kind": "dead_letter", "count": 2}), timeout=30,
                       message="a dead-letter alert counted twice")
    assert alert["details"]["original_topic"] == stack.inventory
    assert "not JSON" in alert["details"]["reason"] and alert["severity"] == "critical"
    listed = stack.client.get("/api/v1/alerts?kind=dead_letter", headers=token("admin")).json
    assert [a["id"] for a in listed] == [alert["_id"]]


def _poison():
    class Raw:
        key, event_id, type = "poison", None, "poison"

        def to_bytes(self):
            return b"\xff not json"
    return Raw()


def _invalid(event_id):
    """A StockLow no consumer can apply (its payload lacks the figures), as it would come from a broken producer."""
    class Raw:
        key, type = "DLQ/YRN", "StockLow"

        def to_bytes(self):
            return json.dumps({"event_id": event_id, "type": "StockLow", "version": 1, "source": "inventory",
                               "key": self.key, "occurred_at": "2026-12-03T10:00:00Z", "correlation_id": event_id,
                               "payload": {"sku": "YRN"}}).encode()
    return Raw()


def test_a_dead_letter_after_the_acknowledgement_is_a_new_open_alert_and_a_duplicate_is_not(stack, token):
    def alert_of(event_id):
        return stack.db.alerts.find_one({"kind": "dead_letter", "details.event_id": event_id}, {"fanout": 0})

    stack.publish(stack.inventory, _invalid("dl-1"))
    first = wait_until(lambda: alert_of("dl-1"), timeout=30, message="the first dead letter's alert")
    assert stack.client.post(f"/api/v1/alerts/{first['_id']}/acknowledge", json={"note": "looking"},
                             headers=token("admin")).status_code == 200
    stack.publish(stack.inventory, _invalid("dl-1"))  # the same event again (a republished duplicate)
    stack.publish(stack.inventory, _invalid("dl-2"))  # a new failure, on the same partition: read after it
    second = wait_until(lambda: alert_of("dl-2"), timeout=30, message="the new dead letter's alert")
    assert second["_id"] != first["_id"] and (second["status"], second["count"]) == ("open", 1)
    assert (stack.db.alerts.find_one({"_id": first["_id"]})["status"], stack.db.alerts.find_one(
        {"_id": first["_id"]})["count"]) == ("acknowledged", 1)
    listed = stack.client.get("/api/v1/alerts?kind=dead_letter&status=open", headers=token("admin")).json
    assert second["_id"] in [a["id"] for a in listed] and first["_id"] not in [a["id"] for a in listed]


def test_artisans_hear_in_their_language_by_email_and_sms_and_see_only_their_own(stack, token):
    inventory = [
        new_event("MaterialRegistered", "YRN-COT-40", {"sku": "YRN-COT-40", "name": "cotton yarn", "name_hi": "सूती धागा",
                                                       "category": "yarn", "unit": "kg", "reorder_level": 50_000},
                  source="inventory"),
        new_event("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi depot", "district": "Varanasi"},
                  source="inventory")]
    people = [("ART-HI", "hi", "+919800000001", "sita@example.in"), ("ART-EN", "en", None, "ravi@example.in")]
    requests = [new_event("ArtisanRegistered", a, {"artisan_id": a, "name": a, "district": "Varanasi",
                                                   "language": lang, "phone": phone, "email": mail},
                          source="requests") for a, lang, phone, mail in people]
    lines = [{"sku": "YRN-COT-40", "quantity": 20_000}]
    for rid, artisan_id in (("REQ-1042", "ART-HI"), ("REQ-1043", "ART-EN")):
        requests.append(new_event("RequisitionSubmitted", rid, {"requisition_id": rid, "artisan_id": artisan_id,
                                                               "depot": "VNS", "lines": lines, "by": artisan_id},
                                  source="requests"))
    for event in inventory:
        stack.publish(stack.inventory, event)
    for event in requests:
        stack.publish(stack.requests, event)
    for event in inventory + requests:
        stack.consumed(event)
    reserved = new_event("StockReserved", "REQ-1042", {"requisition_id": "REQ-1042", "depot": "VNS", "lines": lines},
                         source="inventory")
    stack.publish(stack.inventory, reserved)

    def hindi_mail():
        return [m for m in stack.messages if m["To"] == "sita@example.in" and "आरक्षित" in m["Subject"]]
    [mail] = wait_until(hindi_mail, timeout=30, message="the Hindi e-mail")
    body = mail.get_content()
    assert "Varanasi depot में आपके लिए 20 किलो सूती धागा रख दिया गया है" in body
    assert "1042" in mail["Subject"] and "reserved" not in body.lower()
    sms = wait_until(lambda: [json.loads(r["body"]) for r in stack.texts
                              if b"RESERVED" in r["body"] or "आरक्षित".encode() in r["body"]], timeout=30,
                     message="the SMS")
    assert sms == [{"to": "+919800000001", "text": "अनुरोध 1042 आरक्षित: Varanasi depot में 20 किलो सूती धागा"}]
    # the delivery's id as the gateway's idempotency key: an attempt taken again after a sender died mid-send (its
    # lease ran out) carries the same key, so a gateway that keeps keys sends the text once
    keys = [r["headers"].get("Idempotency-Key") for r in stack.texts]

    def delivered():  # the sender marks a delivery once the gateway has answered, a moment after the gateway saw it
        marked = {d["_id"] for d in stack.db.deliveries.find({"channel": "sms", "status": "delivered"}, {"_id": 1})}
        return marked if set(keys) <= marked else None
    marked = wait_until(delivered, timeout=30, message=f"deliveries {keys} marked delivered")
    assert keys and set(keys) <= marked and len(set(keys)) == len(keys), (keys, marked)
    wait_until(lambda: [m for m in stack.messages if m["To"] == "ravi@example.in"], timeout=30,
               message="the English e-mail")
    assert all(m["To"] != "ravi@example.in" or "Request received" in m["Subject"] for m in stack.messages)
    skipped = stack.db.deliveries.find_one({"channel": "sms", "status": "skipped"})
    assert skipped["last_error"] == "the artisan has no phone"

    mine = stack.client.get("/api/v1/notifications", headers=token("artisan", artisan_id="ART-HI")).json
    assert [(n["requisition_id"], n["status"]) for n in mine] == [("REQ-1042", "reserved"), ("REQ-1042", "submitted")]
    theirs = stack.client.get("/api/v1/notifications", headers=token("artisan", artisan_id="ART-EN")).json
    assert [(n["requisition_id"], n["status"], n["language"]) for n in theirs] == [("REQ-1043", "submitted", "en")]


def test_a_payment_delivered_twice_through_the_broker_is_texted_once_in_the_artisans_language(stack, token):
    """PaymentRecorded as requests publishes it, sent twice by the relay: the Hindi artisan
    gets one SMS in Hindi, under the payment's id; their notifications say it in their language."""
    artisan = new_event("ArtisanRegistered", "ART-PAY", {"artisan_id": "ART-PAY", "name": "Sita",
                                                         "district": "Varanasi", "language": "hi",
                                                         "phone": "+919800000077"}, source="requests")
    paid = new_event("PaymentRecorded", "ART-PAY", {
        "artisan_id": "ART-PAY", "version": 4, "cause": "payment", "requisition_id": "REQ-2051",
        "balance_due": 120_00, "open_dues": [{"requisition_id": "REQ-2051", "due_on": "2026-12-12", "amount": 120_00}],
        "payment_id": "payment:utr-88", "amount": 500_00, "method": "upi", "reference": "UTR-88", "by": "warehouse"},
        source="requests")
    for event in (artisan, paid, paid):
        stack.publish(stack.requests, event)
    marker = new_event("ArtisanUpdated", "ART-PAY", {**artisan.data, "name": "Sita Devi"}, source="requests")
    stack.publish(stack.requests, marker)
    stack.consumed(marker)

    def texts_to_her():
        return [json.loads(r["body"]) for r in stack.texts if b"+919800000077" in r["body"]]
    wait_until(texts_to_her, timeout=30, message="the payment's SMS")
    wait_until(lambda: not stack.db.deliveries.find_one({"status": {"$in": ["pending", "sending"]}}), timeout=30,
               message="every delivery settled")
    assert texts_to_her() == [{"to": "+919800000077",
                               "text": "अनुरोध 2051: ₹500.00 UPI से मिले। अब आपको ₹120.00 देने हैं (12 दिस॰ 2026 तक)।"}]
    mine = stack.client.get("/api/v1/notifications", headers=token("artisan", artisan_id="ART-PAY")).json
    assert [(n["requisition_id"], n["status"], n["title"]) for n in mine] == [
        ("REQ-2051", "payment_received", "भुगतान मिला")]


def _all_read(stack, key: str, material: dict, **version) -> None:
    """Wait until the notifier has read what was published for the stock: a marker after it on the same partition (a
    movement of nothing, 4 kg on hand), read once it is consumed."""
    marker = new_event("StockAdjusted", key, {**material, "movement_id": "marker", "quantity": 0, "on_hand": 4_000,
                                              "available": 4_000, "by": "test", **version}, source="inventory")
    stack.publish(stack.inventory, marker)
    stack.consumed(marker)
