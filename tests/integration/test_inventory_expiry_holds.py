"""A lot that expires under approved requisitions' holds: the holds stay covered by the material's other usable lots,
or the requisitions that came last go back to the waitlist (requests and notifier follow); a dispatch that comes
for a hold its usable lots no longer cover is booked all the same, once, with the expired lot named and an alert."""
from datetime import datetime, timedelta, timezone

import pytest

from services.inventory import clock, queries, reservations, waitlist, watch
from services.inventory.consumer import make_handler
from services.notifier import handlers as notifier_handlers, texts
from services.requests import consumer as requests_consumer
from shared.envelope import decode_event
from shared.errors import outcome
from shared.mongo import connect
from shared.reconcile import check, facts_of
from tests.integration.test_inventory_support import (Killed, check_invariants, dated,  # noqa: F401
                                                      inventory_api, outbox_types, requisition, runtime)
from tests.integration.test_requests_support import client, know_materials  # noqa: F401
from tests.integration.test_inventory_lots import api, handle  # noqa: F401  (fixtures)


def receive(api, quantity, code, days=None, sku="YRN"):
    """A receipt into lot `code`, expiring in `days`; without them a dye's lot gives a date far ahead (dated)."""
    lot = dated({"code": code, **({"expires_on": (clock.today() + timedelta(days=days)).isoformat()} if days else {})},
                sku)
    api("POST", "/movements", {"type": "receipt", "sku": sku, "depot": "VNS", "quantity": quantity, "lot": lot},
        status=201)


def later(monkeypatch, days):
    moment = datetime.now(timezone.utc) + timedelta(days=days)
    monkeypatch.setattr(clock, "now", lambda: moment)


def stock(runtime, sku="YRN"):
    doc = runtime.db.stock.find_one({"_id": f"VNS/{sku}"})
    lots = {lot["lot"]: (lot["on_hand"], lot.get("status", "available")) for lot in doc["lots"]}
    return doc["on_hand"], doc["reserved"], doc["available"], doc["holds"], lots


def status(runtime, rid):
    return runtime.db.reservations.find_one({"_id": rid})["status"]


def events_of(runtime, rid, type_):
    return [decode_event(e) for e in runtime.db.reservations.find_one({"_id": rid})["outbox"] if e["type"] == type_]


def issued(runtime, rid):
    return sorted(tuple((x["lot"], x["quantity"]) for x in e["lots"]) if e.get("lots") else ((e["lot"], e["quantity"]),)
                  for e in runtime.db.movements.find({"type": "issue", "requisition_id": rid}))


def clean(*dbs):
    found = facts_of({"inventory": dbs[0], **({"requests": dbs[1]} if len(dbs) > 1 else {})})
    return [p for p in check(found).problems if "outbox" not in p and "not yet projected" not in p]


def test_a_hold_whose_lot_expires_stays_covered_by_the_materials_other_usable_lots(api, runtime, handle,
                                                                                   monkeypatch):
    receive(api, "5", "E1", days=3)
    receive(api, "6", "FRESH")
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))
    later(monkeypatch, 3)
    watch.step(runtime.db)
    assert status(runtime, "R1") == "held" and outbox_types(runtime.db, "reservations", "R1") == ["StockReserved"]
    assert stock(runtime) == (11_000, 4_000, 2_000, {"R1": 4_000}, {"E1": (5_000, "expired"),
                                                                     "FRESH": (6_000, "available")})
    handle(requisition("RequisitionDispatched", "R1", []))
    assert issued(runtime, "R1") == [(("FRESH", -4_000),)]
    assert stock(runtime) == (7_000, 0, 2_000, {}, {"E1": (5_000, "expired"), "FRESH": (2_000, "available")})
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def test_too_little_usable_stock_sends_the_holds_that_came_last_back_to_the_waitlist(api, runtime, handle,
                                                                                      monkeypatch):
    receive(api, "5", "E1", days=3)
    receive(api, "4", "FRESH")
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))
    handle(requisition("RequisitionApproved", "R2", [("YRN", 4_000)]))
    later(monkeypatch, 3)
    watch.step(runtime.db)
    watch.step(runtime.db)  # a second look finds nothing more to do
    assert (status(runtime, "R1"), status(runtime, "R2")) == ("held", "waitlisted")
    [back] = events_of(runtime, "R2", "StockWaitlisted")
    assert (back.data["position"], back.data["reason"]) == (1, "lot_expired")
    assert stock(runtime) == (9_000, 4_000, 0, {"R1": 4_000}, {"E1": (5_000, "expired"),
                                                               "FRESH": (4_000, "available")})
    check_invariants(runtime.db)
    assert clean(runtime.db) == []
    receive(api, "4", "NEW")  # stock arrives: the waitlist is served as ever
    [received] = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
                  if e["type"] == "StockReceived" and decode_event(e).data["lot"] == "NEW"]
    handle(received)
    assert status(runtime, "R2") == "held"


@pytest.mark.parametrize("second_clock", [0, -5], ids=["same-millisecond", "second-worker-5s-behind"])
def test_the_requisition_approved_last_gives_way_whatever_the_workers_clocks_said(api, runtime, handle, monkeypatch,
                                                                                 second_clock):
    """Who came last is the order of approval (the depot's place numbers), not the time a worker's clock wrote:
    two holds written in one millisecond, or by a second worker whose clock lags, are still told apart."""
    start = datetime.now(timezone.utc)
    receive(api, "5", "E1", days=3)
    receive(api, "4", "FRESH")
    monkeypatch.setattr(reservations, "utcnow", lambda: start)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))
    monkeypatch.setattr(reservations, "utcnow", lambda: start + timedelta(seconds=second_clock))
    handle(requisition("RequisitionApproved", "R2", [("YRN", 4_000)]))
    later(monkeypatch, 3)
    watch.step(runtime.db)
    assert (status(runtime, "R1"), status(runtime, "R2")) == ("held", "waitlisted")
    assert stock(runtime)[3] == {"R1": 4_000}
    check_invariants(runtime.db)


def test_requests_and_the_notifier_follow_a_requisition_sent_back_to_the_waitlist(client, runtime, config,
                                                                                   monkeypatch, api):
    know_materials(client.db, [("YRN", "yarn", "kg")])
    client.register("ART-1")
    rid = client.submit(client.artisan("ART-1"), [("YRN", 4)])["id"]
    client.act(rid, "approve", client.admin())
    notifier = connect("mongomock://x")["notifier_expiry"]
    inventory = make_handler(runtime.db, config)
    to_requests = requests_consumer.make_handler(client.db, None)
    approved = [decode_event(e) for e in client.db.requisitions.find_one({"_id": rid})["outbox"]
                if e["type"] == "RequisitionApproved"]
    receive(api, "5", "E1", days=3)
    for event in approved:
        inventory(event)
        notifier_handlers.apply(notifier, config, event)

    def answers():
        for event in [decode_event(e) for e in runtime.db.reservations.find_one({"_id": rid})["outbox"]]:
            to_requests(event)
            notifier_handlers.apply(notifier, config, event)
    answers()
    assert client.get(rid, client.admin())["status"] == "reserved"
    later(monkeypatch, 3)
    watch.step(runtime.db)
    answers()
    answers()  # delivered twice
    doc = client.get(rid, client.admin())
    assert (doc["status"], doc.get("waitlist_position")) == ("waitlisted", 1)
    assert client.act(rid, "dispatch", client.admin(), status=409)
    told = [n["status"] for n in notifier.notifications.find({"requisition_id": rid}, sort=[("at", 1)])]
    assert told[-2:] == ["reserved", "waitlisted"] and told.count("waitlisted") == 1
    assert notifier.waitlist.count_documents({"requisition_id": rid, "left_at": None}) == 1
    note = notifier.notifications.find_one({"requisition_id": rid, "status": "waitlisted"})
    english, hindi = (texts.notification(note, {}, {}, lang)[1] for lang in ("en", "hi"))
    assert "expired before it was handed over" in english and "number 1" in english and english != hindi
    check_invariants(runtime.db)
    assert clean(runtime.db, client.db) == []


def test_a_dispatch_of_a_hold_whose_lot_expired_is_booked_once_from_the_expired_lot_with_an_alert(
        api, runtime, handle, monkeypatch, config):
    receive(api, "5", "E1", days=3)
    receive(api, "1", "FRESH")
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))
    later(monkeypatch, 3)  # midnight passes; the dispatch comes before the watch looks
    dispatched = requisition("RequisitionDispatched", "R1", [])
    handle(dispatched)
    handle(dispatched)  # a replay, e.g. of an old dead letter
    assert status(runtime, "R1") == "issued"
    assert issued(runtime, "R1") == [(("E1", -3_000), ("FRESH", -1_000))]
    assert stock(runtime) == (2_000, 0, 0, {}, {"E1": (2_000, "expired")})
    alerts = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
              if e["type"] == "ExpiredLotIssued"]
    assert [(a.data["lot"], a.data["quantity"], a.data["requisition_id"]) for a in alerts] == [("E1", 3_000, "R1")]
    notifier = connect("mongomock://x")["notifier_handed_over"]
    for event in alerts + alerts:  # delivered twice: one alert
        notifier_handlers.apply(notifier, config, event)
    [alert] = notifier.alerts.find({})
    assert (alert["kind"], alert["severity"], alert["status"]) == ("expired_lot_issued", "critical", "open")
    english, hindi = (texts.alert(alert, {}, {}, lang) for lang in ("en", "hi"))
    assert "E1" in english[0] and "R1" in english[1] and english != hindi and "{" not in str(english + hindi)
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def test_a_dispatch_that_crossed_the_return_to_the_waitlist_is_booked_and_leaves_the_waitlist(
        api, runtime, handle, monkeypatch):
    sent_back(api, runtime, handle, monkeypatch, [("YRN", 4_000)])
    handle(requisition("RequisitionDispatched", "R1", []))  # requests had said "reserved" when it was handed over
    handle(requisition("RequisitionDispatched", "R1", []))
    assert status(runtime, "R1") == "issued" and issued(runtime, "R1") == [(("E1", -4_000),)]
    assert not waitlist.anyone_waiting(runtime.db, "VNS")
    assert stock(runtime) == (1_000, 0, 0, {}, {"E1": (1_000, "expired")})
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def write_off_expired(api, quantity, code):
    api("POST", "/movements", {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": f"-{quantity}",
                               "reason": "expired", "lot": code}, status=201)


def refused_for_a_count(handle, rid):
    """The dispatch is a dead letter (permanent) whose reason says what to do; retried, it would block its
    partition for ever (before: InsufficientStock, which the consumer loop retries)."""
    with pytest.raises(reservations.InvalidRequisition) as refused:
        handle(requisition("RequisitionDispatched", rid, []))
    assert outcome(refused.value).permanent
    assert "count the stock" in str(refused.value) and "on hold" in str(refused.value)


def sent_back(api, runtime, handle, monkeypatch, lines):
    """R1 held on lot E1 (5 kg of yarn, expiring in 3 days) goes back to the waitlist at its expiry."""
    receive(api, "5", "E1", days=3)
    handle(requisition("RequisitionApproved", "R1", lines))
    later(monkeypatch, 3)
    watch.step(runtime.db)
    assert status(runtime, "R1") == "waitlisted"


def sent_back_then_only_a_lot_on_hold_left(api, runtime, handle, monkeypatch, lines):
    """R1 sent back (`sent_back`); then 6 kg come in lot NEW, which is put on hold for inspection, and E1 is
    written off."""
    sent_back(api, runtime, handle, monkeypatch, lines)
    receive(api, "6", "NEW")
    api("POST", "/stock/VNS/YRN/lots/hold", {"lot": "NEW", "note": "wet bales"}, status=200)
    write_off_expired(api, 5, "E1")


def test_a_dispatch_that_crossed_the_return_to_the_waitlist_with_only_a_lot_on_hold_left_is_a_dead_letter(
        api, runtime, handle, monkeypatch):
    """What usable and expired lots no longer hold cannot be booked from a lot on hold for inspection: the
    dispatch is refused, for a count (or the lot's release), and changes nothing; released, its replay books it."""
    sent_back_then_only_a_lot_on_hold_left(api, runtime, handle, monkeypatch, [("YRN", 4_000)])
    before = stock(runtime)
    refused_for_a_count(handle, "R1")
    assert stock(runtime) == before == (6_000, 0, 0, {}, {"NEW": (6_000, "on_hold")})
    assert status(runtime, "R1") == "waitlisted"
    api("POST", "/stock/VNS/YRN/lots/release", {"lot": "NEW"}, status=200)
    handle(requisition("RequisitionDispatched", "R1", []))  # the dead letter replayed
    assert status(runtime, "R1") == "issued" and issued(runtime, "R1") == [(("NEW", -4_000),)]
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def test_a_crossed_dispatch_refused_on_its_second_line_gives_back_what_its_first_line_held(
        api, runtime, handle, monkeypatch):
    """No requisition waits while holding stock: the lines held before the refusal are given back."""
    receive(api, "5", "D1", days=3, sku="DYE")
    sent_back_then_only_a_lot_on_hold_left(api, runtime, handle, monkeypatch, [("DYE", 4_000), ("YRN", 4_000)])
    refused_for_a_count(handle, "R1")  # DYE (first) could be held again; YRN could not
    assert status(runtime, "R1") == "waitlisted"
    assert [runtime.db.stock.find_one({"_id": f"VNS/{sku}"})["holds"] for sku in ("DYE", "YRN")] == [{}, {}]
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def test_a_dispatch_of_a_hold_whose_expired_lot_was_written_off_before_the_watch_is_a_dead_letter(
        api, runtime, handle, monkeypatch):
    receive(api, "4", "E1", days=3)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))
    receive(api, "3", "NEW")
    api("POST", "/stock/VNS/YRN/lots/hold", {"lot": "NEW", "note": "wet bales"}, status=200)
    later(monkeypatch, 3)  # midnight: E1 expires under the hold; the watch has not looked yet
    write_off_expired(api, 1, "E1")  # what is set aside stays on hand: lot NEW keeps on hand above it
    before = stock(runtime)
    refused_for_a_count(handle, "R1")
    assert stock(runtime) == before
    assert status(runtime, "R1") == "held"
    check_invariants(runtime.db)


@pytest.mark.parametrize("next_comes", ["the watch", "the dispatch"])
def test_a_worker_that_dies_while_sending_holds_back_to_the_waitlist_is_finished_by_what_comes_next(
        api, runtime, config, monkeypatch, next_comes):
    receive(api, "5", "E1", days=3)
    receive(api, "5", "D1", days=3, sku="DYE")
    handle = make_handler(runtime.db, config, lease_seconds=0.3, wait_seconds=5)
    handle(requisition("RequisitionApproved", "R1", [("DYE", 1_000), ("YRN", 4_000)]))
    later(monkeypatch, 3)
    real_join = waitlist.join

    def dies(db, depot, *args):
        raise Killed()
    monkeypatch.setattr(waitlist, "join", dies)  # the process dies after releasing, before the waitlist write
    with pytest.raises(Killed):
        watch.step(runtime.db, reservations.Reservations(runtime.db, lease_seconds=0.3))
    assert status(runtime, "R1") == "held" and stock(runtime)[3] == {} and stock(runtime, "DYE")[3] == {}
    monkeypatch.setattr(waitlist, "join", real_join)
    restarted = reservations.Reservations(runtime.db, lease_seconds=0.3, wait_seconds=5)  # waits out the dead lease
    if next_comes == "the watch":
        watch.step(runtime.db, restarted)
        watch.step(runtime.db, restarted)
        assert status(runtime, "R1") == "waitlisted" and len(events_of(runtime, "R1", "StockWaitlisted")) == 1
    handle(requisition("RequisitionDispatched", "R1", []))  # handed over: booked once, every line
    handle(requisition("RequisitionDispatched", "R1", []))
    watch.step(runtime.db, restarted)
    assert status(runtime, "R1") == "issued"
    assert issued(runtime, "R1") == [(("D1", -1_000),), (("E1", -4_000),)]
    assert not waitlist.anyone_waiting(runtime.db, "VNS")
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def test_a_dispatch_that_dies_between_lines_is_finished_by_its_replay_once(api, runtime, config, monkeypatch):
    receive(api, "5", "E1", days=3)
    receive(api, "5", "D1", days=3, sku="DYE")
    handle = make_handler(runtime.db, config, lease_seconds=0.3, wait_seconds=5)
    handle(requisition("RequisitionApproved", "R1", [("DYE", 1_000), ("YRN", 4_000)]))
    later(monkeypatch, 3)
    dispatched = requisition("RequisitionDispatched", "R1", [])
    seen = []
    real = reservations.Reservations._change

    def dies_after_first_issue(self, doc, sku, kind, *args, **kw):
        real(self, doc, sku, kind, *args, **kw)
        if kind == "issue":
            seen.append(sku)
            if len(seen) == 1:
                raise Killed()
    monkeypatch.setattr(reservations.Reservations, "_change", dies_after_first_issue)
    with pytest.raises(Killed):
        handle(dispatched)
    monkeypatch.setattr(reservations.Reservations, "_change", real)
    handle(dispatched)
    handle(dispatched)
    assert status(runtime, "R1") == "issued"
    assert sorted(issued(runtime, "R1")) == [(("D1", -1_000),), (("E1", -4_000),)]
    assert queries.get_stock(runtime.db, "VNS", "YRN")["reserved"] == 0
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def died_after_the_first_line(api, runtime, config, monkeypatch):
    """R1 (1 kg of dye from D1, 4 kg of yarn from E1, which expires on day 3) held, and on day 3 its dispatch dies
    after handing over the dye: (a live handler, the dispatch to send again)."""
    receive(api, "5", "E1", days=3)
    receive(api, "5", "D1", sku="DYE")
    handle = make_handler(runtime.db, config, lease_seconds=0.3, wait_seconds=5)
    handle(requisition("RequisitionApproved", "R1", [("DYE", 1_000), ("YRN", 4_000)]))
    later(monkeypatch, 3)
    dispatched = requisition("RequisitionDispatched", "R1", [])
    real = reservations.Reservations._change

    def dies_after_first_issue(self, doc, sku, kind, *args, **kw):
        real(self, doc, sku, kind, *args, **kw)
        if kind == "issue":
            raise Killed()
    monkeypatch.setattr(reservations.Reservations, "_change", dies_after_first_issue)
    with pytest.raises(Killed):
        handle(dispatched)
    monkeypatch.setattr(reservations.Reservations, "_change", real)
    return handle, dispatched


def test_a_dispatch_that_died_between_lines_is_not_sent_back_to_the_waitlist_by_the_watch_before_its_replay(
        api, runtime, config, monkeypatch):
    """The dispatch died after handing over the first line; before its replay the watch finds the second line's lot
    expired under the hold. The requisition is being handed over: it must not give way (its first line has no hold
    left, so the replay, finding it sent back, held and issued that line a second time: on hand fell twice)."""
    handle, dispatched = died_after_the_first_line(api, runtime, config, monkeypatch)
    assert issued(runtime, "R1") == [(("D1", -1_000),)]
    watch.step(runtime.db, reservations.Reservations(runtime.db, lease_seconds=0.3, wait_seconds=5))
    assert status(runtime, "R1") == "held"   # being handed over: it waits for nothing
    handle(dispatched)
    handle(dispatched)
    assert status(runtime, "R1") == "issued"
    assert issued(runtime, "R1") == [(("D1", -1_000),), (("E1", -4_000),)]
    assert queries.get_stock(runtime.db, "VNS", "DYE")["on_hand"] == 4_000
    assert not waitlist.anyone_waiting(runtime.db, "VNS")
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def test_stock_found_is_recorded_where_the_holds_are_more_than_the_usable_stock_and_only_found_stock(
        api, runtime, config, monkeypatch):
    """A dispatch died after handing over its first line and the second line's lot expired under the hold before
    its replay: the hold stays (it is being handed over) and available is below zero. A count that finds stock is
    still recorded (it adds, into a usable lot); one that takes stock away is refused, and nothing changed. Found by
    the stateful test in CI: its model refused every adjustment that would leave available below zero."""
    handle, dispatched = died_after_the_first_line(api, runtime, config, monkeypatch)
    watch.step(runtime.db, reservations.Reservations(runtime.db, lease_seconds=0.3, wait_seconds=5))
    assert stock(runtime)[:3] == (5_000, 4_000, -4_000)
    count = {"type": "adjustment", "sku": "YRN", "depot": "VNS", "reason": "count"}
    before = stock(runtime)
    refused = api("POST", "/movements", {**count, "quantity": "-0.001"}, status=409)
    assert refused["error"]["code"] == "insufficient_stock"
    assert stock(runtime) == before
    api("POST", "/movements", {**count, "quantity": "1"}, status=201)
    on_hand, reserved, available, holds, lots = stock(runtime)
    assert (on_hand, reserved, available, set(holds)) == (6_000, 4_000, -3_000, {"R1"})
    assert lots["E1"] == (5_000, "expired") and sum(q for q, _ in lots.values()) == 6_000
    handle(dispatched)
    assert status(runtime, "R1") == "issued"   # the usable lot first, the rest from the expired one
    [dye, yarn] = issued(runtime, "R1")
    assert dye == (("D1", -1_000),) and ("E1", -3_000) in yarn and sum(q for _, q in yarn) == -4_000
    assert stock(runtime)[:3] == (2_000, 0, 0)
    check_invariants(runtime.db)
    assert clean(runtime.db) == []



def stock_received(runtime, lot, sku="YRN"):
    [event] = [decode_event(e) for e in runtime.db.stock.find_one({"_id": f"VNS/{sku}"})["outbox"]
               if e["type"] == "StockReceived" and decode_event(e).data["lot"] == lot]
    return event


def test_a_requisition_sent_back_by_an_expiry_keeps_its_place_ahead_of_those_approved_after_it(
        api, runtime, handle, monkeypatch):
    receive(api, "5", "E1", days=3)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))  # held from E1
    handle(requisition("RequisitionApproved", "R2", [("YRN", 4_000)]))  # 1 kg left: waits
    assert (status(runtime, "R1"), status(runtime, "R2")) == ("held", "waitlisted")
    later(monkeypatch, 3)
    watch.step(runtime.db)
    [back] = events_of(runtime, "R1", "StockWaitlisted")
    assert (back.data["position"], back.data["reason"]) == (1, "lot_expired")  # approved first: first in line
    assert [api("GET", f"/reservations/{rid}")["position"] for rid in ("R1", "R2")] == [1, 2]
    receive(api, "4", "NEW")  # enough for one of them
    handle(stock_received(runtime, "NEW"))
    assert (status(runtime, "R1"), status(runtime, "R2")) == ("held", "waitlisted")
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def test_an_expiry_handled_again_after_a_crash_or_twice_does_not_move_the_requisition_again(
        api, runtime, config, monkeypatch):
    receive(api, "5", "E1", days=3)
    handle = make_handler(runtime.db, config, lease_seconds=0.3, wait_seconds=5)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 4_000)]))
    handle(requisition("RequisitionApproved", "R2", [("YRN", 4_000)]))
    later(monkeypatch, 3)
    real_join = waitlist.join

    def dies_after_joining(db, depot, *args, **kwargs):
        real_join(db, depot, *args, **kwargs)
        raise Killed()
    monkeypatch.setattr(waitlist, "join", dies_after_joining)  # dies between taking its place and storing it
    with pytest.raises(Killed):
        watch.step(runtime.db, reservations.Reservations(runtime.db, lease_seconds=0.3))
    monkeypatch.setattr(waitlist, "join", real_join)
    handle(requisition("RequisitionApproved", "R3", [("YRN", 1_000)]))  # approved meanwhile: waits behind R2
    restarted = reservations.Reservations(runtime.db, lease_seconds=0.3, wait_seconds=5)
    watch.step(runtime.db, restarted)  # finishes it
    watch.step(runtime.db, restarted)  # and a second look, and the same handling once more, change nothing
    assert restarted.give_way("R1") == "waitlisted"
    assert status(runtime, "R1") == "waitlisted" and len(events_of(runtime, "R1", "StockWaitlisted")) == 1
    assert [api("GET", f"/reservations/{rid}")["position"] for rid in ("R1", "R2", "R3")] == [1, 2, 3]
    receive(api, "4", "NEW")
    handle(stock_received(runtime, "NEW"))
    assert [status(runtime, rid) for rid in ("R1", "R2", "R3")] == ["held", "waitlisted", "waitlisted"]
    assert waitlist.anyone_waiting(runtime.db, "VNS")
    check_invariants(runtime.db)
    assert clean(runtime.db) == []


def stock_alerts(notifier):
    return [(a["kind"], a["status"], a["count"]) for a in notifier.alerts.find({}, sort=[("first_seen", 1)])]


@pytest.mark.parametrize("fresh, level, event, kind", [
    ("3", "low", "StockLow", "low_stock"),  # 3 kg left usable, reorder level 5 kg
    (None, "depleted", "StockDepleted", "stock_out"),  # nothing usable left
])
def test_a_lot_expiring_raises_the_level_crossing_once_and_admins_are_alerted(
        api, runtime, monkeypatch, config, fresh, level, event, kind):
    receive(api, "8", "E1", days=3)
    if fresh:
        receive(api, fresh, "FRESH")
    assert runtime.db.stock.find_one({"_id": "VNS/YRN"})["level"] == "ok"
    later(monkeypatch, 3)
    watch.step(runtime.db)  # the expiry alone: no movement
    doc = runtime.db.stock.find_one({"_id": "VNS/YRN"})
    assert (doc["level"], [e["type"] for e in doc["outbox"]].count(event)) == (level, 1)
    assert [s["sku"] for s in api("GET", "/stock?depot=VNS&below_reorder=true")] == ["YRN"]
    watch.step(runtime.db)
    gone = {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-1", "reason": "expired", "lot": "E1"}
    api("POST", "/movements", gone, status=201)  # the next write: the level did not move again
    outbox = [decode_event(e) for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"]]
    crossings = [e for e in outbox if e.type in ("StockLow", "StockDepleted", "StockReplenished")]
    assert [(e.type, e.data["available"]) for e in crossings] == [(event, int(fresh or 0) * 1_000)]
    notifier = connect("mongomock://x")[f"notifier_expiry_{level}"]
    for each in outbox + outbox:  # delivered twice
        notifier_handlers.apply(notifier, config, each)
    assert (kind, "open", 1) in stock_alerts(notifier)
    alert = notifier.alerts.find_one({"kind": kind})
    english, hindi = (texts.alert(alert, {}, {}, lang) for lang in ("en", "hi"))
    assert "YRN" in str(english) and english != hindi
    check_invariants(runtime.db)
    assert clean(runtime.db) == []
