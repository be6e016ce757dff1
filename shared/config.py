"""Configuration read from environment variables, with defaults for embedded mode."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from typing import Mapping

from shared.i18n import N_, in_both

EMBEDDED_JWT_SECRET = "rawbank-embedded-dev-secret-do-not-use-in-production"
MAKE_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
INVALID = N_("{name}={value} is not valid: {error}")
NO_SECRET = N_("RAWBANK_JWT_SECRET must be set when MONGO_URI points at a real MongoDB: make one with {make} and "
               "give every service the same.")
SHORT_SECRET = N_("RAWBANK_JWT_SECRET must be at least 32 characters long: make one with {make}.")
OUT_OF_RANGE = N_("{name}={value} is not valid: give a whole number from {least} to {most}.")
TOO_SMALL = N_("{name}={value} is not valid: give a whole number of {least} or more.")
BAD_PROXIES = N_("RAWBANK_TRUSTED_PROXIES is not valid: {error}. Give addresses or networks separated by commas, "
                 "e.g. 10.0.0.0/8,192.168.1.5.")
#: the built-in secret is known to everyone: fine on this machine only (`rawbank dev --memory`)
OPEN_BEYOND = N_("Serving on {host} opens rawbank beyond this machine, which needs a token secret of its own: set "
                 "RAWBANK_JWT_SECRET, or run with a data directory (not --memory), where one is generated.")


class SettingError(ValueError):
    """What a command refuses to run with (a setting, a place, an argument), said in English and Hindi (exit code 2)."""

    def __init__(self, en: str, hi: str):
        super().__init__(en)
        self.en, self.hi = en, hi

    @classmethod
    def said(cls, text: str, /, **params) -> "SettingError":
        """One from a catalog text (marked with N_), in English and Hindi."""
        return cls(*in_both(text, **params))


def _env(name: str, default, cast=str, *, doc: str, least: int | None = None, most: int | None = None):
    """A setting read from `name`; a number may be bounded (`least`, `most`): outside them it is refused."""
    return field(default=default, metadata={"env": name, "cast": cast, "doc": doc, "least": least, "most": most})


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Config:
    """Every setting rawbank reads; the only place that looks at the environment."""

    kafka_bootstrap_servers: str = _env(
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", doc=N_("Kafka brokers, host:port[,host:port]"))
    kafka_topic_partitions: int = _env(
        "KAFKA_TOPIC_PARTITIONS", 3, int, least=1, doc=N_("partitions for topics rawbank creates"))
    kafka_replication_factor: int = _env(
        "KAFKA_REPLICATION_FACTOR", 1, int, least=1, doc=N_("replication factor for topics rawbank creates"))
    kafka_max_poll_interval_ms: int = _env(
        "KAFKA_MAX_POLL_INTERVAL_MS", 10000, int, least=6000,
        doc=N_("consumer max poll interval (also the rebalance timeout); 6000 or more, as Apache Kafka refuses a "
               "group session shorter than its group.min.session.timeout.ms, 6000 by default"))
    kafka_request_timeout_ms: int = _env(
        "KAFKA_REQUEST_TIMEOUT_MS", 5000, int, least=1,
        doc=N_("timeout of one broker request, readiness checks included"))
    kafka_linger_ms: int = _env(
        "KAFKA_LINGER_MS", 0, int, least=0,
        doc=N_("how long the producer waits to batch events before sending (0: at once; the relay already sends "
               "a document's events together and waits for their ack, so waiting longer only adds latency)"))
    kafka_fetch_max_wait_ms: int = _env(
        "KAFKA_FETCH_MAX_WAIT_MS", 100, int, least=0,
        doc=N_("longest a broker holds a consumer's fetch when it has nothing new (Apache Kafka and Tansu answer at "
               "once when an event arrives; this only bounds idle round trips, so keep it at or under 500)"))
    mongo_uri: str = _env(
        "MONGO_URI", "mongomock://localhost",
        doc=N_("mongodb://... for MongoDB, mongomock://... for the in-process store"))
    data_dir: str = _env(
        "RAWBANK_DATA_DIR", "",
        doc=N_("data directory of the single-machine runtime (`rawbank` commands: default ./var)"))
    jwt_secret: str = _env(
        "RAWBANK_JWT_SECRET", EMBEDDED_JWT_SECRET, doc=N_("HS256 secret for access tokens"))
    jwt_ttl_seconds: int = _env(
        "RAWBANK_JWT_TTL_SECONDS", 3600, int, least=1, doc=N_("lifetime of an access token"))
    trusted_proxies: str = _env(
        "RAWBANK_TRUSTED_PROXIES", "",
        doc=N_("reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the caller"))
    host: str = _env("RAWBANK_HOST", "127.0.0.1", doc=N_("address the HTTP API binds to"))
    port: int = _env(
        "RAWBANK_PORT", 0, int, least=0, most=65535, doc=N_("port of the HTTP API (0: the service's default)"))
    consumer_max_retries: int = _env(
        "RAWBANK_CONSUMER_MAX_RETRIES", 5, int, least=1, doc=N_("attempts at one event before it goes to the DLQ"))
    consumer_backoff_ms: int = _env(
        "RAWBANK_CONSUMER_BACKOFF_MS", 100, int, least=0, doc=N_("first retry delay; doubles each attempt"))
    relay_interval_ms: int = _env(
        "RAWBANK_RELAY_INTERVAL_MS", 100, int, least=1,
        doc=N_("how often the outbox relay looks for new events when idle"))
    relay_lease_seconds: int = _env(
        "RAWBANK_RELAY_LEASE_SECONDS", 30, int, least=1, doc=N_("how long a relay owns a document it is publishing"))
    relay_retention_days: int = _env(
        "RAWBANK_RELAY_RETENTION_DAYS", 7, int, least=0,
        doc=N_("days a relay keeps what it published, to publish it again to a broker that lost it (0: keep nothing)"))
    seed_demo: bool = _env("RAWBANK_SEED_DEMO", False, _bool, doc=N_("seed demo users and data at start (dev only)"))
    log_level: str = _env("RAWBANK_LOG_LEVEL", "INFO", doc=N_("logging level"))
    inventory_count_tolerance_percent: int = _env(
        "RAWBANK_COUNT_TOLERANCE_PERCENT", 2, int, least=0,
        doc=N_("a stock count line differing from the books by more than this share raises an alert"))
    notifier_escalate_after_seconds: int = _env(
        "RAWBANK_NOTIFIER_ESCALATE_AFTER_SECONDS", 1800, int, least=0,
        doc=N_("an open alert not acknowledged this long is escalated to the district's admins"))
    notifier_waitlist_max: int = _env(
        "RAWBANK_NOTIFIER_WAITLIST_MAX", 5, int, least=0,
        doc=N_("alert when more than this many requisitions wait for one material at a depot"))
    notifier_waitlist_max_age_seconds: int = _env(
        "RAWBANK_NOTIFIER_WAITLIST_MAX_AGE_SECONDS", 172800, int, least=0,
        doc=N_("alert when a requisition has waited longer than this for a material"))
    notifier_delivery_max_attempts: int = _env(
        "RAWBANK_NOTIFIER_DELIVERY_MAX_ATTEMPTS", 6, int, least=1,
        doc=N_("attempts at one webhook, e-mail or SMS delivery before it is marked failed"))
    notifier_delivery_backoff_ms: int = _env(
        "RAWBANK_NOTIFIER_DELIVERY_BACKOFF_MS", 2000, int, least=0,
        doc=N_("first delivery retry delay; doubles each attempt"))
    notifier_dispatch_interval_ms: int = _env(
        "RAWBANK_NOTIFIER_DISPATCH_INTERVAL_MS", 200, int, least=1,
        doc=N_("how often the notifier looks for due deliveries"))
    notifier_digest_hour_utc: int = _env(
        "RAWBANK_NOTIFIER_DIGEST_HOUR_UTC", 2, int, least=0, most=24,
        doc=N_("hour (UTC) after which each admin's daily digest is sent (24: never)"))
    notifier_reminder_days_before: int = _env(
        "RAWBANK_NOTIFIER_REMINDER_DAYS_BEFORE", 3, int, least=0,
        doc=N_("remind an artisan this many days before a payment is due"))
    notifier_reminder_from_hour: int = _env(
        "RAWBANK_NOTIFIER_REMINDER_FROM_HOUR", 9, int, least=0, most=23,
        doc=N_("hour of the day in India (IST) from which payment reminders are sent; one falling due at night "
               "waits for it"))
    notifier_reminder_until_hour: int = _env(
        "RAWBANK_NOTIFIER_REMINDER_UNTIL_HOUR", 19, int, least=0, most=24,
        doc=N_("hour of the day in India (IST) at which sending payment reminders stops until the next day (the "
               "same as the from-hour: at any hour)"))
    notifier_overdue_alert_paise: int = _env(
        "RAWBANK_NOTIFIER_OVERDUE_ALERT_PAISE", 500000, int, least=0,
        doc=N_("alert admins when an artisan's overdue dues pass this many paise (500000: Rs 5,000)"))
    smtp_host: str = _env("RAWBANK_SMTP_HOST", "", doc=N_("SMTP server for e-mail (empty: e-mail is not sent)"))
    smtp_port: int = _env("RAWBANK_SMTP_PORT", 25, int, least=1, most=65535, doc=N_("SMTP server port"))
    smtp_sender: str = _env("RAWBANK_SMTP_SENDER", "rawbank@localhost", doc=N_("From address of e-mail"))
    smtp_username: str = _env("RAWBANK_SMTP_USERNAME", "", doc=N_("SMTP login (empty: no login)"))
    smtp_password: str = _env("RAWBANK_SMTP_PASSWORD", "", doc=N_("SMTP password"))
    smtp_starttls: bool = _env("RAWBANK_SMTP_STARTTLS", False, _bool, doc=N_("upgrade SMTP with STARTTLS"))
    webhook_allow_hosts: str = _env(
        "RAWBANK_WEBHOOK_ALLOW_HOSTS", "",
        doc=N_("hosts (host or host:port, comma-separated) webhooks may reach although not public, "
               "e.g. an intranet receiver"))
    sms_gateway_url: str = _env(
        "RAWBANK_SMS_GATEWAY_URL", "", doc=N_("HTTP SMS gateway taking POST {to, text} with an Idempotency-Key header, the same on each attempt "
               "at one text (empty: SMS is not sent)"))
    sms_gateway_token: str = _env("RAWBANK_SMS_GATEWAY_TOKEN", "", doc=N_("bearer token for the SMS gateway"))
    sms_inbound_secret: str = _env(
        "RAWBANK_SMS_INBOUND_SECRET", "",
        doc=N_("HMAC secret the SMS gateway signs its callbacks to POST /api/v1/sms/inbound with (empty: refused)"))
    public_cache_seconds: int = _env(
        "RAWBANK_PUBLIC_CACHE_SECONDS", 30, int, least=0, doc=N_("how long public availability is served from cache"))
    inventory_url: str = _env(
        "RAWBANK_INVENTORY_URL", "http://127.0.0.1:8001",
        doc=N_("public base URL of the inventory service (pages link to it)"))
    requests_url: str = _env(
        "RAWBANK_REQUESTS_URL", "http://127.0.0.1:8002",
        doc=N_("public base URL of the requests service (login page; the notifier's e-mails link to its pages)"))
    notifier_url: str = _env(
        "RAWBANK_NOTIFIER_URL", "http://127.0.0.1:8003",
        doc=N_("public base URL of the notifier service (alert board; admins' alert e-mails link to it)"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Config":
        """Build a Config from an environment mapping (os.environ by default)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is not None and raw != "":
                try:
                    values[f.name] = f.metadata["cast"](raw)
                except ValueError as exc:
                    raise SettingError.said(INVALID, name=f.metadata["env"], value=repr(raw), error=exc) from None
                _in_bounds(f, raw, values[f.name])
        values.update(overrides)
        return cls(**values)

    @property
    def embedded(self) -> bool:
        return self.mongo_uri.startswith("mongomock://")

    @property
    def proxy_networks(self) -> tuple:
        """RAWBANK_TRUSTED_PROXIES as networks; ValueError if a part is neither an address nor a network."""
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in self.trusted_proxies.split(",") if part.strip())

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)

    def check(self) -> None:
        """Refuse settings that must never reach production."""
        if not self.embedded and self.jwt_secret == EMBEDDED_JWT_SECRET:
            raise SettingError.said(NO_SECRET, make=MAKE_SECRET)
        if len(self.jwt_secret) < 32:
            raise SettingError.said(SHORT_SECRET, make=MAKE_SECRET)
        try:
            self.proxy_networks  # parsing them is the check
        except ValueError as exc:
            raise SettingError.said(BAD_PROXIES, error=exc) from None
        if self.jwt_secret == EMBEDDED_JWT_SECRET and not is_loopback(self.host):
            raise SettingError.said(OPEN_BEYOND, host=self.host)


def _in_bounds(setting, raw: str, value) -> None:
    """Refuse a number outside its setting's bounds (a token living 0 seconds, a port of 70000, ...)."""
    least, most = setting.metadata["least"], setting.metadata["most"]
    if (least is not None and value < least) or (most is not None and value > most):
        text = TOO_SMALL if most is None else OUT_OF_RANGE
        raise SettingError.said(text, name=setting.metadata["env"], value=repr(raw), least=least, most=most)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


#: tests and development only (docs/architecture.md): let `rawbank serve` and `rawbank worker` run on the in-process
#: store, each process with its own; not a setting (`rawbank env`, docker-compose.yml), and no refusal names it
ALLOW_EMBEDDED_SERVE = "RAWBANK_ALLOW_EMBEDDED_SERVE"


def allows_embedded_serve(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment (os.environ by default) sets RAWBANK_ALLOW_EMBEDDED_SERVE (1, true, yes, on)."""
    return _bool((os.environ if environ is None else environ).get(ALLOW_EMBEDDED_SERVE, ""))


def is_set(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment (os.environ by default) gives the setting `name` a value: its default was not asked
    for (e.g. KAFKA_BOOTSTRAP_SERVERS, whose default 9092 on one machine is a guess)."""
    return bool((os.environ if environ is None else environ).get(name))


def environment_variables() -> dict[str, str]:
    """Map each environment variable rawbank reads to what it means."""
    return {f.metadata["env"]: f.metadata["doc"] for f in fields(Config)}
