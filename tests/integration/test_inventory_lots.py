"""Lots: every receipt goes into one, issues take the earliest-expiring then oldest (one lot when it covers),
lots on hold for inspection, returns, transfers carrying lots, expiry alerts once each, expired never issued."""
from datetime import datetime, timedelta, timezone

import pytest

from services.inventory import clock, lots, watch
from services.inventory.consumer import make_handler
from shared.envelope import decode_event
from shared.reconcile import check, facts_of
from tests.integration.test_inventory_support import inventory_api, check_invariants, requisition, runtime  # noqa: F401


@pytest.fixture
def api(inventory_api):
    return inventory_api


@pytest.fixture
def handle(runtime, config):
    return make_handler(runtime.db, config)


def receive(api, quantity, lot=None, sku="YRN", depot="VNS", status=201, **kw):
    body = {"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity}
    if lot is not None:
        body["lot"] = lot
    return api("POST", "/movements", body, status=status, **kw)


def lots_of(api, sku="YRN", depot="VNS"):
    return [(x["lot"], x["on_hand"], x["status"]) for x in api("GET", f"/stock/{depot}/{sku}")["lots"]]


def issued_lots(runtime, rid):
    """Each issue entry's lots: `lots` when it took from several, else the one `lot` it names."""
    return [entry.get("lots") or [{"lot": entry["lot"], "quantity": entry["quantity"]}]
            for entry in runtime.db.movements.find({"type": "issue", "requisition_id": rid})]


def later(monkeypatch, days):
    moment = datetime.now(timezone.utc) + timedelta(days=days)
    monkeypatch.setattr(clock, "now", lambda: moment)


def in_days(days):
    return (clock.today() + timedelta(days=days)).isoformat()


def test_every_receipt_goes_into_a_lot_and_the_stock_lists_them_in_issue_order(api, runtime):
    receive(api, "60", {"code": "A", "shade": "indigo-2", "count": "2/40s", "mill": "Sri Ram"})
    receive(api, "40", "B")
    receive(api, "5", {"code": "D", "expires_on": in_days(200)})
    first = receive(api, "1")["lot"]
    assert receive(api, "2")["lot"] == first  # the same day, the same details: one lot rawbank named
    assert first.startswith("VNS-")
    stock = api("GET", "/stock/VNS/YRN")
    assert [(x["lot"], x["on_hand"]) for x in stock["lots"]] == [("D", "5"), ("A", "60"), ("B", "40"), (first, "3")]
    assert stock["lots"][1]["shade"] == "indigo-2" and stock["lots"][1]["count"] == "2/40s"
    assert receive(api, "1", "A")["stock"]["on_hand"] == "109"  # more of lot A, as labelled
    check_invariants(runtime.db)


@pytest.mark.parametrize("lot, status, code", [
    ({"code": "A", "shade": "red-1"}, 409, "lot_mismatch"),
    ({"code": "D-1", "expires_on": "2001-01-01"}, 422, "expiry_in_past"),
    ({"code": " A"}, 400, "validation_error"),
    ({"code": "A", "colour": "red"}, 400, "validation_error"),
    ({"code": "A", "expires_on": "31/12/2030"}, 400, "validation_error"),
])
def test_a_receipt_with_a_bad_lot_is_refused_and_changes_nothing(api, runtime, lot, status, code):
    receive(api, "10", {"code": "A", "shade": "indigo-2"})
    before = runtime.db.stock.find_one({"_id": "VNS/YRN"})["on_hand"]
    error = receive(api, "5", lot, status=status, lang="hi")["error"]
    assert error["code"] == code and any("\u0900" <= ch <= "\u097f" for ch in error["message"])
    assert runtime.db.stock.find_one({"_id": "VNS/YRN"})["on_hand"] == before


def _stored(runtime, sku="DYE"):
    """What a refusal must leave as it was: the stock, its ledger and the lot codes claimed."""
    return (runtime.db.stock.find_one({"_id": f"VNS/{sku}"}), runtime.db.movements.count_documents({"sku": sku}),
            runtime.db.lot_codes.count_documents({}))


@pytest.mark.parametrize("lang, said", [
    ("en", "A new lot of DYE material needs its expiry date. Dyes and chemicals lose their strength: give the "
           "expiry date printed on the label (lot → expires on); if there is none, ask the supplier for the date "
           "they guarantee. Nothing was changed."),
    ("hi", "DYE सामान"),
])
def test_a_new_lot_of_a_dye_without_its_expiry_date_is_refused_and_changes_nothing(api, runtime, lang, said):
    receive(api, "5", {"code": "DYE-1", "expires_on": in_days(200)}, sku="DYE")
    before = _stored(runtime)
    for lot in (None, "DYE-2", {"code": "DYE-3", "shade": "deep"}, {"shade": "deep"}):
        error = receive(api, "3", lot, sku="DYE", status=422, lang=lang)["error"]
        assert error["code"] == "expiry_required" and error["details"]["sku"] == "DYE"
        assert said in error["message"]
        if lang == "hi":
            assert "समाप्ति" in error["message"] and "lose" not in error["message"]
    adjusted = {"type": "adjustment", "sku": "DYE", "depot": "VNS", "quantity": "2", "reason": "count",
                "lot": {"code": "FOUND-1"}}  # stock found goes into a new lot too: the same rule
    assert api("POST", "/movements", adjusted, status=422, lang=lang)["error"]["code"] == "expiry_required"
    assert _stored(runtime) == before


@pytest.mark.parametrize("lang, said", [
    ("en", "Stock of DYE material found goes into a new lot, and a new lot of a dye or chemical needs its expiry "
           "date: record it as a receipt with the expiry date from its label, or name a lot of it already here. "
           "Nothing was changed."),
    ("hi", "प्राप्ति"),
])
def test_dye_found_by_an_adjustment_without_a_lot_says_to_receive_it_with_its_date_or_name_a_lot(
        api, runtime, lang, said):
    """The Adjust stock page has no lot fields, so "add stock" of a dye there always goes into a new lot without a
    date: the refusal (still expiry_required) says what to do instead, not to fill a date that form does not have."""
    receive(api, "5", {"code": "DYE-1", "expires_on": in_days(200)}, sku="DYE")
    before = _stored(runtime)
    found = {"type": "adjustment", "sku": "DYE", "depot": "VNS", "quantity": "2", "reason": "count"}
    error = api("POST", "/movements", found, status=422, lang=lang)["error"]
    assert error["code"] == "expiry_required" and error["details"] == {"sku": "DYE"}
    assert said in error["message"]
    if lang == "hi":
        assert "लॉट" in error["message"] and "found" not in error["message"]
    assert _stored(runtime) == before
    api("POST", "/movements", {**found, "lot": "DYE-1"}, status=201)  # naming a lot here: recorded


def test_a_dye_with_its_date_more_of_a_dated_lot_and_yarn_without_a_date_are_received(api, runtime):
    assert receive(api, "5", {"code": "DYE-1", "expires_on": in_days(200)}, sku="DYE")["lot"] == "DYE-1"
    assert receive(api, "2", "DYE-1", sku="DYE")["lot"] == "DYE-1"  # more of a lot here keeps its date
    assert receive(api, "1", {"code": "DYE-1", "shade": ""}, sku="DYE")["stock"]["on_hand"] == "8"
    api("POST", "/movements", {"type": "adjustment", "sku": "DYE", "depot": "VNS", "quantity": "1",
                               "reason": "count", "lot": "DYE-1"}, status=201)
    assert [(x["lot"], x["on_hand"], x["expires_on"]) for x in api("GET", "/stock/VNS/DYE")["lots"]] == \
        [("DYE-1", "9", in_days(200))]
    assert receive(api, "4")["stock"]["on_hand"] == "4"  # yarn keeps: no date needed
    assert receive(api, "4", "Y-1", sku="BRS")["lot"] == "Y-1"
    check_invariants(runtime.db)


def test_a_lot_code_names_one_material_only(api, runtime):
    receive(api, "10", "SHARED-7")
    error = receive(api, "5", {"code": "SHARED-7", "expires_on": in_days(400)}, sku="DYE", status=409)["error"]
    assert error["code"] == "lot_code_taken" and error["details"]["sku"] == "YRN"
    assert runtime.db.stock.find_one({"_id": "VNS/DYE"}) is None
    receive(api, "5", "SHARED-7", depot="BHD")  # the same material's lot at another depot is fine


def test_a_dispatch_takes_one_lot_when_one_covers_the_line_else_earliest_expiring_then_oldest(
        api, runtime, handle):
    receive(api, "40", "OLD")
    receive(api, "60", {"code": "A", "shade": "indigo-2"})
    receive(api, "30", {"code": "SOON", "expires_on": in_days(100)})
    handle(requisition("RequisitionApproved", "R1", [("YRN", 50_000)]))
    handle(requisition("RequisitionDispatched", "R1", []))
    assert issued_lots(runtime, "R1") == [[{"lot": "A", "quantity": -50_000}]]  # only A covers 50 kg
    handle(requisition("RequisitionApproved", "R2", [("YRN", 20_000)]))
    handle(requisition("RequisitionDispatched", "R2", []))
    assert issued_lots(runtime, "R2") == [[{"lot": "SOON", "quantity": -20_000}]]  # expires first
    handle(requisition("RequisitionApproved", "R3", [("YRN", 45_000)]))
    handle(requisition("RequisitionDispatched", "R3", []))
    assert issued_lots(runtime, "R3") == [[{"lot": "OLD", "quantity": -35_000},
                                           {"lot": "SOON", "quantity": -10_000}]]  # no lot covers: SOON, then oldest
    assert lots_of(api) == [("OLD", "5", "available"), ("A", "10", "available")]
    check_invariants(runtime.db)


def test_a_lot_on_hold_is_neither_reserved_nor_issued_until_released(api, runtime, handle):
    receive(api, "10", "A")
    receive(api, "8", "B")
    held = api("POST", "/stock/VNS/YRN/lots/hold", {"lot": "A", "note": "wet bales"}, status=200)
    assert (held["available"], held["blocked"]) == ("8", "10")
    handle(requisition("RequisitionApproved", "R1", [("YRN", 9_000)]))
    assert runtime.db.reservations.find_one({"_id": "R1"})["status"] == "waitlisted"
    handle(requisition("RequisitionApproved", "R2", [("YRN", 8_000)]))
    assert runtime.db.reservations.find_one({"_id": "R2"})["status"] == "waitlisted"  # R1 is first in line
    released = api("POST", "/stock/VNS/YRN/lots/release", {"lot": "A"}, status=200)
    event = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
             if e["type"] == "LotReleased"][-1]
    handle(event)  # stock freed: the waitlist is served in order
    assert released["available"] == "18"
    assert [runtime.db.reservations.find_one({"_id": r})["status"] for r in ("R1", "R2")] == ["held", "held"]
    error = api("POST", "/stock/VNS/YRN/lots/hold", {"lot": "B"}, status=409)["error"]
    assert error["code"] == "insufficient_stock"  # B is needed for what is set aside
    assert api("POST", "/stock/VNS/YRN/lots/hold", {"lot": "NOPE"}, status=422)["error"]["code"] == "unknown_lot"
    check_invariants(runtime.db)


def test_a_held_lot_goes_back_to_its_supplier_with_a_return(api, runtime):
    receive(api, "10", "A")
    api("POST", "/stock/VNS/YRN/lots/hold", {"lot": "A"}, status=200)
    back = api("POST", "/movements", {"type": "return", "sku": "YRN", "depot": "VNS", "quantity": "4", "lot": "A",
                                      "reason": "shade off"}, status=201)
    assert back["stock"]["on_hand"] == "6" and lots_of(api) == [("A", "6", "on_hold")]
    receive(api, "30", "B")  # the depot holds more of the yarn, in another lot: the refusal is lot A's
    too_much = {"type": "return", "sku": "YRN", "depot": "VNS", "quantity": "7", "lot": "A", "reason": "shade off"}
    error = api("POST", "/movements", too_much, status=409)["error"]
    assert (error["code"], error["details"]["lot"], error["details"]["available"]) == ("insufficient_stock", "A", "6")
    assert error["message"].startswith("Lot A has only 6 kg of ")
    hindi = api("POST", "/movements", too_much, status=409, lang="hi")["error"]["message"]
    assert "लॉट A में" in hindi and "केवल 6 किलो है; 7 किलो माँगा गया।" in hindi
    no_lot = {"type": "return", "sku": "YRN", "depot": "VNS", "quantity": "1"}
    assert api("POST", "/movements", no_lot, status=400)["error"]["details"]["lot"]
    for why in ({}, {"reason": ""}, {"reason": "   "}):  # stock taken off says why, as an adjustment's reason does
        no_reason = {"type": "return", "sku": "YRN", "depot": "VNS", "quantity": "1", "lot": "A", **why}
        assert api("POST", "/movements", no_reason, status=400)["error"]["details"] == {"reason": [
            "say why it goes back to the supplier (torn bales, wrong shade…)"]}
    said = api("POST", "/movements", no_reason, status=400, lang="hi")["error"]["details"]["reason"][0]
    assert "आपूर्तिकर्ता" in said
    assert lots_of(api) == [("A", "6", "on_hold"), ("B", "30", "available")]  # nothing went back
    entry = runtime.db.movements.find_one({"type": "return"})
    assert (entry["lot"], entry["quantity"]) == ("A", -4_000)
    check_invariants(runtime.db)


def test_lots_travel_with_a_transfer(api, runtime):
    receive(api, "10", {"code": "A", "shade": "indigo-2", "expires_on": in_days(300)})
    api("POST", "/movements", {"type": "transfer", "sku": "YRN", "depot": "VNS", "to_depot": "BHD",
                               "quantity": "4"}, status=201)
    there = api("GET", "/stock/BHD/YRN")["lots"]
    assert [(x["lot"], x["on_hand"], x["shade"], x["expires_on"]) for x in there] == \
        [("A", "4", "indigo-2", in_days(300))]
    check_invariants(runtime.db)


def test_expiry_alerts_are_raised_90_60_30_days_before_and_at_expiry_once_each(api, runtime, monkeypatch):
    receive(api, "5", {"code": "DYE-7", "expires_on": in_days(100)}, sku="DYE")
    stages = []

    def raised():
        outbox = runtime.db.stock.find_one({"_id": "VNS/DYE"})["outbox"]
        return [decode_event(e).data["stage"] for e in outbox if e["type"] == "LotExpiring"]
    for days in (5, 10, 11, 45, 71, 72, 99, 100, 101):
        later(monkeypatch, days)
        watch.step(runtime.db)
        watch.step(runtime.db)
        stages.append(raised())
    assert stages[-1] == [90, 60, 30, 0]
    assert stages[0] == [] and stages[1] == [90] and stages[3] == [90, 60]
    assert lots_of(api, "DYE") == [("DYE-7", "5", "expired")]


def test_a_lot_received_25_days_before_expiry_raises_its_30_day_alert_at_once(api, runtime):
    receive(api, "5", {"code": "DYE-25", "expires_on": in_days(25)}, sku="DYE")
    event = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/DYE"})["outbox"]
             if e["type"] == "LotExpiring"]
    assert [(e.data["stage"], e.data["days_left"], e.data["lot"]) for e in event] == [(30, 25, "DYE-25")]
    assert lots.raise_due(runtime.db) == 0


def test_a_lot_with_an_expiry_alert_that_leaves_to_the_last_unit_says_so_once(api, runtime, handle, monkeypatch):
    """LotEmptied (the notifier resolves the lot's alerts) when an alerted lot leaves the stock: sent to another depot
    in part (nothing), then the rest (once); written off once expired (once); a lot never alerted says nothing."""
    def emptied():
        outbox = runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
        return [(e.data["lot"], e.data["stage"]) for e in map(decode_event, outbox) if e.type == "LotEmptied"]
    receive(api, "5", {"code": "NEAR", "expires_on": in_days(20)})
    receive(api, "3", {"code": "SOON", "expires_on": in_days(25)})
    receive(api, "4", "PLAIN")
    move = {"type": "transfer", "sku": "YRN", "depot": "VNS", "to_depot": "BHD", "lot": "NEAR"}
    api("POST", "/movements", {**move, "quantity": "2"})
    assert emptied() == []
    api("POST", "/movements", {**move, "quantity": "3"})
    assert emptied() == [("NEAR", 30)]
    api("POST", "/movements", {**move, "quantity": "4", "lot": "PLAIN"})
    assert emptied() == [("NEAR", 30)]
    later(monkeypatch, 25)
    watch.step(runtime.db)
    api("POST", "/movements", {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-3",
                               "reason": "expired", "lot": "SOON"})
    assert emptied() == [("NEAR", 30), ("SOON", 0)]
    check_invariants(runtime.db)


def test_an_expired_lot_is_never_reserved_and_leaves_only_by_reason_expired(
        api, runtime, handle, monkeypatch):
    receive(api, "5", {"code": "E1", "expires_on": in_days(3)})
    receive(api, "2", "FRESH")
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))  # held while E1 is good
    later(monkeypatch, 3)
    assert api("GET", "/stock/VNS/YRN")["available"] == "-2"  # E1 expired under the hold
    handle(requisition("RequisitionApproved", "R2", [("YRN", 1_000)]))
    assert runtime.db.reservations.find_one({"_id": "R2"})["status"] == "waitlisted"
    damage = {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-1", "reason": "damage", "lot": "E1"}
    assert api("POST", "/movements", damage, status=409)["error"]["code"] == "lot_expired"
    gone = {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-1", "reason": "expired", "lot": "FRESH"}
    assert api("POST", "/movements", gone, status=409)["error"]["code"] == "lot_not_expired"
    api("POST", "/movements", {**gone, "lot": "E1", "quantity": "-3"}, status=201)  # what no hold needs
    api("POST", "/movements", {**gone, "lot": "E1", "quantity": "-1"}, status=409)  # the rest is set aside
    handle(requisition("RequisitionDispatched", "R1", []))  # handed over all the same: booked, FRESH first
    assert issued_lots(runtime, "R1") == [[{"lot": "E1", "quantity": -2_000}, {"lot": "FRESH", "quantity": -2_000}]]
    assert lots_of(api) == []
    check_invariants(runtime.db)


def test_stock_kept_before_lots_becomes_one_lot_at_its_first_write(api, runtime):
    runtime.db.stock.insert_one({"_id": "VNS/BRS", "sku": "BRS", "depot": "VNS", "category": "metal",
                                 "reorder_level": 0, "on_hand": 7_000, "reserved": 0, "available": 7_000,
                                 "level": "ok", "holds": {}, "version": 3, "journal": [], "outbox": []})
    runtime.db.movements.insert_one({"_id": "0000000000000001aaaa", "type": "receipt", "sku": "BRS", "depot": "VNS",
                                     "quantity": 7_000, "reserved_change": 0, "by": "old", "at": datetime.now()})
    [(code, on_hand, _)] = lots_of(api, "BRS")
    assert on_hand == "7"
    receive(api, "1", "NEW", sku="BRS")
    assert lots_of(api, "BRS") == [(code, "7", "available"), ("NEW", "1", "available")]
    problems = [p for p in check(facts_of({"inventory": runtime.db})).problems if "outbox" not in p
                and "not yet projected" not in p]
    assert problems == []


def test_stock_found_in_a_new_lot_keeps_its_label_as_a_receipt_does(api, runtime):
    """A positive adjustment naming a new lot with its shade, count, mill and expiry kept only the code."""
    receive(api, "10", "A")
    found = {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "3", "reason": "count",
             "lot": {"code": "F1", "shade": "madder-3", "count": "2/60s", "mill": "Sri Ram", "expires_on": in_days(90)}}
    api("POST", "/movements", found, status=201)
    [lot] = [x for x in api("GET", "/stock/VNS/YRN")["lots"] if x["lot"] == "F1"]
    assert (lot["on_hand"], lot["shade"], lot["count"], lot["mill"], lot["expires_on"]) == \
        ("3", "madder-3", "2/60s", "Sri Ram", in_days(90))
    other = {**found, "quantity": "1", "lot": {"code": "F1", "shade": "other"}}  # not its label: refused, as a receipt
    assert api("POST", "/movements", other, status=409)["error"]["code"] == "lot_mismatch"
    api("POST", "/movements", {**found, "quantity": "1", "lot": "F1"}, status=201)  # by its code alone
    [lot] = [x for x in api("GET", "/stock/VNS/YRN")["lots"] if x["lot"] == "F1"]
    assert (lot["on_hand"], lot["shade"]) == ("4", "madder-3")


def test_an_expiry_in_the_past_is_said_with_its_date_as_the_pages_write_dates_after_the_fields_name(api, runtime):
    """The refusal showed '2020-01-01' where every page reads '1 Jan 2020', and began with a capital after the
    page's 'Expires on:'."""
    said = {lang: receive(api, "5", {"code": "OLD-1", "expires_on": "2020-01-01"}, status=422, lang=lang)["error"]
            for lang in ("en", "hi")}
    assert said["en"]["message"] == ("must be later than today (it says 1 Jan 2020): expired material cannot be "
                                     "received.")
    assert said["hi"]["message"] == ("आज के बाद की होनी चाहिए (इसमें 1 जन॰ 2020 लिखा है): समाप्त हो चुका सामान "
                                     "प्राप्त नहीं किया जा सकता।")
    assert said["en"]["details"]["expires_on"] == "2020-01-01"  # the details keep what was sent
