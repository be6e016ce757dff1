"""The kafka-python adapters let go of what they open, also when the broker does not answer."""
from __future__ import annotations

import threading

import pytest

from shared.config import Config
from shared.kafka import BrokerProbe, Consumer, make_admin
from tests.conftest import free_port, wait_until


def alive(prefix: str) -> list[str]:
    return [thread.name for thread in threading.enumerate() if prefix in thread.name]


def none_left(prefix: str) -> None:
    """Closing takes a moment; fails the test if a thread so named is still there after it."""
    wait_until(lambda: not alive(prefix), 5, message=f"no thread named {prefix} left")


@pytest.fixture
def no_broker() -> Config:
    """Settings that name a port nothing listens on, with a short wait."""
    return Config.from_env({"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}", "KAFKA_REQUEST_TIMEOUT_MS": "500"})


def test_readiness_checks_during_an_outage_leave_no_thread_behind(no_broker):
    probe = BrokerProbe(no_broker, "outage-probe")
    for _ in range(3):  # each /readyz while the broker is away makes a new client
        with pytest.raises(Exception):
            probe.check()
        none_left("outage-probe")
    probe.close()


def test_an_admin_client_the_broker_never_answered_is_closed(no_broker):
    with pytest.raises(Exception):
        make_admin(no_broker, "outage-admin")
    none_left("outage-admin")


def test_a_consumer_the_broker_never_answered_is_closed(no_broker):
    for _ in range(2):  # the consumer loop makes a new one after each failure
        with pytest.raises(Exception):
            Consumer("inventory.events", bootstrap_servers=no_broker.kafka_bootstrap_servers, group_id="outage",
                     client_id="outage-consumer", bootstrap_timeout_ms=500)
        none_left("outage-consumer")
