"""Rosters as learning platforms export them (issue 16), and file modes that follow the umask.

Only ``rosters.read_roster`` is exercised for the gradebook columns; ``livelihoods assign`` then writes the
students' notebooks, whose modes are checked against the umask like every other writer's.
"""

from __future__ import annotations

import logging
import os
import stat

import pytest

from livelihoods import files
from livelihoods.cli import main
from livelihoods.errors import LivelihoodsError
from livelihoods.teach import roster as rosters

CANVAS = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1\n"
    "    Points Possible,,,,,10\n"
    '"Khan, Ayesha",101,S-2041,akhan,Sec 1,8\n'
    '"Malik, Bilal",102,S-2042,bmalik,Sec 1,9\n'
)


def test_canvas_gradebook_uses_its_id_column_and_skips_points_possible(tmp_path):
    roster = tmp_path / "canvas.csv"
    roster.write_text(CANVAS, encoding="utf-8")
    students = rosters.read_roster(roster)
    assert [(s.id, s.name) for s in students] == [("101", "Khan, Ayesha"), ("102", "Malik, Bilal")]


def test_sis_user_id_without_id_is_used_and_said(tmp_path, caplog):
    roster = tmp_path / "sis.csv"
    roster.write_text("Student,SIS User ID,Section\nAyesha Khan,S-2041,1\nBilal Malik,S-2042,1\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="livelihoods.teach.assign"):
        students = rosters.read_roster(roster)
    assert [s.id for s in students] == ["S-2041", "S-2042"] and students[0].name == "Ayesha Khan"
    assert any("'SIS User ID'" in r.getMessage() and str(roster) in r.getMessage() for r in caplog.records)


def test_moodle_export_with_email_and_first_last_names(tmp_path, caplog):
    roster = tmp_path / "moodle.csv"
    roster.write_text(
        "First name,Last name,Email address\nAyesha,Khan,ayesha.khan@uni.example\nBilal,Malik,b_malik@uni.example\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="livelihoods.teach.assign"):
        students = rosters.read_roster(roster)
    assert [(s.id, s.name) for s in students] == [("ayesha.khan", "Ayesha Khan"), ("b_malik", "Bilal Malik")]
    assert any("before '@'" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Student,Section\nAyesha,1\n", "no 'id' column"),
        (",,,\n,,,\n", "only delimiters"),
        ("Student,SIS User ID\nAyesha,S-1\nBilal,S-1\n", "appears twice"),
    ],
)
def test_bad_gradebooks_are_one_line(tmp_path, text, expected):
    roster = tmp_path / "r.csv"
    roster.write_text(text, encoding="utf-8")
    with pytest.raises(LivelihoodsError, match=expected) as err:
        rosters.read_roster(roster)
    assert "\n" not in str(err.value)


def test_write_atomic_gives_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        files.write_atomic(tmp_path / "a.txt", b"x")
        assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640
        os.umask(0o002)
        files.write_atomic(tmp_path / "a.txt", b"y")  # replacing takes the new file's mode too
        assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_assign_from_a_gradebook_writes_files_with_the_umask_mode(tmp_path, capsys):
    roster = tmp_path / "canvas.csv"
    roster.write_text(CANVAS, encoding="utf-8")
    out = tmp_path / "assignments"
    old = os.umask(0o022)
    try:
        assert main(["assign", "d2_coding_lab", "--roster", str(roster), "--out", str(out)]) == 0
    finally:
        os.umask(old)
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-101.ipynb") for p in written) and any(p.name.endswith("-102.ipynb") for p in written)
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o644}
    assert {stat.S_IMODE(p.stat().st_mode) for p in [out, *[p for p in out.rglob("*") if p.is_dir()]]} == {0o755}
