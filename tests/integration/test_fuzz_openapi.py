"""Fuzz every operation of every service's OpenAPI document (schemathesis, in-process over WSGI).

Requests come with an admin token and with an artisan token, so they get past authentication
and reach the handlers. Whatever comes in, no answer may be a 5xx, and every 4xx must be the
contract's error: {"error": {"code", "message", "details"}}. The services start with demo data,
so ids in paths sometimes exist. RAWBANK_FUZZ_EXAMPLES sets the examples per operation and token.
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from services import inventory, notifier, requests as requests_service
from shared.auth import issue_token
from shared.config import Config
from shared.runtime import Runtime

EXAMPLES = int(os.environ.get("RAWBANK_FUZZ_EXAMPLES", "30"))
PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
SLOW = {"/api/v1/stream": 2}  # a stream lasts at least a second: a few examples are enough


def problem_with(response) -> str | None:
    """Why a response breaks the contract, or None."""
    if response.status_code >= 500:
        return f"server error {response.status_code}: {response.text[:300]}"
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict) or set(error) != {"code", "message", "details"} \
                or not isinstance(error["code"], str) or not isinstance(error["message"], str):
            return f"{response.status_code} not in the error format: {response.text[:300]}"
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
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy())
        @settings(max_examples=SLOW.get(operation.path, EXAMPLES), deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(case):
            if operation.path in SLOW and isinstance(case.query, dict):
                case.query.update(max_seconds=1, limit=1)
            for token in tokens:
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                problem = problem_with(response)
                if problem and label not in failures:
                    failures[label] = f"{problem}\n  reproduce: {case.as_curl_command()}"
        check()
    runtime.close()
    assert operations >= 10
    assert not failures, "\n".join(f"{label}: {why}" for label, why in failures.items())
