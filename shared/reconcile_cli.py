"""Running `rawbank reconcile`: gather the facts (MongoDB or the admin API), list the dead letters as `rawbank dlq
list` does (the broker's .dlq topics and the notifier's copies, shared/dlq_cli.letters), print."""
from __future__ import annotations

import json
import sys

from shared import admin_api, dead_letters
from shared.console import both_lines, tell
from shared.i18n import LANGUAGES, N_, translate
from shared.local_cli import NO_BROKER_KNOWN
from shared.reconcile import check, facts_of, service
from shared.runtime import database_name
from shared.spec import SERVICES

COMMAND = "rawbank reconcile"
UNREADABLE = N_("rawbank reconcile: could not read the stores: {error}")
DLQ_UNREAD = N_("could not read the dead-letter topics at {servers}: {error}")
NOTE = N_("note: {text}")
READING = N_("[{step}/{steps}] Reading the {service} store's facts ({where}) ...")


def gather(config, *, via_api: bool, urls: dict[str, str] | None = None, progress: bool = False) -> dict[str, dict]:
    """Every service's facts: from MongoDB (MONGO_URI), or over HTTP with an admin token (admin_api.Unanswered).

    With `progress`, a line on stderr as each store is read (a year of records takes a while)."""
    def reading(step: int, name: str, where: str) -> None:
        if progress:  # the service named in each language (its code in English)
            tell(READING, sys.stderr, step=step, steps=len(SERVICES), service=service(name), where=where)

    found = {}
    if via_api:
        token = admin_api.admin_token(config, "rawbank-reconcile")
        for step, name in enumerate(SERVICES, 1):
            url = f"{urls[name].rstrip('/')}/api/v1/admin/reconcile-data"
            reading(step, name, url)
            found[name] = admin_api.call(url, token)
        return found
    from shared.mongo import connect
    client = connect(config.mongo_uri)
    try:
        for step, name in enumerate(SERVICES, 1):
            reading(step, name, database_name(name))
            found.update(facts_of({name: client[database_name(name)]}))
        return found
    finally:
        client.close()


def main(config, *, via_api: bool, urls: dict[str, str], dlq: bool = True, as_json: bool = False,
         lang: str | None = None, progress: bool = False, broker_known: bool = True) -> int:
    """`rawbank reconcile`: print the report (in `lang`; without it each line in English, then in Hindi); 0 if
    clean, 1 on any mismatch, 2 if a store is unreachable. MONGO_URI's databases are read, or each service's over
    its API with `via_api` or when the store is embedded.

    An error says, in English and Hindi, what to do next; `progress` says on stderr which store is being read.
    Without `broker_known` (local_cli.broker_unknown: on one machine, no running.json and no KAFKA_BOOTSTRAP_SERVERS)
    the dead letters are not read, and the report says why and how to name the broker, as `rawbank dlq` does."""
    from shared.events import TOPICS
    try:  # the embedded store lives inside each service: read over their APIs, as `rawbank reports rebuild` does
        found = gather(config, via_api=via_api or config.embedded, urls=urls, progress=progress)
    except admin_api.Unanswered as exc:
        admin_api.explain(COMMAND, exc, config, "--inventory-url, --requests-url, --notifier-url")
        return 2
    except Exception as exc:  # one clear line instead of a traceback for an operator
        tell(UNREADABLE, sys.stderr, error=exc)
        return 2
    messages, dlq_error = [], None
    if dlq and not broker_known:  # not 9092 by guess: it may be another rawbank's broker, or nothing
        dlq_error = (NO_BROKER_KNOWN, {"command": COMMAND, "path": config.data_dir})
    elif dlq:  # what `rawbank dlq list` lists: the broker's .dlq topics merged with the notifier's copies, each once
        from shared.dlq_cli import letters
        unread = []
        try:
            messages = [dead_letters.shown(entry) for entry in letters(
                config.with_(notifier_url=urls.get("notifier") or config.notifier_url), TOPICS, command=COMMAND,
                flags="--notifier-url", unread=unread)]
        except Exception as exc:
            unread.append(exc)
        if unread:
            dlq_error = (DLQ_UNREAD, {"servers": config.kafka_bootstrap_servers, "error": unread[0]})
    report = check(found, messages)
    if as_json:
        print(json.dumps({**report.to_dict(), "dlq_error": dlq_error and translate(dlq_error[0], "en", **dlq_error[1])},
                         indent=2, ensure_ascii=False))
    else:
        lines = {said_in: report.lines(said_in, dead_letters_read=dlq and dlq_error is None)  # "0" only when read
                 for said_in in ([lang] if lang else LANGUAGES)}
        if dlq_error:
            for said_in, said in lines.items():
                said.append(translate(NOTE, said_in, text=translate(dlq_error[0], said_in, **dlq_error[1])))
        print("\n".join(lines[lang]) if lang else both_lines(*lines.values()))
    return 0 if report.ok else 1
