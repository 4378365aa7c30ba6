"""Session fixtures shared by the test modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import ROOT


@pytest.fixture(scope="session")
def built_book():
    """Build the instructor edition once per test session, strictly (-W -n --keep-going).

    Returns the completed process so tests can check its exit status and log; the build itself
    executes only notebooks whose code is not already in the cache.
    """
    proc = subprocess.run([sys.executable, "-m", "livelihoods.cli", "build"], cwd=ROOT,
                          capture_output=True, text=True)
    return proc
