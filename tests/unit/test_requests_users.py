"""Users who log in: argon2 hashes, roles and `rawbank user add`."""
from __future__ import annotations

import pytest

from services.requests import users
from services.requests.errors import BadLogin
from shared.cli import main
from shared.config import SettingError
from shared.errors import outcome
from shared.mongo import connect


@pytest.fixture
def db():
    client = connect("mongomock://x")
    yield client["rawbank_requests"]
    client.close()


def test_add_from_cli_stores_an_argon2_hash_never_the_password(db):
    db.artisans.insert_one({"_id": "ART-7"})
    assert users.add_from_cli(db, username="meera", role="artisan", password="s3cret-loom",
                              artisan_id="ART-7") == "added artisan user meera\n  उपयोगकर्ता meera (artisan) जोड़ा गया"
    stored = db.users.find_one({"_id": "meera"})
    assert stored["password_hash"].startswith("$argon2id$") and "s3cret-loom" not in str(stored)
    assert users.authenticate(db, "meera", "s3cret-loom")["artisan_id"] == "ART-7"


@pytest.mark.parametrize("kwargs,text", [
    ({"role": "admin", "password": "short"}, "at least 8"),
    ({"role": "artisan", "password": "long enough", "artisan_id": "ART-404"}, "no artisan ART-404"),
    ({"role": "artisan", "password": "long enough"}, "artisan id"),
    ({"role": "secretary", "password": "long enough"}, "cooperative"),
    ({"role": "root", "password": "long enough"}, "role must be"),
])
def test_add_from_cli_refuses(db, kwargs, text):
    with pytest.raises(ValueError, match=text):
        users.add_from_cli(db, username="x", **kwargs)
    assert db.users.count_documents({}) == 0


@pytest.mark.parametrize("username,kwargs,text", [
    ("", {"role": "admin"}, "1 to 100 characters"),
    ("x" * 101, {"role": "admin"}, "1 to 100 characters"),
    ("ctl\x01x", {"role": "admin"}, "without control characters"),
    ("bad\udcff", {"role": "admin"}, "without control characters"),  # a byte the terminal did not send as UTF-8
    ("asha", {"role": "admin", "password": "pass\udcffword"}, "the password must be text"),
    ("asha", {"role": "admin", "password": "p" * 201}, "at most 200"),
    ("asha", {"role": "warehouse", "depot": "VSN"}, "no depot VSN"),
    ("asha", {"role": "secretary", "cooperative": "NOPE"}, "no cooperative NOPE"),
    ("asha", {"role": "admin", "depot": "VNS"}, "only warehouse staff work at a depot"),  # a token carries each
    ("asha", {"role": "warehouse", "cooperative": "NOPE"}, "only a secretary's login has a cooperative"),
    ("asha", {"role": "secretary", "cooperative": "NOPE", "artisan_id": "ART-1"}, "only an artisan's login has"),
])
def test_add_from_cli_refuses_a_user_who_could_never_log_in_or_work(db, username, kwargs, text):
    db.depots.insert_one({"_id": "VNS"})
    with pytest.raises(ValueError, match=text) as refused:
        users.add_from_cli(db, username=username, **{"password": "long enough", **kwargs})
    assert refused.value.hi and refused.value.hi != refused.value.en  # said in Hindi too
    assert db.users.count_documents({}) == 0
    users.add_from_cli(db, username="ravi", role="warehouse", password="long enough", depot="VNS")


def test_a_username_is_taken_once_and_the_refusal_says_what_to_do(db):
    users.add_from_cli(db, username="asha", role="admin", password="long enough")
    with pytest.raises(ValueError, match="already exists") as refused:
        users.add_from_cli(db, username="asha", role="warehouse", password="another one")
    assert "choose another name" in refused.value.en
    assert "`rawbank user password asha`" in refused.value.en and "`rawbank user password asha`" in refused.value.hi


def test_the_command_adds_no_second_login_for_an_artisan_and_says_what_to_do(db):
    db.artisans.insert_one({"_id": "ART-7"})
    users.add_from_cli(db, username="meera", role="artisan", password="long enough", artisan_id="ART-7")
    with pytest.raises(ValueError, match="artisan ART-7 already has a login, meera") as refused:
        users.add_from_cli(db, username="meera2", role="artisan", password="long enough", artisan_id="ART-7")
    assert "`rawbank user password meera`" in refused.value.en and "meera" in refused.value.hi
    assert "निष्क्रिय" in refused.value.hi
    assert db.users.count_documents({}) == 1


def test_the_demo_seed_keeps_a_login_the_demo_artisan_has_already(db):
    from services.requests import seed
    users.add_user(db, username="ramesh", password="long enough", role="artisan", artisan_id="ART-0001")
    seed.seed(db, None)
    assert [u["_id"] for u in db.users.find({"artisan_id": "ART-0001"})] == ["ramesh"]
    assert {"admin", "warehouse"} <= {u["_id"] for u in db.users.find()}


def test_wrong_passwords_and_unknown_users_look_alike(db):
    users.add_user(db, username="asha", password="long enough", role="admin")
    for name, password in (("asha", "wrong"), ("nobody", "long enough")):
        with pytest.raises(Exception) as caught:
            users.authenticate(db, name, password)
        assert (outcome(caught.value).status, caught.value.code) == (401, "bad_login")


def test_the_command_refuses_the_in_memory_store(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("MONGO_URI", "mongomock://localhost")
    monkeypatch.chdir(tmp_path)  # no ./var here: nothing on disk to add to
    assert main(["user", "add", "asha", "--role", "admin", "--password-stdin"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "MONGO_URI" in english and "MONGO_URI" in hindi and "--data-dir" in hindi


def test_the_command_adds_to_a_data_directory_only_while_rawbank_is_stopped(monkeypatch, capsys, tmp_path):
    import io
    from services.requests import spec
    from shared.config import Config
    from shared.runtime import Runtime
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    config = Config.from_env({}, data_dir=str(tmp_path / "var"))
    (tmp_path / "var").mkdir()
    running = Runtime(spec(), config)  # the requests service, serving its store
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "add", "asha", "--role", "admin", "--password-stdin"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()  # one message: not "stop it" and then "no need to stop"
    assert english.startswith(f"rawbank user add: rawbank is running on {tmp_path / 'var'}, so this command cannot")
    assert "an admin does this on the Users page" in english and "/admin/users" in english
    assert "or stop rawbank (Ctrl-C where it runs) and run this again" in english
    assert "--data-dir" not in english and "another directory" not in english
    assert "उपयोगकर्ता" in hindi and "/admin/users" in hindi  # in Hindi too
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "password", "asha", "--password-stdin"]) == 2
    assert "Users page" in capsys.readouterr().err
    running.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "add", "meera", "--role", "artisan", "--artisan-id", "ART-NOPE", "--password-stdin"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()  # rawbank is stopped: no API to register them on now
    assert "no artisan ART-NOPE is registered. Start rawbank (" in english and "Artisans page" in english
    assert "then add their login on the Users page" in english and "register them first (POST" not in english
    assert "ART-NOPE" in hindi and "Users" not in hindi.split("ART-NOPE")[0]
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "add", "asha", "--role", "admin", "--password-stdin"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "at least 8 characters" in english and "कम से कम 8 अक्षरों" in hindi
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "add", "asha", "--role", "admin", "--password-stdin"]) == 0
    reopened = Runtime(spec(), config)
    assert users.authenticate(reopened.db, "asha", "a long passphrase")["role"] == "admin"
    reopened.close()


def _user_add(data, *extra: str, **kwargs):
    """`rawbank user add` as a person or a script runs it: its own session, so no terminal unless given one."""
    import os
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAWBANK_", "KAFKA_", "MONGO_"))}
    return subprocess.Popen([sys.executable, "-m", "shared.cli", "user", "add", "asha", "--role", "admin",
                             "--data-dir", str(data), *extra], env=env, start_new_session=True, **kwargs)


def _stored_users(data) -> list:
    from services.requests import spec
    from shared.config import Config
    from shared.runtime import Runtime
    data.mkdir(exist_ok=True)
    runtime = Runtime(spec(), Config.from_env({}, data_dir=str(data)))
    try:
        return [user["_id"] for user in runtime.db.users.find()]
    finally:
        runtime.close()


def test_the_command_with_no_terminal_to_ask_on_says_so_and_adds_nobody(tmp_path):
    """Before, a script or cron job without --password-stdin (stdin at its end) met getpass's EOFError traceback."""
    import subprocess
    data = tmp_path / "var"
    _stored_users(data)  # the requests store exists, as after a first start
    done = _user_add(data, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 2 and "Traceback" not in err, err
    english, hindi = err.strip().splitlines()[-2:]
    assert "rawbank user add: no password was given, so nothing was stored" in english and "--password-stdin" in english
    assert "--password-stdin" in hindi and "पासवर्ड" in hindi
    assert _stored_users(data) == []


def test_ctrl_c_at_the_password_prompt_stops_cleanly(tmp_path):
    """Before, Ctrl-C while the command asked for the password printed a KeyboardInterrupt traceback."""
    import os
    import pty
    import select
    import time
    data = tmp_path / "var"
    _stored_users(data)
    controller, terminal = pty.openpty()
    def as_a_terminal_starts_it():  # Ctrl-C heard as at a terminal, even under a runner that ignores SIGINT
        import fcntl
        import signal
        import termios
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    done = _user_add(data, stdin=terminal, stdout=terminal, stderr=terminal, preexec_fn=as_a_terminal_starts_it)
    os.close(terminal)
    said, deadline = b"", time.monotonic() + 120
    while "पासवर्ड:".encode() not in said and time.monotonic() < deadline:
        if select.select([controller], [], [], 1)[0]:
            said += os.read(controller, 4096)
    os.write(controller, b"\x03")  # Ctrl-C, as typed: the terminal sends SIGINT
    while done.poll() is None and time.monotonic() < deadline:
        if select.select([controller], [], [], 0.2)[0]:
            try:
                said += os.read(controller, 4096)
            except OSError:
                break
    done.wait(10)
    os.close(controller)
    text = said.decode(errors="replace")
    assert done.returncode == 130 and "Traceback" not in text, text
    assert "nothing was stored" in text and "--password-stdin" in text
    assert _stored_users(data) == []


def test_the_command_says_the_store_is_in_use_before_asking_for_a_password(tmp_path):
    """Before, it asked for the password twice and only then said rawbank was running on the data directory."""
    import subprocess
    from services.requests import spec
    from shared.config import Config
    from shared.runtime import Runtime
    (tmp_path / "var").mkdir()
    running = Runtime(spec(), Config.from_env({}, data_dir=str(tmp_path / "var")))
    try:
        done = _user_add(tmp_path / "var", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        out, err = done.communicate(timeout=120)
    finally:
        running.close()
    assert done.returncode == 2 and "rawbank is running on" in err and "Password" not in err, err


def test_a_users_password_is_changed_and_the_old_one_logs_in_no_more(db):
    """Before, there was no way to change a password: a depot that opened rawbank to its network kept the demo
    admin's admin123, printed in the README, and a forgotten password locked its user out for good."""
    from services.requests import login_throttle, user_admin
    users.add_user(db, username="admin", password="admin123", role="admin")
    for _ in range(login_throttle.PER_USER_AND_ADDRESS):  # someone who forgot it tried until locked out
        with pytest.raises(BadLogin):
            login_throttle.authenticate(db, "admin", "admin1234", "10.0.0.7")
    assert login_throttle.locked_out(db, ["admin"]) == {"admin"}
    said = user_admin.set_password_from_cli(db, username="admin", password="a depot's own passphrase")
    assert login_throttle.locked_out(db, ["admin"]) == set()  # the new password logs in at once, as on the Users page
    assert login_throttle.authenticate(db, "admin", "a depot's own passphrase", "10.0.0.7")["role"] == "admin"
    assert said == ("admin has a new password; the old one no longer logs in, and every login they had before now "
                    "ends on every service\n  admin का पासवर्ड बदल गया; पुराने पासवर्ड से अब लॉग इन नहीं होगा, "
                    "और पहले के उनके सभी लॉग इन अब हर सेवा पर समाप्त हो गए हैं")
    assert users.authenticate(db, "admin", "a depot's own passphrase")["role"] == "admin"
    with pytest.raises(BadLogin):
        users.authenticate(db, "admin", "admin123")
    for password, text in (("short", "at least 8"), ("tab\there ok?\x00", "control characters")):
        with pytest.raises(SettingError, match=text):
            user_admin.set_password_from_cli(db, username="admin", password=password)
    with pytest.raises(SettingError, match="no user named 'nobody'") as refused:
        user_admin.set_password_from_cli(db, username="nobody", password="long enough")
    assert "rawbank user add" in refused.value.hi
    assert db.users.count_documents({}) == 1
    assert db.revoked_tokens.distinct("_id") == ["sub:admin"]  # nobody's tokens revoked, no event for them


def test_the_password_command_on_a_data_directory(monkeypatch, capsys, tmp_path):
    import io
    from services.requests import spec
    from shared.config import Config
    from shared.runtime import Runtime
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.chdir(tmp_path)  # ./var, as `make dev` keeps it
    (tmp_path / "var").mkdir()
    config = Config.from_env({}, data_dir=str(tmp_path / "var"))
    runtime = Runtime(spec(), config)
    users.add_user(runtime.db, username="admin", password="admin123", role="admin")
    runtime.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("a depot's own passphrase\n"))
    assert main(["user", "password", "admin", "--password-stdin"]) == 0
    english, hindi = capsys.readouterr().out.splitlines()
    assert english == ("admin has a new password; the old one no longer logs in, and every login they had before now "
                       "ends on every service") and "पासवर्ड बदल गया" in hindi
    monkeypatch.setattr("sys.stdin", io.StringIO("a depot's own passphrase\n"))
    assert main(["user", "password", "asha", "--password-stdin"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert english == "rawbank user password: no user named 'asha'; `rawbank user add` adds one"
    assert hindi.strip().startswith("rawbank user password: 'asha' नाम का कोई उपयोगकर्ता नहीं है")
    reopened = Runtime(spec(), config)
    try:
        assert users.authenticate(reopened.db, "admin", "a depot's own passphrase")["role"] == "admin"
    finally:
        reopened.close()


def test_the_command_gives_a_staff_login_its_display_name_told_to_the_other_services(db):
    db.depots.insert_one({"_id": "VNS"})
    users.add_from_cli(db, username="wh-1", role="warehouse", password="long enough", depot="VNS",
                       name="Meena Devi", name_hi="मीना देवी")
    stored = db.users.find_one({"_id": "wh-1"})
    assert (stored["name"], stored["name_hi"]) == ("Meena Devi", "मीना देवी")
    assert [(e["payload"]["name"], e["payload"]["name_hi"]) for e in stored["outbox"]] == [("Meena Devi", "मीना देवी")]


@pytest.mark.parametrize("names,text", [
    ({"name": "x" * 201}, "at most 200 characters"),
    ({"name_hi": "मीना\x00देवी"}, "without control characters"),
    ({"name": "bad\udcff"}, "without control characters"),  # a byte the terminal did not send as UTF-8
])
def test_the_command_refuses_a_bad_display_name_as_the_users_page_does_and_stores_nothing(db, names, text):
    with pytest.raises(ValueError, match=text) as refused:
        users.add_from_cli(db, username="asha", role="admin", password="long enough", **names)
    assert refused.value.hi and refused.value.hi != refused.value.en  # said in Hindi too
    assert db.users.count_documents({}) == 0


def test_the_command_takes_the_display_name_in_both_languages(monkeypatch, capsys, tmp_path):
    import io
    from services.requests import spec
    from shared.config import Config
    from shared.runtime import Runtime
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    Runtime(spec(), Config.from_env({}, data_dir=str(tmp_path / "var"))).close()
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "add", "boss", "--role", "admin", "--name", "Kavita Rao", "--name-hi", "कविता राव",
                 "--password-stdin"]) == 0, capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "add", "boss2", "--role", "admin", "--name", "x" * 201, "--password-stdin"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "--name" in english and "200" in english and "200" in hindi
    running = Runtime(spec(), Config.from_env({}, data_dir=str(tmp_path / "var")))
    try:
        assert [(u["_id"], u.get("name"), u.get("name_hi")) for u in running.db.users.find()] == [
            ("boss", "Kavita Rao", "कविता राव")]
    finally:
        running.close()


def test_the_command_refuses_a_login_it_cannot_add_before_asking_for_the_password(monkeypatch, capsys, tmp_path):
    """The password was asked twice, then the artisan, depot or name was refused: typed for nothing."""
    import io
    from services.requests import spec
    from shared.config import Config
    from shared.runtime import Runtime
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    Runtime(spec(), Config.from_env({}, data_dir=str(tmp_path / "var"))).close()  # a store, rawbank stopped
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "add", "asha", "--role", "admin", "--password-stdin"]) == 0
    capsys.readouterr()

    def asked(prompt):
        raise AssertionError(f"asked {prompt!r} before refusing")
    monkeypatch.setattr("getpass.getpass", asked)
    for argv, said in ((["meera", "--role", "artisan", "--artisan-id", "ART-NOPE"], "no artisan ART-NOPE"),
                       (["ravi", "--role", "warehouse", "--depot", "XXX"], "no depot XXX is known"),
                       (["asha", "--role", "admin"], "a user named 'asha' already exists")):
        assert main(["user", "add", *argv]) == 2
        english, hindi = capsys.readouterr().err.splitlines()
        assert said in english and hindi.strip(), english
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a long passphrase")
    assert main(["user", "add", "ravi", "--role", "warehouse"]) == 0  # a login it can add: asked, then added


def test_the_password_command_refuses_a_user_nobody_has_before_asking_for_the_password(monkeypatch, capsys, tmp_path):
    """A mistyped name was refused only after the new password had been typed twice."""
    from services.requests import spec
    from shared.config import Config
    from shared.runtime import Runtime
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    runtime = Runtime(spec(), Config.from_env({}, data_dir=str(tmp_path / "var")))
    users.add_user(runtime.db, username="admin", password="admin123", role="admin")
    runtime.close()

    def asked(prompt):
        raise AssertionError(f"asked {prompt!r} before refusing")
    monkeypatch.setattr("getpass.getpass", asked)
    assert main(["user", "password", "adimn"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "no user named 'adimn'" in english and "'adimn'" in hindi
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a depot's own passphrase")
    assert main(["user", "password", "admin"]) == 0  # a login there is: asked, then changed
    reopened = Runtime(spec(), Config.from_env({}, data_dir=str(tmp_path / "var")))
    try:
        assert users.authenticate(reopened.db, "admin", "a depot's own passphrase")["role"] == "admin"
    finally:
        reopened.close()
