"""The ledger's journal: every entry reaches `movements` once, whatever dies when.

A write puts its entry in the stock document's journal and then copies it to `movements`;
the document's next write drops entries it finds copied, and copies first any it does not.
"""
import pytest

from services.inventory import ledger, movements, stock_writes
from shared import reconcile
from tests.integration.test_inventory_support import check_invariants, db, seed_catalog  # noqa: F401


class Killed(BaseException):
    """Stands for the process dying right there."""


def receive(db, quantity):
    return movements.record_movement(db, {"type": "receipt", "sku": "YRN", "depot": "VNS",
                                          "quantity": quantity}, by="test")["movement_id"]


def journal(db):
    return [entry["_id"] for entry in db.stock.find_one({"_id": "VNS/YRN"})["journal"]]


def in_movements(db):
    return sorted(doc["_id"] for doc in db.movements.find({"sku": "YRN", "depot": "VNS"}))


def problems(db):
    """What reconciliation says of the stock and its ledger (no relay runs here, so outboxes are full)."""
    return [line for line in reconcile.check(reconcile.inventory_facts(db)).problems
            if "outbox not drained" not in line]


def test_an_entry_is_copied_at_once_and_leaves_the_journal_with_the_next_write(db):
    first = receive(db, 1_000)
    assert journal(db) == [first] and in_movements(db) == [first]
    assert problems(db) == []  # copied and still in the journal: counted once
    second = receive(db, 2_000)
    assert journal(db) == [second]
    assert in_movements(db) == sorted([first, second])
    assert ledger.totals(db, "VNS", "YRN")["on_hand"] == 3_000
    check_invariants(db)


def test_a_death_before_the_copy_loses_nothing_and_counts_nothing_twice(db, monkeypatch):
    receive(db, 1_000)

    def die(db_, entries):
        raise Killed()
    monkeypatch.setattr(stock_writes.ledger, "insert", die)
    with pytest.raises(Killed):
        receive(db, 2_000)  # stored with its entry in the journal, never copied
    monkeypatch.undo()
    lost = journal(db)[0]
    assert lost not in in_movements(db)
    assert db.stock.find_one({"_id": "VNS/YRN"})["on_hand"] == 3_000
    assert problems(db) == ["VNS/YRN: 1 ledger entr(ies) not yet projected"]

    third = receive(db, 4_000)  # copies the left entry first, then writes its own
    assert journal(db) == [third]
    assert lost in in_movements(db) and len(in_movements(db)) == 3
    assert ledger.totals(db, "VNS", "YRN") == {"on_hand": 7_000, "reserved": 0, "entries": 3}
    assert ledger.project(db, "VNS", "YRN") == 1  # the worker's pull, repeated: nothing changes
    assert ledger.project(db, "VNS", "YRN") == 0
    assert ledger.totals(db, "VNS", "YRN")["entries"] == 3
    assert problems(db) == []
    check_invariants(db)


def test_a_write_that_changes_nothing_keeps_the_journal(db):
    first = receive(db, 1_000)
    with pytest.raises(Exception):
        movements.record_movement(db, {"type": "adjustment", "sku": "YRN", "depot": "VNS",
                                       "quantity": -5_000, "reason": "damage"}, by="test")
    assert journal(db) == [first] and in_movements(db) == [first]


def test_the_next_write_looks_up_only_entries_this_process_did_not_copy(db, monkeypatch):
    lookups = []
    movements_collection = db.movements
    find_one = movements_collection.find_one

    def counting(filter, *args, **kwargs):
        lookups.append(filter)
        return find_one(filter, *args, **kwargs)
    monkeypatch.setitem(movements_collection._cache, "find_one", counting)
    first = receive(db, 1_000)
    receive(db, 2_000)  # the journal holds `first`, which this process copied itself
    assert lookups == []

    ledger._SEEN.clear()  # as a new process finds it: the journal's entry is looked up
    receive(db, 3_000)
    assert len(lookups) == 1 and lookups[0]["_id"] != first
    assert len(in_movements(db)) == 3
    check_invariants(db)


def test_what_a_process_remembers_is_per_database_and_bounded(config, monkeypatch):
    from services.inventory import spec
    from shared.service import Runtime
    one, other = Runtime(spec(), config), Runtime(spec(), config)
    try:
        ledger.insert(one.db, [{"_id": "m-1", "sku": "YRN", "depot": "VNS", "quantity": 1}])
        assert ledger.projected(one.db, ["m-1"])
        assert not ledger.projected(other.db, ["m-1"])  # same id, another store: asked, not found
        monkeypatch.setattr(ledger, "SEEN_LIMIT", 3)
        for n in range(2, 6):
            ledger.insert(one.db, [{"_id": f"m-{n}", "sku": "YRN", "depot": "VNS", "quantity": 1}])
        assert list(ledger._seen(one.db)) == ["m-3", "m-4", "m-5"]
        assert ledger.projected(one.db, ["m-1", "m-5"])  # forgotten ones are found in the store
        one.db.movements.delete_one({"_id": "m-2"})  # (never done by rawbank: the ledger is append-only)
        assert not ledger.projected(one.db, ["m-2"])
    finally:
        one.close()
        other.close()
