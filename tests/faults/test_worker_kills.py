"""Workers die at random moments while artisans compete for scarce stock; afterwards the books balance.

Each service's worker (consumer, outbox relay, background loops) is the real Worker; a killer
thread trips it at a random store call (or at once, if it is idle), waits for its threads to
end and starts a new one over the same store, as a supervisor restarts a crashed process.
See harness.py for why this is the honest stand-in for SIGKILL with the in-process store.
Scale with RAWBANK_FAULT_REQUISITIONS / RAWBANK_FAULT_ARTISANS (the issue's 300 / 30 by default).
"""
from __future__ import annotations

import os
import random
import re
import sys
import threading
import time
import traceback
from datetime import date, timedelta

import pytest

from shared.reconcile import check, facts_of
from tests.faults.harness import Killer, Stack
from tests.conftest import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.filterwarnings(
    r"ignore:(?s)Exception in thread.*harness\.Crashed:pytest.PytestUnhandledThreadExceptionWarning")]
REQUISITIONS = int(os.environ.get("RAWBANK_FAULT_REQUISITIONS", "300"))
ARTISANS = int(os.environ.get("RAWBANK_FAULT_ARTISANS", "30"))
SEED = int(os.environ.get("RAWBANK_FAULT_SEED", str(random.randrange(1 << 30))))
SETTLED = {"reserved", "waitlisted", "dispatched", "received", "cancelled", "rejected"}


@pytest.fixture
def stack(broker_config):
    stack = Stack(broker_config.with_(relay_lease_seconds=2))
    yield stack
    stack.close()


def settle(stack, timeout: float):
    """Wait until reconciliation is clean; fail with its last report otherwise."""
    deadline, next_note = time.monotonic() + timeout, time.monotonic() + 20
    while True:
        report = check(facts_of({name: stack[name].db for name in ("inventory", "requests", "notifier")}))
        if report.ok or time.monotonic() > deadline:
            return report
        if time.monotonic() > next_note:  # progress, for whoever reads a slow or stuck run
            next_note += 20
            print(f"settling: {len(report.problems)} open, e.g. {report.problems[0]}", flush=True)
        time.sleep(1.0)


def thread_stacks() -> str:
    """Where every live thread stands: what a stalled settle needs explained."""
    frames = sys._current_frames()
    return "\n".join(f"--- {t.name}\n" + "".join(traceback.format_stack(frames[t.ident])[-6:])
                     for t in threading.enumerate() if t.ident in frames)


def stories(stack, problems) -> str:
    """What each service stored of the requisitions a problem names: what a failed run needs explained."""
    told = []
    for rid in sorted(set(re.findall(r"requisition ([0-9a-f]{32})", " ".join(map(str, problems))))):
        reservation = stack["inventory"].db.reservations.find_one({"_id": rid}) or {}
        outbox = [event["type"] for event in reservation.pop("outbox", [])]
        ledger = [(m.get("type"), m.get("sku"), m.get("quantity"), str(m.get("at"))) for m in
                  stack["inventory"].db.movements.find({"requisition_id": rid})]
        history = [(h.get("status"), h.get("by"), h.get("at"), h.get("reason")) for h in
                   (stack["requests"].db.requisitions.find_one({"_id": rid}) or {}).get("history", [])]
        told.append(f"{rid}: inventory {reservation} outbox {outbox}\n  ledger {ledger}\n  requests {history}")
    return "\n".join(told)


def test_random_worker_kills_lose_nothing_and_apply_nothing_twice(stack):
    print(f"seed {SEED} (RAWBANK_FAULT_SEED={SEED} repeats this run)")
    rng = random.Random(SEED)
    inv, req, admin = stack["inventory"], stack["requests"], stack.admin
    depot, skus = f"D{stack.suffix}", [f"{kind}-{stack.suffix}" for kind in ("YRN", "DYE", "BRS")]
    inv.call("POST", "/depots", admin, {"code": depot, "name": "Fault depot", "district": "Varanasi"})
    for sku, category in zip(skus, ("yarn", "dye", "metal")):
        inv.call("POST", "/materials", admin, {"sku": sku, "name": sku, "name_hi": sku, "category": category,
                                               "unit": "kg", "reorder_level": "20"})
        inv.call("POST", f"/materials/{sku}/prices", admin, {"price": "1"})  # approved only at a price
    supply = REQUISITIONS // 2  # kg of each material: about a third of what will be asked for
    far = (date.today() + timedelta(days=3 * 365)).isoformat()  # a new lot of the dye gives its date (far ahead)
    dated = lambda sku: {"lot": {"expires_on": far}} if sku == skus[1] else {}  # noqa: E731
    for sku in skus:
        inv.call("POST", "/movements", admin, {"type": "receipt", "sku": sku, "depot": depot,
                                               "quantity": str(supply), **dated(sku)})
    artisans = [f"ART-{stack.suffix}-{n:02d}" for n in range(ARTISANS)]
    for artisan_id in artisans:
        req.call("POST", "/artisans", admin, {"artisan_id": artisan_id, "name": artisan_id, "district": "Varanasi",
                                              "craft": "weaving", "registration_id": f"R-{artisan_id}"})
    for service in stack.services.values():
        service.start_worker()
    req.call("PUT", "/credit-terms", admin, {"credit_limit": "1000000", "credit_days": 30})  # dispatches unpaid
    wait_until(lambda: req.db.materials.count_documents({"_id": {"$in": skus}}) == 3
               and len(req.db.prices.distinct("sku", {"sku": {"$in": skus}})) == 3
               and req.db.depots.find_one({"_id": depot}), 60,
               message="requests knows the materials, their prices and the depot")

    killer = Killer(stack, SEED)
    killer.start()
    rids, started = [], time.monotonic()
    for n in range(REQUISITIONS):
        who = artisans[n % ARTISANS]
        lines = [{"sku": sku, "quantity": str(rng.randint(1, 5))} for sku in rng.sample(skus, rng.choice((1, 1, 2)))]
        rid = req.call("POST", "/requisitions", stack.artisan(who), {"depot": depot, "lines": lines}).get_json()["id"]
        req.call("POST", f"/requisitions/{rid}/approve", admin, expect=(200,))
        rids.append(rid)
        if n % 10 == 9:  # someone changes their mind, whatever state their request is in by now
            victim = rng.choice(rids)
            owner = req.db.requisitions.find_one({"_id": victim})["artisan_id"]
            req.call("POST", f"/requisitions/{victim}/cancel", stack.artisan(owner), {"reason": "not needed"},
                     expect=(200, 409))
        if n % 25 == 24:  # a delivery arrives and the waitlist moves
            sku = rng.choice(skus)
            inv.call("POST", "/movements", stack.warehouse, {"type": "receipt", "sku": sku,
                                                             "depot": depot, "quantity": "15", **dated(sku)})
        if n % 15 == 14:
            for doc in req.db.requisitions.find({"status": "reserved"}, {"_id": 1}).limit(3):
                req.call("POST", f"/requisitions/{doc['_id']}/dispatch", stack.warehouse, expect=(200, 409))
        time.sleep(0.01)
    print(f"{REQUISITIONS} requisitions submitted in {time.monotonic() - started:.1f}s")
    while time.monotonic() - started < 20:  # keep killing while the backlog is worked off
        time.sleep(0.5)
    killer.done.set()
    killer.join(60)
    assert killer.error is None, killer.error
    kills = {name: service.kills for name, service in stack.services.items()}
    print("kills:", kills)

    settling = time.monotonic()
    report = settle(stack, 240)
    print(f"settled in {time.monotonic() - settling:.1f}s")
    print(report.text())
    if not report.ok:
        print(stories(stack, report.problems))
        print(thread_stacks())
    assert report.ok, report.problems
    statuses = [doc["status"] for doc in req.db.requisitions.find({"_id": {"$in": rids}}, {"status": 1})]
    assert len(statuses) == REQUISITIONS and set(statuses) <= SETTLED
    assert {"reserved", "waitlisted", "cancelled"} <= set(statuses), "the run did not exercise scarcity"
    assert all(sum(k.values()) >= 1 for k in kills.values()), kills
    assert sum(k["mid_work"] for k in kills.values()) >= 1, "no worker died in the middle of work"
    dispatched = req.db.requisitions.count_documents({"_id": {"$in": rids}, "status": "dispatched"})
    assert req.db.requisitions.count_documents({"_id": {"$in": rids}, "status": "dispatched",
                                                "stock": "issued"}) == dispatched
    time.sleep(3)  # a late duplicate must not disturb the balance either
    again = check(facts_of({"inventory": inv.db, "requests": req.db, "notifier": stack["notifier"].db}))
    assert again.ok, again.problems
