"""CSV that spreadsheets open safely: no cell is read as a formula."""
from __future__ import annotations

import csv
import io

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text as a spreadsheet shows it, never run: a leading formula character gets a quote."""
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def csv_text(header, rows) -> str:
    """A whole CSV document; numbers given as numbers or number strings are left as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()
