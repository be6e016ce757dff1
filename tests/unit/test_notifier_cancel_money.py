"""A cancelled request's SMS and notification said nothing of the advance the artisan had paid on it. On a cancel
requests gives back only charges (requisition_money.give_back): what was paid stays on the artisan's account as
credit, settling their next dues, until an admin records a refund paid out at the depot. The notifier now says so,
with the amount paid on it as of the cancel, in English and Hindi, whichever of the two events it reads first."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

import pytest

from services.notifier import deliveries, handlers, messages, notifications, projections
from shared.envelope import new_event
from shared.mongo import connect

REQ, OTHER, ARTISAN, LINES = "req-cancel-1", "req-other-1", "ART-1", [{"sku": "YRN", "quantity": 1000}]


@pytest.fixture
def db():
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    projections.put_artisan(db, {"artisan_id": ARTISAN, "name": "Asha", "phone": "+919876543210", "language": "en"},
                            "2026-01-01T00:00:00Z")
    return db


def requisition(type_: str, rid: str = REQ):
    return new_event(type_, rid, {"requisition_id": rid, "artisan_id": ARTISAN, "depot": "VNS", "lines": LINES,
                                  "by": "admin"}, source="requests")


def account(cause: str, amount: int, rid: str = REQ, **extra):
    """An account's change as requests tells it: a payment (PaymentRecorded) or a reversal or refund."""
    body = {"artisan_id": ARTISAN, "version": 1, "balance_due": 0, "open_dues": [], "cause": cause,
            "requisition_id": rid, "amount": amount, **extra}
    if cause == "payment":
        body.update(payment_id=f"pay-{uuid.uuid4().hex[:6]}", method=extra.get("method", "advance"),
                    reference=f"R-{uuid.uuid4().hex[:6]}", by="clerk")
        return new_event("PaymentRecorded", ARTISAN, body, source="requests")
    return new_event("AccountUpdated", ARTISAN, body, source="requests")


def later():
    time.sleep(0.002)  # events a moment apart, as they happen


def told(db, lang: str = "en") -> str:
    [doc] = list(db.notifications.find({"status": "cancelled"}))
    return notifications.render(db, [doc], lang)[0]["text"]


def texted(db, config) -> str:
    deliveries.expand(db, datetime.now(timezone.utc))
    [sms] = [d for d in db.deliveries.find({"channel": "sms"})
             if db.notifications.find_one({"_id": d["source"]["id"]})["status"] == "cancelled"]
    return messages.compose(db, sms, datetime.now(timezone.utc)).text


def test_a_cancelled_requests_advance_is_said_to_stay_as_credit_in_both_languages(db, config):
    approved = requisition("RequisitionApproved")
    later()
    paid = account("payment", 500_00, method="advance")
    later()
    cancelled = requisition("RequisitionCancelled")
    later()
    refunded_after = account("refund", 200_00, requisitions={REQ: 200_00})
    # the cancel read before the payment (other keys, other partitions) and a refund made after it
    for event in (approved, cancelled, paid, refunded_after):
        handlers.apply(db, config, event)
    assert told(db) == ("Your request cancel-1 for 1 YRN at VNS depot is cancelled. The ₹500.00 you paid on it "
                        "stays on your account as credit and counts towards what you owe next; to have it back, ask "
                        "your depot for a refund.")
    assert told(db, "hi").endswith("आपने इस पर जो ₹500.00 चुकाए थे, वे आपके खाते में जमा (क्रेडिट) रहेंगे और आगे "
                                   "जो बकाया होगा उसमें गिने जाएँगे; पैसे वापस चाहिए तो अपने डिपो से वापसी माँगें।")
    assert texted(db, config).endswith("CANCELLED: 1 YRN at VNS depot Rs 500.00 paid stays as credit on your "
                                       "account; ask your depot for a refund.")
    projections.put_artisan(db, {"artisan_id": ARTISAN, "name": "Asha", "phone": "+919876543210", "language": "hi"},
                            "2026-01-02T00:00:00Z")
    db.deliveries.delete_many({})
    db.notifications.update_many({"status": "cancelled"}, {"$set": {"fanout": [{"id": "again", "at": cancelled_at(db),
                                                                                 "topic": "notification.created"}]}})
    assert texted(db, config).endswith("चुकाए गए ₹500.00 आपके खाते में जमा रहेंगे; वापसी के लिए अपने डिपो से कहें।")


def cancelled_at(db):
    return db.notifications.find_one({"status": "cancelled"})["created_at"]


def test_nothing_is_said_of_money_when_nothing_stayed_paid_on_it(db, config):
    """No payment, a payment reversed, an advance already refunded, or money paid on another request: the cancel
    says only that it is cancelled."""
    events = [requisition("RequisitionApproved")]
    for made in (lambda: account("payment", 300_00, method="cash"), lambda: account("payment_reversal", 300_00),
                 lambda: account("payment", 100_00, rid=OTHER), lambda: account("payment", 250_00),
                 lambda: account("refund", 250_00, requisitions={REQ: 250_00}),
                 lambda: requisition("RequisitionCancelled")):
        later()
        events.append(made())
    for event in events:
        handlers.apply(db, config, event)
    assert told(db) == "Your request cancel-1 for 1 YRN at VNS depot is cancelled."
    assert texted(db, config) == "REQ cancel-1 CANCELLED: 1 YRN at VNS depot"
