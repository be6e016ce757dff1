"""Hypothesis drives receipts, adjustments, transfers, reservations and redeliveries in any order;
after every step the stock, the holds and the ledger must still agree with each other and a model."""
import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from services.inventory import domain, movements
from services.inventory.consumer import make_handler
from shared.config import Config
from shared.envelope import decode_event
from shared.errors import Conflict, Error, outcome
from shared.runtime import Runtime
from services.inventory import spec
from tests.integration.test_inventory_support import check_invariants, requisition, seed_catalog

DEPOTS = st.sampled_from(["VNS", "BHD"])
SKUS = st.sampled_from(["YRN", "DYE"])
AMOUNT = st.integers(min_value=1, max_value=6_000)


class StockMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.runtime = Runtime(spec(), Config.from_env({}))
        self.db = self.runtime.db
        seed_catalog(self.db)
        self.handle = make_handler(self.db, None)
        self.on_hand = {}          # (depot, sku) -> what the model expects on hand
        self.requisitions = {}     # rid -> (depot, lines)
        self.delivered = []        # every event handed to the consumer, for redelivery

    def teardown(self):
        self.runtime.close()

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

    def last_stock_event(self, depot, sku, type_):
        outbox = self.db.stock.find_one({"_id": domain.stock_id(depot, sku)})["outbox"]
        return decode_event([e for e in outbox if e["type"] == type_][-1])

    @rule(depot=DEPOTS, sku=SKUS, quantity=AMOUNT)
    def receive(self, depot, sku, quantity):
        movements.record_movement(self.db, {"type": "receipt", "sku": sku, "depot": depot,
                                            "quantity": quantity}, by="t")
        self.on_hand[(depot, sku)] = self.on_hand.get((depot, sku), 0) + quantity
        self.deliver(self.last_stock_event(depot, sku, "StockReceived"))   # the consumer retries waitlists

    @rule(depot=DEPOTS, sku=SKUS, delta=st.integers(min_value=-6_000, max_value=6_000).filter(bool),
          reason=st.sampled_from(domain.ADJUSTMENT_REASONS))
    def adjust(self, depot, sku, delta, reason):
        before = list(self.db.stock.find({}))
        _, available = self.stock(depot, sku)
        try:
            movements.record_movement(self.db, {"type": "adjustment", "sku": sku, "depot": depot,
                                                "quantity": delta, "reason": reason}, by="t")
        except Conflict:
            assert available + delta < 0
            assert list(self.db.stock.find({})) == before
            return
        assert available + delta >= 0
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

    def status(self, rid):
        doc = self.db.reservations.find_one({"_id": rid})
        return doc and doc["status"]

    @precondition(lambda self: self.requisitions)
    @rule(data=st.data())
    def cancel(self, data):
        rid = data.draw(st.sampled_from(sorted(self.requisitions)))
        before = self.status(rid)
        self.deliver(requisition("RequisitionCancelled", rid, []))
        assert self.status(rid) == ("released" if before in ("held", "waitlisted") else before)

    @precondition(lambda self: self.requisitions)
    @rule(data=st.data())
    def dispatch(self, data):
        rid = data.draw(st.sampled_from(sorted(self.requisitions)))
        before = self.status(rid)
        applied = self.deliver(requisition("RequisitionDispatched", rid, []))
        assert applied == (before in ("held", "issued"))
        if before == "held":
            depot, lines = self.requisitions[rid]
            for sku, quantity in domain.merge_lines({"sku": s, "quantity": q} for s, q in lines):
                self.on_hand[(depot, sku)] -= quantity
            assert self.status(rid) == "issued"

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
        if event.type.startswith("Requisition"):
            assert {doc["_id"]: doc["status"] for doc in self.db.reservations.find({})} == statuses

    @invariant()
    def stock_holds_and_ledger_agree(self):
        if not hasattr(self, "db"):
            return
        check_invariants(self.db)
        for (depot, sku), expected in self.on_hand.items():
            assert self.stock(depot, sku)[0] == expected, (depot, sku)


StockMachine.TestCase.settings = settings(max_examples=80, stateful_step_count=30, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_stock_machine = StockMachine.TestCase
