"""The Flask base every service builds on: its app and request classes, OpenAPI blueprints that parse input within
limits, JSON errors, the caller's address, logging. shared/service_app.py puts a service's app together from them."""
from __future__ import annotations

import functools
import http
import ipaddress
import logging

import flask_smorest
import marshmallow as ma
from flask import Flask, Request as FlaskRequest, current_app, g, request
from webargs import core
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

from shared import idempotency
from shared.http_errors import ErrorSchema, register_error_handlers
from shared.i18n import F_
from shared.json_limits import DuplicateKey, loads
from shared.runtime import Runtime
from shared.text import text_errors

MAX_BODY_BYTES = 1024 * 1024
NOT_JSON = F_("Send the body as JSON, with the header Content-Type: application/json.")
NOT_UTF8 = F_("The body is not UTF-8 text: send the JSON encoded as UTF-8.")
DUPLICATE_KEY = F_("A field is named twice in one object of the body; send each field once.")
#: the response headers the OpenAPI documents describe (components/headers), by name
HEADERS = {
    "X-Request-ID": {"description": "The id of this request, on every response: the X-Request-ID the caller sent "
                                    "(letters, digits, '-', '_', '.', ':', up to 100), or a new one. The services' "
                                    "logs name each line with it; quote it when asking about a failed request.",
                     "schema": {"type": "string"}},
    "Retry-After": {"description": "Seconds to wait before sending the same request again, on every 429 and 503: "
                                   "too_many_attempts (until the login throttle's window ends), busy (1: others were "
                                   "writing the same record at that moment), store_unavailable (5: the store is not "
                                   "answering, as while MongoDB elects a new primary; 60: the single-machine store's "
                                   "disk failed, and it takes no writes until rawbank is restarted).",
                    "schema": {"type": "integer", "minimum": 0}},
}
RETRY_AFTER_STATUSES = (429, 503)
#: what an error status means here, where its HTTP phrase does not say enough
DESCRIPTIONS = {503: "Service Unavailable: the store is not answering (store_unavailable) or others were writing the "
                     "same record at that moment (busy). Send the same request again after Retry-After seconds "
                     "(with its Idempotency-Key, where it takes one)."}


class Parser(FlaskParser):
    """webargs' parser with 400 for validation errors, JSON within limits and only clean text let in."""

    DEFAULT_VALIDATION_STATUS = 400
    TEXT_LOCATIONS = ("json", "query", "form", "json_or_form")

    def _raw_load_json(self, req):
        """The JSON body; one sent as anything else (a form, plain text) is a 400, not read as no body at all
        (which lost an acknowledgement's note, or said "missing" of fields that were sent)."""
        if not is_json_request(req):
            if req.content_length or req.headers.get("Transfer-Encoding"):
                abort(400, messages={"json": [NOT_JSON]})
            return core.missing
        body = req.get_data(cache=True)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:  # not "no body" (which cancelled a request with its reason lost): a 400
            abort(400, messages={"json": [NOT_UTF8]})
        try:
            return loads(text)
        except DuplicateKey:
            abort(400, messages={"json": [DUPLICATE_KEY]})

    def pre_load(self, location_data, *, schema, req, location):
        """Refuse, before any schema sees it, a string or key anywhere in the input that is not clean text."""
        if location in self.TEXT_LOCATIONS and (errors := text_errors(location_data)):
            raise ma.ValidationError(errors)
        return location_data


class CappedBody(LimitedStream):
    """A body of no stated length (Transfer-Encoding: chunked) read up to MAX_CONTENT_LENGTH, and a 413 past it.

    werkzeug's own cap stops reading there and hands on what it read, so a body over the cap reached the view cut
    short (a 400 for its broken JSON) where one with a Content-Length over the cap is a 413. The server ends the
    stream (wsgi.input_terminated), so one byte more, or none, tells a body ending at the cap from a longer one.
    """

    def __init__(self, body, cap: int):
        super().__init__(body, cap, is_max=True)
        self._body = body

    def on_exhausted(self) -> None:
        if self._body.read(1):
            super().on_exhausted()  # werkzeug's 413 for a body past its maximum

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted:
            self.on_exhausted()
        return data


class Request(FlaskRequest):
    """Flask's request, whose body of no stated length is held to the cap as one with a Content-Length is."""

    @cached_property
    def stream(self):
        if self.content_length is None and self.max_content_length is not None and not self.shallow \
                and "wsgi.input_terminated" in self.environ:
            return CappedBody(self.environ["wsgi.input"], self.max_content_length)
        return super().stream


def refusals(view, rule: str, manual_doc: dict) -> tuple[int, ...]:
    """The error statuses an operation answers beside 400 for its arguments, from what it is: 401, 403 and 503
    behind require_role (a role that may not, a cookie write without its CSRF token, a view's own refusal of
    another's depot or record; the store not answering, which the caller's token is looked up in at every request,
    shared/revocation.py), 404 for an id in its path nobody has, 409 for an Idempotency-Key sent again with another
    body, and those the view declares (`Blueprint.refuses`: every 409, 422, 429 and 503 its code can raise, which
    tests/unit/test_declared_refusals.py reads from the code, and 503 where a view with no login touches the store).
    Any other (a 500 of a bug, ...) is its `default` response, in the same format."""
    statuses = []
    if getattr(view, "required_roles", None) is not None:
        statuses += [401, 403, 503]
    if "<" in rule:
        statuses.append(404)
    if any(p.get("name") == idempotency.HEADER for p in manual_doc.get("parameters", ())):
        statuses.append(409)
    return tuple(dict.fromkeys(statuses + list(getattr(view, "refused_with", ()))))


class Blueprint(flask_smorest.Blueprint):
    """A smorest blueprint whose validation errors are 400, as the contract says, and whose operations document
    the error statuses they answer (`refusals`)."""

    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_refusals_doc)

    def add_url_rule(self, rule, endpoint=None, view_func=None, provide_automatic_options=None, **options):
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)
        for method, doc in self._docs[self._endpoints[-1]].items():
            if method != "parameters":
                doc["refusals"] = refusals(view_func, rule, doc.get("manual_doc", {}))

    @staticmethod
    def refuses(*statuses: int):
        """Document error statuses of a view that its form does not tell (`refusals`), e.g. 409 for a code taken,
        422 for a business rule; put it under the route (and require_role)."""
        def decorator(view):
            view.refused_with = statuses
            return view
        return decorator

    @staticmethod
    def _prepare_refusals_doc(doc, doc_info, **kwargs):
        """Each refusal under its status, as the component response flask-smorest names it (with our ErrorSchema)."""
        responses = doc.setdefault("responses", {})
        for status in doc_info.get("refusals", ()):
            if status not in responses and str(status) not in responses:
                responses[status] = http.HTTPStatus(status).name
        for response in responses.values():
            if isinstance(response, dict):  # the operation's own (its errors are components, with their headers)
                response.setdefault("headers", {}).setdefault("X-Request-ID", "X-Request-ID")
        return doc

    def arguments(self, schema, **kwargs):
        """As flask-smorest's, but a schema class becomes one instance here, at import.

        Given a class, webargs builds a new instance for every request (a tenth of a
        millisecond each); marshmallow schemas are stateless, so one serves every request.
        """
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, **kwargs)


class App(Flask):
    """Flask with rawbank's Request (a chunked body held to the cap), and whether a view or hook is a
    coroutine asked once per function.

    Flask asks `inspect.iscoroutinefunction` of every hook and the view at every request;
    the answer never changes for a function. Bounded, for functions made anew per request
    (`after_this_request`).
    """

    request_class = Request

    @functools.lru_cache(maxsize=512)  # noqa: B019 - the apps live as long as the process
    def ensure_sync(self, func):
        return super().ensure_sync(func)


class Api(flask_smorest.Api):
    """flask-smorest's Api with rawbank's JSON error format instead of its own, in its answers and its documents."""

    ERROR_SCHEMA = ErrorSchema  # the schema `Error` of every error response the OpenAPI documents name

    def _register_error_handlers(self):
        register_error_handlers(self._app)

    def _register_responses(self):
        """flask-smorest's component responses, the error ones with the headers they carry: X-Request-ID, and
        Retry-After on a 429 and a 503 (`HEADERS`)."""
        for name, header in HEADERS.items():
            self.spec.components.header(name, header, lazy=True)
        for status in http.HTTPStatus:
            response = {"description": DESCRIPTIONS.get(status, status.phrase)}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            if status >= 400:
                response["headers"] = error_headers(status)
            prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA,
                    "headers": error_headers(None)}
        prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def error_headers(status: int | None) -> dict:
    """The headers of an error response of `status` (None: the default, any status), as header components' names."""
    names = ["X-Request-ID"] + (["Retry-After"] if status in RETRY_AFTER_STATUSES + (None,) else [])
    return {name: name for name in names}


def runtime() -> Runtime:
    return current_app.extensions["rawbank"]


def db():
    return runtime().db


def client_address() -> str:
    """The caller's address: the peer, or whom trusted proxies (RAWBANK_TRUSTED_PROXIES) forwarded for.

    X-Forwarded-For is read from the right, past trusted proxies only: anyone can write anything
    there, so what an untrusted peer sends in it is ignored.
    """
    trusted = current_app.config["RAWBANK"].proxy_networks
    address = request.remote_addr or "-"
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    while hops and _trusted(address, trusted):
        hop = hops.pop()
        if _ip(hop) is None:  # not an address: the last proxy is as far back as we can tell
            break
        address = hop
    return address


def _ip(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: str, networks) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in networks)


def request_id() -> str:
    return g.get("request_id") or "-"


class RequestIdFilter(logging.Filter):
    """Adds the current request id (or '-') to every log record."""

    def filter(self, record):
        from flask import has_request_context
        record.request_id = request_id() if has_request_context() else "-"
        return True


class SlowTaskNote(logging.Filter):
    """Drops kafka-python's note that a task of its network loop ran past 0.1 s ("It is blocking the event loop"):
    on a busy machine any thread pause makes one, nothing is wrong, and a console reader takes it for a fault."""

    def filter(self, record):
        return "blocking the event loop" not in record.getMessage()


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("kafka").setLevel(logging.WARNING)
    selector = logging.getLogger("kafka.net.selector")
    if not any(isinstance(f, SlowTaskNote) for f in selector.filters):
        selector.addFilter(SlowTaskNote())
