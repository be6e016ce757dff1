"""The ledger's journal: every entry reaches `movements` once, whatever dies when.

A write puts its entry in the stock document's journal and then copies it to `movements`;
the worker's sweep copies whatever a dead writer left and empties the journals.
"""
import threading

import pytest

from services.inventory import ledger, movements, spec, stock_writes
from shared import reconcile
from tests.conftest import wait_until
from tests.integration.test_inventory_support import check_invariants, dated_receipt, db  # noqa: F401


class Killed(BaseException):
    """Stands for the process dying right there."""


def receive(db, quantity, sku="YRN"):
    """A receipt; a dye's new lot gives an expiry date far ahead (expiry_required), as a label would."""
    return movements.record_movement(db, dated_receipt({"type": "receipt", "sku": sku, "depot": "VNS",
                                                        "quantity": quantity}), by="test")["movement_id"]


def journal(db):
    return [entry["_id"] for entry in db.stock.find_one({"_id": "VNS/YRN"})["journal"]]


def in_movements(db):
    return sorted(doc["_id"] for doc in db.movements.find({"sku": "YRN", "depot": "VNS"}))


def problems(db):
    """What reconciliation says of the stock and its ledger (no relay runs here, so outboxes are full)."""
    return [line for line in reconcile.check(reconcile.facts_of({"inventory": db})).problems
            if "outbox not drained" not in line]


def die_before_the_copy(db, monkeypatch, quantity):
    """A receipt whose process dies after its stock write, before its copy to `movements`."""
    def die(db_, entries):
        raise Killed()
    monkeypatch.setattr(stock_writes.ledger, "insert", die)
    with pytest.raises(Killed):
        receive(db, quantity)
    monkeypatch.undo()
    return journal(db)[-1]


def test_an_entry_is_copied_at_once_and_leaves_the_journal_with_the_sweep(db):
    first = receive(db, 1_000)
    assert journal(db) == [first] and in_movements(db) == [first]
    assert problems(db) == []  # copied and still in the journal: counted once
    second = receive(db, 2_000)
    assert journal(db) == [first, second]
    assert in_movements(db) == sorted([first, second])
    assert ledger.totals(db, "VNS", "YRN")["on_hand"] == 3_000
    assert problems(db) == []
    assert ledger.project_pending(db) == 1
    assert journal(db) == [] and in_movements(db) == sorted([first, second])
    check_invariants(db)


def test_a_death_before_the_copy_loses_nothing_and_counts_nothing_twice(db, monkeypatch):
    receive(db, 1_000)
    lost = die_before_the_copy(db, monkeypatch, 2_000)
    assert lost not in in_movements(db)
    assert db.stock.find_one({"_id": "VNS/YRN"})["on_hand"] == 3_000
    assert problems(db) == ["VNS/YRN: 1 ledger entr(ies) not yet projected"]

    third = receive(db, 4_000)  # a writer only appends: the left entry waits for the sweep
    assert lost in journal(db) and third in in_movements(db) and lost not in in_movements(db)
    assert problems(db) == ["VNS/YRN: 1 ledger entr(ies) not yet projected"]

    assert ledger.project_pending(db) == 1
    assert journal(db) == [] and lost in in_movements(db) and len(in_movements(db)) == 3
    assert ledger.totals(db, "VNS", "YRN") == {"on_hand": 7_000, "reserved": 0, "entries": 3}
    assert ledger.project_pending(db) == 0  # repeated: nothing changes
    assert ledger.totals(db, "VNS", "YRN")["entries"] == 3
    assert problems(db) == []
    check_invariants(db)


def test_a_sweep_that_dies_before_its_pull_is_repeated_harmlessly(db, monkeypatch):
    receive(db, 1_000)
    lost = die_before_the_copy(db, monkeypatch, 2_000)
    stock = db.stock

    def die(*args, **kwargs):
        raise Killed()
    monkeypatch.setitem(stock._cache, "update_many", die)  # the sweep's `$pull`
    with pytest.raises(Killed):
        ledger.project_pending(db)
    monkeypatch.undo()
    assert lost in journal(db) and lost in in_movements(db)  # in both: counted once
    assert problems(db) == []
    assert ledger.project_pending(db) == 1
    assert journal(db) == [] and len(in_movements(db)) == 2
    check_invariants(db)


def test_a_write_reads_nothing_of_the_ledger_and_leaves_earlier_entries_alone(db, monkeypatch):
    receive(db, 1_000)
    lost = die_before_the_copy(db, monkeypatch, 2_000)
    calls = []

    def counting(collection, name):
        method = getattr(collection, name)

        def call(*args, **kwargs):
            calls.append(f"{collection.name}.{name}")
            return method(*args, **kwargs)
        return call
    for collection in (db.stock, db.movements):
        for name in ("find", "find_one", "update_one", "update_many", "insert_one", "insert_many"):
            monkeypatch.setitem(collection._cache, name, counting(collection, name))
    third = receive(db, 4_000)
    monkeypatch.undo()
    assert calls == ["stock.find_one", "stock.update_one", "movements.insert_many"]
    assert journal(db)[-2:] == [lost, third] and lost not in in_movements(db)


def test_the_worker_sweeps_without_any_event_arriving(db, monkeypatch):
    assert ("ledger", ledger.make_sweeper) in spec().background  # the worker runs it beside its consumer
    receive(db, 1_000)
    lost = die_before_the_copy(db, monkeypatch, 2_000)
    monkeypatch.setattr(ledger, "SWEEP_SECONDS", 0.05)
    stop = threading.Event()
    sweeper = threading.Thread(target=ledger.make_sweeper(db, None), args=(stop,))
    sweeper.start()
    try:
        wait_until(lambda: not journal(db), message="the sweep to empty the journal")
    finally:
        stop.set()
        sweeper.join(10)
    assert lost in in_movements(db) and problems(db) == []
    check_invariants(db)


def test_writers_and_the_sweep_side_by_side_count_every_entry_once(db, monkeypatch):
    monkeypatch.setattr(ledger, "SWEEP_SECONDS", 0.001)
    stop = threading.Event()
    sweeper = threading.Thread(target=ledger.make_sweeper(db, None), args=(stop,))
    sweeper.start()
    errors = []

    def write(sku):
        try:
            for _ in range(40):
                receive(db, 1_000, sku)
        except Exception as exc:
            errors.append(exc)
    writers = [threading.Thread(target=write, args=(sku,)) for sku in ("YRN", "YRN", "DYE", "BRS")]
    try:
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(60)
    finally:
        stop.set()
        sweeper.join(10)
    assert errors == []
    assert problems(db) == []  # before the last sweep: journal entries all copied, none counted twice
    assert db.movements.count_documents({}) == 160
    check_invariants(db)
    assert db.stock.find_one({"_id": "VNS/YRN"})["on_hand"] == 80_000
