"""Inventory's consumer and relay on a real Tansu broker: the saga, the waitlist retry when stock
arrives, out-of-order and duplicate deliveries, dead letters, and the ledger once everything drained."""
import threading
from contextlib import contextmanager

import pytest
from kafka import KafkaConsumer, TopicPartition

from services.inventory import create_app, spec, store
from services.inventory.consumer import make_handler
from shared.consumer import ConsumerLoop
from shared.kafka import ensure_topics, make_producer
from shared.relay import OutboxRelay
from shared.runtime import Runtime
from tests.conftest import wait_until
from tests.integration.test_inventory_support import check_invariants, requisition, seed_catalog

pytestmark = pytest.mark.broker


@contextmanager
def inventory_worker(config, db, producer, requests_topic, inventory_topic, group):
    """The inventory worker's two loops, on this test's own topics and consumer group."""
    stop = threading.Event()
    relay = OutboxRelay(db, store.OUTBOX_COLLECTIONS, producer, inventory_topic, service="inventory",
                        interval_ms=20)
    loop = ConsumerLoop(config, service="inventory", group_id=group, topics=[requests_topic, inventory_topic],
                        handler=make_handler(db, config), producer=producer)
    threads = [threading.Thread(target=part, args=(stop,), daemon=True) for part in (relay.run, loop.run)]
    for thread in threads:
        thread.start()
    try:
        yield loop
    finally:
        stop.set()
        for thread in threads:
            thread.join(20)
        assert not any(t.is_alive() for t in threads)


def read_types(config, topic):
    consumer = KafkaConsumer(bootstrap_servers=config.kafka_bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        found = []
        for _ in range(10):
            for batch in consumer.poll(timeout_ms=200).values():
                found.extend(batch)
        return found
    finally:
        consumer.close()


def test_saga_over_the_broker(broker_config, token, unique):
    requests_topic, inventory_topic = f"req-{unique}", f"inv-{unique}"
    ensure_topics(broker_config, [requests_topic, inventory_topic])
    runtime = Runtime(spec(), broker_config)
    db = runtime.db
    seed_catalog(db)
    client = create_app(broker_config, runtime).test_client()
    admin = token("admin")

    def move(**body):
        response = client.post("/api/v1/movements", json=body, headers=admin)
        assert response.status_code == 201, response.json

    def send(event):
        producer.send(requests_topic, key=event.key.encode(), value=event.to_bytes()).get(10)

    def status(rid):
        doc = db.reservations.find_one({"_id": rid})
        return doc and doc["status"]

    producer = make_producer(broker_config, "inventory-test")
    try:
        move(type="receipt", sku="YRN", depot="VNS", quantity="5")
        with inventory_worker(broker_config, db, producer, requests_topic, inventory_topic, f"inv-{unique}"):
            approved = requisition("RequisitionApproved", "R1", [("YRN", 3_000)])
            send(approved)
            send(requisition("RequisitionApproved", "R2", [("YRN", 4_000)]))
            send(requisition("RequisitionCancelled", "R3", [("YRN", 1_000)]))      # before its approval
            send(requisition("RequisitionApproved", "R3", [("YRN", 1_000)]))
            send(requisition("RequisitionDispatched", "R9", [("YRN", 1_000)]))    # never approved: DLQ
            wait_until(lambda: (status("R1"), status("R2"), status("R3")) == ("held", "waitlisted", "cancelled"),
                       timeout=40, message="R1 held, R2 waitlisted, R3 cancelled")

            move(type="receipt", sku="YRN", depot="VNS", quantity="2")           # StockReceived -> retry
            wait_until(lambda: status("R2") == "held", timeout=20, message="R2 served from the waitlist")

            send(approved)                                                        # a duplicate
            send(requisition("RequisitionDispatched", "R2", [("YRN", 4_000)]))
            send(requisition("RequisitionCancelled", "R1", [("YRN", 3_000)]))
            wait_until(lambda: (status("R1"), status("R2")) == ("released", "issued"), timeout=20,
                       message="R1 released and R2 issued")
            move(type="transfer", sku="YRN", depot="VNS", to_depot="BHD", quantity="1")
            wait_until(lambda: db.stock.count_documents({"outbox.0": {"$exists": True}}) == 0
                       and db.reservations.count_documents({"outbox.0": {"$exists": True}}) == 0,
                       timeout=20, message="every outbox drained")
        stock = client.get("/api/v1/stock/VNS/YRN", headers=admin).json
        assert (stock["on_hand"], stock["reserved"], stock["available"]) == ("2", "0", "2")
        assert client.get("/api/v1/stock/BHD/YRN", headers=admin).json["on_hand"] == "1"
        check_invariants(db)

        published = [dict(m.headers)["type"].decode() for m in read_types(broker_config, inventory_topic)]
        for kind in ("DepotRegistered", "MaterialRegistered", "StockReceived", "StockReserved", "StockWaitlisted",
                     "StockReleased", "StockIssued",
                     "StockTransferred", "StockLow"):
            assert kind in published, kind
        assert published.count("StockReserved") == 2
        dead = read_types(broker_config, f"{requests_topic}.dlq")
        assert len(dead) == 1 and b"never approved" in dict(dead[0].headers)["reason"]
    finally:
        producer.close()
        runtime.close()
