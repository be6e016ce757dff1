"""What rawbank's commands print for a person: each line in English, then in Hindi."""
from __future__ import annotations

import sys

from shared.i18n import translate


def say(en: str, hi: str, stream=None) -> None:
    """English, then Hindi (indented), on stdout or the stream given (stderr for an error)."""
    print(f"{en}\n  {hi}", file=stream or sys.stdout, flush=True)


def tell(text: str, stream=None, /, **params) -> None:
    """A catalog text (marked with N_), said as `say` does."""
    say(translate(text, "en", **params), translate(text, "hi", **params), stream)


def refuse(command: str, exc: Exception, stream=None) -> None:
    """`command: what is wrong` on stderr (or the stream given), in Hindi too when the error says it (a
    SettingError's `hi`)."""
    hi = getattr(exc, "hi", None)
    if hi:
        say(f"{command}: {exc}", f"{command}: {hi}", stream or sys.stderr)
    else:
        print(f"{command}: {exc}", file=stream or sys.stderr, flush=True)
