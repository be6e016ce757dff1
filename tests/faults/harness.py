"""The three services in this process on a real broker, with workers that can crash.

Why in-process: the embedded store lives in process memory, so a worker in another process
could not share the API's store. Production is the other way round: the store (MongoDB)
outlives a worker that dies. Here each service's API and store live for the whole test, and
its *worker* (consumer, relay, background loops) is the real `shared.worker.Worker`, started
over a store handle with a kill switch. When the switch trips, the worker's next store call
raises `Crashed` (a SystemExit, so no `except Exception` in our code catches it): the worker
stops between two atomic store operations, exactly where a killed process can stop. Nothing
after that point happens: no offset commit for the message in hand, no outbox `$pull`, no
lease given back. A new Worker over the same store then picks up, as a restarted process would.

One limit, found here: a consumer killed *while it joins its group* (before its first
assignment) leaves the embedded broker's (Tansu's) group unable to rebalance for minutes
(no new member gets partitions after three such kills in a row). So the killer waits until
a worker's consumer has its partitions before it may die; Apache Kafka expires such members
after the session timeout.

Each stack uses its own topics (and so its own dead-letter topics) and consumer groups.
"""
from __future__ import annotations

import dataclasses
import functools
import random
import threading
import uuid

from services import inventory, notifier, requests as requests_service
from services.inventory import consumer as inventory_consumer
from shared.auth import issue_token
from shared.kafka import ensure_topics
from shared.embedded_store import Locked
from shared.runtime import Runtime
from shared.worker import Worker

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}


class Crashed(SystemExit):
    """Raised in a killed worker's threads: each ends where it stands, like a killed process."""


class KillSwitch:
    """Trips now (`kill`) or at the n-th store call from now (`arm`)."""

    def __init__(self):
        self.killed = threading.Event()
        self.calls = 0
        self.countdown: int | None = None
        self.tripped_mid_work = False
        self._lock = threading.Lock()

    def arm(self, calls: int) -> None:
        with self._lock:
            self.countdown = self.calls + calls

    def kill(self) -> None:
        self.killed.set()

    def tick(self) -> None:
        if self.killed.is_set():
            raise Crashed()
        with self._lock:
            self.calls += 1
            if self.countdown is not None and self.calls >= self.countdown:
                self.tripped_mid_work = True
                self.killed.set()
        if self.killed.is_set():
            raise Crashed()


class Killable:
    """A store handle (database or collection) whose every call first asks the kill switch."""

    def __init__(self, target, switch: KillSwitch):
        self._target, self._switch = target, switch

    def _wrap(self, value):
        return Killable(value, self._switch) if isinstance(value, Locked) else value

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if callable(value) and not isinstance(value, Locked):
            @functools.wraps(value)
            def call(*args, **kwargs):
                self._switch.tick()
                return self._wrap(value(*args, **kwargs))
            return call
        return self._wrap(value)

    def __getitem__(self, key):
        return self._wrap(self._target[key])


@dataclasses.dataclass
class WorkerRuntime:
    """What a Worker needs of a Runtime, over the killable handle of the service's store."""

    spec: object
    config: object
    db: Killable

    def sync(self) -> None:
        """The in-process store keeps nothing on disk: nothing to wait for."""


class Service:
    """One service: its Runtime and API for the whole test, and its current worker(s)."""

    def __init__(self, name: str, config, suffix: str, topics: dict[str, str], lease_seconds: float):
        base = PACKAGES[name].spec()
        inv, req = topics["inventory"], topics["requests"]
        rename = {"inventory.events": inv, "requests.events": req}
        changes = {"name": f"{name}-{suffix}", "consumes": tuple(rename[t] for t in base.consumes)}
        if base.publishes:
            changes["publishes"] = rename[base.publishes]
        if base.consumes_raw:
            changes["consumes_raw"] = (f"{inv}.dlq", f"{req}.dlq")
        if name == "inventory":  # shorter reservation leases than production, so crashes settle sooner
            changes["make_handler"] = functools.partial(inventory_consumer.make_handler,
                                                        lease_seconds=lease_seconds)
        self.name = name
        self.spec = dataclasses.replace(base, **changes)
        self.runtime = Runtime(self.spec, config)
        self.http = PACKAGES[name].create_app(config, self.runtime).test_client()
        self.workers: list[tuple[Worker, KillSwitch]] = []
        self.readers: tuple[str, ...] = ()  # the consumer groups of the stack reading what this one publishes
        self.kills = {"mid_work": 0, "idle": 0}

    @property
    def db(self):
        return self.runtime.db

    def start_worker(self) -> tuple[Worker, KillSwitch]:
        switch = KillSwitch()
        worker = Worker(WorkerRuntime(self.spec, self.runtime.config, Killable(self.runtime.db, switch)),
                        readers=self.readers)
        worker.start()
        self.workers.append((worker, switch))
        return worker, switch

    def crash(self, worker: Worker, switch: KillSwitch, timeout: float = 30.0) -> None:
        """Kill now (if the switch has not tripped yet) and wait until every thread has ended."""
        self.kills["mid_work" if switch.tripped_mid_work else "idle"] += 1
        switch.kill()
        worker.stop_event.set()  # loops idling in poll() or a wait end at once too
        for thread in list(worker.threads):
            thread.join(timeout)
        if worker.producer is not None:
            worker.producer.close(timeout=0)
        self.workers.remove((worker, switch))

    def call(self, method: str, path: str, token: str, json=None, expect=(200, 201)):
        response = self.http.open(f"/api/v1{path}", method=method, json=json,
                                  headers={"Authorization": f"Bearer {token}"})
        if expect is not None:
            assert response.status_code in expect, (method, path, response.status_code, response.get_json())
        return response

    def close(self) -> None:
        for worker, _ in list(self.workers):
            worker.stop()
        self.runtime.close()


class Stack:
    """inventory, requests and notifier on their own topics of the test broker."""

    def __init__(self, config, names=("inventory", "requests", "notifier"), lease_seconds: float = 5.0):
        self.suffix = uuid.uuid4().hex[:8]
        self.topics = {"inventory": f"inventory.events.{self.suffix}", "requests": f"requests.events.{self.suffix}"}
        ensure_topics(config, self.topics.values())
        self.config = config
        self.services = {name: Service(name, config, self.suffix, self.topics, lease_seconds) for name in names}
        for service in self.services.values():
            service.readers = tuple(other.spec.group_id for other in self.services.values()
                                    if service.spec.publishes in other.spec.consumes)
        self.admin = issue_token(config.jwt_secret, sub="admin-faults", role="admin")
        self.warehouse = issue_token(config.jwt_secret, sub="warehouse-faults", role="warehouse")

    def __getitem__(self, name: str) -> Service:
        return self.services[name]

    def artisan(self, artisan_id: str) -> str:
        return issue_token(self.config.jwt_secret, sub=f"user-{artisan_id}", role="artisan", artisan_id=artisan_id)

    def close(self) -> None:
        for service in self.services.values():
            service.close()


class Killer(threading.Thread):
    """Kills a random service's worker at random moments and starts a new one, until stopped."""

    def __init__(self, stack: Stack, seed: int, pause=(1.0, 3.0), max_calls: int = 300):
        super().__init__(name="killer", daemon=True)
        self.stack, self.random = stack, random.Random(seed)
        self.pause, self.max_calls = pause, max_calls
        self.done = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            victims: list[str] = []
            while not self.done.wait(self.random.uniform(*self.pause)):
                if not victims:  # every service in turn, in a random order each round
                    victims = self.random.sample(sorted(self.stack.services), len(self.stack.services))
                service = self.stack[victims.pop()]
                worker, switch = service.workers[-1]
                # Only a worker that has joined its group: Tansu keeps a group stuck for minutes
                # when members die during their join (see the module docstring).
                joined = lambda: worker.consumer is not None and worker.consumer.ready.is_set()
                while not joined() and not self.done.wait(0.2):
                    pass
                if self.done.is_set():
                    return
                switch.arm(self.random.randint(1, self.max_calls))  # dies at a random store call
                switch.killed.wait(self.random.uniform(0.5, 2.0))  # or now, if it is idle
                service.crash(worker, switch)
                service.start_worker()
        except BaseException as exc:  # reported by the test, never swallowed
            self.error = exc
