"""CSV that spreadsheets open safely: no cell is read as a formula."""
from __future__ import annotations

import csv
import io

#: a spreadsheet may read a cell starting with one of these (full-width forms too) as a formula
FORMULA_STARTS = frozenset("=+-@＝＋－＠")


def safe_cell(text: str) -> str:
    """`text`, behind a quote if a spreadsheet could take it for a formula (also after leading blanks or controls)."""
    first = text[:1]
    if first in FORMULA_STARTS or first.isspace() or (first and not first.isprintable()):
        return "'" + text
    return text


def csv_text(header, rows) -> str:
    """A whole CSV document; numbers given as numbers or number strings are left as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def csv_chunks(header, rows, size: int = 32_000):
    """A CSV document streamed in pieces of about `size` characters, for lists too long to build at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > size:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
