"""`rawbank dev` as a user runs it: processes, HTTP, one event end to end, Ctrl-C."""
import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from kafka import KafkaProducer

from tests.conftest import free_port, wait_until
from tests.devserver import ROOT, Dev, http, running_dev

pytestmark = pytest.mark.e2e


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def login(dev: Dev, username: str, password: str) -> str:
    status, body = http("POST", dev.url("requests", "/api/v1/auth/login"),
                        {"username": username, "password": password})
    assert status == 200, body
    return body["access_token"]


@pytest.fixture(scope="module")
def dev():
    with running_dev() as dev:
        yield dev


def test_banner_says_where_each_user_goes_in_both_languages(dev):
    out = dev.output
    for text in ("Warehouse staff", "गोदाम कर्मचारी", "Artisans", "कारीगर", "Admins", "एडमिन",
                 "warehouse / warehouse123", "artisan / artisan123", "admin / admin123", "secretary / secretary123",
                 "सहकारी सचिव",
                 "memory", "मेमोरी", dev.url("notifier", "/api/v1/events")):
        assert text in out, text


def test_once_it_says_where_to_go_the_demo_data_has_reached_every_service(dev):
    """The first page opened shows the catalog: requests learnt it from inventory's events before the banner."""
    status, body = http("POST", dev.url("requests", "/api/v1/requisitions/estimate"),
                        {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "5"}]},
                        login(dev, "artisan", "artisan123"))
    assert status == 200, body  # before: 422 material_not_known for about 5 s after the banner


def test_every_service_is_ready(dev):
    for service in ("inventory", "requests", "notifier"):
        status, body = http("GET", dev.url(service, "/readyz"))
        assert status == 200 and body["checks"].pop("events") in ("settled", "in flight"), body  # either is ready
        assert body["checks"] == {"store": "ok", "broker": "ok"}, body


def test_a_receipt_reaches_the_notifier_once_even_when_delivered_twice(dev):
    warehouse, admin = login(dev, "warehouse", "warehouse123"), login(dev, "admin", "admin123")
    status, moved = http("POST", dev.url("inventory", "/api/v1/movements"),
                         {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "12.5"}, warehouse)
    assert status == 201, moved
    movement = moved["movement_id"]

    def received():
        status, events = http("GET", dev.url("notifier", "/api/v1/events?type=StockReceived&limit=200"), token=admin)
        assert status == 200, events
        return [e for e in events if e["payload"]["movement_id"] == movement]
    [event] = wait_until(received, 10, message="StockReceived at the notifier")
    assert event["payload"]["quantity"] == "12.5" and event["payload"]["by"] == "warehouse"

    duplicate = {k: event[k] for k in ("event_id", "type", "version", "occurred_at", "source", "key",
                                       "correlation_id", "payload")}
    producer = KafkaProducer(bootstrap_servers=f"127.0.0.1:{dev.ports['broker']}", acks="all")
    producer.send("inventory.events", key=event["key"].encode(), value=json.dumps(duplicate).encode()).get(10)
    producer.close()
    status, marker = http("POST", dev.url("inventory", "/api/v1/movements"),
                          {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": 1}, warehouse)
    assert status == 201
    wait_until(lambda: http("GET", dev.url("notifier", "/api/v1/events?type=StockReceived&limit=200"),
                            token=admin)[1][0]["payload"]["movement_id"] == marker["movement_id"], 10,
               message="the event sent after the duplicate")
    assert len(received()) == 1

    status, stock = http("GET", dev.url("inventory", "/api/v1/stock/VNS/YRN-COT-40"), token=warehouse)
    assert stock["on_hand"] == "213.5"  # 200 opening stock + 12.5 + 1


def test_events_are_for_admins_only(dev):
    status, body = http("GET", dev.url("notifier", "/api/v1/events"), token=login(dev, "artisan", "artisan123"))
    assert status == 403 and body["error"]["code"] == "forbidden"


def test_ctrl_c_stops_every_process_it_started(dev):
    children = children_of(dev.process.pid)
    assert len(children) == 4, children  # broker and three services
    dev.process.send_signal(signal.SIGINT)
    assert dev.process.wait(30) == 0
    wait_until(lambda: not any(alive(pid) for pid in children), 10, message="children to exit")
    assert "Stopped." in dev.output


def test_a_port_in_use_gets_a_clear_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "shared.cli", "dev", "--inventory-port", str(port),
                                 "--broker-port", str(free_port())], cwd=ROOT, capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 1
    assert f"Port {port} (needed for inventory) is already in use" in result.stdout
    # the busy one's flag, with the command as it is run from the checkout (`make dev` puts no rawbank on the PATH)
    assert f"e.g. .venv/bin/rawbank dev --inventory-port {port + 1000}. Then run again." in result.stdout
    assert f"जैसे .venv/bin/rawbank dev --inventory-port {port + 1000}।" in result.stdout
