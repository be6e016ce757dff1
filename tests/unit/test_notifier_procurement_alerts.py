"""The notifier's alerts for late orders, expiring lots and count differences, in Hindi and English."""
from __future__ import annotations

import uuid

import pytest

from services.notifier import handlers, messages
from shared.envelope import new_event
from shared.events import PAYLOADS
from shared.mongo import connect

MATERIAL = {"sku": "DYE-INDIGO", "name": "Natural indigo dye", "name_hi": "प्राकृतिक नील रंग", "category": "dye",
            "unit": "kg", "reorder_level": 2_000}


@pytest.fixture
def db(config):
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    handlers.apply(db, config, new_event("MaterialRegistered", "DYE-INDIGO", MATERIAL, source="inventory"))
    handlers.apply(db, config, new_event("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi depot",
                                                                    "district": "Varanasi"}, source="inventory"))
    return db


def apply(db, config, type_, payload):
    event = new_event(type_, PAYLOADS[(type_, 1)].KEY.format_map(payload), payload, source="inventory")
    handlers.apply(db, config, event)
    handlers.apply(db, config, event)  # a duplicate changes nothing
    return event


def described(db, kind):
    docs = [doc for doc in db.alerts.find({"kind": kind}, {"events": 0, "fanout": 0})]
    return messages.describe_alerts(db, docs, dump=True)


def expiring(stage, days):
    return {"sku": "DYE-INDIGO", "depot": "VNS", "lot": "D-25", "shade": "indigo-2", "expires_on": "2030-01-26",
            "stage": stage, "days_left": days, "on_hand": 5_000}


def test_each_expiry_stage_of_a_lot_is_one_alert_in_both_languages(db, config):
    apply(db, config, "LotExpiring", expiring(30, 25))
    [alert] = described(db, "lot_expiring")
    assert alert["title"]["en"] == "Lot D-25 of Natural indigo dye at Varanasi depot expires in 25 days"
    assert "प्राकृतिक नील रंग का लॉट D-25 25 दिन में" in alert["title"]["hi"]
    assert "5 kg (shade indigo-2) expires on 26 Jan 2030" in alert["text"]["en"]
    assert "(शेड: indigo-2)" in alert["text"]["hi"]  # the shade as typed, after its label: not "शेड indigo-2"
    assert alert["details"]["on_hand"] == "5" and alert["severity"] == "warning"
    apply(db, config, "LotExpiring", expiring(0, 0))
    [expired] = described(db, "lot_expired")
    assert expired["title"]["en"] == "Lot D-25 of Natural indigo dye at Varanasi depot has expired"
    assert expired["severity"] == "critical" and "हटाएँ" in expired["text"]["hi"]
    assert db.alerts.count_documents({}) == 2


def test_a_late_order_alerts_once_and_resolves_when_it_is_finished(db, config):
    order = {"purchase_order": "PO-00007", "supplier": "MILL", "supplier_name": "Sri Ram Mills", "depot": "VNS",
             "expected_on": "2030-01-10", "days_late": 3, "lines": [{"sku": "DYE-INDIGO", "quantity": 40_000}]}
    apply(db, config, "PurchaseOrderOverdue", order)
    [alert] = described(db, "purchase_order_overdue")
    assert alert["title"]["en"] == "Order PO-00007 from Sri Ram Mills is 3 days late"
    assert alert["text"]["en"] == "Expected at Varanasi depot on 10 Jan 2030; still to come: 40 kg Natural indigo dye."
    assert "40 किलो प्राकृतिक नील रंग" in alert["text"]["hi"]
    apply(db, config, "PurchaseOrderFinished", {**order, "status": "closed"})
    assert [a["status"] for a in described(db, "purchase_order_overdue")] == ["resolved"]


def test_a_count_beyond_tolerance_alerts_and_its_approval_resolves_it(db, config):
    lines = [{"sku": "DYE-INDIGO", "lot": "D-25", "book": 5_000, "counted": 4_000, "variance": -1_000},
             {"sku": "DYE-INDIGO", "lot": "", "book": 2_000, "counted": 1_000, "variance": -1_000}]  # in no lot
    apply(db, config, "StockCountVariance", {"count_id": "CNT-00003", "depot": "VNS", "by": "wh",
                                             "tolerance_percent": 2, "lines": lines})
    [alert] = described(db, "count_variance")
    assert alert["title"]["en"] == "Stock count CNT-00003 at Varanasi depot: differences beyond 2%"
    assert alert["text"]["en"].startswith("Natural indigo dye lot D-25: books 5 kg, counted 4 kg; "
                                          "Natural indigo dye: books 2 kg, counted 1 kg.")  # not "lot -"
    assert "प्राकृतिक नील रंग: खाते में 2 किलो, गिना गया 1 किलो" in alert["text"]["hi"]
    assert alert["details"]["lines"][0]["variance"] == "-1"
    apply(db, config, "StockCountApproved", {"count_id": "CNT-00003", "depot": "VNS", "by": "adm",
                                             "adjustments": []})
    assert [a["status"] for a in described(db, "count_variance")] == ["resolved"]


def test_a_lots_later_expiry_stage_resolves_the_earlier_ones(db, config):
    """The board kept "expires in 88 days" and "in 58 days" open beside "has expired", for one lot."""
    for stage, days in ((90, 88), (60, 58), (30, 29)):
        apply(db, config, "LotExpiring", expiring(stage, days))
    live = {a["details"]["stage"]: a["status"] for a in described(db, "lot_expiring")}
    assert live == {90: "resolved", 60: "resolved", 30: "open"}
    apply(db, config, "LotExpiring", expiring(0, 0))
    assert [a["status"] for a in described(db, "lot_expiring")] == ["resolved"] * 3
    [expired] = described(db, "lot_expired")
    assert expired["status"] == "open"


def test_a_lot_that_left_the_depot_has_its_expiry_alerts_resolved(db, config):
    """The board kept "expires in 14 days - 5 kg" (or "has expired") open after the lot was handed over, sent to
    another depot or written off to the last unit, asking staff to act on stock no longer there."""
    apply(db, config, "LotExpiring", expiring(60, 50))
    apply(db, config, "LotExpiring", expiring(30, 20))
    other = {**expiring(30, 20), "lot": "D-26"}
    apply(db, config, "LotExpiring", other)
    apply(db, config, "LotEmptied", {"sku": "DYE-INDIGO", "depot": "VNS", "lot": "D-25", "stage": 30})
    live = {(a["details"]["lot"], a["details"]["stage"]): a["status"] for a in described(db, "lot_expiring")}
    assert live == {("D-25", 60): "resolved", ("D-25", 30): "resolved", ("D-26", 30): "open"}
    apply(db, config, "LotExpiring", {**other, "stage": 0, "days_left": 0})
    apply(db, config, "LotEmptied", {"sku": "DYE-INDIGO", "depot": "VNS", "lot": "D-26", "stage": 0})
    assert [a["status"] for a in described(db, "lot_expired")] == ["resolved"]


def test_a_late_orders_alert_counts_its_days_late_to_today(db, config):
    """Inventory says an order is late once, a day after it was expected: the alert said "1 days late" for weeks."""
    from datetime import date, timedelta
    from shared.calendar import today
    expected = (date.fromisoformat(today()) - timedelta(days=20)).isoformat()
    apply(db, config, "PurchaseOrderOverdue", {
        "purchase_order": "PO-00008", "supplier": "MILL", "supplier_name": "Sri Ram Mills", "depot": "VNS",
        "expected_on": expected, "days_late": 1, "lines": [{"sku": "DYE-INDIGO", "quantity": 40_000}]})
    [alert] = described(db, "purchase_order_overdue")
    assert alert["title"]["en"] == "Order PO-00008 from Sri Ram Mills is 20 days late"
    assert alert["title"]["hi"].startswith("Sri Ram Mills से ऑर्डर PO-00008 20 दिन")


def test_a_late_orders_alert_names_its_supplier_in_hindi_when_the_order_gave_its_hindi_name(db, config):
    apply(db, config, "PurchaseOrderOverdue", {
        "purchase_order": "PO-00009", "supplier": "SRM", "supplier_name": "Sri Ram Spinning Mills",
        "supplier_name_hi": "श्री राम स्पिनिंग मिल्स", "depot": "VNS", "expected_on": "2030-01-10", "days_late": 3,
        "lines": [{"sku": "DYE-INDIGO", "quantity": 40_000}]})
    [alert] = described(db, "purchase_order_overdue")
    assert alert["title"]["hi"].startswith("श्री राम स्पिनिंग मिल्स से ऑर्डर PO-00009")
    assert alert["title"]["en"].startswith("Order PO-00009 from Sri Ram Spinning Mills is")
