"""The livelihoods command: clear one-line errors, and a real run through papermill."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "livelihoods.cli", *args], cwd=ROOT, capture_output=True, text=True)


def test_run_unknown_parameter_is_one_clear_line():
    proc = run_cli("run", "d_methods", "-p", "organsation", "KADO")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown parameter 'organsation'" in lines[0] and "organisation" in lines[0]
    assert "Traceback" not in proc.stderr


def test_run_bad_value_is_one_clear_line():
    proc = run_cli("run", "d_methods", "-p", "organisation", "NUST")
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "'organisation'" in line and "'NUST'" in line and "'KADO'" in line


def test_run_unknown_notebook():
    proc = run_cli("run", "z_nothing")
    assert proc.returncode == 2 and "not found" in proc.stderr and "d_methods" in proc.stderr


@pytest.mark.slow
def test_run_writes_executed_notebook(tmp_path):
    out = tmp_path / "run.ipynb"
    proc = run_cli("run", "d_methods", "-p", "organisation", "EP", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.is_file() and "wrote" in proc.stdout
    again = run_cli("run", "d_methods", "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
