"""Notifier use cases on the in-process store, driven with real events: alerts, dedupe, replays."""
from __future__ import annotations

import dataclasses
import random
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.notifier import alerts, domain, handlers
from services.notifier.dispatcher import Dispatcher
from shared.envelope import new_event
from shared.mongo import connect

REORDER = 50_000


@pytest.fixture
def db():
    return connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]


def inventory(type_, payload, key="VNS/YRN-COT"):
    return new_event(type_, key, payload, source="inventory")


def level_of(available):
    return "depleted" if available <= 0 else "low" if available < REORDER else "ok"


LEVEL_EVENT = {"low": "StockLow", "depleted": "StockDepleted", "ok": "StockReplenished"}


def burst(n=100, seed=7, depot="VNS", sku="YRN-COT"):
    """n movements around the reorder level, with a level event after each crossing (as inventory emits)."""
    rnd, available, level, out = random.Random(seed), 60_000, "ok", []
    for _ in range(n):
        delta = max(rnd.choice([-16_000, -9_000, 8_000, 15_000]), -available)
        available += delta or 1_000
        out.append(inventory("StockAdjusted", {
            "movement_id": uuid.uuid4().hex, "sku": sku, "depot": depot, "quantity": delta or 1_000,
            "on_hand": available, "available": available, "reason": "count", "by": "test"}, f"{depot}/{sku}"))
        if level_of(available) != level:
            level = level_of(available)
            out.append(inventory(LEVEL_EVENT[level], {"sku": sku, "depot": depot, "available": available,
                                                       "reorder_level": REORDER}, f"{depot}/{sku}"))
    return out, level


def apply_all(db, config, events):
    for event in events:
        handlers.apply(db, config, event)


def snapshot(db):
    return sorted(db.alerts.find({}, {"fanout": 0}), key=lambda d: d["_id"])


def test_burst_yields_one_alert_per_crossing_and_replays_change_nothing(db, config):
    events, final = burst()
    openings = [e for e in events if e.type in ("StockLow", "StockDepleted")]
    assert len(openings) >= 10  # the burst really crosses back and forth
    apply_all(db, config, [e for event in events for e in (event, event)])  # every message twice
    docs = snapshot(db)
    assert len(docs) == len(openings)
    assert sorted(d["kind"] for d in docs) == sorted(
        domain.LEVEL_EFFECTS[e.type][0] for e in openings)
    live = [d for d in docs if d["status"] != "resolved"]
    assert len(live) == (0 if final == "ok" else 1)
    assert all(d["count"] == 1 for d in docs)
    apply_all(db, config, events)  # a full replay, as after a relay crash
    assert snapshot(db) == docs


def test_repeat_updates_the_open_alert_and_replenish_resolves_it(db, config):
    low = inventory("StockLow", {"sku": "YRN-COT", "depot": "VNS", "available": 40_000, "reorder_level": REORDER})
    again = inventory("StockLow", {"sku": "YRN-COT", "depot": "VNS", "available": 30_000, "reorder_level": REORDER})
    apply_all(db, config, [low, again, again])
    [doc] = alerts.find(db)
    assert (doc["status"], doc["count"], doc["details"]["available"]) == ("open", 2, 30_000)
    back = inventory("StockReplenished", {"sku": "YRN-COT", "depot": "VNS", "available": 60_000,
                                          "reorder_level": REORDER})
    apply_all(db, config, [back, low])  # the replayed opening event must not reopen anything
    [doc] = alerts.find(db)
    assert doc["status"] == "resolved" and doc["resolved"]["by"] == "system"


def test_a_replayed_replenish_does_not_resolve_a_newer_alert(db, config):
    payload = {"sku": "YRN-COT", "depot": "VNS", "available": 0, "reorder_level": REORDER}
    back = inventory("StockReplenished", {**payload, "available": 60_000})
    out = inventory("StockDepleted", payload)
    apply_all(db, config, [back, out, back])
    [doc] = alerts.find(db)
    assert (doc["kind"], doc["status"]) == ("stock_out", "open")


def test_acknowledge_then_escalation_skips_it_but_takes_the_overdue_one(db, config):
    old = datetime.now(timezone.utc) - timedelta(hours=2)
    first = alerts.raise_alert(db, domain.LOW_STOCK, depot="VNS", sku="A", cause="e1", at=old, details={})
    second = alerts.raise_alert(db, domain.STOCK_OUT, depot="VNS", sku="B", cause="e2", at=old, details={})
    assert alerts.acknowledge(db, first, by="ravi", note="ordered 2 t", at=old)["status"] == "acknowledged"
    assert alerts.acknowledge(db, first, by="ravi", note="again", at=old) is None
    now = datetime.now(timezone.utc)
    assert alerts.escalate_overdue(db, now=now, after_seconds=1800) == [second]
    assert alerts.escalate_overdue(db, now=now, after_seconds=1800) == []
    assert alerts.get(db, second)["escalated"] is True


def test_lifecycle_open_acknowledged_resolved_each_step_once(db):
    at = datetime.now(timezone.utc)
    alert = alerts.raise_alert(db, domain.LOW_STOCK, depot="VNS", sku="A", cause="e1", at=at, details={})
    assert alerts.resolve(db, alert, by="ravi", note="", at=at)["status"] == "resolved"
    assert alerts.resolve(db, alert, by="ravi", note="again", at=at) is None
    again = alerts.raise_alert(db, domain.LOW_STOCK, depot="VNS", sku="A", cause="e2", at=at, details={})
    assert alerts.acknowledge(db, again, by="ravi", note="", at=at)["status"] == "acknowledged"
    assert alerts.acknowledge(db, again, by="ravi", note="again", at=at) is None
    assert alerts.resolve(db, again, by="ravi", note="", at=at)["status"] == "resolved"


def waitlisted(rid, position, depot="VNS", sku="YRN-COT"):
    return new_event("StockWaitlisted", rid, {"requisition_id": rid, "depot": depot, "position": position,
                                              "lines": [{"sku": sku, "quantity": 5_000}]}, source="inventory")


def test_waitlist_growing_opens_past_the_limit_and_resolves_as_it_drains(db, config):
    config = config.with_(notifier_waitlist_max=2)
    apply_all(db, config, [waitlisted(f"R{i}", i) for i in range(1, 4)])
    [doc] = alerts.find(db, kind=domain.WAITLIST)
    assert doc["status"] == "open" and doc["details"]["waiting"] == 3
    reserved = new_event("StockReserved", "R1", {"requisition_id": "R1", "depot": "VNS",
                                                 "lines": [{"sku": "YRN-COT", "quantity": 5_000}]},
                         source="inventory")
    apply_all(db, config, [reserved])
    assert alerts.find(db, kind=domain.WAITLIST)[0]["status"] == "resolved"


def test_waitlist_too_old_is_found_by_the_periodic_check(db, config):
    config = config.with_(notifier_waitlist_max_age_seconds=60)
    apply_all(db, config, [waitlisted("R9", 1)])
    assert alerts.find(db, kind=domain.WAITLIST) == []
    Dispatcher(db, config).periodic(datetime.now(timezone.utc) + timedelta(minutes=5))
    Dispatcher(db, config).periodic(datetime.now(timezone.utc) + timedelta(minutes=6))
    [doc] = alerts.find(db, kind=domain.WAITLIST)
    assert doc["status"] == "open" and doc["count"] == 1


def test_reservation_failure_alerts_per_material_and_clears_on_reserve(db, config):
    lines = [{"sku": "YRN-COT", "quantity": 5_000}, {"sku": "DYE-IND", "quantity": 1_000}]
    failed = new_event("StockReservationFailed", "R5", {"requisition_id": "R5", "depot": "VNS", "lines": lines,
                                                        "reason": "unknown material"}, source="inventory")
    apply_all(db, config, [failed, failed])
    assert sorted(d["sku"] for d in alerts.find(db, status="open")) == ["DYE-IND", "YRN-COT"]
    reserved = new_event("StockReserved", "R5", {"requisition_id": "R5", "depot": "VNS", "lines": lines},
                         source="inventory")
    apply_all(db, config, [reserved])
    assert alerts.find(db, status="open") == []


def test_a_replayed_or_late_waitlisting_leaves_no_ghost_on_the_list(db, config):
    config = config.with_(notifier_waitlist_max=0)
    lines = [{"sku": "YRN-COT", "quantity": 5_000}]
    first = waitlisted("R1", 1)
    reserved = new_event("StockReserved", "R1", {"requisition_id": "R1", "depot": "VNS", "lines": lines},
                         source="inventory")
    cancelled = new_event("RequisitionCancelled", "R2", {"requisition_id": "R2", "artisan_id": "A", "depot": "VNS",
                                                         "lines": lines, "by": "A"}, source="requests")
    apply_all(db, config, [first, reserved, first])  # replay after it left
    apply_all(db, config, [cancelled, waitlisted("R2", 1)])  # the end arrived first, from the other topic
    assert db.waitlist.count_documents({"left_at": None}) == 0
    assert [d["status"] for d in alerts.find(db, kind=domain.WAITLIST)] == ["resolved"]


def test_the_daily_digest_counts_indias_day_as_the_board_does(db):
    """The digest of 22 Nov counted alerts from 05:30 on the 22nd to 05:30 on the 23rd (UTC's day), where the
    board's "first seen" filter and the reports count India's day, midnight to midnight."""
    from services.notifier import subscribers
    from services.notifier.dispatcher import queue_digests
    subscribers.add_contact(db, {"name": "Ravi", "email": "ravi@up.gov.in"}, by="admin")
    for sku, at in (("SEEN-ON-22", "2026-11-21T20:00:00+00:00"), ("SEEN-ON-23", "2026-11-22T20:00:00+00:00")):
        alerts.raise_alert(db, domain.LOW_STOCK, depot="VNS", sku=sku, cause=sku, at=datetime.fromisoformat(at),
                           details={})
    for hour in (2, 20):  # at 02:00 UTC (07:30 in India) or at 20:00 UTC (01:30 the next day in India)
        db.digests.delete_many({})
        db.deliveries.delete_many({})
        now = datetime(2026, 11, 23, hour, 30, tzinfo=timezone.utc) - timedelta(days=hour // 20)
        assert queue_digests(db, now, hour) == 1
        [digest] = db.deliveries.find()
        assert digest["payload"]["subject"].startswith("rawbank daily digest 2026-11-22: 1 opened"), hour
        assert "SEEN-ON-22" in digest["payload"]["text"] and "SEEN-ON-23" not in digest["payload"]["text"], hour


def test_a_request_waiting_too_long_says_since_when_not_how_many_requests_are(db, config):
    """An alert for one request waiting past the limit said only "1 requests are waiting"."""
    from dataclasses import replace
    from services.notifier import messages
    config = config.with_(notifier_waitlist_max_age_seconds=60)
    apply_all(db, config, [replace(waitlisted("R9", 1), occurred_at="2026-11-21T20:00:00Z")])  # 01:30 on the 22nd
    Dispatcher(db, config).periodic(datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc))
    [alert] = messages.describe_alerts(db, alerts.find(db, kind=domain.WAITLIST))
    assert alert["text"]["en"] == "1 request(s) waiting, the oldest since 22 Nov 2026."
    assert alert["text"]["hi"].startswith("1 अनुरोध प्रतीक्षा में, सबसे पुराना 22 ")


def test_shares_unconfirmed_follows_the_answers_and_resolves_when_all_are_in(db, config):
    """The alert kept "2 members have not confirmed" all month after they answered, and never resolved."""
    received = "2026-11-02T10:00:00+00:00"
    share = {"requisition_id": "REQ-1", "cooperative": "SMBSS", "depot": "VNS", "received_at": received}
    line = {"sku": "YRN-COT", "quantity": 10_000}
    asked = [new_event("ShareCodeIssued", "REQ-1", {**share, "artisan_id": a, "lines": [line], "nonce": 1,
                                                    "expires_at": "2026-11-09T10:00:00+00:00"}, source="requests")
             for a in ("ART-1", "ART-2")]
    apply_all(db, config, asked)
    now = datetime(2026, 11, 12, 10, 0, tzinfo=timezone.utc)

    def answer(artisan_id, minutes):
        apply_all(db, config, [new_event("ShareConfirmed", "REQ-1", {
            **share, "artisan_id": artisan_id, "lines": [{**line, "received": 10_000}], "short": False,
            "via": "sms"}, source="requests")])
        Dispatcher(db, config).periodic(now + timedelta(minutes=minutes))
        return alerts.find(db, kind=domain.SHARES_UNCONFIRMED)[0]
    Dispatcher(db, config).periodic(now)
    assert alerts.find(db, kind=domain.SHARES_UNCONFIRMED)[0]["details"]["waiting"] == 2
    assert (answer("ART-1", 1)["details"]["waiting"], answer("ART-1", 2)["status"]) == (1, "open")
    done = answer("ART-2", 3)
    assert (done["status"], done["resolved"]["by"]) == ("resolved", "system")


def test_shares_unconfirmed_say_since_which_day_in_india(db, config):
    """A requisition received at 01:30 on 3 November in India (20:00 UTC on the 2nd) waits since 3 November."""
    share = {"requisition_id": "REQ-1", "cooperative": "SMBSS", "depot": "VNS", "received_at": "2026-11-02T20:00:00Z"}
    apply_all(db, config, [new_event("ShareCodeIssued", "REQ-1", {
        **share, "artisan_id": "ART-1", "lines": [{"sku": "YRN-COT", "quantity": 10_000}], "nonce": 1,
        "expires_at": "2026-11-16T18:30:00+00:00"}, source="requests")])
    Dispatcher(db, config).periodic(datetime(2026, 11, 12, 10, 0, tzinfo=timezone.utc))
    assert alerts.find(db, kind=domain.SHARES_UNCONFIRMED)[0]["details"]["since"] == "2026-11-03"


def test_the_distribution_report_counts_a_district_typed_in_another_case_or_spacing_as_one(db):
    """Artisans registered in "Varanasi" and " varanasi " were two rows of the department's report."""
    from services.notifier import reports
    line = {"sku": "YRN-COT", "quantity": 10_000, "value": 200_000, "subsidy": 30_000}
    db.depots.insert_one({"_id": "VNS", "district": "Varanasi"})  # named as the depot names it
    db.report_dispatches.insert_many([
        {"_id": f"R{n}:A{n}", "month": "2026-11", "requisition_id": f"R{n}", "artisan_id": f"A{n}", "district": d,
         "depot": "VNS", "cooperative": None, "lines": [line]}
        for n, d in enumerate(["Varanasi", " varanasi ", "VARANASI", "Bhadohi"])])
    rows = reports.distribution(db, "2026-11", "district")["rows"]
    assert [(r["group"], r["artisans"], r["quantities"]) for r in rows] == \
        [("Varanasi", 3, {"YRN-COT": 30_000}), ("Bhadohi", 1, {"YRN-COT": 10_000})]


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_an_admins_alert_sms_with_long_names_fits_two_parts(db, lang):
    """An alert's SMS was cut at 160 characters whatever its encoding: in Hindi (UCS-2) that is three parts."""
    from services.notifier import messages, subscribers
    from shared import sms
    name = "Zari thread, gold-coloured, 0.5 mm twisted, for Banarasi brocade borders and pallus (Surat make) " * 2
    db.materials.insert_one({"_id": "ZRI", "name": name, "name_hi": "ज़री धागा, सुनहरा, बटा हुआ " * 8, "unit": "kg"})
    db.depots.insert_one({"_id": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो", "district": "Varanasi"})
    contact = subscribers.add_contact(db, {"name": "Arun", "phone": "+919811111111", "language": lang,
                                           "districts": ["Varanasi"]}, by="admin")
    alert = {"kind": "stock_out", "depot": "VNS", "sku": "ZRI", "details": {}, "status": "open"}
    delivery = {"_id": "d1", "channel": "sms", "target": contact["_id"], "topic": domain.ALERT_ESCALATED,
                "source": {"collection": "alerts", "id": "a1"}, "payload": alert}
    text = messages.compose(db, delivery, datetime.now(timezone.utc)).text
    assert sms.parts(text) <= 2
    assert text.startswith({"en": "ESCALATED: Out of stock: Zari", "hi": "आगे भेजी गई: "}[lang])
    assert text.endswith("…" if lang == "hi" else "...")


class Hooks:
    """A webhook channel whose receivers answer as planned: `down` holds the hosts that fail."""

    def __init__(self):
        self.down: set[str] = set()
        self.sent: list[str] = []

    def send(self, message):
        from services.notifier.channels import DeliveryFailed
        host = message.to.split("/")[2]
        if host in self.down:
            raise DeliveryFailed(f"HTTP 500 from https://{host}/in")
        self.sent.append(host)
        return "HTTP 200"


def webhook_alerts(db):
    return sorted(db.alerts.find({"kind": "webhook_failing"}, {"fanout": 0, "events": 0}),
                  key=lambda d: d["first_seen"])


def test_a_webhook_failing_for_good_opens_one_alert_a_spell_and_a_delivery_to_it_resolves_it(db, config):
    """A webhook whose deliveries failed after every attempt went unnoticed (only GET /api/v1/deliveries said so):
    an admin alert opens, saying which webhook and what to do, in both languages; more failures count on it (one
    alert per failing spell), a delivery to the webhook that succeeds resolves it, and a later failure opens a new
    one. The same failure told again changes nothing. The failing webhook is not told of its own alert."""
    from services.notifier import deliveries, messages
    for hook_id, host in (("wh_down", "down.example.org"), ("wh_up", "up.example.org")):
        db.webhooks.insert_one({"_id": hook_id, "url": f"https://{host}/in?key=s3cret", "secret": "x" * 32,
                                "topics": list(domain.WEBHOOK_TOPICS), "districts": [], "active": True,
                                "created_at": datetime.now(timezone.utc)})
    hooks = Hooks()
    dispatcher = Dispatcher(db, config.with_(notifier_delivery_max_attempts=2, notifier_delivery_backoff_ms=0,
                                             notifier_escalate_after_seconds=10 ** 6), channels={"webhook": hooks})

    def low(sku):
        handlers.apply(db, config, inventory("StockLow", {"sku": sku, "depot": "VNS", "available": 1_000,
                                                          "reorder_level": REORDER}, f"VNS/{sku}"))
        for _ in range(6):
            dispatcher.run_once(datetime.now(timezone.utc))

    hooks.down.add("down.example.org")
    low("YRN-COT")
    [alert] = webhook_alerts(db)
    assert (alert["status"], alert["count"], alert["depot"]) == ("open", 1, None)
    assert alert["details"]["webhook"] == "wh_down" and alert["details"]["url"] == "https://down.example.org/in"
    [described] = messages.describe_alerts(db, [alert])
    assert described["title"]["en"] == "Webhook wh_down is failing: https://down.example.org/in"
    assert "GET /api/v1/webhooks/wh_down/deliveries" in described["text"]["en"]
    assert "HTTP 500 from https://down.example.org/in" in described["text"]["en"]
    for lang in ("hi",):
        words = described["title"][lang] + described["text"][lang]
        assert "wh_down" in words and any("\u0900" <= ch <= "\u097f" for ch in words), words
    told = {d["target"] for d in db.deliveries.find({"source.id": alert["_id"]})}
    assert told == {"wh_up"}, told  # the other webhooks hear of it; the failing one is not told of itself
    assert "s3cret" not in str(described)

    low("YRN-SILK")  # failing still: the same alert counts it
    [alert] = webhook_alerts(db)
    assert (alert["status"], alert["count"]) == ("open", 2)
    failed = db.deliveries.find_one({"channel": "webhook", "target": "wh_down", "status": "failed"})
    deliveries.webhook_failed(db, failed, datetime.now(timezone.utc), "told again")  # a repeat: applied once
    assert webhook_alerts(db) == [alert]

    hooks.down.clear()
    low("YRN-WOOL")  # it answers again: the spell is over
    [alert] = webhook_alerts(db)
    assert alert["status"] == "resolved" and alert["resolved"]["by"] == "system"
    assert "down.example.org" in hooks.sent

    hooks.down.add("down.example.org")
    low("YRN-JUTE")  # a new spell: a new alert
    old, new = webhook_alerts(db)
    assert (old["status"], new["status"], new["count"]) == ("resolved", "open", 1)
    deliveries.webhook_removed(db, "wh_down", datetime.now(timezone.utc))  # stopped: nothing more is sent to it
    assert [a["status"] for a in webhook_alerts(db)] == ["resolved", "resolved"]


def silk_contact(db, lang, name="Silk yarn", name_hi="रेशमी धागा"):
    """A contact reached in `lang`, the silk yarn (named as given) and the Varanasi depot."""
    from services.notifier import subscribers
    db.materials.insert_one({"_id": "YRN-SLK", "name": name, "name_hi": name_hi, "unit": "kg"})
    db.depots.insert_one({"_id": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो", "district": "Varanasi"})
    return subscribers.add_contact(db, {"name": "Arun", "phone": "+919811111111", "email": "arun@up.gov.in",
                                        "language": lang, "districts": ["Varanasi"]}, by="admin")


def alert_message(db, contact, channel, details, kind="low_stock"):
    from services.notifier import messages
    alert = {"_id": "a1", "kind": kind, "depot": "VNS", "sku": "YRN-SLK", "details": details, "status": "open"}
    delivery = {"_id": "d1", "channel": channel, "target": contact["_id"], "topic": domain.ALERT_ESCALATED,
                "source": {"collection": "alerts", "id": "a1"}, "payload": alert}
    return messages.compose(db, delivery, datetime.now(timezone.utc))


@pytest.mark.parametrize("lang, sms_text, level, on_order", [
    ("en", "ESCALATED: Low stock: Silk yarn at Varanasi depot; 20 kg on order",
     "4 kg left, below the reorder level of 10 kg.",
     " 20 kg is already on order (sent to the supplier, not yet received)."),
    ("hi", "आगे भेजी गई: कम स्टॉक: वाराणसी डिपो में रेशमी धागा; 20 किलो ऑर्डर पर",
     "4 किलो बचा है, जो दोबारा मँगाने के स्तर 10 किलो से कम है।",
     " 20 किलो पहले से ऑर्डर पर है (आपूर्तिकर्ता को भेजा गया, अभी आया नहीं)।")])
def test_a_low_stock_alerts_sms_and_e_mail_say_what_is_on_order(db, lang, sms_text, level, on_order):
    """The alert's SMS ends with what is on order (one part still: 70 characters in Hindi), its e-mail says it after
    the level; an alert of an event that did not say (before 2026-12) reads as before."""
    from shared import sms
    contact = silk_contact(db, lang)
    details = {"available": 4_000, "reorder_level": 10_000, "on_order": 20_000}
    text = alert_message(db, contact, "sms", details).text
    assert text == sms_text and sms.parts(text) == 1
    assert f"\n\n{level}{on_order}\n\n" in alert_message(db, contact, "email", details).text
    old = {"available": 4_000, "reorder_level": 10_000}
    assert alert_message(db, contact, "sms", old).text == sms_text.rpartition(";")[0]
    assert f"\n\n{level}\n\n" in alert_message(db, contact, "email", old).text
    gone = {"available": 0, "reorder_level": 10_000, "on_order": 20_000}
    out = alert_message(db, contact, "sms", gone, "stock_out")
    # "स्टॉक खत्म" is longer than "कम स्टॉक": in Hindi what is on order fills the part to its 70th character
    assert out.text.endswith("; 20 kg on order" if lang == "en" else "; 20 किलो ऑर्डर पर") and sms.parts(out.text) == 1
    db.materials.update_one({"_id": "YRN-SLK"}, {"$set": {"name_hi": "रेशम का धागा"}})  # 2 more: 72, two parts
    longer = alert_message(db, contact, "sms", gone, "stock_out")
    assert longer.text.endswith("; 20 kg on order" if lang == "en" else "वाराणसी डिपो में रेशम का धागा")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_what_is_on_order_is_left_off_an_sms_it_would_make_longer_or_cut(db, lang):
    """Where the title alone fills its part, what is on order is not said on the SMS (the e-mail and board say it)."""
    from shared import sms
    contact = silk_contact(db, lang, name="Silk yarn, mulberry, 20/22 denier, 3-ply twisted, for Banarasi saris " * 2,
                           name_hi="रेशमी धागा, शहतूती, बटा हुआ " * 2)
    with_it = alert_message(db, contact, "sms", {"available": 4_000, "reorder_level": 10_000, "on_order": 20_000})
    without = alert_message(db, contact, "sms", {"available": 4_000, "reorder_level": 10_000})
    assert with_it.text == without.text and sms.parts(with_it.text) >= 1


def test_what_is_on_order_follows_receipts_and_replays_or_duplicates_change_nothing(db, config):
    """A receipt on the order says what is still to come on the live alert; a duplicate, a full replay, or an older
    receipt read after a newer raising leave the alert as it was."""
    low = inventory("StockLow", {"sku": "YRN-COT", "depot": "VNS", "available": 40_000, "reorder_level": REORDER,
                                 "on_order": 20_000})
    came = inventory("StockReceived", {"movement_id": "M1", "sku": "YRN-COT", "depot": "VNS", "quantity": 5_000,
                                       "on_hand": 45_000, "available": 45_000, "by": "w", "purchase_order": "PO-1",
                                       "on_order": 15_000})
    old = inventory("StockReceived", {"movement_id": "M0", "sku": "YRN-COT", "depot": "VNS", "quantity": 1_000,
                                      "on_hand": 1_000, "available": 1_000, "by": "w", "on_order": 0})
    old = dataclasses.replace(old, occurred_at="2020-01-01T00:00:00Z")  # read late: before the alert was raised
    apply_all(db, config, [low, low, came, came])
    [doc] = alerts.find(db)
    assert (doc["details"]["on_order"], doc["count"]) == (15_000, 1)
    docs = snapshot(db)
    apply_all(db, config, [low, came, old])  # a replay, and a receipt from before the alert was raised
    assert snapshot(db) == docs


def on_order_changed(on_order, at, key="VNS/YRN-COT"):
    """What inventory says when an order is sent, closed or cancelled (at `at`, as the write that changed it)."""
    depot, sku = key.split("/")
    event = inventory("OnOrderChanged", {"sku": sku, "depot": depot, "on_order": on_order}, key)
    return dataclasses.replace(event, occurred_at=at.isoformat().replace("+00:00", "Z"))


def test_what_is_on_order_follows_orders_sent_cancelled_and_returns_and_replays_or_duplicates_change_nothing(
        db, config):
    """An order sent, then cancelled, then a lot returned to its mill: the live alert said the figure of its raising
    until the next crossing. Now each says what is on order (0 said as nothing); a duplicate, a full replay, or an
    older figure read after a newer one leave the alert as it was."""
    start = datetime.now(timezone.utc)
    low = inventory("StockLow", {"sku": "YRN-COT", "depot": "VNS", "available": 40_000, "reorder_level": REORDER,
                                 "on_order": 0})
    sent = on_order_changed(20_000, start + timedelta(seconds=1))
    cancelled = on_order_changed(0, start + timedelta(seconds=2))
    other = on_order_changed(30_000, start + timedelta(seconds=3), key="BHD/YRN-COT")  # another depot's order
    returned = dataclasses.replace(inventory("StockReturned", {
        "movement_id": "M9", "sku": "YRN-COT", "depot": "VNS", "quantity": -5_000, "on_hand": 35_000,
        "available": 35_000, "by": "w", "lot": "A", "purchase_order": "PO-2", "order_returned": 5_000,
        "on_order": 5_000}), occurred_at=(start + timedelta(seconds=4)).isoformat().replace("+00:00", "Z"))
    apply_all(db, config, [low, sent, sent])
    [doc] = alerts.find(db)
    assert (doc["details"]["on_order"], doc["count"]) == (20_000, 1)
    version = doc["version"]
    apply_all(db, config, [cancelled, cancelled, other])
    [doc] = alerts.find(db)
    assert (doc["details"]["on_order"], doc["version"]) == (0, version + 1)
    apply_all(db, config, [sent])  # the older figure read after the newer one, equal to the raising's
    assert alerts.find(db)[0]["details"]["on_order"] == 0
    apply_all(db, config, [returned, returned])
    [doc] = alerts.find(db)
    assert (doc["details"]["on_order"], doc["count"], doc["version"]) == (5_000, 1, version + 2)
    docs = snapshot(db)
    apply_all(db, config, [low, sent, cancelled, other, returned, cancelled])  # a replay, and older ones late
    assert snapshot(db) == docs


def test_an_older_figure_read_after_a_newer_one_the_alert_already_said_changes_nothing(db, config):
    """Raised saying nothing on order; an order sent, then cancelled: the cancellation read first said what the
    alert said already, and the sending read after it put back 20 kg that were no longer on order."""
    start = datetime.now(timezone.utc)
    low = inventory("StockLow", {"sku": "YRN-COT", "depot": "VNS", "available": 40_000, "reorder_level": REORDER,
                                 "on_order": 0})
    sent = on_order_changed(20_000, start + timedelta(seconds=1))
    cancelled = on_order_changed(0, start + timedelta(seconds=2))
    apply_all(db, config, [low, cancelled])
    [doc] = docs = snapshot(db)
    assert (doc["details"]["on_order"], doc["version"]) == (0, 1)  # the same figure: nothing for the board
    apply_all(db, config, [sent])
    assert snapshot(db) == docs


def of_write(event, version, at):
    """The event as a write of the stock at `version` stamps it (at `at`, the clock of the process that wrote it)."""
    return dataclasses.replace(event, payload={**event.payload, "stock_version": version},
                               occurred_at=at.isoformat().replace("+00:00", "Z"))


@pytest.mark.parametrize("late", [False, True])
@pytest.mark.parametrize("skew_ms", [0, 3])
def test_one_stocks_figures_are_ordered_by_its_version_where_clocks_disagree_or_times_are_equal(
        db, config, late, skew_ms):
    """Several processes write one stock (each gunicorn worker, the worker container): an order sent, then
    cancelled a few milliseconds later, carried the same time (milliseconds), or the cancellation an earlier one (a
    clock behind); read in either order the alert kept the sending's 20 kg, no longer on order. The stock's version
    after each write orders them; replays and duplicates change nothing."""
    start = datetime.now(timezone.utc)
    low = of_write(inventory("StockLow", {"sku": "YRN-COT", "depot": "VNS", "available": 40_000,
                                          "reorder_level": REORDER, "on_order": 0}), 5, start)
    sent = of_write(on_order_changed(20_000, start), 6, start + timedelta(milliseconds=skew_ms))
    cancelled = of_write(on_order_changed(0, start), 7, start)
    apply_all(db, config, [low, cancelled, sent] if late else [low, sent, cancelled])
    [doc] = docs = snapshot(db)
    assert doc["details"]["on_order"] == 0
    apply_all(db, config, [sent, cancelled, low, sent])  # duplicates and a replay
    assert snapshot(db) == docs


def test_a_figure_newer_by_version_counts_though_its_clock_is_behind_the_raisings(db, config):
    """A receipt written a moment after the low-stock crossing, by a process whose clock is behind, was older than
    the alert's raising by time and changed nothing; by the stock's version it is newer. An event of an older
    rawbank (no version) is still ordered by its time."""
    start = datetime.now(timezone.utc)
    low = of_write(inventory("StockLow", {"sku": "YRN-COT", "depot": "VNS", "available": 40_000,
                                          "reorder_level": REORDER, "on_order": 20_000}), 5, start)
    came = of_write(inventory("StockReceived", {"movement_id": "M1", "sku": "YRN-COT", "depot": "VNS",
                                                "quantity": 5_000, "on_hand": 45_000, "available": 45_000, "by": "w",
                                                "purchase_order": "PO-1", "on_order": 15_000}),
                    6, start - timedelta(milliseconds=4))
    apply_all(db, config, [low, came, low, came])
    [doc] = docs = snapshot(db)
    assert (doc["details"]["on_order"], doc["count"]) == (15_000, 1)
    apply_all(db, config, [on_order_changed(0, start - timedelta(hours=1))])  # an older rawbank's, from before
    assert snapshot(db) == docs
    apply_all(db, config, [on_order_changed(0, start + timedelta(seconds=1))])  # an older rawbank's, after
    assert alerts.find(db)[0]["details"]["on_order"] == 0


@pytest.mark.parametrize(("topic", "en", "hi"), [
    (domain.ALERT_OPENED, "NEW ALERT", "नई चेतावनी"), (domain.ALERT_ACKNOWLEDGED, "SOMEONE IS ON IT", "कोई देख रहा है"),
    (domain.ALERT_RESOLVED, "RESOLVED", "चेतावनी हल हुई"), (domain.ALERT_ESCALATED, "ESCALATED", "आगे भेजी गई")])
def test_a_contacts_alert_sms_and_e_mail_start_with_what_happened_in_their_language(db, topic, en, hi):
    """They started with the topic's code ('alert.opened: Low stock: …'), in Hindi too, but for an escalation."""
    from services.notifier import messages, subscribers
    db.materials.insert_one({"_id": "SLK", "name": "Silk yarn", "name_hi": "रेशमी धागा", "unit": "kg"})
    db.depots.insert_one({"_id": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो", "district": "Varanasi"})
    alert = {"_id": "a1", "kind": "stock_out", "depot": "VNS", "sku": "SLK", "details": {}, "status": "open"}
    for lang, word in (("en", en), ("hi", hi)):
        contact = subscribers.add_contact(db, {"name": f"Arun {lang}", "phone": "+919811111111", "email": "a@b.in",
                                               "language": lang, "districts": ["Varanasi"]}, by="admin")
        for channel in ("sms", "email"):
            delivery = {"_id": f"d-{lang}-{channel}", "channel": channel, "target": contact["_id"], "topic": topic,
                        "source": {"collection": "alerts", "id": "a1"}, "payload": alert}
            composed = messages.compose(db, delivery, datetime.now(timezone.utc))
            said = composed.text if channel == "sms" else composed.subject
            assert said.startswith(f"{word}: " if channel == "sms" else f"[rawbank] {word}: "), said
            assert "alert." not in said
