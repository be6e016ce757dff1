"""Errors become HTTP responses here, once, in one JSON format: {"error": {"code", "message", "details"}}.

A use case's `Error` gets the status its kind has in `shared.errors.OUTCOMES`; werkzeug's and
webargs' own errors (no route, a body that does not fit its schema) get the contract's codes.
The message is in the caller's language, and so are the field messages of a validation error.
"""
from __future__ import annotations

import logging

import marshmallow as ma
from flask import jsonify
from gunicorn.http.errors import ParseException
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import BadRequest, HTTPException

from shared import field_messages
from shared.errors import (Conflict, Error, Forbidden, Invalid, NotFound, StoreUnavailable, TooManyAttempts,
                           Unauthenticated, outcome)
from shared.i18n import N_, language, translate

log = logging.getLogger(__name__)

INTERNAL = ("internal_error",
            N_("Something went wrong on our side; try again, and tell an admin if it keeps happening."))
#: no route has this address (NotFound's message is for an id nobody has)
NO_SUCH_ADDRESS = N_("There is nothing at this address; check it (the API's addresses are listed at "
                     "/api/v1/openapi.json).")
#: werkzeug's and webargs' statuses -> (code, message)
_HTTP = {
    400: (Invalid.code, Invalid.message), 401: (Unauthenticated.code, Unauthenticated.message),
    403: (Forbidden.code, Forbidden.message), 404: (NotFound.code, NO_SUCH_ADDRESS),
    405: ("method_not_allowed", N_("This address does not accept this method; the methods each address takes are "
                                   "listed at /api/v1/openapi.json.")),
    409: (Conflict.code, Conflict.message),
    413: ("payload_too_large", N_("The request body is too large; send less in one request (split a long list into "
                                  "several requests).")),
    422: (Invalid.code, Invalid.message), 429: (TooManyAttempts.code, TooManyAttempts.message),
}
_OTHER = ("http_error", Error.message)


class ErrorBodySchema(ma.Schema):
    """What went wrong, as every error answer carries it (the OpenAPI documents' `ErrorBody`)."""

    code = ma.fields.String(required=True, metadata={
        "description": "Stable code of what went wrong, e.g. validation_error, unauthorized, forbidden, not_found, "
                       "conflict, business_rule, or a service's own (insufficient_stock, quota_exceeded, ...)."})
    message = ma.fields.String(required=True, metadata={
        "description": "What went wrong and what to do, in the caller's language (Accept-Language: en or hi)."})
    details = ma.fields.Dict(required=True, metadata={
        "description": "The values the message names; for validation_error, each field's messages by field name "
                       "(empty when there is nothing to add)."})


class ErrorSchema(ma.Schema):
    """Every error answer's body: {"error": {"code", "message", "details"}} (the OpenAPI documents' `Error`)."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


def error_response(status: int, code: str, message: str, details=None, headers=None):
    """The JSON error response; `message` is already in the caller's language."""
    details = _string_keys(details or {})
    if code == Invalid.code:
        details = field_messages.translated(details, language())
    response = jsonify({"error": {"code": code, "message": message, "details": details}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _string_keys(value):
    """marshmallow names list items by index (int keys beside '_schema'): JSON keys must be strings."""
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_string_keys(v) for v in value]
    return value


def handle_error(exc: Error):
    status = outcome(exc).status
    if status == 500:  # an event's error in a request: a bug
        return handle_unexpected(exc)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return error_response(status, exc.code, exc.describe(), exc.details, headers)


def handle_http_exception(exc: HTTPException):
    """Turn werkzeug and webargs errors into the contract's format; validation is 400."""
    data = getattr(exc, "data", None) or {}
    details = data.get("errors") or data.get("messages") or {}
    if isinstance(details, dict) and set(details) <= {"json", "query", "headers", "form", "view_args"}:
        merged = {}
        for part in details.values():
            merged.update(part if isinstance(part, dict) else {"_schema": part})
        details = merged or details
    status = exc.code or 500
    if status == 422 and details:
        status = 400
    code, message = _HTTP.get(status, _OTHER)
    return error_response(status, code, translate(message), details, data.get("headers"))


def handle_store_unavailable(exc: ConnectionFailure):
    """The store cannot be reached or written (pymongo's outage, the durable store's failed write): 503."""
    log.error("store unavailable: %s", exc)
    return handle_error(StoreUnavailable.of(exc))


def handle_unreadable_body(exc: ParseException):
    """A body gunicorn cannot read (a broken chunked encoding): the sender's mistake, 400 as for a cut-off body."""
    log.info("unreadable request body: %s", exc)
    return handle_http_exception(BadRequest())


def handle_unexpected(exc: Exception):
    log.exception("unhandled error")
    return error_response(500, INTERNAL[0], translate(INTERNAL[1]))


def register_error_handlers(app) -> None:
    app.register_error_handler(Error, handle_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ConnectionFailure, handle_store_unavailable)
    app.register_error_handler(ParseException, handle_unreadable_body)
    app.register_error_handler(Exception, handle_unexpected)
