"""Webhook deliveries to a real receiver on 127.0.0.1: signed, retried with backoff, failed for good,
and kept across a restart of the notifier's worker."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.notifier import create_app, handlers, spec
from shared.envelope import new_event
from shared.mongo import connect
from shared.runtime import Runtime
from shared.worker import Worker
from tests.conftest import wait_until

SECRET = "whsec-test-0123456789abcdef"


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers with the next planned status
    (and `headers`, e.g. a redirect's Location)."""

    def __init__(self, statuses=(200,), headers=None):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"at": time.monotonic(), "headers": dict(self.headers), "body": body,
                                          "path": self.path})
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def signature_ok(request: dict, secret: str = SECRET) -> bool:
    """Check the signature the way a receiver would, with nothing but the standard library."""
    timestamp = request["headers"]["X-Rawbank-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Rawbank-Signature"], f"sha256={expected}") \
        and abs(time.time() - int(timestamp)) < 300


@pytest.fixture
def receiver():
    made = []

    def make(*statuses):
        made.append(Receiver(statuses or (200,)))
        return made[-1]
    yield make
    for r in made:
        r.close()


@pytest.fixture
def notifier(broker_config):
    """The notifier's store, API client and a way to (re)start its worker: dispatcher only, no consumer."""
    config = broker_config.with_(notifier_delivery_backoff_ms=300, notifier_delivery_max_attempts=4,
                                 notifier_dispatch_interval_ms=50,
                                 webhook_allow_hosts="127.0.0.1")  # the local receivers; never a default
    runtime = Runtime(replace(spec(), consumes=(), consumes_raw=()), config, client=connect("mongomock://x"))
    workers = []

    class Notifier:
        db = runtime.db
        client = create_app(config, runtime).test_client()

        def start(self):
            workers.append(Worker(runtime).start())

        def stop(self):
            workers.pop().stop()
    yield Notifier()
    while workers:
        workers.pop().stop()


def open_alert(notifier, config, depot="VNS"):
    event = new_event("StockLow", f"{depot}/YRN-COT", {"sku": "YRN-COT", "depot": depot, "available": 1_000,
                                                       "reorder_level": 10_000}, source="inventory")
    handlers.apply(notifier.db, config, event)
    return notifier.db.alerts.find_one({"depot": depot})["_id"]


def add_webhook(notifier, token, url, **extra):
    response = notifier.client.post("/api/v1/webhooks", json={"url": url, "secret": SECRET, **extra},
                                    headers=token("admin"))
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_signed_delivery_retried_with_backoff_survives_a_restart(notifier, receiver, token, config):
    hook = receiver(500, 503, 200)
    webhook_id = add_webhook(notifier, token, f"{hook.url}/rawbank")
    alert_id = open_alert(notifier, config)
    notifier.start()
    wait_until(lambda: len(hook.requests) >= 1, timeout=20, message="the first attempt")
    notifier.stop()  # the notifier goes down between two attempts
    [pending] = notifier.db.deliveries.find({"target": webhook_id})
    # the second attempt comes 0.3 s after the first: on a loaded machine the stop may take longer than that
    tried = len(hook.requests)
    assert tried in (1, 2), "the stop came after the delivery ended: nothing was left to survive it"
    assert (pending["status"], pending["attempts"], pending["last_error"]) == \
        ("pending", tried, f"HTTP {(500, 503)[tried - 1]} from {hook.url}/rawbank")
    notifier.start()
    wait_until(lambda: notifier.db.deliveries.find_one({"target": webhook_id, "status": "delivered"}),
               timeout=20, message="delivery after the restart")
    assert len(hook.requests) == 3
    assert all(signature_ok(r) for r in hook.requests)
    bodies = [json.loads(r["body"]) for r in hook.requests]
    assert {b["id"] for b in bodies} == {pending["_id"]}  # one delivery, attempted three times
    assert (bodies[0]["type"], bodies[0]["alert"]["id"], bodies[0]["alert"]["status"]) == ("alert.opened", alert_id, "open")
    assert hook.requests[2]["at"] - hook.requests[1]["at"] >= 0.6 * 0.9  # second retry waits twice as long
    log = notifier.client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=token("admin")).json
    assert [e["ok"] for e in log[0]["log"]] == [False, False, True] and log[0]["attempts"] == 3


def test_a_receiver_that_keeps_failing_ends_in_a_visible_failure(notifier, receiver, token, config):
    hook = receiver(500)
    webhook_id = add_webhook(notifier, token, hook.url, districts=[])
    open_alert(notifier, config)
    notifier.start()
    wait_until(lambda: notifier.db.deliveries.find_one({"target": webhook_id, "status": "failed"}),
               timeout=20, message="a final failure")
    assert len(hook.requests) == 4 and all(signature_ok(r) for r in hook.requests)
    gaps = [b["at"] - a["at"] for a, b in zip(hook.requests, hook.requests[1:])]
    assert gaps[0] >= 0.27 and gaps[1] >= 0.54 and gaps[2] >= 1.08  # 0.3 s doubling, less timer slack
    failed = notifier.client.get("/api/v1/deliveries?status=failed", headers=token("admin")).json
    assert [(d["target"], d["attempts"], d["last_error"]) for d in failed] == [(webhook_id, 4, f"HTTP 500 from {hook.url}")]
    time.sleep(0.5)
    assert len(hook.requests) == 4  # nothing after the final failure


def test_webhooks_for_another_district_hear_nothing(notifier, receiver, token, config):
    ours, theirs = receiver(200), receiver(200)
    notifier.db.depots.insert_one({"_id": "VNS", "name": "Varanasi depot", "district": "Varanasi"})
    add_webhook(notifier, token, ours.url, districts=["Varanasi"])
    add_webhook(notifier, token, theirs.url, districts=["Bhadohi"])
    open_alert(notifier, config)
    notifier.start()
    wait_until(lambda: ours.requests, timeout=20, message="the Varanasi webhook")
    time.sleep(0.3)
    assert theirs.requests == []
