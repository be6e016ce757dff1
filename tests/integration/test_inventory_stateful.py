"""Hypothesis drives receipts into lots, adjustments, transfers, returns, reservations, purchase orders,
lots on hold, stock counts, days passing (lots expire) and redeliveries in any order; after every step the
stock, its lots, the holds, the orders and the ledger must still agree with each other and a model:
on hand = Σ ledger and Σ lots = on hand.

Workers die too: an approval, a cancel or a dispatch dies after k stock writes, its lease left to run out, and
the same event comes again later (other steps and days passing in between). Nothing is held or issued twice, no
hold outlives its requisition, and what was issued once stays issued. RAWBANK_STATEFUL_EXAMPLES (150) and
RAWBANK_STATEFUL_STEPS (50) scale a search."""
import os
import time
from datetime import datetime, timedelta, timezone

import hypothesis.strategies as st
from hypothesis import HealthCheck, event, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from services.inventory import clock, counts, domain, ledger, lots, movements, purchase_orders, suppliers, watch
from services.inventory.reservations import HANDING_OVER
from services.inventory.consumer import make_handler
from shared.config import Config
from shared.envelope import decode_event
from shared.errors import Conflict, Error, outcome
from shared.runtime import Runtime
from services.inventory import spec
from tests.integration.test_inventory_support import (DATED_SKUS, DyingStore, Killed, check_invariants, requisition,
                                                      seed_catalog)

DEPOTS = st.sampled_from(["VNS", "BHD"])
SKUS = st.sampled_from(["YRN", "DYE"])
AMOUNT = st.integers(min_value=1, max_value=6_000)
LOTS = {"YRN": (None, "Y1", "Y2"), "DYE": (None, "D1", "D2")}
EXPIRES_IN = {"D1": 6, "Y2": 15}  # days after the start; other lots never expire
START = datetime(2030, 6, 1, 6, tzinfo=timezone.utc)
#: the date a dye's lot that never expires here gives (a new lot of a dye must give one: expiry_required): three years
#: after the start, beyond every day a run reaches (at most 50 steps of 8 days)
FAR = (START + timedelta(days=3 * 365)).date().isoformat()
LINES = st.lists(st.tuples(SKUS, st.integers(1, 4_000)), min_size=1, max_size=3)
DEAD_LEASE = 0.005  # seconds: a dying worker's lease (renewed at each of its writes), waited out once it died
WRITES = st.integers(0, 5).map(lambda k: k // 2)  # stock writes before a worker dies: mostly 0 or 1
SETTLED_NO_HOLDS = ("released", "cancelled", "failed")


class StockMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.runtime = Runtime(spec(), Config.from_env({}))
        self.db = self.runtime.db
        seed_catalog(self.db)
        suppliers.register(self.db, {"code": "MILL", "name": "Mill", "district": "D", "tolerance_percent": 10})
        self.handle = make_handler(self.db, None)
        self.on_hand = {}          # (depot, sku) -> what the model expects on hand
        self.requisitions = {}     # rid -> (depot, lines)
        self.delivered = []        # every event handed to the consumer, for redelivery
        self.orders = []           # purchase order numbers sent
        self.days = 0
        self.unfinished = []       # [event, requisitions its dead worker left part way]: to be delivered again
        self.unsettled = set()     # requisitions a dead worker left part way, until something finishes them
        self.half_issued = set()   # requisitions whose dispatch died (requests sends no cancel after a dispatch)
        self.half_released = set()  # requisitions whose cancel died (nor a dispatch after a cancel)
        self.kept_issues = {}      # rid -> its issues, once issued: kept for good (days passing, lots expiring)
        self.real_now = clock.now
        clock.now = lambda: START + timedelta(days=self.days)

    def teardown(self):
        if hasattr(self, "real_now"):
            clock.now = self.real_now
        self.runtime.close()

    def stored(self):
        return sorted((d["_id"], d["on_hand"], d["reserved"], str(d.get("lots"))) for d in self.db.stock.find({}))

    def refused(self, step) -> bool:
        """Run a step that may be refused: a refusal (4xx) changes no stock."""
        before = self.stored()
        try:
            step()
        except Error as exc:
            assert outcome(exc).status < 500, exc
            assert self.stored() == before
            event(f"refused: {exc.code}")  # --hypothesis-show-statistics: which refusals the run reached
            return True
        event("applied")
        return False

    def stock(self, depot, sku):
        doc = self.db.stock.find_one({"_id": domain.stock_id(depot, sku)}) or {}
        return doc.get("on_hand", 0), doc.get("available", 0)

    def deliver(self, event):
        """Hand an event to the consumer; only applied ones are redelivered (dead letters are not)."""
        try:
            self.handle(event)
        except Error as exc:
            if not outcome(exc).permanent:
                raise
            return False
        self.delivered.append(event)
        return True

    def outbox_ids(self, depot, sku):
        doc = self.db.stock.find_one({"_id": domain.stock_id(depot, sku)}, {"outbox": 1}) or {}
        return {e["event_id"] for e in doc.get("outbox", [])}

    def deliver_new(self, depot, sku, seen):
        """Hand the consumer what a step put in the stock's outbox (a count's adjustment, a lot released): stock
        freed is offered to the waitlist, as the relay would have it (else a later redelivery's walk is the first)."""
        doc = self.db.stock.find_one({"_id": domain.stock_id(depot, sku)}, {"outbox": 1}) or {}
        for raw in doc.get("outbox", []):
            if raw["event_id"] not in seen:
                self.deliver(decode_event(raw))

    def last_stock_event(self, depot, sku, type_):
        outbox = self.db.stock.find_one({"_id": domain.stock_id(depot, sku)})["outbox"]
        return decode_event([e for e in outbox if e["type"] == type_][-1])

    @rule(depot=DEPOTS, sku=SKUS, quantity=AMOUNT, pick=st.integers(0, 2))
    def receive(self, depot, sku, quantity, pick):
        code = LOTS[sku][pick]
        lot = {"code": code, "expires_on": (START + timedelta(days=EXPIRES_IN[code])).date().isoformat()
               if code in EXPIRES_IN else None} if code else None
        if sku in DATED_SKUS and code not in EXPIRES_IN:  # a dye's lot that never expires here: a date far ahead
            lot = {**(lot or {}), "expires_on": FAR}
        if self.refused(lambda: movements.record_movement(self.db, {"type": "receipt", "sku": sku, "depot": depot,
                                                                    "quantity": quantity, "lot": lot}, by="t")):
            assert code in EXPIRES_IN  # only a lot past its date is refused
            return
        self.on_hand[(depot, sku)] = self.on_hand.get((depot, sku), 0) + quantity
        self.deliver(self.last_stock_event(depot, sku, "StockReceived"))   # the consumer retries waitlists

    @rule(depot=DEPOTS, sku=SKUS, quantity=st.integers(1_000, 20_000))
    def order(self, depot, sku, quantity):
        number = purchase_orders.create(self.db, {"supplier": "MILL", "depot": depot, "expected_on": "2099-06-10",
                                                  "lines": [{"sku": sku, "quantity": quantity, "price": 100}]},
                                        by="t")["purchase_order"]
        purchase_orders.send(self.db, number, by="t")
        self.orders.append(number)

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), quantity=st.integers(1, 12_000))
    def receive_on_order(self, data, quantity):
        number = data.draw(st.sampled_from(self.orders))
        doc = self.db.purchase_orders.find_one({"_id": number})
        line = doc["lines"][0]
        body = {"type": "receipt", "sku": line["sku"], "depot": doc["depot"], "quantity": quantity,
                "purchase_order": number, **({"lot": {"expires_on": FAR}} if line["sku"] in DATED_SKUS else {})}
        if self.refused(lambda: movements.record_movement(self.db, body, by="t")):
            assert doc["status"] in ("closed", "cancelled") or line["received"] + quantity > line["limit"]
            return
        assert line["received"] + quantity <= line["limit"]
        key = (doc["depot"], line["sku"])
        self.on_hand[key] = self.on_hand.get(key, 0) + quantity
        self.deliver(self.last_stock_event(*key, "StockReceived"))   # counts on the order once more: no change

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def close_order(self, data):
        number = data.draw(st.sampled_from(self.orders))
        self.refused(lambda: purchase_orders.close(self.db, number, by="t"))

    @rule(depot=DEPOTS, sku=SKUS, pick=st.integers(1, 2), hold=st.booleans())
    def hold_or_release(self, depot, sku, pick, hold):
        step, seen = lots.hold if hold else lots.release, self.outbox_ids(depot, sku)
        if not self.refused(lambda: step(self.db, depot, sku, LOTS[sku][pick], by="t")):
            self.deliver_new(depot, sku, seen)

    @rule(days=st.integers(1, 8))
    def days_pass(self, days):
        self.days += days
        part_way = self.db.reservations.count_documents({"status": "held", HANDING_OVER: True})
        watch.step(self.db)  # expiry alerts and expired lots are stored; on hand does not change
        uncovered = self.db.reservations.count_documents({"lost_hold": True})
        event(f"days passed: some gave way {bool(uncovered)}, one handed over part way {bool(part_way)}")

    @rule(depot=DEPOTS, sku=SKUS, quantity=AMOUNT)
    def write_off_expired(self, depot, sku, quantity):
        body = {"type": "adjustment", "sku": sku, "depot": depot, "quantity": -quantity, "reason": "expired"}
        if not self.refused(lambda: movements.record_movement(self.db, body, by="t")):
            self.on_hand[(depot, sku)] -= quantity

    @rule(depot=DEPOTS, sku=SKUS, pick=st.integers(1, 2), quantity=AMOUNT)
    def give_back(self, depot, sku, pick, quantity):
        body = {"type": "return", "sku": sku, "depot": depot, "quantity": quantity, "lot": {"code": LOTS[sku][pick]}}
        if not self.refused(lambda: movements.record_movement(self.db, body, by="t")):
            self.on_hand[(depot, sku)] -= quantity

    @rule(depot=DEPOTS, sku=SKUS, pick=st.integers(0, 2), delta=st.integers(-3_000, 3_000))
    def count(self, depot, sku, pick, delta):
        count_id = counts.start(self.db, depot, by="counter")["count_id"]
        stock = self.db.stock.find_one({"_id": domain.stock_id(depot, sku)})
        code = LOTS[sku][pick] or next((lot["lot"] for lot in (stock or {}).get("lots", [])), None)
        book = next((lot["on_hand"] for lot in (stock or {}).get("lots", []) if lot["lot"] == code), 0)
        line = {"sku": sku, "lot": code, "counted": max(book + delta, 0)}
        if self.refused(lambda: counts.count_line(self.db, count_id, line, by="counter")):
            return
        counts.submit(self.db, count_id, by="counter", tolerance_percent=2)
        variance = self.db.counts.find_one({"_id": count_id})["lines"][0]["variance"]
        seen = self.outbox_ids(depot, sku)
        if not self.refused(lambda: counts.approve(self.db, count_id, by="approver")):
            self.on_hand[(depot, sku)] = self.on_hand.get((depot, sku), 0) + variance
            self.deliver_new(depot, sku, seen)

    @rule(depot=DEPOTS, sku=SKUS, delta=st.integers(min_value=-6_000, max_value=6_000).filter(bool),
          reason=st.sampled_from(domain.ADJUSTMENT_REASONS))
    def adjust(self, depot, sku, delta, reason):
        before = list(self.db.stock.find({}))
        _, available = self.stock(depot, sku)
        try:
            movements.record_movement(self.db, {"type": "adjustment", "sku": sku, "depot": depot,
                                                "quantity": delta, "reason": reason,
                                                **({"lot": {"expires_on": FAR}}  # dye found: the date its label gives
                                                   if delta > 0 and sku in DATED_SKUS else {})}, by="t")
        except Conflict:  # only what takes stock away: stock found is recorded even where holds exceed what is
            # usable (a hold on a lot that expired while it was handed over part way leaves available below zero)
            assert delta < 0 and (available + delta < 0 or reason == "expired")
            assert list(self.db.stock.find({})) == before
            return
        assert delta > 0 or available + delta >= 0 or reason == "expired"
        self.on_hand[(depot, sku)] = self.on_hand.get((depot, sku), 0) + delta
        self.deliver(self.last_stock_event(depot, sku, "StockAdjusted"))

    @rule(source=DEPOTS, sku=SKUS, quantity=AMOUNT)
    def transfer(self, source, sku, quantity):
        target = "BHD" if source == "VNS" else "VNS"
        _, available = self.stock(source, sku)
        try:
            movements.record_movement(self.db, {"type": "transfer", "sku": sku, "depot": source,
                                                "to_depot": target, "quantity": quantity}, by="t")
        except Conflict:
            assert quantity > available
            return
        self.on_hand[(source, sku)] = self.on_hand.get((source, sku), 0) - quantity
        self.on_hand[(target, sku)] = self.on_hand.get((target, sku), 0) + quantity
        self.deliver(self.last_stock_event(source, sku, "StockTransferred"))   # second delivery of the leg

    @rule(depot=DEPOTS, lines=st.lists(st.tuples(SKUS, st.integers(1, 4_000)), min_size=1, max_size=3))
    def approve(self, depot, lines):
        rid = f"R{len(self.requisitions) + 1}"
        self.requisitions[rid] = (depot, lines)
        self.deliver(requisition("RequisitionApproved", rid, lines, depot=depot))
        assert self.status(rid) in ("held", "waitlisted")

    @precondition(lambda self: self.days < EXPIRES_IN["Y2"])
    @rule(depot=DEPOTS, dye=st.integers(1, 4_000), yarn=st.integers(1, 4_000))
    def approve_on_expiring_lots(self, depot, dye, yarn):
        """Both materials received (yarn into a lot about to expire, Y2) and a requisition of just that approved: what
        a lot's expiry sends back to the waitlist, unless it is being handed over (dye is issued first, yarn last)."""
        self.receive(depot, "DYE", dye, 2)
        self.receive(depot, "YRN", yarn, 2)
        self.approve(depot, [("DYE", dye), ("YRN", yarn)])

    def status(self, rid):
        doc = self.db.reservations.find_one({"_id": rid})
        return doc and doc["status"]

    def cancellable(self):
        return sorted(set(self.requisitions) - self.half_issued)

    def dispatchable(self):
        return sorted(set(self.requisitions) - self.half_released)

    @precondition(lambda self: self.cancellable())
    @rule(data=st.data())
    def cancel(self, data):
        rid = data.draw(st.sampled_from(self.cancellable()))
        before = self.status(rid)
        # the requisition's own depot, as requests sends it: the walk of the freed stock is at that depot (the model
        # sent every cancel as VNS's, so a cancel at BHD freed stock no walk offered until a redelivery did)
        self.deliver(requisition("RequisitionCancelled", rid, [], depot=self.requisitions[rid][0]))
        assert self.status(rid) == ("released" if before in ("reserving", "held", "waitlisted") else before)

    @precondition(lambda self: self.dispatchable())
    @rule(data=st.data())
    def dispatch(self, data):
        rid = data.draw(st.sampled_from(self.dispatchable()))
        before = self.status(rid)
        if before == "reserving" or rid in self.unsettled:  # a dead worker's: the dispatch finishes it, or refuses
            self.dispatch_unsettled(rid)
            return
        # one a lot's expiry sent back to the waitlist may still be handed over (the dispatch crossed the
        # StockWaitlisted): it is booked from what is on hand, expired or not, or dead-lettered if too little is
        kept = self.db.reservations.find_one({"_id": rid}) or {}
        crossed = before == "waitlisted" and bool(kept.get("lost_hold"))
        issued = self.issues(rid)
        applied = self.deliver(requisition("RequisitionDispatched", rid, [], depot=self.requisitions[rid][0]))
        if not applied:  # a dead letter: requests said dispatched, so no cancel follows
            self.half_issued.add(rid)
        if crossed:
            event(f"dispatch after giving way: {'booked' if applied else 'refused'}")
            before = "held" if applied else before
        if before == "held" and not applied:  # only when usable and expired lots no longer cover the hold (a lot
            # expired under it and was written off, the rest on hold): the lines before the short one are booked
            self.book_issues(rid, issued)
            depot, lines = self.requisitions[rid]
            assert any(lot.get("status") in ("expired", "on_hold") for sku, _ in lines for lot in
                       (self.db.stock.find_one({"_id": domain.stock_id(depot, sku)}) or {}).get("lots", []))
            assert self.status(rid) == "held"
            event("dispatch of a hold its lots no longer cover: refused")
            return
        assert applied == (before in ("held", "issued"))
        if before == "held":
            depot, lines = self.requisitions[rid]
            for sku, quantity in domain.merge_lines({"sku": s, "quantity": q} for s, q in lines):
                self.on_hand[(depot, sku)] -= quantity
            assert self.status(rid) == "issued"

    def dispatch_unsettled(self, rid):
        issued = self.issues(rid)
        applied = self.deliver(requisition("RequisitionDispatched", rid, [], depot=self.requisitions[rid][0]))
        self.book_issues(rid, issued)
        event(f"dispatch of one a worker died in: {'applied' if applied else 'refused'}")
        assert (self.status(rid) == "issued") == applied

    @rule(rid=st.text("RX", min_size=1, max_size=3))
    def cancel_before_approve(self, rid):
        rid = f"T{rid}"
        self.deliver(requisition("RequisitionCancelled", rid, [("YRN", 1)]))
        self.deliver(requisition("RequisitionApproved", rid, [("YRN", 1)]))
        assert self.status(rid) in ("cancelled", "released")

    @precondition(lambda self: self.delivered)
    @rule(data=st.data())
    def redeliver(self, data):
        event = data.draw(st.sampled_from(self.delivered))
        statuses = {doc["_id"]: doc["status"] for doc in self.db.reservations.find({})}
        self.deliver(event)
        if event.type.startswith("Requisition") and not self.unfinished:  # else its walk may finish a dead one
            assert {doc["_id"]: doc["status"] for doc in self.db.reservations.find({})} == statuses

    # --- workers that die part way, and the event that comes again ---

    def issues(self, rid) -> dict:
        """sku -> the quantity of each issue entry of a requisition (a dead worker's journal copied first)."""
        ledger.project_pending(self.db)
        found = {}
        for entry in self.db.movements.find({"type": "issue", "requisition_id": rid}):
            found.setdefault(entry["sku"], []).append(-entry["quantity"])
        return found

    def book_issues(self, rid, before) -> None:
        """The model's on hand falls by what was issued since `before` (the issues' own check is the invariant)."""
        depot = self.requisitions[rid][0]
        for sku, quantities in self.issues(rid).items():
            self.on_hand[(depot, sku)] -= sum(quantities) - sum(before.get(sku, []))

    def wait_out_leases(self) -> None:
        """Let the lease a dead worker left run out: the lease's clock is the real one, and the lease short."""
        ends = [doc["lease"]["until"] for doc in self.db.reservations.find({"lease": {"$ne": None}}, {"lease": 1})
                if doc.get("lease")]
        if ends:
            end = max(end if end.tzinfo else end.replace(tzinfo=timezone.utc) for end in ends)
            time.sleep(max((end - datetime.now(timezone.utc)).total_seconds() + 0.002, 0))

    @rule(data=st.data(), writes=WRITES, right_after=st.booleans())
    def die_approving(self, data, writes, right_after):
        self.die_handling(data, "RequisitionApproved", writes, right_after)

    @rule(data=st.data(), writes=WRITES, right_after=st.booleans())
    def die_cancelling(self, data, writes, right_after):
        self.die_handling(data, "RequisitionCancelled", writes, right_after)

    @rule(data=st.data(), writes=WRITES, right_after=st.booleans())
    def die_dispatching(self, data, writes, right_after):
        self.die_handling(data, "RequisitionDispatched", writes, right_after)

    def die_handling(self, data, kind, writes, right_after):
        """A worker applies a requisition's event and dies after `writes` stock writes (`right_after` the last: before
        its ledger copy and the requisition's own note), leaving its lease behind to run out."""
        rids = {"RequisitionCancelled": self.cancellable(), "RequisitionDispatched": self.dispatchable()}.get(kind)
        if not rids:
            kind = "RequisitionApproved"
        if kind == "RequisitionApproved":
            rid, depot, lines = f"R{len(self.requisitions) + 1}", data.draw(DEPOTS), data.draw(LINES)
            self.requisitions[rid] = (depot, lines)
        else:  # mostly one with something to release or issue
            busy = [rid for rid in rids if self.status(rid) in (("held", "reserving") if kind == "RequisitionDispatched"
                                                                else ("held", "waitlisted", "reserving"))]
            if kind == "RequisitionDispatched":  # those of two materials first: one dying between them
                busy = [rid for rid in busy if len({sku for sku, _ in self.requisitions[rid][1]}) > 1] or busy
            rid = data.draw(st.sampled_from(busy if busy and data.draw(st.integers(0, 5)) else rids))
            depot, lines = self.requisitions[rid][0], []
        message = requisition(kind, rid, lines, depot=depot)
        issued, store = self.issues(rid), DyingStore(self.db, writes, right_after)
        try:
            make_handler(store, None, lease_seconds=DEAD_LEASE, wait_seconds=0)(message)
        except Killed:
            self.book_issues(rid, issued)
            left = {doc["_id"] for doc in self.db.reservations.find({"lease": {"$ne": None}}, {"_id": 1})}
            self.unsettled |= left
            self.unfinished.append((message, left))
            if kind != "RequisitionApproved" and self.status(rid) not in ("issued", "released"):
                (self.half_issued if kind == "RequisitionDispatched" else self.half_released).add(rid)
            self.wait_out_leases()
            event(f"died in {kind} after {store.done} stock writes")
            return
        except Error as exc:  # refused before it died (a dispatch of one not held): nothing moved
            assert outcome(exc).permanent, exc
            event(f"refused before dying: {kind}")
            return
        self.book_issues(rid, issued)
        self.delivered.append(message)
        event(f"lived through {kind}: fewer than {writes + 1} stock writes")

    @precondition(lambda self: self.unfinished)
    @rule(data=st.data())
    def deliver_again(self, data):
        """The event a worker died in comes again (to a live worker, the dead one's lease run out): it finishes
        what the dead worker left, every requisition it left part way."""
        message, left = self.unfinished.pop(data.draw(st.integers(0, len(self.unfinished) - 1)))
        rid = message.data["requisition_id"]
        issued = self.issues(rid)
        applied = self.deliver(message)
        self.book_issues(rid, issued)
        event(f"{message.type} again after a death: {'applied' if applied else 'refused'}")
        if not applied:  # a dispatch refused (dead-lettered): a person counts the stock
            return
        still = set().union(*(other for _, other in self.unfinished))
        for other in left - still:
            assert self.settled(other), (other, self.db.reservations.find_one({"_id": other}, {"outbox": 0}))
        assert self.status(rid) != "reserving"
        if message.type == "RequisitionDispatched":
            assert self.status(rid) == "issued"

    def settled(self, rid) -> bool:
        """Whether a requisition is as no worker died in it: held every line, or none and not part way (a waiting
        one noting lines it holds is a waitlist turn a worker died in)."""
        doc = self.db.reservations.find_one({"_id": rid}, {"status": 1, "depot": 1, "lines": 1, "held": 1})
        held = {line["sku"] for line in doc["lines"]
                if rid in ((self.db.stock.find_one({"_id": domain.stock_id(doc["depot"], line["sku"])},
                                                   {"holds": 1}) or {}).get("holds") or {})}
        if doc["status"] == "reserving" or doc["status"] == "waitlisted" and doc.get("held"):
            return False
        return held == ({line["sku"] for line in doc["lines"]} if doc["status"] == "held" else set())

    @invariant()
    def stock_holds_and_ledger_agree(self):
        if not hasattr(self, "db"):
            return
        self.unsettled = {rid for rid in self.unsettled if not self.settled(rid)}
        check_invariants(self.db, unsettled=self.unsettled)
        for (depot, sku), expected in self.on_hand.items():
            assert self.stock(depot, sku)[0] == expected, (depot, sku)

    @invariant()
    def issued_once_and_for_good(self):
        """Each line is issued at most once, in full, never while still held; an issued requisition issued every
        line and keeps those issues whatever comes after (days passing, lots expiring, events again)."""
        if not hasattr(self, "db"):
            return
        holds = {(doc["_id"], rid) for doc in self.db.stock.find({}, {"holds": 1}) for rid in doc.get("holds") or {}}
        for doc in self.db.reservations.find({}, {"outbox": 0}):
            rid, lines = doc["_id"], dict(domain.merge_lines(doc["lines"]))
            issues = self.issues(rid)
            for sku, quantities in issues.items():
                assert quantities == [lines[sku]], f"{rid} {sku}: issued {quantities}, line {lines[sku]}"
                assert (domain.stock_id(doc["depot"], sku), rid) not in holds, f"{rid} {sku}: issued and held"
            if doc["status"] == "issued":
                assert set(issues) == set(lines), f"{rid} is issued but only {issues} left, lines {lines}"
                self.kept_issues.setdefault(rid, issues)
            elif doc["status"] in SETTLED_NO_HOLDS:
                assert not issues, f"{rid} is {doc['status']} but issued {issues}"
            if doc["status"] == "held" and doc.get(HANDING_OVER):  # part handed over: every line held or issued
                for sku in lines:
                    assert (sku in issues) != ((domain.stock_id(doc["depot"], sku), rid) in holds), (rid, sku, doc)
            if rid in self.kept_issues:
                assert doc["status"] == "issued" and issues == self.kept_issues[rid], (rid, doc["status"], issues)


StockMachine.TestCase.settings = settings(max_examples=int(os.environ.get("RAWBANK_STATEFUL_EXAMPLES", "150")),
                                          stateful_step_count=int(os.environ.get("RAWBANK_STATEFUL_STEPS", "50")),
                                          deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_stock_machine = StockMachine.TestCase
