"""import-qdpx on hostile and damaged projects: one line naming the file and the problem, exit 2, bounded cost.

Every file is made here from the book's own export (tests/hostile_qdpx.py). Time is not asserted (see
bench/qda.py for the measured figures); memory is, in a separate process, because the limit is the point.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import hostile_qdpx as hostile
from livelihoods import cli
from livelihoods.qda import refi_archive, refi_import
from livelihoods.qda.refi import QdpxError


def run_import(project: Path, out: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = cli.main(["import-qdpx", str(project), "--out", str(out), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refused(project: Path, tmp_path: Path, capsys, *expected: str) -> str:
    out = tmp_path / "sheet.csv"
    code, stdout, err = run_import(project, out, capsys)
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("livelihoods import-qdpx: error:") and str(project) in err
    for word in expected:
        assert word in err, err
    assert not out.exists()
    return err


@pytest.mark.parametrize(
    "make,expected",
    [
        (hostile.bad_crc, ["is damaged", "CRC"]),
        (hostile.bad_deflate, ["is damaged"]),
        (hostile.encrypted, ["is encrypted"]),
        (lambda p: hostile.unsupported_compression(p, 99), ["compression method 99", "not supported"]),
        (lambda p: hostile.unsupported_compression(p, 9), ["compression method 9", "not supported"]),
        (hostile.long_offset, ["offset of 5,000 digits", f"at most {refi_archive.MAX_OFFSET_DIGITS}"]),
        (hostile.badly_encoded, ["not UTF-8 or UTF-16", "byte 0xe9"]),
        (hostile.bomb, ["bytes uncompressed", "limit"]),
        (hostile.many_members, ["lists 20,0", "at most 10,000", "limit"]),
        (
            lambda p: hostile.many_selections(p, refi_archive.MAX_SELECTIONS_PER_SOURCE + 1),
            ["coded selections", "limit"],
        ),
    ],
    ids=[
        "bad-crc",
        "bad-deflate",
        "encrypted",
        "aes",
        "deflate64",
        "5000-digit-offset",
        "latin-1-source",
        "bomb",
        "20000-members",
        "too-many-selections",
    ],
)
def test_damaged_or_hostile_archive_is_one_line_exit_2(make, expected, tmp_path, capsys):
    project = make(tmp_path / "hostile.qdpx")
    refused(project, tmp_path, capsys, *expected)


def test_a_badly_encoded_source_is_named_not_reported_as_missing_excerpts(tmp_path, capsys):
    err = refused(hostile.badly_encoded(tmp_path / "latin1.qdpx"), tmp_path, capsys, "sources/")
    assert "none of its sources contains a published excerpt" not in err


def test_the_limits_are_checked_before_decompressing(tmp_path, monkeypatch):
    """The bomb is refused from the archive's index: no member is ever read."""
    project = hostile.bomb(tmp_path / "bomb.qdpx", megabytes=60)
    reads = []
    monkeypatch.setattr(refi_archive.Archive, "read", lambda self, *a, **k: reads.append(a))
    with pytest.raises(QdpxError, match="limit"):
        refi_import.import_project(project)
    assert reads == []


def test_selections_at_the_limit_are_imported(tmp_path):
    project = hostile.many_selections(tmp_path / "many.qdpx", 2000)
    df, problems = refi_import.import_project(project)
    assert not problems and len(df) > 0


def test_an_excerpt_repeated_30000_times_is_placed(tmp_path):
    """The overlap filter is a sweep, not a comparison of every pair: 30,000 copies are quick, and the
    selections still land on their excerpts."""
    project = hostile.repeated_excerpt(tmp_path / "repeat.qdpx", 30_000)
    assert project.stat().st_size < 200_000
    df, problems = refi_import.import_project(project)
    assert [p for p in problems if p.kind != "note"] == []
    reference, _ = refi_import.import_project(hostile.write(tmp_path / "plain.qdpx", hostile.members()))
    assert set(zip(df["excerpt_id"], df["code_id"])) == set(zip(reference["excerpt_id"], reference["code_id"]))


# The peak resident set is read from /proc (VmHWM: this process image only). getrusage's ru_maxrss would
# carry over the high-water mark of the pytest process the child was forked from (kept across execve).
MEASURE = """
import json, re, sys, time, tracemalloc
from livelihoods.qda import refi_import
refi_import.import_project(sys.argv[2])  # warm: imports and the evidence base loaded once
tracemalloc.start()
start = time.perf_counter()
df, problems = refi_import.import_project(sys.argv[1])
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1]
hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) * 1024
print(json.dumps({"peak": peak, "rss": hwm,
                  "seconds": seconds, "rows": len(df), "problems": len(problems)}))
"""


def test_a_project_whose_sources_expand_to_32_mb_stays_under_300_mb(tmp_path):
    plain = hostile.write(tmp_path / "plain.qdpx", hostile.members())
    project = hostile.expanded_source(tmp_path / "big.qdpx", megabytes=32)
    assert project.stat().st_size < 400_000
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(project), str(plain)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout)
    assert figures["peak"] < 300 * 2**20, f"traced peak {figures['peak'] / 2**20:.0f} MiB"
    assert figures["rss"] < 300 * 2**20, f"peak resident set {figures['rss'] / 2**20:.0f} MiB"
    assert figures["rows"] > 0 and figures["problems"] == 0


def test_force_never_replaces_the_repositorys_data_or_the_input(tmp_path, capsys):
    from livelihoods.paths import repo_root

    root = repo_root()
    if root is None:
        pytest.skip("needs a clone of the repository")
    project = tmp_path / "my.qdpx"
    assert cli.main(["export-qdpx", "--out", str(project)]) == 0
    capsys.readouterr()
    watched = [root / "data" / "codings.csv", root / "data" / "excerpts.csv", project]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in watched}
    for out, why in [
        (root / "data" / "codings.csv", "book's own sources"),
        (project, "should end in .csv"),
        (root / "notebooks" / "sheet.csv", "book's own sources"),
    ]:
        code, stdout, err = run_import(project, out, capsys, "--force")
        assert code == 2 and stdout == "" and err.count("\n") == 1 and why in err, err
    sample = tmp_path / "sample.csv"
    sample.write_text("excerpt_id,code_id\nEX01,\n", encoding="utf-8")
    watched.append(sample)
    before[sample] = hashlib.sha256(sample.read_bytes()).hexdigest()
    code, _, err = run_import(project, sample, capsys, "--sample", str(sample), "--force")
    assert code == 2 and "this command's input" in err
    code, _, err = run_import(tmp_path / "missing.qdpx", root / "data" / "codings.csv", capsys, "--force")
    assert code == 2 and "book's own sources" in err  # the output is checked before the input is read
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in watched} == before
