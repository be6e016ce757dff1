"""Errors say what to do next: a refusal for something a person typed or sent (a number, a code, a name, a login)
says how to put it right, not only that nothing was found or that the login failed."""
from __future__ import annotations

import re

import pytest

from shared.errors import NotFound, Unauthenticated
from tests.unit.test_errors import every_error_class

#: words that start a next step in these messages: check what was typed, choose or find it where it is listed,
#: register or add it first, log in (again), ask an admin, sign the callback
NEXT_STEP = re.compile(r"\b(check|choose|find|register|add|log in|ask|sign it|see|lists)\b", re.IGNORECASE)


def typed_wrong():
    """Each error class a person gets for an id, code, name or login that nothing matches (NotFound, Unauthenticated),
    once."""
    seen = {}
    for cls in every_error_class():
        if issubclass(cls, (NotFound, Unauthenticated)):
            seen.setdefault(f"{cls.__module__}.{cls.__qualname__}", cls)
    return sorted(seen.items())


def test_the_rule_covers_the_errors_people_meet_for_a_wrong_number_or_login():
    named = {name.rsplit(".", 1)[1] for name, _ in typed_wrong()}
    assert {"NotFound", "BadLogin", "OrderNotFound", "CountNotFound", "UnknownUser", "TokenInvalid"} <= named


@pytest.mark.parametrize("name,cls", typed_wrong(), ids=[name for name, _ in typed_wrong()])
def test_a_wrong_number_or_login_says_what_to_do_next(name, cls):
    for text in filter(None, (cls.message, cls.page_message)):
        assert NEXT_STEP.search(text), f"{name}: say what to do next, not only what is wrong: {text!r}"
