"""Cells of CSV exports, written so a spreadsheet never runs one as a formula."""
from __future__ import annotations

#: a spreadsheet may read a cell starting with one of these (full-width forms too) as a formula
FORMULA_STARTS = frozenset("=+-@＝＋－＠")


def safe_cell(text: str) -> str:
    """`text`, behind a quote if a spreadsheet could take it for a formula (also after leading blanks or controls)."""
    first = text[:1]
    if first in FORMULA_STARTS or first.isspace() or (first and not first.isprintable()):
        return "'" + text
    return text
