"""The worker's watch over time: orders past their expected date, lots nearing or past expiry."""
from __future__ import annotations

from services.inventory import lots, purchase_orders
from shared.loops import poll_until_stopped

WATCH_SECONDS = 60.0


def step(db) -> int:
    """One look: raise what fell due since the last; how much it raised."""
    return purchase_orders.raise_overdue(db) + lots.raise_due(db)


def make_watcher(db, config):
    """A background part of the worker (ServiceSpec.background): `step` every WATCH_SECONDS."""
    def run(stop) -> None:
        poll_until_stopped(stop, lambda: step(db), interval=WATCH_SECONDS, name="inventory watch")
    return run
