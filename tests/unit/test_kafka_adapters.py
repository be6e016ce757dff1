"""The kafka-python adapters let go of what they open, also when the broker does not answer."""
from __future__ import annotations

import threading
import time

import pytest

from shared.config import Config
from shared.kafka import BrokerProbe, Consumer, make_admin
from tests.conftest import free_port


def alive(prefix: str) -> list[str]:
    return [thread.name for thread in threading.enumerate() if prefix in thread.name]


def settled(prefix: str, seconds: float = 5.0) -> list[str]:
    """The threads still named so once closing has had time to finish."""
    deadline = time.monotonic() + seconds
    while alive(prefix) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive(prefix)


@pytest.fixture
def no_broker() -> Config:
    """Settings that name a port nothing listens on, with a short wait."""
    return Config.from_env({"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}", "KAFKA_REQUEST_TIMEOUT_MS": "500"})


def test_readiness_checks_during_an_outage_leave_no_thread_behind(no_broker):
    probe = BrokerProbe(no_broker, "outage-probe")
    for _ in range(3):  # each /readyz while the broker is away makes a new client
        with pytest.raises(Exception):
            probe.check()
        assert settled("outage-probe") == []
    probe.close()


def test_an_admin_client_the_broker_never_answered_is_closed(no_broker):
    with pytest.raises(Exception):
        make_admin(no_broker, "outage-admin")
    assert settled("outage-admin") == []


def test_a_consumer_the_broker_never_answered_is_closed(no_broker):
    for _ in range(2):  # the consumer loop makes a new one after each failure
        with pytest.raises(Exception):
            Consumer("inventory.events", bootstrap_servers=no_broker.kafka_bootstrap_servers, group_id="outage",
                     client_id="outage-consumer", bootstrap_timeout_ms=500)
        assert settled("outage-consumer") == []
