"""`make test`, as CI runs it: a failing test fails the run, in one process or several; pytest's
"no tests ran" (exit 5) does not.

Each case runs the Makefile's real `test` target on two small test files of its own (one that
passes, one that fails), with this interpreter's environment: `-o` keeps make from installing
again, and BIN points it at the Python running these tests.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLED = ".venv/.installed"


def make_test(tmp_path: Path, pytest_args: str, jobs: str | None = None) -> subprocess.CompletedProcess:
    (tmp_path / "test_passes.py").write_text("def test_sum():\n    assert 1 + 1 == 2\n")
    (tmp_path / "test_fails.py").write_text("def test_sum():\n    assert 1 + 1 == 3\n")
    # an outer make's or pytest-xdist worker's settings would reach the inner run: left out
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "MAKE", "MFLAGS")) and k not in ("TEST_JOBS", "PYTEST_ARGS")}
    command = ["make", "-s", "-C", str(ROOT), "-o", INSTALLED, "-o", "install", "test",
               f"BIN={Path(sys.executable).parent}",
               f"PYTEST_ARGS={pytest_args} -p no:cacheprovider --rootdir={tmp_path}"]
    if jobs is not None:
        command.append(f"TEST_JOBS={jobs}")
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize("jobs", [None, "0"], ids=["default-processes", "one-process"])
def test_a_failing_test_fails_the_run(tmp_path, jobs):
    done = make_test(tmp_path, f"{tmp_path / 'test_passes.py'} {tmp_path / 'test_fails.py'}", jobs)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr


def test_no_test_collected_is_reported_and_passes(tmp_path):
    done = make_test(tmp_path, f"{tmp_path / 'test_passes.py'} -k no_test_has_this_name")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "make test: pytest collected no tests (exit 5)" in done.stdout
    assert "pytest को कोई जाँच नहीं मिली" in done.stdout


def test_the_default_run_uses_several_processes(tmp_path):
    done = make_test(tmp_path, str(tmp_path / "test_passes.py"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert "created: 2/2 workers" in done.stdout, done.stdout
