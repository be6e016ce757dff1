"""How the notifier applies the events it consumes."""
from __future__ import annotations

from services.notifier import events
from shared.envelope import Event


def make_handler(db, config):
    def handle(event: Event) -> None:
        events.record(db, event)
    return handle
