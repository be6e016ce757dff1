"""Notifier HTTP API on the in-process store: who sees which alerts and notifications."""
from __future__ import annotations

import csv
import io
import json
import re
import threading
from datetime import datetime, timedelta, timezone

import pytest

from services.notifier import create_app, handlers, spec, stream
from shared.envelope import new_event
from shared.mongo import connect
from shared.runtime import Runtime
from tests.conftest import WatchedWakeup, is_our_side_page, our_side_faults, store_fails_reading


@pytest.fixture
def app(config):
    return create_app(config, Runtime(spec(), config, client=connect("mongomock://x")))


@pytest.fixture
def apply(app, config):
    db = app.extensions["rawbank"].db

    def run(type_, key, payload, source="inventory"):
        event = new_event(type_, key, payload, source=source)
        handlers.apply(db, config, event)
        return event
    return run


@pytest.fixture
def client(app):
    return app.test_client()


def low(apply, depot="VNS", sku="YRN-COT"):
    apply("StockLow", f"{depot}/{sku}", {"sku": sku, "depot": depot, "available": 4_000, "reorder_level": 10_000})


def test_admin_lists_alerts_with_titles_in_both_languages(client, apply, token):
    apply("MaterialRegistered", "YRN-COT", {"sku": "YRN-COT", "name": "Cotton yarn", "name_hi": "सूती धागा",
                                            "category": "yarn", "unit": "kg", "reorder_level": 10_000})
    apply("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो",
                                     "district": "Varanasi"})
    low(apply)
    response = client.get("/api/v1/alerts?status=open", headers=token("admin"))
    assert response.status_code == 200
    [alert] = response.json
    assert alert["title"]["en"] == "Low stock: Cotton yarn at Varanasi depot"
    assert alert["title"]["hi"] == "कम स्टॉक: वाराणसी डिपो में सूती धागा"  # the depot's Hindi name (issue 18)
    assert alert["text"]["hi"] == "4 किलो बचा है, जो दोबारा मँगाने के स्तर 10 किलो से कम है।"
    assert alert["details"] == {"available": "4", "reorder_level": "10"}
    assert (alert["district"], alert["severity"], alert["count"]) == ("Varanasi", "warning", 1)


def test_a_low_stock_alert_says_what_is_on_order_and_keeps_it_current_as_receipts_come(client, apply, token):
    """A low-stock alert stayed open though 20 kg was on a sent order, saying nothing of it, so an admin might order
    again: it says what its event says is on order, in both languages, and a receipt on the order that leaves it
    low says what is still to come."""
    apply("MaterialRegistered", "YRN-SLK", {"sku": "YRN-SLK", "name": "Silk yarn", "name_hi": "रेशमी धागा",
                                            "category": "yarn", "unit": "kg", "reorder_level": 10_000})
    apply("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो",
                                     "district": "Varanasi"})
    apply("StockLow", "VNS/YRN-SLK", {"sku": "YRN-SLK", "depot": "VNS", "available": 4_000, "reorder_level": 10_000,
                                      "on_order": 20_000})
    [alert] = client.get("/api/v1/alerts?status=open", headers=token("admin")).json
    assert alert["title"]["en"] == "Low stock: Silk yarn at Varanasi depot"
    assert alert["text"]["en"] == "4 kg left, below the reorder level of 10 kg. 20 kg is already on order (sent to " \
                                  "the supplier, not yet received)."
    assert alert["text"]["hi"] == "4 किलो बचा है, जो दोबारा मँगाने के स्तर 10 किलो से कम है। 20 किलो पहले से ऑर्डर " \
                                  "पर है (आपूर्तिकर्ता को भेजा गया, अभी आया नहीं)।"
    assert alert["details"] == {"available": "4", "reorder_level": "10", "on_order": "20"}
    apply("StockReceived", "VNS/YRN-SLK", {"movement_id": "M1", "sku": "YRN-SLK", "depot": "VNS", "quantity": 5_000,
                                           "on_hand": 9_000, "available": 9_000, "by": "w", "purchase_order": "PO-1",
                                           "on_order": 15_000})
    [alert] = client.get("/api/v1/alerts?status=open", headers=token("admin")).json
    assert alert["details"]["on_order"] == "15" and alert["text"]["en"].endswith(" 15 kg is already on order (sent "
                                                                                 "to the supplier, not yet received).")
    apply("StockReceived", "VNS/YRN-SLK", {"movement_id": "M2", "sku": "YRN-SLK", "depot": "VNS", "quantity": 500,
                                           "on_hand": 9_500, "available": 9_500, "by": "w", "purchase_order": "PO-2",
                                           "on_order": 0})  # the last of what was ordered (a smaller order's)
    [alert] = client.get("/api/v1/alerts?status=open", headers=token("admin")).json
    assert alert["text"]["en"] == "4 kg left, below the reorder level of 10 kg."  # nothing on order: not said
    assert alert["count"] == 1  # a receipt is no new sighting of the condition


def test_an_order_sent_then_cancelled_shows_on_the_open_alerts_card_at_once(client, apply, token):
    """An order sent while the alert was open was said only at the next crossing: the card said nothing on order
    though 20 kg were, or 20 kg once cancelled. Now the card says what is on order as it changes, in both languages,
    and nothing once it is 0."""
    apply("MaterialRegistered", "YRN-SLK", {"sku": "YRN-SLK", "name": "Silk yarn", "name_hi": "रेशमी धागा",
                                            "category": "yarn", "unit": "kg", "reorder_level": 10_000})
    apply("StockLow", "VNS/YRN-SLK", {"sku": "YRN-SLK", "depot": "VNS", "available": 4_000, "reorder_level": 10_000,
                                      "on_order": 0})
    level = "4 kg left, below the reorder level of 10 kg."
    [alert] = client.get("/api/v1/alerts?status=open", headers=token("admin")).json
    assert alert["text"]["en"] == level
    apply("OnOrderChanged", "VNS/YRN-SLK", {"sku": "YRN-SLK", "depot": "VNS", "on_order": 20_000})  # sent
    [alert] = client.get("/api/v1/alerts?status=open", headers=token("admin")).json
    assert alert["text"]["en"] == f"{level} 20 kg is already on order (sent to the supplier, not yet received)."
    assert alert["text"]["hi"].endswith(" 20 किलो पहले से ऑर्डर पर है (आपूर्तिकर्ता को भेजा गया, अभी आया नहीं)।")
    assert (alert["details"]["on_order"], alert["count"]) == ("20", 1)
    apply("OnOrderChanged", "VNS/YRN-SLK", {"sku": "YRN-SLK", "depot": "VNS", "on_order": 0})  # cancelled
    [alert] = client.get("/api/v1/alerts?status=open", headers=token("admin")).json
    assert (alert["text"]["en"], alert["details"]["on_order"]) == (level, "0")


def test_warehouse_sees_and_acknowledges_only_its_depot(client, apply, token):
    low(apply, depot="VNS")
    low(apply, depot="BHD")
    bhd = token("warehouse", depot="BHD")
    [mine] = client.get("/api/v1/alerts", headers=bhd).json
    assert mine["depot"] == "BHD"
    other = client.get("/api/v1/alerts", headers=token("admin")).json
    vns_id = next(a["id"] for a in other if a["depot"] == "VNS")
    assert client.post(f"/api/v1/alerts/{vns_id}/acknowledge", json={}, headers=bhd).status_code == 404
    done = client.post(f"/api/v1/alerts/{mine['id']}/acknowledge", json={"note": "truck on its way"}, headers=bhd)
    assert done.status_code == 200
    assert done.json["acknowledged"]["by"] == "warehouse-user" and done.json["status"] == "acknowledged"
    again = client.post(f"/api/v1/alerts/{mine['id']}/acknowledge", json={}, headers={
        **bhd, "Accept-Language": "hi"})
    assert again.status_code == 409 and again.json["error"]["code"] == "alert_not_open"
    assert "“कोई इसे देख रहा है”" in again.json["error"]["message"]  # the status in words, not its code
    assert [a["id"] for a in client.get("/api/v1/alerts?status=acknowledged", headers=bhd).json] == [mine["id"]]
    assert client.get("/api/v1/alerts", headers=token("artisan")).status_code == 403
    assert client.get("/api/v1/alerts?status=closed", headers=bhd).status_code == 400


def artisan(apply, artisan_id, language):
    apply("ArtisanRegistered", artisan_id, {"artisan_id": artisan_id, "name": artisan_id, "district": "Varanasi",
                                            "language": language}, source="requests")


def submitted(apply, rid, artisan_id):
    return apply("RequisitionSubmitted", rid, {"requisition_id": rid, "artisan_id": artisan_id, "depot": "VNS",
                                               "lines": [{"sku": "YRN-COT", "quantity": 20_000}], "by": artisan_id},
                 source="requests")


def test_an_artisan_reads_only_their_own_notifications_in_their_language(client, apply, token):
    artisan(apply, "ART-1", "hi")
    artisan(apply, "ART-2", "en")
    apply("StockReserved", "REQ-7", {"requisition_id": "REQ-7", "depot": "VNS",  # before the requisition is known
                                     "lines": [{"sku": "YRN-COT", "quantity": 20_000}]})
    submitted(apply, "REQ-7", "ART-1")  # read after the answer: old news, not told; the answer is theirs now
    submitted(apply, "REQ-8", "ART-2")
    submitted(apply, "REQ-9", "ART-1")
    mine = client.get("/api/v1/notifications", headers=token("artisan", artisan_id="ART-1")).json
    assert sorted((n["requisition_id"], n["status"]) for n in mine) == [("REQ-7", "reserved"), ("REQ-9", "submitted")]
    assert all(n["language"] == "hi" and not n["read"] for n in mine)
    assert "आरक्षित" in next(n["title"] for n in mine if n["status"] == "reserved")
    theirs = client.get("/api/v1/notifications", headers=token("artisan", artisan_id="ART-2")).json
    assert [(n["requisition_id"], n["language"]) for n in theirs] == [("REQ-8", "en")]
    assert client.post(f"/api/v1/notifications/{theirs[0]['id']}/read",
                       headers=token("artisan", artisan_id="ART-1")).status_code == 404
    read = client.post(f"/api/v1/notifications/{mine[0]['id']}/read", headers=token("artisan", artisan_id="ART-1"))
    assert read.status_code == 200 and read.json["read"] is True
    unread = client.get("/api/v1/notifications?unread=true", headers=token("artisan", artisan_id="ART-1")).json
    assert [n["id"] for n in unread] == [mine[1]["id"]]
    assert client.get("/api/v1/notifications", headers=token("admin")).status_code == 403


def test_webhooks_are_admin_only_and_show_their_secret_once(client, token):
    assert client.post("/api/v1/webhooks", json={"url": "https://hooks.example.in/x"},
                       headers=token("warehouse")).status_code == 403
    created = client.post("/api/v1/webhooks", json={"url": "https://hooks.example.in/x", "districts": ["Varanasi"]},
                          headers=token("admin"))
    assert created.status_code == 201 and len(created.json["secret"]) >= 32
    listed = client.get("/api/v1/webhooks", headers=token("admin")).json
    assert [w["id"] for w in listed] == [created.json["id"]] and "secret" not in listed[0]
    bad = client.post("/api/v1/webhooks", json={"url": "ftp://x", "topics": ["nope"]}, headers=token("admin"))
    assert bad.status_code == 400 and {"url", "topics"} <= set(bad.json["error"]["details"])


def test_an_admin_can_stop_a_webhook_and_remove_a_contact(client, token):
    admin = token("admin")
    hook = client.post("/api/v1/webhooks", json={"url": "https://hooks.example.in/rawbank"}, headers=admin).json
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/webhooks", headers=admin).json[0]["active"] is False
    assert client.delete("/api/v1/webhooks/wh_nope", headers=admin).status_code == 404
    contact = client.post("/api/v1/contacts", json={"name": "Meena", "email": "meena@up.gov.in", "language": "hi",
                                                    "districts": ["Varanasi"]}, headers=admin)
    assert contact.status_code == 201 and contact.json["districts"] == ["Varanasi"]
    assert client.post("/api/v1/contacts", json={"name": "X", "phone": "call me"}, headers=admin).status_code == 400
    assert client.delete(f"/api/v1/contacts/{contact.json['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/contacts", headers=admin).json == []


def test_a_cooperative_secretary_reads_for_the_cooperatives_artisans(client, apply, token):
    for artisan_id, coop in (("ART-1", "Sarai Mohana"), ("ART-2", "Lohta")):
        apply("ArtisanRegistered", artisan_id, {"artisan_id": artisan_id, "name": artisan_id, "district": "Varanasi",
                                                "language": "hi", "cooperative": coop}, source="requests")
    submitted(apply, "REQ-1", "ART-1")
    submitted(apply, "REQ-2", "ART-2")
    seen = client.get("/api/v1/notifications", headers=token("secretary", cooperative="Sarai Mohana")).json
    assert [n["requisition_id"] for n in seen] == ["REQ-1"]
    assert client.get("/api/v1/notifications", headers=token("secretary")).json == []


@pytest.mark.parametrize("last", ["2020-01-01T00:00:00", "yesterday", "2020-01-01T00:00:00+00:00junk|a|1",
                                  "9999-12-31T23:59:59+00:00|a|1", "\u0966\u0966\u0966\u0966-01-01T00:00:00+00:00"])
def test_a_bad_last_event_id_streams_from_now(client, apply, token, last):
    """A naive or broken Last-Event-ID used to end the stream with a TypeError (issue 13, finding 8)."""
    low(apply)
    body = client.get("/api/v1/stream?max_seconds=1", headers={**token("admin"), "Last-Event-ID": last})
    text = body.get_data(as_text=True)
    assert body.status_code == 200 and text.startswith("retry:") and "event: alert" not in text


EDGE_TIMES = ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00.0+01:00", "9999-12-31T23:30:00-01:00",
              "0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "9999-12-31T23:59:59Z"]


@pytest.mark.parametrize("moment", EDGE_TIMES)
def test_a_time_at_the_ends_of_the_calendar_is_refused_by_field_not_with_a_500(client, apply, token, moment):
    """The fuzzer's find: `?before=0001-01-01T00:00:00.0+01:00` on the event log (a time with no UTC time)
    answered 500, and as a stream's `since` it broke the stream after its first line. Both are refused
    by field, in the caller's language; a time inside the calendar is taken as before."""
    low(apply)
    admin, quoted = token("admin"), moment.replace("+", "%2B")
    for path, field in ((f"/api/v1/events?before={quoted}", "before"),
                        (f"/api/v1/stream?max_seconds=1&since={quoted}", "since")):
        for lang, script in (("en", "such as 2026-11-05T10:30:00+05:30"), ("hi", "\u0924\u093e\u0930\u0940\u0916")):
            response = client.get(path, headers={**admin, "Accept-Language": lang})
            assert response.status_code == 400, (path, response.get_data(as_text=True)[:200])
            error = response.json["error"]
            assert error["code"] == "validation_error" and script in error["details"][field][0], (path, error)
    assert client.get("/api/v1/events?before=2026-01-01T00:00:00%2B05:30", headers=admin).status_code == 200
    body = client.get("/api/v1/stream?max_seconds=1&limit=1&since=1900-01-01T00:00:00%2B00:00", headers=admin)
    assert "event: alert" in body.get_data(as_text=True)


@pytest.mark.parametrize("moment", EDGE_TIMES)
def test_a_last_event_id_at_the_ends_of_the_calendar_streams_from_now(client, apply, token, moment):
    """The same times sent back as Last-Event-ID (it is what the client says): from now, never a broken stream."""
    low(apply)
    body = client.get("/api/v1/stream?max_seconds=1", headers={**token("admin"), "Last-Event-ID": f"{moment}|a|1"})
    text = body.get_data(as_text=True)
    assert body.status_code == 200 and text.startswith("retry:") and "event: alert" not in text


def test_a_good_last_event_id_resumes_from_it(client, apply, token):
    low(apply)
    body = client.get("/api/v1/stream?max_seconds=1&limit=1",
                      headers={**token("admin"), "Last-Event-ID": "2020-01-01T00:00:00+00:00|a|1"})
    assert "event: alert" in body.get_data(as_text=True)


def test_the_stream_pushes_an_alert_as_soon_as_a_write_is_counted(app, apply, monkeypatch):
    """Woken by the applied event, the stream sends the alert long before its next look (a minute away)."""
    monkeypatch.setattr(stream, "POLL_SECONDS", 60)
    wake = WatchedWakeup()
    feed = stream.frames(app.extensions["rawbank"].db, since=None, depot=None, max_seconds=120, limit=1, wake=wake)
    assert next(feed).startswith("retry:")
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.extend(feed), daemon=True)
    reader.start()
    assert wake.waiting.wait(15), "the stream never went idle"
    low(apply)
    wake.notify()
    reader.join(20)
    assert not reader.is_alive() and len(received) == 1 and received[0].startswith("id: ")
    assert '"kind": "low_stock"' in received[0]


def test_a_write_request_wakes_the_relay_and_a_read_does_not(app, client, apply, token):
    written = app.extensions["rawbank"].written
    low(apply)
    [alert] = client.get("/api/v1/alerts", headers=token("admin")).json
    before = written.seen()
    client.get("/api/v1/alerts", headers=token("admin"))
    assert written.seen() == before
    client.post(f"/api/v1/alerts/{alert['id']}/acknowledge", json={}, headers=token("admin"))
    assert written.seen() == before + 1


def test_alerts_are_found_by_words_status_and_day_a_page_at_a_time_and_as_csv(client, apply, token, app):
    """Issue 18: the board's filters and its CSV, times in India with their offset."""
    apply("MaterialRegistered", "DYE-IND", {"sku": "DYE-IND", "name": "Indigo dye", "name_hi": "नील रंग",
                                            "category": "dye", "unit": "kg", "reorder_level": 2_000})
    for depot in ("VNS", "BHD", "MZP"):
        low(apply, depot=depot)
    low(apply, depot="VNS", sku="DYE-IND")
    admin = token("admin")
    found = client.get("/api/v1/alerts?q=indigo", headers=admin)
    assert [(a["depot"], a["sku"]) for a in found.json] == [("VNS", "DYE-IND")]
    assert [a["sku"] for a in client.get("/api/v1/alerts?q=नील", headers=admin).json] == ["DYE-IND"]
    first = client.get("/api/v1/alerts?limit=3&page=1", headers=admin)
    second = client.get("/api/v1/alerts?limit=3&page=2", headers=admin)
    assert first.headers["X-Total-Count"] == "4" and len(first.json) == 3 and len(second.json) == 1
    assert {a["id"] for a in first.json}.isdisjoint({a["id"] for a in second.json})
    db = app.extensions["rawbank"].db
    old = db.alerts.find_one({"depot": "MZP"})["_id"]
    db.alerts.update_one({"_id": old}, {"$set": {"first_seen": datetime(2026, 1, 10, 20, 0, tzinfo=timezone.utc)}})
    resolved = client.post(f"/api/v1/alerts/{old}/resolve", json={"note": "=HYPERLINK(\"x\")"}, headers=admin)
    assert resolved.status_code == 200
    on_the_day = client.get("/api/v1/alerts?status=resolved&from=2026-01-11&to=2026-01-11", headers=admin).json
    assert [a["id"] for a in on_the_day] == [old]  # 20:00 UTC on the 10th is the 11th in India
    assert client.get("/api/v1/alerts?status=open,acknowledged", headers=admin).headers["X-Total-Count"] == "3"
    assert client.get("/api/v1/alerts?from=2026-02-01&to=2026-01-01", headers=admin).status_code == 400
    sheet = client.get("/api/v1/alerts?format=csv&status=resolved", headers={**admin, "Accept-Language": "hi"})
    assert sheet.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(sheet.get_data().decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "kind", "severity", "status"] and "first_seen_ist" in rows[0]
    row = dict(zip(rows[0], rows[1]))
    assert row["first_seen_ist"] == "2026-01-11T01:30:00+05:30" and row["resolved_at_ist"].endswith("+05:30")
    assert row["title"].startswith("कम स्टॉक") and row["resolved_note"].startswith("'=")
    # the status and severity, codes, also in the words of the page (and of the titles), in the last columns: a
    # Hindi reader read "resolved", "warning" beside Hindi titles; earlier columns keep their places
    assert rows[0][-3:] == ["resolved_note", "status_text", "severity_text"] and {len(r) for r in rows} == {19}
    assert (row["status"], row["status_text"], row["severity"], row["severity_text"]) == (
        "resolved", "हल हो गई", "warning", "चेतावनी")
    english = client.get("/api/v1/alerts?format=csv&status=resolved", headers={**admin, "Accept-Language": "en"})
    row = dict(zip(*list(csv.reader(io.StringIO(english.get_data().decode("utf-8-sig"))))[:2]))
    assert (row["status_text"], row["severity_text"]) == ("Resolved", "Warning")


@pytest.mark.parametrize("month", ["0000-01", "0000-12"])
def test_a_report_for_a_month_of_year_zero_is_refused_not_a_crash(client, token, month):
    for name in ("distribution", "beneficiaries", "unmet-demand", "cooperatives"):
        refused = client.get(f"/api/v1/reports/{name}?month={month}", headers=token("admin"))
        assert refused.status_code == 400 and "month" in refused.get_json()["error"]["details"], name
        page = client.get(f"/admin/reports/{name}?month={month}", headers=token("admin"))
        assert page.status_code == 400 and "a month such as 2026-11" in page.get_data(as_text=True), name


def test_notifications_events_webhooks_contacts_and_deliveries_page_by_number(app, client, apply, token):
    """DESIGN.md pages lists with ?page=N: each list here takes it with `limit`, in its own order."""
    from services.notifier import event_log
    db, admin = app.extensions["rawbank"].db, token("admin")
    artisan(apply, "ART-1", "hi")
    for n in range(3):
        event_log.record(db, submitted(apply, f"REQ-{n}", "ART-1"))
        client.post("/api/v1/webhooks", json={"url": f"https://hooks.example.in/{n}"}, headers=admin)
        client.post("/api/v1/contacts", json={"name": f"C{n}", "email": f"c{n}@up.gov.in"}, headers=admin)
    db.deliveries.insert_many([{"_id": f"d{n}", "channel": "sms", "target": "+91", "status": "pending",
                                "created_at": datetime(2026, 1, 1, n, tzinfo=timezone.utc)} for n in range(3)])
    for path, who, key in (("/notifications", token("artisan", artisan_id="ART-1"), "id"),
                           ("/events", admin, "event_id"), ("/webhooks", admin, "id"), ("/contacts", admin, "id"),
                           ("/deliveries", admin, "id")):
        everything = [item[key] for item in client.get(f"/api/v1{path}", headers=who).json]
        assert len(everything) == 3, (path, everything)
        pages = [[item[key] for item in client.get(f"/api/v1{path}?limit=2&page={n}", headers=who).json]
                 for n in (1, 2, 3)]
        assert pages == [everything[:2], everything[2:], []], path
        assert client.get(f"/api/v1{path}?page=0", headers=who).status_code == 400, path
    both = client.get("/api/v1/events?page=2&before=2026-01-01T00:00:00%2B00:00", headers={**admin,
                                                                                         "Accept-Language": "hi"})
    assert both.status_code == 400 and set(both.json["error"]) == {"code", "message", "details"}
    assert any("\u0900" <= ch <= "\u097f" for ch in both.json["error"]["details"]["page"][0])
    spec = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/notifications", "/events", "/webhooks", "/contacts", "/deliveries", "/alerts",
                 "/webhooks/{webhook_id}/deliveries"):
        assert "page" in {p["name"] for p in spec[f"/api/v1{path}"]["get"]["parameters"]}, path


def test_the_event_log_cursor_keeps_events_received_in_the_same_moment(app, client, token):
    """`?before=` alone skips events received in the same millisecond as the previous page's last; with
    `before_event` (that last event's id) the next page starts right after it, ties included."""
    db, admin = app.extensions["rawbank"].db, token("admin")
    moment = datetime(2026, 11, 3, 9, 30, tzinfo=timezone.utc)
    db.events.insert_many([{"_id": f"e{n}", "event_id": f"e{n}", "type": "StockLow", "version": 1,
                            "occurred_at": moment.isoformat(), "source": "inventory", "key": "K",
                            "payload": {}, "received_at": moment - timedelta(seconds=n // 3)} for n in range(5)])
    everything = [e["event_id"] for e in client.get("/api/v1/events", headers=admin).json]
    assert everything == ["e2", "e1", "e0", "e4", "e3"]
    seen, query = [], "limit=2"
    for _ in range(4):
        page = client.get(f"/api/v1/events?{query}", headers=admin).json
        seen += [e["event_id"] for e in page]
        if not page:
            break
        last = page[-1]
        query = f"limit=2&before={last['received_at'].replace('+', '%2B')}&before_event={last['event_id']}"
    assert seen == everything
    alone = client.get("/api/v1/events?before_event=e1", headers={**admin, "Accept-Language": "hi"})
    assert alone.status_code == 400 and "before_event" in alone.json["error"]["details"]
    assert any("\u0900" <= ch <= "\u097f" for ch in alone.json["error"]["details"]["before_event"][0])
    spec = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/events"]["get"]["parameters"]
    assert "before_event" in {p["name"] for p in spec}


def test_an_artisan_hears_when_the_depot_can_never_hold_their_approved_request(client, apply, token, app, config):
    """Inventory refusing a request it can never hold makes it rejected at requests; the artisan's last word was
    'approved, we are setting the material aside'. Now they are told, in their language, why and what to do."""
    apply("MaterialRegistered", "YRN-COT", {"sku": "YRN-COT", "name": "Cotton yarn", "name_hi": "सूती धागा",
                                            "category": "yarn", "unit": "kg", "reorder_level": 10_000})
    artisan(apply, "ART-1", "hi")
    artisan(apply, "ART-2", "en")
    failed = {}
    for rid, artisan_id in (("REQ-7", "ART-1"), ("REQ-8", "ART-2")):
        submitted(apply, rid, artisan_id)
        failed[rid] = apply("StockReservationFailed", rid, {"requisition_id": rid, "depot": "VNS", "lines": [
            {"sku": "YRN-COT", "quantity": 20_000}], "reason": "unknown_material: YRN-COT"})
    handlers.apply(app.extensions["rawbank"].db, config, failed["REQ-8"])  # a duplicate tells nobody twice
    theirs = {n["status"]: n for n in client.get("/api/v1/notifications",
                                                 headers=token("artisan", artisan_id="ART-2")).json}
    assert sorted(theirs) == ["rejected", "submitted"]
    assert theirs["rejected"]["text"] == ("Your request 8 for 20 kg Cotton yarn at VNS depot was not approved. "
                                          "Cotton yarn is not supplied from this depot; please ask your depot "
                                          "officer, then send a new request.")
    [refused] = [n for n in client.get("/api/v1/notifications", headers=token("artisan", artisan_id="ART-1")).json
                 if n["status"] == "rejected"]
    assert "unknown_material" not in refused["text"]
    assert "सूती धागा इस डिपो से नहीं मिलता" in refused["text"]


def test_the_report_pages_show_a_material_the_notifier_has_not_heard_of_by_its_code(client, apply, token):
    """A dispatch or a wait for a material whose MaterialRegistered has not reached the notifier (another topic)
    made the unmet-demand page fail with a server error, and left the material's column without a heading."""
    apply("RequisitionDispatched", "REQ-1", {
        "requisition_id": "REQ-1", "artisan_id": "ART-1", "depot": "VNS", "by": "w", "cooperative": "SMBSS",
        "lines": [{"sku": "DYE-NEW", "quantity": 2_000}]}, source="requests")
    apply("StockWaitlisted", "REQ-2", {"requisition_id": "REQ-2", "depot": "VNS", "position": 1,
                                       "lines": [{"sku": "DYE-NEW", "quantity": 3_000}]})
    admin = token("admin")
    for name in ("distribution", "unmet-demand", "cooperatives"):
        page = client.get(f"/admin/reports/{name}", headers=admin)
        assert page.status_code == 200, name
        assert "DYE-NEW" in page.get_data(as_text=True), name
    assert client.get("/api/v1/reports/unmet-demand", headers=admin).json["units"] == {"DYE-NEW": ""}


@pytest.mark.parametrize("body", [{"name": "Meena"}, {"name": "Meena", "email": None, "phone": None}])
def test_a_contact_nothing_can_reach_is_refused_in_either_language(client, token, body):
    """A contact with neither an e-mail address nor a phone was stored and then silently heard of nothing."""
    for lang, words in (("en", "e-mail address or a phone number"), ("hi", "ई-मेल पता या फ़ोन नंबर")):
        refused = client.post("/api/v1/contacts", json=body, headers={**token("admin"), "Accept-Language": lang})
        assert refused.status_code == 400 and words in refused.json["error"]["details"]["email"][0], lang
    assert client.get("/api/v1/contacts", headers=token("admin")).json == []


def test_a_phone_with_spaces_is_refused_with_an_example_to_follow(client, token):
    refused = client.post("/api/v1/contacts", json={"name": "Meena", "phone": "+91 98111 11111"},
                          headers={**token("admin"), "Accept-Language": "hi"})
    assert refused.status_code == 400 and "+919811111111" in refused.json["error"]["details"]["phone"][0]
    assert "अंक" in refused.json["error"]["details"]["phone"][0]


def test_a_reservation_failed_alert_says_in_words_why_and_what_to_do(client, apply, token):
    """Its text was inventory's reason code ("unknown_material: DYE-X") in English and Hindi alike."""
    apply("StockReservationFailed", "REQ-1042", {"requisition_id": "REQ-1042", "depot": "VNS", "reason":
                                                 "unknown_material: DYE-X", "lines": [{"sku": "DYE-X", "quantity": 1}]})
    [alert] = client.get("/api/v1/alerts?kind=reservation_failed", headers=token("admin")).json
    assert alert["text"]["en"] == ("Request 1042 was refused: inventory does not know the material DYE-X. Register "
                                   "the material, then the artisan can ask again.")
    assert "unknown_material" not in alert["text"]["hi"] and "DYE-X" in alert["text"]["hi"]
    assert alert["details"]["reason"] == "unknown_material: DYE-X"  # as it came, for whoever looks into it


def test_a_webhook_cannot_ask_for_the_digest_it_would_never_get(client, token):
    """The daily digest goes by e-mail to contacts only; a webhook took the "digest" topic (by default too) and
    then never heard a thing of it."""
    admin = token("admin")
    refused = client.post("/api/v1/webhooks", json={"url": "https://hooks.example.in/x", "topics": ["digest"]},
                          headers=admin)
    assert refused.status_code == 400 and "alert.opened" in refused.json["error"]["details"]["topics"]["0"][0]
    made = client.post("/api/v1/webhooks", json={"url": "https://hooks.example.in/x"}, headers=admin)
    assert made.status_code == 201 and "digest" not in made.json["topics"]


def test_the_cooperatives_report_counts_only_active_members_and_their_looms(client, apply, token):
    """A member who left (deactivated) still counted among the members, and their looms lowered the offtake per
    loom; requests counts a cooperative's active members only."""
    apply("CooperativeRegistered", "SMBSS", {"code": "SMBSS", "name": "Sarai Mohana", "name_hi": "सराय मोहना",
                                             "kind": "cooperative", "district": "Varanasi"}, source="requests")
    for artisan_id, looms, active in (("ART-1", 1, True), ("ART-2", 1, True), ("ART-3", 6, False)):
        apply("ArtisanRegistered", artisan_id, {"artisan_id": artisan_id, "name": artisan_id, "district": "Varanasi",
                                                "language": "hi", "cooperative": "SMBSS", "looms": looms,
                                                "active": active}, source="requests")
    apply("RequisitionDispatched", "REQ-1", {"requisition_id": "REQ-1", "artisan_id": "ART-1", "depot": "VNS",
                                             "by": "w", "cooperative": "SMBSS",
                                             "lines": [{"sku": "YRN-COT", "quantity": 10_000}]}, source="requests")
    [row] = client.get("/api/v1/reports/cooperatives", headers=token("admin")).json["rows"]
    assert (row["members"], row["looms"], row["per_loom"]) == (2, 2, {"YRN-COT": "5"})


def test_the_cooperatives_report_rounds_the_offtake_per_loom(client, apply, token):
    """63.5 kg over 3 looms is 21.1667 kg a loom: the report cut it to 21.166 where any reader rounds to 21.167."""
    apply("CooperativeRegistered", "SMBSS", {"code": "SMBSS", "name": "Sarai Mohana", "name_hi": "सराय मोहना",
                                             "kind": "cooperative", "district": "Varanasi"}, source="requests")
    apply("ArtisanRegistered", "ART-1", {"artisan_id": "ART-1", "name": "ART-1", "district": "Varanasi",
                                         "language": "hi", "cooperative": "SMBSS", "looms": 3, "active": True},
          source="requests")
    apply("RequisitionDispatched", "REQ-1", {"requisition_id": "REQ-1", "artisan_id": "ART-1", "depot": "VNS",
                                             "by": "w", "cooperative": "SMBSS",
                                             "lines": [{"sku": "YRN-COT", "quantity": 63_500},
                                                       {"sku": "YRN-SLK", "quantity": 2_000}]}, source="requests")
    [row] = client.get("/api/v1/reports/cooperatives", headers=token("admin")).json["rows"]
    assert row["per_loom"] == {"YRN-COT": "21.167", "YRN-SLK": "0.667"}


def test_a_secretary_sees_whose_each_notification_is(client, apply, token):
    """A cooperative's request tells each member of their own share: the secretary got identical cards ("Your
    request ... is approved") with no member named, in the API and on the page."""
    for artisan_id, name in (("ART-1", "Sita Devi"), ("ART-2", "Ramesh")):
        apply("ArtisanRegistered", artisan_id, {"artisan_id": artisan_id, "name": name, "name_hi": f"{name} (हि)",
                                                "district": "Varanasi", "language": "hi", "cooperative": "SMBSS"},
              source="requests")
    shares = [{"artisan_id": a, "lines": [{"sku": "YRN-COT", "quantity": 10_000}]} for a in ("ART-1", "ART-2")]
    apply("RequisitionSubmitted", "REQ-5", {"requisition_id": "REQ-5", "artisan_id": "ART-1", "depot": "VNS",
                                            "by": "sec", "cooperative": "SMBSS", "shares": shares,
                                            "lines": [{"sku": "YRN-COT", "quantity": 20_000}]}, source="requests")
    secretary = token("secretary", cooperative="SMBSS")
    seen = client.get("/api/v1/notifications", headers=secretary).json
    assert sorted((n["artisan_id"], n["artisan"]) for n in seen) == [("ART-1", "Sita Devi (हि)"),
                                                                      ("ART-2", "Ramesh (हि)")]
    page = client.get("/my/notifications", headers={**secretary, "Accept-Language": "en"}).get_data(as_text=True)
    assert "Sita Devi" in page and "Ramesh" in page
    own = client.get("/my/notifications", headers=token("artisan", artisan_id="ART-1")).get_data(as_text=True)
    assert "Sita Devi" not in own  # an artisan reads their own, unnamed


def test_a_since_in_the_future_streams_from_now_as_a_last_event_id_does(client, apply, token):
    """?since= later than now (a client's clock ahead) sent nothing until that time came, silently."""
    response = client.get("/api/v1/stream?max_seconds=5&limit=1&since=2099-01-01T00:00:00%2B00:00",
                          headers=token("admin"), buffered=False)
    frames = (frame if isinstance(frame, bytes) else frame.encode() for frame in response.response)
    assert next(frames).startswith(b"retry:")
    low(apply)  # an alert opens while the stream is open
    assert b"event: alert" in b"".join(frames)


def test_a_stream_resumed_from_an_hour_ago_sends_every_alert_changed_since_not_only_the_first_page(app, apply):
    """A board reconnecting after a long gap: 1,200 alerts changed while it was away, each sent once, in order.

    The stream read 500 changes per look and then moved on to now: the other 700 were never sent."""
    db = app.extensions["rawbank"].db
    for n in range(1_200):
        low(apply, sku=f"SKU-{n:04}")
    away = datetime.now(timezone.utc) - timedelta(hours=1)
    for n, doc in enumerate(db.alerts.find({}, {"_id": 1}).sort("_id", 1)):
        db.alerts.update_one({"_id": doc["_id"]}, {"$set": {"updated_at": away + timedelta(seconds=n)}})
    feed = stream.frames(db, since=away - timedelta(minutes=1), depot=None, max_seconds=2, limit=None)
    sent = [frame.split("\n")[0].split("|")[1] for frame in feed if "event: alert" in frame]
    assert len(sent) == len(set(sent)) == 1_200
    assert sent == [doc["_id"] for doc in db.alerts.find({}, {"_id": 1}).sort("updated_at", 1)]


def test_lists_order_ties_by_id_so_pages_never_repeat_or_skip_one(app):
    """One event fans out to many notifications at one moment; MongoDB returns ties in any order from one
    query to the next, so pages by skip could show a notification twice and another never: _id breaks ties."""
    from services.notifier import alerts, deliveries, event_log, notifications
    db = app.extensions["rawbank"].db
    at = datetime(2026, 12, 1, 5, 0, tzinfo=timezone.utc)
    ids = ["n3", "n1", "n5", "n2", "n4"]  # stored in this order, all at the same moment
    db.notifications.insert_many([{"_id": i, "artisan_id": "ART-1", "created_at": at} for i in ids])
    db.deliveries.insert_many([{"_id": i, "created_at": at, "status": "sent"} for i in ids])
    db.alerts.insert_many([{"_id": i, "last_seen": at, "status": "open"} for i in ids])
    db.events.insert_many([{"_id": i, "event_id": i, "received_at": at} for i in ids])
    newest_first = sorted(ids, reverse=True)
    pages = {
        "notifications": lambda skip: [d["_id"] for d in notifications.of_people(db, ["ART-1"], skip=skip, limit=2)],
        "deliveries": lambda skip: [d["_id"] for d in deliveries.find(db, skip=skip, limit=2)],
        "alerts": lambda skip: [d["_id"] for d in alerts.find(db, skip=skip, limit=2)],
        "events": lambda skip: [d["event_id"] for d in event_log.recent(db, skip=skip, limit=2)],
    }
    for name, page in pages.items():
        assert page(0) + page(2) + page(4) == newest_first, name


def depots_and_alerts(apply):
    """Low-stock alerts at Varanasi (VNS) and Bhadohi (BHD), both depots known by name."""
    for code, name, name_hi in (("VNS", "Varanasi depot", "वाराणसी डिपो"), ("BHD", "Bhadohi depot", "भदोही डिपो")):
        apply("DepotRegistered", code, {"code": code, "name": name, "name_hi": name_hi, "district": name})
        low(apply, depot=code)


@pytest.mark.parametrize("path", ["/api/v1/alerts?depot=BHD", "/api/v1/alerts?depot=BHD&format=csv",
                                  "/api/v1/alerts?depot=BHD&status=open&q=YRN",
                                  "/api/v1/stream?depot=BHD&max_seconds=1"])
def test_depot_staff_asking_another_depots_alerts_are_refused_in_their_language(client, apply, token, path):
    """Varanasi's staff asking ?depot=BHD got Varanasi's alerts (as a list or CSV) as if they were Bhadohi's; they are
    refused (403 wrong_depot, naming their own depot). Their own depot or none, admins and central staff: as before."""
    depots_and_alerts(apply)
    own = token("warehouse", depot="VNS")
    for lang, name in (("en", "Varanasi depot"), ("hi", "वाराणसी डिपो")):
        refused = client.get(path, headers={**own, "Accept-Language": lang})
        assert refused.status_code == 403, (lang, refused.get_data(as_text=True)[:200])
        error = refused.json["error"]
        hindi = any("\u0900" <= ch <= "\u097f" for ch in error["message"].replace(name, ""))
        assert error["code"] == "wrong_depot" and error["details"] == {"your_depot": "VNS"}, lang
        assert name in error["message"] and hindi == (lang == "hi"), (lang, error["message"])
    for query in ("", "?depot=VNS"):
        assert [a["depot"] for a in client.get(f"/api/v1/alerts{query}", headers=own).json] == ["VNS"], query
    for reader in (token("admin"), token("warehouse")):  # admins and central staff (no depot) choose any depot
        assert [a["depot"] for a in client.get("/api/v1/alerts?depot=BHD", headers=reader).json] == ["BHD"]


OWN_DEPOT_ONLY = {  # language -> (title, what the page says, the link to their own depot's page)
    "en": ("Not allowed", "These pages show only your own depot, Varanasi depot.", "Open this page for Varanasi depot"),
    "hi": ("अनुमति नहीं", "ये पेज केवल आपके अपने डिपो, वाराणसी डिपो, के हैं।", "यह पेज वाराणसी डिपो के लिए खोलें"),
}


@pytest.mark.parametrize("lang", OWN_DEPOT_ONLY)
def test_depot_staff_opening_the_alerts_page_for_another_depot_are_told_and_led_to_their_own(client, apply, token,
                                                                                              lang):
    """Varanasi's staff opening the board with ?depot=BHD (a link an admin sent) saw Varanasi's alerts under it, and
    could take them for Bhadohi's. They are told (403, in their language) that these pages show only their own
    depot, named, with a link to the same page there: the other filters kept, the page number not."""
    from html import unescape
    depots_and_alerts(apply)
    title, said, onward = OWN_DEPOT_ONLY[lang]
    own = {**token("warehouse", depot="VNS"), "Accept-Language": lang}
    response = client.get("/admin/alerts?status=open&depot=BHD&q=yarn&page=2", headers=own)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 403 and title in html and said in html, html[-1500:]
    assert "Bhadohi" not in html and "भदोही" not in html  # nothing of the depot asked for
    assert f'<a class="button" href="http://127.0.0.1:8003/admin/alerts?status=open&q=yarn">{onward}</a>' in html
    for query in ("", "?depot=VNS", "?depot="):  # their own depot, or none: as before
        assert client.get(f"/admin/alerts{query}", headers=own).status_code == 200, query
    assert client.get("/admin/alerts?depot=BHD", headers=token("admin")).status_code == 200  # admins choose any


def test_central_staff_opening_the_alerts_page_for_a_depot_see_that_depots_alerts_and_can_choose_one(client, apply,
                                                                                                   token):
    """Central warehouse staff (no depot on their token) choose a depot as admins do: the board asked for Bhadohi
    (?depot=BHD) showed every depot's alerts under it, and offered no choice of depot."""
    from html import unescape
    depots_and_alerts(apply)
    central = token("warehouse")
    html = unescape(client.get("/admin/alerts?depot=BHD", headers=central).get_data(as_text=True))
    shown = json.loads(re.search(r'<script id="board-data" type="application/json">(.*?)</script>', html, re.S)
                       .group(1))["alerts"]
    assert shown and {a["depot"] for a in shown} == {"BHD"}, [a["depot"] for a in shown]
    assert 'name="depot"' in html  # the depot choice, as on an admin's board


def board_data(client, path: str, headers: dict) -> dict:
    from html import unescape
    html = unescape(client.get(path, headers=headers).get_data(as_text=True))
    return json.loads(re.search(r'<script id="board-data" type="application/json">(.*?)</script>', html, re.S).group(1))


def streamed_depots(client, path: str, headers: dict) -> list[str]:
    """The depots of the alerts a stream sends, from an old Last-Event-ID (every alert there is)."""
    text = client.get(path, headers={**headers, "Last-Event-ID": "2020-01-01T00:00:00+00:00|a|1"}).get_data(
        as_text=True)
    return sorted(json.loads(line[len("data: "):])["depot"] for line in text.splitlines() if line.startswith("data: "))


def test_the_stream_asked_for_one_depot_sends_only_that_depots_alerts(client, apply, token):
    """A board watching one depot (?depot=BHD) had only a stream of every depot's alerts, so it could not add the
    new ones: the stream takes the depot too. Without it, every depot (a depot's staff: their own, as before)."""
    depots_and_alerts(apply)
    for reader in (token("admin"), token("warehouse")):  # admins and central staff choose any depot
        assert streamed_depots(client, "/api/v1/stream?max_seconds=1&depot=BHD", reader) == ["BHD"]
        assert streamed_depots(client, "/api/v1/stream?max_seconds=1", reader) == ["BHD", "VNS"]
    own = token("warehouse", depot="VNS")
    for query in ("", "&depot=VNS"):
        assert streamed_depots(client, f"/api/v1/stream?max_seconds=1{query}", own) == ["VNS"], query
    spec = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/stream"]["get"]["parameters"]
    depot = [p for p in spec if p["name"] == "depot" and p["in"] == "query"]
    assert depot and "wrong_depot" in depot[0].get("description", ""), spec  # documented, the refusal too


def test_a_board_narrowed_only_to_a_depot_adds_that_depots_new_alerts_from_that_depots_stream(client, apply, token):
    """The board on ?depot=BHD never added a new alert (it took a depot as a search that the stream could not
    follow): now it follows BHD's stream and adds what comes. Narrowed by words or dates, its stream says which new
    alerts they find, which it adds (and says); a later page adds none (it says those new ones only)."""
    depots_and_alerts(apply)
    for reader in (token("admin"), token("warehouse")):
        board = board_data(client, "/admin/alerts?depot=BHD", reader)
        assert board["adds"] is True and board["stream"] == "/api/v1/stream?depot=BHD", board["stream"]
        board = board_data(client, "/admin/alerts", reader)
        assert board["adds"] is True and board["stream"] == "/api/v1/stream"
        for narrowed, streamed in (("?depot=BHD&q=cotton", "?depot=BHD&q=cotton"), ("?q=cotton", "?q=cotton"),
                                   ("?depot=BHD&from=2026-01-01", "?depot=BHD&from=2026-01-01"),
                                   ("?from=2026-01-02&to=2026-01-01", "")):  # days the wrong way round: not narrowed
            board = board_data(client, f"/admin/alerts{narrowed}", reader)
            assert (board["adds"], board["filtered"], board["stream"]) == \
                (True, bool(streamed), f"/api/v1/stream{streamed}"), narrowed
    own = board_data(client, "/admin/alerts?depot=VNS", token("warehouse", depot="VNS"))
    assert own["adds"] is True and own["stream"] in ("/api/v1/stream", "/api/v1/stream?depot=VNS")


@pytest.mark.parametrize("asked", ["XYZ", "V" * 200])
def test_a_board_asked_for_a_depot_nobody_has_is_not_found_and_links_to_the_depot_choice(client, apply, token, asked):
    """An admin's board asked for a depot that does not exist (a mistyped link) was empty, and for a code over 100
    characters it followed a stream that refused it (422), so the page kept reconnecting. As on the inventory's pages:
    404, no depot with this code, in the reader's language, and a link to the board without it (other filters kept,
    not the page number), where the depot is chosen."""
    from html import unescape
    depots_and_alerts(apply)
    for lang, said, choose in (("en", "No depot with this code.", "Choose a depot"),
                               ("hi", "इस कोड का कोई डिपो नहीं है।", "डिपो चुनें")):
        for reader in (token("admin"), token("warehouse")):  # admins and central staff
            response = client.get(f"/admin/alerts?status=open&depot={asked}&q=yarn&page=2",
                                  headers={**reader, "Accept-Language": lang})
            html = unescape(response.get_data(as_text=True))
            assert response.status_code == 404 and said in html, (lang, html[-800:])
            assert f'<a class="button" href="http://127.0.0.1:8003/admin/alerts?status=open&q=yarn">{choose}</a>' \
                in html, html[-800:]
            assert "board-data" not in html and "/api/v1/stream" not in html  # no board, nor a stream to follow
    for known in ("BHD", ""):  # a depot there is, or none: the board, as before
        assert board_data(client, f"/admin/alerts?depot={known}", token("admin"))["alerts"], known


def test_a_stream_for_a_board_narrowed_by_words_or_days_says_which_alerts_they_find(client, apply, token):
    """The board narrowed by words (a material) or days could not tell which new alerts belonged to it, so it said
    none: the stream now marks each alert with `matches` when asked with the board's q, from and to (alone: no mark)."""
    apply("MaterialRegistered", "DYE-IND", {"sku": "DYE-IND", "name": "Natural indigo dye", "name_hi": "नील",
                                            "category": "dye", "unit": "kg", "reorder_level": 1_000})
    low(apply)
    low(apply, sku="DYE-IND")
    admin = token("admin")

    def sent(query: str) -> dict:
        body = client.get(f"/api/v1/stream?max_seconds=1&limit=2&since=2020-01-01T00:00:00%2B00:00{query}",
                          headers=admin).get_data(as_text=True)
        alerts = [json.loads(line[len("data: "):]) for line in body.splitlines() if line.startswith("data: ")]
        return {alert["sku"]: alert.get("matches") for alert in alerts}

    assert sent("") == {"YRN-COT": None, "DYE-IND": None}
    assert sent("&q=indigo") == {"YRN-COT": False, "DYE-IND": True}
    today = datetime.now(timezone(timedelta(hours=5, minutes=30))).date()
    assert sent(f"&from={today}&to={today}") == {"YRN-COT": True, "DYE-IND": True}
    assert sent(f"&q=indigo&to={today - timedelta(days=1)}") == {"YRN-COT": False, "DYE-IND": False}
    refused = client.get("/api/v1/stream?max_seconds=1&from=yesterday", headers=admin)
    assert refused.status_code == 400 and "from" in refused.json["error"]["details"]


def test_the_hindi_resolve_button_says_the_action_not_the_status(client, apply, token):
    """The Hindi board's Resolve button read "हल हुआ" ("resolved", a status, beside the tab "हल हो गया"): it says the
    action, "हल करें"."""
    from html import unescape
    low(apply)
    html = unescape(client.get("/admin/alerts", headers={**token("admin"), "Accept-Language": "hi"})
                    .get_data(as_text=True))
    assert "<span>हल करें</span>" in html and "हल हुआ" not in html, html[-3000:]


REFUSALS = {  # language -> (what an admin asking for notifications is told, what an unknown API address says)
    "en": ("Notifications are an artisan's own (a secretary's: their members'); admins and warehouse staff see "
           "alerts at /api/v1/alerts.",
           "There is nothing at this address; check it (the API's addresses are listed at /api/v1/openapi.json)."),
    "hi": ("सूचनाएँ कारीगर की अपनी होती हैं (सचिव के लिए: उनके सदस्यों की); एडमिन और गोदाम कर्मचारी चेतावनियाँ "
           "/api/v1/alerts पर देखते हैं।",
           "इस पते पर कुछ नहीं है; पता जाँचें (API के पते /api/v1/openapi.json में दिए हैं)।"),
}


@pytest.mark.parametrize("lang", REFUSALS)
def test_an_admin_asking_for_notifications_and_an_unknown_address_are_told_what_is_true(client, token, lang):
    """An admin's GET /api/v1/notifications was refused with "Your role may not do this; ask an admin" (they are the
    admin): they are told notifications are artisans' own and alerts are at /api/v1/alerts. GET /api/v1/nope said
    "check the id" where there is no id: it says the address is unknown and where the addresses are listed. The
    codes are as before."""
    headers = {**token("admin"), "Accept-Language": lang}
    refused, unknown = REFUSALS[lang]
    for asked in (client.get("/api/v1/notifications", headers=headers),
                  client.post("/api/v1/notifications/n1/read", headers=headers)):
        assert asked.status_code == 403 and asked.json["error"]["code"] == "forbidden"
        assert asked.json["error"]["message"] == refused
    for path in ("/api/v1/nope", "/api/v1/alerts/a/b/c"):
        missing = client.get(path, headers=headers)
        assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
        assert missing.json["error"]["message"] == unknown, path
    gone = client.get("/api/v1/alerts/nope", headers=headers)  # an id nobody has: as before
    assert gone.status_code == 404 and gone.json["error"]["message"] != unknown


BOARD_WITHOUT_SCRIPT = {  # language -> (a card's title, its status, its depot line's start, what the board says,
    # what it says without JavaScript)
    "en": ("Low stock: Cotton yarn at Varanasi depot", "Open", "Varanasi depot · since ", "2 in all",
           "<noscript><p class=\"notice\">Without JavaScript this board does not update by itself"),
    "hi": ("कम स्टॉक: वाराणसी डिपो में सूती धागा", "खुली", "वाराणसी डिपो · ", "कुल 2",
           "<noscript><p class=\"notice\">जावास्क्रिप्ट के बिना यह बोर्ड अपने-आप नहीं बदलता"),
}


@pytest.mark.parametrize("lang", BOARD_WITHOUT_SCRIPT)
def test_the_alert_board_is_written_on_the_server_not_only_by_its_script(client, apply, token, lang):
    """The board's alerts were only in a <script> for alerts.js to draw: without JavaScript it said "2 in all" above
    an empty list. The server writes their cards, in the page's language (the script takes them over, one each)."""
    from html import unescape
    apply("MaterialRegistered", "YRN-COT", {"sku": "YRN-COT", "name": "Cotton yarn", "name_hi": "सूती धागा",
                                            "category": "yarn", "unit": "kg", "reorder_level": 10_000})
    depots_and_alerts(apply)
    html = unescape(client.get("/admin/alerts", headers={**token("admin"), "Accept-Language": lang})
                    .get_data(as_text=True))
    cards = html.split('<div class="cards" id="alerts">', 1)[1].split("</div>\n<nav", 1)[0].split("<template", 1)[0]
    title, status, meta, total, without = BOARD_WITHOUT_SCRIPT[lang]
    assert cards.count('data-alert="') == 2 and title in cards and meta in cards, cards[:2000]
    assert f'data-done>{status}</span>' in cards and total in html and without in html
    assert '<div class="empty" id="no-alerts" hidden>' in html
    assert '<p class="live no-print" id="live" aria-live="polite" hidden>' in html  # no "Connecting…" without it


def test_the_unmet_demand_totals_add_each_unit_apart_count_a_request_once_and_name_the_depot(client, apply, token):
    """The totals added 8 kg of silk and 3 pieces of shuttles into "11", and counted a request waiting for both twice
    (waitlisted_requisitions 2, still_waiting 2); the page and CSV had no total row, and the chart named the depot by
    its code where the table says its name."""
    apply("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो",
                                     "district": "Varanasi"})
    for sku, name, name_hi, unit in (("YRN-SLK", "Mulberry silk", "शहतूत रेशम", "kg"),
                                     ("ACC-SHT", "Shuttle", "ढरकी", "pcs")):
        apply("MaterialRegistered", sku, {"sku": sku, "name": name, "name_hi": name_hi, "category": "yarn",
                                          "unit": unit, "reorder_level": 1_000})
    lines = [{"sku": "YRN-SLK", "quantity": 8_000}, {"sku": "ACC-SHT", "quantity": 3_000}]
    apply("StockWaitlisted", "REQ-1", {"requisition_id": "REQ-1", "depot": "VNS", "position": 1, "lines": lines,
                                       "short": lines})
    apply("RequisitionRejected", "REQ-2", {"requisition_id": "REQ-2", "depot": "VNS", "reason": "no", "by": "a",
                                           "artisan_id": "ART-2",
                                           "lines": [{"sku": "YRN-SLK", "quantity": 2_000}]}, source="requests")
    admin = token("admin")
    found = client.get("/api/v1/reports/unmet-demand", headers=admin).json
    assert found["totals"]["by_unit"] == {"kg": {"waitlisted": "8", "refused": "2"},
                                          "pcs": {"waitlisted": "3", "refused": "0"}}
    assert (found["totals"]["waitlisted_requisitions"], found["totals"]["still_waiting"],
            found["totals"]["refused_requisitions"]) == (1, 1, 1)
    assert found["totals"]["waitlisted"] is None and found["totals"]["refused"] is None  # kg and pieces: no one sum
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/reports/unmet-demand?format=csv", headers=admin)
                                       .get_data().decode("utf-8-sig"))))
    totals = [r for r in rows if r[0] == "TOTAL"]
    assert [r[:4] for r in totals] == [["TOTAL", "", "kg", "8"], ["TOTAL", "", "pcs", "3"], ["TOTAL", "", "", ""]]
    assert totals[-1][4:8] == ["1", "", "1", "1"]
    for lang, total, depot, kg in (("en", "Total", "Varanasi depot", "8 kg"), ("hi", "कुल", "वाराणसी डिपो", "8 किलो")):
        html = client.get("/admin/reports/unmet-demand", headers={**admin, "Accept-Language": lang}) \
            .get_data(as_text=True)
        foot = re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0)
        assert total in foot and kg in foot, foot
        labels = re.findall(r"<title>([^<]+)</title>", re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0))
        assert len(labels[1:]) == 2 and all(label.endswith(f" · {depot}") for label in labels[1:]), labels


def test_a_waitlisting_told_before_short_only_counts_every_line_as_it_was_counted(client, apply, token):
    """StockWaitlisted's `short` counts alone only on events that say so (`short_only`, 2026-12): an older event
    (its reservation keeps no `waited_for`) counts every line, as it was counted when it came, so a
    `rawbank reports rebuild` over old events gives what reconcile expects of their reservations. Of one unit, the
    month's quantities are summed as before."""
    lines = [{"sku": "YRN-SLK", "quantity": 8_000}, {"sku": "DYE-IND", "quantity": 1_000}]
    short = [lines[0]]
    apply("StockWaitlisted", "REQ-OLD", {"requisition_id": "REQ-OLD", "depot": "VNS", "position": 1, "lines": lines,
                                         "short": short})
    apply("StockWaitlisted", "REQ-NEW", {"requisition_id": "REQ-NEW", "depot": "VNS", "position": 2, "lines": lines,
                                         "short": short, "short_only": True})
    found = client.get("/api/v1/reports/unmet-demand", headers=token("admin")).json
    assert {(r["sku"], r["waitlisted"], r["waitlisted_requisitions"]) for r in found["rows"]} == {
        ("YRN-SLK", "16", 2), ("DYE-IND", "1", 1)}
    assert (found["totals"]["waitlisted"], found["totals"]["waitlisted_requisitions"]) == ("17", 2)
    empty = client.get("/api/v1/reports/unmet-demand?month=2026-01", headers=token("admin")).json["totals"]
    assert (empty["waitlisted"], empty["refused"], empty["by_unit"]) == ("0", "0", {})  # nothing waited: nought


@pytest.mark.parametrize("lang, words", [("en", "No shares to confirm yet this month"),
                                         ("hi", "इस महीने अभी पुष्टि के लिए कोई हिस्सा नहीं")])
def test_a_cooperative_with_no_shares_this_month_is_said_so_in_words_on_the_chart_not_drawn_as_a_bar(
        client, apply, token, lang, words):
    """A cooperative handed materials this month whose shares nobody has been asked about yet got an empty bar and
    "–" under "Confirmed in full", as if none of its members had confirmed: the wide and the phone chart now say
    in words that there is nothing to confirm yet, and draw no bar for it."""
    apply("CooperativeRegistered", "SMBSS", {"code": "SMBSS", "name": "Sarai Mohana", "name_hi": "सराय मोहना",
                                             "kind": "cooperative", "district": "Varanasi"}, source="requests")
    apply("RequisitionDispatched", "REQ-1", {"requisition_id": "REQ-1", "artisan_id": "ART-1", "depot": "VNS",
                                             "by": "w", "cooperative": "SMBSS",
                                             "lines": [{"sku": "YRN-COT", "quantity": 10_000}]}, source="requests")
    page = client.get("/admin/reports/cooperatives", headers={**token("admin"), "Accept-Language": lang})
    shown = page.get_data(as_text=True)
    wide = re.search(r'<svg class="chart" .*?</svg>', shown, re.S).group(0)
    phone = re.search(r'<svg class="chart stacked" .*?</svg>', shown, re.S).group(0)
    row = re.search(r'<g [^>]*data-group="SMBSS">.*?</g>', wide, re.S).group(0)
    assert "<rect" not in row and words in row and "–" not in row
    [stacked] = re.findall(r"<g [^>]*data-row>.*?</g>", phone, re.S)
    assert "<rect" not in stacked and words in stacked and "–" not in stacked
    assert 'data-group="SMBSS"' in shown.split("</figure>")[1]  # the table lists it still


@pytest.mark.parametrize("fault,retry_after,said_en,said_hi", our_side_faults())
@pytest.mark.parametrize("name,read", [("distribution", "report_dispatches"), ("unmet-demand", "report_unmet"),
                                       ("cooperatives", "shares")])
def test_a_report_the_store_fails_to_read_on_our_side_is_the_app_s_page_for_it_not_a_form_error(
        client, token, monkeypatch, name, read, fault, retry_after, said_en, said_hi):
    """The store failing while a report's figures are read was said on the report as a form error, 400, whenever it
    came as one of our errors (busy, unavailable); it is the app's page for a failure on our side, 503 with
    Retry-After, in the reader's language. A month written wrong stays a form error."""
    refused = client.get(f"/admin/reports/{name}?month=2026-13", headers={**token("admin"), "Accept": "text/html"})
    assert refused.status_code == 400 and 'class="notice error"' in refused.get_data(as_text=True)
    store_fails_reading(monkeypatch, read, fault)
    for lang, said in (("en", said_en), ("hi", said_hi)):
        is_our_side_page(client.get(f"/admin/reports/{name}?month=2026-11",
                                    headers={**token("admin"), "Accept-Language": lang, "Accept": "text/html"}),
                         lang, retry_after, said)
