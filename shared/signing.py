"""HMAC signatures of HTTP callbacks (our webhooks, an SMS gateway's callbacks) and members' short codes."""
from __future__ import annotations

import hashlib
import hmac

CODE_DIGITS = 6


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature of a callback: hex HMAC-SHA256 of '<timestamp>.<body>'."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Whether `signature` ('sha256=<hex>') is the callback's; compared in constant time."""
    expected = "sha256=" + sign(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), signature.encode())


def share_code(secret: str, requisition_id: str, artisan_id: str, nonce: int) -> str:
    """The short code a member confirms their share with: derived, never stored or sent in an event.

    Requests (which checks it) and the notifier (which sends it by SMS) derive the same code from
    the secret both hold; a new nonce makes a new code, and the old one stops matching.
    """
    digest = hmac.new(secret.encode(), f"share-code|{requisition_id}|{artisan_id}|{nonce}".encode(),
                      hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS).zfill(CODE_DIGITS)
