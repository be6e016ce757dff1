"""An inventory answer read after requests' last word on a requisition (the two topics are not ordered with each
other) tells the artisan nothing: no "reserved" SMS after "cancelled", whatever order the notifier reads them in."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.notifier import deliveries, handlers
from shared.envelope import new_event
from shared.mongo import connect

REQ, ARTISAN, LINES = "req-late-1", "ART-1", [{"sku": "YRN", "quantity": 1000}]


@pytest.fixture
def db():
    return connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]


def from_requests(type_: str):
    return new_event(type_, REQ, {"requisition_id": REQ, "artisan_id": ARTISAN, "depot": "VNS", "lines": LINES,
                                  "by": "admin"}, source="requests")


def from_inventory(type_: str, **extra):
    return new_event(type_, REQ, {"requisition_id": REQ, "depot": "VNS", "lines": LINES, **extra},
                     source="inventory")


def told(db) -> list[str]:
    return sorted(doc["status"] for doc in db.notifications.find({"artisan_id": ARTISAN}))


@pytest.mark.parametrize("last_word", ["RequisitionCancelled", "RequisitionDispatched"])
@pytest.mark.parametrize("answer", [("StockReserved", {}), ("StockWaitlisted", {"position": 2}),
                                    ("StockReservationFailed", {"reason": "unknown_material: YRN"})])
def test_an_answer_read_after_the_requisition_ended_is_not_told(db, config, last_word, answer):
    late = from_inventory(answer[0], **answer[1])
    for event in (from_requests("RequisitionApproved"), from_requests(last_word), late, late):
        handlers.apply(db, config, event)
    ended = "cancelled" if last_word == "RequisitionCancelled" else "dispatched"
    assert told(db) == sorted(["approved", ended])
    deliveries.expand(db, datetime.now(timezone.utc))
    texted = {db.notifications.find_one({"_id": d["source"]["id"]})["status"]
              for d in db.deliveries.find({"channel": "sms"})}
    assert texted == {"approved", ended}


def test_answers_read_in_their_own_order_are_all_told(db, config):
    for event in (from_requests("RequisitionApproved"), from_inventory("StockWaitlisted", position=1),
                  from_inventory("StockReserved"), from_requests("RequisitionDispatched")):
        handlers.apply(db, config, event)
    assert told(db) == sorted(["approved", "waitlisted", "reserved", "dispatched"])
