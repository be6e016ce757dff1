"""Run a service: API and worker in one process (embedded) or each on its own (production)."""
from __future__ import annotations

import logging
import os
import signal
import sys

from shared.config import Config
from shared.console import tell
from shared.i18n import N_
from shared.runtime import Runtime
from shared.spec import load_spec
from shared.worker import Worker

log = logging.getLogger(__name__)
EMBEDDED_SERVE = N_("warning: with mongomock:// the API and the worker each get their own empty store; use "
                    "`rawbank dev` for embedded mode or set MONGO_URI to a MongoDB.")


def _stop_on_signals(stop) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop())


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
    if config.embedded:
        tell(EMBEDDED_SERVE, sys.stderr)
    args = [sys.executable, "-m", "gunicorn", "--bind", f"{config.host}:{spec.port(config)}", "--access-logfile", "-",
            "--worker-class", "shared.http_server.JsonErrorWorker", spec.wsgi_app]
    os.execvp(args[0], args)
