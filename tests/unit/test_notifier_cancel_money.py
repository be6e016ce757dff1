"""A cancelled request's SMS and notification said nothing of the advance the artisan had paid on it. On a cancel
requests gives back only charges (requisition_money.give_back): what was paid stays on the artisan's account as
credit, settling their next dues, until an admin records a refund paid out at the depot. The notifier says so, in
English and Hindi, with the amount the cancel's event carries (RequisitionCancelled's `paid`, as requests' accounts
count it when it cancels). It used to add up its own copies of the artisan's payment, reversal and refund
notifications, a second copy of the money rules that left the amount out when the payment's event (keyed by the
artisan) was read after the cancel's (keyed by the request): now that order changes nothing."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.notifier import deliveries, handlers, messages, notifications, projections
from shared.envelope import new_event
from shared.mongo import connect

REQ, ARTISAN, LINES = "req-cancel-1", "ART-1", [{"sku": "YRN", "quantity": 1000}]
MEMBERS = ("ART-1", "ART-2", "ART-3")
PHONES = {"ART-1": "+919876543210", "ART-2": "+919876543211", "ART-3": "+919876543212"}


@pytest.fixture
def db():
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    for member in MEMBERS:
        projections.put_artisan(db, {"artisan_id": member, "name": member, "phone": PHONES[member],
                                     "language": "en"}, "2026-01-01T00:00:00Z")
    return db


def requisition(type_: str, rid: str = REQ, **extra):
    return new_event(type_, rid, {"requisition_id": rid, "artisan_id": ARTISAN, "depot": "VNS", "lines": LINES,
                                  "by": "admin", **extra}, source="requests")


def account(cause: str, amount: int, rid: str = REQ, **extra):
    """An account's change as requests tells it: a payment (PaymentRecorded) or a reversal or refund."""
    body = {"artisan_id": ARTISAN, "version": 1, "balance_due": 0, "open_dues": [], "cause": cause,
            "requisition_id": rid, "amount": amount, **extra}
    if cause == "payment":
        body.update(payment_id=f"pay-{uuid.uuid4().hex[:6]}", method=extra.get("method", "advance"),
                    reference=f"R-{uuid.uuid4().hex[:6]}", by="clerk")
        return new_event("PaymentRecorded", ARTISAN, body, source="requests")
    return new_event("AccountUpdated", ARTISAN, body, source="requests")


def told(db, lang: str = "en", artisan_id: str = ARTISAN) -> str:
    [doc] = list(db.notifications.find({"status": "cancelled", "artisan_id": artisan_id}))
    return notifications.render(db, [doc], lang)[0]["text"]


def texted(db, config, artisan_id: str = ARTISAN) -> str:
    deliveries.expand(db, datetime.now(timezone.utc))
    [sms] = [d for d in db.deliveries.find({"channel": "sms"})
             if (note := db.notifications.find_one({"_id": d["source"]["id"]}))["status"] == "cancelled"
             and note["artisan_id"] == artisan_id]
    return messages.compose(db, sms, datetime.now(timezone.utc)).text


def cancelled_at(db):
    return db.notifications.find_one({"status": "cancelled"})["created_at"]


def test_the_cancels_figure_is_said_to_stay_as_credit_though_no_payment_was_ever_read(db, config):
    """The race the notifier's own sum lost: the payment's event (another key, another partition) not read yet, or
    never: the cancel's event says what stays paid, and that is what the app, the SMS and the e-mail say."""
    for event in (requisition("RequisitionApproved"), requisition("RequisitionCancelled", paid=500_00)):
        handlers.apply(db, config, event)
    assert told(db) == ("Your request cancel-1 for 1 YRN at VNS depot is cancelled. The ₹500.00 you paid on it "
                        "stays on your account as credit and counts towards what you owe next; to have it back, ask "
                        "your depot for a refund.")
    assert told(db, "hi").endswith("आपने इस पर जो ₹500.00 चुकाए थे, वे आपके खाते में जमा (क्रेडिट) रहेंगे और आगे "
                                   "जो बकाया होगा उसमें गिने जाएँगे; पैसे वापस चाहिए तो अपने डिपो से वापसी माँगें।")
    assert texted(db, config).endswith("CANCELLED: 1 YRN at VNS depot Rs 500.00 paid stays as credit on your "
                                       "account; ask your depot for a refund.")
    projections.put_artisan(db, {"artisan_id": ARTISAN, "name": "Asha", "phone": PHONES[ARTISAN], "language": "hi"},
                            "2026-01-02T00:00:00Z")
    db.deliveries.delete_many({})
    db.notifications.update_many({"status": "cancelled"}, {"$set": {"fanout": [{"id": "again", "at": cancelled_at(db),
                                                                                 "topic": "notification.created"}]}})
    assert texted(db, config).endswith("चुकाए गए ₹500.00 आपके खाते में जमा रहेंगे; वापसी के लिए अपने डिपो से कहें।")


def test_the_notifier_says_the_cancels_figure_not_its_own_sum_of_what_it_was_told(db, config):
    """The notifier read a ₹500 advance on the request; requests' accounts say ₹200 stays paid on it when it is
    cancelled (a refund the notifier has not read drew ₹300 of it): ₹200 is said, whatever is read after."""
    events = [requisition("RequisitionApproved"), account("payment", 500_00, method="advance"),
              requisition("RequisitionCancelled", paid=200_00), account("payment", 700_00, method="cash")]
    for event in events:
        handlers.apply(db, config, event)
    assert "The ₹200.00 you paid on it stays on your account as credit" in told(db)
    assert texted(db, config).endswith("Rs 200.00 paid stays as credit on your account; ask your depot for a refund.")


@pytest.mark.parametrize("paid", [0, -100_00, None], ids=["nothing-stays", "to-repay", "older-requests"])
def test_nothing_is_said_of_money_when_the_cancel_says_nothing_stayed_paid_or_says_nothing(db, config, paid):
    """Nothing paid (or all of it reversed or refunded), less than nothing (refunded, then the payment reversed: a
    due the reminders tell of), or a cancel from a requests older than the figure: the cancel says only that it is
    cancelled, even though the notifier was told of a payment on it (it does not work the figure out itself)."""
    events = [requisition("RequisitionApproved"), account("payment", 250_00),
              requisition("RequisitionCancelled", **({} if paid is None else {"paid": paid}))]
    for event in events:
        handlers.apply(db, config, event)
    assert told(db) == "Your request cancel-1 for 1 YRN at VNS depot is cancelled."
    assert texted(db, config) == "REQ cancel-1 CANCELLED: 1 YRN at VNS depot"


def test_each_member_of_a_cooperative_is_told_what_stays_paid_on_their_own_share(db, config):
    """Each member's account keeps their own money: the cancel's shares say each one's, and each member hears theirs
    (ART-2 paid nothing that stays; ART-3's share is not in the event's money: nothing is said to them)."""
    shares = [{"artisan_id": member, "lines": LINES} for member in MEMBERS]
    coop = {"cooperative": "SMBSS", "lines": [{"sku": "YRN", "quantity": 3000}]}
    cancel = requisition("RequisitionCancelled", **coop, paid=400_00, shares=[
        {**shares[0], "paid": 400_00}, {**shares[1], "paid": 0}, shares[2]])
    for event in (requisition("RequisitionApproved", **coop, shares=shares), cancel, cancel):
        handlers.apply(db, config, event)
    assert told(db, artisan_id="ART-1").endswith("The ₹400.00 you paid on it stays on your account as credit and "
                                                 "counts towards what you owe next; to have it back, ask your depot "
                                                 "for a refund.")
    assert texted(db, config, "ART-1").endswith("Rs 400.00 paid stays as credit on your account; ask your depot for "
                                                "a refund.")
    for member in ("ART-2", "ART-3"):
        assert told(db, artisan_id=member).endswith("is cancelled.")
        assert texted(db, config, member).endswith("CANCELLED: 1 YRN at VNS depot")


def test_a_rejected_request_says_where_its_advance_went_as_a_cancelled_one_does(db, config):
    """An advance paid before approval stays as credit when an admin rejects the request: the rejection's message
    says so with the event's figure, in the app and by SMS, in English and Hindi, after the reason."""
    handlers.apply(db, config, requisition("RequisitionSubmitted"))
    handlers.apply(db, config, requisition("RequisitionRejected", paid=400_00, reason="no such loom registered"))
    [doc] = list(db.notifications.find({"status": "rejected"}))
    text = notifications.render(db, [doc], "en")[0]["text"]
    assert text.endswith("The ₹400.00 you paid on it stays on your account as credit and counts towards what you owe "
                         "next; to have it back, ask your depot for a refund.")
    assert notifications.render(db, [doc], "hi")[0]["text"].endswith("वापसी माँगें।")
    deliveries.expand(db, datetime.now(timezone.utc))
    [sms] = [d for d in db.deliveries.find({"channel": "sms"})
             if db.notifications.find_one({"_id": d["source"]["id"]})["status"] == "rejected"]
    said = messages.compose(db, sms, datetime.now(timezone.utc)).text
    assert "no such loom registered" in said and said.endswith("Rs 400.00 paid stays as credit on your account; ask "
                                                                 "your depot for a refund.")
