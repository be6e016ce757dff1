"""The production stack (docker-compose.yml, Dockerfile) agrees with the code it runs."""
from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest
import yaml

from shared.config import Config, environment_variables
from shared.spec import SERVICES

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"inventory": 8001, "requests": 8002, "notifier": 8003}  # DESIGN.md, "Contract"
APIS = tuple(f"{name}-api" for name in SERVICES)
WORKERS = tuple(f"{name}-worker" for name in SERVICES)
READ_BY_GUNICORN = {"GUNICORN_CMD_ARGS"}
HOST_ENV = {"RAWBANK_JWT_SECRET": "s" * 48}  # the only variable `docker compose up` needs on the host
INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?+])([^}]*))?\}")
ENV_READERS = {"environ", "environb", "getenv", "getenvb"}


@pytest.fixture(scope="module")
def services() -> dict:
    # safe_load resolves the `<<:` merge keys, as docker compose does.
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {name: None if value is None else str(value) for name, value in env.items()}


def resolved(env: dict[str, str]) -> dict[str, str]:
    """The environment compose passes on when the host sets HOST_ENV and nothing else."""
    def substitute(match):
        name, operator, default = match.groups()
        if name in HOST_ENV:
            return HOST_ENV[name]
        assert operator in (":-", "-"), f"${{{name}}} needs a default: only {sorted(HOST_ENV)} are required"
        return default
    return {name: INTERPOLATION.sub(substitute, value or "") for name, value in env.items()}


def command(service: dict) -> list[str]:
    value = service.get("command") or []
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def healthcheck(service: dict) -> str:
    test = (service.get("healthcheck") or {}).get("test") or []
    return test if isinstance(test, str) else " ".join(str(part) for part in test)


def published(service: dict) -> list[tuple[str, str, int]]:
    """(host address, host port, container port) of each published port; '' is every address."""
    ports = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            ports.append((str(port.get("host_ip", "")), str(port.get("published", "")), int(port["target"])))
        else:
            parts = str(port).split("/")[0].rsplit(":", 2)
            ports.append((parts[0] if len(parts) == 3 else "", parts[-2] if len(parts) > 1 else "", int(parts[-1])))
    return ports


def test_the_stack_has_kafka_mongodb_and_an_api_and_a_worker_per_service(services):
    assert {"kafka", "mongodb", *APIS, *WORKERS} <= set(services)


def test_kafka_runs_kraft_on_one_node_without_zookeeper(services):
    kafka = services["kafka"]
    env = environment(kafka)
    assert kafka["image"].startswith("apache/kafka:")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@kafka:")
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] in env["KAFKA_LISTENERS"]
    assert "KAFKA_ZOOKEEPER_CONNECT" not in env
    assert not [name for name, s in services.items() if "zookeeper" in f"{name} {s.get('image', '')}".lower()]
    for name in ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                 "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"):
        assert env[name] == "1", name
    assert "/opt/kafka/bin/" in healthcheck(kafka)


def test_apps_bootstrap_from_the_listener_kafka_advertises(services):
    advertised = {listener.split("://", 1)[1]
                  for listener in environment(services["kafka"])["KAFKA_ADVERTISED_LISTENERS"].split(",")}
    for name in (*APIS, *WORKERS):
        env = environment(services[name])
        assert set(env["KAFKA_BOOTSTRAP_SERVERS"].split(",")) <= advertised, name
        assert int(env["KAFKA_REPLICATION_FACTOR"]) == 1, f"{name}: there is one broker"


def test_mongodb_is_the_replica_set_the_apps_connect_to(services):
    mongodb = services["mongodb"]
    args = command(mongodb)
    assert "--replSet" in args
    replica_set = args[args.index("--replSet") + 1]
    assert "rs.initiate" in healthcheck(mongodb) and "mongodb:27017" in healthcheck(mongodb)
    for name in (*APIS, *WORKERS):
        assert environment(services[name])["MONGO_URI"] == f"mongodb://mongodb:27017/?replicaSet={replica_set}"


@pytest.mark.parametrize("name", APIS + WORKERS)
def test_apps_wait_for_a_healthy_broker_and_store(services, name):
    depends_on = services[name]["depends_on"]
    for dependency in ("kafka", "mongodb"):
        assert depends_on[dependency]["condition"] == "service_healthy", dependency
        assert services[dependency]["healthcheck"]["test"], dependency


@pytest.mark.parametrize("service", SERVICES)
def test_api_serves_its_port_on_loopback_and_checks_readiness(services, service):
    api = services[f"{service}-api"]
    assert command(api) == ["rawbank", "serve", service]
    port = PORTS[service]
    assert Config.from_env(resolved(environment(api))).port == port, "RAWBANK_PORT"
    assert published(api) == [("127.0.0.1", str(port), port)]
    assert f"http://127.0.0.1:{port}/readyz" in healthcheck(api)
    assert "curl" not in healthcheck(api) and "wget" not in healthcheck(api)


@pytest.mark.parametrize("service", SERVICES)
def test_worker_runs_the_consumer_and_relay_and_publishes_nothing(services, service):
    worker = services[f"{service}-worker"]
    assert command(worker) == ["rawbank", "worker", service]
    assert not published(worker)
    assert "/readyz" not in healthcheck(worker), "a worker serves no HTTP"


@pytest.mark.parametrize("name", APIS + WORKERS)
def test_app_environment_is_exactly_what_the_code_reads(services, name):
    env = set(environment(services[name]))
    wanted = set(environment_variables())
    allowed = READ_BY_GUNICORN if name in APIS else set()
    assert not wanted - env, f"{name} does not set {sorted(wanted - env)}"
    assert not env - wanted - allowed, f"{name} sets {sorted(env - wanted - allowed)}, which rawbank never reads"


@pytest.mark.parametrize("name", APIS + WORKERS)
def test_app_environment_is_a_valid_production_config(services, name):
    env = environment(services[name])
    for variable, value in env.items():
        for match in INTERPOLATION.finditer(value or ""):
            assert match.group(1) == variable, f"{variable} takes ${{{match.group(1)}}} from the host"
    assert re.fullmatch(r"\$\{RAWBANK_JWT_SECRET:\?[^}]+\}", env["RAWBANK_JWT_SECRET"]), \
        "the JWT secret must come from the host and be required"
    config = Config.from_env(resolved(env))
    config.check()
    assert not config.embedded
    assert (config.host, config.seed_demo) == ("0.0.0.0", False)


@pytest.mark.parametrize("name", APIS)
def test_gunicorn_args_leave_binding_to_rawbank_and_clients_after_the_fork(services, name):
    args = shlex.split(environment(services[name])["GUNICORN_CMD_ARGS"])
    assert "--workers" in args
    assert "--preload" not in args, "clients must be created in create_app(), after the fork"
    assert not {"--bind", "-b"} & set(args), "`rawbank serve` binds RAWBANK_HOST:RAWBANK_PORT"


def test_only_loopback_addresses_are_published(services):
    for name, service in services.items():
        for address, _, _ in published(service):
            assert address == "127.0.0.1", f"{name} publishes on {address or 'every address'}"


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of each logical line of the Dockerfile."""
    instructions, pending = [], ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        pending = ""
    return instructions


def test_dockerfile_installs_the_project_on_python_311_and_runs_as_a_user():
    instructions = dockerfile()
    base = [args for keyword, args in instructions if keyword == "FROM"][-1]
    assert base.startswith("python:3.11")
    installs = [args for keyword, args in instructions if keyword == "RUN" and "pip install" in args]
    assert any(re.search(r"pip install\b[^&;|]*\s\.(\s|$)", args) for args in installs), "pip install ."
    assert not [args for args in installs if re.search(r"\[\w|(\s-e|--editable)\s", args)], \
        "no editable install and no extras (tests stay out of the image)"
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}


def test_the_readme_says_how_to_add_the_first_admin_with_a_command_the_stack_runs(services):
    """Before, the README's production steps ended at `docker compose up`: with no demo users there, nobody could
    log in, and MongoDB is not published to the host for `rawbank user add` to reach it."""
    from shared.cli import _parser
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    production = readme[readme.index("**Production**"):readme.index("## The `rawbank` command")]
    commands = [shlex.split(line) for line in production.splitlines() if line.startswith("docker compose exec ")]
    assert commands, "the production steps add the first admin"
    for words in commands:
        service, rawbank = words[3], words[4:]
        assert services[service]["image"] == "rawbank:latest" and rawbank[0] == "rawbank"
        assert "MONGO_URI" in environment(services[service])  # it reaches the stack's MongoDB
        args = _parser().parse_args(rawbank[1:])
        assert (args.command, args.user_command, args.role) == ("user", "add", "admin")


def test_the_build_context_leaves_out_the_single_machine_data_directory():
    """Before, `docker compose up --build` in a checkout where `make dev` had run sent ./var (the token secret,
    password hashes, every artisan's details) to the Docker builder as part of the build context."""
    ignored = {line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")}
    assert {"var", ".venv", ".git"} <= ignored


def env_reads(source: str) -> list[int]:
    """Lines of `source` that read the process environment (os.environ, os.getenv and kin).

    Handing the whole environment on to a child process (`{**os.environ, ...}`) reads no
    variable and is not counted.
    """
    tree = ast.parse(source)
    os_names, direct, hits = set(), set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            os_names |= {alias.asname or "os" for alias in node.names if alias.name == "os"}
            os_names |= {"os" for alias in node.names if alias.name.startswith("os.") and not alias.asname}
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            direct |= {alias.asname or alias.name for alias in node.names if alias.name in ENV_READERS}
            hits += [node.lineno for alias in node.names if alias.name == "*"]
    passed_on = {id(value) for node in ast.walk(tree) if isinstance(node, ast.Dict)
                 for key, value in zip(node.keys, node.values) if key is None}
    for node in ast.walk(tree):
        if id(node) in passed_on:
            continue
        if (isinstance(node, ast.Attribute) and node.attr in ENV_READERS
                and isinstance(node.value, ast.Name) and node.value.id in os_names):
            hits.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id in direct:
            hits.append(node.lineno)
    return sorted(hits)


@pytest.mark.parametrize("source, reads", [
    ("import os\nos.environ['X']", True),
    ("import os\nos.getenv('X', 'y')", True),
    ("import os as o\no.environ.get('X')", True),
    ("import os.path\n'X' in os.environ", True),
    ("from os import environ\nenviron['X']", True),
    ("from os import getenv as g\ng('X')", True),
    ("from os import *", True),
    ("import os\nos.path.join('a', 'b')", False),
    ("environ = {}\nenviron['X']", False),
    ("import os\nenv = {**os.environ, 'X': '1'}", False),
])
def test_the_environment_scan_finds_reads(source, reads):
    assert bool(env_reads(source)) is reads


def test_only_shared_config_reads_the_environment():
    files = sorted([*(ROOT / "shared").rglob("*.py"), *(ROOT / "services").rglob("*.py")])
    assert files
    offenders = {}
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        lines = env_reads(path.read_text(encoding="utf-8"))
        if relative == "shared/config.py":
            assert lines, "the scan no longer sees how Config reads the environment"
        elif lines:
            offenders[relative] = lines
    assert not offenders, f"read the environment through shared.config.Config instead: {offenders}"
