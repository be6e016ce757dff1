"""Reconciliation: do the services' stores agree with each other and with their ledgers?

Each service declares in its spec a `Reconciliation` (shared/reconciliation.py): how its store is
summarised as *facts* (plain JSON), the checks it is the authority for, and the figures it adds to
the report. This module is the mechanism: it gathers facts (straight from a database, or as each
service's admin-only `GET /api/v1/admin/reconcile-data` serves them), counts undrained outboxes,
runs every declared check and writes the report. Checks run in three rounds: each store on its own,
then what is still in an outbox, then each service's agreement with the others.

It only reads. Run it when traffic is quiet: anything still in flight (an approval inventory
has not answered, an outbox not yet published) is reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from shared import dead_letters
from shared.i18n import N_, translate
from shared.names import moment
from shared.reconciliation import Facts, Problem, Word
from shared.spec import SERVICES, ServiceSpec, load_spec

#: a service as its name reads in the report's language (what `rawbank reconcile --lang hi` says for "notifier")
SERVICE_NAMES = {"inventory": N_("inventory service"), "requests": N_("requests service"),
                 "notifier": N_("notifier service")}


def service(name: str) -> Word:
    """A service's name in a problem or a progress line: its code in English, its name in Hindi."""
    return Word(name, SERVICE_NAMES.get(name))


TITLE = N_("rawbank reconcile")
DLQ = N_("dead-letter topics: {count} message(s)")
DEAD_LETTERS = N_("dead letters: {count} (the broker's .dlq topics and the notifier's copies, each once)")
DEAD_LETTERS_UNREAD = N_("dead letters: not read this time")
CLEAN = N_("verdict: CLEAN — every check passed")
MISMATCHES = N_("verdict: {count} MISMATCH(ES)")
OUTBOX = N_("{service} outbox not drained: {count} event(s) in {collection}")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    dlq: list[dict] = field(default_factory=list)
    words: dict = field(default_factory=dict)  # codes in the counts' figures -> what a person reads

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self, lang: str = "en", *, dead_letters_read: bool = True) -> str:
        """The report for a person, in English or Hindi (`rawbank reconcile --lang hi`)."""
        return "\n".join(self.lines(lang, dead_letters_read=dead_letters_read))

    def lines(self, lang: str = "en", *, dead_letters_read: bool = True) -> list[str]:
        """The report's lines in `lang`, the same lines in every language; the counts' names are catalog texts too,
        a dead letter's reason is the consumer's own words, kept as they are, with what it means under it."""
        def said(text: str, **params) -> str:
            return translate(text, lang, **params)

        lines = [said(TITLE)]
        def figure(value) -> str:  # a count by kind (requisitions by status) as words, not a Python dict
            if not isinstance(value, dict):
                return str(value)
            return ", ".join(f"{said(self.words.get(code, code))} {n}" for code, n in value.items()) or "0"

        lines += [f"  {said(name)}: {figure(value)}" for name, value in self.counts.items()]
        lines.append(said(DEAD_LETTERS, count=len(self.dlq)) if dead_letters_read else said(DEAD_LETTERS_UNREAD))
        for m in self.dlq:  # as `rawbank dlq list` merges them (shared/dlq_cli.letters), with where each was seen
            where = dead_letters.where_seen(m)
            lines.append(f"  {m.get('event_id') or '?'}  {m['topic']}[{m['partition']}]@{m['offset']} "
                         f"{m.get('type') or '?'} group={m.get('consumer_group') or '?'}: {m.get('reason') or '?'}"
                         + (f" ({said(where)})" if where else ""))
            lines.append("    " + dead_letters.explain(m, lang))  # what the reason means and what to do next
            if m.get("resends"):
                last = m["resends"][-1]
                lines.append("    " + said(dead_letters.SENT_AGAIN, count=len(m["resends"]),
                                            at=moment(last["at"], lang), by=last["by"]))  # India's time
        if self.ok:
            lines.append(said(CLEAN))
        else:
            lines.append(said(MISMATCHES, count=len(self.problems)))
            lines += [f"  - {problem.said(lang)}" for problem in self.problems]
        return lines

    def to_dict(self) -> dict:
        return {"ok": self.ok, "problems": self.problems, "counts": self.counts, "dlq": self.dlq}


def _outbox_count(collection) -> int:
    rows = collection.aggregate([{"$match": {"outbox.event_id": {"$exists": True}}},  # the sparse index
                                 {"$project": {"n": {"$size": "$outbox"}}},
                                 {"$group": {"_id": None, "n": {"$sum": "$n"}}}])
    return next(iter(rows), {"n": 0})["n"]


def facts(spec: ServiceSpec, db) -> Facts:
    """One service's facts, with the events still waiting in each of its outboxes."""
    found = spec.reconcile.facts(db) if spec.reconcile else {}
    if spec.outbox_collections:
        found["outbox"] = {name: _outbox_count(db[name]) for name in spec.outbox_collections}
    return found


def facts_of(databases: Mapping[str, object]) -> dict[str, Facts]:
    """The facts of each service's database, by service name."""
    return {name: facts(load_spec(name), db) for name, db in databases.items()}


def check(found: Mapping[str, Facts], dlq: list[dict] | None = None) -> Report:
    """Compare the facts of the services given; every disagreement is one line of the report's problems."""
    report = Report(dlq=list(dlq or []))
    present = [(name, load_spec(name).reconcile) for name in SERVICES if name in found]
    present = [(name, rules) for name, rules in present if rules is not None]
    for name, rules in present:
        for rule in rules.checks:
            report.problems += rule(found[name])
    for name in (name for name in SERVICES if name in found):
        for collection, pending in found[name].get("outbox", {}).items():
            if pending:
                report.problems.append(Problem(OUTBOX, service=service(name), count=pending,
                                               collection=collection))
    for name, rules in present:
        for rule in rules.agreements:
            report.problems += rule(found)
        if rules.counts:
            report.counts.update(rules.counts(found[name]))
            report.words.update(rules.words)
    return report
