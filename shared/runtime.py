"""The store client, database and broker probe a service runs with in one process."""
from __future__ import annotations

import threading

from shared.config import Config
from shared.kafka import BrokerProbe
from shared.mongo import connect, ensure_indexes
from shared.revocation import INDEXES as REVOCATION_INDEXES
from shared.spec import ServiceSpec
from shared.wakeup import Wakeup


def database_name(service: str) -> str:
    return f"rawbank_{service}"


class Runtime:
    """The store client, database and broker probe of one service in one process."""

    def __init__(self, spec: ServiceSpec, config: Config, client=None):
        config.check()
        self.spec = spec
        self.config = config
        self.stopping = threading.Event()  # the process is stopping: long requests (live streams) end
        self.written = Wakeup()  # a request or an applied event wrote: the relay and live streams look at once
        self.store = None
        if client is None and config.embedded and config.data_dir:  # only here: production never loads mongomock
            from shared.datadir import DataDir
            from shared.durable_store import DurableStore
            self.store = DurableStore(DataDir(config.data_dir).store(spec.name))
        self.client = client if client is not None else (self.store.client if self.store else connect(config.mongo_uri))
        self.db = self.client[database_name(spec.name)]
        self.probe = BrokerProbe(config, f"{spec.name}-readiness")
        ensure_indexes(self.db, {**spec.indexes, **REVOCATION_INDEXES})  # every service keeps the deny-list

    def start(self) -> None:
        """Run the service's steps at start (its spec's `at_start`), then have what they wrote on disk."""
        for step in self.spec.at_start:
            step(self.db, self.config)
        self.sync()

    def sync(self) -> None:
        """Return once this thread's writes are on disk (a no-op unless the embedded store is durable)."""
        if self.store is not None:
            self.store.sync()

    def close(self) -> None:
        self.probe.close()
        self.client.close()
        if self.store is not None:
            self.store.close()
