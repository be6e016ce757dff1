"""The `rawbank` command."""
from __future__ import annotations

import os
import sys

from shared import console, local_cli
from shared.auth import MAX_TOKEN_TTL, ROLES
from shared.cli_parser import Parser
from shared.config import EMBEDDED_JWT_SECRET, Config, environment_variables
from shared.console import refuse, tell
from shared.datadir import DataDir, DataDirInUse, start_command
from shared.events import TOPICS
from shared.i18n import N_, in_both
from shared.spec import SERVICES

TOKEN_NEEDS_COOPERATIVE = N_("rawbank token: a secretary token needs --cooperative (the cooperative's code)")
TOKEN_NEEDS_ARTISAN = N_("rawbank token: an artisan token needs --artisan-id (the artisan's registration id)")
TOKEN_TTL = N_("rawbank token: --ttl is the seconds until the token expires: give a whole number from 1 to {most} "
               "(a year), not {ttl}")
TOKEN_BUILT_IN_SECRET = N_("rawbank token: no token secret was found in {path} and RAWBANK_JWT_SECRET is not set, so "
                           "this token is signed with the built-in development secret, which only `rawbank dev "
                           "--memory` accepts. Run this where rawbank keeps its data (or pass --data-dir DIR), or set "
                           "RAWBANK_JWT_SECRET to the services' secret.")
STOPPED = N_("rawbank: stopped by Ctrl-C before it finished.")
USER_WHERE = N_("{command}: set MONGO_URI to the {service} service's MongoDB, or run it where rawbank keeps its "
                "data on one machine (./var, --data-dir; start rawbank there once first).")
PASSWORDS_DIFFER = N_("{command}: the two passwords differ; run it again and type the same one twice.")
USERS_PAGE = N_("{command}: rawbank is running on {path}, so this command cannot change its store now. While it "
               "runs, an admin does this on the Users page, with no need to stop it: {url} (add a login, set a new "
               "password, which also ends a lockout, deactivate a login); or stop rawbank (Ctrl-C where it runs) and "
               "run this again.")
NO_PASSWORD = N_("{command}: no password was given, so nothing was stored. Run it again in a terminal and type the "
                 "password twice, or give it on stdin with --password-stdin.")


def _parser() -> Parser:
    parser = Parser(prog="rawbank", description=N_("rawbank: the raw-material bank for artisans"))
    sub = parser.add_subparsers(dest="command", required=True)

    dev = sub.add_parser("dev", help=N_("broker + every service on this machine, data in ./var (what `make dev` runs)"))
    from shared.dev import BROKER_PORT
    dev.add_argument("--broker-port", type=port, default=BROKER_PORT, help=N_("default %(default)s"))
    for name in SERVICES:  # the default is in the service's spec, read only when dev starts: other commands stay quick
        dev.add_argument(f"--{name}-port", type=port, help=N_("default: this service's own port"))
    dev.add_argument("--host", default="127.0.0.1",
                     help=N_("address the services listen on (0.0.0.0: the depot's network; needs a token secret)"))
    local_cli.add_store_options(dev, demo=True)

    for command, text in (("serve", N_("the service's HTTP API under gunicorn (production)")),
                          ("worker", N_("the service's consumer and outbox relay (production)")),
                          ("run", N_("API, consumer and relay in one gunicorn worker (single machine; used by dev)"))):
        part = sub.add_parser(command, help=text)
        part.add_argument("service", choices=SERVICES, help=N_("which service"))
        if command == "run":
            local_cli.add_store_options(part)

    token = sub.add_parser("token", help=N_("print a signed access token (for scripts and tests)"))
    token.add_argument("--role", required=True, choices=ROLES, help=N_("what the token lets its holder do"))
    token.add_argument("--sub", required=True, help=N_(
        "user name the token is for; a known user's display name goes in it, as at login, for the pages' header"))
    token.add_argument("--artisan-id", help=N_("required for --role artisan"))
    token.add_argument("--depot", help=N_("depot code of a warehouse user"))
    token.add_argument("--cooperative", help=N_("required for --role secretary: the cooperative's code"))
    token.add_argument("--ttl", type=int, default=None,
                       help=N_("seconds until it expires, 1 to a year (default RAWBANK_JWT_TTL_SECONDS)"))
    local_cli.add_data_dir_option(token)

    user = sub.add_parser(
        "user", help=N_("manage the people who log in (MONGO_URI, or the data directory with rawbank stopped)"))
    user_commands = user.add_subparsers(dest="user_command", required=True)
    user_add = user_commands.add_parser(
        "add", help=N_("add a user; the password is asked for, or read from stdin with --password-stdin"))
    user_add.add_argument("username", help=N_("the name they log in with"))
    user_add.add_argument("--role", required=True, choices=ROLES, help=N_("what they may do"))
    user_add.add_argument("--artisan-id", help=N_("required for --role artisan: their registered artisan id"))
    user_add.add_argument("--depot", help=N_("depot code of a warehouse user"))
    user_add.add_argument("--cooperative", help=N_("required for --role secretary: their cooperative"))
    user_add.add_argument("--name", help=N_("their display name, as the pages name them (a staff login's is told to "
                                            "the other services)"))
    user_add.add_argument("--name-hi", help=N_("their display name in Hindi, for Hindi pages"))
    user_add.add_argument("--password-stdin", action="store_true", help=N_("read the password from stdin"))
    local_cli.add_data_dir_option(user_add)
    user_password = user_commands.add_parser(
        "password", help=N_("give a user a new password (a demo user's before others can reach rawbank, or a "
                            "forgotten one); asked for, or read from stdin with --password-stdin"))
    user_password.add_argument("username", help=N_("the name they log in with"))
    user_password.add_argument("--password-stdin", action="store_true", help=N_("read the password from stdin"))
    local_cli.add_data_dir_option(user_password)

    check = sub.add_parser("reconcile", help=N_("check that the services' stores agree; exit 1 on a mismatch"))
    check.add_argument("--via-api", "--from-dev", dest="via_api", action="store_true",
                       help=N_("read each service's store over its API (the default in embedded mode, `rawbank dev`)"))
    for name in SERVICES:
        check.add_argument(f"--{name}-url",
                           help=N_("with --via-api (default: RAWBANK_<SERVICE>_URL, the service's address)"))
    check.add_argument("--no-dlq", action="store_true", help=N_("do not list the dead-letter topics"))
    check.add_argument("--json", action="store_true", help=N_("print the report as JSON"))
    local_cli.add_lang_option(check, N_("the report, and what it says on the way, in this language only (default: "
                                        "English, then Hindi)"))
    local_cli.add_data_dir_option(check)
    dlq = sub.add_parser("dlq", help=N_("the dead letters: list them, or send one again once its cause is fixed"))
    dlq_commands = dlq.add_subparsers(dest="dlq_command", required=True)
    dlq_list = dlq_commands.add_parser("list", help=N_("every dead letter: event id, type, topic, who kept it and why, "
                                                       "where it was seen and whether it was sent again"))
    dlq_list.add_argument("--json", action="store_true", help=N_("print them as JSON"))
    dlq_resend = dlq_commands.add_parser(
        "resend", help=N_("send dead letters again to the topic they came from (each service applies an event once)"))
    dlq_resend.add_argument("event_ids", nargs="+", metavar="EVENT_ID", help=N_("the event id `rawbank dlq list` shows"))
    for part in (dlq_list, dlq_resend):
        part.add_argument("--topic", action="append", choices=TOPICS,  # a typo'd one read as "no dead letters"
                          help=N_("a topic whose dead letters to read (default: all)"))
        local_cli.add_data_dir_option(part)
        local_cli.add_lang_option(part)
    local_cli.add_commands(sub)

    sub.add_parser("env", help=N_("list the environment variables rawbank reads"))
    _service_commands(sub)
    return parser


def port(text: str) -> int:
    """A port to listen on, 1 to 65535; argparse refuses anything else as an `invalid port value`, in Hindi too."""
    value = int(text)
    if not 1 <= value <= 65535:
        raise ValueError(text)
    return value


def _service_commands(sub) -> None:
    """The commands services declare in their specs (`rawbank reports rebuild`, ...)."""
    from shared.spec import all_specs
    groups = {}
    for spec in all_specs():
        for command in spec.commands:
            if command.group not in groups:
                groups[command.group] = sub.add_parser(command.group, help=command.group_help).add_subparsers(
                    dest=f"{command.group}_command", required=True)
            parser = groups[command.group].add_parser(command.name, help=command.help)
            for flags, keywords in command.arguments:
                parser.add_argument(*flags, **keywords)
            parser.set_defaults(run=command.run)
            local_cli.add_data_dir_option(parser)


#: commands whose --lang says everything in that language only, a refusal of the data directory too
SAYS_ONE_LANGUAGE = ("backup", "restore", "status", "dlq", "reconcile")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command in SAYS_ONE_LANGUAGE:
            console.ONLY = args.lang
        return _run(args)
    except KeyboardInterrupt:  # Ctrl-C while a command waits (a service, a copy): said, not a traceback
        print(file=sys.stderr)
        tell(STOPPED, sys.stderr)
        return 130
    except BrokenPipeError:  # whoever read the output stopped (`rawbank env | head`): nothing is wrong here
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush does not fail again
        return 1
    finally:
        console.ONLY = None  # the next command run in this process (a test) says both again


def _run(args) -> int:
    try:
        config = Config.from_env()
        if args.command in local_cli.USES_DATA_DIR or getattr(args, "run", None):  # a service's command too
            config = local_cli.resolve_config(args, config)
        if args.command == "run":
            config, _ = local_cli.prepare(config, [args.service], hold=False)
        if args.command in ("serve", "worker", "run"):
            config.check()
        if args.command in ("serve", "worker"):
            from shared.runner import check_store
            check_store(args.command, args.service, config)
    except ValueError as exc:
        refuse("rawbank", exc)
        return 2
    if args.command == "token":
        return _token(args, config)
    if args.command == "user":
        return _user(args, config)
    if args.command == "reconcile":
        from shared import reconcile_cli
        broker_known = not local_cli.broker_unknown(config)  # as `rawbank dlq`: else its part asks no broker
        config = local_cli.reaching_running(config)
        urls = {name: getattr(args, f"{name}_url") or getattr(config, f"{name}_url") for name in SERVICES}
        return reconcile_cli.main(config, via_api=args.via_api, urls=urls, dlq=not args.no_dlq, as_json=args.json,
                                  lang=args.lang, progress=sys.stderr.isatty(),  # a person watching: say each step
                                  broker_known=broker_known)
    if args.command == "dlq":
        from shared import dlq_cli
        if local_cli.broker_unknown(config):  # `rawbank dev --memory` writes no running.json: not 9092 by guess
            tell(local_cli.NO_BROKER_KNOWN, sys.stderr, command=dlq_cli.COMMAND, path=config.data_dir)
            return 2
        return dlq_cli.main(local_cli.reaching_running(config), args)
    if args.command in ("backup", "restore", "status"):
        return local_cli.run_command(args, config)
    if getattr(args, "run", None):
        return args.run(local_cli.reaching_running(config), args)
    if args.command == "env":
        for name, doc in environment_variables().items():  # what each means, in English, then in Hindi below
            english, hindi = in_both(doc)
            print(f"{name:32} {english}\n{'':32} {hindi}")
        return 0
    from shared.web import configure_logging
    configure_logging(config.log_level)
    if args.command == "dev":
        from shared.dev import start
        return start(args, config, {name: getattr(args, f"{name}_port") for name in ("broker", *SERVICES)})
    from shared import runner
    {"serve": runner.serve, "worker": runner.run_worker, "run": runner.run_embedded}[args.command](
        args.service, config)
    return 0


def _token(args, config: Config) -> int:
    from shared.auth import issue_token
    if args.role == "secretary" and not args.cooperative:
        tell(TOKEN_NEEDS_COOPERATIVE, sys.stderr)
        return 2
    if args.role == "artisan" and not args.artisan_id:
        tell(TOKEN_NEEDS_ARTISAN, sys.stderr)
        return 2
    if args.ttl is not None and not 1 <= args.ttl <= MAX_TOKEN_TTL:  # 0 or less: a token already expired
        tell(TOKEN_TTL, sys.stderr, most=MAX_TOKEN_TTL, ttl=args.ttl)
        return 2
    from shared import token_check
    refused = token_check.refusal(args, config)
    if refused:
        tell(refused[0], sys.stderr, **refused[1])
        return 2
    ttl = config.jwt_ttl_seconds if args.ttl is None else args.ttl
    if config.jwt_secret == EMBEDDED_JWT_SECRET:  # run elsewhere than the data directory: the services refuse it
        tell(TOKEN_BUILT_IN_SECRET, sys.stderr, path=config.data_dir)
    named = token_check.name_of(args.sub, config)  # as a login's token: the pages' header names the person
    print(issue_token(config.jwt_secret, sub=args.sub, role=args.role, artisan_id=args.artisan_id,
                      depot=args.depot, cooperative=args.cooperative, ttl_seconds=ttl, name=named.get("name"),
                      name_hi=named.get("name_hi")))
    return 0


def _user(args, config: Config) -> int:
    """`rawbank user add` and `rawbank user password`, in the service keeping the people who log in."""
    from shared.spec import declaring
    spec, command = declaring("add_user"), f"rawbank user {args.user_command}"
    if config.embedded and not (config.data_dir and DataDir(config.data_dir).store(spec.name).exists()):
        from shared.reconcile import service  # its name in Hindi ("अनुरोध सेवा"), its code in English
        tell(USER_WHERE, sys.stderr, command=command, service=service(spec.name))
        return 2
    from shared.runtime import Runtime
    from pymongo.errors import PyMongoError
    runtime = None
    try:
        runtime = Runtime(spec, config)  # the store is free (or MongoDB answers) before anyone types a password
        stopped = {"start": start_command(config.data_dir)} if config.embedded else {}  # its services with it
        login = dict(username=args.username, **{name: getattr(args, name, None) for name in
                                                ("role", "artisan_id", "depot", "cooperative", "name", "name_hi")},
                     **stopped)
        if args.user_command == "add":
            spec.add_user(runtime.db, password=None, **login)  # a login it cannot add is refused before the password
        else:  # and a login nobody has, before its new password is typed
            spec.set_password(runtime.db, username=args.username, password=None)
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else _ask_password(command)
        if args.user_command == "password":
            print(spec.set_password(runtime.db, username=args.username, password=password,
                                    token_ttl=config.jwt_ttl_seconds))
        else:
            print(spec.add_user(runtime.db, password=password, **login))
    except (ValueError, PyMongoError) as exc:  # on one machine: also while rawbank runs there
        if isinstance(exc, DataDirInUse):  # the page does it while rawbank runs: one message, no second rawbank
            url = local_cli.reaching_running(config).requests_url.rstrip("/") + "/admin/users"  # its own ports
            tell(USERS_PAGE, sys.stderr, command=command, url=url, path=config.data_dir)
        else:
            refuse(command, exc)
        return 2
    except (EOFError, KeyboardInterrupt) as exc:  # no terminal to ask on, or Ctrl-C at the prompt
        print(file=sys.stderr)
        tell(NO_PASSWORD, sys.stderr, command=command)
        return 130 if isinstance(exc, KeyboardInterrupt) else 2
    finally:
        if runtime is not None:
            runtime.close()
    return 0


def _ask_password(command: str) -> str:
    import getpass
    password = getpass.getpass("Password / पासवर्ड: ")
    if getpass.getpass("Password again / पासवर्ड दोबारा: ") != password:
        tell(PASSWORDS_DIFFER, sys.stderr, command=command)
        raise SystemExit(2)
    return password


if __name__ == "__main__":
    sys.exit(main())
