"""What rawbank's commands print for a person: each line in English, then in Hindi."""
from __future__ import annotations

import sys

from shared.i18n import in_both


def both(en: str, hi: str) -> str:
    """English, then Hindi on the next line, indented: how every command says a thing."""
    return f"{en}\n  {hi}"


#: "en" or "hi": a command given --lang says only that language; None: both
ONLY: str | None = None


def say(en: str, hi: str, stream=None) -> None:
    """`both` on stdout or the stream given (stderr for an error); only one of them after --lang."""
    text = {"en": en, "hi": hi}.get(ONLY) or both(en, hi)
    print(text, file=stream or sys.stdout, flush=True)


def tell(text: str, stream=None, /, **params) -> None:
    """A catalog text (marked with N_), said as `say` does."""
    say(*in_both(text, **params), stream)


def refuse(command: str, exc: Exception, stream=None) -> None:
    """`command: what is wrong` on stderr (or the stream given), in Hindi too when the error says it (a
    SettingError's `hi`)."""
    hi = getattr(exc, "hi", None)
    if hi:
        say(f"{command}: {exc}", f"{command}: {hi}", stream or sys.stderr)
    else:
        print(f"{command}: {exc}", file=stream or sys.stderr, flush=True)
