"""What a service declares about itself, the names of the services, and the one loader of their specs.

shared/ offers mechanisms; everything that is a service's own (its API, events, pages, menu
entries, labels, reconciliation facts and checks, CLI hooks) is declared in its `spec()` and
reached through `load_spec`, the only place in shared/ that imports a service.
"""
from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field
from typing import Callable

from shared.config import Config
from shared.reconciliation import Reconciliation

SERVICES = ("inventory", "requests", "notifier")
PACKAGE = "services"


@dataclass(frozen=True)
class Command:
    """A `rawbank <group> <name>` command a service brings, e.g. `rawbank reports rebuild`.

    Its help texts (`help`, `group_help`, each argument's "help") are catalog texts, marked with N_: the
    command's help shows them in English and Hindi (shared/cli_parser.py)."""

    group: str
    name: str
    help: str
    run: Callable  # (config, argparse.Namespace) -> exit status
    group_help: str = ""
    arguments: tuple = ()  # ((flags, add_argument keywords), ...)


@dataclass(frozen=True)
class ServiceSpec:
    """Everything a service registers: API, indexes, events in and out, pages and menu, reconciliation, demo data."""

    name: str
    default_port: int
    package: str  # the service's Python package (its __name__): gunicorn and Flask start it from here
    blueprints: tuple = ()
    indexes: dict = field(default_factory=dict)
    publishes: str | None = None
    outbox_collections: tuple[str, ...] = ()
    collections: dict = field(default_factory=dict)  # collection -> catalog text: what `rawbank status` calls it
    consumes: tuple[str, ...] = ()
    make_handler: Callable | None = None  # (db, config) -> Handler
    event_handlers: dict = field(default_factory=dict)  # event type -> handler(s): its EVENT_HANDLERS table
    seed: Callable | None = None  # (db, config) -> None
    at_start: tuple = ()  # ((db, config) -> None, ...) each time its app or worker starts: repairs of what a crash
    # left half done, backfills of fields older documents lack; twice is once (every process of it runs them)
    consumes_raw: tuple[str, ...] = ()  # topics read undecoded, e.g. dead-letter topics
    make_raw_handler: Callable | None = None  # (db, config) -> RawHandler
    background: tuple = ()  # ((part name, make(db, config) -> run(stop)), ...) more worker loops
    pages: tuple = ()  # Flask blueprints of the service's server-rendered pages (shared/pages.py)
    menu: dict = field(default_factory=dict)  # role -> ((position, path, label), ...); every service's, by position
    menu_keeps: dict = field(default_factory=dict)  # path of its menu entry -> query parameters its page takes from
    # the page people are on (shared.pages.keep_in_menu), e.g. "depot": the depot an admin chose
    menu_keeps_chosen: dict = field(default_factory=dict)  # of those, the ones a page takes only when people chose
    # them, not when the page they are on fell back on one (its own fallback differs: e.g. every depot's orders)
    home: dict = field(default_factory=dict)  # role -> path of the first page people of that role see
    labels: dict = field(default_factory=dict)  # page filter -> {stored value: label}, e.g. "status"
    common_pages: dict = field(default_factory=dict)  # pages every service links to: "login", "language" -> path
    links: dict = field(default_factory=dict)  # name -> API path the `rawbank dev` banner points to, e.g. "events"
    reconcile: Reconciliation | None = None  # its facts, checks and counts for `rawbank reconcile`
    add_user: Callable | None = None  # (db, **fields) -> text: `rawbank user add` in the service keeping logins
    set_password: Callable | None = None  # (db, username=, password=, token_ttl=) -> text: `rawbank user password`
    name_of: Callable | None = None  # (db, username) -> {name, name_hi} or None: the name `rawbank token` signs in
    commands: tuple[Command, ...] = ()  # more `rawbank` commands of its own
    errors: object = None  # the module declaring its errors (services/<name>/errors.py): what a dead letter's code
    # means where the letter kept no words of its own (shared/dead_letters.meaning)
    http_threads: int = 8  # threads of the one gunicorn worker of the single-machine runtime

    @property
    def group_id(self) -> str:
        return f"rawbank-{self.name}"

    def port(self, config: Config) -> int:
        return config.port or self.default_port

    @property
    def wsgi_app(self) -> str:
        """What gunicorn serves: the service's create_app factory."""
        return f"{self.package}:create_app()"


@functools.cache
def load_spec(name: str) -> ServiceSpec:
    """The spec of one of SERVICES (loaded once per process)."""
    if name not in SERVICES:
        raise SystemExit(f"unknown service {name!r}; choose one of {', '.join(SERVICES)}")
    return importlib.import_module(f"{PACKAGE}.{name}").spec()


def all_specs() -> tuple[ServiceSpec, ...]:
    return tuple(load_spec(name) for name in SERVICES)


def declaring(attribute: str) -> ServiceSpec:
    """The one service that declares `attribute` (e.g. the one keeping the people who log in)."""
    found = [spec for spec in all_specs() if getattr(spec, attribute)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} services declare {attribute}; exactly one must")
    return found[0]
