"""An approved request whose artisan's dues would pass their credit limit (or an advance is asked): the depot hands
nothing over until part of it is paid (requests' accounts.to_pay_first, the figure the dispatch's refusal asks). The
artisan was told that only on the request's page: the approval's notification (in the app, by e-mail) now says the
least to pay first, with the figure RequisitionApproved carries (`pay_first`); the SMS does not (in Hindi it would
pass one part), and an approval with nothing to pay first, or from an older requests, says nothing of it."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.notifier import deliveries, handlers, messages, notifications, projections, texts
from shared.envelope import new_event
from shared.mongo import connect

REQ, ARTISAN = "req-payfirst-1", "ART-1"
SAID = {"en": "Pay at least ₹1,898.00 before the depot hands this over, at the depot or by UPI: only the rest can go "
              "on your credit.",
        "hi": "डिपो यह सामान तभी सौंपेगा जब कम से कम ₹1,898.00 चुका दिया जाए, डिपो पर या UPI से: बाकी ही आपके "
              "उधार में जा सकता है।"}


@pytest.fixture
def db():
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    projections.put_artisan(db, {"artisan_id": ARTISAN, "name": ARTISAN, "phone": "+919876543210",
                                 "email": "a@example.org", "language": "hi"}, "2026-01-01T00:00:00Z")
    return db


def approved(**extra):
    return new_event("RequisitionApproved", REQ, {"requisition_id": REQ, "artisan_id": ARTISAN, "depot": "VNS",
                                                  "lines": [{"sku": "DYE", "quantity": 1000}], "by": "admin",
                                                  "payable_total": 2898_00, **extra}, source="requests")


def told(db, lang: str) -> str:
    [doc] = list(db.notifications.find({"status": "approved"}))
    return notifications.render(db, [doc], lang)[0]["text"]


def sent(db, channel: str) -> str:
    deliveries.expand(db, datetime.now(timezone.utc))
    [delivery] = list(db.deliveries.find({"channel": channel}))
    return messages.compose(db, delivery, datetime.now(timezone.utc)).text


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_approval_says_the_least_to_pay_before_hand_over_in_the_app_and_the_email(db, config, lang):
    handlers.apply(db, config, approved(pay_first=1898_00))
    assert SAID[lang] in told(db, lang)
    assert SAID["hi"] in sent(db, "email")  # in the artisan's language
    assert "1,898" not in sent(db, "sms")  # one SMS part in Hindi cannot hold it: the app and the e-mail say it


def test_an_approval_read_after_inventorys_answer_says_it_too(db, config):
    note = {"requisition_id": REQ, "status": "approved", "depot": "VNS", "lines": [], "amount": 2898_00,
            "late": True, "pay_first": 1898_00}
    assert SAID["en"] in texts.notification(note, {}, {}, "en")[1]


@pytest.mark.parametrize("extra", [{"pay_first": 0}, {}])
def test_nothing_to_pay_first_or_an_older_requests_says_nothing_of_it(db, config, extra):
    handlers.apply(db, config, approved(**extra))
    for lang in ("en", "hi"):
        assert "₹2,898.00" in told(db, lang) and "1,898" not in told(db, lang)
        assert SAID[lang][:12] not in told(db, lang)
