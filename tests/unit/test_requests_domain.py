"""The requisition status machine, inventory answers in any order, and quota arithmetic."""
from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st

from services.requests import domain as d
from services.requests.domain import Requisition, StockEvent


def ev(kind, at, position=None, event_id=None, reason=""):
    return StockEvent(event_id or f"{kind}-{at}", kind, f"2026-11-22T10:00:{at:02d}.000Z", position, reason)


def act(req, action, role="admin"):
    return d.act(req, action, role=role, by="someone", at="2026-11-22T10:00:00.000Z").requisition


def run(req, events):
    for event in events:
        req = d.on_stock(req, event).requisition
    return req


LEGAL = [(d.SUBMITTED, "approve", d.APPROVED), (d.SUBMITTED, "reject", d.REJECTED),
         (d.SUBMITTED, "cancel", d.CANCELLED), (d.APPROVED, "cancel", d.CANCELLED),
         (d.WAITLISTED, "cancel", d.CANCELLED), (d.RESERVED, "cancel", d.CANCELLED),
         (d.RESERVED, "dispatch", d.DISPATCHED), (d.DISPATCHED, "receive", d.RECEIVED)]


@pytest.mark.parametrize("status,action,target", LEGAL)
def test_legal_actions(status, action, target):
    change = d.act(Requisition(status), action, role="admin", by="asha", at="t", reason="why")
    assert change.requisition.status == target
    assert change.history == ({"status": target, "by": "asha", "at": "t", "reason": "why", "event_id": None},)
    assert change.emits == d.ACTIONS[action][2]


@pytest.mark.parametrize("status,action", [(s, a) for s in d.STATUSES for a in d.ACTIONS
                                           if (s, a) not in {(x, y) for x, y, _ in LEGAL}])
def test_every_other_action_is_illegal_and_names_the_status(status, action):
    with pytest.raises(d.IllegalTransition) as caught:
        d.act(Requisition(status), action, role="admin", by="a", at="t")
    assert caught.value.status == status


@pytest.mark.parametrize("role,action", [("artisan", "approve"), ("secretary", "reject"),
                                         ("artisan", "dispatch"), ("warehouse", "cancel"),
                                         ("warehouse", "approve")])
def test_roles(role, action):
    with pytest.raises(d.NotAllowed):
        d.act(Requisition(d.SUBMITTED), action, role=role, by="a", at="t")


def test_answers_before_the_approval_wait_for_it():
    req = run(Requisition(d.SUBMITTED), [ev("StockWaitlisted", 1, 2), ev("StockReserved", 2)])
    assert req.status == d.SUBMITTED and len(req.parked) == 2
    change = d.act(req, "approve", role="admin", by="asha", at="t")
    assert change.requisition.status == d.RESERVED and change.requisition.parked == ()
    assert [h["status"] for h in change.history] == [d.APPROVED, d.WAITLISTED, d.RESERVED]


def test_nothing_resurrects_a_cancelled_requisition():
    req = act(act(Requisition(d.SUBMITTED), "approve"), "cancel", role="artisan")
    req = run(req, [ev("StockReserved", 1), ev("StockWaitlisted", 2, 1), ev("StockReleased", 3)])
    assert (req.status, req.stock) == (d.CANCELLED, "released")


def test_reservation_failure_rejects_and_returns_quota():
    change = d.on_stock(Requisition(d.WAITLISTED, 3), ev("StockReservationFailed", 1, reason="no such sku"))
    assert change.requisition.status == d.REJECTED and change.returns_quota
    assert change.history[0]["reason"] == "no such sku"


def test_waitlist_position_only_moves_forward_in_time():
    req = run(Requisition(d.APPROVED), [ev("StockWaitlisted", 5, 2), ev("StockWaitlisted", 3, 4)])
    assert (req.status, req.waitlist_position) == (d.WAITLISTED, 2)


WAITLIST_THEN_RESERVED = [ev("StockWaitlisted", 1, 3), ev("StockWaitlisted", 2, 1), ev("StockReserved", 3)]


@pytest.mark.parametrize("order", list(itertools.permutations(WAITLIST_THEN_RESERVED)))
def test_any_delivery_order_ends_reserved(order):
    req = run(Requisition(d.APPROVED), order)
    assert (req.status, req.waitlist_position) == (d.RESERVED, None)


@given(st.lists(st.sampled_from(WAITLIST_THEN_RESERVED + [ev("StockIssued", 9)]), min_size=1, max_size=8),
       st.booleans())
def test_duplicates_and_order_never_go_backwards(events, approve_first):
    req = Requisition(d.APPROVED if approve_first else d.SUBMITTED)
    req = run(req, events)
    if not approve_first:
        req = d.act(req, "approve", role="admin", by="a", at="t").requisition
    reserved = any(e.type == "StockReserved" for e in events)
    assert req.status == (d.RESERVED if reserved else d.WAITLISTED if any(
        e.type == "StockWaitlisted" for e in events) else d.APPROVED)
    if req.status == d.WAITLISTED:
        assert req.waitlist_position == min(e.position for e in events if e.type == "StockWaitlisted")


def test_month_turns_over_at_midnight_in_india():
    assert d.month_of(datetime(2026, 1, 31, 18, 29, tzinfo=timezone.utc)) == "2026-01"
    assert d.month_of(datetime(2026, 1, 31, 18, 30, tzinfo=timezone.utc)) == "2026-02"


def test_caps_per_loom_and_the_exact_boundary():
    assert d.cap_for(30_000, True, 3) == 90_000 and d.cap_for(30_000, False, 3) == 30_000
    assert d.over_cap({"yarn": 30_000}, {"yarn": 20_000}, {"yarn": 10_000}) == []
    [excess] = d.over_cap({"yarn": 30_000}, {"yarn": 20_000}, {"yarn": 10_001, "dye": 99})
    assert (excess.category, excess.cap, excess.used, excess.left, excess.requested) == (
        "yarn", 30_000, 20_000, 10_000, 10_001)
    assert d.totals_by_category([("yarn", 1), ("dye", 2), ("yarn", 3)]) == {"yarn": 4, "dye": 2}


def test_auto_approve_size():
    assert d.may_auto_approve([1000, 5000], 5000)
    assert not d.may_auto_approve([1000, 5001], 5000)
    assert not d.may_auto_approve([1], None)
