"""gunicorn's threaded worker, answering a request gunicorn refuses before the app sees it in the API's error format.

gunicorn reads the request line and the headers itself; one it cannot read (an address over 4094 bytes, a header
over 8190 or more than 100 of them, a broken request line or header name) it answered with an HTML page of its own
("URI Too Long"), where every other refusal is `{"error": {"code", "message", "details"}}`. This worker answers
those in that format. The language is in the headers it could not read, so the message is in English and Hindi.
Anything else (a failure on our side) is gunicorn's own answer, as before.
"""
from __future__ import annotations

import json

from gunicorn import util
from gunicorn.http import errors as http
from gunicorn.workers.gthread import ThreadWorker

from shared.errors import Invalid
from shared.i18n import N_, in_both

#: (what gunicorn raised, status, reason phrase, code, message), the first that matches
REFUSALS = (
    (http.LimitRequestLine, 414, "URI Too Long", "uri_too_long",
     N_("The address is too long; use a shorter one (fewer or shorter search words) and try again.")),
    (http.LimitRequestHeaders, 431, "Request Header Fields Too Large", "headers_too_large",
     N_("The request's headers are too large or too many; clear this site's cookies and try again.")),
    (http.UnsupportedTransferCoding, 501, "Not Implemented", "transfer_coding_unsupported",
     N_("This way of sending the body is not supported; send it with a Content-Length or chunked.")),
    (tuple(getattr(http, name) for name in (  # by name: not every gunicorn the pin allows has each
        "InvalidRequestLine", "InvalidRequestMethod", "InvalidHTTPVersion", "InvalidHeader", "InvalidHeaderName",
        "ObsoleteFolding", "InvalidSchemeHeaders", "InvalidChunkSize", "ChunkMissingTerminator",
        "InvalidChunkExtension") if hasattr(http, name)), 400, "Bad Request", Invalid.code,
     N_("The request could not be read as HTTP; send it again as a well-formed request.")),
)


def refusal(exc: BaseException) -> bytes | None:
    """The whole HTTP answer to a request gunicorn refused with `exc`, or None when `exc` is not the sender's."""
    for kinds, status, reason, code, message in REFUSALS:
        if isinstance(exc, kinds):
            body = json.dumps({"error": {"code": code, "message": " / ".join(in_both(message)),
                                         "details": {"reason": str(exc)}}}, ensure_ascii=False).encode()
            head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    f"X-Content-Type-Options: nosniff\r\nContent-Length: {len(body)}\r\n\r\n")
            return head.encode("latin-1") + body
    return None


class JsonErrorWorker(ThreadWorker):
    """gunicorn's gthread worker with the JSON answer for a request it cannot read (`rawbank serve` and `run`)."""

    def handle_error(self, req, client, addr, exc):
        answer = refusal(exc)
        if answer is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, answer)
        except Exception:  # the sender went away: nothing to tell
            self.log.debug("Failed to send error message.")
