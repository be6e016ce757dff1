"""The three services in this process, their events carried from each outbox to every consumer by hand.

`flush` does what the relays and consumers do between the services (publish each outbox event,
hand it to every service that reads its topic, pull it from the outbox), in order, until nothing
is left; the broker and relay themselves are tested on a real broker elsewhere.
"""
from __future__ import annotations

import pytest

from services import inventory, notifier, requests as requests_service
from shared.envelope import decode_event
from shared.runtime import Runtime

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
COTTON = "YRN-COT-40"


class Bank:
    def __init__(self, config, token):
        self.config, self.token = config, token
        self.specs = {name: package.spec() for name, package in PACKAGES.items()}
        self.apps = {name: PACKAGES[name].create_app(config, Runtime(spec, config)) for name, spec in self.specs.items()}
        self.db = {name: app.extensions["rawbank"].db for name, app in self.apps.items()}
        self.http = {name: app.test_client() for name, app in self.apps.items()}
        self.handlers = {name: spec.make_handler(self.db[name], config) for name, spec in self.specs.items()}

    def call(self, service, method, path, as_=None, json=None, status=None, **headers):
        response = self.http[service].open(f"/api/v1{path}", method=method, json=json,
                                           headers={**(as_ or self.admin), **headers})
        if status is not None:
            assert response.status_code == status, (path, response.status_code, response.get_json())
        return response

    @property
    def admin(self):
        return self.token("admin", sub="asha-admin")

    def flush(self, rounds: int = 50) -> int:
        """Carry every outbox event to its readers until the outboxes are empty; how many were carried."""
        carried = 0
        for _ in range(rounds):
            moved = 0
            for name, spec in self.specs.items():
                for collection in spec.outbox_collections:
                    for doc in list(self.db[name][collection].find({"outbox.0": {"$exists": True}})):
                        for raw in doc["outbox"]:
                            event = decode_event(raw)
                            for reader, other in self.specs.items():
                                if spec.publishes in other.consumes:
                                    self.handlers[reader](event)
                            self.db[name][collection].update_one({"_id": doc["_id"]},
                                                                 {"$pull": {"outbox": {"event_id": raw["event_id"]}}})
                            moved += 1
            carried += moved
            if not moved:
                return carried
        raise AssertionError("the outboxes never emptied")

    def close(self):
        for app in self.apps.values():
            app.extensions["rawbank"].close()


@pytest.fixture
def bank(config, token):
    made = Bank(config, token)
    yield made
    made.close()
