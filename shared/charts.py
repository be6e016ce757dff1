"""Bar charts drawn on the server as SVG: where each bar goes, so a page shows its chart without a script."""
from __future__ import annotations

import textwrap

#: characters on one line of the label column (192 units of 13-unit text): a longer label wraps between words onto
#: more lines, its row as tall as they are, so a long material's or district's name is read whole, in Hindi too
LINE_CHARACTERS = 24
LINE = 16  # units from one line of a label to the next


def bars(rows: list[dict], series: tuple[str, ...], *, width: int = 640, label: int = 200, bar: int = 16,
         gap: int = 14) -> dict:
    """The geometry of a horizontal bar chart, one group of bars per row.

    `rows` are {"key", "label", "values": [a number per series], "texts": [what to print beside each bar]}, or,
    for a row with nothing to draw, {"key", "label", "note": the words said in place of its bars}; every bar is
    scaled to the largest value of the chart. A row's label is drawn whole, in `lines` (each line's baseline
    `line_y`), beside its bars (the first at `bars_y`), the two centred on each other. The template
    rawbank/chart.html draws it.
    """
    top = max((value for row in rows for value in row.get("values", ())), default=0) or 1
    plot, drawn, y = width - label - 120, [], 0
    for row in rows:
        lines = wrapped(row["label"])
        tall = max(len(series) * bar, len(lines) * LINE)
        bars_y, words_y = (tall - len(series) * bar) // 2, (tall - len(lines) * LINE) // 2
        drawn.append({**row, "y": y, "lines": [(words_y + i * LINE + 12, line) for i, line in enumerate(lines)],
                      "note": row.get("note"), "note_y": tall // 2 + 4,
                      "bars": [{"series": name, "y": bars_y + j * bar,
                                "width": max(round(value * plot / top), 1) if value else 0, "text": text}
                               for j, (name, value, text) in enumerate(zip(series, row.get("values", ()),
                                                                           row.get("texts", ())))]})
        y += tall + gap
    return {"width": width, "label": label, "plot": plot, "bar": bar, "height": max(y, 1), "rows": drawn,
            "series": series}


def wrapped(text: str) -> list[str]:
    """A label's lines: broken between words at LINE_CHARACTERS (a longer word across lines), nothing left out."""
    return textwrap.wrap(text, LINE_CHARACTERS, break_on_hyphens=False) or [text]
