"""The reservation saga through the consumer's handler, on the embedded store (no broker needed)."""
import pytest

from services.inventory import movements, queries
from services.inventory.consumer import make_handler
from shared.errors import Inapplicable
from tests.integration.test_inventory_support import (check_invariants, dated_receipt, db, outbox_types,  # noqa: F401
                                                      requisition)


def receive(db, sku, quantity, depot="VNS"):
    """A receipt; a dye's new lot gives an expiry date far ahead (expiry_required), as a label would."""
    body = {"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity}
    movements.record_movement(db, dated_receipt(body), by="test")


def status(db, rid):
    return db.reservations.find_one({"_id": rid})["status"]


@pytest.fixture
def handle(db, config):
    return make_handler(db, config)


def test_all_lines_are_held_in_one_requisition_and_a_duplicate_changes_nothing(db, handle):
    receive(db, "YRN", 10_000)
    receive(db, "DYE", 2_000)
    approved = requisition("RequisitionApproved", "R1", [("YRN", 4_000), ("DYE", 500), ("YRN", 1_000)])
    handle(approved)
    handle(approved)
    assert status(db, "R1") == "held"
    view = queries.get_reservation(db, "R1")
    assert {(l["sku"], l["quantity"], l["held"]) for l in view["lines"]} == {("YRN", 5_000, 5_000),
                                                                              ("DYE", 500, 500)}
    assert outbox_types(db, "reservations", "R1") == ["StockReserved"]
    assert queries.get_stock(db, "VNS", "YRN")["reserved"] == 5_000
    check_invariants(db)


def test_short_stock_holds_nothing_and_waitlists_in_order_then_retries_when_stock_arrives(db, handle):
    receive(db, "YRN", 10_000)
    receive(db, "DYE", 100)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000), ("DYE", 500)]))
    handle(requisition("RequisitionApproved", "R2", [("YRN", 3_000)]))   # behind R1: same material
    handle(requisition("RequisitionApproved", "R3", [("BRS", 1_000)]))   # nothing in common: not blocked
    assert [status(db, r) for r in ("R1", "R2", "R3")] == ["waitlisted", "waitlisted", "waitlisted"]
    assert queries.get_stock(db, "VNS", "YRN")["reserved"] == 0          # R1's yarn line was given back
    positions = [db.reservations.find_one({"_id": r})["outbox"][0]["payload"]["position"] for r in ("R1", "R2")]
    assert positions == [1, 2]
    assert queries.get_reservation(db, "R2")["position"] == 2
    check_invariants(db)

    receive(db, "DYE", 1_000)
    [received] = [e for e in db.stock.find_one({"_id": "VNS/DYE"})["outbox"] if e["type"] == "StockReceived"][-1:]
    handle(_event(received))                                             # the consumer sees the receipt
    assert [status(db, r) for r in ("R1", "R2")] == ["held", "held"]
    assert outbox_types(db, "reservations", "R1") == ["StockWaitlisted", "StockReserved"]
    check_invariants(db)


def test_a_later_request_may_not_take_stock_an_earlier_waitlisted_one_needs(db, handle):
    receive(db, "YRN", 5_000)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 8_000)]))
    handle(requisition("RequisitionApproved", "R2", [("YRN", 1_000)]))
    assert (status(db, "R1"), status(db, "R2")) == ("waitlisted", "waitlisted")
    receive(db, "YRN", 2_000)
    handle(_last_receipt(db, "VNS/YRN"))
    assert (status(db, "R1"), status(db, "R2")) == ("waitlisted", "waitlisted")  # 7 < 8: R2 still waits
    receive(db, "YRN", 2_000)
    handle(_last_receipt(db, "VNS/YRN"))
    assert (status(db, "R1"), status(db, "R2")) == ("held", "held")
    check_invariants(db)


def test_cancel_releases_and_dispatch_issues(db, handle):
    receive(db, "YRN", 10_000)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))
    handle(requisition("RequisitionApproved", "R2", [("YRN", 3_000)]))
    cancel = requisition("RequisitionCancelled", "R1", [("YRN", 4_000)])
    handle(cancel)
    handle(cancel)
    dispatch = requisition("RequisitionDispatched", "R2", [("YRN", 3_000)])
    handle(dispatch)
    handle(dispatch)
    assert (status(db, "R1"), status(db, "R2")) == ("released", "issued")
    stock = queries.get_stock(db, "VNS", "YRN")
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (7_000, 0, 7_000)
    assert outbox_types(db, "reservations") == ["StockReserved", "StockReleased", "StockReserved", "StockIssued"]
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))   # a late duplicate: still released
    assert status(db, "R1") == "released"
    entries = [(m["type"], m["requisition_id"], m["quantity"], m["reserved_change"], m["by"])
               for m in db.movements.find({"requisition_id": {"$exists": True}}).sort("_id", 1)]
    assert entries == [("reservation", "R1", 0, 4_000, "admin"), ("reservation", "R2", 0, 3_000, "admin"),
                       ("release", "R1", 0, -4_000, "admin"), ("issue", "R2", -3_000, -3_000, "admin")]
    check_invariants(db)


def test_cancel_before_approve_leaves_a_tombstone_and_nothing_is_ever_held(db, handle):
    receive(db, "YRN", 10_000)
    handle(requisition("RequisitionCancelled", "R1", [("YRN", 4_000)]))
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))
    assert status(db, "R1") == "cancelled"
    assert queries.get_stock(db, "VNS", "YRN")["reserved"] == 0
    assert outbox_types(db, "reservations") == []
    check_invariants(db)


def test_events_that_can_never_apply_are_permanent_or_fail_visibly(db, handle):
    receive(db, "YRN", 10_000)
    with pytest.raises(Inapplicable):
        handle(requisition("RequisitionDispatched", "R9", [("YRN", 1_000)]))    # never approved
    handle(requisition("RequisitionApproved", "R1", [("YRN", 8_000)]))
    handle(requisition("RequisitionApproved", "R2", [("YRN", 8_000)]))
    with pytest.raises(Inapplicable):
        handle(requisition("RequisitionDispatched", "R2", [("YRN", 8_000)]))    # waitlisted, not held
    with pytest.raises(Inapplicable):
        handle(requisition("RequisitionApproved", "R.1", [("YRN", 1_000)]))     # not a usable id
    handle(requisition("RequisitionApproved", "R3", [("NOPE", 1_000)]))
    handle(requisition("RequisitionApproved", "R4", [("YRN", 1_000)], depot="ZZZ"))
    assert (status(db, "R3"), status(db, "R4")) == ("failed", "failed")
    failed = db.reservations.find_one({"_id": "R3"})["outbox"][0]
    assert failed["type"] == "StockReservationFailed" and failed["payload"]["reason"] == "unknown_material: NOPE"
    check_invariants(db)


def test_level_events_once_per_crossing_not_per_movement(db, handle):
    receive(db, "YRN", 10_000)                          # reorder level 5: the first record raises nothing
    for n in range(1, 5):                               # 10 -> 8 -> 6 -> 4 (low) -> 2 (still low)
        handle(requisition("RequisitionApproved", f"R{n}", [("YRN", 2_000)]))
    handle(requisition("RequisitionApproved", "R5", [("YRN", 2_000)]))  # 0: depleted
    receive(db, "YRN", 1_000)                           # 1: low again
    receive(db, "YRN", 9_000)                           # 10: replenished
    levels = [t for t in outbox_types(db, "stock", "VNS/YRN") if t not in ("StockReceived",)]
    assert levels == ["StockLow", "StockDepleted", "StockLow", "StockReplenished"]
    check_invariants(db)


def test_transfer_event_applies_the_destination_leg_once_however_often_it_arrives(db, handle):
    from shared.envelope import new_event
    receive(db, "YRN", 10_000)
    event = new_event("StockTransferred", "VNS/YRN", {
        "movement_id": "m-lost-after-the-source-leg", "sku": "YRN", "depot": "VNS", "to_depot": "BHD",
        "quantity": 3_000, "by": "w"}, source="inventory")
    for _ in range(3):
        handle(event)
    assert queries.get_stock(db, "BHD", "YRN")["on_hand"] == 3_000
    assert db.movements.count_documents({"depot": "BHD"}) == 1


def _last_receipt(db, stock_id):
    return _event([e for e in db.stock.find_one({"_id": stock_id})["outbox"] if e["type"] == "StockReceived"][-1])


def _event(raw):
    from shared.envelope import decode_event
    return decode_event({k: v for k, v in raw.items()})
