"""`rawbank reports rebuild`: fold the notifier's event log into the department's reports again."""
from __future__ import annotations

import sys

from pymongo.errors import PyMongoError

from shared import admin_api
from shared.console import tell
from shared.i18n import N_
from shared.spec import Command

COMMAND = "rawbank reports rebuild"
REBUILT = N_("rebuilt the reports from {events} event(s) in {seconds} s")
NOT_REBUILT = N_("rawbank reports rebuild: could not rebuild: {error}")


def rebuild(config, args) -> int:
    """Against MongoDB, on the notifier's database; in embedded mode (the store lives in the service) over its API."""
    try:
        if config.embedded or args.via_api:
            url = f"{(args.notifier_url or config.notifier_url).rstrip('/')}/api/v1/reports/rebuild"
            found = admin_api.call(url, admin_api.admin_token(config, "rawbank-reports"), method="POST", timeout=600)
        else:
            found = _on_database(config)
    except admin_api.Unanswered as exc:
        admin_api.explain(COMMAND, exc, config, "--notifier-url")
        return 2
    except (OSError, ValueError, PyMongoError) as exc:  # MongoDB unreachable, a setting refused
        tell(NOT_REBUILT, sys.stderr, error=exc)
        return 2
    tell(REBUILT, events=found["events"], seconds=found["seconds"])
    return 0


def _on_database(config) -> dict:
    import time

    from services.notifier import report_models
    from shared.mongo import connect
    from shared.runtime import database_name
    client, started = connect(config.mongo_uri), time.monotonic()
    try:
        events = report_models.rebuild(client[database_name("notifier")])
    finally:
        client.close()
    return {"events": events, "seconds": round(time.monotonic() - started, 3)}


REBUILD = Command(
    group="reports", name="rebuild", group_help=N_("the department's reports (notifier)"),
    help=N_("build the reports again from the notifier's event log"), run=rebuild,
    arguments=((("--via-api",), {"action": "store_true",
                                 "help": N_("over the notifier's API (default in embedded mode)")}),
               (("--notifier-url",), {"help": N_("with --via-api (default RAWBANK_NOTIFIER_URL)")})))
