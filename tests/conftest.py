"""Fixtures every layer of tests shares: a real Tansu broker, configs, tokens, bounded waits."""
from __future__ import annotations

import os
import random
import signal
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


# Ports tests give to the servers they start. bind(("127.0.0.1", 0)) hands out ports from the kernel's
# ephemeral range, the same range every outgoing connection (a Kafka client's, an HTTP client's) takes its
# own port from, so between choosing a port and the server binding it another connection could take it; and
# two test processes (make test runs two) could be handed the same one. So ports come from below the ephemeral
# range, each test process (pytest-xdist's gw0, gw1, ...) from its own block, one after another, each checked
# free by binding it.
PORTS_FROM = 20_000
PORT_BLOCKS = 8  # test processes whose blocks never overlap (TEST_JOBS up to 8; more share blocks)


def _ephemeral_low() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as ranges:
            return int(ranges.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def port_block(worker: str | None, ephemeral_low: int | None = None) -> range | None:
    """The ports test process `worker` ("gw0", "gw1", ...; None outside xdist) chooses from; None if the
    ephemeral range leaves too little room below it (then the kernel chooses, as bind to port 0 does)."""
    low = _ephemeral_low() if ephemeral_low is None else ephemeral_low
    size = (low - PORTS_FROM) // PORT_BLOCKS
    if size < 100:
        return None
    index = int(worker[2:]) % PORT_BLOCKS if worker and worker.startswith("gw") and worker[2:].isdigit() else 0
    start = PORTS_FROM + index * size
    return range(start, start + size)


_port_lock = threading.Lock()
_next_port: dict[str, int] = {}


def _bindable(port: int) -> socket.socket | None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        return None
    return sock


def free_ports(count: int) -> list[int]:
    """`count` different ports nothing is bound to now, from this test process's own block below the
    ephemeral range (held together while chosen, so never one twice)."""
    block = port_block(os.environ.get("PYTEST_XDIST_WORKER"))
    sockets = []
    try:
        if block is None:
            for _ in range(count):
                sockets.append(sock := socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                sock.bind(("127.0.0.1", 0))
            return [sock.getsockname()[1] for sock in sockets]
        with _port_lock:
            start = _next_port.get("offset")
            if start is None:  # at random, so two runs sharing a block (two make tests at once) rarely walk in step
                start = random.SystemRandom().randrange(len(block))
            tried = 0
            while len(sockets) < count and tried < len(block):
                if (sock := _bindable(block[(start + tried) % len(block)])) is not None:
                    sockets.append(sock)
                tried += 1
            _next_port["offset"] = (start + tried) % len(block)
        if len(sockets) < count:
            raise RuntimeError(f"no {count} free ports left in {block}")
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    """A port nothing is bound to now, for a broker or a server a test starts."""
    return free_ports(1)[0]


def wait_until(predicate, timeout: float = 15.0, interval: float = 0.05, message="condition"):
    """Poll `predicate` until it returns something truthy; fail the test after `timeout`, saying `message` (a
    callable: what it returns then, e.g. what a process printed by that time)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message() if callable(message) else message}")
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
def own_broker():
    """(process, 'host:port') of a broker of the test's own, to pause with SIGSTOP (pausing the shared one would stall
    other tests); let go and stopped after the test."""
    port = free_port()
    process = start_broker(port)
    wait_for_broker(port, process=process)
    yield process, f"127.0.0.1:{port}"
    os.kill(process.pid, signal.SIGCONT)
    stop_process(process)


@pytest.fixture
def config() -> Config:
    """Embedded settings with short timings, no broker: its address is a port nothing listens on, not the default
    127.0.0.1:9092, where a `make dev` running beside the tests has its broker (a test would publish into it)."""
    return Config.from_env({}, consumer_backoff_ms=10, relay_interval_ms=20,
                           kafka_max_poll_interval_ms=10000, kafka_bootstrap_servers=f"127.0.0.1:{free_port()}")


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


def store_fails_reading(monkeypatch, collection: str, fault) -> None:
    """Every read of `collection` fails with `fault()` (the login's and the page's other reads still answer): the
    store not answering (pymongo's ServerSelectionTimeoutError), or an error of ours it raises (Busy,
    StoreUnavailable), in the middle of a page's read."""
    import mongomock
    for method in ("find", "find_one", "aggregate", "count_documents", "distinct"):
        real = getattr(mongomock.collection.Collection, method)

        def failing(self, *args, _real=real, **kwargs):
            if self.name == collection:
                raise fault()
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(mongomock.collection.Collection, method, failing)


def our_side_faults():
    """(fault, Retry-After, what the page says in English, in Hindi): the failures on our side a page may meet."""
    from pymongo.errors import ServerSelectionTimeoutError

    from shared.errors import Busy, StoreUnavailable
    down = ("The data store is not answering just now.", "डेटा भंडार अभी जवाब नहीं दे रहा है।")
    return [(lambda: ServerSelectionTimeoutError("127.0.0.1:27017: [Errno 111] Connection refused"), "5", *down),
            (lambda: StoreUnavailable(reason="disk full"), "5", *down),
            (Busy, "1", Busy().describe_on_page("en"), Busy().describe_on_page("hi"))]


def is_our_side_page(response, lang: str, retry_after: str, said: str) -> str:
    """The app's page for a failure on our side (503, Retry-After, in `lang`), no form error."""
    page = response.get_data(as_text=True)
    title = {"en": "Not available just now", "hi": "अभी उपलब्ध नहीं"}[lang]
    assert response.status_code == 503 and response.headers.get("Retry-After") == retry_after, \
        (response.status_code, response.headers.get("Retry-After"), page[-1500:])
    assert f"<title>{title} · rawbank</title>" in page and f'<html lang="{lang}">' in page and said in page, page
    assert 'class="notice error"' not in page, page  # no form error, as if the person had typed something wrong
    return page
