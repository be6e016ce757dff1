"""`rawbank dev` on a data directory: data, demo users and the token secret outlive a stop; backup,
restore and status; every command run from the same directory uses the same secret."""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
from datetime import date, timedelta

import pytest

from tests.conftest import wait_until
from tests.devserver import Dev, http

pytestmark = pytest.mark.e2e


def rawbank(*args: str, cwd, **settings) -> subprocess.CompletedProcess:
    """A `rawbank` command as a user runs it from `cwd` (only the given RAWBANK_* settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAWBANK_", "KAFKA_", "MONGO_"))}
    env.update(settings)
    return subprocess.run([sys.executable, "-m", "shared.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def login(dev: Dev, username: str, password: str) -> str:
    status, body = http("POST", dev.url("requests", "/api/v1/auth/login"), {"username": username, "password": password})
    assert status == 200, body
    return body["access_token"]


def on_hand(dev: Dev, token: str) -> str:
    status, stock = http("GET", dev.url("inventory", "/api/v1/stock/VNS/YRN-COT-40"), token=token)
    assert status == 200, stock
    return stock["on_hand"]


def reconciled(cwd) -> bool:
    result = rawbank("reconcile", "--via-api", "--no-dlq", cwd=cwd)
    return result.returncode == 0 and "verdict: CLEAN" in result.stdout


def test_data_users_and_secret_outlive_a_stop_and_backup_restore_brings_a_copy_back(tmp_path):
    data = tmp_path / "var"
    dev = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    try:
        warehouse = login(dev, "warehouse", "warehouse123")
        status, moved = http("POST", dev.url("inventory", "/api/v1/movements"),
                             {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "12.5"}, warehouse)
        assert status == 201, moved
        assert on_hand(dev, warehouse) == "212.5"
        secret = data / "secret"
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600

        token = rawbank("token", "--role", "admin", "--sub", "ops", cwd=tmp_path)  # ./var, as `make dev` uses
        assert token.returncode == 0, token.stderr
        status, _ = http("GET", dev.url("notifier", "/api/v1/alerts"), token=token.stdout.strip())
        assert status == 200
        wait_until(lambda: reconciled(tmp_path), 60, message="reconcile --via-api clean, from ./var's running.json")
        rebuilt = rawbank("reports", "rebuild", cwd=tmp_path)  # a service's command finds and reaches it the same way
        assert rebuilt.returncode == 0 and rebuilt.stdout.startswith("rebuilt the reports from "), rebuilt.stderr

        shown = wait_until(lambda: (lambda out: "consumer lag: 0 events" in out and out)(
            rawbank("status", cwd=tmp_path).stdout), 30, message="status with consumer lag 0")
        assert "running: yes" in shown and "(stock): 5" in shown and "last backup: never" in shown, shown
        assert "rawbank का डेटा फ़ोल्डर" in rawbank("status", "--lang", "hi", cwd=tmp_path).stdout

        busy, stop = [], threading.Event()
        far = (date.today() + timedelta(days=3 * 365)).isoformat()

        def receipts():  # the depot keeps working while the copy is taken
            while not stop.wait(0.2):
                busy.append(http("POST", dev.url("inventory", "/api/v1/movements"), {
                    "type": "receipt", "sku": "DYE-INDIGO", "depot": "VNS", "quantity": "1",
                    "lot": {"expires_on": far}}, warehouse)[0])  # a dye's new lot gives its date
        worker = threading.Thread(target=receipts)
        worker.start()
        try:
            (tmp_path / "backups").mkdir()  # a backup makes only its last folder
            copy = rawbank("backup", str(tmp_path / "backups" / "one"), cwd=tmp_path)
        finally:
            stop.set()
            worker.join()
        assert copy.returncode == 0, copy.stdout + copy.stderr
        assert busy and set(busy) == {201}, busy
        assert re.search(r"last backup: \d+ \w+ 20\d\d, \d\d:\d\d IST to ", rawbank("status", cwd=tmp_path).stdout)
        refused = rawbank("restore", str(tmp_path / "backups" / "one"), cwd=tmp_path)
        assert refused.returncode == 2 and "in use by another running rawbank" in refused.stdout
        status, _ = http("POST", dev.url("inventory", "/api/v1/movements"),
                         {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "1"}, warehouse)
        assert status == 201  # after the copy: a restore takes it back
    finally:
        assert dev.stop() == 0, dev.output
    assert "not drained" not in dev.output and dev.output.count("stopping: drained") == 3, dev.output
    after = rawbank("status", cwd=tmp_path).stdout  # a drained stop leaves nothing to publish again
    assert "running: no" in after and after.count("(0 not yet read by every service)") == 3, after
    assert "published events kept: 0 " not in after.split("requests:")[0], after  # inventory did keep some

    again = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    try:
        assert "with the data kept so far" in again.output
        for user, password in (("admin", "admin123"), ("artisan", "artisan123")):
            login(again, user, password)
        warehouse = login(again, "warehouse", "warehouse123")
        assert on_hand(again, warehouse) == "213.5"  # nothing lost, opening stock not received again
        status, users = http("GET", again.url("notifier", "/api/v1/alerts"),
                             token=rawbank("token", "--role", "admin", "--sub", "ops", cwd=tmp_path).stdout.strip())
        assert status == 200
    finally:
        assert again.stop() == 0, again.output

    restored = rawbank("restore", str(tmp_path / "backups" / "one"), cwd=tmp_path)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert any(path.name.startswith("before-restore-") for path in data.iterdir())
    back = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    try:
        assert on_hand(back, login(back, "warehouse", "warehouse123")) == "212.5"
        wait_until(lambda: reconciled(tmp_path), 60, message="reconcile clean after a restore and start")
    finally:
        assert back.stop() == 0, back.output


def test_serving_beyond_this_machine_needs_a_secret_of_its_own(tmp_path):
    from tests.conftest import free_port
    ports = [a for name in ("broker", "inventory", "requests", "notifier")
             for a in (f"--{name}-port", str(free_port()))]  # free, so that the host is what it refuses
    refused = rawbank("dev", "--memory", "--host", "0.0.0.0", *ports, cwd=tmp_path)
    assert refused.returncode == 2
    assert "0.0.0.0" in refused.stdout and "RAWBANK_JWT_SECRET" in refused.stdout and "गुप्त कुंजी" in refused.stdout
    run = rawbank("run", "inventory", "--memory", cwd=tmp_path, RAWBANK_HOST="0.0.0.0")
    assert run.returncode == 2 and "RAWBANK_JWT_SECRET" in run.stderr and "गुप्त कुंजी" in run.stderr


def test_the_broker_log_is_kept_with_the_data_and_a_memory_run_leaves_no_log_behind(tmp_path):
    """Each `rawbank dev` made a /tmp/rawbank-dev-* directory for the broker's log and left it there for good (a
    depot machine running it for years, or a test suite, gathers hundreds). Now a data directory keeps the last
    run's broker log beside the stores, and a memory run's log is removed when it stops cleanly."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    data = tmp_path / "var"
    for options in (("--data-dir", str(data)), ("--memory",)):
        dev = Dev(*options, settings={"TMPDIR": str(scratch)}, cwd=tmp_path).wait_ready()
        try:
            named = [line for line in dev.lines if "broker.log" in line]
        finally:
            assert dev.stop() == 0, dev.output
        assert named, dev.output
        if options[0] == "--data-dir":
            assert f"{data / 'broker.log'}" in named[0] and (data / "broker.log").stat().st_size > 0
        assert list(scratch.iterdir()) == [], (options, dev.output)
