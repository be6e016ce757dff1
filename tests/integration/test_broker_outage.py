"""The broker stops answering for a while: writes still succeed, readiness says so, nothing is lost."""
import os
import signal
import time

import pytest

from services import inventory, notifier
from shared.runtime import Runtime
from shared.worker import Worker
from tests.conftest import wait_until
from tests.integration.test_inventory_support import FAR_EXPIRY

pytestmark = pytest.mark.broker
OUTAGE_SECONDS = float(os.environ.get("RAWBANK_TEST_OUTAGE_SECONDS", "30"))


def test_writes_survive_a_paused_broker_and_every_event_arrives_after(own_broker, config, token):
    process, servers = own_broker
    config = config.with_(kafka_bootstrap_servers=servers, kafka_request_timeout_ms=3000)
    runtimes = {name: Runtime(module.spec(), config) for name, module in
                (("inventory", inventory), ("notifier", notifier))}
    workers = [Worker(runtime).start() for runtime in runtimes.values()]
    try:
        client = inventory.create_app(config, runtimes["inventory"]).test_client()
        admin = token("admin")
        client.post("/api/v1/depots", json={"code": "VNS", "name": "Varanasi", "district": "Varanasi"},
                    headers=admin)
        client.post("/api/v1/materials", headers=admin, json={
            "sku": "DYE-INDIGO", "name": "Indigo", "name_hi": "नील", "category": "dye", "unit": "kg",
            "reorder_level": "2"})

        def receive(quantity):
            response = client.post("/api/v1/movements", headers=token("warehouse"), json={
                "type": "receipt", "sku": "DYE-INDIGO", "depot": "VNS", "quantity": quantity,
                "lot": {"expires_on": FAR_EXPIRY}})  # a dye's new lot gives its date (expiry_required)
            assert response.status_code == 201, response.json
            return response.json["movement_id"]

        notifier_db = runtimes["notifier"].db
        movements = [receive(1)]
        wait_until(lambda: notifier_db.events.count_documents({"type": "StockReceived"}) == 1, 30,
                   message="the first event before the outage")
        assert client.get("/readyz").status_code == 200

        os.kill(process.pid, signal.SIGSTOP)
        movements += [receive(n) for n in range(2, 12)]
        unready = client.get("/readyz")
        assert unready.status_code == 503 and unready.json["checks"]["broker"] != "ok"
        _pause(OUTAGE_SECONDS, lambda: movements.append(receive(1)))
        pending = runtimes["inventory"].db.stock.find_one({"_id": "VNS/DYE-INDIGO"})["outbox"]
        assert len(pending) >= 10  # held in the outbox while the broker is away

        os.kill(process.pid, signal.SIGCONT)
        wait_until(lambda: client.get("/readyz").status_code == 200, 30, message="ready again")

        def all_arrived():
            seen = {e["payload"]["movement_id"] for e in notifier_db.events.find({"type": "StockReceived"})}
            return set(movements) <= seen
        wait_until(all_arrived, 60, interval=0.5, message="every movement at the notifier")
        assert notifier_db.events.count_documents({"type": "StockReceived"}) == len(movements)
        wait_until(lambda: runtimes["inventory"].db.stock.find_one({"_id": "VNS/DYE-INDIGO"})["outbox"] == [],
                   10, message="the outbox drained")
    finally:
        os.kill(process.pid, signal.SIGCONT)
        for worker in workers:
            worker.stop()
        for runtime in runtimes.values():  # its readiness probe's client too, or it keeps calling a dead broker
            runtime.close()


def _pause(seconds: float, work) -> None:
    """Keep working through the outage: one write a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        work()
        time.sleep(1)
