"""`shared.console.tell` says a catalog text in English, then in Hindi. A parameter that says itself per language
(a `Word`: a service, a topic) was given as its English code to both lines, so `rawbank dlq`, `backup` and `dev`
built `say(*(translate(..., lang, ...) for lang in ("en", "hi")))` by hand; tell now says it in each line's
language."""
from __future__ import annotations

import io

from shared import console, dlq_cli, reconcile_cli
from shared.console import Said, joined, tell
from shared.reconcile import service


def told(text: str, **params) -> list[str]:
    out = io.StringIO()
    tell(text, out, **params)
    return out.getvalue().splitlines()


def test_tell_says_a_word_parameter_in_the_language_of_each_line():
    english, hindi = told(reconcile_cli.READING, step=1, steps=3, service=service("inventory"), where="inventory")
    assert english == "[1/3] Reading the inventory store's facts (inventory) ..."
    assert hindi == "  [1/3] इन्वेंटरी सेवा के डेटा से तथ्य पढ़े जा रहे हैं (inventory) ..."  # the code stays in where


def test_words_joined_and_a_value_said_per_language_are_said_in_each_line(monkeypatch):
    english, hindi = told(dlq_cli.NONE, topics=joined(dlq_cli.topic(name) for name in dlq_cli.TOPIC_NAMES))
    assert english == "rawbank dlq: no dead letters in inventory.events, requests.events."
    assert hindi == "  rawbank dlq: इन्वेंटरी सेवा की संदेश-कतार, अनुरोध सेवा की संदेश-कतार में कोई अटका संदेश नहीं है।"
    moment = Said(lambda lang: {"en": "at night", "hi": "रात"}[lang])
    assert moment == "at night"  # a str, its English: what a log or a JSON reads
    monkeypatch.setattr(console, "ONLY", "hi")  # `--lang hi`: the Hindi line alone
    assert told(dlq_cli.SENT_AGAIN, count=1, at=moment, by="adm") == [
        "1 बार दोबारा भेजा गया, आख़िरी बार रात को, adm ने"]
