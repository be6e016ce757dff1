"""A wake-up for the loops of one process: writers count each write, waiters wake when the count moves.

The outbox relay and the live alert stream wait on it instead of sleeping their whole polling
interval, so an event goes out (and an alert reaches a screen) as soon as it is stored. It only
shortens waits: every waiter still looks on its own after its interval, which keeps it right when
the write happened in another process (production runs the API and the worker apart) or the
wake-up was missed.
"""
from __future__ import annotations

import threading


class Wakeup:
    """A write counter others wait on; any number of waiters, each waking once per change it has not seen."""

    def __init__(self):
        self._changed = threading.Condition(threading.Lock())
        self._count = 0

    def notify(self) -> None:
        """Something was written: wake every waiter."""
        with self._changed:
            self._count += 1
            self._changed.notify_all()

    def seen(self) -> int:
        """The count now; take it before looking, then wait past it."""
        return self._count

    def wait(self, seen: int, timeout: float) -> bool:
        """Wait until a write after `seen` or `timeout` seconds; True if woken by a write."""
        with self._changed:
            return self._changed.wait_for(lambda: self._count != seen, timeout)
