"""Security headers on every response of a service.

The pages run only the scripts and styles served by rawbank itself (no inline script, style or
handler: a Content-Security-Policy refuses them), may call and post to the three services'
origins only, and are never framed. Browsers do not guess content types, send the full referrer
only to our own pages, and keep to https once they have seen it on an https address.

What was made for a logged-in person (a page, an API answer, a download) is sent with
`Cache-Control: no-store` unless its view chose its own caching: on a shared computer (a depot's
counter, a common service centre) the browser keeps no copy of it, so after a logout the Back
button asks again and gets the login page, not the last person's account or passbook.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from shared.auth import answered_a_login

HSTS_SECONDS = 365 * 24 * 3600


def policy(origins: list[str]) -> str:
    """The Content-Security-Policy of the pages: their own origin, and the sibling services' for calls and forms."""
    siblings = " ".join(sorted(set(origins)))
    return "; ".join((
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        f"connect-src 'self' {siblings}", f"form-action 'self' {siblings}",
        "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"))


def add_security_headers(app, origins: list[str], public_url: str) -> None:
    """Send the headers with every response of `app`, whose people use it at `public_url`."""
    headers = {"Content-Security-Policy": policy(origins), "X-Frame-Options": "DENY",
               "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    if urlsplit(public_url).scheme == "https":
        headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}"

    named = [(name.lower(), name, value) for name, value in headers.items()]

    @app.after_request
    def secured(response):
        """Each header the response does not have yet (a view's own stays): its names looked at once."""
        present = {name.lower() for name in response.headers.keys()}
        response.headers.extend([(name, value) for key, name, value in named if key not in present])
        if "cache-control" not in present and answered_a_login():
            response.headers["Cache-Control"] = "no-store"
        return response
