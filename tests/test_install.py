"""The package works outside a clone: as a built wheel (the data ship inside it), from any directory."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers import ROOT

pytestmark = pytest.mark.slow


def test_wheel_ships_the_data_and_loads_it_elsewhere(tmp_path):
    wheels = tmp_path / "wheels"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = wheels.glob("livelihoods-*.whl")
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("LIVELIHOODS_DATA", None)
    code = ("import livelihoods, livelihoods.paths as p, livelihoods.data as d;"
            "print(livelihoods.__file__); print(p.data_dir()); d.validate_all();"
            "print(len(d.load_excerpts()), len(d.load_references()))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    module, data_dir, counts = proc.stdout.strip().splitlines()
    assert module.startswith(str(site)), f"imported {module}, not the wheel"
    assert data_dir == str(site / "livelihoods" / "_data")
    assert counts == "35 26"


def test_a_notebook_runs_from_another_working_directory(tmp_path):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        pm.execute_notebook(str(ROOT / "notebooks" / "d_methods.ipynb"), str(out), cwd=str(tmp_path),
                            kernel_name="python3", progress_bar=False, parameters={"organisation": "KADO"})
    finally:
        os.chdir(cwd)
    assert out.is_file()
