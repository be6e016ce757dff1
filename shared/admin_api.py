"""Commands that ask a running rawbank through a service's admin API (`rawbank reconcile --via-api`,
`rawbank reports rebuild` on one machine), and what they tell a person when it does not answer."""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

from shared.auth import issue_token
from shared.console import tell
from shared.i18n import N_

TOKEN_REFUSED = N_("{command}: {url} refused the admin token ({error}). The token is signed with the secret of the "
                   "data directory {path}: run this where `rawbank dev` keeps its data, or pass --data-dir DIR, or "
                   "set RAWBANK_JWT_SECRET to the services' secret. A `rawbank dev --memory` keeps no secret on disk "
                   "and signs with the built-in one: for it, leave RAWBANK_JWT_SECRET unset and pass --data-dir with "
                   "a directory rawbank has never used.")
UNREACHABLE = N_("{command}: could not reach {url} ({error}). Is rawbank running (`rawbank status`)? Start it "
                 "with `make dev`, or give the address with {flags}.")
FAILED = N_("{command}: {url} did not answer as expected ({error}); its log says why.")


class Unanswered(Exception):
    """A service's admin API did not answer: where it was asked, and why."""

    def __init__(self, url: str, cause: Exception):
        super().__init__(f"{url}: {cause}")
        self.url, self.cause = url, cause


def admin_token(config, sub: str, ttl_seconds: int = 300) -> str:
    """A short-lived admin token signed with the services' secret, as this command knows it."""
    return issue_token(config.jwt_secret, sub=sub, role="admin", ttl_seconds=ttl_seconds)


def call(url: str, token: str, *, method: str = "GET", timeout: float = 120, body: dict | None = None) -> dict:
    """The JSON answer of one admin endpoint; Unanswered if it cannot be reached, refuses or answers no JSON."""
    data = json.dumps(body or {}).encode() if method == "POST" else None
    request = urllib.request.Request(url, method=method, data=data,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors; a body that is not JSON
        raise Unanswered(url, exc) from exc


def explain(command: str, exc: Unanswered, config, flags: str) -> None:
    """Say on stderr, in English and Hindi, why the service did not answer and what to do next."""
    cause = exc.cause
    if isinstance(cause, urllib.error.HTTPError):
        if cause.code in (401, 403):
            tell(TOKEN_REFUSED, sys.stderr, command=command, url=exc.url, error=f"HTTP {cause.code}",
                 path=config.data_dir)
        else:
            tell(FAILED, sys.stderr, command=command, url=exc.url, error=f"HTTP {cause.code}")
    elif isinstance(cause, urllib.error.URLError):
        tell(UNREACHABLE, sys.stderr, command=command, url=exc.url, error=cause.reason, flags=flags)
    else:
        tell(FAILED, sys.stderr, command=command, url=exc.url, error=cause)
