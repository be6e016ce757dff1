"""The `rawbank` command's side of the single-machine runtime: data directory options and commands.

Every command run from the same directory (or with the same RAWBANK_DATA_DIR or --data-dir) uses
the same data directory, and so the same token secret as the services running on it.
"""
from __future__ import annotations

import argparse
import math

from shared.cli_parser import WAIT_MINUTES
from shared.config import EMBEDDED_JWT_SECRET, Config, is_set
from shared.datadir import DataDir, DirLock, resolve
from shared.i18n import LANGUAGES, N_

#: commands that read the data directory (the token secret at least)
USES_DATA_DIR = ("dev", "run", "token", "user", "reconcile", "backup", "restore", "status", "dlq")
NO_BROKER_KNOWN = N_("{command}: no `rawbank dev` runs on the data directory {path} (it writes running.json there "
                     "while it runs) and KAFKA_BOOTSTRAP_SERVERS is not set, so the broker's address is not known. "
                     "Start rawbank there (make dev), or pass --data-dir DIR of the one that runs; for `rawbank dev "
                     "--memory --broker-port N`, which keeps nothing on disk, set KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:N "
                     "(its banner says the broker's port) and, if its notifier is not on port 8003, "
                     "RAWBANK_NOTIFIER_URL=http://127.0.0.1:PORT.")


def add_data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR",
                        help=N_("where the single-machine runtime keeps its data "
                                "(default RAWBANK_DATA_DIR, else ./var)"))


def add_store_options(parser: argparse.ArgumentParser, *, demo: bool = False) -> None:
    """--data-dir or --memory (and --demo): where a runtime keeps its stores."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", metavar="DIR",
                       help=N_("keep every service's data here (default RAWBANK_DATA_DIR, else ./var)"))
    where.add_argument("--memory", action="store_true", help=N_("keep data in memory only, gone at stop (tests)"))
    if demo:
        parser.add_argument("--demo", action="store_true",
                            help=N_("seed the demo users and data even though the data directory is not new"))


def add_lang_option(parser: argparse.ArgumentParser,
                    help: str = N_("say what it did in this language only (default: English, then Hindi)")) -> None:
    """--lang en|hi: the command says everything in that language only (shared/cli.py's SAYS_ONE_LANGUAGE sets
    console.ONLY); without it, each line in English, then in Hindi."""
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=help)


def add_commands(sub) -> None:
    backup = sub.add_parser("backup", help=N_("write a consistent copy of all three stores to DIR while rawbank runs"))
    backup.add_argument("directory", metavar="DIR", help=N_("a new or empty directory for the copy"))
    backup.add_argument("--wait", type=minutes, default=None, metavar="MINUTES",
                        help=N_("how long to keep taking the copy again while events are in flight between the "
                                "services (default 2 minutes; up to a day)"))
    restore = sub.add_parser("restore", help=N_("replace the stores with the copy in DIR (rawbank must be stopped)"))
    restore.add_argument("directory", metavar="DIR", help=N_("a directory `rawbank backup` wrote"))
    restore.add_argument("--new", action="store_true",
                         help=N_("restore into a data directory rawbank has not used yet (other than ./var of the "
                                 "checkout), e.g. on a new machine with --data-dir"))
    status = sub.add_parser("status", help=N_("size, documents, last backup, outboxes and consumer lag of the data"))
    add_lang_option(status, N_("language of the report, and of a refusal (default: English; a refusal in both)"))
    for parser in (backup, restore):
        add_lang_option(parser)
    for parser in (backup, restore, status):
        add_data_dir_option(parser)


def minutes(text: str) -> float:
    """--wait: minutes, more than 0 and at most a day; anything else is refused saying so (cli_parser)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= 24 * 60:
        raise argparse.ArgumentTypeError(WAIT_MINUTES.format(value=repr(text)))
    return value


def resolve_config(args, config: Config) -> Config:
    """The data directory the command works on, and its token secret unless RAWBANK_JWT_SECRET is set."""
    if getattr(args, "memory", False):
        return config.with_(data_dir="")
    path = resolve(getattr(args, "data_dir", None), config)
    config = config.with_(data_dir=str(path))
    if config.jwt_secret == EMBEDDED_JWT_SECRET:
        secret = DataDir(path).secret(create=False)
        if secret:
            config = config.with_(jwt_secret=secret)
    return config


def reaching_running(config: Config) -> Config:
    """For a command that talks to the services: the addresses of the `rawbank dev` running on the data directory.

    On one machine (the in-process store) that includes its broker, which `rawbank dev --broker-port`
    may have put elsewhere than 9092; with MongoDB the broker stays KAFKA_BOOTSTRAP_SERVERS."""
    running = (DataDir(config.data_dir).read_json("running.json") or {}) if config.data_dir else {}
    changes = {f"{name}_url": url for name, url in running.get("urls", {}).items() if hasattr(config, f"{name}_url")}
    broker = running.get("ports", {}).get("broker")
    if config.embedded and broker:
        changes["kafka_bootstrap_servers"] = f"127.0.0.1:{broker}"  # where `rawbank dev` starts it
    return config.with_(**changes)


def broker_unknown(config: Config, environ=None) -> bool:
    """On one machine, with no `rawbank dev` running on the data directory (no running.json naming its broker) and
    KAFKA_BOOTSTRAP_SERVERS not set: the broker's address would be a guess (9092 may be another rawbank's, or
    nothing), so a command that needs it says how to name it instead of asking there."""
    if not config.embedded or is_set("KAFKA_BOOTSTRAP_SERVERS", environ):
        return False
    running = (DataDir(config.data_dir).read_json("running.json") or {}) if config.data_dir else {}
    return not running.get("ports", {}).get("broker")


def prepare(config: Config, services, *, hold: bool) -> tuple[Config, DirLock | None]:
    """Before a runtime starts on a data directory: usable, free, not newer; the secret made once.

    `rawbank dev` holds the directory's lock (`hold`) for as long as it runs; `rawbank run` only
    checks that no process serves its store. Raises DataDirError (exit code 2) naming the
    directory and what to do, and changes nothing then.
    """
    if not config.data_dir:
        return config, None
    from shared.durable_store import check_format  # the embedded store: production never loads mongomock
    data = DataDir(config.data_dir)
    for name in services:
        check_format(data.store(name))
        data.check_present(name)
    data.prepare()
    lock = data.dev_lock().acquire() if hold else None
    try:
        data.check_free(services, dev=False)
        if config.jwt_secret == EMBEDDED_JWT_SECRET:
            config = config.with_(jwt_secret=data.secret(create=True))
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return config, lock


def run_command(args, config: Config) -> int:
    """`rawbank backup`, `restore` and `status`."""
    data = DataDir(config.data_dir)
    if args.command == "status":
        from shared.status import report
        text, readable = report(data, config, args.lang or "en")
        print(text)
        return 0 if readable else 2  # as `rawbank reconcile` says a store it cannot read
    from shared import backup  # says only the language of --lang, if given (shared/cli.py's main sets it)
    if args.command == "backup":
        return backup.backup(data, config, args.directory, wait=None if args.wait is None else args.wait * 60)
    return backup.restore(data, args.directory, new=args.new)
