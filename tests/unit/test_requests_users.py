"""Users who log in: argon2 hashes, roles and `rawbank user add`."""
from __future__ import annotations

import pytest

from services.requests import users
from shared.cli import main
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
])
def test_add_from_cli_refuses_a_user_who_could_never_log_in_or_work(db, username, kwargs, text):
    db.depots.insert_one({"_id": "VNS"})
    with pytest.raises(ValueError, match=text) as refused:
        users.add_from_cli(db, username=username, **{"password": "long enough", **kwargs})
    assert refused.value.hi and refused.value.hi != refused.value.en  # said in Hindi too
    assert db.users.count_documents({}) == 0
    users.add_from_cli(db, username="ravi", role="warehouse", password="long enough", depot="VNS")


def test_a_username_is_taken_once(db):
    users.add_from_cli(db, username="asha", role="admin", password="long enough")
    with pytest.raises(ValueError, match="already exists"):
        users.add_from_cli(db, username="asha", role="warehouse", password="another one")


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
    assert "in use by another running rawbank" in capsys.readouterr().err
    running.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "add", "asha", "--role", "admin", "--password-stdin"]) == 2
    english, hindi = capsys.readouterr().err.splitlines()
    assert "at least 8 characters" in english and "कम से कम 8 अक्षरों" in hindi
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["user", "add", "asha", "--role", "admin", "--password-stdin"]) == 0
    reopened = Runtime(spec(), config)
    assert users.authenticate(reopened.db, "asha", "a long passphrase")["role"] == "admin"
    reopened.close()
