"""The one polling loop behind every background part that is not a Kafka consumer."""
from __future__ import annotations

import logging
import threading
from typing import Callable

from shared.wakeup import Wakeup

log = logging.getLogger(__name__)


def poll_until_stopped(stop: threading.Event, step: Callable[[], int], *, interval: float, name: str,
                       wake: Wakeup | None = None) -> None:
    """Call `step` again at once while it finds work, else after `interval` or the next write `wake` counts
    (a write that lands while `step` runs is not missed: the count is taken before); survive its errors."""
    while not stop.is_set():
        seen = wake.seen() if wake is not None else 0
        try:
            if step():
                continue
        except Exception:
            log.exception("%s failed; retrying", name)
            stop.wait(1.0)
        if wake is None:
            stop.wait(interval)
        else:
            wake.wait(seen, interval)  # a stop is seen within `interval`
