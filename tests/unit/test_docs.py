"""The documents name only files that exist and link only to files that exist, so a rename shows up here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ("README.md", "docs/architecture.md", "docs/events.md", "services/inventory/README.md")
PATH = re.compile(r"`((?:shared|services|tests|bench|docs)/[\w./-]*)`")  # e.g. `shared/relay.py`
LINK = re.compile(r"\]\(([^)#:]+)(?:#[^)]*)?\)")  # a relative Markdown link, e.g. [x](docs/events.md)


def exists(path: str) -> bool:
    """A file or folder, or a name in a module written as `shared/errors.OUTCOMES`."""
    module, _, name = path.rpartition(".")
    return (ROOT / path).exists() or bool(name.isidentifier() and (ROOT / f"{module}.py").is_file())


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_file_a_document_names_or_links_to_exists(document):
    source = ROOT / document
    text = source.read_text(encoding="utf-8")
    missing = [path for path in PATH.findall(text) if not exists(path)]
    missing += [link for link in LINK.findall(text) if not (source.parent / link).exists()]
    assert missing == []


def test_the_check_sees_a_path_that_is_gone():
    text = "see `shared/relay.py`, `shared/errors.OUTCOMES` and `services/inventory/stockops.py`"
    assert [path for path in PATH.findall(text) if not exists(path)] == ["services/inventory/stockops.py"]
    assert not exists("shared/errors.NOPE.py") and not exists("shared/nothing.OUTCOMES")
    assert LINK.findall("[events](events.md#stocklow) and [site](https://example.org)") == ["events.md"]


def test_the_requests_readme_says_e_mails_link_to_their_page_as_the_architecture_does():
    """services/requests/README.md said of a recorded share's e-mail "(e-mails carry no links)", where
    docs/architecture.md says every e-mail about something a person can open links to it (services/notifier/links.py,
    a recorded share to its #dispute-share part)."""
    readme = " ".join((ROOT / "services/requests/README.md").read_text(encoding="utf-8").split())
    assert "carry no link" not in readme and "no links" not in readme
    assert "e-mail's link" in readme and "#dispute-share" in readme
    links = (ROOT / "services/notifier/links.py").read_text(encoding="utf-8")
    assert '"#dispute-share"' in links
