"""`rawbank serve` and `rawbank worker` are production's processes, one each per service beside the other: with
MONGO_URI unset (the in-process store, mongomock://) each kept its own empty store. `serve` only warned, and its
API took writes no worker relayed and lost them at the next start; a worker applied the other services' events to
a store nobody read and committed them for the service's group. Both refuse now, saying what to do instead."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from shared import runner
from shared.cli import main
from shared.config import Config, SettingError
from tests.conftest import free_port
from tests.devserver import ROOT
from tests.unit.test_hindi_cli_words import CLI_LOANWORDS, LOANWORDS

SECRET = "a secret of the services, at least 32 characters long"


def rawbank(home, *argv: str) -> subprocess.CompletedProcess:
    """`rawbank ARGV` as a process with no setting of rawbank's (HOME `home`: gunicorn's files); one still running
    after 60 s (a gunicorn or a worker started) is stopped, with all it started, and fails the test."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("KAFKA_", "MONGO_", "RAWBANK_"))}
    env.update(RAWBANK_PORT=str(free_port()), KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", HOME=str(home))
    process = subprocess.Popen([sys.executable, "-m", "shared.cli", *argv], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: gunicorn and its workers, nothing else
        out, err = process.communicate()
        pytest.fail(f"`rawbank {' '.join(argv)}` started instead of refusing:\n{err[-2000:]}")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_serve_and_worker_without_mongo_uri_refuse_in_english_and_hindi_with_exit_2(command, tmp_path):
    done = rawbank(tmp_path, command, "inventory")
    assert done.returncode == 2, done.stderr
    english, hindi = done.stderr.strip().splitlines()[-2:]
    assert english.startswith(f"rawbank: `rawbank {command} inventory` needs MongoDB, and MONGO_URI is not set")
    assert "Set MONGO_URI to the inventory service's MongoDB" in english
    assert "`rawbank run inventory` or `rawbank dev`" in english and "warning" not in done.stderr
    assert "MONGO_URI में inventory सेवा का MongoDB दें" in hindi
    assert "`rawbank run inventory` या `rawbank dev`" in hindi
    assert not CLI_LOANWORDS.search(hindi) and not LOANWORDS.search(hindi), hindi
    assert "ALLOW" not in done.stderr, "the way around it is for tests, not offered to an operator"


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_the_in_process_store_is_refused_as_mongomock_too_and_allowed_only_when_asked(command):
    embedded = Config.from_env({"MONGO_URI": "mongomock://localhost"})
    with pytest.raises(SettingError) as refused:
        runner.check_store(command, "notifier", embedded, {})
    assert f"`rawbank {command} notifier` needs MongoDB" in str(refused.value)
    assert "`rawbank run notifier`" in refused.value.hi
    runner.check_store(command, "notifier", embedded, {"RAWBANK_ALLOW_EMBEDDED_SERVE": "1"})
    with pytest.raises(SettingError):
        runner.check_store(command, "notifier", embedded, {"RAWBANK_ALLOW_EMBEDDED_SERVE": "0"})
    mongodb = Config.from_env({"MONGO_URI": "mongodb://db:27017/?replicaSet=rs0", "RAWBANK_JWT_SECRET": SECRET})
    runner.check_store(command, "notifier", mongodb, {})


def test_serve_with_a_mongodb_uri_goes_on_to_start_gunicorn(monkeypatch, capsys):
    """Past the check, `rawbank serve` replaces itself with gunicorn (not started here: execvp is only recorded)."""
    for name in ("RAWBANK_ALLOW_EMBEDDED_SERVE", "RAWBANK_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MONGO_URI", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100")
    monkeypatch.setenv("RAWBANK_JWT_SECRET", SECRET)
    started = []
    monkeypatch.setattr(os, "execvp", lambda file, args: started.append(args))
    assert main(["serve", "requests"]) == 0
    assert started and started[0][1:3] == ["-m", "gunicorn"], started
    assert "MONGO_URI" not in capsys.readouterr().err
