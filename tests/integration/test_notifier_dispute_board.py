"""The alert board leads an admin from a disputed depot record to the request's page, where the dispute is settled;
the settlement (ShareDisputeSettled, delivered twice) resolves the alert once."""
from __future__ import annotations

import re

from services.notifier import create_app
from shared.auth import COOKIE, issue_token
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
