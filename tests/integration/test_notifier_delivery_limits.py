"""A delivery's attempts end: a sender that raises something unforeseen, or dies, counts an attempt, and after
the last one the delivery is failed for good, where admins see failed deliveries."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from services.notifier import alerts, deliveries, domain, subscribers
from services.notifier.dispatcher import Dispatcher
from shared.mongo import connect
from tests.conftest import free_port, wait_until

MAX_ATTEMPTS = 3


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def world(config):
    """A notifier store with an escalated alert for a contact, and an SMTP server that asks for a login."""
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port(), auth_require_tls=False,
                      authenticator=lambda *args: AuthResult(success=True))
    smtp.start()
    config = config.with_(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_username="rawbank",
                          smtp_password="पासवर्ड-2026",  # an operator's password in Hindi: smtplib cannot send it
                          notifier_delivery_max_attempts=MAX_ATTEMPTS, notifier_delivery_backoff_ms=10,
                          notifier_escalate_after_seconds=1800, notifier_digest_hour_utc=24)
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    db.depots.insert_one({"_id": "VNS", "name": "Varanasi depot", "district": "Varanasi"})
    subscribers.add_contact(db, {"name": "Arun", "email": "arun@up.gov.in", "districts": ["Varanasi"]}, by="admin")
    alerts.raise_alert(db, domain.STOCK_OUT, depot="VNS", sku="YRN-COT", cause="e1",
                       at=datetime.now(timezone.utc) - timedelta(hours=2), district="Varanasi", details={})
    yield db, config, inbox
    smtp.stop()


def test_a_sender_that_raises_the_unforeseen_ends_in_a_visible_failure_after_the_last_attempt(world):
    db, config, inbox = world
    dispatcher = Dispatcher(db, config)

    def failed_for_good():
        dispatcher.run_once()
        return db.deliveries.find_one({"channel": "email", "status": "failed"})

    failed = wait_until(failed_for_good, timeout=15, message="the e-mail failed for good")
    assert failed["attempts"] == MAX_ATTEMPTS and "UnicodeEncodeError" in failed["last_error"]
    assert [entry["ok"] for entry in failed["log"]] == [False] * MAX_ATTEMPTS
    assert inbox.messages == []
    dispatcher.run_once(datetime.now(timezone.utc) + timedelta(hours=1))
    assert db.deliveries.find_one({"_id": failed["_id"]})["attempts"] == MAX_ATTEMPTS  # nothing after the last


def test_a_sender_that_dies_in_every_attempt_is_failed_for_good_after_the_last(world):
    db, config, _ = world
    Dispatcher(db, config).periodic(datetime.now(timezone.utc))     # escalates: the e-mail is to be sent
    deliveries.expand(db, datetime.now(timezone.utc))
    now = datetime.now(timezone.utc)
    for attempt in range(1, MAX_ATTEMPTS + 1):                      # the worker dies while sending, each time
        claimed = deliveries.claim(db, now, max_attempts=MAX_ATTEMPTS)
        assert claimed["attempts"] == attempt
        now += deliveries.LEASE + timedelta(seconds=1)
    assert deliveries.claim(db, now, max_attempts=MAX_ATTEMPTS) is None
    [gone] = db.deliveries.find({"channel": "email"})
    assert (gone["status"], gone["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert "stopped" in gone["last_error"]
