import time

import jwt
import pytest

from shared.auth import decode_token, issue_token
from shared.errors import TokenInvalid, outcome

SECRET = "s" * 40


def test_round_trip_carries_the_contract_claims():
    token = issue_token(SECRET, sub="asha", role="artisan", artisan_id="ART-7")
    principal = decode_token(SECRET, token)
    assert (principal.sub, principal.role, principal.artisan_id) == ("asha", "artisan", "ART-7")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["exp"] > time.time()


@pytest.mark.parametrize("make", [
    lambda: issue_token("x" * 40, sub="a", role="admin"),
    lambda: issue_token(SECRET, sub="a", role="admin", ttl_seconds=-10),
    lambda: jwt.encode({"sub": "a", "role": "admin", "exp": time.time() + 60}, None, algorithm="none"),
    lambda: jwt.encode({"sub": "a", "role": "admin"}, SECRET, algorithm="HS256"),
    lambda: jwt.encode({"sub": "a", "role": "king", "exp": time.time() + 60}, SECRET, algorithm="HS256"),
    lambda: jwt.encode({"sub": "a", "role": "admin", "exp": time.time() + 60}, SECRET, algorithm="HS512"),
    lambda: "not.a.token",
])
def test_bad_tokens_are_refused_with_401(make):
    with pytest.raises(TokenInvalid) as raised:
        decode_token(SECRET, make())
    assert outcome(raised.value).status == 401


def test_artisan_tokens_need_an_artisan_id():
    with pytest.raises(ValueError):
        issue_token(SECRET, sub="a", role="artisan")


def test_a_token_verified_before_still_expires(monkeypatch):
    token = issue_token(SECRET, sub="asha", role="admin", ttl_seconds=60)
    assert decode_token(SECRET, token).sub == "asha"  # verified and remembered
    later = time.time() + 61
    monkeypatch.setattr("shared.auth.time.time", lambda: later)
    with pytest.raises(TokenInvalid) as raised:
        decode_token(SECRET, token)
    assert outcome(raised.value).status == 401


def test_a_remembered_token_is_not_valid_under_another_secret():
    token = issue_token(SECRET, sub="asha", role="admin")
    decode_token(SECRET, token)
    with pytest.raises(TokenInvalid):
        decode_token("y" * 40, token)


def test_a_new_password_refuses_its_users_tokens_up_to_the_end_of_its_second():
    """iat is whole seconds: a token of the change's own second may be from before it, so it is refused too; the
    first second after passes (a login waits for it, services/requests/users.login_token)."""
    from datetime import datetime, timezone

    from shared import revocation
    from shared.mongo import connect
    assert [revocation.not_before(at) for at in (100.0, 100.999, 101.0)] == [101, 101, 102]
    db = connect("mongomock://auth")["rawbank_test"]
    first = revocation.revoke_subject(db, "asha", 1_000.4, 3600, source="test")
    [entry] = db[revocation.COLLECTION].find()
    assert (first, entry["_id"], entry["not_before"]) == (1_001, "sub:asha", 1_001)
    assert entry["until"].replace(tzinfo=timezone.utc) == datetime.fromtimestamp(1_001 + 3600, timezone.utc)
    assert [revocation.is_revoked(db, "t1", "asha", issued) for issued in (None, 999, 1_000, 1_001, 1_002)] == \
        [True, True, True, False, False]
    assert not revocation.is_revoked(db, "t1", "ravi", 1_000)  # only that user's tokens
    revocation.revoke_subject(db, "asha", 900.0, 3600, source="test")  # an earlier change, written late
    assert revocation.subject_not_before(db, "asha") == 1_001 and revocation.subject_not_before(db, "ravi") == 0
    revocation.revoke(db, "t2", datetime.fromtimestamp(5_000, timezone.utc), source="test")  # a logout
    assert revocation.is_revoked(db, "t2", "asha", 2_000) and revocation.is_revoked(db, "t2")
