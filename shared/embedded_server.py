"""`rawbank run SERVICE`: the single-machine runtime of one service, served by gunicorn.

One gunicorn worker with threads, because the embedded store lives in that process: it serves
the API, and the service's consumer and outbox relay run beside it as threads. gunicorn restarts
the worker if it dies (it loads the store from disk again). On SIGTERM the worker stops taking
requests, finishes those in flight (live streams end at once), drains (shared/worker.py) and
closes the store; all within gunicorn's graceful timeout.
"""
from __future__ import annotations

import logging

from gunicorn.app.base import BaseApplication
from gunicorn.errors import AppImportError

from shared.broker import die_with_parent
from shared.config import Config, SettingError
from shared.http_server import JsonErrorWorker
from shared.runtime import Runtime
from shared.spec import ServiceSpec
from shared.worker import Worker

log = logging.getLogger(__name__)

GRACEFUL_SECONDS = 30  # in-flight requests, then the drain, must end within this
DRAIN_SECONDS = 15


class EmbeddedWorker(JsonErrorWorker):
    """gunicorn's threaded worker (JSON refusals); on SIGTERM it also tells long requests (live streams) to end."""

    def handle_exit(self, sig, frame):
        app = getattr(self, "wsgi", None)
        if app is not None:
            app.extensions["rawbank"].stopping.set()
        super().handle_exit(sig, frame)


class EmbeddedServer(BaseApplication):
    """gunicorn serving one service's API, with the service's worker threads in the same process."""

    def __init__(self, spec: ServiceSpec, config: Config):
        self.spec, self.config = spec, config
        self.parts: tuple[Runtime, Worker] | None = None
        super().__init__()

    def load_config(self):
        settings = {
            "bind": f"{self.config.host}:{self.spec.port(self.config)}", "workers": 1,
            "threads": self.spec.http_threads, "worker_class": EmbeddedWorker,
            "timeout": 120,  # a large store takes a while to load before the worker reports in
            "graceful_timeout": GRACEFUL_SECONDS, "keepalive": 5, "loglevel": "warning",
            "control_socket_disable": True,  # one per user by default: the three services would share it
            "post_fork": lambda arbiter, worker: die_with_parent(arbiter.pid),
            "worker_exit": lambda arbiter, worker: self.stop(),
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self):
        """Build the service in the worker, after the fork: store (loaded from disk), API and worker threads."""
        from shared.service_app import create_service_app
        try:
            runtime = Runtime(self.spec, self.config)
        except SettingError as exc:  # a store damaged inside: said in both languages, not as a worker's traceback
            raise AppImportError(f"{self.spec.name}: {exc}\n{self.spec.name}: {exc.hi}") from None  # gunicorn stops
        if self.config.seed_demo and self.spec.seed:
            self.spec.seed(runtime.db, self.config)
        app = create_service_app(self.spec, self.config, runtime)
        self.parts = (runtime, Worker(runtime).start())
        app.extensions["rawbank_worker"] = self.parts[1]  # /readyz says whether events are still in flight
        store = f"{runtime.store.loaded} documents from {runtime.store.path}" if runtime.store else "memory only"
        log.info("%s serving on http://%s:%d (store: %s)", self.spec.name, self.config.host,
                 self.spec.port(self.config), store)
        return app

    def stop(self) -> None:
        """Drain what is in flight, stop the worker threads, close the store."""
        if self.parts is None:
            return
        runtime, worker = self.parts
        self.parts = None
        drained = worker.drain(DRAIN_SECONDS)
        log.info("%s stopping: %s", self.spec.name, "drained" if drained else
                 "not drained in time (what is left is published again at the next start)")
        worker.stop()
        runtime.close()
