"""What rawbank's commands print for a person: each line in English, then in Hindi."""
from __future__ import annotations


def say(en: str, hi: str) -> None:
    print(f"{en}\n  {hi}", flush=True)
