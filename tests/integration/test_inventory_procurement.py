"""Suppliers and purchase orders over HTTP: statuses, receipts naming their order, over-receipt, lateness, crashes."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from services.inventory import clock, create_app, ledger, purchase_orders, suppliers, watch
from services.inventory.consumer import make_handler
from shared.auth import COOKIE, issue_token
from shared.envelope import decode_event
from shared.i18n import LANG_COOKIE
from shared.reconcile import check, facts_of
from tests.integration.test_inventory_support import inventory_api, check_invariants, dated, runtime  # noqa: F401
MILL = {"code": "MILL-SRM", "name": "Sri Ram Mills", "district": "Salem", "gstin": "33AAACS1234F1Z5",
        "tolerance_percent": 5}


class Killed(BaseException):
    """Stands for the process dying right there."""


@pytest.fixture
def api(inventory_api):
    inventory_api("POST", "/suppliers", MILL, status=201)
    return inventory_api


def order(api, lines=(("YRN", "100", "245.50"),), depot="VNS", send=True, **extra):
    body = {"supplier": "MILL-SRM", "depot": depot, "expected_on": "2099-01-31",
            "lines": [{"sku": s, "quantity": q, "price": p} for s, q, p in lines], **extra}
    number = api("POST", "/purchase-orders", body, status=201)["purchase_order"]
    if send:
        api("POST", f"/purchase-orders/{number}/send", status=200)
    return number


def receipt(api, number, quantity, sku="YRN", depot="VNS", lot=None, status=201, **kw):
    body = {"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity, "purchase_order": number}
    if lot is not None:
        body["lot"] = lot
    return api("POST", "/movements", body, role="warehouse", depot=depot, status=status, **kw)


def test_suppliers_are_registered_listed_and_refused_when_wrong(api):
    assert api("GET", "/suppliers/MILL-SRM", role="warehouse")["tolerance_percent"] == 5
    assert api("POST", "/suppliers", MILL, status=409)["error"]["code"] == "already_exists"
    bad = api("POST", "/suppliers", {**MILL, "code": "X1", "gstin": "12345"}, status=400, lang="hi")["error"]
    assert "gstin" in bad["details"] and "GSTIN" in bad["details"]["gstin"][0]
    api("PATCH", "/suppliers/MILL-SRM", {"active": False}, status=200)
    refused = api("POST", "/purchase-orders", {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-01",
                                              "lines": [{"sku": "YRN", "quantity": "1", "price": "1"}]}, status=422)
    assert refused["error"]["code"] == "supplier_inactive"
    assert [s["code"] for s in api("GET", "/suppliers", role="warehouse")] == ["MILL-SRM"]
    assert api("GET", "/suppliers/NOPE", status=404)["error"]["message"] == \
        "No supplier with this code; register it first (POST /api/v1/suppliers)."  # the API's answer names the API


def test_a_draft_to_a_supplier_made_inactive_since_cannot_be_sent(api, runtime):
    """'active: false stops new orders to it': a draft raised before is not sent to it either (nothing goes on
    order at the depot); once active again it may be sent."""
    number, second = order(api, send=False), order(api, send=False)
    api("PATCH", "/suppliers/MILL-SRM", {"active": False}, status=200)
    refused = api("POST", f"/purchase-orders/{number}/send", status=422, lang="hi")["error"]
    assert refused["code"] == "supplier_inactive" and any("\u0900" <= ch <= "\u097f" for ch in refused["message"])
    assert api("GET", f"/purchase-orders/{number}")["status"] == "draft"
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "0"
    assert [e["type"] for e in runtime.db.purchase_orders.find_one({"_id": number})["outbox"]] == []
    api("POST", f"/purchase-orders/{number}/cancel", status=200)  # it may still be cancelled
    api("PATCH", "/suppliers/MILL-SRM", {"active": True}, status=200)
    assert api("POST", f"/purchase-orders/{second}/send", status=200)["status"] == "sent"


def test_a_supplier_naming_one_material_twice_is_refused_and_nothing_is_stored(api, runtime):
    """Two pack sizes or prices for one material: which one orders use cannot be told, so neither is taken."""
    twice = [{"sku": "YRN", "pack_size": "25", "price": "210"}, {"sku": "YRN", "pack_size": "10", "price": "190"}]
    refused = api("POST", "/suppliers", {**MILL, "code": "MILL-TWO", "items": twice}, status=400, lang="hi")["error"]
    assert refused["code"] == "validation_error" and list(refused["details"]) == ["items"]
    assert any("\u0900" <= ch <= "\u097f" for ch in str(refused["details"]["items"]))
    assert runtime.db.suppliers.find_one({"_id": "MILL-TWO"}) is None
    api("PATCH", "/suppliers/MILL-SRM", {"items": twice[:1]}, status=200)
    assert api("PATCH", "/suppliers/MILL-SRM", {"items": twice}, status=400)["error"]["details"] == \
        {"items": ["each material at most once"]}
    assert [(i["sku"], i["pack_size"]) for i in api("GET", "/suppliers/MILL-SRM")["items"]] == [("YRN", "25")]



def _hindi(text) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in str(text))


def test_an_admin_adds_changes_and_removes_one_material_price_of_a_supplier(api, runtime):
    """The suppliers' page could not give a supplier a price or pack size, so a supplier added there could never
    be ordered from suggestions: one material at a time is added, changed and removed; each refusal (a material
    the catalog lacks, a price of 0 or below, a material priced twice, one not priced) is said in both languages
    and changes nothing."""
    added = api("POST", "/suppliers/MILL-SRM/items", {"sku": "YRN", "price": "210", "pack_size": "25"}, status=201)
    assert added["code"] == "MILL-SRM" and added["items"] == [{"sku": "YRN", "pack_size": "25", "price": "210.00"}]
    api("POST", "/suppliers/MILL-SRM/items", {"sku": "DYE", "price": "1,800.50"}, status=201)
    changed = api("PATCH", "/suppliers/MILL-SRM/items/YRN", {"price": "205.75", "pack_size": None}, status=200)
    assert changed["items"] == [{"sku": "YRN", "pack_size": None, "price": "205.75"},
                                {"sku": "DYE", "pack_size": None, "price": "1800.50"}]
    stored = runtime.db.suppliers.find_one({"_id": "MILL-SRM"})
    for lang in ("en", "hi"):
        for body, status, code, field in (
                ({"sku": "NOPE", "price": "10"}, 422, "unknown_material", None),
                ({"sku": "BRS", "price": "0"}, 400, "validation_error", "price"),
                ({"sku": "BRS", "price": "-5"}, 400, "validation_error", "price"),
                ({"sku": "BRS"}, 400, "validation_error", "price"),
                ({"sku": "YRN", "price": "99"}, 409, "supplier_item_exists", None)):
            error = api("POST", "/suppliers/MILL-SRM/items", body, status=status, lang=lang)["error"]
            assert error["code"] == code, (body, error)
            if field:
                assert list(error["details"]) == [field] and _hindi(error["details"]) == (lang == "hi"), error
            else:  # the material's Hindi name is Devanagari in either language: the words must be Hindi too
                assert ("कुछ नहीं बदला" in error["message"] or "पहले उसे दर्ज" in error["message"]) == (lang == "hi")
                assert "{" not in error["message"], error
        refused = api("PATCH", "/suppliers/MILL-SRM/items/YRN", {"price": "0"}, status=400, lang=lang)["error"]
        assert list(refused["details"]) == ["price"] and _hindi(refused["details"]) == (lang == "hi")
        for method, body in (("PATCH", {"price": "5"}), ("DELETE", None)):
            missing = api(method, "/suppliers/MILL-SRM/items/BRS", body, status=404, lang=lang)["error"]
            assert missing["code"] == "unknown_supplier_item" and ("कुछ नहीं बदला" in missing["message"]) == (
                lang == "hi"), missing
    twice = api("POST", "/suppliers/MILL-SRM/items", {"sku": "YRN", "price": "99"}, status=409)["error"]
    assert twice["message"].startswith("Sri Ram Mills already has a price for YRN material;"), twice
    assert runtime.db.suppliers.find_one({"_id": "MILL-SRM"}) == stored  # nothing changed by any refusal
    api("POST", "/suppliers/NOPE/items", {"sku": "YRN", "price": "1"}, status=404)
    assert api("DELETE", "/suppliers/MILL-SRM/items/YRN", status=200)["items"] == [
        {"sku": "DYE", "pack_size": None, "price": "1800.50"}]
    for role in ("warehouse",):
        api("POST", "/suppliers/MILL-SRM/items", {"sku": "YRN", "price": "1"}, role=role, depot="VNS", status=403)


def test_a_whole_list_of_prices_with_an_unknown_material_or_no_price_above_zero_is_refused(api, runtime):
    """The whole list (POST /suppliers, PATCH items) took a price of ₹0, which a suggested order would carry, and
    a material the catalog lacks, which no order can use: both refused, nothing stored."""
    stored = runtime.db.suppliers.find_one({"_id": "MILL-SRM"})
    for items, status, code in (([{"sku": "YRN", "price": "0"}], 400, "validation_error"),
                                ([{"sku": "NOPE", "price": "10"}], 422, "unknown_material")):
        assert api("PATCH", "/suppliers/MILL-SRM", {"items": items}, status=status)["error"]["code"] == code
        assert api("POST", "/suppliers", {**MILL, "code": "MILL-NEW", "items": items},
                   status=status)["error"]["code"] == code
    assert runtime.db.suppliers.find_one({"_id": "MILL-SRM"}) == stored
    assert runtime.db.suppliers.find_one({"_id": "MILL-NEW"}) is None

@pytest.mark.parametrize("line, status, code", [
    ({"sku": "NOPE", "quantity": "1", "price": "1"}, 422, "unknown_material"),
    ({"sku": "YRN", "quantity": "0", "price": "1"}, 400, "validation_error"),
    ({"sku": "YRN", "quantity": "-3", "price": "1"}, 400, "validation_error"),
    ({"sku": "YRN", "quantity": "1", "price": "-1"}, 400, "validation_error"),
    ({"sku": "YRN", "quantity": "1", "price": "1.234"}, 400, "validation_error"),
])
def test_a_bad_order_line_is_refused_and_nothing_is_stored(api, runtime, line, status, code):
    body = {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-01", "lines": [line]}
    error = api("POST", "/purchase-orders", body, status=status, lang="hi")["error"]
    assert error["code"] == code and any("\u0900" <= ch <= "\u097f" for ch in error["message"])
    assert runtime.db.purchase_orders.count_documents({}) == 0


def test_an_inactive_material_or_a_repeated_line_cannot_be_ordered(api):
    api("PATCH", "/materials/DYE", {"active": False}, status=200)
    assert api("POST", "/purchase-orders", {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-01",
                                            "lines": [{"sku": "DYE", "quantity": "1", "price": "1"}]},
               status=422)["error"]["code"] == "inactive_material"
    twice = [{"sku": "YRN", "quantity": "1", "price": "1"}] * 2
    assert api("POST", "/purchase-orders", {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-01",
                                            "lines": twice}, status=400)["error"]["code"] == "validation_error"


def test_an_order_goes_draft_sent_partially_received_received(api, runtime):
    number = order(api, send=False)
    assert receipt(api, number, "10", status=409)["error"]["code"] == "purchase_order_not_sent"
    api("PATCH", f"/purchase-orders/{number}", {"expected_on": "2099-02-01"}, status=200)
    sent = api("POST", f"/purchase-orders/{number}/send", status=200)
    assert sent["status"] == "sent" and sent["lines"][0]["limit"] == "105"
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "100"
    assert api("POST", f"/purchase-orders/{number}/send", status=409)["error"]["code"] == "purchase_order_status"
    api("PATCH", f"/purchase-orders/{number}", {"note": "late"}, status=409)
    receipt(api, number, "60", lot={"code": "A", "shade": "indigo-2"})
    got = api("GET", f"/purchase-orders/{number}", role="warehouse")
    assert (got["status"], got["lines"][0]["received"], got["lines"][0]["remaining"]) == ("partially_received", "60", "40")
    assert [r["lot"] for r in got["receipts"]] == ["A"]
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "40"
    receipt(api, number, "40", lot="B")
    assert api("GET", f"/purchase-orders/{number}")["status"] == "received"
    assert api("GET", "/purchase-orders?status=received")[0]["purchase_order"] == number
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "0"
    check_invariants(runtime.db)


def test_low_and_out_of_stock_and_receipts_say_what_is_on_order_at_the_depot(api, runtime):
    """A low-stock alert stayed open though 20 kg was on a sent order, saying nothing of it, so an admin might order
    again: the crossing events carry `on_order` (what the stock keeps), and a receipt says what is still to come."""
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "8"}, status=201)
    number = order(api, lines=(("YRN", "20", "245.50"),))
    for _ in range(2):  # 8 kg -> 4 kg (below the reorder level of 5 kg) -> nothing
        api("POST", "/movements", {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-4",
                                   "reason": "damage"}, status=201)
    receipt(api, number, "3")
    receipt(api, number, "17")
    events = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
              if e["type"] in ("StockLow", "StockDepleted", "StockReplenished", "StockReceived")]
    assert [(e.type, e.data.get("on_order")) for e in events] == [
        ("StockReceived", 0), ("StockLow", 20_000), ("StockDepleted", 20_000), ("StockReceived", 17_000),
        ("StockLow", 17_000), ("StockReceived", 0), ("StockReplenished", None)]
    check_invariants(runtime.db)


def test_each_event_of_a_stock_carries_the_stocks_version_after_its_write(api, runtime):
    """The notifier ordered one stock's events by their time, but the processes writing the stock may disagree on
    the clock or write in the same millisecond: each event keyed by the stock carries the stock's version after the
    write that emitted it (the same for one write's events, higher for each later write)."""
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "8"}, status=201)
    number = order(api, lines=(("YRN", "20", "245.50"),))
    api("POST", "/movements", {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-4",
                               "reason": "damage"}, status=201)
    receipt(api, number, "3")
    doc = runtime.db.stock.find_one({"_id": "VNS/YRN"})
    said = [(e.type, e.data.get("stock_version")) for e in map(decode_event, doc["outbox"]) if e.key == "VNS/YRN"]
    assert [kind for kind, _ in said] == ["StockReceived", "OnOrderChanged", "StockAdjusted", "StockLow",
                                          "StockReceived", "StockReplenished"]
    versions = [version for _, version in said]
    assert 1 <= versions[0] < versions[1] < versions[2] == versions[3] < versions[4] == versions[5] == doc["version"]


def said_on_order(runtime, stock="VNS/YRN"):
    """What the stock's events said was on order, in order: (type, on_order) of each event that says it."""
    events = [decode_event(e) for e in runtime.db.stock.find_one({"_id": stock})["outbox"]]
    return [(e.type, e.data["on_order"]) for e in events if e.data.get("on_order") is not None]


def test_sending_cancelling_or_closing_an_order_says_what_is_on_order_in_the_stocks_own_events(
        api, runtime, config):
    """An open low-stock alert kept the figure of its raising, as no event keyed by the stock said an order sent,
    cancelled or closed changed it. Now the write that changes it says it (OnOrderChanged, through the stock's
    outbox) unless another event of it does (a receipt); the consumer's repeats of the order's events say nothing."""
    first = order(api)
    second = order(api, lines=(("YRN", "20", "245.50"),))
    handle = make_handler(runtime.db, config)
    for event in [decode_event(e) for e in runtime.db.purchase_orders.find_one({"_id": first})["outbox"]] * 2:
        handle(event)  # the consumer reads the sending (twice): the line is on order already
    api("POST", f"/purchase-orders/{second}/cancel", status=200)
    receipt(api, first, "30")
    api("POST", f"/purchase-orders/{first}/close", status=200)
    for number in (first, second):
        for event in [decode_event(e) for e in runtime.db.purchase_orders.find_one({"_id": number})["outbox"]]:
            handle(event)  # the consumer finishing the sending, cancelling or closing again
    assert said_on_order(runtime) == [("OnOrderChanged", 100_000), ("OnOrderChanged", 120_000),
                                      ("OnOrderChanged", 100_000), ("StockReceived", 70_000), ("OnOrderChanged", 0)]
    check_invariants(runtime.db)
    assert [p for p in check(facts_of({"inventory": runtime.db})).problems if "outbox" not in p] == []


def test_over_receipt_is_refused_beyond_the_suppliers_tolerance_only(api, runtime):
    number = order(api)
    receipt(api, number, "100")
    receipt(api, number, "4")  # within 5 %
    error = receipt(api, number, "1.001", status=409)["error"]
    assert error["code"] == "over_receipt"
    assert error["details"] == {"purchase_order": number, "sku": "YRN", "ordered": "100", "received": "104",
                                "allowed": "1"}
    assert runtime.db.stock.find_one({"_id": "VNS/YRN"})["on_hand"] == 104_000
    assert "अधिक" in receipt(api, number, "2", status=409, lang="hi")["error"]["message"]
    check_invariants(runtime.db)


def test_a_dye_received_on_its_order_without_its_expiry_date_is_refused_and_the_order_is_unchanged(api, runtime):
    number = order(api, lines=(("DYE", "10", "1800.00"),))
    error = receipt(api, number, "4", sku="DYE", lot={"code": "IND-1"}, status=422, lang="hi")["error"]
    assert error["code"] == "expiry_required" and "समाप्ति तिथि" in error["message"]
    line = api("GET", f"/purchase-orders/{number}")["lines"][0]
    assert (line["received"], line["remaining"]) == ("0", "10")
    assert api("GET", "/stock/VNS/DYE")["on_hand"] == "0" and api("GET", "/stock/VNS/DYE")["on_order"] == "10"
    receipt(api, number, "4", sku="DYE", lot={"code": "IND-1", "expires_on": "2099-06-30"})
    assert api("GET", f"/purchase-orders/{number}")["lines"][0]["received"] == "4"
    check_invariants(runtime.db)


def test_over_receipt_names_the_material_as_people_know_it_in_their_language(api):
    """The refusal a storekeeper reads said "... still expects of YRN-COT-40": a code, in Hindi too. It names the
    material (its Hindi name in Hindi) and the quantities in its unit; the code stays in the details."""
    api("POST", "/materials", {"sku": "YRN-COT-40", "name": "Cotton yarn 40s", "name_hi": "सूती धागा 40s",
                               "category": "yarn", "unit": "kg", "reorder_level": "0"}, status=201)
    number = order(api, lines=(("YRN-COT-40", "100", "245.50"),))
    receipt(api, number, "104", sku="YRN-COT-40")
    english = receipt(api, number, "2", sku="YRN-COT-40", status=409)["error"]
    hindi = receipt(api, number, "2", sku="YRN-COT-40", status=409, lang="hi")["error"]
    for error in (english, hindi):
        assert error["code"] == "over_receipt" and error["details"]["sku"] == "YRN-COT-40"
        assert "YRN-COT-40" not in error["message"], error["message"]
    assert "Cotton yarn 40s" in english["message"] and "ordered 100 kg" in english["message"]
    assert "at most 1 kg more" in english["message"]
    assert "सूती धागा 40s" in hindi["message"] and "100 किलो" in hindi["message"]
    assert "Cotton yarn" not in hindi["message"] and " kg" not in hindi["message"]


def test_receipts_for_a_closed_cancelled_other_depot_or_missing_order_are_refused(api, runtime):
    closed = order(api)
    receipt(api, closed, "30")
    assert api("POST", f"/purchase-orders/{closed}/cancel", status=409)["error"]["code"] == "purchase_order_received"
    assert api("POST", f"/purchase-orders/{closed}/close", status=200)["status"] == "closed"
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "0"  # the remaining 70 kg are cancelled
    line = api("GET", f"/purchase-orders/{closed}")["lines"][0]  # and the order says so, as the stock does
    assert (line["received"], line["remaining"], line["cancelled"]) == ("30", "0", "70")
    assert receipt(api, closed, "1", status=409)["error"]["code"] == "purchase_order_closed"
    cancelled = order(api)
    assert api("GET", f"/purchase-orders/{cancelled}")["lines"][0]["cancelled"] == "0"  # open: nothing cancelled yet
    assert api("POST", f"/purchase-orders/{cancelled}/cancel", status=200)["status"] == "cancelled"
    line = api("GET", f"/purchase-orders/{cancelled}")["lines"][0]
    assert (line["remaining"], line["cancelled"]) == ("0", "100")
    assert receipt(api, cancelled, "1", status=409)["error"]["code"] == "purchase_order_closed"
    elsewhere = order(api, depot="BHD")
    assert receipt(api, elsewhere, "1", status=422)["error"]["code"] == "unknown_purchase_order"  # not theirs to see
    other = {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "1", "purchase_order": elsewhere}
    assert api("POST", "/movements", other, status=422)["error"]["code"] == "purchase_order_depot"  # admin
    assert receipt(api, order(api), "1", sku="DYE", status=422)["error"]["code"] == "not_on_order"
    assert receipt(api, "PO-99999", "1", status=422)["error"]["code"] == "unknown_purchase_order"
    assert api("GET", "/stock/VNS/YRN")["on_hand"] == "30"
    check_invariants(runtime.db)


def test_a_receipt_whose_order_update_died_is_counted_once_by_the_consumer(api, runtime, config, monkeypatch):
    number = order(api)

    def die(*args, **kwargs):
        raise Killed()
    monkeypatch.setattr(purchase_orders, "apply_receipt", die)
    with pytest.raises(Killed):
        receipt(api, number, "25")
    monkeypatch.undo()
    assert api("GET", f"/purchase-orders/{number}")["lines"][0]["received"] == "0"  # the stock write stood
    received = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
                if e["type"] == "StockReceived"][-1]
    handle = make_handler(runtime.db, config)
    handle(received)
    handle(received)  # a duplicate changes nothing
    got = api("GET", f"/purchase-orders/{number}")
    assert (got["lines"][0]["received"], got["status"], len(got["receipts"])) == ("25", "partially_received", 1)
    check_invariants(runtime.db)


def test_a_send_whose_lines_did_not_reach_the_stock_is_finished_by_its_event(api, runtime, config, monkeypatch):
    number = order(api, send=False)
    monkeypatch.setattr(purchase_orders, "expect_lines", lambda *a, **k: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        api("POST", f"/purchase-orders/{number}/send")
    monkeypatch.undo()
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "0"
    sent = decode_event(runtime.db.purchase_orders.find_one({"_id": number})["outbox"][0])
    handle = make_handler(runtime.db, config)
    handle(sent)
    handle(sent)
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "100"
    check_invariants(runtime.db)


def test_an_order_past_its_date_raises_one_alert(api, runtime, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2030, 1, 5, 6, tzinfo=timezone.utc))  # raised before its day
    number = order(api, expected_on="2030-01-10")
    assert watch.step(runtime.db) == 0
    later = datetime(2030, 1, 12, 6, tzinfo=timezone.utc)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert purchase_orders.raise_overdue(runtime.db) == 1
    assert purchase_orders.raise_overdue(runtime.db) == 0
    assert watch.step(runtime.db) == 0
    events = [decode_event(e) for e in runtime.db.purchase_orders.find_one({"_id": number})["outbox"]]
    overdue = [e.data for e in events if e.type == "PurchaseOrderOverdue"]
    assert len(overdue) == 1 and overdue[0]["days_late"] == 2 and overdue[0]["lines"][0]["quantity"] == 100_000


def test_the_ledger_names_the_order_and_the_lot_of_each_receipt(api, runtime):
    number = order(api)
    receipt(api, number, "12.5", lot={"code": "L-7", "shade": "indigo-2", "mill": "Sri Ram"})
    ledger.project_pending(runtime.db)
    entry = api("GET", "/movements?type=receipt", role="warehouse", depot="VNS")[0]
    assert (entry["purchase_order"], entry["lot"], entry["supplier"], entry["unit_cost"]) == \
        (number, "L-7", "MILL-SRM", "245.50")
    assert datetime.now(timezone.utc) - timedelta(minutes=1) < datetime.fromisoformat(entry["at"])


def test_warehouse_staff_see_only_their_own_depots_orders(api, runtime):
    own, other = order(api, send=False), order(api, depot="BHD", send=False)
    assert api("GET", f"/purchase-orders/{own}", role="warehouse", depot="VNS")["purchase_order"] == own
    error = api("GET", f"/purchase-orders/{other}", role="warehouse", depot="VNS", status=404, lang="hi")["error"]
    assert error["code"] == "unknown_purchase_order" and any("\u0900" <= ch <= "\u097f" for ch in error["message"])
    assert api("GET", f"/purchase-orders/{other}", role="warehouse", depot="BHD")["depot"] == "BHD"
    assert api("GET", f"/purchase-orders/{other}")["depot"] == "BHD"  # admins see every depot's
    for query in ("", "?depot=VNS"):
        assert [o["purchase_order"] for o in api("GET", f"/purchase-orders{query}", role="warehouse",
                                                 depot="VNS")] == [own]
    assert [o["purchase_order"] for o in api("GET", "/purchase-orders")] == [other, own]
    assert [o["purchase_order"] for o in api("GET", "/purchase-orders?depot=BHD")] == [other]


@pytest.mark.parametrize("path", ["/purchase-orders?depot=BHD", "/purchase-orders?depot=BHD&format=csv",
                                  "/replenishment?depot=BHD", "/replenishment?depot=BHD&format=csv"])
def test_depot_staff_asking_another_depots_orders_or_suggestions_are_refused_in_their_language(api, path):
    """Varanasi's staff asking ?depot=BHD got Varanasi's orders as if they were Bhadohi's, and Bhadohi's suggestions
    of what to order; both are refused (403 wrong_depot, naming their own depot). Admins are unaffected."""
    order(api, depot="BHD", send=False)
    for lang in ("en", "hi"):
        error = api("GET", path, role="warehouse", depot="VNS", status=403, lang=lang)["error"]
        hindi = any("\u0900" <= ch <= "\u097f" for ch in error["message"])
        assert error["code"] == "wrong_depot" and error["details"] == {"your_depot": "VNS"}, lang
        assert "VNS depot" in error["message"] and hindi == (lang == "hi"), lang
    api("GET", path.replace("BHD", "VNS"), role="warehouse", depot="VNS", status=200)  # their own, as before
    api("GET", path, status=200)  # admins choose any depot
    api("GET", path, role="warehouse", status=200)  # so do central warehouse staff (no depot on their token)


@pytest.fixture
def download(config, runtime, token):
    """download(path, role=, **claims): the API's CSV answer as rows (dicts), after checking it is a CSV file."""
    client = create_app(config, runtime).test_client()

    def get(path, role="admin", lang="en", **claims):
        answer = client.get(f"/api/v1{path}", headers={**token(role, **claims), "Accept-Language": lang})
        assert answer.status_code == 200 and answer.mimetype == "text/csv", answer.get_data(as_text=True)[:300]
        assert answer.headers["Content-Disposition"] == "attachment; filename=purchase-orders.csv"
        return list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    return get


def test_the_orders_export_to_csv_a_row_per_line_with_the_lists_filters(api, runtime, download):
    api("POST", "/suppliers", {**MILL, "code": "MILL-X", "name": "=HYPERLINK(\"x\")"}, status=201)
    first = order(api, lines=(("YRN", "100", "245.50"), ("DYE", "2.5", "80")))
    receipt(api, first, "40")
    drafted = order(api, send=False, depot="BHD")
    other = order(api, send=False, supplier="MILL-X")
    rows = download("/purchase-orders?format=csv&limit=1")  # the whole list, not a page
    assert [(r["purchase_order"], r["sku"]) for r in rows] == [(other, "YRN"), (drafted, "YRN"), (first, "YRN"),
                                                               (first, "DYE")]  # newest first
    yarn = rows[2]
    assert {k: yarn[k] for k in ("status", "supplier", "supplier_name", "depot", "expected_on", "material", "unit",
                                 "quantity", "received", "remaining", "price", "amount")} == {
        "status": "partially_received", "supplier": "MILL-SRM", "supplier_name": "Sri Ram Mills", "depot": "VNS",
        "expected_on": "2099-01-31", "material": "YRN material", "unit": "kg", "quantity": "100", "received": "40",
        "remaining": "60", "price": "245.50", "amount": "24550.00"}
    assert yarn["cancelled"] == "0"
    assert rows[3]["amount"] == "200.00" and rows[0]["supplier_name"] == "'=HYPERLINK(\"x\")"
    assert datetime.fromisoformat(yarn["created_at"]).tzinfo is not None
    assert [r["purchase_order"] for r in download("/purchase-orders?format=csv&status=draft&depot=BHD")] == [drafted]
    seen = download("/purchase-orders?format=csv", role="warehouse", depot="VNS")  # their depot's only
    assert {r["depot"] for r in seen} == {"VNS"} and drafted not in {r["purchase_order"] for r in seen}
    assert api("GET", "/purchase-orders?format=xml", status=400)["error"]["code"] == "validation_error"


def test_the_orders_csv_names_suppliers_and_materials_in_the_askers_language_as_the_other_exports_do(api, download):
    """Asked in Hindi, the orders CSV gave the supplier's and material's English names only; as the returns and
    requisitions CSVs do, it names them in the asker's language: the Hindi name stored on the order, else the name."""
    api("POST", "/suppliers", {**MILL, "code": "MILL-HI", "name": "Kashi Weavers Mill", "name_hi": "काशी बुनकर मिल"},
        status=201)
    named = order(api, supplier="MILL-HI")
    plain = order(api)  # Sri Ram Mills has no Hindi name
    for lang, supplier, material in (("en", "Kashi Weavers Mill", "YRN material"),
                                     ("hi", "काशी बुनकर मिल", "YRN सामान")):
        rows = {r["purchase_order"]: r for r in download("/purchase-orders?format=csv", lang=lang)}
        assert (rows[named]["supplier"], rows[named]["supplier_name"], rows[named]["material"]) == (
            "MILL-HI", supplier, material)
        assert rows[plain]["supplier_name"] == "Sri Ram Mills" and rows[plain]["sku"] == "YRN"


def test_an_order_expected_on_a_day_already_past_in_india_is_refused(api, runtime, monkeypatch):
    moment = datetime(2030, 1, 10, 20, 0, tzinfo=timezone.utc)  # 01:30 on the 11th in India
    monkeypatch.setattr(clock, "now", lambda: moment)
    body = {"supplier": "MILL-SRM", "depot": "VNS", "lines": [{"sku": "YRN", "quantity": "1", "price": "1"}]}
    for lang in ("en", "hi"):
        error = api("POST", "/purchase-orders", {**body, "expected_on": "2030-01-10"}, status=400, lang=lang)["error"]
        assert set(error) == {"code", "message", "details"} and error["code"] == "validation_error"
        assert list(error["details"]) == ["expected_on"]
    assert any("\u0900" <= ch <= "\u097f" for ch in error["details"]["expected_on"][0])
    assert runtime.db.purchase_orders.count_documents({}) == 0
    today = api("POST", "/purchase-orders", {**body, "expected_on": "2030-01-11"}, status=201)  # India's today
    assert api("PATCH", f"/purchase-orders/{today['purchase_order']}", {"expected_on": "2029-12-31"},
               status=400)["error"]["details"]["expected_on"]
    assert api("GET", f"/purchase-orders/{today['purchase_order']}")["expected_on"] == "2030-01-11"
    api("PATCH", f"/purchase-orders/{today['purchase_order']}", {"expected_on": "2030-01-12"}, status=200)


def test_the_ledger_csv_names_the_order_each_receipt_came_on_as_the_ledger_does(api, runtime, config, token):
    """GET /movements and the ledger page name a receipt's purchase order; its CSV had no column for it."""
    number = order(api)
    receipt(api, number, "40", lot="L-1")
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "1"}, status=201)
    assert [m.get("purchase_order") for m in api("GET", "/movements?type=receipt")] == [None, number]
    answer = create_app(config, runtime).test_client().get("/api/v1/movements?format=csv&type=receipt",
                                                            headers=token("warehouse", depot="VNS"))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert [(r["quantity"], r["purchase_order"]) for r in table] == [("1", ""), ("40", number)]


def test_a_lot_returned_to_the_mill_lowers_what_its_order_received_so_the_replacement_can_come_in(
        api, runtime, config, monkeypatch):
    """A mill's 100 kg came in; 20 kg of lot A were off-shade and went back. The replacement was refused as
    over_receipt (the order still counted 100 received) and the order said 'received'. Now the return counts
    on the order as on its stock (once, however often its event comes), and the replacement is received."""
    number = order(api)
    receipt(api, number, "80", lot="A")
    receipt(api, number, "20", lot="B")
    assert api("GET", f"/purchase-orders/{number}")["status"] == "received"
    back = {"type": "return", "sku": "YRN", "depot": "VNS", "quantity": "20", "lot": "A", "reason": "off shade"}
    api("POST", "/movements", back, status=201)
    got = api("GET", f"/purchase-orders/{number}")
    assert (got["status"], got["lines"][0]["received"], got["lines"][0]["remaining"]) == \
        ("partially_received", "80", "20")
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "20"
    assert said_on_order(runtime)[-2:] == [("StockReceived", 0), ("StockReturned", 20_000)]  # its event says it
    returned = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
                if e["type"] == "StockReturned"][-1]
    handle = make_handler(runtime.db, config)
    handle(returned)
    handle(returned)  # a replay changes nothing
    assert api("GET", f"/purchase-orders/{number}")["lines"][0]["received"] == "80"
    check_invariants(runtime.db)
    assert [p for p in check(facts_of({"inventory": runtime.db})).problems if "outbox" not in p] == []  # reconcile
    runtime.db.movements.update_one({"type": "return"}, {"$set": {"order_returned": 15_000}})  # as if it said 15 kg
    assert any(number in p and "receipts naming it sum to 85" in p
               for p in check(facts_of({"inventory": runtime.db})).problems)
    runtime.db.movements.update_one({"type": "return"}, {"$set": {"order_returned": 20_000}})
    receipt(api, number, "20", lot="C")
    got = api("GET", f"/purchase-orders/{number}")
    assert (got["status"], got["lines"][0]["received"]) == ("received", "100")
    check_invariants(runtime.db)
    # more back than the order counted (stock found later in the same lot) never takes it below nothing
    api("POST", "/movements", {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "50",
                               "reason": "correction", "lot": "A"}, status=201)  # lot A: 60 + 50 kg
    api("POST", "/movements", {**back, "quantity": "105"}, status=201)
    got = api("GET", f"/purchase-orders/{number}")
    assert (got["status"], got["lines"][0]["received"]) == ("sent", "0")
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "100"
    check_invariants(runtime.db)


def test_a_return_whose_order_update_died_is_counted_once_by_the_consumer(api, runtime, config, monkeypatch):
    number = order(api)
    receipt(api, number, "50", lot="A")

    def die(*args, **kwargs):
        raise Killed()
    monkeypatch.setattr(purchase_orders, "apply_receipt", die)
    with pytest.raises(Killed):
        api("POST", "/movements", {"type": "return", "sku": "YRN", "depot": "VNS", "quantity": "10", "lot": "A",
                                   "reason": "off shade"})
    monkeypatch.undo()
    assert api("GET", "/stock/VNS/YRN")["on_order"] == "60"  # the stock write stood, with its order line
    returned = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
                if e["type"] == "StockReturned"][-1]
    handle = make_handler(runtime.db, config)
    handle(returned)
    handle(returned)
    got = api("GET", f"/purchase-orders/{number}")
    assert (got["lines"][0]["received"], len(got["receipts"])) == ("40", 2)
    check_invariants(runtime.db)


def test_a_tolerance_or_lead_time_out_of_range_says_the_range_in_words_in_both_languages(api):
    """The English said marshmallow's 'Must be greater than or equal to 0 and less than or equal to 50.'"""
    for body, field, en, hi in (
            ({"tolerance_percent": 60}, "tolerance_percent", "must be a whole percent from 0 to 50",
             "0 से 50 तक का पूरा प्रतिशत होना चाहिए"),
            ({"lead_time_days": 400}, "lead_time_days", "must be a whole number of days from 0 to 365",
             "0 से 365 तक दिनों की पूरी संख्या होनी चाहिए")):
        for lang, message in (("en", en), ("hi", hi)):
            error = api("PATCH", "/suppliers/MILL-SRM", body, status=400, lang=lang)["error"]
            assert error["details"] == {field: [message]}, error
            error = api("POST", "/suppliers", {**MILL, "code": "MILL-X", **body}, status=400, lang=lang)["error"]
            assert error["details"] == {field: [message]}, error


def test_an_orders_amounts_leave_out_what_was_cancelled_and_say_what_was_ordered(api, download):
    """100 kg at ₹210.50, 60 kg came, then closed: the order was still worth ₹21,050.00 in its total, its line's
    amount and the CSV, and a cancelled order its full amount. Now `amount`/`total` are what came and is still to
    come (₹12,630.00; a cancelled order ₹0.00), `ordered_amount`/`ordered_total` the value as ordered."""
    number = order(api, lines=(("YRN", "100", "210.50"),))
    receipt(api, number, "60")
    still_open = api("GET", f"/purchase-orders/{number}")
    assert (still_open["total"], still_open["ordered_total"]) == ("21050.00", "21050.00")  # 40 kg still to come
    closed = api("POST", f"/purchase-orders/{number}/close", status=200)
    assert (closed["total"], closed["ordered_total"]) == ("12630.00", "21050.00")
    [line] = closed["lines"]
    assert (line["amount"], line["ordered_amount"], line["cancelled"]) == ("12630.00", "21050.00", "40")
    cancelled = order(api, lines=(("YRN", "10", "210.50"),))
    api("POST", f"/purchase-orders/{cancelled}/cancel", status=200)
    listed = {o["purchase_order"]: o for o in api("GET", "/purchase-orders")}
    assert (listed[cancelled]["total"], listed[cancelled]["ordered_total"]) == ("0.00", "2105.00")
    assert listed[number]["total"] == "12630.00"
    rows = {r["purchase_order"]: r for r in download("/purchase-orders?format=csv")}
    assert (rows[number]["amount"], rows[number]["ordered_amount"]) == ("12630.00", "21050.00")
    assert (rows[cancelled]["amount"], rows[cancelled]["ordered_amount"]) == ("0.00", "2105.00")


def test_a_supplier_or_material_code_in_other_capital_letters_is_refused_as_the_same_code(api, runtime):
    """`srm` was accepted beside `SRM`, `yrn` beside `YRN`: now 409 already_exists naming the code there is (one
    stored before codes were kept in small letters too included), in both languages; nothing is added, and every
    code already stored is looked up as it was."""
    before = (runtime.db.suppliers.count_documents({}), runtime.db.materials.count_documents({}))
    taken = api("POST", "/suppliers", {**MILL, "code": "mill-srm"}, status=409)["error"]
    assert (taken["code"], taken["details"]) == ("already_exists", {"code": "mill-srm", "existing": "MILL-SRM"})
    assert taken["message"].startswith("The code MILL-SRM already exists; a code in other capital or small letters")
    material = {"sku": "yrn", "name": "Yarn again", "name_hi": "धागा", "category": "yarn", "unit": "kg",
                "reorder_level": "1"}
    hindi = api("POST", "/materials", material, status=409, lang="hi")["error"]
    assert hindi["details"] == {"sku": "yrn", "existing": "YRN"} and "YRN" in hindi["message"]
    assert "कोड" in hindi["message"]
    runtime.db.suppliers.insert_one({**suppliers.DEFAULTS, "_id": "Old-Mill", "code": "Old-Mill", "name": "Old",
                                     "district": "D", "version": 1})  # as stored before: no code_key
    assert api("POST", "/suppliers", {**MILL, "code": "OLD-MILL"}, status=409)["error"]["details"]["existing"] == \
        "Old-Mill"
    assert (runtime.db.suppliers.count_documents({}) - 1, runtime.db.materials.count_documents({})) == before
    assert api("GET", "/suppliers/Old-Mill")["name"] == "Old"
    api("GET", "/suppliers/mill-srm", status=404)  # lookups stay exact: codes are kept as they were typed
    assert api("POST", "/suppliers", {**MILL, "code": "MILL-SRM-2"}, status=201)["code"] == "MILL-SRM-2"
    assert "code_key" not in api("GET", "/suppliers/MILL-SRM-2")


def test_two_codes_differing_in_case_registered_at_once_cannot_both_pass(api, runtime, monkeypatch):
    """The look through the stored codes and the insert are two steps: the unique small-letter key keeps a
    second registration made in between out."""
    from services.inventory import catalog
    monkeypatch.setattr(suppliers, "_refuse_taken", lambda db, code: None)
    runtime.db.suppliers.insert_one({"_id": "NEW", "code": "NEW", "name": "N", "district": "D", "code_key": "new",
                                     "version": 1})
    assert api("POST", "/suppliers", {**MILL, "code": "new"}, status=409)["error"]["code"] == "already_exists"
    monkeypatch.setattr(catalog, "_refuse_taken_sku", lambda db, sku: None)
    material = {"sku": "brs", "name": "Brass", "name_hi": "पीतल", "category": "metal", "unit": "kg",
                "reorder_level": "1"}
    assert api("POST", "/materials", material, status=409)["error"]["code"] == "already_exists"
    assert runtime.db.materials.find_one({"_id": "brs"}) is None
    assert runtime.db.suppliers.find_one({"_id": "new"}) is None


def _near_lot_at_another_depot(api):
    """The walk's order: 12 kg of dye at ₹1,800 for VNS, 5 kg received as lot IND-NEAR, 2 kg of it sent to BHD."""
    number = order(api, lines=(("DYE", "12", "1800"),))
    receipt(api, number, "5", sku="DYE", lot=dated("IND-NEAR"))
    api("POST", "/movements", {"type": "transfer", "sku": "DYE", "depot": "VNS", "to_depot": "BHD", "quantity": "2",
                               "lot": "IND-NEAR"}, status=201)
    return number


BACK_AT_BHD = {"type": "return", "sku": "DYE", "depot": "BHD", "quantity": "1", "lot": {"code": "IND-NEAR"},
               "reason": "colour fading"}


def test_a_lot_returned_to_the_mill_from_another_depot_lowers_what_its_order_received(api, runtime):
    """The walk: 1 kg of lot IND-NEAR went back to the mill from BHD, where 2 kg of it had travelled. The entry
    named the order, but the order still counted 5 kg received (a return at VNS lowered it), its stock at VNS
    still expected 7 kg, and reconcile saw nothing. Now it counts on the order as a return at VNS does."""
    number = _near_lot_at_another_depot(api)
    api("POST", "/movements", BACK_AT_BHD, role="warehouse", depot="BHD", status=201)
    got = api("GET", f"/purchase-orders/{number}", role="warehouse", depot="VNS")
    assert (got["status"], got["lines"][0]["received"], got["lines"][0]["remaining"]) == \
        ("partially_received", "4", "8")
    back = got["receipts"][-1]
    assert (back["quantity"], back["lot"], back["depot"]) == ("-1", "IND-NEAR", "BHD")
    assert api("GET", "/stock/VNS/DYE")["on_order"] == "8" and api("GET", "/stock/BHD/DYE")["on_hand"] == "1"
    assert said_on_order(runtime, "BHD/DYE")[-1] == ("StockReturned", 0)  # what is on order at BHD
    assert said_on_order(runtime, "VNS/DYE")[-1] == ("OnOrderChanged", 8_000)  # the order's depot: 1 kg again
    entry = runtime.db.movements.find_one({"type": "return"})
    assert (entry["depot"], entry["purchase_order"], entry["order_returned"]) == ("BHD", number, 1000)
    check_invariants(runtime.db)
    assert [p for p in check(facts_of({"inventory": runtime.db})).problems if "outbox" not in p] == []
    receipt(api, number, "8", sku="DYE", lot=dated("IND-NEXT"))  # what went back may come again in its place
    got = api("GET", f"/purchase-orders/{number}")
    assert (got["status"], got["lines"][0]["received"]) == ("received", "12")
    check_invariants(runtime.db)


def test_an_order_closed_after_a_return_from_another_depot_is_worth_what_it_kept(api, runtime, config):
    number = _near_lot_at_another_depot(api)
    api("POST", "/movements", BACK_AT_BHD, status=201)
    closed = api("POST", f"/purchase-orders/{number}/close", status=200)
    assert (closed["lines"][0]["received"], closed["lines"][0]["amount"], closed["total"]) == \
        ("4", "7200.00", "7200.00")
    client = create_app(config, runtime).test_client()
    for lang, said in (("en", "returned to the supplier at BHD"), ("hi", "BHD")):
        client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="admin", role="admin"))
        client.set_cookie(LANG_COOKIE, lang)
        html = client.get(f"/admin/purchase-orders/{number}").get_data(as_text=True)
        receipts = html[html.index('id="order-receipts"'):]
        assert said in receipts and (lang == "en" or _hindi(receipts[receipts.index("BHD") - 80:]))


@pytest.mark.parametrize("dies_at", ["write_stock", "apply_receipt"])
def test_a_return_from_another_depot_whose_order_update_died_is_counted_once_by_the_consumer(
        api, runtime, config, monkeypatch, dies_at):
    """The return is stored at BHD; the process dies lowering the line at VNS or the order itself: its event,
    however often it comes, counts it once on both."""
    number = _near_lot_at_another_depot(api)

    def die(*args, **kwargs):
        raise Killed()
    monkeypatch.setattr(purchase_orders, dies_at, die)
    with pytest.raises(Killed):
        api("POST", "/movements", BACK_AT_BHD)
    monkeypatch.undo()
    assert api("GET", "/stock/BHD/DYE")["on_hand"] == "1"  # the return stood
    assert api("GET", f"/purchase-orders/{number}")["lines"][0]["received"] == "5"
    assert api("GET", "/stock/VNS/DYE")["on_order"] == ("7" if dies_at == "write_stock" else "8")
    returned = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "BHD/DYE"})["outbox"]
                if e["type"] == "StockReturned"][-1]
    assert (returned.data["purchase_order"], returned.data["order_returned"]) == (number, 1000)
    handle = make_handler(runtime.db, config)
    handle(returned)
    handle(returned)  # a replay changes nothing
    got = api("GET", f"/purchase-orders/{number}")
    assert (got["lines"][0]["received"], len(got["receipts"])) == ("4", 2)
    assert api("GET", "/stock/VNS/DYE")["on_order"] == "8"
    assert runtime.db.stock.find_one({"_id": "VNS/DYE"})["orders"][number]["received"] == 4000
    check_invariants(runtime.db)
    assert [p for p in check(facts_of({"inventory": runtime.db})).problems if "outbox" not in p] == []


def test_more_back_from_another_depot_than_the_order_counts_never_takes_it_below_nothing(api, runtime):
    number = _near_lot_at_another_depot(api)
    api("POST", "/movements", {"type": "return", "sku": "DYE", "depot": "VNS", "quantity": "3", "lot": "IND-NEAR",
                               "reason": "off shade"}, status=201)  # the order counts 2 kg received now
    api("POST", "/movements", {"type": "adjustment", "sku": "DYE", "depot": "BHD", "quantity": "4",
                               "reason": "correction", "lot": "IND-NEAR"}, status=201)  # 6 kg of it at BHD
    api("POST", "/movements", {**BACK_AT_BHD, "quantity": "6"}, status=201)
    got = api("GET", f"/purchase-orders/{number}")
    assert (got["status"], got["lines"][0]["received"]) == ("sent", "0")
    assert runtime.db.movements.find_one({"depot": "BHD", "type": "return"})["order_returned"] == 2000
    assert api("GET", "/stock/VNS/DYE")["on_order"] == "12"
    check_invariants(runtime.db)


def test_reconcile_sees_a_return_from_another_depot_its_order_never_counted(api, runtime):
    """The state the walk left (as a return from another depot was stored before: its entry names the order but
    says nothing of what went back of it, and the order was never lowered): reconcile now says so."""
    number = _near_lot_at_another_depot(api)
    api("POST", "/movements", BACK_AT_BHD, status=201)
    runtime.db.movements.update_one({"type": "return"}, {"$unset": {"order_returned": ""}})
    runtime.db.purchase_orders.update_one({"_id": number}, {"$set": {"lines.0.received": 5000},
                                                            "$pop": {"receipts": 1}})
    runtime.db.stock.update_one({"_id": "VNS/DYE"}, {"$set": {f"orders.{number}.received": 5000,
                                                              "on_order": 7000}})
    problems = check(facts_of({"inventory": runtime.db})).problems
    assert any(number in p and "received 5 but receipts naming it sum to 4" in p for p in problems), problems


def test_reconcile_takes_an_older_return_at_the_orders_own_depot_that_took_nothing_back_as_it_was(api, runtime):
    """Before every return of an order's lot said what went back of the order, one at the order's own depot that
    took nothing back (its line already closed) said nothing: it is not read as having taken its quantity back (a
    false problem on every board with such a return), while one from another depot still is."""
    number = _near_lot_at_another_depot(api)
    api("POST", "/movements", {"type": "return", "sku": "DYE", "depot": "VNS", "quantity": "1", "lot": "IND-NEAR",
                               "reason": "off shade"}, status=201)
    runtime.db.movements.update_one({"type": "return", "depot": "VNS"}, {"$unset": {"order_returned": ""}})
    runtime.db.purchase_orders.update_one({"_id": number}, {"$set": {"lines.0.received": 5000},
                                                            "$pop": {"receipts": 1}})
    runtime.db.stock.update_one({"_id": "VNS/DYE"}, {"$set": {f"orders.{number}.received": 5000,
                                                              "on_order": 7000}})
    problems = [p for p in check(facts_of({"inventory": runtime.db})).problems if "outbox" not in p]
    assert not any(number in p for p in problems), problems


def test_a_supplier_saved_unchanged_keeps_its_version(api, runtime):
    """The Suppliers page's form sends a supplier's tolerance and lead time back as typed, changed or not: saved as
    they were, it wrote a new version each time. Now it is answered 200 with the supplier as it is and nothing is
    written; a real change still makes one version more."""
    def stored():
        return runtime.db.suppliers.find_one({"_id": "MILL-SRM"})
    before = stored()
    shown = api("GET", "/suppliers/MILL-SRM")
    as_it_is = {k: shown[k] for k in ("name", "district", "gstin", "tolerance_percent", "lead_time_days", "items")}
    for same in ({"tolerance_percent": "5", "lead_time_days": "30"}, as_it_is, {"active": True}):
        assert api("PATCH", "/suppliers/MILL-SRM", same, status=200) == shown, same
        assert stored() == before, same
    changed = api("PATCH", "/suppliers/MILL-SRM", {"tolerance_percent": "5", "lead_time_days": "21"}, status=200)
    assert changed["lead_time_days"] == 21 and stored()["version"] == before["version"] + 1


def test_a_suppliers_price_saved_unchanged_keeps_its_version(api, runtime):
    """The supplier's page sends a material's price and pack size back (an empty pack size as null): saved as they
    were, it wrote a new version each time. Now nothing is written; a real change still makes one version more."""
    api("POST", "/suppliers/MILL-SRM/items", {"sku": "YRN", "price": "210", "pack_size": "25"}, status=201)
    api("POST", "/suppliers/MILL-SRM/items", {"sku": "DYE", "price": "1,800.50"}, status=201)
    before = runtime.db.suppliers.find_one({"_id": "MILL-SRM"})
    shown = api("GET", "/suppliers/MILL-SRM")
    for sku, same in (("YRN", {"price": "210.00", "pack_size": "25"}), ("YRN", {"price": "210"}),
                      ("DYE", {"price": "1800.50", "pack_size": None})):
        assert api("PATCH", f"/suppliers/MILL-SRM/items/{sku}", same, status=200) == shown, same
        assert runtime.db.suppliers.find_one({"_id": "MILL-SRM"}) == before, same
    changed = api("PATCH", "/suppliers/MILL-SRM/items/DYE", {"price": "1800.50", "pack_size": "5"}, status=200)
    assert changed["items"][1] == {"sku": "DYE", "pack_size": "5", "price": "1800.50"}
    assert runtime.db.suppliers.find_one({"_id": "MILL-SRM"})["version"] == before["version"] + 1


def test_a_draft_order_saved_unchanged_keeps_its_version_and_when_it_was_changed(api, runtime):
    """A draft's PATCH with its lines, expected date and note all as they are wrote a new version, updated_at and
    updated_by each time. Now it is answered 200 with the order as it is and nothing is written; a real change
    still makes one version more, and a sent order is refused as before, changed or not."""
    number = order(api, lines=(("YRN", "100", "245.50"), ("DYE", "2", "1800")), send=False, note="for the spring")
    before = runtime.db.purchase_orders.find_one({"_id": number})
    shown = api("GET", f"/purchase-orders/{number}")
    as_it_is = {"lines": [{k: line[k] for k in ("sku", "quantity", "price")} for line in shown["lines"]],
                "expected_on": shown["expected_on"], "note": shown["note"]}
    for same in (as_it_is, {"note": "for the spring"},
                 {"lines": [{"sku": "YRN", "quantity": 100, "price": "245.5"}, {"sku": "DYE", "quantity": "2.000",
                                                                               "price": 1800}]}):
        assert api("PATCH", f"/purchase-orders/{number}", same, status=200) == shown, same
        assert runtime.db.purchase_orders.find_one({"_id": number}) == before, same
    changed = api("PATCH", f"/purchase-orders/{number}", {**as_it_is, "note": "for the summer"}, status=200)
    assert changed["note"] == "for the summer"
    assert runtime.db.purchase_orders.find_one({"_id": number})["version"] == before["version"] + 1
    api("POST", f"/purchase-orders/{number}/send", status=200)
    refused = api("PATCH", f"/purchase-orders/{number}", {"note": "for the summer"}, status=409)["error"]
    assert refused["code"] == "purchase_order_status", refused
