"""The one translation system: the gettext catalogs in shared/translations and the request's language.

Every text a person reads is an English msgid in the catalogs: templates and page code mark theirs
with Flask-Babel's `_`/`_l`; other code marks a text with `N_` where it is written and translates
it with `translate` where it is shown, in the language of the person it is for. `translate` reads
the catalogs itself, so it works outside a request too (the notifier's worker threads have no app
context, where Flask-Babel's `force_locale` changes nothing). `make catalogs` updates them.

Where the same English needs other Hindi by what it describes (an alert's "Open" is खुली, चेतावनी
being feminine; a depot's is खुला), the text has a context (gettext's msgctxt): `pgettext(context,
text)` in templates and pages, `NC_(context, text)` elsewhere, which `translate` and `lazy` read in it.
"""
from __future__ import annotations

import functools
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import has_request_context, request
from flask_babel import lazy_gettext, lazy_pgettext

LANGUAGES = ("en", "hi")
LANG_COOKIE = "rawbank_lang"
DIRECTORY = Path(__file__).resolve().parent / "translations"
FIELD_MESSAGES: set[str] = set()


def N_(text: str) -> str:
    """Mark a text for the catalogs; it is translated where it is shown."""
    return text


class InContext(str):
    """A text marked with its context: the English as it reads, the context for its translation."""

    context: str

    def __new__(cls, context: str, text: str):
        marked = super().__new__(cls, text)
        marked.context = context
        return marked

    def __getnewargs__(self):  # copied or pickled, it keeps its context
        return self.context, str(self)


def NC_(context: str, text: str) -> InContext:
    """Mark a text for the catalogs in a context (its msgctxt), for `translate` and `lazy` to read in it."""
    return InContext(context, text)


def lazy(text: str):
    """A page's lazy `text` (Flask-Babel's `_l`), in its context if it was marked with one."""
    context = getattr(text, "context", None)
    return lazy_pgettext(context, str(text)) if context else lazy_gettext(text)


def F_(text: str) -> str:
    """Mark an API field-level validation message: in the catalogs, and translated in error details."""
    FIELD_MESSAGES.add(text)
    return text


def language() -> str:
    """The language to answer in: the language cookie if set, else the best of Accept-Language, else English."""
    if not has_request_context():
        return "en"
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default="en")


@functools.cache
def catalog(lang: str) -> NullTranslations:
    return Translations.load(str(DIRECTORY), [lang])


class _Keep(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def translate(text: str, lang: str | None = None, /, **params) -> str:
    """`text` in `lang` (the request's language by default) with its `{name}` placeholders filled.

    A placeholder without a value stays as it is, so a text never fails for a missing detail.
    """
    lang = lang or language()
    found, context = catalog(lang if lang in LANGUAGES else "en"), getattr(text, "context", None)
    translated = found.pgettext(context, text) if context else found.gettext(text)
    if params and "{" in translated:
        translated = translated.format_map(_Keep(params))
    return translated


def said(labels: dict, code: str | None, lang: str) -> str:
    """`code` in `lang` as `labels` (code -> text marked N_) name it, as a CSV column says it; empty for a code they do
    not name."""
    return translate(labels[code], lang) if code in labels else ""


def in_both(text: str, /, **params) -> tuple[str, str]:
    """`text` in English and in Hindi, for what is said to a person in both (the `rawbank` command)."""
    return translate(text, "en", **params), translate(text, "hi", **params)
