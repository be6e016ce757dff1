"""The gettext catalogs: every marked text is in them and translated to Hindi, and the .mo files are current.

A text is its msgid in its context (msgctxt, none for most): the same English in two contexts is two texts, each
translated (an alert's "Open" is खुली, a depot's खुला). When one of these fails, run `make catalogs`, translate what
is new in the Hindi .po, run it again.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "shared" / "translations"
LOCALES = ("en", "hi")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def po_path(locale: str) -> Path:
    return DIRECTORY / locale / "LC_MESSAGES" / "messages.po"


def read(locale: str):
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def extracted() -> set[tuple[str | tuple, str | None]]:
    """Every text babel.cfg marks, as `pybabel extract -F babel.cfg` finds them: (msgid, context)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {(message, context) for _, _, message, _, context in
            extract_from_dir(ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS)}


def texts_of(catalog) -> set[tuple[str | tuple, str | None]]:
    return {(m.id, m.context) for m in catalog if m.id}


def test_every_marked_text_is_translated_to_hindi():
    hindi = read("hi")
    untranslated = [(text, context) for text, context in extracted()
                    if not (hindi.get(text, context) and hindi.get(text, context).string)]
    assert not untranslated, f"run `make catalogs` and translate: {untranslated}"


def test_a_text_in_a_context_is_extracted_in_it_from_python_and_from_templates():
    """`NC_` (babel.cfg's keywords) and a template's `pgettext` are extracted with their contexts."""
    shown = extracted()
    assert {("Open", "alert"), ("Open", "depot"), ("Resolved", "alert")} <= shown
    hindi = read("hi")
    assert hindi.get("Open", "alert").string != hindi.get("Open", "depot").string


def test_no_hindi_translation_is_fuzzy():
    hindi = read("hi")
    assert not hindi.fuzzy
    assert not [m.id for m in hindi if m.id and m.fuzzy], "check and confirm these, then drop their fuzzy flag"


def test_the_catalogs_hold_exactly_the_marked_texts():
    shown = extracted()
    for locale in LOCALES:
        assert texts_of(read(locale)) == shown, f"{locale}: run `make catalogs`"


def test_translations_keep_every_placeholder():
    for message in read("hi"):
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id


@pytest.mark.parametrize("locale", LOCALES)
def test_committed_mo_files_are_the_compiled_po_files(locale):
    with po_path(locale).with_suffix(".mo").open("rb") as handle:
        committed = {(m.id, m.context): m.string for m in read_mo(handle) if m.id}
    expected = {(m.id, m.context): m.string for m in read(locale) if m.id and m.string and not m.fuzzy}
    assert committed == expected, f"{locale}: run `make catalogs` and commit the .mo"
