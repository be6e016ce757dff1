"""HTTP POSTs the notifier makes, and where a webhook may point: public hosts only, no redirects.

A webhook URL is chosen by an admin but fetched by the server, so it must never reach what only
the server can reach (loopback, private, link-local, multicast and other non-public addresses):
it is checked when it is registered and again at every delivery, and the connection goes to the
very address that was checked (DNS may answer differently a second time). Redirects are never
followed. RAWBANK_WEBHOOK_ALLOW_HOSTS names the exceptions (`host` or `host:port`).
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from shared.i18n import F_

TIMEOUT_SECONDS = 10
NOT_HTTP = F_("must be an http:// or https:// address")
HAS_CREDENTIALS = F_("must not contain a user name or password")
NOT_PUBLIC = F_("must be a public internet address; if this host is yours, the operator can allow it by adding it "
                "(host or host:port) to RAWBANK_WEBHOOK_ALLOW_HOSTS")


class Refused(Exception):
    """The URL may not be called; `reason` is one of the messages above."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SendFailed(Exception):
    """The POST did not reach a 2xx answer; the text says why without internal detail, nor the URL's secrets."""


def shown(url: str) -> str:
    """`url` as it may be written in a log, an error or a delivery's last_error: scheme, host, port and path.

    Never its query, fragment or user:password@ (SMS gateways take their key in the query string)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(an address that cannot be read)"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}{parts.path}"


def allowed_hosts(text: str) -> frozenset[str]:
    """RAWBANK_WEBHOOK_ALLOW_HOSTS as a set of `host` and `host:port` entries."""
    return frozenset(part.strip().lower() for part in text.split(",") if part.strip())


def _parts(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(NOT_HTTP)
    if parts.username is not None or parts.password is not None:
        raise Refused(HAS_CREDENTIALS)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused(NOT_HTTP) from None
    return parts.scheme, parts.hostname.lower(), port


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    try:
        return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except (socket.gaierror, UnicodeError):
        return []


def check(url: str, allow: frozenset[str]) -> str | None:
    """The checked address to connect to (None if the host does not resolve); Refused if not allowed.

    Every address the host resolves to must be public, unless the host is in `allow`.
    """
    _, host, port = _parts(url)
    addresses = _resolve(host, port)
    if host in allow or f"{host}:{port}" in allow:
        return addresses[0] if addresses else None
    if not addresses:
        return None
    if not all(is_public(address) for address in addresses):
        raise Refused(NOT_PUBLIC)
    return addresses[0]


class _Pinned(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the host name resolves to now."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict, *, allow: frozenset[str] | None) -> str:
    """POST JSON to `url` and return 'HTTP <status>'; SendFailed for anything but a 2xx answer.

    With `allow` (webhooks) the address is checked first; None means a URL the operator set
    (an SMS gateway), which may be internal.
    """
    try:
        scheme, host, port = _parts(url)
        address = next(iter(_resolve(host, port)), None) if allow is None else check(url, allow)
    except Refused as exc:
        raise SendFailed(f"refused: {exc.reason}") from None
    if address is None:
        raise SendFailed(f"host not found: {host}")
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = (_PinnedTLS if scheme == "https" else _Pinned)(host, port, address, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", target, body=body, headers={"Content-Type": "application/json", **headers})
        status = connection.getresponse().status
    except socket.timeout:
        raise SendFailed("timed out") from None
    except ssl.SSLError:
        raise SendFailed("TLS handshake or certificate failed") from None
    except (OSError, http.client.HTTPException):
        raise SendFailed("could not connect or no valid HTTP answer") from None
    except ValueError:  # a header HTTP cannot carry; its own text may quote what it could not write
        raise SendFailed("the request could not be written (a header HTTP cannot carry)") from None
    finally:
        connection.close()
    if 300 <= status < 400:
        raise SendFailed(f"HTTP {status} from {shown(url)} (redirects are not followed)")
    if not 200 <= status < 300:
        raise SendFailed(f"HTTP {status} from {shown(url)}")
    return f"HTTP {status}"
