"""`rawbank dev` started the way a user starts it, on free ports, for e2e and browser tests."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from shared.dev import default_ports
from tests.conftest import free_ports, wait_until

ROOT = Path(__file__).resolve().parents[1]


def http(method: str, url: str, body=None, token: str | None = None):
    """(status, JSON body) of one request to a running rawbank."""
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def spawn_on_free_ports(*options: str, settings: dict | None = None,
                        **popen) -> tuple[dict[str, int], subprocess.Popen]:
    """Start `rawbank dev` as a child on free ports, ignoring this shell's rawbank settings (but `settings`).

    `options` are more of its options; without any, it keeps its data in memory (--memory)."""
    names = default_ports()
    ports = dict(zip(names, free_ports(len(names))))
    args = [sys.executable, "-m", "shared.cli", "dev", *(options or ("--memory",))]
    for name, port in ports.items():
        args += [f"--{name}-port", str(port)]
    env = {**os.environ}
    for name in [name for name in env if name.startswith(("KAFKA_", "MONGO_", "RAWBANK_"))]:
        del env[name]
    return ports, subprocess.Popen(args, env={**env, **(settings or {})}, **popen)


class Dev:
    """`rawbank dev` on free ports, its output collected in the background."""

    def __init__(self, *options: str, settings: dict | None = None, cwd=ROOT):
        self.ports, self.process = spawn_on_free_ports(*options, settings=settings, cwd=cwd, stdout=subprocess.PIPE,
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
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()

    def wait_ready(self, timeout: float = 120) -> "Dev":
        wait_until(lambda: "Ctrl-C" in self.output or self.process.poll() is not None, timeout,
                   message=lambda: f"rawbank dev to print where to go; it printed:\n{self.output[-4000:]}")
        assert self.process.poll() is None, self.output
        return self


@contextmanager
def running_dev(*options: str, settings: dict | None = None, cwd=ROOT):
    """A `rawbank dev` (in memory, unless `options` say otherwise; with these RAWBANK_ `settings`) that
    has printed where to go; stopped with Ctrl-C afterwards."""
    dev = Dev(*options, settings=settings, cwd=cwd)
    try:
        yield dev.wait_ready()
    finally:
        dev.stop()
