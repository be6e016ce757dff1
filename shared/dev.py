"""`rawbank dev`: the broker and every service on this machine, with demo data."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from shared.broker import die_with_parent, port_free, start_broker, stop_process, wait_for_broker
from shared.config import Config
from shared.kafka import ensure_topics
from shared.events import TOPICS
from shared.spec import SERVICES, all_specs

BROKER_PORT = 9092
#: role -> who logs in with which demo user (DESIGN.md) and what their first page is, for the banner
DEMO_LOGINS = {"warehouse": "Warehouse staff / गोदाम कर्मचारी  log in: warehouse / warehouse123   stock",
               "artisan": "Artisans / कारीगर                log in: artisan / artisan123       my requests",
               "secretary": "Cooperative secretary / सहकारी सचिव log in: secretary / secretary123 requests for members",
               "admin": "Admins / एडमिन                   log in: admin / admin123           alerts"}


def default_ports() -> dict[str, int]:
    """The broker's port and each service's own."""
    return {"broker": BROKER_PORT, **{spec.name: spec.default_port for spec in all_specs()}}


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


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def banner(ports: dict[str, int]) -> str:
    from shared.pages import common_page, home_page
    url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    login_service, login_path = common_page("login")
    login = url[login_service] + login_path
    homes = "\n".join(f"  {text}: {url[service]}{path}"
                       for role, text in DEMO_LOGINS.items() for service, path in [home_page(role)])
    apis = "\n".join(f"  {spec.name:<10} {url[spec.name]}/api/v1/openapi.json"
                     + "".join(f"   {name}: {url[spec.name]}{path}" for name, path in spec.links.items())
                     for spec in all_specs())
    return f"""
rawbank is running in embedded mode.  /  rawbank एम्बेडेड मोड में चल रहा है।
Data lives in memory only and is gone when you stop.  /  डेटा केवल मेमोरी में है; रोकने पर मिट जाएगा।

Open {login} in a browser and log in.  /  ब्राउज़र में {login} खोलें और लॉग इन करें।
{homes}

JSON APIs / JSON API (scripts):
{apis}
  curl -s -X POST {url[login_service]}/api/v1/auth/login -H 'Content-Type: application/json' \\
       -d '{{"username": "admin", "password": "admin123"}}'
Then send the access_token as 'Authorization: Bearer <token>'.  /  फिर access_token को 'Authorization: Bearer <token>' के रूप में भेजें।
Broker / ब्रोकर: Tansu on 127.0.0.1:{ports['broker']}
Press Ctrl-C to stop everything.  /  सब कुछ रोकने के लिए Ctrl-C दबाएँ।
"""


def run_dev(ports: dict[str, int | None], startup_timeout: float = 60.0) -> int:
    """Start everything, print where to go, and stop everything on Ctrl-C or SIGTERM; a port None is the default."""
    ports = {name: ports.get(name) or port for name, port in default_ports().items()}
    check_ports(ports)
    logging.getLogger("kafka").setLevel(logging.CRITICAL)  # refused connections while Tansu boots
    say("Embedded mode: data lives in memory only and is lost when rawbank stops.",
        "एम्बेडेड मोड: डेटा केवल मेमोरी में है और rawbank रुकने पर मिट जाएगा।")
    logs = tempfile.mkdtemp(prefix="rawbank-dev-")
    children: list[tuple[str, subprocess.Popen]] = []
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        say(f"[1/3] Starting the broker on 127.0.0.1:{ports['broker']} (log: {logs}/broker.log) ...",
            "[1/3] ब्रोकर शुरू हो रहा है ...")
        broker = start_broker(ports["broker"], log_file=open(os.path.join(logs, "broker.log"), "wb"))
        children.append(("broker", broker))
        wait_for_broker(ports["broker"], process=broker)
        config = Config.from_env(kafka_bootstrap_servers=f"127.0.0.1:{ports['broker']}")
        ensure_topics(config, TOPICS)
        names = ", ".join(SERVICES[:-1])
        say(f"[2/3] Starting {names} and {SERVICES[-1]} with demo data ...",
            f"[2/3] {names} और {SERVICES[-1]} डेमो डेटा के साथ शुरू हो रहे हैं ...")
        for name in SERVICES:
            env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": config.kafka_bootstrap_servers,
                   "RAWBANK_PORT": str(ports[name]), "RAWBANK_SEED_DEMO": "1",
                   "MONGO_URI": "mongomock://localhost", "RAWBANK_HOST": "127.0.0.1",
                   **{f"RAWBANK_{other.upper()}_URL": f"http://127.0.0.1:{ports[other]}"
                      for other in SERVICES}}
            children.append((name, subprocess.Popen(
                [sys.executable, "-m", "shared.cli", "run", name], env=env,
                stdin=subprocess.DEVNULL, preexec_fn=die_with_parent, start_new_session=True)))
        say("[3/3] Waiting until every service is ready ...", "[3/3] सभी सेवाओं के तैयार होने की प्रतीक्षा ...")
        deadline = time.monotonic() + startup_timeout
        pending = set(SERVICES)
        while pending and not stopping:
            _check_alive(children)
            pending = {name for name in pending if not _ready(ports[name])}
            if time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {startup_timeout:.0f}s: {', '.join(sorted(pending))}")
            time.sleep(0.3)
        if not stopping:
            print(banner(ports), flush=True)
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
        say("Stopping every process ...", "सभी प्रक्रियाएँ रोकी जा रही हैं ...")
        for name, process in reversed(children):
            stop_process(process)
        say("Stopped.", "रुक गया।")


def _check_alive(children) -> None:
    for name, process in children:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}")
