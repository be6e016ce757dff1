"""The worker's watch over time: orders past their expected date, lots nearing or past expiry, holds they uncover."""
from __future__ import annotations

from services.inventory import expired_holds, lots, purchase_orders
from services.inventory.reservations import Reservations
from shared.loops import poll_until_stopped

WATCH_SECONDS = 60.0


def step(db, reservations: Reservations | None = None) -> int:
    """One look: raise what fell due since the last, then send back to the waitlist what expiry left uncovered."""
    moved = purchase_orders.raise_overdue(db) + lots.raise_due(db)
    return moved + expired_holds.give_way(db, reservations or Reservations(db))


def make_watcher(db, config):
    """A background part of the worker (ServiceSpec.background): `step` every WATCH_SECONDS."""
    def run(stop) -> None:
        poll_until_stopped(stop, lambda: step(db), interval=WATCH_SECONDS, name="inventory watch")
    return run
