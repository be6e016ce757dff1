"""Delivery channels behind one interface: in-app, webhook, e-mail over SMTP, SMS through an HTTP gateway."""
from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.header import Header
from email.mime.text import MIMEText
from typing import Protocol

from services.notifier import outbound
from services.notifier.outbound import TIMEOUT_SECONDS


@dataclass(frozen=True)
class Outgoing:
    """One message ready for a channel: the address and what to say."""

    to: str
    subject: str = ""
    text: str = ""
    body: bytes = b""
    headers: dict = field(default_factory=dict)


class DeliveryFailed(Exception):
    """This attempt failed; the dispatcher retries later with backoff."""


class NothingToSend(Exception):
    """There is no address or the channel is switched off; the delivery is skipped, not retried."""


class Channel(Protocol):
    def send(self, message: Outgoing) -> str:
        """Deliver or raise DeliveryFailed; return a short note for the delivery log."""


class InAppChannel:
    """The artisan's inbox: marks the stored notification as delivered to the app."""

    def __init__(self, db):
        self.db = db

    def send(self, message: Outgoing) -> str:
        self.db.notifications.update_one({"_id": message.to, "delivered_at": {"$exists": False}},
                                         {"$set": {"delivered_at": datetime.now(timezone.utc)}})
        return "in inbox"


def _post(url: str, body: bytes, headers: dict, allow: frozenset[str] | None) -> str:
    try:
        return outbound.post(url, body, headers, allow=allow)
    except outbound.SendFailed as exc:
        raise DeliveryFailed(str(exc)) from None


class WebhookChannel:
    """POSTs the signed JSON body to a public address (checked again now); anything but 2xx is a failed attempt."""

    def __init__(self, config):
        self.allow = outbound.allowed_hosts(config.webhook_allow_hosts)

    def send(self, message: Outgoing) -> str:
        return _post(message.to, message.body, message.headers, self.allow)


class EmailChannel:
    """Plain-text UTF-8 e-mail through the configured SMTP server."""

    def __init__(self, config):
        self.config = config

    def send(self, message: Outgoing) -> str:
        if not self.config.smtp_host:
            raise NothingToSend("e-mail is not configured (RAWBANK_SMTP_HOST)")
        # MIMEText and Header, not EmailMessage: its header folding drops the space between
        # two encoded words, which runs Hindi words of a subject together.
        mail = MIMEText(message.text, "plain", "utf-8")
        mail["From"] = self.config.smtp_sender
        mail["To"] = message.to
        mail["Subject"] = Header(message.subject, "utf-8")
        try:
            with smtplib.SMTP(self.config.smtp_host, self.config.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
                if self.config.smtp_starttls:
                    smtp.starttls()
                if self.config.smtp_username:
                    smtp.login(self.config.smtp_username, self.config.smtp_password)
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"SMTP: {exc}") from None
        return "accepted by SMTP server"


class SmsChannel:
    """SMS through an HTTP gateway that takes POST {"to", "text"}, with the delivery's `Idempotency-Key` header."""

    def __init__(self, config):
        self.config = config

    def send(self, message: Outgoing) -> str:
        if not self.config.sms_gateway_url:
            raise NothingToSend("SMS is not configured (RAWBANK_SMS_GATEWAY_URL)")
        headers = {**message.headers, **({"Authorization": f"Bearer {self.config.sms_gateway_token}"}
                                         if self.config.sms_gateway_token else {})}
        body = json.dumps({"to": message.to, "text": message.text}, ensure_ascii=False).encode()
        return _post(self.config.sms_gateway_url, body, headers, None)  # the operator's own gateway


def make_channels(db, config) -> dict[str, Channel]:
    return {"in_app": InAppChannel(db), "webhook": WebhookChannel(config), "email": EmailChannel(config),
            "sms": SmsChannel(config)}
