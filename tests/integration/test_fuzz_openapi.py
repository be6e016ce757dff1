"""Fuzz every operation of every service's OpenAPI document (schemathesis, in-process over WSGI).

Requests come with an admin token and with an artisan token, so they get past authentication
and reach the handlers. Whatever comes in, no answer may be a 5xx, and every 4xx must be the
contract's error: {"error": {"code", "message", "details"}}. The services start with demo data,
so ids in paths sometimes exist. RAWBANK_FUZZ_EXAMPLES sets the examples per operation and token.

Beside schemathesis' own cases, each example may be made hostile: every string of its JSON body
and query given a lone surrogate or a control character, or its body nested far deeper than any
schema goes. Those must never succeed (2xx): nothing of them may be stored.
"""
from __future__ import annotations

import gzip
import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from services import inventory, notifier, requests as requests_service
from shared.auth import issue_token
from shared.config import Config
from shared.runtime import Runtime

EXAMPLES = int(os.environ.get("RAWBANK_FUZZ_EXAMPLES", "30"))
PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
SLOW = {"/api/v1/stream": 2}  # a stream lasts at least a second: a few examples are enough
BROKEN_TEXT = ["\ud800", "a\udfffb", "\x00", "x\x1b[2J", "\x07", "\u009b", "\ufffe", "\x7f"]
QUERY_SAFE = [text for text in BROKEN_TEXT if not 0xD800 <= max(map(ord, text)) <= 0xDFFF]  # URL-encodable
MUTATIONS = st.sampled_from(["none", "text", "deep"])
DEEP = 2000  # levels: more than Python's JSON parser can take


def with_text(value, bad: str, found: list):
    """`value` with `bad` put into every string in it; `found` collects one entry per string changed."""
    if isinstance(value, str):
        found.append(value)
        return value + bad
    if isinstance(value, dict):
        return {key: with_text(item, bad, found) for key, item in value.items()}
    if isinstance(value, list):
        return [with_text(item, bad, found) for item in value]
    return value


def hostile(case, how: str, bad: str) -> tuple[dict, str | None] | None:
    """The query and JSON text of `case` made hostile the way `how` says; None if it has nothing to change.

    They are sent past schemathesis, which would check a changed case against the schema first.
    """
    changed: list = []
    query, body = dict(case.query or {}), case.body if isinstance(case.body, (dict, list)) else None
    if how == "text":
        body = with_text(body, bad, changed) if body is not None else None
        query = with_text(query, bad, changed) if bad in QUERY_SAFE else query
        text = None if body is None else json.dumps(body)
    elif how == "deep" and isinstance(body, dict) and body:
        key = next(iter(body))  # the first field's value, DEEP lists down
        text = json.dumps({**body, key: None}).replace("null", "[" * DEEP + json.dumps(body[key]) + "]" * DEEP, 1)
        changed.append(key)
    return (query, text) if changed else None


def send(client, case, token: str, query: dict, text: str | None) -> tuple[int, str]:
    response = client.open(case.formatted_path, method=case.method, query_string=query, data=text,
                           content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.get_data(as_text=True)


def text_of(response) -> str:
    """The body as text, unzipped when the service sent it gzipped (public availability does; WSGI leaves it so)."""
    content = response.content
    if response.headers.get("content-encoding", [""])[0] == "gzip":  # schemathesis: lowercase keys, lists
        content = gzip.decompress(content)
    return content.decode("utf-8")


def problem_with(status: int, text: str) -> str | None:
    """Why a response breaks the contract, or None."""
    if status >= 500:
        return f"server error {status}: {text[:300]}"
    if status >= 400:
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict) or set(error) != {"code", "message", "details"} \
                or not isinstance(error["code"], str) or not isinstance(error["message"], str):
            return f"{status} not in the error format: {text[:300]}"
    return None


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_fuzzing_finds_no_server_error_and_only_contract_errors(service):
    config = Config.from_env({})
    package = PACKAGES[service]
    runtime = Runtime(package.spec(), config)
    if runtime.spec.seed:
        runtime.spec.seed(runtime.db, config)
    app = package.create_app(config, runtime)
    tokens = [issue_token(config.jwt_secret, sub="fuzz-admin", role="admin"),
              issue_token(config.jwt_secret, sub="fuzz-artisan", role="artisan", artisan_id="ART-0001")]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    client = app.test_client()
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy(), how=MUTATIONS, bad=st.sampled_from(BROKEN_TEXT))
        @settings(max_examples=SLOW.get(operation.path, EXAMPLES), deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(case, how, bad):
            if operation.path in SLOW and isinstance(case.query, dict):
                case.query.update(max_seconds=1, limit=1)
            changed = hostile(case, how, bad)
            for token in tokens:
                if changed is None:
                    response = case.call(headers={"Authorization": f"Bearer {token}"})
                    status, text, how_sent = response.status_code, text_of(response), case.as_curl_command()
                else:
                    (status, text), how_sent = send(client, case, token, *changed), f"{how} {bad!r}: {changed}"
                problem = problem_with(status, text)
                if changed is not None and status < 300:
                    problem = f"{how} input accepted with {status}: {text[:200]}"
                if problem and label not in failures:
                    failures[label] = f"{problem}\n  reproduce: {how_sent[:1000]}"
        check()
    runtime.close()
    assert operations >= 10
    assert not failures, "\n".join(f"{label}: {why}" for label, why in failures.items())
