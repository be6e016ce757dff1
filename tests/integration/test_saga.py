"""The whole saga on the real broker: the inventory and requests services, each with its worker."""
from __future__ import annotations

import dataclasses
import uuid

import pytest

import services.inventory as inventory
import services.requests as requests_service
from shared.auth import issue_token
from shared.config import Config
from shared.runtime import Runtime
from shared.worker import Worker
from tests.conftest import wait_until
from tests.integration.test_inventory_support import FAR_EXPIRY

pytestmark = pytest.mark.broker
U = uuid.uuid4().hex[:8]
DEPOT, YARN, DYE = f"D{U}", f"YRN-{U}", f"DYE-{U}"
SHORT, SPARE = f"SLK-{U}", f"JUT-{U}"  # materials that start with no stock


class Service:
    def __init__(self, package, config, unique):
        spec = dataclasses.replace(package.spec(), name=f"{package.spec().name}-{unique}")
        self.runtime = Runtime(spec, config)
        self.http = package.create_app(config, self.runtime).test_client()
        self.worker = Worker(self.runtime).start()

    def call(self, method, path, token, json=None, status=200):
        response = self.http.open(f"/api/v1{path}", method=method, json=json,
                                  headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == status, (method, path, response.status_code, response.get_json())
        return response.get_json()

    def close(self):
        self.worker.stop()
        self.runtime.close()


@pytest.fixture(scope="module")
def saga(broker):
    config = Config.from_env({}, kafka_bootstrap_servers=broker, consumer_backoff_ms=10, relay_interval_ms=20,
                             kafka_max_poll_interval_ms=10000)
    tokens = {role: issue_token(config.jwt_secret, sub=f"{role}-saga", role=role)
              for role in ("admin", "warehouse")}
    stock, requests = Service(inventory, config, U), Service(requests_service, config, U)
    try:
        admin = tokens["admin"]
        stock.call("POST", "/depots", admin, {"code": DEPOT, "name": "Saga depot", "district": "Varanasi"},
                   status=201)
        for sku, category in ((YARN, "yarn"), (DYE, "dye"), (SHORT, "yarn"), (SPARE, "fibre")):
            stock.call("POST", "/materials", admin, {"sku": sku, "name": sku, "name_hi": sku,
                                                     "category": category, "unit": "kg", "reorder_level": "1"},
                       status=201)
            stock.call("POST", f"/materials/{sku}/prices", admin, {"price": "100"},
                       status=201)  # approved only at a price
        receive(stock, admin, YARN, 100)
        receive(stock, admin, DYE, 10)
        mine = {"_id": {"$in": [YARN, DYE, SHORT, SPARE]}}  # the topic also carries other tests' materials
        wait_until(lambda: requests.runtime.db.materials.count_documents(mine) == 4
                   and len(requests.runtime.db.prices.distinct("sku", {"sku": mine["_id"]})) == 4
                   and requests.runtime.db.depots.find_one({"_id": DEPOT}), 60,
                   message="requests knows the four materials, their prices and the depot from MaterialRegistered, "
                           "MaterialPriced, DepotRegistered")
        requests.call("PUT", "/credit-terms", admin, {"credit_limit": "1000000", "credit_days": 30},
                      status=200)  # dispatched before they pay
        for artisan in ("A", "B", "C", "D"):
            requests.call("POST", "/artisans", admin, {
                "artisan_id": f"ART-{U}-{artisan}", "name": artisan, "district": "Varanasi",
                "craft": "weaving", "registration_id": f"REG-{U}-{artisan}", "looms": 4}, status=201)
        yield stock, requests, config, tokens
    finally:
        requests.close()
        stock.close()


def receive(stock, token, sku, kg):
    """A receipt; the dye's new lot gives its expiry date (expiry_required), far ahead."""
    dated = {"lot": {"expires_on": FAR_EXPIRY}} if sku == DYE else {}
    return stock.call("POST", "/movements", token, {"type": "receipt", "sku": sku, "depot": DEPOT,
                                                    "quantity": str(kg), **dated}, status=201)


def artisan(config, who):
    return issue_token(config.jwt_secret, sub=f"user-{who}", role="artisan", artisan_id=f"ART-{U}-{who}")


def level(stock, token, sku):
    view = stock.call("GET", f"/stock/{DEPOT}/{sku}", token)
    return {k: view[k] for k in ("on_hand", "reserved", "available")}


def status_of(requests, token, rid):
    return requests.call("GET", f"/requisitions/{rid}", token)


def becomes(requests, token, rid, status, timeout=30):
    return wait_until(lambda: (r := status_of(requests, token, rid))["status"] == status and r, timeout,
                      message=f"requisition {rid} {status}")


def submit(requests, token, lines):
    body = {"depot": DEPOT, "lines": [{"sku": sku, "quantity": str(q)} for sku, q in lines]}
    return requests.call("POST", "/requisitions", token, body, status=201)["id"]


def test_submit_approve_reserve_dispatch_receive(saga):
    stock, requests, config, tokens = saga
    admin, me = tokens["admin"], artisan(config, "A")
    rid = submit(requests, me, [(YARN, "30.5"), (DYE, 2)])
    requests.call("POST", f"/requisitions/{rid}/approve", admin)
    becomes(requests, me, rid, "reserved")
    assert level(stock, admin, YARN) == {"on_hand": "100", "reserved": "30.5", "available": "69.5"}
    requests.call("POST", f"/requisitions/{rid}/dispatch", tokens["warehouse"])
    wait_until(lambda: level(stock, admin, YARN)["on_hand"] == "69.5", 30, message="yarn issued")
    assert level(stock, admin, YARN) == {"on_hand": "69.5", "reserved": "0", "available": "69.5"}
    assert level(stock, admin, DYE) == {"on_hand": "8", "reserved": "0", "available": "8"}
    done = requests.call("POST", f"/requisitions/{rid}/receive", me)
    assert [h["status"] for h in done["history"]] == ["submitted", "approved", "reserved", "dispatched",
                                                      "received"]
    wait_until(lambda: requests.runtime.db.requisitions.find_one({"_id": rid}).get("stock") == "issued", 30,
               message="StockIssued applied")


def test_short_stock_waitlists_three_artisans_and_serves_them_first_come_first_served(saga):
    stock, requests, config, tokens = saga
    admin = tokens["admin"]
    queue = []
    for who in ("A", "B", "C"):
        rid = submit(requests, artisan(config, who), [(SHORT, 10)])
        requests.call("POST", f"/requisitions/{rid}/approve", admin)
        waiting = becomes(requests, admin, rid, "waitlisted")
        assert waiting["waitlist_position"] == len(queue) + 1
        queue.append(rid)
    receive(stock, admin, SHORT, 10)
    becomes(requests, admin, queue[0], "reserved")
    assert [status_of(requests, admin, rid)["status"] for rid in queue[1:]] == ["waitlisted", "waitlisted"]
    receive(stock, admin, SHORT, 15)
    becomes(requests, admin, queue[1], "reserved")
    assert status_of(requests, admin, queue[2])["status"] == "waitlisted"
    receive(stock, admin, SHORT, 5)
    becomes(requests, admin, queue[2], "reserved")
    assert level(stock, admin, SHORT) == {"on_hand": "30", "reserved": "30", "available": "0"}


def test_cancel_while_waitlisted_and_while_reserved_releases_everything(saga):
    stock, requests, config, tokens = saga
    admin, me = tokens["admin"], artisan(config, "D")
    waiting = submit(requests, me, [(SPARE, 5)])
    requests.call("POST", f"/requisitions/{waiting}/approve", admin)
    becomes(requests, me, waiting, "waitlisted")
    requests.call("POST", f"/requisitions/{waiting}/cancel", me, {"reason": "found some"})
    wait_until(lambda: requests.runtime.db.requisitions.find_one({"_id": waiting}).get("stock") == "released",
               30, message="StockReleased for the waitlisted one")
    receive(stock, admin, SPARE, 5)
    held = submit(requests, me, [(SPARE, 5)])
    requests.call("POST", f"/requisitions/{held}/approve", admin)
    becomes(requests, me, held, "reserved")
    assert level(stock, admin, SPARE) == {"on_hand": "5", "reserved": "5", "available": "0"}
    requests.call("POST", f"/requisitions/{held}/cancel", admin, {"reason": "duplicate"})
    wait_until(lambda: level(stock, admin, SPARE)["available"] == "5", 30, message="hold released")
    assert level(stock, admin, SPARE) == {"on_hand": "5", "reserved": "0", "available": "5"}
    assert status_of(requests, me, waiting)["status"] == "cancelled"
    assert status_of(requests, me, held)["status"] == "cancelled"
    requests.call("POST", f"/requisitions/{held}/dispatch", tokens["warehouse"], status=409)
