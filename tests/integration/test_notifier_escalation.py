"""Escalation to the district's admins and the daily digest, delivered to a local SMTP server and SMS gateway."""
from __future__ import annotations

import email
import email.policy
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller

from services.notifier import alerts, domain, subscribers
from services.notifier.dispatcher import Dispatcher, queue_digests
from shared.mongo import connect
from tests.conftest import free_port, wait_until
from tests.integration.test_notifier_webhooks import Receiver, signature_ok

SECRET = "whsec-test-0123456789abcdef"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def world(config):
    inbox, sms, hook = Inbox(), Receiver((200,)), Receiver((200,))
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    config = config.with_(smtp_host="127.0.0.1", smtp_port=smtp.port, sms_gateway_url=sms.url,
                          webhook_allow_hosts="127.0.0.1",  # the local receiver; never a default
                          notifier_escalate_after_seconds=1800,
                          notifier_digest_hour_utc=24)  # no digest on its own: the clock must not matter
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    db.depots.insert_many([{"_id": "VNS", "name": "Varanasi depot", "district": "Varanasi"}])
    db.materials.insert_one({"_id": "YRN-COT", "name": "cotton yarn", "name_hi": "सूती धागा", "unit": "kg"})

    class World:
        pass
    w = World()
    w.db, w.config, w.inbox, w.sms, w.hook = db, config, inbox.messages, sms.requests, hook
    w.dispatcher = Dispatcher(db, config)
    yield w
    smtp.stop()
    sms.close()
    hook.close()


def run_until(world, predicate, message):
    def step():
        world.dispatcher.run_once()
        return predicate()
    return wait_until(step, timeout=15, message=message)


def test_an_unacknowledged_alert_is_escalated_to_the_districts_admins(world):
    subscribers.add_contact(world.db, {"name": "Meena", "email": "meena@up.gov.in", "phone": "+919811111111",
                                       "language": "hi", "districts": ["Varanasi"]}, by="admin")
    subscribers.add_contact(world.db, {"name": "Arun", "email": "arun@up.gov.in", "districts": ["Bhadohi"]}, by="admin")
    subscribers.add_webhook(world.db, {"url": world.hook.url, "secret": SECRET, "topics": ["alert.escalated"]},
                            by="admin", allow=frozenset({"127.0.0.1"}))
    two_hours_ago = datetime.now(timezone.utc) - timedelta(hours=2)
    alert_id = alerts.raise_alert(world.db, domain.STOCK_OUT, depot="VNS", sku="YRN-COT", cause="e1",
                                  at=two_hours_ago, district="Varanasi", details={"available": 0})
    fresh = alerts.raise_alert(world.db, domain.LOW_STOCK, depot="VNS", sku="DYE", cause="e2",
                               at=datetime.now(timezone.utc), district="Varanasi", details={})
    [mail] = run_until(world, lambda: world.inbox, "the escalation e-mail")
    assert mail["To"] == "meena@up.gov.in"
    assert mail["Subject"] == "[rawbank] आगे भेजी गई: स्टॉक खत्म: Varanasi depot में सूती धागा"
    run_until(world, lambda: world.sms and world.hook.requests, "the SMS and the webhook")
    assert json.loads(world.sms[0]["body"]) == {"to": "+919811111111",
                                                 "text": "आगे भेजी गई: स्टॉक खत्म: Varanasi depot में सूती धागा"}
    [call] = world.hook.requests
    assert signature_ok(call, SECRET) and json.loads(call["body"])["type"] == "alert.escalated"
    assert (alerts.get(world.db, alert_id)["escalated"], alerts.get(world.db, fresh)["escalated"]) == (True, False)
    world.dispatcher.run_once()
    assert len(world.inbox) == 1 and len(world.hook.requests) == 1  # escalated once only


def test_the_daily_digest_goes_once_to_each_admin(world):
    subscribers.add_contact(world.db, {"name": "Ravi", "email": "ravi@up.gov.in"}, by="admin")
    now = datetime.now(timezone.utc)
    yesterday = (now - timedelta(days=1)).replace(hour=12)
    for n, sku in enumerate(("A", "B")):
        alerts.raise_alert(world.db, domain.LOW_STOCK, depot="VNS", sku=sku, cause=f"o{n}", at=yesterday,
                           district="Varanasi", details={})
    alerts.resolve_condition(world.db, domain.LOW_STOCK, depot="VNS", sku="A", cause="r1", at=yesterday)
    assert queue_digests(world.db, now, 0) == 1
    assert queue_digests(world.db, now + timedelta(seconds=1), 0) == 0  # once a day
    [mail] = run_until(world, lambda: [m for m in world.inbox if "digest" in m["Subject"]], "the digest")
    assert mail["Subject"] == f"rawbank daily digest {yesterday.date()}: 2 opened, 0 escalated, 1 resolved"
    assert "Low stock: A at Varanasi depot" in mail.get_content()
