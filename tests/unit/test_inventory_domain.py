"""Inventory rules without any store: levels, crossings, movements and holds."""
import pytest

from services.inventory import domain
from services.inventory.domain import DEPLETED, LOW, OK, InsufficientStock, Stock, StockError


def stock(on_hand=10_000, reserved=0, reorder=5_000, level="ok", holds=None):
    return Stock(sku="Y", depot="VNS", reorder_level=reorder, on_hand=on_hand, reserved=reserved,
                 level=level, holds=holds or {})


@pytest.mark.parametrize("available, reorder, level", [
    (0, 5, DEPLETED), (-1, 5, DEPLETED), (1, 5, LOW), (4, 5, LOW), (5, 5, OK), (0, 0, DEPLETED), (1, 0, OK)])
def test_level_of(available, reorder, level):
    assert domain.level_of(available, reorder) == level


def test_crossings_are_raised_once_and_only_when_the_level_changes():
    ok = domain.settle_level(stock())
    low = domain.hold(ok, "R1", 6_000)
    assert domain.crossing(ok, low) == "StockLow"
    lower = domain.hold(low, "R2", 1_000)
    assert domain.crossing(low, lower) is None          # still low: no second alert
    empty = domain.hold(lower, "R3", 3_000)
    assert domain.crossing(lower, empty) == "StockDepleted"
    back = domain.receive(empty, 20_000)
    assert domain.crossing(empty, back) == "StockReplenished"
    assert domain.crossing(Stock("Y", "VNS", 5_000), back) is None  # first record: nothing crossed


def test_adjustments_need_a_reason_and_never_go_below_available():
    held = domain.hold(stock(), "R1", 8_000)
    with pytest.raises(InsufficientStock) as info:
        domain.adjust(held, -3_000, "damage")
    assert (info.value.available, info.value.wanted) == (2_000, 3_000)
    assert domain.adjust(held, -2_000, "damage").available == 0
    assert domain.adjust(held, 500, "count").on_hand == 10_500
    with pytest.raises(StockError):
        domain.adjust(held, 1, "gift")
    with pytest.raises(StockError):
        domain.adjust(held, 0, "count")


def test_transfer_out_takes_only_available_stock():
    held = domain.hold(stock(), "R1", 8_000)
    with pytest.raises(InsufficientStock):
        domain.transfer_out(held, 2_001)
    assert domain.transfer_out(held, 2_000).on_hand == 8_000
    with pytest.raises(StockError):
        domain.transfer_out(held, 0)


def test_hold_release_and_issue_are_idempotent():
    held = domain.hold(stock(), "R1", 4_000)
    assert (held.reserved, held.available, held.holds) == (4_000, 6_000, {"R1": 4_000})
    assert domain.hold(held, "R1", 4_000) is held           # a second hold for R1 changes nothing
    assert domain.hold(held, "R1", 9_000) is held
    with pytest.raises(InsufficientStock):
        domain.hold(held, "R2", 6_001)
    released = domain.release(held, "R1")
    assert (released.reserved, released.holds) == (0, {})
    assert domain.release(released, "R1") is released
    issued = domain.issue(held, "R1")
    assert (issued.on_hand, issued.reserved, issued.holds) == (6_000, 0, {})
    assert domain.issue(issued, "R1") is issued


def test_receipts_must_be_positive():
    with pytest.raises(StockError):
        domain.receive(stock(), 0)


def test_lines_are_merged_per_sku_in_a_stable_order():
    lines = [{"sku": "B", "quantity": 2}, {"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 3}]
    assert domain.merge_lines(lines) == [("A", 1), ("B", 5)]
    with pytest.raises(StockError):
        domain.merge_lines([{"sku": "A", "quantity": 0}])


def test_a_depot_holds_no_more_than_an_event_carries():
    from shared.quantity import MAX_QUANTITY
    assert domain.MAX_STOCK == MAX_QUANTITY
    full = stock(on_hand=domain.MAX_STOCK - 1_000)
    assert domain.within_limit(full, domain.receive(full, 1_000)).on_hand == domain.MAX_STOCK
    with pytest.raises(domain.Refused) as refused:
        domain.within_limit(full, domain.receive(full, 1_001))
    assert refused.value.code == "stock_too_large" and refused.value.details["largest"] == domain.MAX_STOCK
    past = stock(on_hand=domain.MAX_STOCK * 2)
    assert domain.within_limit(past, domain.hold(past, "R1", 1)).holds == {"R1": 1}  # on hand unchanged
    with pytest.raises(domain.Refused):
        domain.room_for(full, "Y", "VNS", 1_001)
    domain.room_for(None, "Y", "VNS", domain.MAX_STOCK)
