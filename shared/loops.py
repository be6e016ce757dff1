"""The one polling loop behind every background part that is not a Kafka consumer."""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


def poll_until_stopped(stop: threading.Event, step: Callable[[], int], *, interval: float, name: str) -> None:
    """Call `step` again at once while it finds work, else after `interval`; survive its errors."""
    while not stop.is_set():
        try:
            if step():
                continue
        except Exception:
            log.exception("%s failed; retrying", name)
            stop.wait(1.0)
        stop.wait(interval)
