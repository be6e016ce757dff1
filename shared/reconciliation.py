"""What a service declares for `rawbank reconcile`: its `Reconciliation` (facts, checks, agreements, counts) and the
`Problem`s its checks find, said in English or Hindi.

The services and their spec (shared/spec.py) use these; the mechanism that gathers the facts and runs the checks
is shared/reconcile.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from shared.i18n import translate

Facts = dict


class Problem(str):
    """One disagreement: its English text (what the JSON report, a log or a test reads), which can say
    itself in Hindi too. `template` is a catalog text with {placeholders}; a value that is itself a
    Problem (a phrase such as "nothing") is said in the same language, every other value as it is
    (codes, figures)."""

    template: str
    params: dict

    def __new__(cls, template: str, /, **params):
        text = super().__new__(cls, template.format(**params))
        text.template, text.params = template, params
        return text

    def said(self, lang: str) -> str:
        return translate(self.template, lang, **{name: value.said(lang) if isinstance(value, Problem) else value
                                                 for name, value in self.params.items()})


class Word(Problem):
    """A code in a problem (a service's name, a status): the code itself in English, as the JSON report, a log or a
    test reads it; in another language the catalog text `text` that says it (the code when there is none)."""

    def __new__(cls, code: str, text: str | None = None):
        word = str.__new__(cls, code)
        word.template, word.params, word.text = code, {}, text
        return word

    def said(self, lang: str) -> str:
        return str(self) if lang == "en" or not self.text else translate(self.text, lang)


Problems = list[Problem]


@dataclass(frozen=True)
class Reconciliation:
    """What one service brings to `rawbank reconcile`."""

    facts: Callable[..., Facts]  # (db) -> its facts, plain JSON
    checks: tuple[Callable[[Facts], Problems], ...] = ()  # on its own facts
    agreements: tuple[Callable[[Mapping[str, Facts]], Problems], ...] = ()  # with others' facts, by service
    counts: Callable[[Facts], dict] | None = None  # figures for the report
    words: Mapping[str, str] = field(default_factory=dict)  # a code in a count's figures (a status) -> catalog text
