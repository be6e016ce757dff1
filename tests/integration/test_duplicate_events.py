"""Every event delivered again, as a relay republishes to a fresh broker: no consumer's store changes.

The three services are filled through their APIs and their real consumer handlers (events handed
over in-process, in publish order); then every event that was ever delivered is delivered again,
in the same order, to every service that reads it. Each store must be exactly as it was.
"""
from __future__ import annotations

import pytest

from services import inventory, notifier, requests as requests_service
from services.inventory import ledger
from shared.auth import issue_token
from shared.envelope import decode_event
from shared.errors import outcome
from shared.reconcile import check, facts_of
from shared.retention import COLLECTION
from shared.runtime import Runtime

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
#: each publishing service -> the services that read its topic
READERS = {source.spec().name: tuple(name for name, reader in PACKAGES.items()
                                     if source.spec().publishes in reader.spec().consumes)
           for source in PACKAGES.values() if source.spec().publishes}
DEPOT = "VNS"


class World:
    """The three services in this process; events move from outboxes to handlers, and are remembered."""

    def __init__(self, config):
        self.config = config
        self.runtimes = {name: Runtime(package.spec(), config) for name, package in PACKAGES.items()}
        self.handlers = {name: runtime.spec.make_handler(runtime.db, config) for name, runtime in self.runtimes.items()}
        self.http = {name: PACKAGES[name].create_app(config, self.runtimes[name]).test_client() for name in PACKAGES}
        self.delivered: list[tuple[str, object]] = []  # (source service, event), in delivery order
        for name in ("inventory", "requests"):
            self.runtimes[name].spec.seed(self.runtimes[name].db, config)
        self.settle()

    def deliver(self, source: str, event) -> None:
        for reader in READERS[source]:
            try:
                self.handlers[reader](event)
            except Exception as exc:  # a permanent one would be dead-lettered, the same each time
                if not outcome(exc).permanent:
                    raise

    def settle(self) -> None:
        """Deliver until no outbox holds an event (what the relays and consumers do), and move
        inventory's pending journal entries into the ledger, as its sweep does."""
        ledger.project_pending(self.runtimes["inventory"].db)
        moved = True
        while moved:
            moved = False
            for source in READERS:
                db = self.runtimes[source].db
                for collection in self.runtimes[source].spec.outbox_collections:
                    for doc in db[collection].find({"outbox.0": {"$exists": True}}, {"outbox": 1}):
                        db[collection].update_one({"_id": doc["_id"]}, {"$set": {"outbox": []}})
                        for raw in doc["outbox"]:
                            event = decode_event({k: v for k, v in raw.items() if k != "_relay"})
                            self.delivered.append((source, event))
                            self.deliver(source, event)
                            moved = True
        ledger.project_pending(self.runtimes["inventory"].db)

    def call(self, service, method, path, role="admin", json=None, **claims):
        token = issue_token(self.config.jwt_secret, sub=f"{role}-dup", role=role, **claims)
        response = self.http[service].open(f"/api/v1{path}", method=method, json=json or {},
                                           headers={"Authorization": f"Bearer {token}"})
        assert response.status_code in (200, 201), (path, response.status_code, response.get_json())
        return response.get_json()

    def redeliver_everything(self) -> dict:
        """Deliver every event delivered so far once more, in the same order, and settle what that made: what it
        changed in any document of any service ((service, collection, id) -> field -> (before, after)); a
        repeat applied once changes nothing."""
        before = self.contents()
        for source, event in list(self.delivered):
            self.deliver(source, event)
        self.settle()  # had a repeat made anything new to publish, it would be applied and show here
        after = self.contents()
        return {(service, collection, key): _fields_changed(before[service].get(collection, {}).get(key),
                                                            after[service].get(collection, {}).get(key))
                for service in PACKAGES for collection in set(before[service]) | set(after[service])
                for key in set(before[service].get(collection, {})) | set(after[service].get(collection, {}))
                if before[service].get(collection, {}).get(key) != after[service].get(collection, {}).get(key)}

    def contents(self) -> dict:
        return {name: {coll: {str(d["_id"]): d for d in runtime.db[coll].find()}
                       for coll in runtime.db.list_collection_names() if coll != COLLECTION}
                for name, runtime in self.runtimes.items()}

    def reconcile(self):
        return check(facts_of({name: runtime.db for name, runtime in self.runtimes.items()}))

    def close(self) -> None:
        for runtime in self.runtimes.values():
            runtime.close()


@pytest.fixture
def world(config):
    world = World(config)
    yield world
    world.close()


def requisition(world, quantity: str, artisan: str = "ART-0001") -> str:
    made = world.call("requests", "POST", "/requisitions", json={
        "artisan_id": artisan, "depot": DEPOT, "lines": [{"sku": "YRN-SLK-MUL", "quantity": quantity}]})
    world.call("requests", "POST", f"/requisitions/{made['id']}/approve")
    return made["id"]


def test_every_event_delivered_twice_changes_no_store(world):
    world.call("inventory", "POST", "/materials", json={
        "sku": "DUP-JUTE", "name": "Jute", "name_hi": "जूट", "category": "fibre", "unit": "kg", "reorder_level": "5"})
    held = [requisition(world, "3"), requisition(world, "4"), requisition(world, "2")]
    world.settle()
    waiting = requisition(world, "6")  # more than is left: waitlisted
    world.settle()
    world.call("requests", "POST", f"/requisitions/{held[0]}/dispatch")
    world.call("requests", "POST", f"/requisitions/{held[1]}/cancel")
    world.settle()
    world.call("requests", "POST", f"/requisitions/{held[0]}/receive", role="artisan", artisan_id="ART-0001")
    world.call("inventory", "POST", "/movements", role="warehouse", depot=DEPOT, json={
        "type": "receipt", "sku": "YRN-SLK-MUL", "depot": DEPOT, "quantity": "20"})  # the waitlist moves
    world.call("inventory", "POST", "/movements", json={
        "type": "adjustment", "sku": "YRN-COT-40", "depot": DEPOT, "quantity": "-199", "reason": "damage"})
    world.settle()
    statuses = {world.runtimes["requests"].db.requisitions.find_one({"_id": rid})["status"] for rid in [*held, waiting]}
    assert statuses == {"received", "cancelled", "reserved"}, statuses  # the waitlisted one was reserved later
    assert world.reconcile().ok
    types = {event.type for _, event in world.delivered}
    assert {"MaterialRegistered", "StockReceived", "StockAdjusted", "StockReserved", "StockWaitlisted",
            "StockReleased", "StockIssued", "StockLow", "RequisitionApproved", "RequisitionCancelled",
            "RequisitionDispatched", "RequisitionReceived"} <= types, types

    changed = world.redeliver_everything()
    assert not changed, changed
    assert world.reconcile().ok


def _fields_changed(old, new) -> dict:
    """What a repeat changed in one document: field -> (before, after)."""
    if old is None or new is None:
        return {"document": (old, new)}
    return {k: (old.get(k), new.get(k)) for k in set(old) | set(new) if old.get(k) != new.get(k)}
