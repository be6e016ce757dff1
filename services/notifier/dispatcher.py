"""The notifier's background loop: fan out, deliver with retries, escalate, check waiting lists, digest."""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone

from services.notifier import (alerts, deliveries, domain, dues, handlers, messages, projections, shares, subscribers,
                               texts)
from services.notifier.channels import DeliveryFailed, NothingToSend, make_channels
from shared.calendar import IST, instants
from shared.loops import poll_until_stopped
from shared.mongo import sync_writes

log = logging.getLogger(__name__)
PERIODIC_SECONDS = 5.0  # escalation, waiting-list age and digest checks
DUES_SECONDS = 600.0  # reminders and overdue accounts go by the day: looking every ten minutes is plenty


class Dispatcher:
    """Delivers stored deliveries; all its state lives in the store, so a restart loses nothing."""

    def __init__(self, db, config, channels=None):
        self.db = db
        self.config = config
        self.channels = channels or make_channels(db, config)
        self.interval = config.notifier_dispatch_interval_ms / 1000
        self._next_periodic = 0.0
        self._next_dues = 0.0

    def deliver_one(self, now: datetime) -> bool:
        """Attempt the next due delivery; False if none is due."""
        delivery = deliveries.claim(self.db, now, self.config.notifier_delivery_max_attempts)
        if delivery is None:
            return False
        sync_writes(self.db)  # the claim (and what the message tells) is on disk before anything is sent
        try:
            message = messages.compose(self.db, delivery, now, self.config.jwt_secret, config=self.config)
            info = self.channels[delivery["channel"]].send(message)
        except NothingToSend as exc:
            deliveries.skipped(self.db, delivery, now, str(exc))
        except DeliveryFailed as exc:
            self._failed(delivery, str(exc))
        except Exception as exc:  # unforeseen (a bug, a library's own error): still an attempt, so retries end
            log.exception("delivery %s attempt %d raised", delivery["_id"], delivery["attempts"])
            self._failed(delivery, f"{type(exc).__name__}: {exc}")
        else:
            deliveries.succeeded(self.db, delivery, datetime.now(timezone.utc), info)
        return True

    def _failed(self, delivery: dict, error: str) -> None:
        status = deliveries.failed(self.db, delivery, datetime.now(timezone.utc), error,
                                   max_attempts=self.config.notifier_delivery_max_attempts,
                                   backoff_ms=self.config.notifier_delivery_backoff_ms)
        log.warning("delivery %s attempt %d failed (%s): %s", delivery["_id"], delivery["attempts"], status, error)

    def periodic(self, now: datetime) -> None:
        """Escalate overdue alerts, raise waiting-list age alerts, queue the daily digest."""
        alerts.escalate_overdue(self.db, now=now, after_seconds=self.config.notifier_escalate_after_seconds)
        for depot, sku in projections.waiting_lists(self.db):
            handlers.check_waitlist(self.db, self.config, depot, sku, cause=None, now=now, resolve=False)
        queue_digests(self.db, now, self.config.notifier_digest_hour_utc)
        shares.check_unconfirmed(self.db, now)
        if time.monotonic() >= self._next_dues:
            self._next_dues = time.monotonic() + DUES_SECONDS
            dues.check(self.db, self.config, now)

    def run_once(self, now: datetime | None = None) -> int:
        """One pass: expand fan-out, then deliver what is due; return how much work was done."""
        now = now or datetime.now(timezone.utc)
        if time.monotonic() >= self._next_periodic:
            self._next_periodic = time.monotonic() + PERIODIC_SECONDS
            self.periodic(now)
        work = deliveries.expand(self.db, now)
        for _ in range(50):
            if not self.deliver_one(datetime.now(timezone.utc)):
                break
            work += 1
        return work

    def run(self, stop: threading.Event) -> None:
        poll_until_stopped(stop, self.run_once, interval=self.interval, name="notifier dispatcher")


def make_dispatcher(db, config):
    """The worker's background part: (db, config) -> run(stop)."""
    return Dispatcher(db, config).run


def queue_digests(db, now: datetime, hour_utc: int) -> int:
    """Queue yesterday's digest e-mail for every admin contact, once per day; India's day, as the board counts."""
    day = domain.digest_day(now, hour_utc, IST)
    if day is None or db.digests.find_one({"_id": day}):
        return 0
    start, end = instants(day, day)
    found = {"opened": alerts.between(db, "first_seen", start, end),
             "escalated": alerts.between(db, "escalated_at", start, end),
             "resolved": alerts.between(db, "resolved.at", start, end)}
    every = [a for docs in found.values() for a in docs]
    materials = projections.materials(db, [a["sku"] for a in every if a.get("sku")])
    depots = projections.depots(db, [a["depot"] for a in every if a.get("depot")])
    queued = 0
    for contact in subscribers.contacts(db):
        if not contact.get("email"):
            continue
        lang = contact.get("language") or "en"
        sections = {key: [texts.alert_headline(a, materials, depots, lang) for a in docs
                          if subscribers.covers(contact.get("districts", []), a.get("district"))]
                    for key, docs in found.items()}
        subject, text = texts.digest(day, sections, lang)
        queued += deliveries.add(db, deliveries.new(
            f"digest:{day}:{contact['_id']}", "email", contact["_id"], domain.DIGEST,
            {"collection": "digests", "id": day, "at": now}, now, {"subject": subject, "text": text}))
    db.digests.update_one({"_id": day}, {"$set": {"queued_at": now, "queued": queued}}, upsert=True)
    return queued
