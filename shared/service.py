"""What a service declares about itself, and the store and broker handles it runs with."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from shared.config import Config
from shared.durable_store import open_store
from shared.kafka import BrokerProbe
from shared.mongo import connect, ensure_indexes


@dataclass(frozen=True)
class ServiceSpec:
    """A service's parts: its API blueprints, indexes, events in and out, demo data."""

    name: str
    default_port: int
    blueprints: tuple = ()
    indexes: dict = field(default_factory=dict)
    publishes: str | None = None
    outbox_collections: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()
    make_handler: Callable | None = None  # (db, config) -> Handler
    seed: Callable | None = None  # (db, config) -> None
    consumes_raw: tuple[str, ...] = ()  # topics read undecoded, e.g. dead-letter topics
    make_raw_handler: Callable | None = None  # (db, config) -> RawHandler
    background: tuple = ()  # ((part name, make(db, config) -> run(stop)), ...) more worker loops
    pages: tuple = ()  # Flask blueprints of the service's server-rendered pages (shared/pages.py)
    http_threads: int = 8  # threads of the one gunicorn worker of the single-machine runtime

    @property
    def group_id(self) -> str:
        return f"rawbank-{self.name}"

    def port(self, config: Config) -> int:
        return config.port or self.default_port


class Runtime:
    """The store client, database and broker probe of one service in one process."""

    def __init__(self, spec: ServiceSpec, config: Config, client=None):
        config.check()
        self.spec = spec
        self.config = config
        self.stopping = threading.Event()  # the process is stopping: long requests (live streams) end
        self.store = open_store(config, spec.name) if client is None else None
        self.client = client if client is not None else (self.store.client if self.store else connect(config.mongo_uri))
        self.db = self.client[f"rawbank_{spec.name}"]
        self.probe = BrokerProbe(config, f"{spec.name}-readiness")
        ensure_indexes(self.db, spec.indexes)

    def sync(self) -> None:
        """Return once this thread's writes are on disk (a no-op unless the embedded store is durable)."""
        if self.store is not None:
            self.store.sync()

    def close(self) -> None:
        self.probe.close()
        self.client.close()
        if self.store is not None:
            self.store.close()
