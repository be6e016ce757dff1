"""A service's app, put together from its spec on the Flask base (shared/web.py): its API blueprints and the
reconciliation data every service serves (shared/reconcile_api.py), its pages, health and metrics, and what a
request wrote synced to disk before it is answered."""
from __future__ import annotations

import re
import secrets
import time

from flask import Flask, Response, current_app, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pymongo.errors import ConnectionFailure

from shared.auth import require_role
from shared.config import Config
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS
from shared.mongo import ping
from shared.reconcile_api import blp as reconcile_blp
from shared.runtime import Runtime
from shared.spec import ServiceSpec
from shared.web import MAX_BODY_BYTES, Api, App, request_id, runtime

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}\Z")


def create_service_app(spec: ServiceSpec, config: Config | None = None,
                       runtime_: Runtime | None = None) -> Flask:
    """Build a service's Flask app; its store client is created here, never at import."""
    config = config or Config.from_env()
    app = App(spec.package)
    app.config.update(
        API_TITLE=f"rawbank {spec.name}", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES, RAWBANK=config)
    app.json.ensure_ascii = False  # Hindi stays readable in responses
    app.extensions["rawbank"] = runtime_ or Runtime(spec, config)
    app.extensions["rawbank"].start()  # what a crash left half done is finished before the first request
    api = Api(app)
    for blueprint in spec.blueprints:
        api.register_blueprint(blueprint)
    api.register_blueprint(reconcile_blp)
    _add_operations(app, spec.name)
    if spec.pages:
        from shared.pages import init_pages
        init_pages(app, spec.name, spec.pages)
    _sync_before_answering(app)
    return app


def _sync_before_answering(app: Flask) -> None:
    """What a request wrote is on disk before anyone hears it was done.

    Added last, so it runs first of the after-request steps: a 503 in place of the answer still
    gets the security and CORS headers, and is counted in the metrics. A store the disk has failed
    takes no more writes, and what it holds is only what the disk kept: a write request is answered
    503 before its view reads that (which could refuse it for a reason that is not the real one,
    such as a material the lost writes had registered).
    """
    @app.before_request
    def writable():
        store = runtime().store
        if request.method not in SAFE_METHODS and store is not None and store.broken:
            return _answer_error(store.refused())

    @app.after_request
    def synced(response):
        try:
            runtime().sync()
        except ConnectionFailure as exc:
            return _answer_error(exc)
        if request.method not in SAFE_METHODS:
            runtime().written.notify()  # it may have put events in an outbox: the relay looks now
        return response


def _answer_error(exc: Exception) -> Response:
    """The answer the app's error handler for `exc` gives (http_errors' JSON 503; for a browser outside the API, the
    page that says the store is not answering, where the service has pages)."""
    return current_app.make_response(current_app.handle_user_exception(exc))


def _add_operations(app: Flask, service: str) -> None:
    @app.before_request
    def start():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(16)
        g.started = time.perf_counter()

    children = {}  # (method, route, status) -> its two metrics; routes, methods, statuses are few

    @app.after_request
    def finish(response):
        response.headers["X-Request-ID"] = request_id()
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        key = (request.method, endpoint, response.status_code)
        metrics = children.get(key)
        if metrics is None:
            metrics = children[key] = (HTTP_REQUESTS.labels(service, *key), HTTP_LATENCY.labels(service, endpoint))
        metrics[0].inc()
        if "started" in g:
            metrics[1].observe(time.perf_counter() - g.started)
        return response

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok", service=service)

    @app.get("/readyz")
    def readyz():
        checks, ready = {}, True
        for name, check in (("store", lambda: ping(runtime().client)), ("broker", runtime().probe.check)):
            try:
                check()
                checks[name] = "ok"
            except Exception as exc:
                checks[name] = f"unavailable: {type(exc).__name__}"
                ready = False
        worker = current_app.extensions.get("rawbank_worker")
        if worker is not None:  # `rawbank run`: the consumer and relay are here; events in flight leave it ready
            checks["events"] = "in flight" if worker.busy() else "settled"
        return jsonify(status="ready" if ready else "unready", service=service, checks=checks), \
            200 if ready else 503

    @app.get("/metrics")
    @require_role("admin")
    def metrics():
        """Prometheus metrics, for an admin's token only: they show traffic and failed logins."""
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
