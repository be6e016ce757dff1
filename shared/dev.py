"""`rawbank dev`: the broker and the three services on this machine, their data in one data directory."""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from shared.broker import die_with_parent, port_free, start_broker, wait_for_broker
from shared.config import Config, SettingError, is_loopback
from shared.datadir import DataDir
from shared.local_cli import prepare
from shared.runner import SERVICES
from shared.kafka import ensure_topics
from shared.events import TOPICS

DEFAULT_PORTS = {"broker": 9092, "inventory": 8001, "requests": 8002, "notifier": 8003}
SERVICE_STOP_SECONDS = 45  # gunicorn's graceful timeout (in-flight requests, then the drain) and some


def spawn_on_free_ports(*options: str, **popen) -> tuple[dict[str, int], subprocess.Popen]:
    """Start `rawbank dev` as a child on free ports, ignoring this shell's rawbank settings.

    `options` are more of its options; without any, it keeps its data in memory (--memory)."""
    from shared.broker import free_port
    ports = {name: free_port() for name in DEFAULT_PORTS}
    args = [sys.executable, "-m", "shared.cli", "dev", *(options or ("--memory",))]
    for name, port in ports.items():
        args += [f"--{name}-port", str(port)]
    env = {**os.environ}
    for name in [name for name in env if name.startswith(("KAFKA_", "MONGO_", "RAWBANK_"))]:
        del env[name]
    return ports, subprocess.Popen(args, env=env, **popen)


def say(en: str, hi: str) -> None:
    print(f"{en}\n  {hi}", flush=True)


def check_ports(ports: dict[str, int]) -> None:
    busy = [(name, port) for name, port in ports.items() if not port_free(port)]
    if busy:
        for name, port in busy:
            say(f"Port {port} (needed for {name}) is already in use.",
                f"पोर्ट {port} ({name} के लिए) पहले से उपयोग में है।")
        say("Stop what is using it (see: ss -ltnp), or choose other ports, e.g. "
            "rawbank dev --inventory-port 9001. Then run again.",
            "उसे रोकें जो इसका उपयोग कर रहा है (देखें: ss -ltnp), या दूसरे पोर्ट चुनें, "
            "जैसे rawbank dev --inventory-port 9001। फिर से चलाएँ।")
        raise SystemExit(1)


def _ready(host: str, port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def banner(ports: dict[str, int], host: str = "127.0.0.1") -> str:
    url = {name: f"http://{host}:{port}" for name, port in ports.items()}
    login = f"{url['requests']}/login"
    return f"""
Open {login} in a browser and log in.  /  ब्राउज़र में {login} खोलें और लॉग इन करें।
  Warehouse staff / गोदाम कर्मचारी  log in: warehouse / warehouse123   stock: {url['inventory']}/warehouse/stock
  Artisans / कारीगर                log in: artisan / artisan123       my requests: {url['requests']}/my
  Admins / एडमिन                   log in: admin / admin123           alerts: {url['notifier']}/admin/alerts

JSON APIs / JSON API (scripts):
  inventory  {url['inventory']}/api/v1/openapi.json
  requests   {url['requests']}/api/v1/openapi.json
  notifier   {url['notifier']}/api/v1/openapi.json   events: {url['notifier']}/api/v1/events
  curl -s -X POST {url['requests']}/api/v1/auth/login -H 'Content-Type: application/json' \\
       -d '{{"username": "admin", "password": "admin123"}}'
Then send the access_token as 'Authorization: Bearer <token>'.  /  फिर access_token को 'Authorization: Bearer <token>' के रूप में भेजें।
Broker / ब्रोकर: Tansu on 127.0.0.1:{ports['broker']}
Press Ctrl-C to stop everything.  /  सब कुछ रोकने के लिए Ctrl-C दबाएँ।
"""


def where_data_lives(config: Config) -> None:
    if config.data_dir:
        say(f"Data is kept in {config.data_dir}: it survives a stop, a crash or a power cut "
            "(back it up with: rawbank backup DIR).",
            f"डेटा {config.data_dir} में रखा जाता है: रोकने, क्रैश या बिजली जाने पर भी बना रहता है "
            "(बैकअप: rawbank backup DIR)।")
    else:
        say("Data lives in memory only (--memory) and is gone when rawbank stops.",
            "डेटा केवल मेमोरी में है (--memory) और rawbank रुकने पर मिट जाएगा।")


def start(args, config: Config, ports: dict[str, int]) -> int:
    """`rawbank dev`: free ports, a usable data directory held for as long as it runs, then everything."""
    check_ports(ports)
    try:
        config, lock = prepare(config.with_(host=args.host), SERVICES, hold=True)
        config.check()
    except SettingError as exc:
        say(f"rawbank: {exc}", f"rawbank: {exc.hi}")
        return 2
    except ValueError as exc:  # a setting checked in English only (e.g. a short RAWBANK_JWT_SECRET)
        print(f"rawbank: {exc}", flush=True)
        return 2
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
    logs = tempfile.mkdtemp(prefix="rawbank-dev-")
    children: list[tuple[str, subprocess.Popen]] = []
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    local, public = addresses(config.host)
    try:
        say(f"[1/3] Starting the broker on 127.0.0.1:{ports['broker']} (log: {logs}/broker.log) ...",
            "[1/3] ब्रोकर शुरू हो रहा है ...")
        broker = start_broker(ports["broker"], log_file=open(os.path.join(logs, "broker.log"), "wb"))
        children.append(("broker", broker))
        wait_for_broker(ports["broker"], process=broker)
        config = config.with_(kafka_bootstrap_servers=f"127.0.0.1:{ports['broker']}")
        ensure_topics(config, TOPICS)
        if seed:
            say("[2/3] Starting inventory, requests and notifier with demo data ...",
                "[2/3] inventory, requests और notifier डेमो डेटा के साथ शुरू हो रहे हैं ...")
        else:
            say("[2/3] Starting inventory, requests and notifier with the data kept so far ...",
                "[2/3] inventory, requests और notifier अब तक रखे गए डेटा के साथ शुरू हो रहे हैं ...")
        where = ["--data-dir", config.data_dir] if data else ["--memory"]
        for name in ("inventory", "requests", "notifier"):
            env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": config.kafka_bootstrap_servers,
                   "RAWBANK_PORT": str(ports[name]), "RAWBANK_SEED_DEMO": "1" if seed else "0",
                   "MONGO_URI": "mongomock://localhost", "RAWBANK_HOST": config.host,
                   **{f"RAWBANK_{other.upper()}_URL": f"http://{public}:{ports[other]}"
                      for other in ("inventory", "requests", "notifier")}}
            children.append((name, subprocess.Popen(
                [sys.executable, "-m", "shared.cli", "run", name, *where], env=env,
                stdin=subprocess.DEVNULL, preexec_fn=die_with_parent, start_new_session=True)))
        say("[3/3] Waiting until every service is ready ...", "[3/3] सभी सेवाओं के तैयार होने की प्रतीक्षा ...")
        deadline = time.monotonic() + startup_timeout
        pending = {"inventory", "requests", "notifier"}
        while pending and not stopping:
            _check_alive(children)
            pending = {name for name in pending if not _ready(local, ports[name])}
            if time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {startup_timeout:.0f}s: {', '.join(sorted(pending))}")
            time.sleep(0.3)
        if not stopping:
            if data is not None:
                if seed:
                    data.mark_seeded()
                data.write_json("running.json", {"pid": os.getpid(), "host": config.host, "ports": ports,
                                                 "urls": {n: f"http://{local}:{ports[n]}" for n in SERVICES}})
            print(banner(ports, public), flush=True)
        while not stopping:
            _check_alive(children)
            time.sleep(0.5)
        return 0
    except RuntimeError as exc:
        say(f"rawbank dev could not start: {exc}. See the messages above; "
            f"the broker log is in {logs}.",
            f"rawbank dev शुरू नहीं हो सका: {exc}। ऊपर के संदेश देखें; ब्रोकर लॉग {logs} में है।")
        return 1
    finally:
        say("Stopping: the services finish what is in flight, then the broker stops ...",
            "रोका जा रहा है: सेवाएँ चल रहा काम पूरा करती हैं, फिर ब्रोकर रुकता है ...")
        stop_all([process for name, process in children if name != "broker"], timeout=SERVICE_STOP_SECONDS)
        stop_all([process for name, process in children if name == "broker"], timeout=10)
        if data is not None:
            data.remove("running.json")
        if lock is not None:
            lock.release()
        say("Stopped.", "रुक गया।")


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
