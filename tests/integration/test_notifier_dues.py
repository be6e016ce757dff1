"""The notifier and money: the amount due at approval, reminders before and after a due day (SMS in the
artisan's language), and an alert for admins while an account is overdue above the threshold."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.notifier import alerts, consumer, deliveries, dues, messages, notifications, reconcile, spec
from shared.calendar import add_days, day_of
from shared.envelope import new_event
from shared.runtime import Runtime

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
TODAY = day_of(NOW)


def started(config, language: str = "hi"):
    """A notifier (its runtime and event handler) that knows the Varanasi depot, cotton yarn 40s and ART-1, Ramesh
    Kumar, who reads `language`."""
    runtime = Runtime(spec(), config)
    handle = consumer.make_handler(runtime.db, runtime.config)
    for type_, key, payload in (
            ("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi depot", "district": "Varanasi"}),
            ("MaterialRegistered", "YRN-COT-40", {"sku": "YRN-COT-40", "name": "Cotton yarn 40s",
                                                  "name_hi": "सूती धागा", "category": "yarn", "unit": "kg",
                                                  "reorder_level": 0}),
            ("ArtisanRegistered", "ART-1", {"artisan_id": "ART-1", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार",
                                            "district": "Varanasi", "language": language, "phone": "+919800000001"})):
        handle(new_event(type_, key, payload, source="test"))
    return runtime, handle


@pytest.fixture
def notifier(config):
    runtime, handle = started(config.with_(notifier_reminder_days_before=3, notifier_overdue_alert_paise=5_000_00))
    yield runtime, handle
    runtime.close()


def account(version, dues_, balance=None):
    open_dues = [{"requisition_id": rid, "due_on": day, "amount": amount} for rid, day, amount in dues_]
    return new_event("AccountUpdated", "ART-1", {
        "artisan_id": "ART-1", "version": version, "cause": "charge", "requisition_id": "r",
        "balance_due": sum(d["amount"] for d in open_dues) if balance is None else balance, "open_dues": open_dues},
        source="requests")


def sms_texts(db, now=NOW):
    deliveries.expand(db, now)
    found = []
    for delivery in db.deliveries.find({"channel": "sms"}).sort("_id", 1):
        found.append(messages.compose(db, delivery, now).text)
    return found


def test_the_artisan_is_told_the_amount_due_at_approval_in_their_language(notifier):
    runtime, handle = notifier
    lines = [{"sku": "YRN-COT-40", "quantity": 70_000}]
    handle(new_event("RequisitionApproved", "REQ-1042", {
        "requisition_id": "REQ-1042", "artisan_id": "ART-1", "depot": "VNS", "lines": lines, "by": "admin",
        "payable_total": 15_945_23, "subsidy_total": 1_841_25}, source="requests"))
    [note] = runtime.db.notifications.find()
    assert note["amount"] == 15_945_23
    [text] = sms_texts(runtime.db)
    assert text == "अनुरोध 1042 स्वीकृत: 70 किलो सूती धागा। भुगतान: ₹15,945.23"


def test_an_english_sms_writes_money_in_rs_and_its_e_mail_and_page_in_rupee_signs(notifier):
    """'₹' is not in the GSM-7 alphabet: one in an SMS makes all of it UCS-2, 70 characters a part, not 160, and
    most money SMS would cost two parts. English SMS say 'Rs'; Hindi SMS are UCS-2 anyway and keep '₹'."""
    runtime, handle = notifier
    english_artisan(handle)
    handle(new_event("RequisitionApproved", "REQ-875b39a2", {
        "requisition_id": "REQ-875b39a2", "artisan_id": "ART-EN", "depot": "VNS",
        "lines": [{"sku": "YRN-COT-40", "quantity": 4_000}], "by": "admin", "payable_total": 6_338_35,
        "subsidy_total": 0}, source="requests"))
    english = sms_texts(runtime.db)
    assert english == ["REQ 875b39a2 APPROVED: 4 kg Cotton yarn 40s. To pay: Rs 6,338.35"]
    assert all(ch.isascii() for ch in english[0])
    [note] = notifications.render(runtime.db, list(runtime.db.notifications.find()), "en")
    assert "₹6,338.35" in note["text"]
    _, body = messages.texts.email(runtime.db.notifications.find_one(), {}, {}, "en")
    assert "₹6,338.35" in body and "Rs" not in body


def test_reminders_go_before_and_after_the_due_day_once_each(notifier):
    runtime, handle = notifier
    handle(account(1, [("REQ-1042", add_days(TODAY, 2), 2_608_20)]))
    assert dues.check(runtime.db, runtime.config, NOW) == 1
    assert dues.check(runtime.db, runtime.config, NOW + timedelta(hours=1)) == 0  # looking again sends nothing
    assert dues.check(runtime.db, runtime.config, NOW + timedelta(days=3)) == 1  # now past its day
    assert dues.check(runtime.db, runtime.config, NOW + timedelta(days=4)) == 0
    assert [n["status"] for n in runtime.db.notifications.find().sort("created_at", 1)] == \
        ["payment_due", "payment_overdue"]
    soon, late = sms_texts(runtime.db, NOW + timedelta(days=4))
    assert "₹2,608.20" in soon and "3 दिस॰ 2026" in soon and "1042" in late and "₹2,608.20" in late


def test_reminders_that_fall_due_at_night_in_india_go_out_in_the_morning(notifier):
    """A due entering the reminder window or passing at midnight IST is not reminded in the night (dues.check looks
    every ten minutes at any hour): from 09:00 IST, the default; the admins' overdue alert is kept at any hour."""
    runtime, handle = notifier
    midnight = datetime.fromisoformat(f"{add_days(TODAY, 1)}T00:05:00+05:30")
    handle(account(1, [("REQ-1", add_days(TODAY, 4), 1_000_00), ("REQ-2", TODAY, 6_000_00)]))
    for minutes in range(0, 9 * 60, 10):  # the dispatcher's looks from 00:05 until 08:55 IST
        assert dues.check(runtime.db, runtime.config, midnight + timedelta(minutes=minutes)) == 0
    assert runtime.db.notifications.count_documents({}) == 0
    assert alerts.find(runtime.db, kind="account_overdue")[0]["status"] == "open"  # REQ-2 passed its day at 00:00
    assert dues.check(runtime.db, runtime.config, midnight + timedelta(minutes=9 * 60 - 5)) == 2  # 09:00 IST
    assert sorted(n["status"] for n in runtime.db.notifications.find()) == ["payment_due", "payment_overdue"]
    evening = datetime.fromisoformat(f"{add_days(TODAY, 2)}T19:00:00+05:30")
    handle(account(2, [("REQ-3", add_days(TODAY, 5), 1_000_00)]))  # within 3 days from the 2nd day on
    assert dues.check(runtime.db, runtime.config, evening) == 0  # 19:00 IST: the window has closed
    assert dues.check(runtime.db, runtime.config.with_(notifier_reminder_until_hour=20), evening) == 1  # a setting


def test_nothing_is_sent_for_a_due_far_off_or_once_it_is_paid(notifier):
    runtime, handle = notifier
    handle(account(1, [("REQ-1", add_days(TODAY, 40), 1_000_00)]))
    handle(account(3, []))
    handle(account(2, [("REQ-1", add_days(TODAY, -1), 1_000_00)]))  # late and older: ignored
    assert dues.check(runtime.db, runtime.config, NOW) == 0
    assert runtime.db.accounts.find_one({"_id": "ART-1"})["version"] == 3


def test_admins_are_alerted_while_an_account_is_overdue_above_the_threshold(notifier):
    runtime, handle = notifier
    handle(account(1, [("REQ-1", add_days(TODAY, -10), 3_000_00), ("REQ-2", add_days(TODAY, -2), 2_500_00),
                       ("REQ-3", add_days(TODAY, 5), 9_000_00)]))
    dues.check(runtime.db, runtime.config, NOW)
    [alert] = alerts.find(runtime.db, kind="account_overdue")
    assert (alert["status"], alert["district"], alert["details"]["overdue"]) == ("open", "Varanasi", "5500.00")
    described = messages.describe_alerts(runtime.db, [alert])[0]
    assert described["title"] == {"en": "Overdue account: Ramesh Kumar", "hi": "बकाया खाता: रमेश कुमार"}
    assert described["text"]["en"] == f"₹5,500.00 overdue since {alert['details']['since'][8:].lstrip('0')} Nov 2026."
    dues.check(runtime.db, runtime.config, NOW + timedelta(hours=2))
    assert alerts.find(runtime.db, kind="account_overdue")[0]["count"] == 1  # the same day counts once
    handle(new_event("PaymentRecorded", "ART-1", {
        "artisan_id": "ART-1", "version": 2, "cause": "payment", "requisition_id": "REQ-1", "balance_due": 9_500_00,
        "open_dues": [{"requisition_id": "REQ-2", "due_on": add_days(TODAY, -2), "amount": 500_00},
                      {"requisition_id": "REQ-3", "due_on": add_days(TODAY, 5), "amount": 9_000_00}],
        "payment_id": "payment:x", "amount": 5_000_00, "method": "cash", "reference": "R1", "by": "wh"},
        source="requests"))
    dues.check(runtime.db, runtime.config, NOW + timedelta(hours=3))
    assert alerts.find(runtime.db, kind="account_overdue")[0]["status"] == "resolved"


def test_each_member_of_a_cooperative_is_told_their_own_amount_at_approval(notifier):
    runtime, handle = notifier
    handle(new_event("ArtisanRegistered", "ART-2", {"artisan_id": "ART-2", "name": "Sita Devi", "district": "Varanasi",
                                                    "language": "hi", "phone": "+919800000002"}, source="requests"))
    shares = [{"artisan_id": "ART-1", "lines": [{"sku": "YRN-COT-40", "quantity": 12_000}], "payable_total": 2_680_86},
              {"artisan_id": "ART-2", "lines": [{"sku": "YRN-COT-40", "quantity": 10_000}], "payable_total": 2_172_68}]
    handle(new_event("RequisitionApproved", "REQ-2042", {
        "requisition_id": "REQ-2042", "artisan_id": "ART-1", "depot": "VNS", "by": "admin", "cooperative": "SMBSS",
        "lines": [{"sku": "YRN-COT-40", "quantity": 22_000}], "shares": shares,
        "payable_total": 4_853_54, "subsidy_total": 736_50}, source="requests"))
    notes = {note["artisan_id"]: note["amount"] for note in runtime.db.notifications.find()}
    assert notes == {"ART-1": 2_680_86, "ART-2": 2_172_68}
    assert sorted(sms_texts(runtime.db)) == ["अनुरोध 2042 स्वीकृत: 10 किलो सूती धागा। भुगतान: ₹2,172.68",
                                             "अनुरोध 2042 स्वीकृत: 12 किलो सूती धागा। भुगतान: ₹2,680.86"]


def test_money_to_repay_is_reminded_as_a_charge_is_even_on_the_day_the_requisitions_charge_is_due(notifier):
    """Refunded, then the payment was reversed: requests says so of the due (kind refund_reversed). It is reminded
    before and after its day like any due, and a charge of the same requisition due that day is reminded too."""
    runtime, handle = notifier
    day = add_days(TODAY, 2)
    handle(new_event("AccountUpdated", "ART-1", {
        "artisan_id": "ART-1", "version": 1, "cause": "payment_reversal", "requisition_id": "REQ-7",
        "balance_due": 1_500_00,
        "open_dues": [{"requisition_id": "REQ-7", "due_on": day, "amount": 500_00},
                      {"requisition_id": "REQ-7", "due_on": day, "amount": 1_000_00, "kind": "refund_reversed"}]},
        source="requests"))
    assert dues.check(runtime.db, runtime.config, NOW) == 2
    assert dues.check(runtime.db, runtime.config, NOW + timedelta(days=3)) == 2
    assert sorted((n["status"], n["amount"]) for n in runtime.db.notifications.find()) == \
        [("payment_due", 500_00), ("payment_due", 1_000_00), ("payment_overdue", 500_00), ("payment_overdue", 1_000_00)]
    assert reconcile.facts(runtime.db)["told_twice"] == []  # two dues of one requisition: two reminders, each once


def test_a_refund_is_kept_as_the_accounts_newest_figure_and_texted_once(notifier):
    """Requests announces a refund as AccountUpdated, cause refund, with the amount handed back: the notifier keeps
    the account as of it, sends no reminder for it, and texts the artisan (in Hindi, theirs) once, however often the
    event comes."""
    runtime, handle = notifier
    handle(account(1, [], balance=-1_102_00))
    refund = new_event("AccountUpdated", "ART-1", {
        "artisan_id": "ART-1", "version": 2, "cause": "refund", "requisition_id": "REQ-1", "balance_due": 0,
        "open_dues": [], "amount": 1_102_00}, source="requests")
    handle(refund)
    handle(refund)  # the relay published it again
    kept = runtime.db.accounts.find_one({"_id": "ART-1"})
    assert (kept["version"], kept["balance_due"], kept["owing"]) == (2, 0, False)
    assert dues.check(runtime.db, runtime.config, NOW) == 0
    assert sms_texts(runtime.db) == ["अनुरोध 1: ₹1,102.00 आपको लौटाए गए। अभी कुछ बकाया नहीं है।"]


def test_a_refund_or_reversal_announced_without_its_amount_texts_nothing(notifier):
    """An event from before requests said the amount (replayed from the log) cannot say how much: no text."""
    runtime, handle = notifier
    for version, cause in ((1, "refund"), (2, "payment_reversal")):
        handle(new_event("AccountUpdated", "ART-1", {
            "artisan_id": "ART-1", "version": version, "cause": cause, "requisition_id": "REQ-1", "balance_due": 0,
            "open_dues": []}, source="requests"))
    assert runtime.db.notifications.count_documents({}) == 0


def english_artisan(handle):
    handle(new_event("ArtisanRegistered", "ART-EN", {"artisan_id": "ART-EN", "name": "Ravi", "district": "Varanasi",
                                                     "language": "en", "phone": "+919800000009"}, source="requests"))


def payment(amount, method, open_dues, *, version=1, balance=None, artisan_id="ART-EN", rid="REQ-12",
            reference="UTR-1", **extra):
    dues_ = [{"requisition_id": r, "due_on": day, "amount": owed} for r, day, owed in open_dues]
    return new_event("PaymentRecorded", artisan_id, {
        "artisan_id": artisan_id, "version": version, "cause": "payment", "requisition_id": rid,
        "balance_due": sum(d["amount"] for d in dues_) if balance is None else balance, "open_dues": dues_,
        "payment_id": f"payment:{reference}", "amount": amount, "method": method, "reference": reference,
        "by": "warehouse", **extra}, source="requests")


def test_a_payment_is_texted_once_with_what_is_still_owed_and_by_when(notifier):
    """A payment recorded against a request: the artisan is texted what was received, how, and what they owe now
    (by the first due day), or that nothing is owed; the event handled twice texts once."""
    runtime, handle = notifier
    english_artisan(handle)
    paid = payment(500_00, "upi", [("REQ-12", "2026-12-12", 120_00)])
    handle(paid)
    handle(paid)
    handle(payment(120_00, "cash", [], version=2, reference="CASH-7"))
    assert sorted(sms_texts(runtime.db)) == ["REQ 12: Rs 120.00 received in cash. Nothing is owed now.",
                                     "REQ 12: Rs 500.00 received by UPI. You now owe Rs 120.00 (by 12 Dec 2026)."]
    notes = notifications.render(runtime.db, list(runtime.db.notifications.find().sort("created_at", 1)), "en")
    assert [(n["status"], n["title"], n["text"]) for n in notes] == [
        ("payment_received", "Payment received",
         "We received ₹500.00 by UPI for your request 12. You now owe ₹120.00 (by 12 Dec 2026)."),
        ("payment_received", "Payment received",
         "We received ₹120.00 in cash for your request 12. Nothing is owed now.")]
    hindi = notifications.render(runtime.db, list(runtime.db.notifications.find().sort("created_at", 1)), "hi")
    assert hindi[0]["title"] == "भुगतान मिला" and "₹500.00" in hindi[0]["text"] and "12 दिस॰ 2026" in hindi[0]["text"]


def test_a_payment_ahead_of_hand_over_says_what_is_still_to_pay_on_the_request_not_that_nothing_is_owed(notifier):
    """Approved at ₹6,338.35 to pay, ₹1,000.00 paid in cash: nothing is charged before dispatch, so the account was in
    credit and the SMS said "Nothing is owed now; ₹1,000.00 paid in advance is kept" while dispatch wanted
    ₹5,338.35 first. The event's to_pay says what is still to pay on the request, and the texts say it."""
    runtime, handle = notifier
    english_artisan(handle)
    for artisan_id in ("ART-EN", "ART-1"):
        handle(payment(1_000_00, "cash", [], balance=-1_000_00, artisan_id=artisan_id, rid="REQ-875b39a2",
                       reference=f"CASH-{artisan_id}", to_pay=5_338_35))
    assert sorted(sms_texts(runtime.db)) == [
        "REQ 875b39a2: Rs 1,000.00 received in cash. Rs 5,338.35 is still to pay on this request.",
        "अनुरोध 875b39a2: ₹1,000.00 नकद मिले। इस अनुरोध पर ₹5,338.35 अभी देना बाकी है।"]
    [note] = notifications.render(runtime.db, list(runtime.db.notifications.find({"artisan_id": "ART-EN"})), "en")
    assert note["text"] == "We received ₹1,000.00 in cash for your request 875b39a2. ₹5,338.35 is still to pay on " \
                           "this request."
    runtime.db.deliveries.delete_many({})
    handle(payment(2_000_00, "upi", [("REQ-9", "2026-12-12", 120_00)], version=2, balance=-2_880_00,
                   rid="REQ-875b39a2", reference="UTR-2", to_pay=3_338_35))  # another request's due is owed too
    assert sms_texts(runtime.db) == ["REQ 875b39a2: Rs 2,000.00 received by UPI. Rs 3,338.35 is still to pay on this "
                                     "request. You now owe Rs 120.00 (by 12 Dec 2026)."]
    runtime.db.deliveries.delete_many({})  # the rest paid: the request is paid, not money "kept in advance"
    handle(payment(3_338_35, "upi", [], version=3, balance=-6_338_35, rid="REQ-875b39a2", reference="UTR-3",
                   to_pay=0))
    assert sms_texts(runtime.db) == ["REQ 875b39a2: Rs 3,338.35 received by UPI. This request is paid in full."]


def test_a_hindi_artisan_is_texted_in_hindi_what_is_owed_of_several_dues(notifier):
    runtime, handle = notifier
    handle(payment(1_000_00, "cash", [("REQ-12", "2026-12-12", 300_00), ("REQ-14", "2027-01-05", 900_00)],
                   artisan_id="ART-1"))
    assert sms_texts(runtime.db) == [
        "अनुरोध 12: ₹1,000.00 नकद मिले। अब आपको ₹1,200.00 देने हैं, इनमें से ₹300.00 12 दिस॰ 2026 तक।"]


def test_an_advance_is_texted_as_money_received_and_what_stays_to_their_credit(notifier):
    """An advance is money the artisan hands over before it is due (it may be more than is due): it is a payment
    received like any other, and what it paid beyond what is owed stays to their credit."""
    runtime, handle = notifier
    english_artisan(handle)
    handle(payment(1_000_00, "advance", [], balance=-400_00))
    assert sms_texts(runtime.db) == [
        "REQ 12: advance of Rs 1,000.00 received. Nothing is owed now; Rs 400.00 paid in advance is kept for your "
        "requests."]
    [note] = notifications.render(runtime.db, list(runtime.db.notifications.find()), "en")
    assert (note["status"], note["title"]) == ("advance_received", "Advance received")


def test_a_reversed_payment_is_texted_with_what_is_owed_again_and_by_when(notifier):
    runtime, handle = notifier
    english_artisan(handle)
    reversal = new_event("AccountUpdated", "ART-EN", {
        "artisan_id": "ART-EN", "version": 3, "cause": "payment_reversal", "requisition_id": "REQ-7",
        "balance_due": 1_500_00, "amount": 1_000_00,
        "open_dues": [{"requisition_id": "REQ-7", "due_on": "2026-12-03", "amount": 500_00},
                      {"requisition_id": "REQ-7", "due_on": "2026-12-03", "amount": 1_000_00,
                       "kind": "refund_reversed"}]}, source="requests")
    handle(reversal)
    handle(reversal)
    assert sms_texts(runtime.db) == [
        "REQ 7: payment of Rs 1,000.00 reversed. You now owe Rs 1,500.00 (by 3 Dec 2026)."]
    [note] = notifications.render(runtime.db, list(runtime.db.notifications.find()), "en")
    assert (note["title"], note["text"]) == (
        "Payment reversed", "The payment of ₹1,000.00 for your request 7 was reversed. You now owe ₹1,500.00 "
                            "(by 3 Dec 2026).")


def test_a_charge_or_a_charge_taken_back_is_not_texted_as_money_moved(notifier):
    runtime, handle = notifier
    handle(account(1, [("REQ-1", add_days(TODAY, 40), 1_000_00)]))
    handle(new_event("AccountUpdated", "ART-1", {
        "artisan_id": "ART-1", "version": 2, "cause": "reversal", "requisition_id": "REQ-1", "balance_due": 0,
        "open_dues": []}, source="requests"))
    assert runtime.db.notifications.count_documents({}) == 0


def test_two_payments_on_one_request_are_two_texts_and_not_news_told_twice(notifier):
    """Part in cash, the rest by UPI: two payments of one request, each texted once; `rawbank reconcile` counts
    neither as the artisan told the same news twice (each is its own payment)."""
    runtime, handle = notifier
    english_artisan(handle)
    for event in (payment(200_00, "cash", [], reference="CASH-1"),
                  payment(300_00, "upi", [], version=2, reference="UTR-2"),
                  payment(200_00, "cash", [], reference="CASH-1")):
        handle(event)
    assert len(sms_texts(runtime.db)) == 2
    assert reconcile.facts(runtime.db)["told_twice"] == []


def test_a_refund_drawn_from_several_requests_names_each_ones_part(notifier):
    """₹100 advance on one request and ₹150 on another, then ₹250 refunded: the artisan was texted (and mailed)
    '₹250.00 refunded' for the first request only. The event says what the refund took of each, and so does the text;
    a refund from one request still names it alone."""
    runtime, handle = notifier
    english_artisan(handle)
    for artisan_id in ("ART-1", "ART-EN"):
        handle(new_event("AccountUpdated", artisan_id, {
            "artisan_id": artisan_id, "version": 2, "cause": "refund", "requisition_id": "3a5f8508-aaaa",
            "balance_due": 0, "open_dues": [], "amount": 250_00,
            "requisitions": {"3a5f8508-aaaa": 150_00, "b9d62d04-bbbb": 100_00}}, source="requests"))
    assert sorted(sms_texts(runtime.db)) == [
        "Rs 250.00 refunded to you: Rs 150.00 of request 3a5f8508, Rs 100.00 of request b9d62d04. Nothing is owed now.",
        "₹250.00 आपको लौटाए गए: अनुरोध 3a5f8508 के ₹150.00, अनुरोध b9d62d04 के ₹100.00। अभी कुछ बकाया नहीं है।"]
    [note] = notifications.render(runtime.db, list(runtime.db.notifications.find({"artisan_id": "ART-EN"})), "en")
    assert note["text"] == "₹250.00 was refunded to you: ₹150.00 of request 3a5f8508, ₹100.00 of request b9d62d04. " \
                           "Nothing is owed now."
    handle(new_event("AccountUpdated", "ART-EN", {
        "artisan_id": "ART-EN", "version": 3, "cause": "refund", "requisition_id": "REQ-7", "balance_due": 0,
        "open_dues": [], "amount": 50_00, "requisitions": {"REQ-7": 50_00}}, source="requests"))
    assert "REQ 7: Rs 50.00 refunded to you. Nothing is owed now." in sms_texts(runtime.db)
