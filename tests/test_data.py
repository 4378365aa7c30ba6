"""Tests of the evidence base in ``data/`` and of ``livelihoods.evidence``.

Fast: no notebook is executed. The package is checked twice, by ``frictionless`` (the
reference implementation of the standard) and by our own loaders, and corrupted copies of
the tables must give one clear :class:`DataError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from livelihoods import evidence
from livelihoods.errors import DataError

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SEEDS = REPO.parent / "shared" / "seeds"
BODY = SEEDS / "ifip-2017-paper-body.txt"
GUIDE = SEEDS / "working-paper-abstract-and-educators-guide.txt"
REFS = SEEDS / "ifip-2017-abstract-and-references.txt"


@pytest.fixture(autouse=True)
def _real_data(monkeypatch: pytest.MonkeyPatch):
    """Point the loaders at this clone's data/ and start every test with an empty cache."""
    monkeypatch.setenv("LIVELIHOODS_DATA", str(DATA))
    evidence.clear_cache()
    yield
    evidence.clear_cache()


def _seed(path: Path) -> str:
    if not path.is_file():
        message = f"seed text {path} is not available (expected ../shared/seeds next to the repository)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must check every excerpt against the paper")
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the package as a whole


def test_frictionless_validates_the_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_csv_is_a_resource_and_every_field_is_described():
    import json

    desc = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in desc["resources"]}
    assert paths == {p.name for p in DATA.glob("*.csv")}
    for r in desc["resources"]:
        assert r["encoding"] == "utf-8" and r["licenses"] and r["sources"] and r["description"], r["name"]
        for f in r["schema"]["fields"]:
            assert f.get("description"), (r["name"], f["name"])
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for r in desc["resources"]:
        assert r["path"] in readme, r["path"]
        for f in r["schema"]["fields"]:
            assert f"`{f['name']}`" in readme, (r["name"], f["name"])


def test_validate_all_passes():
    evidence.validate_all()


def test_counts():
    assert len(evidence.load_excerpts()) == 35
    assert len(evidence.load_respondents()) == 16
    assert len(evidence.load_references()) == 26
    q = evidence.load_questions()
    assert (q["kind"] == "synopsis").sum() == 8
    assert (q["kind"] == "development").sum() == 6
    assert len(evidence.load_research_questions()) == 3
    assert set(evidence.load_excerpts()["initials"]) == {
        "RE",
        "EJ",
        "SK",
        "HA",
        "AL",
        "YA",
        "HU",
        "SA",
        "MU",
        "WA",
        "NU",
        "MK",
        "AZ",
        "RD",
        "TR",
        "KM",
    }


def test_ids_and_order():
    ex = evidence.load_excerpts()
    assert list(ex["excerpt_id"]) == [f"EX{i:02d}" for i in range(1, 36)]
    assert list(ex["order"]) == list(range(1, 36))
    assert list(evidence.load_references()["ref_num"]) == list(range(1, 27))


def test_dtypes():
    ex = evidence.load_excerpts()
    assert isinstance(ex["paper_section"].dtype, pd.CategoricalDtype)
    assert list(ex["guide_section"].cat.categories) == ["E1", "E2", "E3", "E4"]
    assert str(ex["order"].dtype) == "Int64"
    assert (ex["note"] == "").any()  # empty text stays "", not NaN
    fig = evidence.load_figures()
    assert str(fig["low"].dtype) == "Float64" and str(fig["derived"].dtype) == "boolean"
    assert fig["year"].isna().any()
    codings = evidence.load_codings()
    assert list(codings["code_id"].cat.categories) == list(evidence.load_codebook()["code_id"])


def test_loads_return_copies():
    a = evidence.load_excerpts()
    a.loc[0, "text"] = "changed"
    assert evidence.load_excerpts().loc[0, "text"] != "changed"


# --------------------------------------------------------------------------- verbatim against the seeds


def test_excerpts_verbatim_in_paper():
    body = _seed(BODY)
    for row in evidence.load_excerpts().itertuples():
        quoted = f"“{row.text}”"
        assert quoted in body, row.excerpt_id
        assert f"({row.attribution})" in body, row.excerpt_id
        # the attribution follows this very quotation
        at = body.index(quoted) + len(quoted)
        assert body[at : at + len(row.attribution) + 3].lstrip().startswith(f"({row.attribution})"), row.excerpt_id


def test_all_attributed_quotes_are_captured():
    import re

    body = _seed(BODY)
    found = re.findall(r"“([^“”]*)”\s?\(([A-Z]{2}\s?–[^)]*)\)", body)
    ex = evidence.load_excerpts()
    assert [(t, a) for t, a in found] == list(zip(ex["text"], ex["attribution"]))


def test_guide_slips_are_shown_as_printed_with_a_note():
    """S6 ("existing") and S8 (a doubled bracket) are quoted as printed, each with a visible [sic] note."""
    from livelihoods.book import chapter

    guide = _seed(GUIDE)
    questions = evidence.load_questions().set_index("question_id")
    noted = set(questions.index[questions["note"].fillna("").astype(str) != ""])
    assert noted == {"S6", "S8"}
    for qid in questions.index:
        shown = chapter.question(qid).data
        assert ("[sic" in shown) == (qid in noted), qid
    for qid, marker in {"S8": evidence.printed_marker("S8")}.items():
        assert questions.loc[qid, "text"] + "\u00a0 " + marker in guide or re.search(
            re.escape(questions.loc[qid, "text"]) + r"\s+" + re.escape(marker), guide
        ), qid
        assert marker in chapter.question(qid).data
    assert "Digital Labour Platforms in Pakistan" in chapter.question("D1").data  # cited by the working paper


def test_questions_verbatim_in_guide():
    import re

    guide = _seed(GUIDE)
    for row in evidence.load_questions().itertuples():
        assert row.text in guide, row.question_id
        assert row.text == row.text.strip(), row.question_id
        if row.kind == "synopsis":  # the guide puts a no-break space and a space before the marker
            assert re.search(re.escape(row.text) + rf"\s+\[Section {row.section}\]", guide), row.question_id


def test_research_questions_verbatim():
    body = _seed(BODY)
    for row in evidence.load_research_questions().itertuples():
        assert f"• {row.text}" in body, row.rq_id
        assert f"“{row.text_in_conclusions}”" in body, row.rq_id


def test_capital_definitions_verbatim_with_the_papers_citation():
    """The four capitals the paper uses carry DFID's definitions exactly as section 3 prints them."""
    import re

    body = _seed(BODY)
    refs = evidence.load_references().set_index("key")["ref_num"]
    caps = evidence.load_capitals()
    assert list(caps["capital"]) == ["human", "social", "physical", "financial", "natural"]
    for row in caps[caps["used_in_paper"]].itertuples():
        key, page = re.fullmatch(r"(\w+), p\. (\d+)", row.source).groups()
        printed = f"• {row.label}: “{row.definition}” [{refs[key]}, p. {page}]"
        assert printed in body, row.capital
    natural = caps.set_index("capital").loc["natural"]
    assert not natural["used_in_paper"] and natural["source"].startswith("ours")
    assert natural["definition"].startswith("Ours") and natural["definition"] not in body


def test_capitals_point_at_codes_of_the_right_theme():
    caps = evidence.load_capitals()
    parent = dict(zip(evidence.load_codebook()["code_id"], evidence.load_codebook()["parent_id"]))
    for row in caps.itertuples():
        if pd.notna(row.outcome_code):
            assert parent[row.outcome_code] == "capital_outcomes", row.capital
            assert row.outcome_code == f"{row.capital}_capital"
        if pd.notna(row.barrier_code):
            assert parent[row.barrier_code] == "asset_barriers", row.capital
    assert caps["outcome_code"].notna().sum() == caps["used_in_paper"].sum()


def test_capitals_broken_code_reference(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "capitals.csv", lambda rows: _set(rows, 3, "barrier_code", "social_barrier"))
    err = _expect(evidence.load_capitals, "capitals.csv", 3, "barrier_code")
    assert "codebook.csv" in str(err)


def test_references_match_seed():
    refs = _seed(REFS)
    for row in evidence.load_references().itertuples():
        assert row.title in refs, row.key
        assert row.authors.split(",")[0] in refs, row.key


def test_citation_counts_match_brackets():
    import re
    from collections import Counter

    body = _seed(BODY)
    total = Counter()
    for m in re.finditer(r"\[(\d+(?:\s*,\s*\d+)*)(?:,\s*p\.\s*\d+)?\]", body):
        for n in re.findall(r"\d+", m.group(1)):
            total[int(n)] += 1
    cit = evidence.load_citations().merge(evidence.load_references()[["key", "ref_num"]], on="key")
    got = cit.groupby("ref_num")["n"].sum().to_dict()
    assert got == dict(total)


def test_bibtex_parses_with_same_keys():
    pybtex = pytest.importorskip("pybtex.database")
    bib = pybtex.parse_file(str(DATA / "references.bib"))
    keys = set(evidence.load_references()["key"])
    assert set(bib.entries) == keys | {"malik2017"}


def _bib_entries(path: Path) -> dict:
    pybtex = pytest.importorskip("pybtex.database")
    return pybtex.parse_file(str(path)).entries


def test_the_papers_own_entry_is_complete():
    """Issue 15: proceedings volume, pages and DOI, so the paper is one click away from the bibliography."""
    paper = _bib_entries(DATA / "references.bib")["malik2017"].fields
    assert paper["doi"] == "10.1007/978-3-319-59111-7_35"
    assert paper["pages"] == "425--436" and paper["volume"] == "504"
    assert "Information and Communication Technologies for Development" in paper["booktitle"]
    assert paper["series"] == "IFIP Advances in Information and Communication Technology"


def test_printed_slips_in_the_reference_list_are_kept_and_noted():
    entries = _bib_entries(DATA / "references.bib")
    refs = _seed(REFS)
    assert "Toks Fayomi, S.I." in refs  # the merged author, as printed ...
    assert "{Toks Fayomi}" in (DATA / "references.bib").read_text(encoding="utf-8")  # ... kept ...
    note = entries["kuek2015"].fields["note"]
    assert "Toks Fayomi" in note and "Saori Imaizumi" in note  # ... and explained


def test_further_references_are_all_cited_and_versioned():
    """The bibliography lists data/further_references.bib in full, so every entry there must be cited somewhere."""
    further = _bib_entries(REPO / "data" / "further_references.bib")
    pages = [*(REPO / "book").glob("*.md"), *(REPO / "book" / "chapters").glob("*.md")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages if p.name != "README.md")
    cited = set(re.findall(r"\{cite:[pt]\}`([^`]+)`", text))
    cited = {k.strip() for group in cited for k in group.split(",")}
    assert set(further) <= cited, f"listed but never cited: {sorted(set(further) - cited)}"
    kassi = further["kassi2021"].fields
    assert "Version 4" in kassi["note"] and kassi["doi"].endswith(".4")  # the version whose figures context.csv holds


def test_context_releases_are_dated_against_the_paper():
    """Issue 15: a release that came out after the paper (2017) is never presented as one its authors could use."""
    ctx = evidence.load_context()
    for row in ctx.itertuples():
        note = str(row.note or "")
        assert "when the study was written" not in note and "current when" not in note, row.indicator_code
        if str(row.vintage).startswith("2018-08"):
            assert "after the paper" in note, (row.indicator_code, note)
    oli = ctx[ctx["indicator_code"] == "OLI.PAK.RANK"].iloc[0]
    assert oli["vintage"] == "World Bank 2023" and "published September 2023" in oli["source"]
    facts = REPO.parent / "shared" / "facts" / "README.md"
    if facts.is_file():
        assert "(published September 2023)" in facts.read_text(encoding="utf-8")


def test_claims_keep_the_papers_strength():
    """Issue 15: claims say no more than the paper ("reasonable", "can attract", "a number", "potentially")."""
    claims = evidence.load_claims().set_index("claim_id")["claim"]
    assert "reasonable" in claims["C26"] and " high " not in claims["C26"]
    assert "can attract US$30" in claims["C28"] and "up to" not in claims["C28"]
    assert claims["C30"].startswith("Freelancers are at an early stage") and "a number see it" in claims["C30"]
    assert "could be less volatile" in claims["C32"] and "steadier" not in claims["C32"]
    # C01 and its note agree: the coordinator related geography to the lack of industry (5.1)
    assert "project coordinator relates" in claims["C01"]
    note = evidence.load("claim_evidence").query("claim_id == 'C01' and excerpt_id == 'EX01'")["note"].iloc[0]
    assert "authors read" not in note and "coordinator related" in note
    if BODY.is_file():
        assert "The project coordinator related GB’s geography to lack of industries" in BODY.read_text(
            encoding="utf-8"
        )


# --------------------------------------------------------------------------- integrity both ways


def test_referential_integrity():
    codebook = evidence.load_codebook()
    leaves = set(evidence.codebook_leaves())
    assert leaves == set(codebook.loc[codebook["level"] == "code", "code_id"])
    codings = evidence.load_codings()
    used = set(codings["code_id"].astype(str))
    assert used <= leaves, used - leaves  # every code used exists and is a leaf
    assert set(evidence.load_excerpts()["excerpt_id"]) == set(codings["excerpt_id"])  # every excerpt coded
    assert set(codings["coder"].astype(str)) == {"reference"}
    claims = evidence.load_claims()
    ev = evidence.load_claim_evidence()
    interview = set(claims.loc[claims["evidence_basis"] == "interview", "claim_id"])
    assert interview <= set(ev["claim_id"])  # every interview-based claim has evidence
    assert set(ev["claim_id"]) <= set(claims["claim_id"])
    assert set(ev["excerpt_id"]) <= set(evidence.load_excerpts()["excerpt_id"])
    # every theme in the required tree exists with the right parent
    parent = dict(zip(codebook["code_id"], codebook["parent_id"]))
    for theme, comp in {
        "vulnerability": "vulnerability_context",
        "push_drivers": "vulnerability_context",
        "asset_barriers": "livelihood_assets",
        "capital_outcomes": "livelihood_assets",
        "cultural_barriers": "institutions",
        "platforms": "institutions",
        "development_agencies": "institutions",
        "freelancer_networks": "institutions",
        "pull_drivers": "livelihood_strategies",
        "futures": "livelihood_strategies",
        "trajectories": "livelihood_outcomes",
        "precarity": "livelihood_outcomes",
    }.items():
        assert parent[theme] == comp


def test_respondents_all_quoted_and_groups():
    resp = evidence.load_respondents()
    ex = evidence.load_excerpts()
    assert set(resp["initials"]) == set(ex["initials"])
    counts = ex["initials"].value_counts()
    assert all(counts[r.initials] == r.n_excerpts for r in resp.itertuples())
    sample = evidence.load_sample()
    assert sample.query("dimension == 'quoted'")["count"].sum() == 29
    mode = sample.query("dimension == 'mode'").set_index("category")["count"]
    assert mode["all interviews"] == 29 == mode["Skype"] + mode["face-to-face"]
    assert sample.query("dimension == 'location'")["count"].sum() == 29


def test_code_ancestor_and_join():
    assert evidence.code_ancestor("sinking", "theme") == "trajectories"
    assert evidence.code_ancestor("sinking", "component") == "livelihood_outcomes"
    assert evidence.code_ancestor("platforms", "component") == "institutions"
    joined = evidence.excerpts_with_respondents()
    assert len(joined) == 35 and joined["group"].notna().all()


def test_text_hygiene():
    for name in evidence.RESOURCES:
        df = evidence.load(name)
        for col in df.columns:
            if df[col].dtype.kind in "OTU" or str(df[col].dtype) == "str":
                for value in df[col].dropna():
                    value = str(value)
                    assert unicodedata.is_normalized("NFC", value), (name, col, value[:40])
                    assert "\r" not in value and "\n" not in value, (name, col, value[:40])
                    assert max(map(ord, value), default=0) <= 0xFFFF, (name, col, value[:40])
    for path in DATA.iterdir():
        if path.suffix in {".csv", ".json", ".md", ".bib"}:
            assert b"\r" not in path.read_bytes(), path.name


# --------------------------------------------------------------------------- corrupted copies


def _corrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str, edit) -> Path:
    """Copy data/, apply ``edit(rows)`` to one CSV's rows (header = rows[0]), point the loaders there."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / file
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    monkeypatch.setenv("LIVELIHOODS_DATA", str(copy))
    evidence.clear_cache()
    return copy


def _set(rows, line: int, column: str, value: str) -> None:
    rows[line - 1][rows[0].index(column)] = value


def _expect(loader, file: str, line: int, column: str) -> DataError:
    with pytest.raises(DataError) as info:
        loader()
    msg = str(info.value)
    assert file in msg and f"line {line}" in msg and repr(column) in msg, msg
    assert info.value.file == file and info.value.row == line and info.value.column == column
    return info.value


def test_every_resource_is_loaded_by_validate_all():
    import json

    names = [r["name"] for r in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    assert sorted(names) == sorted(evidence.RESOURCES), "evidence.RESOURCES and datapackage.json list different tables"


def _unique_columns(name: str) -> set[str]:
    """The primary key (joined as the error names it) and every field the schema marks unique."""
    import json

    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    schema = next(r["schema"] for r in package["resources"] if r["name"] == name)
    key = schema["primaryKey"]
    unique = {", ".join([key] if isinstance(key, str) else key)}
    return unique | {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")}


@pytest.mark.parametrize("name", evidence.RESOURCES)
def test_every_table_rejects_a_duplicated_row(tmp_path, monkeypatch, name):
    """A copy of row 2 pasted as row 3 (a common spreadsheet slip) is named by file, line and a unique column."""
    _corrupt(tmp_path, monkeypatch, f"{name}.csv", lambda rows: rows.__setitem__(2, list(rows[1])))
    with pytest.raises(DataError) as info:
        evidence.load(name)
    err = info.value
    assert (err.file, err.row) == (f"{name}.csv", 3), str(err)
    assert err.column in _unique_columns(name), str(err)
    assert f"{name}.csv" in str(err) and "line 3" in str(err) and repr(err.column) in str(err)


@pytest.mark.parametrize("name", evidence.RESOURCES)
def test_every_table_rejects_a_missing_column(tmp_path, monkeypatch, name):
    """A table whose last column was deleted is named by file, header line and the missing column."""
    dropped = []

    def drop(rows):
        dropped.append(rows[0][-1])
        for row in rows:
            del row[-1]

    _corrupt(tmp_path, monkeypatch, f"{name}.csv", drop)
    _expect(lambda: evidence.load(name), f"{name}.csv", 1, dropped[0])


def test_missing_column(tmp_path, monkeypatch):
    def drop(rows):
        i = rows[0].index("guide_section")
        for r in rows:
            del r[i]

    _corrupt(tmp_path, monkeypatch, "excerpts.csv", drop)
    _expect(evidence.load_excerpts, "excerpts.csv", 1, "guide_section")


def test_extra_column(tmp_path, monkeypatch):
    def add(rows):
        for k, r in enumerate(rows):
            r.append("speaker_gender" if k == 0 else "")

    _corrupt(tmp_path, monkeypatch, "respondents.csv", add)
    _expect(evidence.load_respondents, "respondents.csv", 1, "speaker_gender")


def test_unknown_code_in_codings(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "codings.csv", lambda rows: _set(rows, 5, "code_id", "hope"))
    err = _expect(evidence.load_codings, "codings.csv", 5, "code_id")
    assert "codebook.csv" in str(err)


def test_theme_used_as_code(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "codings.csv", lambda rows: _set(rows, 3, "code_id", "platforms"))
    err = _expect(evidence.load_codings, "codings.csv", 3, "code_id")
    assert "leaf" in str(err)


def test_duplicate_excerpt_id(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "excerpts.csv", lambda rows: _set(rows, 4, "excerpt_id", "EX02"))
    err = _expect(evidence.load_excerpts, "excerpts.csv", 4, "excerpt_id")
    assert "duplicate" in str(err) and "line 3" in str(err)


def test_broken_foreign_key(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "claim_evidence.csv", lambda rows: _set(rows, 7, "excerpt_id", "EX99"))
    err = _expect(evidence.load_claim_evidence, "claim_evidence.csv", 7, "excerpt_id")
    assert "excerpts.csv" in str(err)


def test_broken_self_reference(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "codebook.csv", lambda rows: _set(rows, 4, "parent_id", "vulnerabilty"))
    _expect(evidence.load_codebook, "codebook.csv", 4, "parent_id")


def test_bad_enum(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "respondents.csv", lambda rows: _set(rows, 2, "group", "manager"))
    err = _expect(evidence.load_respondents, "respondents.csv", 2, "group")
    assert "'trainee'" in str(err)


def test_bad_integer(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "figures.csv", lambda rows: _set(rows, 6, "year", "2016.5"))
    _expect(evidence.load_figures, "figures.csv", 6, "year")


def test_required_empty(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "claims.csv", lambda rows: _set(rows, 10, "claim", ""))
    _expect(evidence.load_claims, "claims.csv", 10, "claim")


def test_error_in_referenced_table_surfaces(tmp_path, monkeypatch):
    # a broken respondents.csv is reported as such when loading excerpts (which reference it)
    _corrupt(tmp_path, monkeypatch, "respondents.csv", lambda rows: _set(rows, 3, "organisation", "NGO"))
    _expect(evidence.load_excerpts, "respondents.csv", 3, "organisation")


def test_uncoded_excerpt_caught_by_validate_all(tmp_path, monkeypatch):
    _corrupt(tmp_path, monkeypatch, "codings.csv", lambda rows: rows.__delitem__(slice(1, 3)))
    with pytest.raises(DataError, match="EX01"):
        evidence.validate_all()


def test_frictionless_agrees_on_a_corrupted_copy(tmp_path, monkeypatch):
    frictionless = pytest.importorskip("frictionless")
    copy = _corrupt(tmp_path, monkeypatch, "codings.csv", lambda rows: _set(rows, 5, "code_id", "hope"))
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    errors = report.flatten(["rowNumber", "type"])
    assert [5, "foreign-key"] in errors
