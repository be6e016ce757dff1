"""`rawbank token --cooperative` for secretaries, and the commands a service declares in its spec."""
from __future__ import annotations

import re
import threading

import jwt
import pytest

from shared.cli import main
from shared.config import Config


def test_a_secretarys_token_carries_the_cooperative_and_needs_one(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no ./var here: the built-in secret
    assert main(["token", "--role", "secretary", "--sub", "meera"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "--cooperative" in english and "सहकारी समिति" in hindi
    assert main(["token", "--role", "secretary", "--sub", "meera", "--cooperative", "SMBSS"]) == 0
    claims = jwt.decode(capsys.readouterr().out.strip(), Config.from_env().jwt_secret, algorithms=["HS256"])
    assert (claims["role"], claims["cooperative"]) == ("secretary", "SMBSS")


def test_the_notifiers_reports_rebuild_is_a_rawbank_command(capsys):
    try:
        main(["reports", "--help"])
    except SystemExit as done:
        assert done.code == 0
    assert "rebuild" in capsys.readouterr().out


def test_reports_rebuild_says_how_to_start_a_notifier_it_cannot_reach(monkeypatch, capsys):
    monkeypatch.setenv("MONGO_URI", "mongomock://localhost")
    assert main(["reports", "rebuild", "--notifier-url", "http://127.0.0.1:9"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "could not reach http://127.0.0.1:9/api/v1/reports/rebuild" in english and "`make dev`" in english
    assert "तक नहीं पहुँच सके" in hindi and "--notifier-url" in hindi


def test_reports_rebuild_over_the_api_and_a_token_the_notifier_refuses(config, monkeypatch, capsys, tmp_path):
    from werkzeug.serving import make_server

    from services import notifier
    from shared.runtime import Runtime
    from tests.conftest import free_port
    runtime = Runtime(notifier.spec(), config)
    port = free_port()
    server = make_server("127.0.0.1", port, notifier.create_app(config, runtime), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("MONGO_URI", "mongomock://localhost")
    args = ["reports", "rebuild", "--notifier-url", f"http://127.0.0.1:{port}", "--data-dir", str(tmp_path)]
    try:
        monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)
        assert main(args) == 0
        english, hindi = capsys.readouterr().out.splitlines()
        assert english.startswith("rebuilt the reports from 0 event(s) in ") and "घटनाओं से रिपोर्ट" in hindi
        monkeypatch.setenv("RAWBANK_JWT_SECRET", "another secret, not the notifier's " + "x" * 8)
        assert main(args) == 2
        english, hindi = capsys.readouterr().err.splitlines()
        assert "refused the admin token (HTTP 401)" in english and str(tmp_path) in english
        assert "एडमिन टोकन नहीं माना" in hindi
    finally:
        server.shutdown()
        runtime.close()


def test_a_refused_token_says_how_to_reach_a_rawbank_dev_memory(config, monkeypatch, capsys, tmp_path):
    """`rawbank dev --memory` signs with the built-in secret: a checkout's ./var/secret signs tokens it refuses."""
    from werkzeug.serving import make_server

    from services import notifier
    from shared.datadir import DataDir
    from shared.runtime import Runtime
    from tests.conftest import free_port
    runtime = Runtime(notifier.spec(), config)  # `config` has the built-in secret, as `rawbank dev --memory` does
    port = free_port()
    server = make_server("127.0.0.1", port, notifier.create_app(config, runtime), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("MONGO_URI", "mongomock://localhost")
    monkeypatch.delenv("RAWBANK_JWT_SECRET", raising=False)
    used = tmp_path / "var"
    used.mkdir()
    DataDir(used).secret(create=True)  # a checkout where `make dev` ran once
    rebuild = ["reports", "rebuild", "--notifier-url", f"http://127.0.0.1:{port}", "--data-dir"]
    try:
        assert main([*rebuild, str(used)]) == 2
        english, hindi = capsys.readouterr().err.splitlines()
        assert "refused the admin token (HTTP 401)" in english
        assert "`rawbank dev --memory`" in english and "--data-dir" in english and "never used" in english
        assert "`rawbank dev --memory`" in hindi and "--data-dir" in hindi
        assert main([*rebuild, str(tmp_path / "never-used")]) == 0  # what the refusal says to do
        assert capsys.readouterr().out.startswith("rebuilt the reports from 0 event(s)")
    finally:
        server.shutdown()
        runtime.close()


def test_an_artisans_token_needs_the_artisan_id(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(["token", "--role", "artisan", "--sub", "meera"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "--artisan-id" in english and "--artisan-id" in hindi and "कारीगर" in hindi
    assert main(["token", "--role", "artisan", "--sub", "meera", "--artisan-id", "ART-7"]) == 0
    claims = jwt.decode(capsys.readouterr().out.strip(), Config.from_env().jwt_secret, algorithms=["HS256"])
    assert (claims["role"], claims["artisan_id"]) == ("artisan", "ART-7")


def test_a_token_lives_from_a_second_to_a_year(capsys, monkeypatch, tmp_path):
    """Before, --ttl -5 printed a token already expired and --ttl 0 one of the default lifetime."""
    monkeypatch.chdir(tmp_path)
    for ttl in ("-5", "0", "31536001", str(10 ** 12)):
        assert main(["token", "--role", "admin", "--sub", "asha", "--ttl", ttl]) == 2
        out, err = capsys.readouterr()
        english, hindi = err.splitlines()
        assert out == "" and "--ttl" in english and f"not {ttl}" in english
        assert "--ttl" in hindi and "एक साल" in hindi and ttl in hindi
    for ttl in (1, 31536000):
        assert main(["token", "--role", "admin", "--sub", "asha", "--ttl", str(ttl)]) == 0
        claims = jwt.decode(capsys.readouterr().out.strip(), Config.from_env().jwt_secret, algorithms=["HS256"])
        assert claims["exp"] - claims["iat"] == ttl


def test_status_names_a_store_it_cannot_read_and_still_reports_the_rest(capsys, tmp_path):
    """The report goes on past a store it cannot read, and exits 2, as reconcile does (it exited 0: a cron job or monitor running
    `rawbank status || alert` was told all was well)."""
    assert main(["status", "--data-dir", str(tmp_path)]) == 0  # nothing yet is not a fault
    capsys.readouterr()
    (tmp_path / "requests.sqlite").write_bytes(b"not a database, e.g. a file copied over it by hand")
    assert main(["status", "--data-dir", str(tmp_path)]) == 2  # not a traceback, and not 0: as reconcile says it
    out = capsys.readouterr().out
    assert "requests: " in out and "cannot be read (file is not a database)" in out and "rawbank restore DIR" in out
    assert "running: no" in out and "last backup: never" in out
    assert main(["status", "--data-dir", str(tmp_path), "--lang", "hi"]) == 2
    assert "पढ़ा नहीं जा सकता" in capsys.readouterr().out


def test_a_token_signed_with_the_built_in_secret_says_that_the_services_refuse_it(capsys, monkeypatch, tmp_path):
    """Before, `rawbank token` run outside the directory `rawbank dev` keeps its data in printed, without a word, a
    token signed with the built-in secret, which every service on a data directory answers with 401."""
    monkeypatch.delenv("RAWBANK_JWT_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./var here
    assert main(["token", "--role", "admin", "--sub", "prometheus"]) == 0
    out, err = capsys.readouterr()
    jwt.decode(out.strip(), Config.from_env({}).jwt_secret, algorithms=["HS256"])  # still a token, for --memory
    english, hindi = err.splitlines()
    assert f"no token secret was found in {tmp_path / 'var'}" in english and "--data-dir" in english
    assert str(tmp_path / "var") in hindi and "RAWBANK_JWT_SECRET" in hindi and "--data-dir" in hindi
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret").write_text("a secret generated at the first start, 48 characters\n")
    assert main(["token", "--role", "admin", "--sub", "prometheus"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and jwt.decode(out.strip(), "a secret generated at the first start, 48 characters",
                                    algorithms=["HS256"])["sub"] == "prometheus"


def test_ctrl_c_while_a_command_waits_is_said_not_a_traceback(tmp_path):
    """Before, Ctrl-C while `rawbank reconcile --via-api` waited for a service (a year of records takes a while)
    printed a KeyboardInterrupt traceback."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    from tests.devserver import ROOT
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete, and nothing ever answers
    url = f"http://127.0.0.1:{silent.getsockname()[1]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAWBANK_", "KAFKA_", "MONGO_"))}
    try:
        command = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "reconcile", "--via-api", "--no-dlq", "--data-dir", str(tmp_path),
             *(a for name in ("inventory", "requests", "notifier") for a in (f"--{name}-url", url))],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as a shell starts it, even under a
        silent.settimeout(60)  # test runner started in the background, which ignores SIGINT (children inherit it)
        asked, _ = silent.accept()  # it has asked the first service and waits for the answer now
        time.sleep(0.5)
        command.send_signal(signal.SIGINT)
        out, err = command.communicate(timeout=60)
        asked.close()
    finally:
        silent.close()
    assert command.returncode == 130 and "Traceback" not in err, err
    english, hindi = err.strip().splitlines()[-2:]
    assert english == "rawbank: stopped by Ctrl-C before it finished." and "Ctrl-C" in hindi and "rawbank" in hindi


def test_dlq_without_a_broker_says_so_in_both_languages_and_exits_2(capsys, monkeypatch, tmp_path):
    from tests.conftest import free_port
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")  # nothing listens there
    assert main(["dlq", "list"]) == 2
    err = capsys.readouterr().err
    assert "could not reach the broker" in err and "make dev" in err and "संदेश-केंद्र तक नहीं पहुँच सके" in err
    assert err.count("give its address with KAFKA_BOOTSTRAP_SERVERS") == 1 and "का पता KAFKA_BOOTSTRAP_SERVERS" in err


@pytest.mark.parametrize("command", [["dlq", "list"], ["dlq", "resend", "some-event"]])
def test_dlq_with_no_running_dev_and_no_broker_address_says_how_to_name_the_broker_and_asks_nothing(
        command, capsys, monkeypatch, tmp_path):
    """Before, after `rawbank dev --memory --broker-port N` (which writes no running.json), `rawbank dlq` asked the
    broker at 127.0.0.1:9092: it waited there for nothing, or listed another rawbank's dead letters."""
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "RAWBANK_NOTIFIER_URL", "RAWBANK_DATA_DIR", "MONGO_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # ./var has no running.json: no `rawbank dev` runs on it
    assert main(command) == 2
    english, hindi = capsys.readouterr().err.strip().splitlines()
    assert str(tmp_path / "var") in english and "running.json" in english and "make dev" in english
    assert "rawbank dev --memory --broker-port N" in english and "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:N" in english
    assert "RAWBANK_NOTIFIER_URL" in english and "could not reach" not in english
    assert "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:N" in hindi and str(tmp_path / "var") in hindi and "संदेश-केंद्र" in hindi


def test_a_token_names_only_its_roles_artisan_cooperative_or_depot(capsys, monkeypatch, tmp_path):
    """Before, `rawbank token --role warehouse --artisan-id ART-1` signed a clerk's token carrying an artisan number:
    a field of another role is refused, as the Users page refuses it, in English and Hindi."""
    monkeypatch.chdir(tmp_path)
    for args, option in ((["--role", "secretary", "--cooperative", "SMBSS", "--artisan-id", "ART-1"], "--artisan-id"),
                         (["--role", "warehouse", "--cooperative", "SMBSS"], "--cooperative"),
                         (["--role", "admin", "--depot", "VNS"], "--depot")):
        assert main(["token", "--sub", "meera", *args]) == 2
        english, hindi = capsys.readouterr().err.splitlines()
        assert english.startswith(f"rawbank token: {option} is for a token of --role ") and "Leave it out" in english
        assert option in hindi and "केवल" in hindi
    assert main(["token", "--role", "warehouse", "--sub", "ravi", "--depot", "VNS"]) == 0  # no data here: as before


def _stopped_store(tmp_path):
    """A data directory whose requests store knows cooperative SMBSS, artisan ART-0001 and depot VNS; rawbank is
    stopped there."""
    from services.requests import spec
    from shared.runtime import Runtime
    data = tmp_path / "var"
    data.mkdir()
    runtime = Runtime(spec(), Config.from_env({}, data_dir=str(data)))
    runtime.db.cooperatives.insert_one({"_id": "SMBSS"})
    runtime.db.artisans.insert_one({"_id": "ART-0001"})
    runtime.db.depots.insert_one({"_id": "VNS"})
    runtime.close()
    return data


@pytest.mark.parametrize("args,english_words,hindi_word", [
    (["--role", "secretary", "--cooperative", "NOPE"], "no cooperative NOPE is registered", "NOPE"),
    (["--role", "artisan", "--artisan-id", "ART-404"], "no artisan ART-404 is registered", "ART-404"),
    (["--role", "warehouse", "--depot", "XYZ"], "no depot XYZ is known", "XYZ"),
])
def test_a_token_for_what_nobody_registered_is_refused_where_the_store_is_read(capsys, monkeypatch, tmp_path, args,
                                                                               english_words, hindi_word):
    """Before, `rawbank token --role secretary --cooperative NOPE` printed a token for a cooperative that does not
    exist (whose holder saw nothing): with rawbank stopped on the data directory its store is read, and a code
    nobody registered is refused, saying what to give instead; a registered one is signed as before."""
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.delenv("RAWBANK_JWT_SECRET", raising=False)
    monkeypatch.chdir(tmp_path)
    data = _stopped_store(tmp_path)
    assert main(["token", "--sub", "meera", *args]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert english.startswith(f"rawbank token: {english_words} in the rawbank on {data}"), english
    assert "Give " in english and hindi_word in hindi and "पंजीकृत" in hindi
    assert capsys.readouterr().out == ""
    for good in (["--role", "secretary", "--cooperative", "SMBSS"], ["--role", "artisan", "--artisan-id", "ART-0001"],
                 ["--role", "warehouse", "--depot", "VNS"]):
        assert main(["token", "--sub", "meera", *good]) == 0
        assert capsys.readouterr().out.count(".") == 2  # a JWT


def test_a_token_for_what_nobody_registered_is_refused_while_rawbank_runs(config, capsys, monkeypatch, tmp_path):
    """While `rawbank dev` runs on the data directory (its store is its own then), the requests service is asked."""
    import json

    from werkzeug.serving import make_server

    from services import requests
    from shared.runtime import Runtime
    from tests.conftest import free_port
    runtime = Runtime(requests.spec(), config)
    runtime.db.cooperatives.insert_one({"_id": "SMBSS", "code": "SMBSS", "name": "Coop", "kind": "cooperative",
                                        "district": "Varanasi"})
    port = free_port()
    server = make_server("127.0.0.1", port, requests.create_app(config, runtime), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = tmp_path / "var"
    data.mkdir()
    (data / "running.json").write_text(json.dumps({"urls": {"requests": f"http://127.0.0.1:{port}"}}))
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)
    monkeypatch.chdir(tmp_path)
    try:
        assert main(["token", "--role", "secretary", "--sub", "meera", "--cooperative", "NOPE"]) == 2
        assert "no cooperative NOPE is registered" in capsys.readouterr().err
        assert main(["token", "--role", "secretary", "--sub", "meera", "--cooperative", "SMBSS"]) == 0
        assert main(["token", "--role", "warehouse", "--sub", "ravi", "--depot", "VNS"]) == 0  # no inventory running
    finally:
        server.shutdown()
        runtime.close()


def test_every_dlq_command_takes_lang_and_then_says_only_that_language(capsys, monkeypatch, tmp_path):
    """`rawbank dlq list --lang hi` was refused (exit 2, "unrecognized arguments: --lang hi") where `status`, `backup`
    and `reconcile` take it; and its Hindi said the topics as typed ("inventory.events, requests.events में"). Now
    every dlq command takes --lang: in Hindi only Hindi, the queues named as the catalog names them elsewhere; without
    it, English then Hindi as before."""
    from shared import dlq_cli, local_cli
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")  # never asked: the dead letters are the test's
    monkeypatch.setattr(local_cli, "broker_unknown", lambda config: False)
    monkeypatch.setattr(dlq_cli, "letters", lambda *_, **__: [])
    assert main(["dlq", "list", "--lang", "hi"]) == 0
    out = capsys.readouterr()
    said = (out.out + out.err).strip().splitlines()
    assert out.out.strip() == ("rawbank dlq: इन्वेंटरी सेवा की संदेश-कतार, अनुरोध सेवा की संदेश-कतार में कोई "
                               "अटका संदेश नहीं है।"), said
    assert not any(re.search(r"[A-Za-z]{4,}", line.replace("rawbank dlq", "")) for line in said
                   if "://" not in line and "127.0.0.1" not in line), said  # nothing said in English
    assert main(["dlq", "list", "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "rawbank dlq: no dead letters in inventory.events, requests.events."
    assert main(["dlq", "list"]) == 0  # both, as the other commands without --lang
    english, hindi = capsys.readouterr().out.strip().splitlines()
    assert english.endswith("inventory.events, requests.events.") and "इन्वेंटरी सेवा की संदेश-कतार" in hindi
    assert main(["dlq", "resend", "no-such-event", "--lang", "hi"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("rawbank dlq resend: घटना id no-such-event का कोई अटका संदेश नहीं है"), err
    assert not any(line.startswith("rawbank dlq resend: no dead letter") for line in err), err
