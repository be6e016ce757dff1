"""Bar charts drawn on the server as SVG: where each bar goes, so a page shows its chart without a script."""
from __future__ import annotations


LABEL_CHARACTERS = 24  # a longer label is cut (its whole text stays in the bar group's title)


def bars(rows: list[dict], series: tuple[str, ...], *, width: int = 640, label: int = 200, bar: int = 16,
         gap: int = 14) -> dict:
    """The geometry of a horizontal bar chart, one group of bars per row.

    `rows` are {"key", "label", "values": [a number per series], "texts": [what to print beside each bar]}, or,
    for a row with nothing to draw, {"key", "label", "note": the words said in place of its bars}; every bar is
    scaled to the largest value of the chart. The template rawbank/chart.html draws it.
    """
    top = max((value for row in rows for value in row.get("values", ())), default=0) or 1
    plot, step = width - label - 120, len(series) * bar + gap
    drawn = [{**row, "y": i * step, "short": _cut(row["label"]), "note": row.get("note"),
              "bars": [{"series": name, "y": j * bar, "width": max(round(value * plot / top), 1) if value else 0,
                        "text": text} for j, (name, value, text) in enumerate(zip(series, row.get("values", ()),
                                                                                     row.get("texts", ())))]}
             for i, row in enumerate(rows)]
    return {"width": width, "label": label, "plot": plot, "bar": bar, "height": max(len(rows) * step, 1),
            "rows": drawn, "series": series}


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[:LABEL_CHARACTERS - 1].rstrip() + "…"
