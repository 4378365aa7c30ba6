"""The coding-lab chapter's building blocks: the sample, the sheets, and readable results.

The QDA modules compute (:mod:`.sheets`, :mod:`.agreement`, :mod:`.disagreements`,
:mod:`.dictionary`); this module turns their results into what a student reads and uses in one
coding round:

* :func:`lab_sample` draws the excerpts to code, taking all of an organisation's excerpts when
  fewer exist than were asked for (the World Bank's project lead speaks in two), and says so;
* :func:`save_blank_sheets` writes the blank sheet in both forms into ``_build/coding-lab/``,
  never replacing a different file: a student may already have filled one in there;
* :func:`lab_sheet` gives the coding to compare: the student's sheet, or the book's made-up
  example sheet restricted to the run's sample;
* :func:`overall_table`, :func:`per_category_table`, :func:`paradox_example` and
  :func:`comparison_table` present the comparison, with undefined statistics written out as
  undefined and the reason beside them;
* :func:`landis_koch` and :func:`krippendorff_reading` name the conventional bands, so that the
  chapter can say what a figure would be called before it asks whether the label means much.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

import pandas as pd

from livelihoods import evidence
from livelihoods.errors import ParameterError, SheetError
from livelihoods.qda import sheets, template
from livelihoods.qda.agreement import Agreement

if TYPE_CHECKING:
    pass

#: The example sheet in ``data/`` that the chapter compares when no student sheet is given.
EXAMPLE_SHEET = "example_sheet.csv"

#: Environment variable that moves the folder blank sheets are written to (tests use it).
LAB_DIR_ENV = "LIVELIHOODS_LAB_DIR"

#: Landis and Koch's (1977) bands for kappa: upper bound (inclusive) and name; below 0 is "poor".
LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"),
    (1.0, "almost perfect"),
)

#: Krippendorff's conventional thresholds for alpha.
ALPHA_TENTATIVE, ALPHA_RELIABLE = 0.667, 0.800


# ======================================================================================
# The sample to code
# ======================================================================================


@dataclass(frozen=True)
class LabSample:
    """The excerpts drawn for one coding round, and how the draw was made."""

    excerpt_ids: tuple[str, ...]
    requested: int
    available: int
    organisation: str
    seed: int

    @property
    def clipped(self) -> bool:
        """True when fewer excerpts exist than were asked for, so all of them were taken."""
        return self.requested > self.available

    def stem(self) -> str:
        """A file-name stem that says which draw a blank sheet belongs to."""
        org = re.sub(r"[^a-z0-9]+", "-", self.organisation.lower()).strip("-")
        return f"sheet-{org}-n{len(self.excerpt_ids)}-seed{self.seed}"

    def describe(self) -> str:
        """One or two sentences (Markdown) on what was drawn, including any clipping."""
        whose = "all respondents" if self.organisation == "all" else f"{self.organisation} respondents"
        text = (f"This run drew **{len(self.excerpt_ids)}** of the {self.available} excerpts from {whose} "
                f"(seed {self.seed}), listed below in the order of the paper.")
        if self.clipped:
            text += (f" You asked for {self.requested}, but only {self.available} excerpts come from "
                     f"{whose}, so the sample holds all of them.")
        return text


def n_available(organisation: str = "all") -> int:
    """How many excerpts come from an organisation's respondents (all 35 for ``"all"``)."""

    if organisation not in evidence.organisations():
        raise ParameterError(f"organisation {organisation!r} is not allowed: expected one of "
                             + ", ".join(map(repr, evidence.organisations())))
    table = evidence.excerpts_with_respondents()
    if organisation != "all":
        table = table[table["organisation"] == organisation]
    return len(table)


def lab_sample(n: int, seed: int, organisation: str = "all") -> LabSample:
    """Draw ``n`` excerpts (all of them when the organisation has fewer), reproducibly.

    Clipping instead of failing is deliberate: every allowed parameter value must give a page,
    and "the World Bank speaks in two excerpts" is itself worth seeing.
    """
    available = n_available(organisation)
    ids = sheets.sample_excerpts(min(n, available), seed, organisation)
    return LabSample(tuple(ids), requested=int(n), available=available, organisation=organisation, seed=int(seed))


# ======================================================================================
# The template
# ======================================================================================


def codebook_markdown(codebook: pd.DataFrame | None = None) -> str:
    """The template as a nested Markdown list: components, their themes, and the codes to apply.

    Codes show their ``code_id`` (what goes in the sheet), label and definition; components and
    themes are headings of the tree only, because a sheet may use leaf codes alone.
    """
    book = evidence.load_codebook() if codebook is None else codebook
    book = book.sort_values("order")
    lines: list[str] = []
    for _, row in book.iterrows():
        level = str(row["level"])
        if level == "component":
            lines.append(f"- **{row['label']}**")
        elif level == "theme":
            lines.append(f"  - *{row['label']}*")
        else:
            lines.append(f"    - `{row['code_id']}` **{row['label']}**: {row['definition']}")
    return "\n".join(lines)


def template_counts(codebook: pd.DataFrame | None = None) -> dict[str, int]:
    """How many components, themes and codes the template has."""
    book = evidence.load_codebook() if codebook is None else codebook
    return {level: int((book["level"] == level).sum()) for level in template.LEVELS}


# ======================================================================================
# Blank sheets on disk
# ======================================================================================


def lab_dir() -> Path:
    """Where the chapter writes blank sheets: ``_build/coding-lab/`` in the repository.

    Never ``notebooks/`` or ``data/`` (those are the book's sources). Outside a clone it is
    ``coding-lab/`` in the working folder; ``LIVELIHOODS_LAB_DIR`` overrides both.
    """
    override = os.environ.get(LAB_DIR_ENV)
    if override:
        return Path(override)
    from livelihoods.paths import repo_root

    root = repo_root()
    return root / "_build" / "coding-lab" if root is not None else Path.cwd() / "coding-lab"


def _target(folder: Path, stem: str, payload: bytes) -> Path:
    """``stem.csv``, or ``stem-2.csv``, ...: the first name that is free or already holds ``payload``."""
    number = 1
    while True:
        target = folder / (f"{stem}.csv" if number == 1 else f"{stem}-{number}.csv")
        if not target.exists() or (target.is_file() and target.read_bytes() == payload):
            return target
        number += 1


def save_blank_sheets(excerpt_ids: Sequence[str], stem: str, folder: str | os.PathLike[str] | None = None
                      ) -> dict[str, Path]:
    """Write the blank sheet (``long``: one line per excerpt) and its spreadsheet form (``wide``).

    Nothing is ever replaced: if a file of that name holds anything else (a sheet a student has
    started filling in, say), the new sheet gets the next free number instead. Re-running with the
    same parameters finds its own identical file and leaves it be. Returns the two paths.
    """
    from livelihoods.files import write_atomic

    where = lab_dir() if folder is None else Path(folder)
    payloads = {
        "long": (stem, sheets.blank_sheet(excerpt_ids).encode("utf-8")),
        "wide": (f"{stem}-spreadsheet", sheets.blank_sheet_text(excerpt_ids).encode("utf-8-sig")),
    }
    out: dict[str, Path] = {}
    for form, (name, payload) in payloads.items():
        target = _target(where, name, payload)
        if not target.exists():
            write_atomic(target, payload)
        out[form] = target
    return out


def shown_path(path: Path) -> str:
    """A path as the page shows it: relative to the repository when inside it (no home folders)."""
    from livelihoods.paths import repo_root

    root = repo_root()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() if root is not None else path.name
    except ValueError:
        return path.as_posix()


def blank_sheets_markdown(paths: Mapping[str, Path], excerpt_ids: Sequence[str]) -> str:
    """Where the blank sheets were written, and the long form itself to copy from the page."""
    text = sheets.blank_sheet(excerpt_ids).rstrip("\n")
    return (f"The blank sheet is in `{shown_path(paths['long'])}`, and the same sheet with each excerpt's "
            f"text beside it, for a spreadsheet program, in `{shown_path(paths['wide'])}`. "
            "Reading the book online? Copy it from here:\n\n"
            f"```text\n{text}\n```")


# ======================================================================================
# The coding to compare
# ======================================================================================


def example_sheet_path() -> Path:
    """``data/example_sheet.csv``: the made-up example coding shipped with the data."""
    from livelihoods.paths import data_dir

    return data_dir() / EXAMPLE_SHEET


def lab_sheet(sheet: str | os.PathLike[str] | None, sample: Sequence[str]) -> pd.DataFrame:
    """The coding to compare with the reference.

    With a ``sheet`` path: the student's sheet, read (and checked) as it is, on the excerpts it
    lists, whether or not they are this run's sample. Without one: the example sheet, restricted to
    ``sample`` so that the parameters change what is compared.
    """
    if sheet is not None:
        path = sheets.locate_sheet(sheet)
        if path is None:
            raise SheetError(f"{sheet}: {sheets.sheet_path_problem(sheet)}: check the path of the sheet")
        return sheets.read_sheet(path)
    full = sheets.read_sheet(example_sheet_path())
    wanted = set(sample)
    keep = [e for e in sheets.sheet_excerpts(full) if e in wanted]
    if not keep:
        raise SheetError(f"{EXAMPLE_SHEET}: codes none of the sampled excerpts")
    out = full[full["excerpt_id"].isin(keep)].reset_index(drop=True)
    out.attrs = {**full.attrs, "excerpt_ids": keep}
    return out


def sheet_markdown(sheet: pd.DataFrame, given: str | None, sample: Sequence[str]) -> str:
    """A sentence saying which coding is compared below, on which excerpts."""
    listed = sheets.sheet_excerpts(sheet)
    if given is None:
        return (f"No sheet was given (`sheet = None`), so the comparison below uses the book's **example sheet** "
                f"(`data/{EXAMPLE_SHEET}`) on this run's {len(listed)} excerpts. The example coder is made up: "
                "we coded every excerpt a second time and departed from the reference on purpose, in ways a "
                "careful reader might, so that there are disagreements to discuss.")
    in_sample = sum(e in set(sample) for e in listed)
    name = Path(str(sheet.attrs.get("source", given))).name
    return (f"The comparison below uses **your sheet** `{name}` (coder `{sheet['coder'].iloc[0]}`). It lists "
            f"{len(listed)} excerpts, {in_sample} of them in this run's sample; the comparison runs on all "
            f"{len(listed)} it lists.")


# ======================================================================================
# Reading the statistics
# ======================================================================================


def landis_koch(kappa: float) -> str:
    """Landis and Koch's name for a kappa value (they offered the bands as rough benchmarks)."""
    if kappa is None or kappa != kappa:
        return "undefined"
    if kappa < 0:
        return LANDIS_KOCH[0][1]
    for upper, name in LANDIS_KOCH[1:]:
        if kappa <= upper:
            return name
    return LANDIS_KOCH[-1][1]


def krippendorff_reading(alpha: float) -> str:
    """What Krippendorff's conventional thresholds say about an alpha value."""
    if alpha is None or alpha != alpha:
        return "undefined"
    if alpha >= ALPHA_RELIABLE:
        return "at or above 0.8"
    if alpha >= ALPHA_TENTATIVE:
        return "tentative (0.667 to 0.8)"
    return "below 0.667"


def landis_koch_table() -> pd.DataFrame:
    """Landis and Koch's bands for kappa as a table, read from :data:`LANDIS_KOCH` (never retyped)."""

    def number(x: float) -> str:
        return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"

    rows = [{"kappa": "below 0", "Landis and Koch's name": LANDIS_KOCH[0][1]}]
    lower = 0.0
    for upper, name in LANDIS_KOCH[1:]:
        rows.append({"kappa": f"{number(lower)} to {number(upper)}", "Landis and Koch's name": name})
        lower = upper + 0.01
    return pd.DataFrame(rows)


#: Shorter headers for the web page's agreement tables, so that they fit a phone's width; the
#: soft hyphens (U+00AD) let a long header break where a column is narrow. The Markdown (PDF)
#: version of a table keeps the full names.
_NARROW_HEADERS: dict[str, str] = {"A only": "A", "B only": "B", "agreement": "agree\u00adment",
                                   "neither": "nei\u00adther"}


def narrow_table(df: pd.DataFrame, caption: str):
    """``show.table`` (``chapter.table``) for the per-category agreement tables, made to fit a phone without scrolling.

    Display only: "A only" and "B only" are headed A and B (the caption says what they count),
    long headers may break with a hyphen, and "undefined" may too; the data are unchanged.
    """
    from livelihoods.analyses.show import table

    styler = table(df, caption=caption)
    styler = styler.set_table_styles([{"selector": "th, td", "props": "padding: 0.3em 0.45em 0.3em 0;"}],
                                     overwrite=False)
    styler = styler.relabel_index([_NARROW_HEADERS.get(c, c) for c in df.columns], axis=1)
    stats = [c for c in ("kappa", "alpha") if c in df.columns]
    if stats:
        styler = styler.format(lambda v: "unde\u00adfined" if v == "undefined" else v, subset=stats)
    return styler


def _pct(value: float) -> str:
    return "undefined" if value != value else f"{value:.1f}%"


def _stat(value: float) -> str:
    return "undefined" if value != value else f"{value:.2f}"


def overall_table(result: Agreement) -> pd.DataFrame:
    """Pooled and mean agreement, each statistic beside its conventional band; undefined says why.

    Statistics are rows and the two summaries columns, so the table stays three columns wide
    and readable on a phone.
    """
    noun = template.noun(result.level)
    why = f" ({result.reason})" if result.reason else ""
    pooled = f"pooled over all {result.n_units} excerpt × {noun} units"
    mean = f"mean over {noun}s (kappa and alpha: the {result.n_defined} of {len(result.per_category)} defined)"
    return pd.DataFrame({
        "statistic": ["percentage agreement", "Cohen's kappa", "Landis and Koch's name", "Krippendorff's alpha",
                      "Krippendorff's thresholds"],
        pooled: [_pct(result.percent_agreement), _stat(result.kappa) + why, landis_koch(result.kappa),
                 _stat(result.alpha) + why, krippendorff_reading(result.alpha)],
        mean: [_pct(result.mean_percent_agreement), _stat(result.mean_kappa), landis_koch(result.mean_kappa),
               _stat(result.mean_alpha), krippendorff_reading(result.mean_alpha)],
    })


def per_category_table(result: Agreement, collapse_undefined: bool = True) -> pd.DataFrame:
    """One row per category: counts, agreement, kappa and alpha, lowest kappa first, undefined last.

    An undefined kappa or alpha is the word "undefined", never 0 or 1, so a reader never mistakes
    "no evidence either way" for disagreement or for perfect agreement. With ``collapse_undefined``
    (the default), undefined categories with the same counts and reason share one row (a sample
    of ten excerpts leaves most of 33 codes unused, and twenty identical rows would bury the ones
    worth discussing), and :func:`undefined_markdown`, shown under the table, names them with the
    reason; without it, every category has its row and the reason is in an ``undefined because``
    column.
    """
    labels = template.labels()
    noun = template.noun(result.level)
    per = result.per_category.copy()
    per["_undefined"] = per["reason"] != ""
    per = per.sort_values(["_undefined", "kappa", "category"], kind="mergesort", na_position="last")
    counts = ["n_both", "n_a_only", "n_b_only", "n_neither"]

    def row(name: str, first: pd.Series, kappa: str, alpha: str, reason: str) -> dict[str, object]:
        return {noun: name, "both": int(first["n_both"]), "A only": int(first["n_a_only"]),
                "B only": int(first["n_b_only"]), "neither": int(first["n_neither"]),
                "agreement": _pct(float(first["percent_agreement"])), "kappa": kappa, "alpha": alpha,
                "undefined because": reason}

    rows = [row(labels.get(r["category"], r["category"]), r, _stat(r["kappa"]), _stat(r["alpha"]), "")
            for _, r in per[~per["_undefined"]].iterrows()]
    undefined = per[per["_undefined"]]
    groups = (undefined.groupby(counts + ["reason"], sort=False) if collapse_undefined
              else ((None, undefined.loc[[i]]) for i in undefined.index))
    for _, group in groups:
        names = [labels.get(c, c) for c in group["category"]]
        first = group.iloc[0]
        if len(names) == 1:
            rows.append(row(names[0], first, "undefined", "undefined", first["reason"]))
        else:
            rows.append(row(f"{len(names)} {noun}s, see below", first, "undefined", "undefined", first["reason"]))
    columns = [noun, "both", "A only", "B only", "neither", "agreement", "kappa", "alpha", "undefined because"]
    # Collapsed, the reasons go with the names in undefined_markdown; the column would be nearly empty
    # and too wide for a phone.
    return pd.DataFrame(rows, columns=columns[:-1] if collapse_undefined else columns)


def undefined_markdown(result: Agreement) -> str:
    """The categories whose kappa and alpha are undefined, named and grouped by the reason."""
    labels = template.labels()
    per = result.per_category
    undefined = per[per["reason"] != ""]
    if undefined.empty:
        return f"Kappa and alpha are defined for every {template.noun(result.level)} in this comparison."
    parts = []
    for reason, group in undefined.groupby("reason", sort=False):
        names = ", ".join(labels.get(c, c) for c in group["category"])
        parts.append(f"**Undefined because {reason}** ({len(group)}): {names}.")
    return "\n\n".join(parts)


def n_undefined(result: Agreement) -> int:
    """Categories whose kappa and alpha are undefined (typically: neither coder used them)."""
    return int((result.per_category["reason"] != "").sum())


def paradox_rows(result: Agreement, min_percent: float = 90.0, max_kappa: float = 0.4) -> pd.DataFrame:
    """Categories with high agreement but low kappa: the prevalence paradox, in the data.

    For a rarely used category almost every excerpt is "neither", so the coders agree on nearly
    everything while disagreeing on the few excerpts that matter. ``used by either`` (excerpts
    either coder gave the category) shows how rare it is, and ``both`` how often they agreed
    that it applies.
    """
    labels = template.labels()
    per = result.per_category
    hit = per[(per["reason"] == "") & (per["percent_agreement"] >= min_percent) & (per["kappa"] <= max_kappa)]
    rows = [{template.noun(result.level): labels.get(r["category"], r["category"]),
             "used by either": int(r["n_both"] + r["n_a_only"] + r["n_b_only"]), "both": int(r["n_both"]),
             "neither": int(r["n_neither"]), "agreement": _pct(r["percent_agreement"]), "kappa": _stat(r["kappa"])}
            for _, r in hit.iterrows()]
    return pd.DataFrame(rows, columns=[template.noun(result.level), "used by either", "both", "neither",
                                       "agreement", "kappa"])


def paradox_example(result: Agreement, fallback: Agreement, fallback_name: str
                    ) -> tuple[pd.DataFrame, str]:
    """The paradox rows of this run's comparison, or of ``fallback`` when this run has none.

    Returns the rows and a sentence saying which comparison they come from, so the chapter can
    always show the paradox in real data whatever the parameters.
    """
    rows = paradox_rows(result)
    if len(rows):
        return rows, (f"In this run's comparison, {len(rows)} of the {len(result.per_category)} "
                      f"{template.noun(result.level)}s agree on at least 90% of the {result.n_excerpts} excerpts "
                      "while their kappa is 0.4 or lower.")
    rows = paradox_rows(fallback)
    return rows, (f"This run's comparison has no {template.noun(result.level)} with at least 90% agreement and a "
                  f"kappa of 0.4 or lower, so the table shows {fallback_name}, where {len(rows)} have.")


def share_neither(result: Agreement) -> float:
    """Share of all excerpt × category units that neither coder coded: what inflates raw agreement."""
    per = result.per_category
    return float(per["n_neither"].sum() / result.n_units) if result.n_units else math.nan


def comparison_table(results: Mapping[str, Agreement]) -> pd.DataFrame:
    """Several codings' agreement with the reference, side by side (pooled figures).

    One column per coding and one row per statistic, so that the table stays narrow.
    """
    rows = {"excerpts": lambda r: str(r.n_excerpts), "percentage agreement": lambda r: _pct(r.percent_agreement),
            "Cohen's kappa": lambda r: _stat(r.kappa), "Landis and Koch's name": lambda r: landis_koch(r.kappa),
            "Krippendorff's alpha": lambda r: _stat(r.alpha),
            "Krippendorff's thresholds": lambda r: krippendorff_reading(r.alpha)}
    table = {"statistic": list(rows)}
    for name, result in results.items():
        table[name] = [get(result) for get in rows.values()]
    return pd.DataFrame(table)
