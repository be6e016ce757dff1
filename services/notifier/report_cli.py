"""`rawbank reports rebuild`: fold the notifier's event log into the department's reports again."""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

from shared.spec import Command


def rebuild(config, args) -> int:
    """Against MongoDB, on the notifier's database; in embedded mode (the store lives in the service) over its API."""
    try:
        found = _over_api(config, args.notifier_url or config.notifier_url) if config.embedded or args.via_api \
            else _on_database(config)
    except (OSError, urllib.error.URLError, ValueError) as exc:
        print(f"rawbank reports rebuild: could not rebuild: {exc}", file=sys.stderr)
        return 2
    print(f"rebuilt the reports from {found['events']} event(s) in {found['seconds']} s")
    return 0


def _over_api(config, url: str) -> dict:
    from shared.auth import issue_token
    token = issue_token(config.jwt_secret, sub="rawbank-reports", role="admin", ttl_seconds=300)
    request = urllib.request.Request(f"{url.rstrip('/')}/api/v1/reports/rebuild", method="POST", data=b"{}",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


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
    group="reports", name="rebuild", group_help="the department's reports (notifier)",
    help="build the reports again from the notifier's event log", run=rebuild,
    arguments=((("--via-api",), {"action": "store_true", "help": "over the notifier's API (default in embedded mode)"}),
               (("--notifier-url",), {"help": "with --via-api (default RAWBANK_NOTIFIER_URL)"})))
