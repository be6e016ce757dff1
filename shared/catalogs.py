"""The pages' gettext catalogs: extract the texts, update the .po files, compile the .mo files.

After changing a text in a page: `.venv/bin/python -m shared.catalogs`, translate the new entries
in shared/translations/hi/LC_MESSAGES/messages.po, and run it again to compile. The .mo files are
committed so a fresh clone needs no build step; tests/unit/test_catalogs.py checks they match.
"""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = Path(__file__).resolve().parent / "translations"
LOCALES = ("en", "hi")
DOMAIN = "messages"
METHODS = [("shared/templates/**.html", "jinja2"), ("services/*/templates/**.html", "jinja2"),
           ("shared/pages.py", "python"), ("services/*/pages.py", "python")]
OPTIONS = {"**.html": {"newstyle_gettext": "true"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def po_path(locale: str) -> Path:
    return DIRECTORY / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every text the pages show, from the templates and the pages modules."""
    template = Catalog(project="rawbank", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, METHODS, OPTIONS, keywords=KEYWORDS, strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(locale: str) -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    """Bring each .po up to date with the pages' texts and compile its .mo."""
    template = extract()
    for locale in LOCALES:
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read(locale) if path.exists() else Catalog(locale=locale, domain=DOMAIN, project="rawbank")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
        path.with_suffix(".mo").write_bytes(compiled(read(locale)))


if __name__ == "__main__":
    update()
    for locale in LOCALES:
        missing = [m.id for m in read(locale) if m.id and not m.string]
        print(f"{locale}: {len(read(locale))} texts, {len(missing)} without a translation")
