"""What rawbank's commands print for a person: each line in English, then in Hindi."""
from __future__ import annotations

import sys
from typing import Callable, Iterable

from shared.i18n import LANGUAGES, translate


def both(en: str, hi: str) -> str:
    """English, then Hindi on the next line, indented: how every command says a thing."""
    return f"{en}\n  {hi}"


def both_lines(english: Iterable[str], hindi: Iterable[str]) -> str:
    """A report's lines (the same lines in each language) as `both` says each: English, Hindi below it; a line that
    reads the same in both (a code, a dead letter's own words) once."""
    return "\n".join(en if en == hi else both(en, hi) for en, hi in zip(english, hindi, strict=True))


#: "en" or "hi": a command given --lang says only that language; None: both
ONLY: str | None = None


def say(en: str, hi: str, stream=None) -> None:
    """`both` on stdout or the stream given (stderr for an error); only one of them after --lang."""
    text = {"en": en, "hi": hi}.get(ONLY) or both(en, hi)
    print(text, file=stream or sys.stdout, flush=True)


def tell(text: str, stream=None, /, **params) -> None:
    """A catalog text (marked with N_), said as `say` does. A parameter with a `said(lang)` (a Word, a Problem, a
    `Said`: a str holding its English) is said in the language of each line; any other as it is (codes, figures,
    paths)."""
    say(*(translate(text, lang, **{name: in_language(value, lang) for name, value in params.items()})
          for lang in LANGUAGES), stream)


def in_language(value, lang: str):
    """`value` as a line in `lang` says it: its `said(lang)` if it has one, else (and in English, which a Word or a
    Problem holds as its text) the value itself."""
    said = getattr(value, "said", None)
    return said(lang) if callable(said) and lang != "en" else value


class Said(str):
    """A value `tell` says in each language as `say_in(lang)` gives it (a moment, names joined); as a str, its
    English."""

    def __new__(cls, say_in: Callable[[str], str]):
        said = super().__new__(cls, say_in("en"))
        said.say_in = say_in
        return said

    def said(self, lang: str) -> str:
        return self.say_in(lang)


def joined(values: Iterable, separator: str = ", ") -> Said:
    """Values (Words, or what every language says alike) joined, each said in the language of its line."""
    values = list(values)
    return Said(lambda lang: separator.join(str(in_language(value, lang)) for value in values))


def refuse(command: str, exc: Exception, stream=None) -> None:
    """`command: what is wrong` on stderr (or the stream given), in Hindi too when the error says it (a
    SettingError's `hi`)."""
    hi = getattr(exc, "hi", None)
    if hi:
        say(f"{command}: {exc}", f"{command}: {hi}", stream or sys.stderr)
    else:
        print(f"{command}: {exc}", file=stream or sys.stderr, flush=True)
