"""An SMS gateway's key rides in its URL's query string (or user:password@): it is written nowhere, neither in the
log, nor in a delivery's last_error that admins read at /api/v1/deliveries, nor in a webhook's failure."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.notifier import alerts, domain, outbound, subscribers
from services.notifier.dispatcher import Dispatcher
from shared.mongo import connect
from tests.conftest import wait_until
from tests.integration.test_notifier_webhooks import Receiver


@pytest.fixture
def gateway():
    receiver = Receiver((500,))
    yield receiver
    receiver.close()


def _escalated(db):
    db.depots.insert_one({"_id": "VNS", "name": "Varanasi depot", "district": "Varanasi"})
    subscribers.add_contact(db, {"name": "Arun", "phone": "+919876543210", "districts": ["Varanasi"]}, by="admin")
    alerts.raise_alert(db, domain.STOCK_OUT, depot="VNS", sku="YRN-COT", cause="e1",
                       at=datetime.now(timezone.utc) - timedelta(hours=2), district="Varanasi", details={})


def test_a_failing_gateway_is_named_without_its_key(config, gateway, caplog):
    config = config.with_(sms_gateway_url=f"{gateway.url}/fail?authkey=SECRETKEY123&sender=HLOOM#frag",
                          notifier_delivery_max_attempts=3, notifier_delivery_backoff_ms=10,
                          notifier_escalate_after_seconds=1800, notifier_digest_hour_utc=24)
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    _escalated(db)
    dispatcher = Dispatcher(db, config)
    caplog.set_level(logging.DEBUG)

    def failed():
        dispatcher.run_once()
        return db.deliveries.find_one({"channel": "sms", "last_error": {"$exists": True}})

    delivery = wait_until(failed, timeout=15, message="the SMS attempt failed")
    assert gateway.requests and gateway.requests[0]["path"] == "/fail?authkey=SECRETKEY123&sender=HLOOM"  # still sent
    assert delivery["last_error"] == f"HTTP 500 from {gateway.url}/fail"
    written = caplog.text + repr(list(db.deliveries.find()))
    assert "SECRETKEY123" not in written and "HLOOM" not in written and "frag" not in written
    assert f"HTTP 500 from {gateway.url}/fail" in caplog.text


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:8080/send?authkey=KEY&to=1", "http://127.0.0.1:8080/send"),
    ("https://user:pass@sms.example.in/api/v2?key=KEY#x", "https://sms.example.in/api/v2"),
    ("http://[::1]:9/a?b=KEY", "http://[::1]:9/a"),
    ("http://[::1/x?k=KEY", "(an address that cannot be read)"),
])
def test_a_url_is_shown_without_query_userinfo_or_fragment(url, expected):
    assert outbound.shown(url) == expected


def test_a_webhook_answering_500_is_named_without_its_query(gateway):
    with pytest.raises(outbound.SendFailed) as failed:
        outbound.post(f"{gateway.url}/hook?token=SECRETKEY123", b"{}", {}, allow=frozenset({"127.0.0.1"}))
    assert str(failed.value) == f"HTTP 500 from {gateway.url}/hook"
