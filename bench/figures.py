"""What every benchmark shares: percentiles, the one JSON object `--json` prints, and its PNG chart."""
from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values, p: float) -> float:
    """The p-th percentile (nearest rank) of `values`; NaN when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def millis(values) -> dict:
    """{"p50", "p99", "count"} of durations in seconds, as milliseconds."""
    return {"p50": round(percentile(values, 50) * 1000, 1), "p99": round(percentile(values, 99) * 1000, 1),
            "count": len(values)}


def emit(figures: dict, as_json: bool) -> None:
    """Print the figures as one JSON object when asked (the text output went before)."""
    if as_json:
        print(json.dumps(figures, ensure_ascii=False, sort_keys=True))


def chart(name: str, title: str, xlabel: str, ylabel: str, series: dict, *, logx: bool = False) -> Path | None:
    """A line chart of {label: [(x, y), ...]} into bench/results/<name>.png; None without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:  # pip install -e '.[bench]'
        return None
    RESULTS.mkdir(exist_ok=True)
    figure, axes = pyplot.subplots(figsize=(7, 4))
    for label, points in series.items():
        xs, ys = zip(*points) if points else ((), ())
        axes.plot(xs, ys, marker="o", label=label)
    if logx:
        axes.set_xscale("log")
    axes.set(title=title, xlabel=xlabel, ylabel=ylabel)
    axes.grid(True, alpha=0.3)
    axes.legend()
    path = RESULTS / f"{name}.png"
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
    return path
