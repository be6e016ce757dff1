"""order_rules: a return from another depot than the order's lowers the order's line once, never below nothing."""
from services.inventory import domain, order_rules


def stock(received=5_000, ordered=12_000):
    line = order_rules.OrderLine(ordered=ordered, limit=ordered, received=received)
    return domain.Stock(sku="DYE", depot="VNS", reorder_level=0, lots=(), orders={"PO-1": line},
                        on_order=line.remaining)


def test_a_return_from_another_depot_counts_once_by_its_movement_id():
    once = order_rules.returned_on_line(stock(), 1_000, "PO-1", "m1")
    assert (once.orders["PO-1"].received, once.on_order, once.orders["PO-1"].counted) == (4_000, 8_000, ("m1",))
    assert order_rules.returned_on_line(once, 1_000, "PO-1", "m1") == once  # asked again: nothing more
    twice = order_rules.returned_on_line(once, 1_000, "PO-1", "m2")
    assert (twice.orders["PO-1"].received, twice.orders["PO-1"].counted) == (3_000, ("m1", "m2"))
    assert order_rules.returned_on_line(stock(), 9_000, "PO-1", "m3").orders["PO-1"].received == 0
    assert order_rules.returned_on_line(stock(), 1_000, "PO-2", "m4") == stock()  # not this stock's order


def test_a_line_is_stored_and_read_back_the_same_with_or_without_counted_returns():
    plain = stock().orders["PO-1"]
    assert "counted" not in order_rules.line_doc(plain)  # lines as stored before stay as they were
    counted = order_rules.returned_on_line(stock(), 1_000, "PO-1", "m1").orders["PO-1"]
    assert order_rules.line_doc(counted)["counted"] == ["m1"]
    for line in (plain, counted):
        assert order_rules.line_from(order_rules.line_doc(line)) == line
