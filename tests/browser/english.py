"""What the Hindi render check reads on a page and the English words it looks for (issue 18, "Done when").

An English word is one of the catalogue's: a word of a msgid that its Hindi translation does not keep (codes such
as CSV, SMS or rawbank stay in the Hindi, so they are not English words here). A code is never a word: a token with
a digit, '-', '_' or '/' in it (YRN-COT-40, at_ist) or in capitals (VNS). Text inside an element marked with another
language (`lang="en"`, the English name beside the Hindi one in the catalog), marked `translate="no"` (a username,
a supplier's name, a reference as it was typed: shared.pages.as_typed) or in <code> is meant to stay as it is."""
from __future__ import annotations

import functools
import re

from babel.messages.pofile import read_po

from shared.i18n import DIRECTORY

WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
CODE = re.compile(r"\S*[0-9_/-]\S*|[A-Z]{2,}\b")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|%s")

# What a person reads or hears on the page: visible text (and screen-reader-only text, every choice of a visible
# list), the title, placeholders, labels and titles of controls; never what is inside an element marked as another
# language.
TEXTS = """() => {
  const foreign = el => { const marked = el.closest('[lang]');
    return (marked && marked.lang !== 'hi') || el.closest('[translate="no"], code, kbd, samp'); };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || ['SCRIPT', 'STYLE'].includes(el.tagName) || foreign(el)) continue;
    if (!el.checkVisibility() && !el.closest('.sr') && !(el.closest('select') || el).checkVisibility()) continue;
    out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    if (foreign(el)) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) if (el.getAttribute(name)) out.push(el.getAttribute(name));
  }
  return out;
}"""


@functools.cache
def english_words() -> frozenset[str]:
    """Words of the catalogue's msgids that their Hindi translations do not keep."""
    with open(DIRECTORY / "hi" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    words = set()
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        kept = {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", message.string))}
        words |= {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", message.id))} - kept
    return frozenset(words)


def english_in(texts: list[str]) -> list[str]:
    """Each text that has an English word, with the words."""
    vocabulary = english_words()
    found = []
    for text in texts:
        words = sorted({w for w in WORD.findall(CODE.sub(" ", text)) if w.lower() in vocabulary})
        if words:
            found.append(f"{', '.join(words)}: {text[:80]!r}")
    return sorted(set(found))


def english_on(page) -> list[str]:
    """Each text a person reads on the page that has an English word, with the words."""
    return english_in(page.evaluate(TEXTS))
