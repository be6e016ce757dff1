"""What every benchmark shares: percentiles, the one JSON object `--json` prints, and its PNG chart."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

#: where the charts go: bench/results/, or RAWBANK_BENCH_RESULTS (a test's short run leaves the README's charts be)
RESULTS = Path(os.environ.get("RAWBANK_BENCH_RESULTS") or Path(__file__).resolve().parent / "results")


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
        print(json.dumps(_no_nan(figures), ensure_ascii=False, sort_keys=True, allow_nan=False))


def shown(path: Path) -> str:
    """A chart's path as the reader types it: from the checkout's root, or whole when it is elsewhere."""
    try:
        return str(path.relative_to(Path(__file__).resolve().parents[1]))
    except ValueError:
        return str(path)


def _no_nan(value):
    """`value` with null for NaN (a percentile of nothing): NaN is not JSON, and strict readers such as jq refuse it."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _no_nan(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_nan(item) for item in value]
    return value


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
