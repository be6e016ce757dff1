"""`bench/soak.py` as the README gives it, briefly: the load runs, the reconcile verdict is read with a token the
running rawbank accepts (on a data directory that is its own secret), and `--json` prints strict JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _strict(text: str) -> dict:
    """The last line as JSON that any parser reads (NaN and Infinity are not JSON)."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text.strip().splitlines()[-1], parse_constant=refuse)


@pytest.mark.parametrize("store", ["--durable", None])
def test_a_short_soak_reconciles_clean(store, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAWBANK_", "KAFKA_", "MONGO_"))}
    env.update(MPLBACKEND="Agg", RAWBANK_BENCH_RESULTS=str(tmp_path))  # the README's charts stay as they are
    args = [sys.executable, "bench/soak.py", "--rate", "5", "--minutes", "0.1", "--artisans", "5", "--json"]
    done = subprocess.run(args + ([store] if store else []), cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = _strict(done.stdout)
    assert figures["store"] == ("durable" if store else "memory")
    assert figures["reconcile_clean"] is True, done.stdout[-2000:]
    assert figures["made"] > 0 and figures["errors"] == 0
