"""The store client, database and broker probe a service runs with in one process."""
from __future__ import annotations

from shared.config import Config
from shared.kafka import BrokerProbe
from shared.mongo import connect, ensure_indexes
from shared.revocation import INDEXES as REVOCATION_INDEXES
from shared.spec import ServiceSpec


def database_name(service: str) -> str:
    return f"rawbank_{service}"


class Runtime:
    """The store client, database and broker probe of one service in one process."""

    def __init__(self, spec: ServiceSpec, config: Config, client=None):
        config.check()
        self.spec = spec
        self.config = config
        self.client = client if client is not None else connect(config.mongo_uri)
        self.db = self.client[database_name(spec.name)]
        self.probe = BrokerProbe(config, f"{spec.name}-readiness")
        ensure_indexes(self.db, {**spec.indexes, **REVOCATION_INDEXES})  # every service keeps the deny-list

    def close(self) -> None:
        self.probe.close()
        self.client.close()
