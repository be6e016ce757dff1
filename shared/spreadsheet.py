"""CSV that spreadsheets open safely: no cell is read as a formula, and Hindi is read as Hindi.

Every CSV rawbank gives starts with a UTF-8 byte order mark (BOM): Excel on Windows reads a CSV
without one in the ANSI code page, which garbles every Hindi text (status_text, names, alert
titles). Spreadsheets, and Python with encoding "utf-8-sig", take the mark off the first column's
name; the HTTP answers stay `text/csv; charset=utf-8`.
"""
from __future__ import annotations

import csv
import io

#: a spreadsheet may read a cell starting with one of these (full-width forms too) as a formula
FORMULA_STARTS = frozenset("=+-@＝＋－＠")
#: what a CSV starts with, so that Excel reads it as UTF-8 (U+FEFF, the bytes EF BB BF in UTF-8)
BOM = "\ufeff"


def safe_cell(text: str) -> str:
    """`text`, behind a quote if a spreadsheet could take it for a formula (also after leading blanks or controls)."""
    first = text[:1]
    if first in FORMULA_STARTS or first.isspace() or (first and not first.isprintable()):
        return "'" + text
    return text


def csv_text(header, rows) -> str:
    """A whole CSV document, after the BOM; numbers given as numbers or number strings are left as they are."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def csv_chunks(header, rows, size: int = 32_000):
    """A CSV document streamed in pieces of about `size` characters (the first after the BOM), for lists too long to
    build at once."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > size:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
