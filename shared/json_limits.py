"""JSON bodies parsed only within limits: nesting depth and the length of a number are checked first.

Python's parser recurses once per level (a thousand levels end in RecursionError) and turns a
number of thousands of digits into an int slowly or not at all; neither may reach it.
"""
from __future__ import annotations

import json
import re
from itertools import accumulate

MAX_DEPTH = 32
MAX_NUMBER_LENGTH = 64  # characters of one number: far more than any quantity or amount needs

# a string (unterminated ones too, to the end, so a scan never restarts inside one), a bracket, a number
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*+"?|[\[\]{}]|-?[0-9][0-9.eE+-]*', re.DOTALL)
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_LONG_RUN = re.compile(r"[0-9.eE+-]{%d,}" % (MAX_NUMBER_LENGTH + 1))


class DuplicateKey(ValueError):
    """An object names one key twice: which value was meant cannot be known (Python keeps the last, others the
    first), so what a proxy or an audit log in front reads could differ from what is stored."""


def _object(pairs: list) -> dict:
    made = dict(pairs)
    if len(made) != len(pairs):
        seen = set()
        raise DuplicateKey(next(key for key, _ in pairs if key in seen or seen.add(key)))
    return made


_DECODER = json.JSONDecoder(object_pairs_hook=_object)


def loads(text: str):
    """json.loads, after refusing (json.JSONDecodeError) too deep nesting and too long numbers; DuplicateKey for an
    object that names a key twice."""
    if text.count("[") + text.count("{") > MAX_DEPTH or _LONG_RUN.search(text):
        _check(text)  # only then can a limit be passed: the usual small body skips the scan
    return _DECODER.decode(text)


def _check(text: str) -> None:
    """Raise json.JSONDecodeError if a number outside the strings is too long or the nesting too deep."""
    steps = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _STEP:
            steps.append(_STEP[token])
        elif token[0] != '"' and len(token) > MAX_NUMBER_LENGTH:
            raise json.JSONDecodeError(f"a number longer than {MAX_NUMBER_LENGTH} characters", text, match.start())
    if steps and max(accumulate(steps)) > MAX_DEPTH:
        raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", text, 0)
