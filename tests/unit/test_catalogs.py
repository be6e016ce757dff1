"""The pages' gettext catalogs: every text has a Hindi translation, and the committed .mo files match."""
from __future__ import annotations

import re

from babel.messages.mofile import read_mo

from shared.catalogs import LOCALES, extract, po_path, read

PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def test_every_text_of_the_pages_is_in_the_hindi_catalog_and_translated():
    hindi = read("hi")
    missing = [text for text in (m.id for m in extract() if m.id) if not (hindi.get(text) and hindi.get(text).string)]
    assert not missing, f"run `python -m shared.catalogs` and translate: {missing}"


def test_translations_keep_every_placeholder():
    for message in read("hi"):
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id


def test_no_catalog_keeps_texts_the_pages_no_longer_show():
    shown = {m.id for m in extract() if m.id}
    for locale in LOCALES:
        assert {m.id for m in read(locale) if m.id} == shown, locale


def test_committed_mo_files_are_the_compiled_po_files():
    for locale in LOCALES:
        with po_path(locale).with_suffix(".mo").open("rb") as handle:
            committed = {m.id: m.string for m in read_mo(handle) if m.id}
        expected = {m.id: m.string for m in read(locale) if m.id and m.string}
        assert committed == expected, f"{locale}: run `python -m shared.catalogs` and commit the .mo"
