"""`rawbank dev` on a data directory, every one of its processes killed with SIGKILL at once (as a
power cut stops them), three times, while artisans file requisitions and stock is received.

Each time it is started again on the same data directory. Every write that was answered 2xx must
be there afterwards, and once traffic settles `rawbank reconcile` must find the books clean (the
relays publish again what the lost broker held; consumers apply it once).
Scale with RAWBANK_FAULT_REQUISITIONS / RAWBANK_FAULT_ARTISANS (the issue's 200 / 20 by default).
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.client import HTTPException
from pathlib import Path

import pytest

from shared.auth import issue_token
from tests.conftest import wait_until
from tests.devserver import Dev

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]
REQUISITIONS = int(os.environ.get("RAWBANK_FAULT_REQUISITIONS", "200"))
ARTISANS = int(os.environ.get("RAWBANK_FAULT_ARTISANS", "20"))
SEED = int(os.environ.get("RAWBANK_FAULT_SEED", str(random.randrange(1 << 30))))
KILLS = 3


def http(method: str, url: str, body=None, token=None, headers=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            raw = response.read()
            return response.status, raw if "csv" in url else json.loads(raw or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, HTTPException):  # refused, reset, timed out or cut mid-answer: rawbank is down
        return 0, None


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.add(child)
            todo.append(child)
    return found


def kill_everything(dev: Dev, data: Path) -> int:
    """SIGKILL `rawbank dev` and every process under it at the same moment, as a power cut would.

    A gunicorn arbiter may fork a new worker between the look at the process tree and its own
    SIGKILL; that worker is orphaned, so every process still naming the data directory is killed too.
    """
    victims = {dev.process.pid} | descendants(dev.process.pid)
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    dev.process.wait(30)
    while late := {pid for pid in _naming(data) if pid not in victims}:
        victims |= late
        for pid in late:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    # a process in the middle of an fsync dies when it returns: until then it still holds its store
    wait_until(lambda: not any(_alive(pid) for pid in victims), 30, message="every killed process to be gone")
    return len(victims)


def _naming(data: Path) -> set[int]:
    """The processes whose command line names the data directory."""
    found = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(data).encode() in cmdline.read_bytes().split(b"\0") and _alive(int(cmdline.parent.name)):
                found.add(int(cmdline.parent.name))
        except (OSError, ValueError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Traffic:
    """Artisans file and admins approve requisitions, the warehouse receives stock; every 2xx is noted."""

    def __init__(self, secret: str, dev: Dev):
        self.dev, self.secret = dev, secret
        self.admin = issue_token(secret, sub="admin-kill", role="admin")
        self.warehouse = issue_token(secret, sub="warehouse-kill", role="warehouse", depot="VNS")
        self.filed: dict[str, str] = {}  # idempotency key -> requisition id answered 201
        self.approved: set[str] = set()
        self.received: list[str] = []  # movement ids answered 201
        self.done = threading.Event()

    def url(self, service: str, path: str) -> str:
        return self.dev.url(service, f"/api/v1{path}")

    def requisitions(self, numbers) -> None:
        rng = random.Random(SEED + numbers[0])
        for n in numbers:
            artisan = f"ART-K{n % ARTISANS:03d}"
            token = issue_token(self.secret, sub=f"user-{artisan}", role="artisan", artisan_id=artisan)
            key, body = f"kill-{n}", {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": str(rng.randint(1, 2))}]}
            while (rid := self.filed.get(key)) is None and not self.done.is_set():  # one key: never filed twice
                status, made = http("POST", self.url("requests", "/requisitions"), body, token,
                                    {"Idempotency-Key": key})
                if status == 201:
                    self.filed[key] = made["id"]
                else:
                    time.sleep(0.5)
            while rid is not None and rid not in self.approved and not self.done.is_set():
                status, _ = http("POST", self.url("requests", f"/requisitions/{rid}/approve"), {}, self.admin)
                if status == 200:
                    self.approved.add(rid)
                elif status == 409:  # approved before the answer was lost
                    break
                else:
                    time.sleep(0.5)

    def receipts(self) -> None:
        while not self.done.is_set():
            status, moved = http("POST", self.url("inventory", "/movements"),
                                 {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "2"},
                                 self.warehouse)
            if status == 201:
                self.received.append(moved["movement_id"])
            time.sleep(0.1 if status == 201 else 0.5)


def reconcile(cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAWBANK_", "KAFKA_", "MONGO_"))}
    return subprocess.run([sys.executable, "-m", "shared.cli", "reconcile", "--via-api", "--no-dlq"], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)


def test_sigkill_of_every_process_three_times_loses_no_answered_write(tmp_path):
    print(f"seed {SEED} (RAWBANK_FAULT_SEED={SEED} repeats this run)")
    rng = random.Random(SEED)
    data = tmp_path / "var"
    dev = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    traffic = Traffic((data / "secret").read_text().strip(), dev)
    try:
        for n in range(ARTISANS):
            artisan = f"ART-K{n:03d}"
            status, _ = http("POST", traffic.url("requests", "/artisans"), {
                "artisan_id": artisan, "name": artisan, "district": "Varanasi", "craft": "weaving",
                "registration_id": f"R-{artisan}", "looms": 2}, traffic.admin)
            assert status == 201, status
        workers = [threading.Thread(target=traffic.requisitions, args=(list(range(i, REQUISITIONS, 4)),))
                   for i in range(4)] + [threading.Thread(target=traffic.receipts)]
        for worker in workers:
            worker.start()
        for kill in range(KILLS):  # at random moments spread over the requisitions' traffic
            moment = rng.uniform(kill, kill + 1) * REQUISITIONS / (KILLS + 1)
            wait_until(lambda: len(traffic.filed) >= moment, 300, interval=0.01, message=f"{moment:.0f} filed")
            killed = kill_everything(dev, data)
            print(f"kill {kill + 1}: {killed} processes; {len(traffic.filed)} filed, {len(traffic.approved)} "
                  f"approved, {len(traffic.received)} receipts answered so far", flush=True)
            dev = traffic.dev = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready(180)
        for worker in workers[:-1]:
            worker.join(600)
        traffic.done.set()
        workers[-1].join(60)
        assert len(traffic.filed) == REQUISITIONS

        result = wait_until(lambda: (lambda r: r.returncode == 0 and r)(reconcile(tmp_path)), 240, interval=3,
                            message="reconcile --via-api to be clean once traffic settled")
        print(result.stdout)
        for rid in traffic.filed.values():
            status, doc = http("GET", traffic.url("requests", f"/requisitions/{rid}"), token=traffic.admin)
            assert status == 200, rid
            assert rid not in traffic.approved or doc["status"] != "submitted", (rid, doc["status"])
        status, csv = http("GET", traffic.url("inventory", "/movements?format=csv&sku=YRN-COT-40&depot=VNS"),
                           token=traffic.admin)
        assert status == 200
        missing = [m for m in traffic.received if m.encode() not in csv]
        assert not missing, f"{len(missing)} receipts answered 201 are gone, e.g. {missing[:3]}"
        print(f"{len(traffic.filed)} requisitions, {len(traffic.approved)} approvals and {len(traffic.received)} "
              f"receipts answered 2xx: all there after {KILLS} kills")
    finally:
        traffic.done.set()
        dev.stop()
