"""Each API operation documents every 409, 422, 429 and 503 its view can answer: the statuses of the errors its
function and the functions of ours it calls raise (tests/refusal_scan.py), declared with `@blp.refuses` or known from
what the route is (shared.web.refusals); none falls under `default` unsaid."""
from __future__ import annotations

import inspect
import re

import pytest

from services import inventory, notifier, requests as requests_service
from shared.runtime import Runtime
from tests.refusal_scan import raised, status_of

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
WATCHED = {409, 422, 429, 503}


def template(rule: str) -> str:
    """werkzeug's rule as the OpenAPI path: <any(a, b):action> and <path:x> become {action} and {x}."""
    return re.sub(r"<(?:[^<>]*:)?([^:<>]+)>", r"{\1}", rule)


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_each_operation_documents_the_errors_its_view_raises(config, service):
    package = PACKAGES[service]
    runtime = Runtime(package.spec(), config)
    try:
        app = package.create_app(config, runtime)
        document = app.test_client().get("/api/v1/openapi.json").get_json()
    finally:
        runtime.close()
    unsaid, scanned = [], 0
    for rule in app.url_map.iter_rules():
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        operations = document["paths"].get(template(rule.rule))
        if not operations or not view.__module__.startswith("services."):
            continue
        kinds = raised(view)
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
            documented = set(operations[method.lower()]["responses"])
            scanned += 1
            for kind in kinds:
                if status_of(kind) in WATCHED and str(status_of(kind)) not in documented:
                    unsaid.append(f"{method} {rule.rule}: {status_of(kind)} ({kind.__name__})")
    assert scanned > 10
    assert not unsaid, "\n".join(sorted(set(unsaid)))


def test_the_scan_follows_calls_and_leaves_out_what_an_except_takes():
    from services.requests import requisitions_api, user_admin
    from services.requests.errors import LastAdmin
    from shared.errors import Busy
    assert Busy in raised(inspect.unwrap(requisitions_api.act))  # raised three calls down, in a retry
    assert LastAdmin not in raised(user_admin.settle)  # login_changes.settle catches what _finish raises
