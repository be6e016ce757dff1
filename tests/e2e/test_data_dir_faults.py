"""A data directory rawbank cannot use: one clear line (in English and Hindi) naming it and what to do,
exit code 2, nothing started and nothing overwritten."""
from __future__ import annotations

import os
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys

import pytest

from shared.datadir import DataDir
from shared.durable_store import DurableStore
from tests.conftest import free_port
from tests.devserver import ROOT

pytestmark = pytest.mark.e2e


def dev_command(data) -> list[str]:
    ports = [a for name in ("broker", "inventory", "requests", "notifier") for a in (f"--{name}-port", str(free_port()))]
    return [sys.executable, "-m", "shared.cli", "dev", "--data-dir", str(data), *ports]


def run(command, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAWBANK_", "KAFKA_", "MONGO_"))}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, **kwargs)


def in_namespace(setup: str, command: list[str]) -> subprocess.CompletedProcess:
    """`command` after `setup` (mounts) in a mount namespace of its own; skip where none can be made."""
    if shutil.which("unshare") is None or run(["unshare", "-rm", "true"]).returncode != 0:
        pytest.skip("needs unshare -rm (user and mount namespaces) to fake a read-only or full disk")
    return run(["unshare", "-rm", "sh", "-c", f"{setup} && exec {shlex.join(command)}"])


def snapshot(directory) -> dict:
    """The data in `directory` (lock files and SQLite's shared-memory index, which any reader
    touches, left out)."""
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())
            if path.is_file() and path.suffix != ".lock" and not path.name.endswith("-shm")}


def refused(result, directory, *words: str) -> None:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(lines) == 2, lines  # one line in English, one in Hindi
    assert str(directory) in lines[0] and str(directory) in lines[1]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert any(word in lines[1] for word in ("फ़ोल्डर", "डेटा फ़ाइल"))
    assert "Starting the broker" not in result.stdout


def test_a_path_that_cannot_be_a_directory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = run(dev_command(blocker / "var"))
    refused(result, blocker / "var", f"{blocker} is a file, so the data directory", "--data-dir")
    result = run(dev_command(blocker))  # the file itself given as the data directory
    refused(result, blocker, f"{blocker} is a file, so the data directory {blocker} cannot be there", "move that file")
    assert blocker.read_text() == "not a directory"


def test_a_read_only_data_directory(tmp_path):
    data = tmp_path / "var"
    data.mkdir()
    (data / "keep").write_text("mine")
    result = in_namespace(f"mount --bind {data} {data} && mount -o remount,bind,ro {data}", dev_command(data))
    refused(result, data, "not writable", "permissions")
    assert snapshot(data) == {"keep": b"mine"}


def test_a_full_disk(tmp_path):
    data = tmp_path / "var"
    data.mkdir()
    result = in_namespace(f"mount -t tmpfs -o size=256k tmpfs {data} && "
                          f"(dd if=/dev/zero of={data}/ballast bs=64k 2>/dev/null || true)", dev_command(data))
    refused(result, data, "full", "Free some space")


def test_a_data_directory_in_use_by_another_rawbank(tmp_path):
    data = DataDir(tmp_path / "var")
    data.prepare()
    held = data.dev_lock().acquire()  # as a running `rawbank dev` holds it, and listens on its ports
    listening = socket.create_server(("127.0.0.1", 0))
    try:
        command = dev_command(data.path)
        command[command.index("--broker-port") + 1] = str(listening.getsockname()[1])
        result = run(command)  # a second `make dev` beside the first: told that, not that a port is in use
        refused(result, data.path, "in use by another running rawbank", f"pid {os.getpid()}", "Stop it first")
        assert "already in use" not in result.stdout
    finally:
        listening.close()
        held.release()
    store = DurableStore(data.store("requests"))  # as a running requests service holds its store
    try:
        before = snapshot(data.path)
        refused(run(dev_command(data.path)), data.path, "in use by another running rawbank")
        assert snapshot(data.path) == before
    finally:
        store.close()


def test_a_store_written_by_a_newer_rawbank(tmp_path):
    data = tmp_path / "var"
    data.mkdir()
    connection = sqlite3.connect(data / "inventory.sqlite")
    connection.execute("CREATE TABLE documents (x)")
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = snapshot(data)
    result = run(dev_command(data))
    refused(result, data / "inventory.sqlite", "newer rawbank", "rawbank restore")
    assert snapshot(data) == before


def test_a_broker_that_dies_after_the_start_is_not_called_a_failed_start(tmp_path):
    """The depot ran for hours; then Tansu died. Everything stops, and the words say what happened and what was kept."""
    import signal

    from tests.conftest import wait_until
    from tests.devserver import Dev
    data = tmp_path / "var"
    dev = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    try:
        port = dev.ports["broker"]
        broker = next(int(pid) for pid in os.listdir("/proc")
                      if pid.isdigit() and "tansu" in _cmdline(pid) and f"127.0.0.1:{port} " in _cmdline(pid))
        os.kill(broker, signal.SIGKILL)
        wait_until(lambda: dev.process.poll() is not None, 120, message="rawbank dev to stop")
    finally:
        dev.stop()
    english = next(line for line in dev.lines if line.startswith("rawbank dev "))
    hindi = dev.lines[dev.lines.index(english) + 1]
    assert dev.process.returncode == 1
    assert "could not start" not in dev.output
    assert english.startswith("rawbank dev is stopping: broker exited with code -9")
    assert f"everything answered so far is kept in {data}" in english
    assert f"Then start it again (.venv/bin/rawbank dev --data-dir {data} --" in english  # as it was started: not ./var
    assert "rawbank dev रुक रहा है" in hindi and f"{data} में सुरक्षित है" in hindi


def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_a_broker_that_cannot_be_unpacked_says_where_and_what_to_do():
    """Before, a user whose home directory rawbank may not write (a service account) met a FileNotFoundError
    traceback from unpacking the broker's program at the first `rawbank dev`."""
    home = "/proc/no-such-home"  # not even root may make a directory here
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAWBANK_", "KAFKA_", "MONGO_", "CALF_"))}
    ports = [a for name in ("broker", "inventory", "requests", "notifier")
             for a in (f"--{name}-port", str(free_port()))]
    result = subprocess.run([sys.executable, "-m", "shared.cli", "dev", "--memory", *ports], cwd=ROOT,
                            env={**env, "HOME": home}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout, result.stderr
    english = next(line for line in result.stdout.splitlines() if line.startswith("The broker (Tansu"))
    hindi = result.stdout.splitlines()[result.stdout.splitlines().index(english) + 1]
    assert home in english and "CALF_TANSU_BIN" in english and "~/.calfkit/bin" in english
    assert home in hindi and "CALF_TANSU_BIN" in hindi and "संदेश-केंद्र" in hindi
    assert "Starting inventory" not in result.stdout


def test_a_full_disk_under_the_stores_is_not_called_a_damaged_store(tmp_path):
    """Before, once the disk under ./var filled up (SQLite then cannot make a store's shared-memory index), `rawbank
    dev`, `backup`, `user add` and `status` called the store "not a rawbank store" and said to move it out of the
    data directory or restore a backup: advice that loses everything since that backup."""
    data = tmp_path / "var"
    data.mkdir()
    maker = tmp_path / "make_store.py"
    maker.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                     "from services.requests import spec\nfrom shared.config import Config\n"
                     "from shared.runtime import Runtime\n"
                     f"Runtime(spec(), Config.from_env({{}}, data_dir={str(data)!r})).close()\n")
    setup = (f"mount -t tmpfs -o size=2m tmpfs {data} && {sys.executable} {maker} && "
             f"(dd if=/dev/zero of={data}/ballast bs=64k 2>/dev/null || true)")
    result = in_namespace(setup, dev_command(data))
    refused(result, data, "full", "Free some space")
    assert "not a rawbank store" not in result.stdout and "restore" not in result.stdout
    status = in_namespace(setup, [sys.executable, "-m", "shared.cli", "status", "--data-dir", str(data)])
    assert status.returncode == 2, status.stderr
    line = next(line for line in status.stdout.splitlines() if line.startswith("requests: "))
    assert "cannot be read now" in line and "do not move or replace it" in line and "restore" not in line


def made_stores(data, *names) -> None:
    """Stores as a run of rawbank leaves them, each with a document, and the mark that every service has run here."""
    for name in names:
        store = DurableStore(DataDir(data).store(name))
        store.client[f"rawbank_{name}"].kept.insert_one({"_id": 1})
        store.client.close()
        store.close()
    DataDir(data).mark_seeded()


@pytest.mark.parametrize("how", ["missing", "emptied"])
def test_a_store_missing_or_emptied_where_rawbank_has_run_is_refused(tmp_path, how):
    """One store file gone (or emptied) from a data directory rawbank had run on: `rawbank dev` started that service
    afresh with nothing and said nothing; the requests service's users were gone and nobody could log in."""
    data = tmp_path / "var"
    data.mkdir()
    made_stores(data, "inventory", "notifier")
    if how == "emptied":
        (data / "requests.sqlite").write_bytes(b"")
    before = snapshot(data)
    result = run(dev_command(data))
    refused(result, data / "requests.sqlite", "missing or empty", "rawbank restore")
    assert without_empty_logs(snapshot(data)) == without_empty_logs(before)  # no new, empty store in its place


def without_empty_logs(files: dict) -> dict:
    """The files, but for empty logs beside a store (checking a store's format opens it, which may leave one)."""
    return {name: content for name, content in files.items() if content or not name.endswith("-wal")}


def test_a_store_damaged_inside_is_said_in_both_languages_not_as_a_traceback(tmp_path):
    """A store whose header is whole but whose pages are not: the service's worker died with "database disk image is
    malformed" in a traceback and `rawbank dev` said only "notifier exited with code 3", naming no file."""
    data = tmp_path / "var"
    data.mkdir()
    made_stores(data, "inventory", "requests")
    store = DurableStore(DataDir(data).store("notifier"))
    store.client.rawbank_notifier.kept.insert_many([{"_id": n, "text": "x" * 500} for n in range(2000)])
    store.client.close()
    store.close()
    path = data / "notifier.sqlite"
    with open(path, "r+b") as file:  # the second page onward overwritten; the first (the header) left whole
        size = path.stat().st_size
        file.seek(4096)
        file.write(os.urandom(size - 4096))
    result = run(dev_command(data))
    said = result.stdout + result.stderr
    # not as sqlite3's traceback (the other services, stopped while they start, may log their broker client's own)
    assert result.returncode != 0 and "DatabaseError" not in said and "Worker failed to boot" not in said, said
    assert "malformed" not in said.split(str(path))[0], said
    [english] = [line for line in said.splitlines() if "is damaged or is not a rawbank store" in line]
    [hindi] = [line for line in said.splitlines() if "खराब हो गई है" in line]
    assert str(path) in english and "rawbank restore" in english and str(path) in hindi
