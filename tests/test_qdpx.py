"""REFI-QDA export and import (livelihoods.qda.refi_export, refi_import, refi_offsets, refi_archive): schema validity, exact offsets, round trips,
byte-identical exports, the known vendor deviations, malformed files and the command line.

Hand-made "vendor" projects are generated in tmp_path from the book's own export (no binary
fixtures are committed): see :func:`vendor_project`.
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from livelihoods.qda import refi, refi_archive, refi_export, refi_import, sheets
from livelihoods import cli, evidence
from livelihoods.errors import LivelihoodsError

NS = "{urn:QDA-XML:project:1.0}"
NEEDS_SCHEMAS = pytest.mark.skipif(
    refi_archive.schema_dir() is None,
    reason="REFI-QDA schemas not found in ../shared/refi-qda/ next to the repository (or $REFI_QDA_SCHEMAS): "
    "schema validation skipped",
)


# ----------------------------------------------------------------------------- helpers


def reference_pairs() -> set[tuple[str, str]]:
    cd = evidence.load_codings()
    cd = cd[cd["coder"] == "reference"]
    return set(zip(cd["excerpt_id"], cd["code_id"]))


def pairs(df: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(df["excerpt_id"], df["code_id"]))


def unzip(payload: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_zip(path: Path, files: dict[str, bytes], order: list[str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in order or list(files):
            zf.writestr(name, files[name])
    return path


def one_line(err: BaseException) -> str:
    message = str(err)
    assert message and "\n" not in message, f"error message is not one line: {message!r}"
    return message


def vendor_project(path: Path, coder_name: str = "Student A", extra=None) -> Path:
    """The reference export as another program might write it back.

    Deviations: the .qde is not called project.qde and uses another namespace version (with
    prefixes), sources are in ``Sources/``, texts have a BOM and CRLF line ends and the offsets count
    CRLF as two characters (NVivo-style), every code has a new GUID (so codes map by name), and
    the coding is by another user. ``extra(root, texts)`` may add more selections.
    """
    files = refi_export.project_files("reference")
    xml = files.pop("project.qde").decode("utf-8").replace("urn:QDA-XML:project:1.0", "urn:QDA-XML:project:1.1")
    ns = "{urn:QDA-XML:project:1.1}"
    root = ET.fromstring(xml)
    student = str(uuid.uuid5(uuid.NAMESPACE_URL, coder_name))
    users = root.find(f"{ns}Users")
    for user in list(users):
        users.remove(user)
    ET.SubElement(users, f"{ns}User", {"guid": student.upper(), "name": coder_name})
    new_guid = {}
    for code in root.iter(f"{ns}Code"):
        new_guid[code.get("guid")] = "{" + str(uuid.uuid5(uuid.NAMESPACE_DNS, code.get("guid"))).upper() + "}"
        code.set("guid", new_guid[code.get("guid")])
    for ref in root.iter(f"{ns}CodeRef"):
        ref.set("targetGUID", new_guid[ref.get("targetGUID")])
    texts = {}
    for src in root.iter(f"{ns}TextSource"):
        text = files[f"sources/{src.get('guid')}.txt"].decode("utf-8")
        texts[src.get("guid")] = text
        for sel in src.iter(f"{ns}PlainTextSelection"):
            for attr in ("startPosition", "endPosition"):
                pos = int(sel.get(attr))
                sel.set(attr, str(pos + text[:pos].count("\n")))
            sel.set("creatingUser", student)
            for coding_el in sel.iter(f"{ns}Coding"):
                coding_el.set("creatingUser", student)
    if extra is not None:
        extra(root, texts, ns, student)
    out = {"Malik coding (exported).qde": b"\xef\xbb\xbf" + ET.tostring(root, encoding="utf-8")}
    for src_guid, text in texts.items():
        out[f"Sources/{src_guid}.txt"] = "\ufeff".encode("utf-8") + text.replace("\n", "\r\n").encode("utf-8")
    return write_zip(path, out, order=sorted(out, reverse=True))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("qdpx") / "reference.qdpx"
    return refi_export.export_project(path)


# ----------------------------------------------------------------------------- schema validity


@NEEDS_SCHEMAS
def test_exported_project_validates_against_project_xsd(exported):
    refi_archive.validate(exported, "Project")
    refi_archive.validate(unzip(exported.read_bytes())["project.qde"], "Project")


@NEEDS_SCHEMAS
@pytest.mark.parametrize("coder", ["none", "sheet"])
def test_blank_and_sheet_projects_validate(coder):
    what = (
        sheets.read_sheet(Path(__file__).parent / "fixtures" / "coding" / "student_sheet.csv")
        if coder == "sheet"
        else coder
    )
    refi_archive.validate(refi_export.project_bytes(what), "Project")


@NEEDS_SCHEMAS
def test_codebook_validates_against_codebook_xsd(tmp_path):
    path = refi_export.export_codebook(tmp_path / "codebook.qdc")
    refi_archive.validate(path, "Codebook")
    root = ET.fromstring(path.read_bytes())
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"


@NEEDS_SCHEMAS
def test_validate_reports_an_invalid_file_in_one_line():
    bad = b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0"><Users/></Project>'
    with pytest.raises(refi.QdpxError, match="does not validate against Project.xsd") as err:
        refi_archive.validate(bad, "Project")
    one_line(err.value)


# ----------------------------------------------------------------------------- content of the export


def test_every_selection_slices_its_excerpt_exactly(exported):
    files = unzip(exported.read_bytes())
    root = ET.fromstring(files["project.qde"])
    excerpts = evidence.load_excerpts().set_index("excerpt_id")
    code_of_guid = {refi.guid("code", c): c for c in evidence.load_codebook()["code_id"]}
    seen = set()
    for src in root.iter(f"{NS}TextSource"):
        path = src.get("plainTextPath")
        assert path == f"internal://{src.get('guid')}.txt"
        raw = files[f"sources/{src.get('guid')}.txt"]
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        text = raw.decode("utf-8")
        initials = {excerpts.loc[s.get("name"), "initials"] for s in src.iter(f"{NS}PlainTextSelection")}
        assert len(initials) <= 1, "a source holds one respondent's excerpts"
        for sel in src.iter(f"{NS}PlainTextSelection"):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            excerpt_id = sel.get("name")
            assert text[start:end] == excerpts.loc[excerpt_id, "text"]
            (ref,) = sel.iter(f"{NS}CodeRef")
            seen.add((excerpt_id, code_of_guid[ref.get("targetGUID")]))
    assert seen == reference_pairs()


def test_one_source_per_quoted_respondent_with_all_excerpts_in_paper_order(exported):
    files = unzip(exported.read_bytes())
    excerpts = evidence.load_excerpts()
    sources = {name: body.decode("utf-8") for name, body in files.items() if name.startswith("sources/")}
    assert len(sources) == excerpts["initials"].nunique() == 16
    for initials, group in excerpts.groupby("initials"):
        expected = refi.SEPARATOR.join(group.sort_values("order", key=lambda s: s.astype(int))["text"])
        assert sources[f"sources/{refi.guid('source', initials)}.txt"] == expected


def test_codebook_is_nested_with_grouping_codes_not_codable(exported):
    root = ET.fromstring(unzip(exported.read_bytes())["project.qde"])
    cb = evidence.load_codebook().set_index("code_id")
    by_guid = {refi.guid("code", c): c for c in cb.index}
    (codes,) = root.iter(f"{NS}Codes")
    count = 0

    def walk(el, parent_id):
        nonlocal count
        for code in el.findall(f"{NS}Code"):
            count += 1
            code_id = by_guid[code.get("guid")]
            row = cb.loc[code_id]
            assert code.get("name") == row["label"]
            assert (row["parent_id"] or "") == parent_id
            assert code.get("isCodable") == ("true" if row["level"] == "code" else "false")
            assert code.findtext(f"{NS}Description") == row["definition"]
            walk(code, code_id)

    walk(codes, "")
    assert count == len(cb)


def test_users_and_attribution(exported):
    """The creator is a neutral user (QualCoder adopts the first user as the coder's name); ``reference``
    names only the reference coding's selections, ``student`` a sheet's."""
    root = ET.fromstring(unzip(exported.read_bytes())["project.qde"])
    creator = refi.guid("user", refi.CREATOR)
    assert [u.get("name") for u in root.iter(f"{NS}User")] == [refi.CREATOR, "reference"]
    assert refi.CREATOR != "reference" and root.get("creatingUserGUID") == creator
    assert {s.get("creatingUser") for s in root.iter(f"{NS}TextSource")} == {creator}
    assert {s.get("creatingUser") for s in root.iter(f"{NS}PlainTextSelection")} == {refi.guid("user", "reference")}
    assert "Malik" in root.findtext(f"{NS}Description") and "Heeks" in root.findtext(f"{NS}Description")
    assert root.get("creationDateTime") == refi.FIXED_DATETIME
    sheet = pd.DataFrame({"excerpt_id": ["EX01"], "code_id": ["physical_vulnerability"]})
    root = ET.fromstring(refi_export.project_files(sheet)["project.qde"])
    assert [u.get("name") for u in root.iter(f"{NS}User")] == [refi.CREATOR, "student"]
    (sel,) = root.iter(f"{NS}PlainTextSelection")
    assert sel.get("creatingUser") == refi.guid("user", "student")
    root = ET.fromstring(refi_export.project_files("none")["project.qde"])
    assert [u.get("name") for u in root.iter(f"{NS}User")] == [refi.CREATOR]


def test_two_exports_are_byte_identical(tmp_path):
    a = refi_export.export_project(tmp_path / "a.qdpx")
    b = refi_export.export_project(tmp_path / "b.qdpx")
    assert a.read_bytes() == b.read_bytes()
    assert refi_export.codebook_bytes() == refi_export.codebook_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert infos[0].filename == "project.qde"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_guids_are_stable_uuid5_names():
    assert refi.guid("code", "autonomy") == str(uuid.uuid5(refi.GUID_NAMESPACE, "code:autonomy"))
    assert str(refi.GUID_NAMESPACE) == "12afa2b3-071b-4208-aa06-f57d0f76e6f0"


def test_sheet_with_unknown_code_is_refused():
    sheet = pd.DataFrame({"excerpt_id": ["EX01"], "code_id": ["vulnerability"]})
    with pytest.raises(LivelihoodsError, match="grouping code"):
        refi_export.project_files(sheet)


# ----------------------------------------------------------------------------- import


def test_export_then_import_gives_the_reference_coding_back(exported):
    df, problems = refi_import.import_project(exported)
    assert problems == []
    assert list(df.columns) == ["excerpt_id", "code_id", "coder"]
    assert set(df["coder"]) == {"reference"}
    assert len(df) == len(reference_pairs()) and pairs(df) == reference_pairs()
    assert df.attrs["excerpt_ids"] == list(evidence.load_excerpts()["excerpt_id"])


def test_blank_project_imports_as_no_codings(tmp_path):
    path = refi_export.export_project(tmp_path / "blank.qdpx", coder="none")
    df, problems = refi_import.import_project(path)
    assert df.empty and problems == [] and len(df.attrs["excerpt_ids"]) == 35


def test_student_sheet_round_trip(tmp_path):
    sheet = sheets.read_sheet(Path(__file__).parent / "fixtures" / "coding" / "student_sheet.csv")
    path = refi_export.export_project(tmp_path / "s.qdpx", coder=sheet)
    df, problems = refi_import.import_project(path)
    assert problems == [] and set(df["coder"]) == {"student"}
    assert pairs(df) == pairs(sheet)


def test_vendor_deviations_import_correctly(tmp_path):
    path = vendor_project(tmp_path / "nvivo.qdpx")
    names = zipfile.ZipFile(path).namelist()
    assert "project.qde" not in names and any(n.startswith("Sources/") for n in names)
    df, problems = refi_import.import_project(path)
    assert problems == []
    assert pairs(df) == reference_pairs()
    assert set(df["coder"]) == {"Student A"}


def test_offsets_in_utf16_code_units_are_understood(tmp_path):
    """A character above U+FFFF before an excerpt: NVivo counts it as two units, Python as one."""
    ex = evidence.load_excerpts().set_index("excerpt_id")
    text = "Notes \U0001f642 by the coder\n\n" + ex.loc["EX01", "text"] + "\n\nmore notes after the excerpt"
    start16 = len(text[: text.index(ex.loc["EX01", "text"])].encode("utf-16-le")) // 2
    end16 = start16 + len(ex.loc["EX01", "text"])
    code = refi.guid("code", "physical_vulnerability")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t">
  <CodeBook><Codes><Code guid="{code}" name="Physical vulnerability" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="11111111-1111-1111-1111-111111111111" name="memo" plainTextPath="internal://11111111-1111-1111-1111-111111111111.txt">
    <PlainTextSelection guid="22222222-2222-2222-2222-222222222222" startPosition="{start16}" endPosition="{end16}">
      <Coding guid="33333333-3333-3333-3333-333333333333"><CodeRef targetGUID="{code}"/></Coding>
    </PlainTextSelection>
  </TextSource></Sources>
</Project>"""
    path = write_zip(
        tmp_path / "u16.qdpx",
        {"project.qde": qde.encode(), "sources/11111111-1111-1111-1111-111111111111.txt": text.encode("utf-16")},
    )
    df, problems = refi_import.import_project(path)
    assert problems == []
    assert pairs(df) == {("EX01", "physical_vulnerability")}


def add_awkward_selections(root, texts, ns, student):
    """A selection between two excerpts, one beyond the text, one coded with a theme, one with a
    code the book does not have, and one spanning two excerpts."""
    codes = root.find(f"{ns}CodeBook/{ns}Codes")
    ET.SubElement(
        codes, f"{ns}Code", {"guid": "aaaaaaaa-0000-0000-0000-000000000001", "name": "My own code", "isCodable": "true"}
    )
    theme = next(c for c in root.iter(f"{ns}Code") if c.get("name") == "Vulnerability")
    leaf = next(c for c in root.iter(f"{ns}Code") if c.get("name") == "Autonomy")
    src = next(s for s in root.iter(f"{ns}TextSource") if texts[s.get("guid")].count("\n\n") >= 1)
    text = texts[src.get("guid")]
    gap = text.index("\n\n")
    crlf = lambda pos: pos + text[:pos].count("\n")  # noqa: E731 (offsets as the vendor writes them)
    wanted = [
        (crlf(gap), crlf(gap + 2), leaf),  # only the blank line between excerpts
        (crlf(len(text)) + 50, crlf(len(text)) + 90, leaf),  # beyond the end
        (crlf(0), crlf(gap), theme),  # a theme, not codable in the book
        (crlf(0), crlf(gap), None),  # "My own code"
        (crlf(gap - 5), crlf(gap + 8), leaf),  # spans two excerpts: a note, counted for both
    ]
    for i, (start, end, code) in enumerate(wanted):
        sel = ET.SubElement(
            src,
            f"{ns}PlainTextSelection",
            {
                "guid": f"bbbbbbbb-0000-0000-0000-00000000000{i}",
                "startPosition": str(start),
                "endPosition": str(end),
                "creatingUser": student,
            },
        )
        c = ET.SubElement(
            sel, f"{ns}Coding", {"guid": f"cccccccc-0000-0000-0000-00000000000{i}", "creatingUser": student}
        )
        ET.SubElement(
            c,
            f"{ns}CodeRef",
            {"targetGUID": code.get("guid") if code is not None else "aaaaaaaa-0000-0000-0000-000000000001"},
        )
    # Selections must come before codings of the whole source, as the schema orders them.
    for child in [c for c in src if c.tag == f"{ns}PlainTextSelection"]:
        src.remove(child)
        src.append(child)


def test_unplaced_and_unmapped_selections_are_reported_not_dropped(tmp_path):
    path = vendor_project(tmp_path / "awkward.qdpx", extra=add_awkward_selections)
    df, problems = refi_import.import_project(path)
    kinds = sorted(p.kind for p in problems)
    assert kinds == ["note", "unmapped", "unmapped", "unplaced", "unplaced"], [str(p) for p in problems]
    text = " | ".join(str(p) for p in problems)
    assert "between excerpts" in text and "beyond the end" in text
    assert "'Vulnerability' is a theme" in text and "'My own code' is not in the book's codebook" in text
    assert "spans 2 excerpts" in text
    for problem in problems:
        assert problem.source and "\n" not in str(problem)
    assert reference_pairs() <= pairs(df)
    (note,) = [p for p in problems if p.kind == "note"]
    spanned = note.reason.split("(")[1].split(")")[0].split(", ")
    assert {(e, "autonomy") for e in spanned} <= pairs(df)


# ----------------------------------------------------------------------------- malformed files


def test_not_a_zip(tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(refi.QdpxError, match="not a REFI-QDA project.*ZIP") as err:
        refi_import.import_project(path)
    assert str(path) in one_line(err.value)


def test_no_qde_in_the_archive(tmp_path):
    path = write_zip(tmp_path / "x.qdpx", {"sources/a.txt": b"hello"})
    with pytest.raises(refi.QdpxError, match=r"no \.qde file") as err:
        refi_import.import_project(path)
    one_line(err.value)


def test_several_qde_without_project_qde(tmp_path):
    path = write_zip(tmp_path / "x.qdpx", {"a.qde": b"<Project/>", "b.qde": b"<Project/>"})
    with pytest.raises(refi.QdpxError, match=r"several \.qde files") as err:
        refi_import.import_project(path)
    one_line(err.value)


def test_invalid_xml(tmp_path):
    path = write_zip(tmp_path / "x.qdpx", {"project.qde": b"<Project name='x'><Users></Project>"})
    with pytest.raises(refi.QdpxError, match="not well-formed XML") as err:
        refi_import.import_project(path)
    one_line(err.value)


def test_wrong_root_element(tmp_path):
    path = write_zip(tmp_path / "x.qdpx", {"project.qde": refi_export.codebook_bytes()})
    with pytest.raises(refi.QdpxError, match="expected <Project>") as err:
        refi_import.import_project(path)
    one_line(err.value)


def test_unknown_code_reference(tmp_path, exported):
    files = unzip(exported.read_bytes())
    target = refi.guid("code", "autonomy")
    assert target.encode() in files["project.qde"]
    files["project.qde"] = files["project.qde"].replace(
        f'<CodeRef targetGUID="{target}"'.encode(), b'<CodeRef targetGUID="deadbeef-0000-0000-0000-000000000000"'
    )
    path = write_zip(tmp_path / "x.qdpx", files)
    with pytest.raises(
        refi.QdpxError, match="deadbeef-0000-0000-0000-000000000000.*not in the project's codebook"
    ) as err:
        refi_import.import_project(path)
    one_line(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(refi.QdpxError, match="no such file"):
        refi_import.import_project(tmp_path / "nope.qdpx")


def test_missing_source_text_is_a_problem_not_a_crash(tmp_path, exported):
    files = unzip(exported.read_bytes())
    dropped = next(n for n in sorted(files) if n.startswith("sources/"))
    del files[dropped]
    df, problems = refi_import.import_project(write_zip(tmp_path / "x.qdpx", files))
    assert problems and all("not in the archive" in str(p) for p in problems)
    assert pairs(df) < reference_pairs()


# ----------------------------------------------------------------------------- command line


def test_cli_round_trip(tmp_path, capsys):
    project, sheet = tmp_path / "lab.qdpx", tmp_path / "sheet.csv"
    assert cli.main(["export-qdpx", "--out", str(project)]) == 0
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0 and str(project) in out and "16 sources" in out
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and str(sheet) in captured.out and "WARNING" not in captured.out
    back = sheets.read_sheet(sheet)
    assert pairs(back) == reference_pairs()
    assert sheet.read_text(encoding="utf-8").startswith("excerpt_id,code_id\n")


def test_cli_blank_project_exports_and_an_uncoded_import_is_refused(tmp_path, capsys):
    project, sheet = tmp_path / "blank.qdpx", tmp_path / "sheet.csv"
    assert cli.main(["export-qdpx", "--out", str(project), "--coder", "none"]) == 0
    assert "0 coded selections" in capsys.readouterr().out
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert "no coded text selections" in err and err.count("\n") == 1
    assert not sheet.exists()


def test_cli_sheet_lists_uncoded_excerpts_with_an_empty_code(tmp_path, capsys):
    sheet_in = tmp_path / "in.csv"
    sheet_in.write_text("excerpt_id,code_id\nEX02,autonomy\n", encoding="utf-8")
    project, sheet = tmp_path / "one.qdpx", tmp_path / "sheet.csv"
    assert cli.main(["export-qdpx", "--out", str(project), "--sheet", str(sheet_in)]) == 0
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 0
    assert "34 of its 35 excerpts uncoded" in capsys.readouterr().out
    lines = sheet.read_text(encoding="utf-8").splitlines()
    assert lines[:4] == ["excerpt_id,code_id", "EX01,", "EX02,autonomy", "EX03,"] and len(lines) == 36
    back = sheets.read_sheet(sheet)
    assert pairs(back) == {("EX02", "autonomy")} and len(back.attrs["excerpt_ids"]) == 35


def test_cli_import_keeps_only_the_sample(tmp_path, capsys):
    """A student who coded a 10-excerpt sample in a full project gets back a 10-excerpt sheet, so the
    agreement is not diluted by the 25 excerpts they never looked at."""
    fixture = Path(__file__).parent / "fixtures" / "coding" / "student_sheet.csv"
    project, sheet = tmp_path / "s.qdpx", tmp_path / "s.csv"
    assert cli.main(["export-qdpx", "--out", str(project), "--sheet", str(fixture)]) == 0
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 0
    assert "--sample" in capsys.readouterr().out  # the hint, when excerpts come back uncoded
    sheet.unlink()
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet), "--sample", str(fixture)]) == 0
    assert "--sample" not in capsys.readouterr().out
    back, original = sheets.read_sheet(sheet), sheets.read_sheet(fixture)
    assert back.attrs["excerpt_ids"] == sheets.sheet_excerpts(original)
    assert pairs(back) == pairs(original)


def test_cli_import_with_a_sample_reports_codings_outside_it(tmp_path, capsys):
    sample = tmp_path / "blank.csv"
    sample.write_text("excerpt_id,code_id,note\nEX02,,\nEX03,,\n", encoding="utf-8")
    project, sheet = tmp_path / "ref.qdpx", tmp_path / "s.csv"
    assert cli.main(["export-qdpx", "--out", str(project)]) == 0
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet), "--sample", str(sample)]) == 0
    out = capsys.readouterr().out
    assert "outside the sample" in out
    assert {e for e, _ in pairs(sheets.read_sheet(sheet))} == {"EX02", "EX03"}


def test_cli_exports_a_students_sheet(tmp_path, capsys):
    fixture = Path(__file__).parent / "fixtures" / "coding" / "student_sheet.csv"
    project, sheet = tmp_path / "s.qdpx", tmp_path / "s.csv"
    assert cli.main(["export-qdpx", "--out", str(project), "--sheet", str(fixture)]) == 0
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 0
    assert pairs(sheets.read_sheet(sheet)) == pairs(sheets.read_sheet(fixture))


def test_cli_import_reports_problems_and_says_so(tmp_path, capsys):
    project, sheet = vendor_project(tmp_path / "awkward.qdpx", extra=add_awkward_selections), tmp_path / "s.csv"
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 0
    captured = capsys.readouterr()
    assert "WARNING: 4 selection(s)" in captured.out and captured.out.count("\n") == 1
    assert len(captured.err.strip().splitlines()) == 5
    assert sheet.exists()


def test_cli_import_keeps_the_students_coding_when_the_reference_is_still_there(tmp_path, capsys):
    def add_reference_user(root, texts, ns, student):
        users = root.find(f"{ns}Users")
        ET.SubElement(users, f"{ns}User", {"guid": refi.guid("user", "reference"), "name": "reference"})
        sel = next(root.iter(f"{ns}PlainTextSelection"))
        sel.find(f"{ns}Coding").set("creatingUser", refi.guid("user", "reference"))

    project, sheet = vendor_project(tmp_path / "mixed.qdpx", extra=add_reference_user), tmp_path / "s.csv"
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 0
    assert "left out 1 reference codings" in capsys.readouterr().out
    assert len(pairs(sheets.read_sheet(sheet))) == len(reference_pairs()) - 1


def test_cli_codebook_only(tmp_path, capsys):
    qdc = tmp_path / "codebook.qdc"
    assert cli.main(["export-qdpx", "--codebook-only", str(qdc)]) == 0
    assert qdc.read_bytes() == refi_export.codebook_bytes()
    assert "codebook" in capsys.readouterr().out


def test_cli_needs_out_or_codebook_only(capsys):
    assert cli.main(["export-qdpx"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "--codebook-only" in err and err.count("\n") == 1


def test_cli_refuses_to_overwrite_without_force(tmp_path, capsys):
    project, sheet, qdc = tmp_path / "p.qdpx", tmp_path / "s.csv", tmp_path / "c.qdc"
    for path in (project, sheet, qdc):
        path.write_text("mine")
    assert cli.main(["export-qdpx", "--out", str(project)]) == 2
    assert cli.main(["export-qdpx", "--codebook-only", str(qdc)]) == 2
    err = capsys.readouterr().err
    assert err.count("--force") == 2
    # --force replaces only what the command wrote: these files are the user's
    assert cli.main(["export-qdpx", "--out", str(project), "--force"]) == 2
    assert cli.main(["export-qdpx", "--codebook-only", str(qdc), "--force"]) == 2
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet), "--force"]) == 2
    assert capsys.readouterr().err.count("was not written by this command") == 3
    assert project.read_text() == "mine" and qdc.read_text() == "mine" and sheet.read_text() == "mine"
    project.unlink(), qdc.unlink(), sheet.unlink()
    assert cli.main(["export-qdpx", "--out", str(project), "--codebook-only", str(qdc)]) == 0
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 0
    capsys.readouterr()
    # ... and those it wrote, it replaces with --force (only)
    assert cli.main(["export-qdpx", "--out", str(project), "--coder", "none"]) == 2
    assert cli.main(["export-qdpx", "--out", str(project), "--coder", "none", "--force"]) == 0
    assert refi_export.is_our_project(project) and "reference" not in capsys.readouterr().out.split("(")[-1]
    assert cli.main(["export-qdpx", "--codebook-only", str(qdc), "--force"]) == 0
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet)]) == 2
    sheet.write_text("excerpt_id,code_id\nEX01,autonomy\n", encoding="utf-8")  # a sheet the student edited
    assert cli.main(["export-qdpx", "--out", str(project), "--force"]) == 0
    assert cli.main(["import-qdpx", str(project), "--out", str(sheet), "--force"]) == 0
    assert sheet.read_text(encoding="utf-8").startswith("excerpt_id,code_id\nEX01,physical_vulnerability")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary files left behind"


def test_cli_malformed_project_is_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"nope")
    assert cli.main(["import-qdpx", str(bad), "--out", str(tmp_path / "s.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("livelihoods import-qdpx: error:") and err.count("\n") == 1
    assert not (tmp_path / "s.csv").exists()
