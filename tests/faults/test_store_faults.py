"""The durable store under a killed process, a torn last write and a full disk.

A power cut keeps what was fsync'd and may leave the rest of the write-ahead log cut short or
garbled. Here a writer process is killed mid-write again and again, and each time the unsynced
end of its log is cut at a random byte and part of it overwritten with noise, as a power cut
can leave it; SQLite must recover, and every step the writer reported done must be there.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from shared.durable_store import DurableStore
from tests.devserver import ROOT

KILLS = int(os.environ.get("RAWBANK_TORN_WRITE_KILLS", "30"))
SEED = int(os.environ.get("RAWBANK_FAULT_SEED", str(random.randrange(1 << 30))))


def start_writer(path) -> tuple[subprocess.Popen, list[tuple[int, int]]]:
    process = subprocess.Popen([sys.executable, "-m", "tests.faults.store_writer", "write", str(path)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    acks: list[tuple[int, int]] = []

    def read():
        for line in process.stdout:
            if line.endswith("\n"):  # not a line the kill cut short
                step, size = line.split()
                acks.append((int(step), int(size)))
    threading.Thread(target=read, daemon=True).start()
    return process, acks


def tear(wal, synced_size: int, rng: random.Random) -> str:
    """Cut the log's unsynced end at a random byte and overwrite some of what is left of it with noise."""
    size = wal.stat().st_size if wal.exists() else 0
    if size <= synced_size:
        return "nothing unsynced"
    cut = rng.randint(synced_size, size)
    with open(wal, "r+b") as file:
        file.truncate(cut)
        if cut > synced_size:
            start = rng.randint(synced_size, cut - 1)
            file.seek(start)
            file.write(os.urandom(min(cut - start, rng.randint(1, 8192))))
    return f"cut {size - cut} of {size - synced_size} unsynced bytes"


def test_killed_mid_write_again_and_again_with_a_torn_log_loses_nothing_reported_done(tmp_path):
    print(f"seed {SEED} (RAWBANK_FAULT_SEED={SEED} repeats this run)")
    rng = random.Random(SEED)
    path = tmp_path / "test.sqlite"
    done = -1
    for kill in range(KILLS):
        process, acks = start_writer(path)
        deadline = time.monotonic() + 30
        while len(acks) < 3 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # wait until it writes, then kill it at a random moment
        time.sleep(rng.uniform(0.0, 0.3))
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.05)  # the reader thread takes what the writer printed before it died
        assert acks, f"the writer never reported a step (exit {process.returncode})"
        done, synced_size = acks[-1]
        torn = tear(path.with_name(path.name + "-wal"), synced_size, rng)

        store = DurableStore(path)
        try:
            db = store.client.rawbank_test
            assert store.sqlite.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            total = db.totals.find_one({"_id": "total"})
            assert total["last"] >= done and total["count"] == total["last"] + 1, (kill, torn, total, done)
            missing = [n for n in range(done + 1) if db.docs.find_one({"_id": f"doc-{n}"}) is None]
            assert not missing, (kill, torn, missing[:10])
        finally:
            store.close()
        print(f"kill {kill + 1}: {len(acks)} steps reported done, up to {done}; {torn}")
    assert done > KILLS  # the writer got somewhere between kills


def test_a_full_disk_keeps_every_step_done_puts_memory_back_to_the_disk_and_a_restart_takes_writes_again(tmp_path):
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"]).returncode != 0:
        pytest.skip("needs unshare -rm (user and mount namespaces) for a small disk of its own")
    disk = tmp_path / "disk"
    disk.mkdir()
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=2m tmpfs {disk} && exec {sys.executable} "
                                        f"-m tests.faults.store_writer fill {disk}/test.sqlite"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout.splitlines()[-1])
    assert verdict["steps"] > 10 and "full" in verdict["failure"], verdict
    assert verdict["memory_is_disk"] and verdict["done_kept"] and verdict["consistent"], verdict
    assert verdict["refused_after"] and verdict["written_after"], verdict
