"""`rawbank token --cooperative` for secretaries, and the commands a service declares in its spec."""
from __future__ import annotations

import jwt

from shared.cli import main
from shared.config import Config


def test_a_secretarys_token_carries_the_cooperative_and_needs_one(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no ./var here: the built-in secret
    assert main(["token", "--role", "secretary", "--sub", "meera"]) == 2
    assert "--cooperative" in capsys.readouterr().err
    assert main(["token", "--role", "secretary", "--sub", "meera", "--cooperative", "SMBSS"]) == 0
    claims = jwt.decode(capsys.readouterr().out.strip(), Config.from_env().jwt_secret, algorithms=["HS256"])
    assert (claims["role"], claims["cooperative"]) == ("secretary", "SMBSS")


def test_the_notifiers_reports_rebuild_is_a_rawbank_command(capsys):
    try:
        main(["reports", "--help"])
    except SystemExit as done:
        assert done.code == 0
    assert "rebuild" in capsys.readouterr().out


def test_reports_rebuild_says_so_when_the_notifier_cannot_be_reached(monkeypatch, capsys):
    monkeypatch.setenv("MONGO_URI", "mongomock://localhost")
    assert main(["reports", "rebuild", "--notifier-url", "http://127.0.0.1:9"]) == 2
    assert "could not rebuild" in capsys.readouterr().err
