"""One JSON error format for every service: {"error": {"code", "message", "details"}}."""
from __future__ import annotations

import logging

from flask import jsonify, request
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import HTTPException

from shared.i18n import message, pick_language

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "validation_error", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large", 422: "validation_error",
    429: "too_many_attempts",
}


class ApiError(Exception):
    """An error the API reports to the caller as JSON."""

    def __init__(self, status: int, code: str, message: str | None = None, details=None, headers=None):
        super().__init__(message or code)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers  # e.g. Retry-After


class NotFound(ApiError):
    def __init__(self, code: str = "not_found", message: str | None = None, details=None):
        super().__init__(404, code, message, details)


class Conflict(ApiError):
    def __init__(self, code: str = "conflict", message: str | None = None, details=None):
        super().__init__(409, code, message, details)


class BusinessRule(ApiError):
    def __init__(self, code: str, message: str | None = None, details=None):
        super().__init__(422, code, message, details)


def error_response(status: int, code: str, text: str | None = None, details=None, headers=None):
    """Build the JSON error response, in the caller's language when no text is given."""
    lang = pick_language(request.headers.get("Accept-Language")) if request else "en"
    params = details if isinstance(details, dict) else None
    body = {"error": {"code": code, "message": text or message(code, lang, params),
                      "details": _string_keys(details or {})}}
    response = jsonify(body)
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


def handle_api_error(exc: ApiError):
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


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
    return error_response(status, _HTTP_CODES.get(status, "http_error"), None, details, data.get("headers"))


def handle_store_unavailable(exc: ConnectionFailure):
    """The store cannot be reached or written (MongoDB down, the embedded store's disk full): 503."""
    log.error("store unavailable: %s", exc)
    return error_response(503, "store_unavailable", headers={"Retry-After": "5"})


def handle_unexpected(exc: Exception):
    log.exception("unhandled error")
    return error_response(500, "internal_error")


def register_error_handlers(app) -> None:
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ConnectionFailure, handle_store_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
