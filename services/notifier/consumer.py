"""How the notifier applies the events it consumes, and the dead letters of the other services."""
from __future__ import annotations

from services.notifier import dead_letters, event_log, handlers
from shared.envelope import Event


def make_handler(db, config):
    """Record every event in the event log (GET /api/v1/events), then apply it by handlers.EVENT_HANDLERS."""
    def handle(event: Event) -> None:
        event_log.record(db, event)
        handlers.apply(db, config, event)  # idempotent on its own, so a recorded duplicate still settles
    return handle


def make_dead_letter_handler(db, config):
    """Keep each dead letter once (for `rawbank dlq`: a broker may lose it); an admin alert per topic and type.

    One open alert per topic and event type while open (handlers.dead_letter)."""
    def handle(message) -> None:
        dead_letters.keep(db, message)
        handlers.dead_letter(db, message)
    return handle
