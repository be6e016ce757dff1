"""The alert board leads an admin from a disputed depot record to the request's page, where the dispute is settled;
the settlement (ShareDisputeSettled, delivered twice) resolves the alert once, and the board says who settled it and
how."""
from __future__ import annotations

import re
from html import unescape

import pytest

from services.notifier import create_app
from shared.auth import COOKIE, issue_token
from shared.i18n import LANG_COOKIE
from shared.envelope import new_event
from tests.integration.test_notifier_dues import started

REQ = "REQ-1042"
LINES = [{"sku": "YRN-COT-40", "quantity": 10_000, "received": 10_000}]


def test_the_disputed_records_card_links_to_the_request_and_its_settlement_resolves_it_once(config):
    runtime, handle = started(config)  # ART-1, Ramesh Kumar
    try:
        handle(new_event("ShareRecordDisputed", REQ, {
            "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS", "lines": LINES,
            "short": False, "recorded_by": "store-vns", "recorded_at": "2026-12-04T10:00:00+00:00",
            "note": "I got 6 kg", "disputed_at": "2026-12-05T10:00:00+00:00"}, source="requests"))
        client = create_app(config, runtime).test_client()
        client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="admin", role="admin"))
        html = client.get("/admin/alerts").get_data(as_text=True)
        link = f'{config.requests_url.rstrip("/")}/my/requisitions/{REQ}'
        assert re.search(r'data-f="request">\s*<a href="' + re.escape(link) + '">Open the request</a>', html), html
        assert "then settle it on the request" in html
        assert '"request": "' + config.requests_url.rstrip("/") + '/my/requisitions/REQ_ID"' in html  # for alerts.js
        event = new_event("ShareDisputeSettled", REQ, {
            "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS", "outcome": "upheld",
            "note": "Weighed again", "settled_by": "admin", "settled_at": "2026-12-06T10:00:00+00:00",
            "disputed_at": "2026-12-05T10:00:00+00:00", "recorded_by": "store-vns", "short": True,
            "lines": [{"sku": "YRN-COT-40", "quantity": 10_000, "recorded": 10_000, "received": 6_000}]},
            source="requests")
        handle(event)
        handle(event)  # delivered twice
        found = client.get("/api/v1/alerts?kind=share_record_disputed").get_json()
        assert [(a["status"], a["count"]) for a in found] == [("resolved", 1)], found
    finally:
        runtime.close()


@pytest.mark.parametrize("outcome, words", [
    ("upheld", {"en": ["Settled by asha-admin on", "the member's dispute was upheld"],
                "hi": ["asha-admin ने", "सदस्य की आपत्ति सही मानी गई"]}),
    ("rejected", {"en": ["Settled by asha-admin on", "the member's dispute was rejected; the depot's record stands"],
                  "hi": ["asha-admin ने", "सदस्य की आपत्ति नहीं मानी गई"]})])
def test_a_settled_disputes_alert_says_who_settled_it_and_how_not_that_it_cleared_by_itself(config, outcome, words):
    """The alert the settlement resolved read "Resolved by itself: the condition cleared". Now its resolution keeps
    who settled it, the outcome and the note (`resolved`: by, at, cause, note, outcome), and the board says so in
    English and Hindi, server-rendered and in the texts its script writes the live board with; a replay changes
    nothing."""
    runtime, handle = started(config)
    try:
        handle(new_event("ShareRecordDisputed", REQ, {
            "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS", "lines": LINES,
            "short": False, "recorded_by": "store-vns", "recorded_at": "2026-12-04T10:00:00+00:00",
            "note": "I got 6 kg", "disputed_at": "2026-12-05T10:00:00+00:00"}, source="requests"))
        event = new_event("ShareDisputeSettled", REQ, {
            "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS", "outcome": outcome,
            "note": "Weighed again", "settled_by": "asha-admin", "settled_at": "2026-12-06T10:00:00+00:00",
            "disputed_at": "2026-12-05T10:00:00+00:00", "recorded_by": "store-vns", "short": outcome == "upheld",
            "lines": [{"sku": "YRN-COT-40", "quantity": 10_000, "recorded": 10_000,
                       "received": 6_000 if outcome == "upheld" else 10_000}]}, source="requests")
        handle(event)
        client = create_app(config, runtime).test_client()
        client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="admin", role="admin"))
        [alert] = client.get("/api/v1/alerts?kind=share_record_disputed").get_json()
        done = alert["resolved"]
        assert (done["by"], done["outcome"], done["note"], done["cause"]) == ("asha-admin", outcome, "Weighed again",
                                                                               event.event_id), done
        handle(event)  # a replay: nothing more
        assert client.get("/api/v1/alerts?kind=share_record_disputed").get_json() == [alert]
        said = set()
        for lang in ("en", "hi"):
            client.set_cookie(LANG_COOKIE, lang)
            html = client.get("/admin/alerts?status=resolved").get_data(as_text=True)
            shown = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(
                r'data-f="resolved">(.*?)</p>', html, re.S).group(1))))
            assert all(w in shown for w in words[lang]) and "Weighed again" in shown, (lang, shown)
            assert "by itself" not in shown and "अपने-आप" not in shown
            said.add(shown)
            board = re.search(r'<script id="board-data" type="application/json">(.*?)</script>', html, re.S).group(1)
            assert '"upheld": ' in board and '"rejected": ' in board  # the live board's words, in the page's language
        assert len(said) == 2
    finally:
        runtime.close()


@pytest.mark.parametrize("lang, recorded, settled", [
    ("en", "says what the depot clerk (store-vns) recorded at", "Settled by Asha Rai (asha-admin) on"),
    ("hi", "डिपो लिपिक (store-vns)", "आशा राय (asha-admin) ने")])
def test_the_dispute_card_names_who_recorded_and_who_settled_in_words_with_the_login(config, lang, recorded, settled):
    """The card named the depot's clerk and the admin by their logins alone. The events now say who they are
    (`recorded_by_person`, `settled_by_person`): the board (staff) reads the display name or the role in words, the
    login after it, on the server-rendered card and in what the live board's script is given (`by_words`)."""
    runtime, handle = started(config)
    try:
        handle(new_event("ShareRecordDisputed", REQ, {
            "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS", "lines": LINES,
            "short": False, "recorded_by": "store-vns", "recorded_by_person": {"role": "warehouse"},
            "recorded_at": "2026-12-04T10:00:00+00:00", "note": "I got 6 kg",
            "disputed_at": "2026-12-05T10:00:00+00:00"}, source="requests"))
        client = create_app(config, runtime).test_client()
        client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="admin", role="admin"))
        client.set_cookie(LANG_COOKIE, lang)
        [alert] = client.get("/api/v1/alerts?kind=share_record_disputed").get_json()
        assert recorded in alert["text"][lang], alert["text"]
        assert recorded in unescape(client.get("/admin/alerts").get_data(as_text=True))
        handle(new_event("ShareDisputeSettled", REQ, {
            "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS", "outcome": "upheld",
            "note": "Weighed again", "settled_by": "asha-admin", "settled_at": "2026-12-06T10:00:00+00:00",
            "settled_by_person": {"role": "admin", "name": "Asha Rai", "name_hi": "आशा राय"},
            "disputed_at": "2026-12-05T10:00:00+00:00", "recorded_by": "store-vns", "short": True,
            "lines": [{"sku": "YRN-COT-40", "quantity": 10_000, "recorded": 10_000, "received": 6_000}]},
            source="requests"))
        [alert] = client.get("/api/v1/alerts?kind=share_record_disputed").get_json()
        assert alert["resolved"]["by"] == "asha-admin"
        assert settled.replace("Settled by ", "").split(" on")[0].split(" ने")[0] == alert["resolved"]["by_words"][lang]
        html = client.get("/admin/alerts?status=resolved").get_data(as_text=True)
        shown = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(
            r'data-f="resolved">(.*?)</p>', html, re.S).group(1))))
        assert settled in shown, shown
    finally:
        runtime.close()
