"""Run a service: API and worker in one process (embedded) or each on its own (production)."""
from __future__ import annotations

import logging
import os
import signal
import sys
from typing import Mapping

from shared.config import Config, SettingError, allows_embedded_serve
from shared.i18n import N_
from shared.runtime import Runtime
from shared.spec import load_spec
from shared.worker import Worker

log = logging.getLogger(__name__)
NEEDS_MONGODB = N_("`rawbank {command} {service}` needs MongoDB, and MONGO_URI is not set (or names the in-process "
                   "store, mongomock://): this process would keep its data in a store of its own, which the "
                   "service's other processes never read and which is lost when it stops. Set MONGO_URI to the "
                   "{service} service's MongoDB, or, for everything on one machine, run `rawbank run {service}` or "
                   "`rawbank dev`.")


def _stop_on_signals(stop) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop())


def check_store(command: str, service: str, config: Config, environ: Mapping[str, str] | None = None) -> None:
    """Refuse `serve` or `worker` on the in-process store: the API's writes would reach no relay, the worker's
    events no API, and both would be lost at exit (tests may allow it: RAWBANK_ALLOW_EMBEDDED_SERVE=1)."""
    if config.embedded and not allows_embedded_serve(environ):
        raise SettingError.said(NEEDS_MONGODB, command=command, service=service)


def run_embedded(name: str, config: Config) -> None:
    """API (gunicorn, one worker with threads), consumer and relay over one in-process store."""
    from shared.embedded_server import EmbeddedServer
    EmbeddedServer(load_spec(name), config).run()


def run_worker(name: str, config: Config) -> None:
    """The consumer and the relay of a service, until SIGTERM or SIGINT."""
    spec = load_spec(name)
    runtime = Runtime(spec, config)
    runtime.start()
    worker = Worker(runtime).start()
    _stop_on_signals(worker.stop_event.set)
    log.info("%s worker started (broker %s)", name, config.kafka_bootstrap_servers)
    worker.stop_event.wait()
    worker.stop()
    runtime.close()


def serve(name: str, config: Config) -> None:
    """Replace this process with gunicorn serving the service's API."""
    spec = load_spec(name)
    args = [sys.executable, "-m", "gunicorn", "--bind", f"{config.host}:{spec.port(config)}", "--access-logfile", "-",
            "--worker-class", "shared.http_server.JsonErrorWorker", spec.wsgi_app]
    os.execvp(args[0], args)
