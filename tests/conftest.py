"""Fixtures every layer of tests shares: a real Tansu broker, configs, tokens, bounded waits."""
from __future__ import annotations

import socket
import threading
import time
import uuid

import pytest
from hypothesis import settings

from shared.auth import issue_token
from shared.broker import start_broker, stop_process, wait_for_broker
from shared.config import Config
from shared.wakeup import Wakeup

# Tests never time things (the machines are shared): Hypothesis' 200 ms per example deadline failed a pure
# arithmetic test when a neighbour held the CPU. Examples are still checked, only not timed.
settings.register_profile("rawbank", deadline=None)
settings.load_profile("rawbank")


def free_ports(count: int) -> list[int]:
    """`count` different ports nothing listens on now (held together while chosen, so never one twice)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    """A port nothing listens on now, for a broker or a server a test starts."""
    return free_ports(1)[0]


def wait_until(predicate, timeout: float = 15.0, interval: float = 0.05, message: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


@pytest.fixture(scope="session")
def broker():
    """A real Tansu broker on a free 127.0.0.1 port for the whole run: 'host:port'."""
    port = free_port()
    process = start_broker(port)
    try:
        wait_for_broker(port, process=process)
        yield f"127.0.0.1:{port}"
    finally:
        stop_process(process)


@pytest.fixture
def config() -> Config:
    """Embedded settings with short timings, no broker."""
    return Config.from_env({}, consumer_backoff_ms=10, relay_interval_ms=20,
                           kafka_max_poll_interval_ms=10000)


@pytest.fixture
def broker_config(broker, config) -> Config:
    return config.with_(kafka_bootstrap_servers=broker)


@pytest.fixture
def unique() -> str:
    """A short unique suffix for topic and group names, so tests never share them."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
def token(config):
    """token(role, sub=..., artisan_id=...) -> an 'Authorization' header dict."""
    def make(role: str, sub: str | None = None, **claims) -> dict:
        if role == "artisan":
            claims.setdefault("artisan_id", "ART-0001")
        value = issue_token(config.jwt_secret, sub=sub or f"{role}-user", role=role, **claims)
        return {"Authorization": f"Bearer {value}"}
    return make


class WatchedWakeup(Wakeup):
    """A wake-up that says when someone first waits on it (the loop has looked once and found nothing new)."""

    def __init__(self):
        super().__init__()
        self.waiting = threading.Event()

    def wait(self, seen: int, timeout: float) -> bool:
        self.waiting.set()
        return super().wait(seen, timeout)
