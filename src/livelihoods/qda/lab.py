"""The coding-lab chapter's building blocks: the sample, the template and the sheets of one round.

The QDA modules compute (:mod:`.sheets`, :mod:`.agreement`, :mod:`.disagreements`,
:mod:`.dictionary`); this module gives a student what they read and use in one coding round
(:mod:`.lab_results` presents the comparison that ends it):

* :func:`lab_sample` draws the excerpts to code, taking all of an organisation's excerpts when
  fewer exist than were asked for (the World Bank's project lead speaks in two), and says so;
* :func:`save_blank_sheets` writes the blank sheet in both forms into ``_build/coding-lab/``,
  never replacing a different file: a student may already have filled one in there;
* :func:`lab_sheet` gives the coding to compare: the student's sheet, or the book's made-up
  example sheet restricted to the run's sample;
* :func:`codebook_markdown` shows the template to code with;
* :func:`sheet_markdown` says which coding is compared.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

import pandas as pd

from livelihoods import evidence
from livelihoods.errors import ParameterError, SheetError
from livelihoods.qda import sheets, template

if TYPE_CHECKING:
    pass

#: The example sheet in ``data/`` that the chapter compares when no student sheet is given.
EXAMPLE_SHEET = "example_sheet.csv"

#: Environment variable that moves the folder blank sheets are written to (tests use it).
LAB_DIR_ENV = "LIVELIHOODS_LAB_DIR"


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
        text = (
            f"This run drew **{len(self.excerpt_ids)}** of the {self.available} excerpts from {whose} "
            f"(seed {self.seed}), listed below in the order of the paper."
        )
        if self.clipped:
            text += (
                f" You asked for {self.requested}, but only {self.available} excerpts come from "
                f"{whose}, so the sample holds all of them."
            )
        return text


def n_available(organisation: str = "all") -> int:
    """How many excerpts come from an organisation's respondents (all 35 for ``"all"``)."""

    if organisation not in evidence.organisations():
        raise ParameterError(
            f"organisation {organisation!r} is not allowed: expected one of "
            + ", ".join(map(repr, evidence.organisations()))
        )
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


def save_blank_sheets(
    excerpt_ids: Sequence[str], stem: str, folder: str | os.PathLike[str] | None = None
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
    return (
        f"The blank sheet is in `{shown_path(paths['long'])}`, and the same sheet with each excerpt's "
        f"text beside it, for a spreadsheet program, in `{shown_path(paths['wide'])}`. "
        "Reading the book online? Copy it from here:\n\n"
        f"```text\n{text}\n```"
    )


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
        return (
            f"No sheet was given (`sheet = None`), so the comparison below uses the book's **example sheet** "
            f"(`data/{EXAMPLE_SHEET}`) on this run's {len(listed)} excerpts. The example coder is made up: "
            "we coded every excerpt a second time and departed from the reference on purpose, in ways a "
            "careful reader might, so that there are disagreements to discuss."
        )
    in_sample = sum(e in set(sample) for e in listed)
    name = Path(str(sheet.attrs.get("source", given))).name
    return (
        f"The comparison below uses **your sheet** `{name}` (coder `{sheet['coder'].iloc[0]}`). It lists "
        f"{len(listed)} excerpts, {in_sample} of them in this run's sample; the comparison runs on all "
        f"{len(listed)} it lists."
    )
