"""The evidence base: typed, validated tables read from ``data/``.

Why this module exists: every chapter, exercise and export reads the paper's evidence
(excerpts, codebook, codings, claims, figures, references, ...) from the CSV files of the
Frictionless data package in ``data/``. Reading them through one loader means that

* a malformed file stops the reader with **one clear error** (:class:`DataError`) naming the
  file, the line and the column, instead of a wrong figure three chapters later;
* the checks are driven by ``datapackage.json`` itself (types, required fields, enums,
  patterns, unique and primary keys, foreign keys including the codebook's self-reference),
  so the schema a reader sees is the schema that is enforced;
* every table comes back with the same dtypes everywhere: ``Int64``/``Float64``/``boolean``
  for numbers and flags, pandas ``Categorical`` (in the schema's enum order) for enum fields
  and for codes that point into the codebook, and plain strings otherwise, where an empty
  cell stays ``""`` (only categoricals and numbers use a missing value).

Row numbers in errors are **CSV line numbers, counting the header as line 1** (the same
convention as ``frictionless validate``), so ``row 5`` is the fifth line of the file.

This module deliberately does not import ``frictionless`` (slow to import); the test suite
runs ``frictionless validate`` on the same package to make sure the two agree.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from livelihoods.errors import DataError, ParameterError
from livelihoods.evidence.parse import as_list, check_constraints, data_error, parse_cell, read_rows
from livelihoods.paths import data_dir

__all__ = [
    "RESOURCES",
    "load",
    "codebook_leaves",
    "code_ancestor",
    "validate_all",
    "clear_cache",
]

PACKAGE_FILE = "datapackage.json"

#: The resources of the package, in the order ``validate_all`` loads them.
RESOURCES: tuple[str, ...] = (
    "respondents",
    "excerpts",
    "codebook",
    "codings",
    "research_questions",
    "capitals",
    "claims",
    "claim_evidence",
    "barrier_actors",
    "figures",
    "sample",
    "references",
    "citations",
    "literature_views",
    "questions",
    "question_links",
    "context",
    "dictionary",
    "example_sheet",
    "labels",
    "sic_notes",
)

#: Foreign keys into this resource become categoricals in its row order (codes read as codes).
CODE_RESOURCE = "codebook"


# --------------------------------------------------------------------------- errors


# --------------------------------------------------------------------------- cache


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """(name, mtime_ns, size) of the descriptor and every CSV: the cache key.

    Using every file (not just the one loaded) keeps foreign-key checks honest when a
    referenced table changes while the referencing one does not.
    """
    sig = []
    for path in sorted([folder / PACKAGE_FILE, *folder.glob("*.csv")]):
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        sig.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(sig)


def clear_cache() -> None:
    """Forget every parsed table (tests call this after pointing ``LIVELIHOODS_DATA`` elsewhere)."""
    _descriptor.cache_clear()
    _ancestors.cache_clear()
    _load_cached.cache_clear()


@functools.lru_cache(maxsize=8)
def _descriptor(folder: str, sig: tuple) -> dict[str, Any]:
    path = Path(folder) / PACKAGE_FILE
    if not path.is_file():
        raise DataError(PACKAGE_FILE, f"not found in {folder}")
    try:
        desc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(PACKAGE_FILE, f"is not valid UTF-8 JSON: {exc}") from None
    resources = desc.get("resources")
    if not isinstance(resources, list):
        raise DataError(PACKAGE_FILE, "has no list of resources")
    return {r["name"]: r for r in resources}


# --------------------------------------------------------------------------- parsing


_LOADING: list[str] = []  # tables being loaded (to report a foreign-key cycle instead of recursing)


@functools.lru_cache(maxsize=64)
def _load_cached(folder: str, sig: tuple, name: str) -> pd.DataFrame:
    resources = _descriptor(folder, sig)
    if name not in resources:
        raise ParameterError(f"no table named {name!r}; the tables are: {', '.join(resources)}")
    if name in _LOADING:
        raise DataError(PACKAGE_FILE, f"foreign keys form a cycle: {' -> '.join((*_LOADING, name))}")
    _LOADING.append(name)
    try:
        return _parse_table(folder, sig, name, resources)
    finally:
        _LOADING.remove(name)


def _parse_table(folder: str, sig: tuple, name: str, resources: dict[str, Any]) -> pd.DataFrame:
    resource = resources[name]
    file = resource["path"]
    schema = resource["schema"]
    fields: list[dict[str, Any]] = schema["fields"]
    names = [f["name"] for f in fields]

    header, rows, lines = read_rows(file, Path(folder) / file)

    # columns: same names, same order as the schema (as frictionless requires)
    missing = [n for n in names if n not in header]
    if missing:
        raise data_error(file, f"missing column(s) {', '.join(map(repr, missing))}", 1, missing[0])
    extra = [h for h in header if h not in names]
    if extra:
        raise data_error(
            file, f"unexpected column(s) {', '.join(map(repr, extra))}; allowed: {', '.join(names)}", 1, extra[0]
        )
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise data_error(file, f"column {dup!r} appears twice", 1, dup)
    if header != names:
        raise data_error(file, f"columns are out of order; expected {', '.join(names)}", 1)

    # cells
    columns: dict[str, list[Any]] = {n: [] for n in names}
    raws: dict[str, list[str]] = {n: [] for n in names}
    for row, line in zip(rows, lines):
        if len(row) != len(names):
            raise data_error(file, f"has {len(row)} cells, the header has {len(names)}", line)
        for field, raw in zip(fields, row):
            fname = field["name"]
            required = field.get("constraints", {}).get("required", False)
            if raw == "":
                if required:
                    raise data_error(file, "is empty but required", line, fname)
                value = "" if field.get("type", "string") == "string" else None
            else:
                try:
                    value = parse_cell(raw, field)
                except ValueError as exc:
                    raise data_error(file, f"wrong type ({field.get('type')}): {exc}", line, fname) from None
                problem = check_constraints(value, raw, field)
                if problem:
                    raise data_error(file, problem, line, fname)
            columns[fname].append(value)
            raws[fname].append(raw)

    # unique fields and the primary key
    def _check_unique(keys: list[str], what: str) -> None:
        seen: dict[tuple[str, ...], int] = {}
        for i, line in enumerate(lines):
            key = tuple(raws[k][i] for k in keys)
            if len(keys) == 1 and key == ("",):
                continue  # null values do not collide (Table Schema)
            if key in seen:
                shown = ", ".join(f"{k}={v!r}" for k, v in zip(keys, key))
                raise data_error(file, f"duplicate {what} ({shown}), first on line {seen[key]}", line, ", ".join(keys))
            seen[key] = line

    for field in fields:
        if field.get("constraints", {}).get("unique"):
            _check_unique([field["name"]], "value")
    if schema.get("primaryKey"):
        _check_unique(as_list(schema["primaryKey"]), "primary key")

    # foreign keys (checked against the referenced table, itself validated first)
    categories_from: dict[str, list[str]] = {}
    for fk in schema.get("foreignKeys", []):
        local = as_list(fk["fields"])
        target = fk["reference"]["resource"] or name
        remote = as_list(fk["reference"]["fields"])
        if target == name:
            pool = {tuple(raws[r][i] for r in remote) for i in range(len(lines))}
            target_file = file
        else:
            ref = _load_cached(folder, sig, target)
            pool = {tuple(str(v) for v in t) for t in ref[remote].itertuples(index=False)}
            target_file = resources[target]["path"]
            if target == CODE_RESOURCE and len(local) == 1:
                categories_from[local[0]] = list(ref[remote[0]].astype(str))
        for i, line in enumerate(lines):
            key = tuple(raws[k][i] for k in local)
            if all(v == "" for v in key):
                continue  # an empty reference is "no reference"
            if key not in pool:
                shown = ", ".join(repr(v) for v in key)
                raise data_error(
                    file,
                    f"{shown} is not a {', '.join(remote)} in {target_file}",
                    line,
                    ", ".join(local),
                )

    # typed frame
    data: dict[str, Any] = {}
    for field in fields:
        fname, kind = field["name"], field.get("type", "string")
        values = columns[fname]
        enum = field.get("constraints", {}).get("enum")
        if enum is not None or fname in categories_from:
            cats = enum if enum is not None else categories_from[fname]
            data[fname] = pd.Categorical([v if v != "" else None for v in values], categories=cats)
        elif kind == "integer":
            data[fname] = pd.array(values, dtype="Int64")
        elif kind == "number":
            data[fname] = pd.array(values, dtype="Float64")
        elif kind == "boolean":
            data[fname] = pd.array(values, dtype="boolean")
        else:
            data[fname] = pd.Series(values, dtype="str") if values else pd.Series([], dtype="str")
    frame = pd.DataFrame(data, columns=names)

    problem = _SEMANTIC_CHECKS.get(name)
    if problem is not None:
        problem(file, frame, lines, folder, sig)

    if "order" in frame.columns:
        frame = frame.sort_values("order", kind="stable")
    elif schema.get("primaryKey"):
        frame = frame.sort_values(as_list(schema["primaryKey"]), kind="stable")
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- checks the schema cannot express


def _check_codebook(file: str, df: pd.DataFrame, lines: list[int], folder: str, sig: tuple) -> None:
    """Components have no parent, themes hang off components, codes off themes."""
    level = dict(zip(df["code_id"], df["level"].astype(str)))
    expected_parent = {"component": None, "theme": "component", "code": "theme"}
    for (code, parent, lvl), line in zip(df[["code_id", "parent_id", "level"]].itertuples(index=False), lines):
        want = expected_parent[str(lvl)]
        if want is None and parent != "":
            raise data_error(file, f"component {code!r} must not have a parent", line, "parent_id")
        if want is not None and level.get(parent) != want:
            raise data_error(file, f"the parent of {lvl} {code!r} must be a {want}, not {parent!r}", line, "parent_id")


def _check_codings(file: str, df: pd.DataFrame, lines: list[int], folder: str, sig: tuple) -> None:
    """Only leaf codes may be applied: themes and components are groupings, not codes."""
    leaves = set(_leaves(folder, sig))
    for code, line in zip(df["code_id"].astype(str), lines):
        if code not in leaves:
            raise data_error(file, f"{code!r} is a theme or component, not a leaf code", line, "code_id")


def _check_claims(file: str, df: pd.DataFrame, lines: list[int], folder: str, sig: tuple) -> None:
    """A stance needs a literature view and vice versa; RQ and theme go together."""
    for (view, stance, rq, theme), line in zip(
        df[["literature_view", "stance", "research_question", "theme_id"]].itertuples(index=False), lines
    ):
        if pd.isna(view) != pd.isna(stance):
            raise data_error(file, "literature_view and stance must be both empty or both filled", line, "stance")
        if pd.isna(rq) != pd.isna(theme):
            raise data_error(file, "research_question and theme_id must be both empty or both filled", line, "theme_id")


def _check_barrier_actors(file: str, df: pd.DataFrame, lines: list[int], folder: str, sig: tuple) -> None:
    """Barrier codes must sit under the asset or cultural barrier themes."""
    codebook = _load_cached(folder, sig, CODE_RESOURCE)
    parent = dict(zip(codebook["code_id"], codebook["parent_id"]))
    for code, line in zip(df["barrier_code"].astype(str), lines):
        if parent.get(code) not in ("asset_barriers", "cultural_barriers"):
            raise data_error(
                file, f"{code!r} is not a code under asset_barriers or cultural_barriers", line, "barrier_code"
            )


def _check_figures(file: str, df: pd.DataFrame, lines: list[int], folder: str, sig: tuple) -> None:
    """A range runs from low to high; a number from an excerpt names it as its source."""
    for (low, high, exid, source), line in zip(
        df[["low", "high", "excerpt_id", "source"]].itertuples(index=False), lines
    ):
        if low > high:
            raise data_error(file, f"low ({low}) is above high ({high})", line, "low")
        if exid and source != exid:
            raise data_error(file, f"source should be the excerpt id {exid!r}", line, "source")


def _check_excerpts(file: str, df: pd.DataFrame, lines: list[int], folder: str, sig: tuple) -> None:
    """The split columns must agree with the attribution printed in the paper."""
    for (ini, role, org, attribution), line in zip(
        df[["initials", "attributed_role", "attributed_org", "attribution"]].itertuples(index=False), lines
    ):
        pattern = rf"{re.escape(ini)}\s?–\s?{re.escape(role)}, {re.escape(str(org))}"
        if not re.fullmatch(pattern, attribution):
            raise data_error(
                file, f"attribution {attribution!r} does not match initials, role and organisation", line, "attribution"
            )


_SEMANTIC_CHECKS = {
    "codebook": _check_codebook,
    "codings": _check_codings,
    "claims": _check_claims,
    "barrier_actors": _check_barrier_actors,
    "figures": _check_figures,
    "excerpts": _check_excerpts,
}


# --------------------------------------------------------------------------- public API


def _key() -> tuple[str, tuple]:
    folder = data_dir()
    return str(folder), _signature(folder)


def load(name: str) -> pd.DataFrame:
    """Load one table of the package by resource name (e.g. ``"excerpts"``), validated and typed.

    Returns a copy, so a notebook may modify it freely without affecting the next caller.
    """
    folder, sig = _key()
    return _load_cached(folder, sig, name).copy()


@functools.lru_cache(maxsize=8)
def _leaves(folder: str, sig: tuple) -> tuple[str, ...]:
    codebook = _load_cached(folder, sig, CODE_RESOURCE)
    return tuple(codebook.loc[codebook["level"] == "code", "code_id"])


def codebook_leaves() -> list[str]:
    """The leaf codes (level ``code``) in codebook order: the only codes a coder may apply."""
    return list(_leaves(*_key()))


_LEVELS = ("code", "theme", "component")


@functools.lru_cache(maxsize=8)
def _ancestors(folder: str, sig: tuple) -> dict[str, dict[str, str]]:
    """code_id -> {level: the node at that level on its path to the root (itself included)}."""
    codebook = _load_cached(folder, sig, CODE_RESOURCE)
    parent = dict(zip(codebook["code_id"], codebook["parent_id"]))
    lvl = dict(zip(codebook["code_id"], codebook["level"].astype(str)))
    table: dict[str, dict[str, str]] = {}
    for code_id in parent:
        path, node = {}, code_id
        while node:
            path.setdefault(lvl[node], node)
            node = parent[node]
        table[code_id] = path
    return table


def code_ancestor(code_id: str, level: str) -> str:
    """Map a code to its ancestor at ``level`` ("theme" or "component"; "code" returns itself).

    Used to aggregate codings up the SLF hierarchy (e.g. leaf -> component for a chart). The
    paths are computed once per version of the data, since charts call this once per coding.
    """
    if level not in _LEVELS:
        raise ParameterError(f"level {level!r} is not allowed; use one of {', '.join(_LEVELS)}")
    table = _ancestors(*_key())
    if code_id not in table:
        raise ParameterError(f"{code_id!r} is not a code_id in codebook.csv")
    if level not in table[code_id]:
        own = next(iter(table[code_id]))
        raise ParameterError(f"{code_id!r} ({own}) has no ancestor at level {level!r}")
    return table[code_id][level]


def validate_all() -> None:
    """Load every table and check the cross-table rules the schema cannot express.

    Beyond per-table validation: every excerpt carries at least one code, and every claim
    whose evidence basis is ``interview`` has at least one linked excerpt.
    """
    folder, sig = _key()
    for name in _descriptor(folder, sig):
        _load_cached(folder, sig, name)
    excerpts = _load_cached(folder, sig, "excerpts")
    codings = _load_cached(folder, sig, "codings")
    uncoded = sorted(set(excerpts["excerpt_id"]) - set(codings["excerpt_id"]))
    if uncoded:
        raise DataError("codings.csv", f"excerpt(s) without any code: {', '.join(uncoded)}", column="excerpt_id")
    claims = _load_cached(folder, sig, "claims")
    evidence = _load_cached(folder, sig, "claim_evidence")
    interview = set(claims.loc[claims["evidence_basis"] == "interview", "claim_id"])
    bare = sorted(interview - set(evidence["claim_id"].astype(str)))
    if bare:
        raise DataError(
            "claim_evidence.csv", f"interview-based claim(s) without evidence: {', '.join(bare)}", column="claim_id"
        )
