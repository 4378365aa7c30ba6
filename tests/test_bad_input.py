"""Bad input, everywhere: each case ends in one clear line, a non-zero exit, no traceback, nothing lost.

The table below is the contract for users' mistakes across the notebooks' parameters (through
`livelihoods run`, which checks them before any kernel starts), the commands' arguments and files,
and the data files. Each row: the command line, what the one-line message must mention.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from helpers import ROOT
from livelihoods import cli
from livelihoods.book import params
from livelihoods.book import registry

STUDENT = ROOT / "tests" / "fixtures" / "coding" / "student_sheet.csv"


def _invalid_values(p: registry.Param) -> list[tuple[str, str]]:
    """Invalid command-line values for a parameter, with the reason each is invalid."""
    cases = []
    if p.kind in (int, float):
        cases.append(("abc", "wrong type"))
        if p.low is not None:
            cases.append((str(p.low - (1 if p.kind is int else 0.5)), "too small"))
        if p.high is not None:
            cases.append((str(p.high + (1 if p.kind is int else 0.5)), "too large"))
        if p.kind is int:
            cases.append(("2.5", "wrong type"))
    elif p.kind is bool:
        cases.append(("maybe", "wrong type"))
    elif p.choices is not None:
        cases.append(("no-such-option", "not allowed"))
        if not p.nullable:
            cases.append(("", "not allowed"))
    return cases


PARAM_CASES = [
    pytest.param(["run", chapter, "-p", name, value], [name, repr(value)[1:-1] or "''"], id=f"{chapter}-{name}-{why}")
    for chapter in params.chapters()
    for name, p in params.spec(chapter).items()
    for value, why in _invalid_values(p)
]


def _command_cases(tmp: Path) -> list[tuple[list[str], list[str]]]:
    empty = tmp / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header_only = tmp / "header.csv"
    header_only.write_text("excerpt_id,code_id\n", encoding="utf-8")
    wrong_header = tmp / "wrong.csv"
    wrong_header.write_text("excerpt,code\nEX01,autonomy\n", encoding="utf-8")
    latin1 = tmp / "latin1.csv"
    latin1.write_bytes("excerpt_id,code_id,note\nEX01,autonomy,caf\xe9\n".encode("latin-1"))
    unknown_excerpt = tmp / "unknown_excerpt.csv"
    unknown_excerpt.write_text("excerpt_id,code_id\nEX99,autonomy\n", encoding="utf-8")
    unknown_code = tmp / "unknown_code.csv"
    unknown_code.write_text("excerpt_id,code_id\nEX01,no_such_code\n", encoding="utf-8")
    parent_code = tmp / "parent_code.csv"
    parent_code.write_text("excerpt_id,code_id\nEX01,push_drivers\n", encoding="utf-8")
    duplicate = tmp / "duplicate.csv"
    duplicate.write_text("excerpt_id,code_id\nEX01,autonomy\nEX01,autonomy\n", encoding="utf-8")
    not_zip = tmp / "not_a_project.qdpx"
    not_zip.write_text("this is not a zip file", encoding="utf-8")
    existing = tmp / "existing.csv"
    existing.write_text("keep me\n", encoding="utf-8")
    existing.with_suffix(".qdpx").write_text("keep me too\n", encoding="utf-8")
    return [
        (["run", "no_such_chapter"], ["no_such_chapter", "expected one of"]),
        (["run", "d_methods", "-p", "organisation"], ["-p expects NAME VALUE or NAME=VALUE"]),
        (["run", "d_methods", "-p", "organisation", "EP", "-p", "organisation", "KADO"], ["given twice"]),
        # a value that begins with a minus sign, in any numeric form, is a value, not an option (issue 14)
        (["run", "e4_impact", "-p", "dropout_share", "-1e9"], ["'dropout_share'", "too small"]),
        (["run", "e4_impact", "-p", "dropout_share=-1e9"], ["'dropout_share'", "too small"]),
        (["run", "e4_impact", "-p", "hours_per_month", "-20"], ["'hours_per_month'", "too small"]),
        (["agreement", str(tmp / "missing.csv")], ["missing.csv"]),
        (["agreement", str(empty)], ["empty.csv"]),
        (["agreement", str(header_only)], ["header.csv"]),
        (["agreement", str(wrong_header)], ["wrong.csv", "excerpt_id"]),
        (["agreement", str(latin1)], ["latin1.csv", "UTF-8"]),
        (["agreement", str(unknown_excerpt)], ["EX99"]),
        (["agreement", str(unknown_code)], ["no_such_code"]),
        (["agreement", str(parent_code)], ["push_drivers"]),
        (["agreement", str(duplicate)], ["duplicate.csv"]),
        (["agreement", str(STUDENT), "--level", "component"], ["invalid choice", "theme"]),
        (["agreement", str(STUDENT), "--against", str(tmp / "nope.csv")], ["nope.csv"]),
        (["import-qdpx", str(not_zip), "--out", str(tmp / "sheet.csv")], ["not_a_project.qdpx"]),
        (["import-qdpx", str(tmp / "missing.qdpx"), "--out", str(tmp / "sheet.csv")], ["missing.qdpx"]),
        (["export-qdpx", "--out", str(existing.with_suffix(".qdpx"))], ["existing.qdpx", "--force"]),
        (["export-qdpx", "--out", str(existing)], ["existing.csv", ".qdpx"]),
        (["export-qdpx", "--sheet", str(unknown_code), "--out", str(tmp / "x.qdpx")], ["no_such_code"]),
    ]


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _process(args: list[str]) -> subprocess.CompletedProcess:
    """``livelihoods ARGS`` as a user runs it: a process of its own, from the repository's root."""
    env = {k: v for k, v in os.environ.items() if k != "LIVELIHOODS_DATA"}
    return subprocess.run(
        [sys.executable, "-m", "livelihoods.cli", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def run(monkeypatch):
    """``livelihoods ARGS`` in this process (as jupyter-cache tests its commands: a process start per case cost
    most of this file's time), from the repository's root and without the tests' data override.

    An exception escaping the command is what a user would see as a traceback: it is put on stderr as one.
    ``test_the_command_itself_says_one_line`` runs cases as real processes, so the entry point is covered too.
    """
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("LIVELIHOODS_DATA", raising=False)

    def call(args: list[str]) -> subprocess.CompletedProcess:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(args)
            except SystemExit as stop:  # argparse's usage errors
                code = stop.code if isinstance(stop.code, int) else 1
            except Exception:
                traceback.print_exc()
                code = 1
        return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())

    return call


def _assert_clear_failure(proc: subprocess.CompletedProcess, must_mention: list[str]) -> None:
    assert proc.returncode != 0, f"exit 0 on bad input: {proc.stdout[-500:]}"
    err = proc.stderr.strip()
    assert "Traceback" not in err, f"raw traceback:\n{err[-2000:]}"
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "no message on stderr"
    message = lines[-1]
    for needle in must_mention:
        assert needle in err, f"message does not mention {needle!r}: {err[-600:]}"
    assert len(message) < 400, f"message too long to read: {message}"


def test_the_table_has_at_least_30_cases(tmp_path):
    assert len(PARAM_CASES) + len(_command_cases(tmp_path)) >= 30


@pytest.mark.parametrize("args, must_mention", PARAM_CASES)
def test_bad_parameter_values(args, must_mention, run):
    before = _snapshot(ROOT / "notebooks")
    proc = run(args)
    _assert_clear_failure(proc, must_mention[:1])
    assert _snapshot(ROOT / "notebooks") == before


def test_bad_command_inputs(tmp_path, run):
    for args, must_mention in _command_cases(tmp_path):
        before = _snapshot(tmp_path)
        proc = run(args)
        try:
            _assert_clear_failure(proc, must_mention)
        except AssertionError as err:
            raise AssertionError(f"livelihoods {' '.join(args)}: {err}") from None
        assert _snapshot(tmp_path) == before, f"livelihoods {' '.join(args)} changed files in {tmp_path}"


@pytest.mark.parametrize("case", [0, -1], ids=["first", "last"])
def test_the_command_itself_says_one_line(case, tmp_path):
    """The first and last case of each table through the real entry point, in a process of its own."""
    for args, must_mention in [PARAM_CASES[case].values, _command_cases(tmp_path)[case]]:
        before = _snapshot(tmp_path)
        _assert_clear_failure(_process(args), must_mention[:1])
        assert _snapshot(tmp_path) == before
