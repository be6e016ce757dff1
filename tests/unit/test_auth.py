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
