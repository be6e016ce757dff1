"""Requisitions over HTTP: submit, the status machine, history, idempotency, events in the outbox."""
from __future__ import annotations

from tests.integration.test_requests_support import client  # noqa: F401  (fixture)


def test_submit_approve_and_history(client):
    client.register("ART-1")
    me = client.artisan("ART-1")
    req = client.submit(me, [("YRN-COT-40", "12.5"), ("DYE-INDIGO", 2)], note="for 2 saris")
    assert req["status"] == "submitted" and req["artisan_id"] == "ART-1"
    assert req["lines"][0] == {"sku": "YRN-COT-40", "quantity": "12.5", "category": "yarn", "unit": "kg"}
    approved = client.act(req["id"], "approve", client.admin(), reason="ok")
    assert approved["status"] == "approved" and approved["approved_by"] == "asha-admin"
    assert [(h["status"], h["by"]) for h in approved["history"]] == [
        ("submitted", "user-ART-1"), ("approved", "asha-admin")]
    doc = client.db.requisitions.find_one({"_id": req["id"]})
    assert [e["type"] for e in doc["outbox"]] == ["RequisitionSubmitted", "RequisitionApproved"]
    assert doc["outbox"][0]["payload"]["lines"] == [{"sku": "YRN-COT-40", "quantity": "12.5"},
                                                    {"sku": "DYE-INDIGO", "quantity": "2"}]
