"""Many threads on one material, and crashes in the middle of a requisition: nothing oversold."""
import sys
import time
import threading

import pytest

from services.inventory import create_app, movements, queries, spec
from services.inventory.consumer import make_handler
from services.inventory.errors import InvalidRequisition
from shared.runtime import Runtime
from tests.integration.test_inventory_support import (DyingStore, Killed, check_invariants, dated_receipt,  # noqa: F401
                                                      db, requisition, seed_catalog)

THREADS = 50


def receive(db, sku, quantity, depot="VNS"):
    """A receipt; a dye's new lot gives an expiry date far ahead (expiry_required), as a label would."""
    body = {"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity}
    movements.record_movement(db, dated_receipt(body), by="test")


def run_threads(target, n=THREADS):
    """Start n threads together, switching between them very often so that races show up.

    (With this switch interval, the same code on a bare mongomock client breaks reserved
    totals in most runs; the locked embedded store from shared.mongo must not.)
    """
    errors, barrier = [], threading.Barrier(n)

    def body(i):
        try:
            barrier.wait(10)
            target(i)
        except BaseException as exc:  # report every failure, not just the first
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        sys.setswitchinterval(interval)
    assert not any(t.is_alive() for t in threads)
    assert errors == []


def test_fifty_threads_reserving_one_material_hold_exactly_what_the_model_says(db, config):
    """Each thread delivers its approval twice; stock covers 30 of 50 requests of 0.7 kg."""
    receive(db, "YRN", 21_000)
    handle = make_handler(db, config)

    def reserve(i):
        event = requisition("RequisitionApproved", f"R{i:02}", [("YRN", 700)])
        handle(event)
        handle(event)

    run_threads(reserve)
    statuses = [doc["status"] for doc in db.reservations.find({})]
    assert statuses.count("held") == 30 and statuses.count("waitlisted") == 20
    stock = db.stock.find_one({"_id": "VNS/YRN"})
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (21_000, 21_000, 0)
    assert len(stock["holds"]) == 30 and set(stock["holds"].values()) == {700}
    assert db.movements.count_documents({"type": "reservation"}) == 30   # one hold entry each, no double
    check_invariants(db)


def test_fifty_threads_with_two_line_requests_and_receipts_keep_every_invariant(db, config):
    receive(db, "YRN", 10_000)
    receive(db, "DYE", 3_000)
    handle = make_handler(db, config)

    def work(i):
        if i % 10 == 0:
            receive(db, "DYE", 500)
        rid = f"M{i:02}"
        handle(requisition("RequisitionApproved", rid, [("YRN", 400), ("DYE", 300)]))
        if i % 7 == 0:
            handle(requisition("RequisitionCancelled", rid, []))

    run_threads(work)
    check_invariants(db)
    held = db.reservations.count_documents({"status": "held"})
    assert queries.get_stock(db, "VNS", "YRN")["reserved"] == held * 400
    assert queries.get_stock(db, "VNS", "DYE")["reserved"] == held * 300


def crash_after(count):
    seen = []

    def after_line(rid, sku):
        seen.append(sku)
        if len(seen) == count:
            raise Killed()
    return after_line


@pytest.mark.parametrize("stock_for_last_line, final", [(5_000, "held"), (100, "waitlisted")])
def test_crash_between_lines_then_restart_and_replay_ends_all_held_or_none_held(
        db, config, stock_for_last_line, final):
    receive(db, "BRS", 5_000)
    receive(db, "DYE", 5_000)
    receive(db, "YRN", stock_for_last_line)
    approved = requisition("RequisitionApproved", "R1", [("BRS", 1_000), ("DYE", 1_000), ("YRN", 1_000)])
    dying = make_handler(db, config, lease_seconds=0.3, after_line=crash_after(2))
    with pytest.raises(Killed):
        dying(approved)
    doc = db.reservations.find_one({"_id": "R1"})
    assert doc["status"] == "reserving" and sorted(doc["held"]) == ["BRS", "DYE"]   # stopped half way
    assert queries.get_stock(db, "VNS", "BRS")["reserved"] == 1_000

    restarted = make_handler(db, config, lease_seconds=0.3, wait_seconds=5)   # waits out the dead lease
    restarted(approved)
    restarted(approved)
    assert db.reservations.find_one({"_id": "R1"})["status"] == final
    reserved = [queries.get_stock(db, "VNS", sku)["reserved"] for sku in ("BRS", "DYE", "YRN")]
    assert reserved == ([1_000] * 3 if final == "held" else [0, 0, 0])
    check_invariants(db)


def test_a_cancel_after_a_crash_releases_the_half_held_requisition(db, config):
    receive(db, "BRS", 5_000)
    receive(db, "DYE", 5_000)
    dying = make_handler(db, config, lease_seconds=0.3, after_line=crash_after(1))
    with pytest.raises(Killed):
        dying(requisition("RequisitionApproved", "R1", [("BRS", 1_000), ("DYE", 1_000)]))
    restarted = make_handler(db, config, lease_seconds=0.3, wait_seconds=5)
    restarted(requisition("RequisitionCancelled", "R1", []))
    restarted(requisition("RequisitionApproved", "R1", [("BRS", 1_000), ("DYE", 1_000)]))
    assert db.reservations.find_one({"_id": "R1"})["status"] == "released"
    assert queries.get_stock(db, "VNS", "BRS")["reserved"] == 0
    check_invariants(db)


def test_fifty_threads_taking_stock_off_over_http_never_go_below_zero(config, token):
    """Adjustments and transfers race for 30 kg through the API: 30 succeed, the rest get 409."""
    runtime = Runtime(spec(), config)
    db = runtime.db
    seed_catalog(db)
    client = create_app(config, runtime).test_client()
    receive(db, "YRN", 30_000)
    headers = token("warehouse", depot="VNS")
    statuses = []

    def take(i):
        body = {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-1", "reason": "damage"} \
            if i % 2 else {"type": "transfer", "sku": "YRN", "depot": "VNS", "to_depot": "BHD", "quantity": "1"}
        statuses.append(client.post("/api/v1/movements", json=body, headers=headers).status_code)

    try:
        run_threads(take)
        run_threads(take)
        assert sorted(set(statuses)) == [201, 409] and statuses.count(201) == 30
        assert queries.get_stock(db, "VNS", "YRN")["on_hand"] == 0
        moved = queries.get_stock(db, "BHD", "YRN")["on_hand"]
        assert moved == 1_000 * db.movements.count_documents({"type": "transfer", "depot": "BHD"})
        check_invariants(db)
    finally:
        runtime.close()


def test_forty_threads_reserving_and_dispatching_across_lots_never_take_a_held_or_expired_lot(db, config,
                                                                                             monkeypatch):
    """Usable lots A and B hold 20 kg; C is on hold and E expired: 40 requests of 1 kg, each dispatched at once."""
    from datetime import datetime, timedelta, timezone

    from services.inventory import clock, lots
    soon = (clock.today() + timedelta(days=2)).isoformat()
    for code, quantity, expires in (("A", 12_000, None), ("B", 8_000, None), ("C", 9_000, None), ("E", 7_000, soon)):
        movements.record_movement(db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": quantity,
                                       "lot": {"code": code, "expires_on": expires}}, by="test")
    lots.hold(db, "VNS", "YRN", "C", by="test")
    moment = datetime.now(timezone.utc) + timedelta(days=3)
    monkeypatch.setattr(clock, "now", lambda: moment)  # E has expired
    handle = make_handler(db, config)

    refused = []

    def take(i):
        handle(requisition("RequisitionApproved", f"L{i:02}", [("YRN", 1_000)]))
        try:
            handle(requisition("RequisitionDispatched", f"L{i:02}", []))
        except InvalidRequisition:  # waitlisted: nothing to hand over (the consumer dead-letters it)
            refused.append(i)

    run_threads(take, n=40)
    assert len(refused) == 20
    statuses = [doc["status"] for doc in db.reservations.find({})]
    assert statuses.count("issued") == 20 and statuses.count("waitlisted") == 20
    left = {lot["lot"]: lot["on_hand"] for lot in queries.get_stock(db, "VNS", "YRN")["lots"]}
    assert left == {"C": 9_000, "E": 7_000}  # A and B went, the held and the expired lots were never touched
    issued = [(entry["lot"], entry["quantity"]) for entry in db.movements.find({"type": "issue"})]  # 1 kg: one lot
    assert sum(-quantity for _, quantity in issued) == 20_000 and {lot for lot, _ in issued} <= {"A", "B"}
    check_invariants(db)


def test_a_worker_that_lost_its_lease_mid_approval_holds_nothing_after_the_cancel_that_took_over(db, config):
    """A worker stalls between two lines past its lease; another applies the cancel (released). The stalled
    worker must not go on to hold the next line: nobody would ever release that hold."""

    from services.inventory.errors import StockBusy
    receive(db, "BRS", 5_000)
    receive(db, "DYE", 5_000)
    other = make_handler(db, config, lease_seconds=0.3, wait_seconds=5)

    def stall_then_cancel(rid, sku):
        if sku == "BRS":
            time.sleep(0.4)                                       # the lease runs out while this worker stalls
            other(requisition("RequisitionCancelled", rid, []))   # the cancel takes the requisition over

    approved = requisition("RequisitionApproved", "R1", [("BRS", 1_000), ("DYE", 1_000)])
    stalled = make_handler(db, config, lease_seconds=0.3, after_line=stall_then_cancel)
    with pytest.raises(StockBusy):                                # retryable: the consumer tries again
        stalled(approved)
    other(approved)                                               # the retry: already released
    assert db.reservations.find_one({"_id": "R1"})["status"] == "released"
    assert [queries.get_stock(db, "VNS", sku)["reserved"] for sku in ("BRS", "DYE")] == [0, 0]
    check_invariants(db)


def test_requisitions_that_join_the_waitlist_while_a_receipt_serves_it_are_not_left_waiting_beside_stock(config):
    """A receipt serves the head of the queue while later approvals, seeing it waiting, join behind it. Whatever
    the interleaving, once all is applied the first requisition still waiting cannot fit what is available:
    none is left waiting beside stock that covers it until some later movement at the depot."""
    from shared.envelope import decode_event
    from tests.integration.test_inventory_support import fresh
    stuck = []
    for attempt in range(10):
        with fresh(config) as runtime:
            db = runtime.db
            receive(db, "YRN", 1_000)
            handle = make_handler(db, config)
            handle(requisition("RequisitionApproved", "R00", [("YRN", 2_000)]))   # waits: 1 kg of 2

            def work(i):
                if i == 0:
                    receive(db, "YRN", 2_000)                                    # now R00 and 1 kg more fit
                    raw = [e for e in db.stock.find_one({"_id": "VNS/YRN"})["outbox"]
                           if e["type"] == "StockReceived"][-1]
                    handle(decode_event(raw))
                else:
                    handle(requisition("RequisitionApproved", f"R{i:02}", [("YRN", 100)]))

            run_threads(work, n=6)
            waiting = sorted(db.reservations.find({"status": "waitlisted"}), key=lambda d: d["queue_seq"])
            available = queries.get_stock(db, "VNS", "YRN")["available"]
            if waiting and waiting[0]["lines"][0]["quantity"] <= available:
                stuck.append((attempt, waiting[0]["_id"], available))
            check_invariants(db)
    assert stuck == []


def _waiting_then_freed(db, config, lines):
    """W1 approved with nothing on hand (it waits), then a receipt of each line: the StockReceived to deliver."""
    from shared.envelope import decode_event
    make_handler(db, config)(requisition("RequisitionApproved", "W1", lines))
    assert db.reservations.find_one({"_id": "W1"})["status"] == "waitlisted"
    for sku, quantity in lines:
        receive(db, sku, quantity)
    raw = [e for e in db.stock.find_one({"_id": f"VNS/{lines[-1][0]}"})["outbox"] if e["type"] == "StockReceived"]
    return decode_event(raw[-1])


def test_a_waitlist_turn_a_worker_died_in_is_finished_when_its_event_comes_again_under_the_dead_lease(db, config):
    """The worker serving the waitlist died after holding every line, before storing it held. The event comes
    again while the dead worker's lease still runs: the walk waits the lease out and finishes the turn. (It gave
    up after its short wait and the event was done with: the requisition stayed waitlisted holding stock that no
    later walk frees, seen in tests/faults/test_worker_kills.py.)"""
    freed = _waiting_then_freed(db, config, [("BRS", 1_000), ("DYE", 1_000)])
    dying = make_handler(db, config, lease_seconds=1.0, after_line=crash_after(2))
    with pytest.raises(Killed):
        dying(freed)
    doc = db.reservations.find_one({"_id": "W1"})
    assert doc["status"] == "waitlisted" and sorted(doc["held"]) == ["BRS", "DYE"]

    make_handler(db, config, lease_seconds=1.0, wait_seconds=0.1)(freed)   # at once, the dead lease still runs
    assert db.reservations.find_one({"_id": "W1"})["status"] == "held"
    assert [queries.get_stock(db, "VNS", sku)["reserved"] for sku in ("BRS", "DYE")] == [1_000, 1_000]
    check_invariants(db)


@pytest.mark.parametrize("writes, right_after", [(1, False), (2, True)], ids=["before-W2-holds", "W2-holding"])
def test_an_approval_whose_walk_served_its_own_requisition_then_died_finishes_the_walk_when_it_comes_again(
        db, config, writes, right_after):
    """W1 and then W2 wait for yarn; a receipt covers both. W1's approval comes again (delivered twice) to a worker
    whose walk holds W1 and dies in W2's turn: before W2's hold, or right after it (W2 then waits holding yarn).
    When the approval comes again, W1 is already held: it must still walk the depot's waitlist, as every other
    handler does, and finish W2's turn the dead worker left. (It returned at W1 held: W2 waited beside the stock
    that covers it, with nothing of its own left to walk for it, until some other movement at the depot.)"""
    handle = make_handler(db, config)
    approved = requisition("RequisitionApproved", "W1", [("YRN", 1_000)])
    handle(approved)
    handle(requisition("RequisitionApproved", "W2", [("YRN", 500)]))
    assert [d["_id"] for d in db.reservations.find({"status": "waitlisted"}).sort("queue_seq", 1)] == ["W1", "W2"]
    receive(db, "YRN", 1_500)   # its StockReceived is not delivered here: the approval's own replay must finish

    dying = make_handler(DyingStore(db, writes, right_after), config, lease_seconds=0.3, wait_seconds=0)
    with pytest.raises(Killed):
        dying(approved)
    assert db.reservations.find_one({"_id": "W1"})["status"] == "held"
    doc = db.reservations.find_one({"_id": "W2"})
    assert doc["status"] == "waitlisted" and doc["held"] == ["YRN"] and doc.get("lease")   # left part way
    time.sleep(0.4)   # the dead worker's lease has run out

    make_handler(db, config, lease_seconds=0.3, wait_seconds=5)(approved)
    statuses = {doc["_id"]: doc["status"] for doc in db.reservations.find({})}
    assert statuses == {"W1": "held", "W2": "held"}
    assert db.stock.find_one({"_id": "VNS/YRN"})["holds"] == {"W1": 1_000, "W2": 500}
    check_invariants(db)


def test_a_waitlisted_requisition_left_holding_some_lines_gives_them_back_when_the_rest_no_longer_fits(db, config):
    """A worker died holding the first line of a waitlist turn; meanwhile a count took some of the second line
    away. The next walk must not pass the requisition by as one that does not fit: that kept its first hold for
    good, stock held for a requisition still waiting. It tries the turn again and, short, gives everything back."""
    freed = _waiting_then_freed(db, config, [("BRS", 1_000), ("DYE", 1_000)])
    dying = make_handler(db, config, lease_seconds=0.3, after_line=crash_after(1))
    with pytest.raises(Killed):
        dying(freed)
    assert db.reservations.find_one({"_id": "W1"})["held"] == ["BRS"]
    movements.adjust(db, "DYE", {"sku": "DYE", "depot": "VNS", "quantity": -600, "reason": "damage"}, by="test")
    time.sleep(0.4)   # the dead worker's lease has run out

    make_handler(db, config, lease_seconds=0.3)(freed)
    doc = db.reservations.find_one({"_id": "W1"})
    assert doc["status"] == "waitlisted" and doc["held"] == []
    assert [queries.get_stock(db, "VNS", sku)["reserved"] for sku in ("BRS", "DYE")] == [0, 0]
    check_invariants(db)


def test_an_approval_a_worker_died_in_that_finds_others_waiting_when_it_comes_again_gives_its_holds_back(db, config):
    """A worker died holding R1's line. Q, approved meanwhile, found too little (R1's hold had it) and waits.
    R1's approval comes again and sees Q waiting for the same material: R1 joins the waitlist behind Q, and must
    give back what the dead worker held first (it kept it: stock held for a waiting requisition, that Q, ahead
    of it, could never have, as tests/faults/test_worker_kills.py found)."""
    receive(db, "BRS", 1_000)
    approved = requisition("RequisitionApproved", "R1", [("BRS", 1_000)])
    dying = make_handler(db, config, lease_seconds=0.3, after_line=crash_after(1))
    with pytest.raises(Killed):
        dying(approved)
    handle = make_handler(db, config, lease_seconds=0.3, wait_seconds=5)
    handle(requisition("RequisitionApproved", "Q", [("BRS", 500)]))
    assert db.reservations.find_one({"_id": "Q"})["status"] == "waitlisted"
    time.sleep(0.4)   # the dead worker's lease has run out

    handle(approved)
    statuses = {doc["_id"]: doc["status"] for doc in db.reservations.find({})}
    assert statuses == {"R1": "waitlisted", "Q": "held"}   # R1's hold given back, Q first in line takes 0.5 kg
    assert db.stock.find_one({"_id": "VNS/BRS"})["holds"] == {"Q": 500}
    check_invariants(db)


def test_a_worker_that_died_between_a_hold_and_noting_it_leaves_the_requisition_marked_as_holding(
        db, config, monkeypatch):
    """The requisition notes each line it is about to hold before the stock write: a worker dying between the
    two (the real write, then the process dies) leaves a mark the next one reads (the walk and the approval's
    second coming both rely on it)."""
    from services.inventory import reservations as module
    receive(db, "BRS", 1_000)
    real = module.write_stock

    def write_then_die(*args, **kwargs):
        real(*args, **kwargs)
        raise Killed()
    monkeypatch.setattr(module, "write_stock", write_then_die)
    with pytest.raises(Killed):
        make_handler(db, config, lease_seconds=0.3)(requisition("RequisitionApproved", "R1", [("BRS", 1_000)]))
    assert db.stock.find_one({"_id": "VNS/BRS"})["holds"] == {"R1": 1_000}
    assert db.reservations.find_one({"_id": "R1"})["held"] == ["BRS"]


class _Overtaken:
    """The store of a worker whose stock writes keep losing to another writer: while `busy`, each of its versioned
    stock updates finds the version moved on (a real write bumps it first), and takes `pause` seconds doing so."""

    def __init__(self, db, pause: float):
        self._db, self.pause, self.busy = db, pause, threading.Event()

    def __getattr__(self, name):
        return getattr(self._db, name)

    def __getitem__(self, name):
        return self._db[name]

    @property
    def stock(self):
        real, store = self._db.stock, self

        class Stock:
            def __getattr__(self, name):
                return getattr(real, name)

            def update_one(self, query, update, *args, **kwargs):
                if store.busy.is_set() and "version" in query:
                    real.update_one({"_id": query["_id"]}, {"$inc": {"version": 1}})   # another writer won
                    time.sleep(store.pause)
                return real.update_one(query, update, *args, **kwargs)
        return Stock()


def test_a_hold_that_keeps_losing_its_stock_write_past_its_lease_is_never_written_after_another_worker_took_over(
        db, config):
    """A stock write retries for up to 15 s when other writes keep winning; a reservation's lease is 10 s. The
    worker renewed its lease once, before the first try: one still retrying after the lease ran out wrote its hold
    after a cancel had taken the requisition over and released it, a hold nobody would ever release. Each try
    renews the lease now, so the cancel waits for it, or the worker that lost it stops."""
    receive(db, "BRS", 1_000)
    overtaken = _Overtaken(db, pause=0.15)
    approved = requisition("RequisitionApproved", "R1", [("BRS", 1_000)])
    slow = make_handler(overtaken, config, lease_seconds=0.3)
    overtaken.busy.set()
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_try(slow, approved)))
    worker.start()
    threading.Timer(1.0, overtaken.busy.clear).start()   # the other writes stop: the worker's next try wins
    time.sleep(0.5)   # the worker has lost the race three times, longer than one lease
    make_handler(db, config, lease_seconds=0.3, wait_seconds=3)(requisition("RequisitionCancelled", "R1", []))
    worker.join(20)
    assert db.reservations.find_one({"_id": "R1"})["status"] == "released"
    assert db.stock.find_one({"_id": "VNS/BRS"})["holds"] == {}, outcome
    check_invariants(db)


def _try(handle, event):
    try:
        handle(event)
        return "done"
    except Exception as exc:
        return repr(exc)
