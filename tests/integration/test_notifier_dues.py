"""The notifier and money: the amount due at approval, reminders before and after a due day (SMS in the
artisan's language), and an alert for admins while an account is overdue above the threshold."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.notifier import alerts, consumer, deliveries, dues, messages, spec
from shared.calendar import add_days, day_of
from shared.envelope import new_event
from shared.runtime import Runtime

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
TODAY = day_of(NOW)


@pytest.fixture
def notifier(config):
    runtime = Runtime(spec(), config.with_(notifier_reminder_days_before=3, notifier_overdue_alert_paise=5_000_00))
    handle = consumer.make_handler(runtime.db, runtime.config)
    for type_, key, payload in (
            ("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi depot", "district": "Varanasi"}),
            ("MaterialRegistered", "YRN-COT-40", {"sku": "YRN-COT-40", "name": "Cotton yarn 40s",
                                                  "name_hi": "सूती धागा", "category": "yarn", "unit": "kg",
                                                  "reorder_level": 0}),
            ("ArtisanRegistered", "ART-1", {"artisan_id": "ART-1", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार",
                                            "district": "Varanasi", "language": "hi", "phone": "+919800000001"})):
        handle(new_event(type_, key, payload, source="test"))
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


def test_a_refund_is_kept_as_the_accounts_newest_figure_and_sends_nothing(notifier):
    """Requests announces a refund as AccountUpdated, cause refund (payments, too, are not sent as SMS): the notifier
    keeps the account as of it, and no reminder or text goes out for it."""
    runtime, handle = notifier
    handle(account(1, [], balance=-1_102_00))
    handle(new_event("AccountUpdated", "ART-1", {
        "artisan_id": "ART-1", "version": 2, "cause": "refund", "requisition_id": "REQ-1", "balance_due": 0,
        "open_dues": []}, source="requests"))
    kept = runtime.db.accounts.find_one({"_id": "ART-1"})
    assert (kept["version"], kept["balance_due"], kept["owing"]) == (2, 0, False)
    assert dues.check(runtime.db, runtime.config, NOW) == 0 and sms_texts(runtime.db) == []
