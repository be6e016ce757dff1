"""Two inventory workers in one consumer group share the partitions; one dies, the other takes over.

Both workers run on the same store (as two worker processes on one MongoDB would) and in the
same group. One is killed in the middle of its work (see harness.py); its partitions move to
the survivor, and every requisition still ends with exactly its holds: nothing lost, nothing
reserved twice.
"""
from __future__ import annotations

import dataclasses
import threading

import pytest
from kafka.partitioner.default import murmur2

from shared.reconcile import check, facts_of
from tests.conftest import wait_until
from tests.faults.harness import Stack

pytestmark = [pytest.mark.broker, pytest.mark.filterwarnings(
    r"ignore:(?s)Exception in thread.*harness\.Crashed:pytest.PytestUnhandledThreadExceptionWarning")]
PER_ROUND = 40


@pytest.fixture
def stack(broker_config):
    stack = Stack(broker_config.with_(relay_lease_seconds=2), names=("inventory", "requests"))
    yield stack
    stack.close()


def partition_of(key: str, partitions: int) -> int:
    """The partition kafka-python's default partitioner sends a key to."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def test_killing_one_of_two_workers_moves_its_partitions_without_loss_or_double_effect(stack):
    inv, req, admin = stack["inventory"], stack["requests"], stack.admin
    handled: dict[int, list[str]] = {}  # kill switch id -> requisition ids its worker applied
    lock = threading.Lock()
    base = inv.spec.make_handler

    def recording(db, config):
        handle, mine = base(db, config), handled.setdefault(id(db._switch), [])

        def record(event):
            handle(event)
            if event.type == "RequisitionApproved":
                with lock:
                    mine.append(event.key)
        return record

    inv.spec = dataclasses.replace(inv.spec, make_handler=recording)
    depot, sku = f"D{stack.suffix}", f"YRN-{stack.suffix}"
    inv.call("POST", "/depots", admin, {"code": depot, "name": "Group depot", "district": "Varanasi"})
    inv.call("POST", "/materials", admin, {"sku": sku, "name": sku, "name_hi": sku, "category": "yarn",
                                           "unit": "kg", "reorder_level": "1"})
    inv.call("POST", f"/materials/{sku}/prices", admin, {"price": "1"})  # approved only at a price
    inv.call("POST", "/movements", admin, {"type": "receipt", "sku": sku, "depot": depot, "quantity": "10000"})
    req.call("POST", "/artisans", admin, {"artisan_id": f"ART-{stack.suffix}", "name": "A", "district": "Varanasi",
                                          "craft": "weaving", "registration_id": f"R-{stack.suffix}"})
    req.start_worker()
    (first, first_switch), (second, second_switch) = inv.start_worker(), inv.start_worker()
    wait_until(lambda: req.db.materials.count_documents({"_id": sku}) == 1 and req.db.prices.find_one({"sku": sku})
               and req.db.depots.find_one({"_id": depot}), 60,
               message="requests knows the yarn, its price and the depot")
    wait_until(lambda: all(w.consumer is not None and w.consumer.ready.is_set() for w in (first, second)), 60,
               message="both workers have partitions")
    artisan = stack.artisan(f"ART-{stack.suffix}")

    def requisitions(n):
        rids = []
        for _ in range(n):
            rid = req.call("POST", "/requisitions", artisan,
                           {"depot": depot, "lines": [{"sku": sku, "quantity": "1"}]}).get_json()["id"]
            req.call("POST", f"/requisitions/{rid}/approve", admin)
            rids.append(rid)
        return rids

    def all_reserved(rids):
        return req.db.requisitions.count_documents({"_id": {"$in": rids}, "status": "reserved"}) == len(rids)

    before = requisitions(PER_ROUND)
    wait_until(lambda: all_reserved(before), 90, message="the first round reserved")
    by_first, by_second = list(handled[id(first_switch)]), list(handled[id(second_switch)])
    assert by_first and by_second, "both workers of the group take a share"
    partitions = stack.config.kafka_topic_partitions
    first_partitions = {partition_of(rid, partitions) for rid in by_first}
    assert not first_partitions & {partition_of(rid, partitions) for rid in by_second}, "shared, not duplicated"

    first_switch.arm(25)  # dies at its 25th store call from now: in the middle of the next round
    after = requisitions(PER_ROUND)
    wait_until(lambda: first_switch.killed.is_set(), 60, message="the first worker to die mid-work")
    inv.crash(first, first_switch)
    wait_until(lambda: all_reserved(after), 120, message="the second round reserved by the survivor")

    taken_over = [rid for rid in handled[id(second_switch)][len(by_second):]
                  if partition_of(rid, partitions) in first_partitions]
    assert taken_over, "the survivor applied events from the dead worker's partitions"
    report = check(facts_of({"inventory": inv.db, "requests": req.db}))
    assert report.ok, report.problems
    holds = inv.db.stock.find_one({"_id": f"{depot}/{sku}"})["holds"]
    assert sorted(holds) == sorted(before + after) and set(holds.values()) == {1000}
