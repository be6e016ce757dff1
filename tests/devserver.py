"""`rawbank dev` started the way a user starts it, on free ports, for e2e and browser tests."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from shared.dev import default_ports
from tests.conftest import free_port, wait_until

ROOT = Path(__file__).resolve().parents[1]


def spawn_on_free_ports(settings: dict | None = None, **popen) -> tuple[dict[str, int], subprocess.Popen]:
    """Start `rawbank dev` as a child on free ports, ignoring this shell's rawbank settings (but `settings`)."""
    ports = {name: free_port() for name in default_ports()}
    args = [sys.executable, "-m", "shared.cli", "dev"]
    for name, port in ports.items():
        args += [f"--{name}-port", str(port)]
    env = {**os.environ}
    for name in [name for name in env if name.startswith(("KAFKA_", "MONGO_", "RAWBANK_"))]:
        del env[name]
    return ports, subprocess.Popen(args, env={**env, **(settings or {})}, **popen)


class Dev:
    """`rawbank dev` on free ports, its output collected in the background."""

    def __init__(self, settings: dict | None = None):
        self.ports, self.process = spawn_on_free_ports(settings, cwd=ROOT, stdout=subprocess.PIPE,
                                                       stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def stop(self) -> int:
        """Ctrl-C, as a user stops it; kill only if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()


@contextmanager
def running_dev(settings: dict | None = None):
    """A `rawbank dev` that has printed where to go (with these RAWBANK_ settings); stopped with Ctrl-C afterwards."""
    dev = Dev(settings)
    try:
        wait_until(lambda: "Ctrl-C" in dev.output or dev.process.poll() is not None, 90,
                   message="rawbank dev to print where to go")
        assert dev.process.poll() is None, dev.output
        yield dev
    finally:
        dev.stop()
