"""The parameter registry: every chapter notebook's parameters, what they mean and what is allowed.

:class:`Param` describes one parameter (type, default, allowed values, meaning, whether it is an
assumption); :data:`REGISTRY` maps each chapter notebook's stem to its parameters, in the order of its
``parameters`` cell. It is the single source of truth for them: the notebook's ``parameters`` cell
must agree with it (checked in tests), :mod:`.params` validates values against it, and the
educators' guide and each chapter's "Run this chapter yourself" box are generated from it.

Allowed values that are facts of the evidence base (organisations, streams, barrier codes) are
:class:`FromData`: read from ``data/`` when first needed, never copied into code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, Iterable


class FromData(Sequence):
    """Allowed values read from ``data/`` the first time they are needed, never copied into code.

    The registry is imported by every chapter, the command line and the Sphinx extension; reading
    the data package only when a value is checked keeps that import cheap, and a change to
    ``data/`` changes what is allowed at once.
    """

    def __init__(self, read: Callable[[], Iterable[Any]], first: tuple[Any, ...] = ()):
        self._read, self._first, self._values = read, first, None

    def _resolved(self) -> tuple[Any, ...]:
        if self._values is None:
            self._values = (*self._first, *self._read())
        return self._values

    def __getitem__(self, i):  # type: ignore[override]
        return self._resolved()[i]

    def __len__(self) -> int:
        return len(self._resolved())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (tuple, list, Sequence)) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._resolved())

    def __repr__(self) -> str:
        return repr(self._resolved())


def _organisations() -> tuple[str, ...]:
    from livelihoods import evidence

    return evidence.organisations()[1:]


def _figure_groups() -> list[str]:
    from livelihoods.analyses import rationale

    return rationale.figure_groups()


def _streams() -> list[str]:
    from livelihoods.analyses import literature

    return literature.streams()


def _highlights() -> tuple[str, ...]:
    from livelihoods.analyses import framework

    return framework.highlight_choices()[1:]


def _barriers() -> list[str]:
    from livelihoods.analyses import barriers

    return barriers.barrier_codes()


#: The values of every chapter's ``organisation`` parameter: "all", then the organisations of respondents.csv.
ORGANISATIONS = FromData(_organisations, ("all",))
#: Groups of the paper's scale figures (chapter A): one per unit (the scale_group labels of data/labels.csv).
FIGURE_GROUPS = FromData(_figure_groups, ("all",))
#: Literature streams of references.csv (chapter B), in the data package's order.
STREAMS = FromData(_streams, ("all",))
#: What chapter C may highlight: "none", the codebook's five SLF components, then the capitals of capitals.csv.
SLF_HIGHLIGHTS = FromData(_highlights, ("none",))
#: How chapter D groups the chart of published voices (a choice of chart, not a fact: livelihoods.analyses.methods).
VOICE_GROUPINGS = ("group", "organisation", "respondent")
#: The leaf codes under asset_barriers and cultural_barriers in data/codebook.csv, in codebook order, and "all".
BARRIERS = FromData(_barriers, ("all",))


@dataclass(frozen=True)
class Param:
    """One notebook parameter: its default, what it means and what is allowed.

    ``kind`` is one of ``int``, ``float``, ``str``, ``bool``. ``choices`` restricts a value to
    a list; ``low``/``high`` bound a number (inclusive). ``nullable`` allows ``None`` (for
    optional inputs such as a coding-sheet path). ``assumption`` marks a figure the paper does
    not give, so the book can label it as such. ``check`` is a further test of a non-None value
    that the type and range cannot express (a file must exist): it returns "" when the value is
    fine, else the reason, which becomes part of the one-line error; ``describe`` then says in
    words what is allowed.
    """

    name: str
    kind: type
    default: Any
    doc: str
    choices: Sequence[Any] | None = None
    low: float | None = None
    high: float | None = None
    nullable: bool = False
    assumption: bool = False
    check: Callable[[Any], str] | None = None
    describe: str | None = None

    def meaning(self) -> str:
        """What the parameter does, with assumptions labelled, as the page and the guide show it."""
        text = self.doc.rstrip()
        if self.assumption:
            text += ("" if text.endswith(".") else ".") + " An assumption: the paper gives no figure."
        return text

    def allowed(self) -> str:
        """A short human description of the allowed values, used in every error message."""
        if self.describe is not None:
            text = self.describe
        elif self.choices is not None:
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind in (int, float):
            noun = "an integer" if self.kind is int else "a number"
            if self.low is not None and self.high is not None:
                text = f"{noun} from {_fmt(self.low)} to {_fmt(self.high)}"
            elif self.low is not None:
                text = f"{noun} of at least {_fmt(self.low)}"
            elif self.high is not None:
                text = f"{noun} of at most {_fmt(self.high)}"
            else:
                text = noun
        elif self.kind is bool:
            text = "True or False"
        else:
            text = "a non-empty string"
        return text + (" (or None)" if self.nullable else "")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _sheet_file(value: str) -> str:
    """Why a coding-sheet path cannot be used ("" when it names an existing file).

    Checked here, at the top of the notebook, so that a mistyped path stops the run with one
    line before anything is drawn or written; the lookup itself lives in ``livelihoods.qda.sheets``.
    """
    from livelihoods.qda.sheets import sheet_path_problem

    return sheet_path_problem(value)


# --------------------------------------------------------------------------------------
# The registry: notebook stem -> its parameters, in the order of its parameters cell.
# Each chapter owns its block; keep the defaults identical to the notebook's parameters cell
# (tests/test_params.py checks they agree).
# --------------------------------------------------------------------------------------
# The trajectory funnel (section 5.3), shared by e4_impact and g_debates so the two cannot drift.
_TRAJECTORY_PARAMS: tuple[Param, ...] = (
    Param(
        "dropout_share",
        float,
        0.6,
        "Share of trainees who never take up freelancing (sinking): the paper's c. 60%, section 5.3.",
        low=0,
        high=1,
    ),
    Param(
        "split_struggling",
        float,
        0.4,
        "Of those who take it up, the share who struggle (the three split shares must add up to 1).",
        low=0,
        high=1,
        assumption=True,
    ),
    Param(
        "split_surviving",
        float,
        0.3,
        "Of those who take it up, the share who survive at a low level of work.",
        low=0,
        high=1,
        assumption=True,
    ),
    Param(
        "split_swimming",
        float,
        0.3,
        "Of those who take it up, the share who swim (earn a reasonable living).",
        low=0,
        high=1,
        assumption=True,
    ),
)

REGISTRY: dict[str, tuple[Param, ...]] = {
    "a_rationale": (
        Param(
            "figure_group",
            str,
            "all",
            "Which group of the paper's scale figures the chart and its table show: workers registered on "
            "platforms, the money value of the market, training targets of national programmes, shares of "
            "people (one group per unit in data/figures.csv), or all of them. The prose always speaks about all.",
            choices=FIGURE_GROUPS,
        ),
    ),
    "b_literature": (
        Param(
            "stream",
            str,
            "all",
            "Which literature stream the reference table shows and the figures highlight (the streams of "
            "data/references.csv are our grouping of the 26 references, not the paper's).",
            choices=STREAMS,
        ),
    ),
    "c_framework": (
        Param(
            "highlight",
            str,
            "none",
            "Which part of the framework (one of its five parts, by codebook id) or which of the five "
            "capitals to emphasise in the diagram and the evidence chart.",
            choices=SLF_HIGHLIGHTS,
        ),
    ),
    "d_methods": (
        Param(
            "organisation",
            str,
            "all",
            "Which training organisation's respondents the voices chart, the "
            "stakeholder table and the codebook counts show.",
            choices=ORGANISATIONS,
        ),
        Param(
            "grouping",
            str,
            "group",
            "How to group the chart of published voices: by stakeholder group, organisation or respondent.",
            choices=VOICE_GROUPINGS,
        ),
    ),
    "d2_coding_lab": (
        Param(
            "n_excerpts",
            int,
            10,
            "How many excerpts are drawn for you to code (all of them if the organisation has fewer).",
            low=1,
            high=35,
        ),
        Param(
            "seed",
            int,
            2017,
            "Fixes the random draw: everyone with the same seed codes the same excerpts.",
            low=0,
            high=2**31 - 1,
        ),
        Param(
            "level",
            str,
            "code",
            "Compare codings code by code, or after lifting each code to its theme.",
            choices=("code", "theme"),
        ),
        Param(
            "organisation",
            str,
            "all",
            "Draw only excerpts from this organisation's respondents.",
            choices=ORGANISATIONS,
        ),
        Param(
            "sheet",
            str,
            None,
            "Your filled-in coding sheet (CSV); None compares the book's example sheet instead.",
            nullable=True,
            check=_sheet_file,
            describe="a path to an existing coding sheet (CSV), absolute or relative to the repository folder",
        ),
    ),
    "e1_drivers": (
        Param(
            "organisation",
            str,
            "all",
            "Whose excerpts the quotations, the matrix and the evidence table use: one "
            "organisation's respondents (World Bank: the project lead who speaks for the funder) or all.",
            choices=ORGANISATIONS,
        ),
    ),
    "e2_barriers": (
        Param(
            "barrier",
            str,
            "all",
            "The barrier to spotlight (a code under the asset and cultural barrier themes of "
            "data/codebook.csv): its row is framed in the matrix of who addresses each barrier, and the evidence "
            "list near the end gives only its claims and excerpts.",
            choices=BARRIERS,
        ),
    ),
    "e3_institutions": (
        Param(
            "force",
            str,
            "all",
            "Which institutional force to spotlight in the coding figure, the evidence count and "
            "the claims table; the quotations are always shown in full.",
            choices=("all", "platforms", "development_agencies", "freelancer_networks"),
        ),
    ),
    "e4_impact": (
        *_TRAJECTORY_PARAMS,
        Param(
            "rupees_per_usd",
            float,
            100.0,
            "Pakistani rupees per US$, to convert rupees to dollars: 100 is what the paper's own conversions "
            "imply; the official 2016 average in data/context.csv is the documented alternative.",
            low=50,
            high=300,
        ),
        Param(
            "hours_per_month",
            int,
            160,
            "Paid hours of freelancing in a month, to turn hourly rates into monthly earnings.",
            low=20,
            high=240,
            assumption=True,
        ),
    ),
    "f_conclusions": (
        Param(
            "research_question",
            str,
            "all",
            "Which research question's answers and evidence audit to show, or all.",
            choices=("all", "RQ1", "RQ2", "RQ3"),
        ),
        Param(
            "min_voices",
            int,
            2,
            "Claims backed by fewer distinct voices (respondents) than this are highlighted in the audit.",
            low=1,
            high=5,
        ),
    ),
    "g_debates": (
        Param(
            "cohort_size",
            int,
            100,
            "Trainees in the illustrative cohort (at most 40,000, the KPK programme's training target).",
            low=10,
            high=40000,
            assumption=True,
        ),
        Param(
            "cost_per_trainee_usd",
            float,
            500.0,
            "Cost of training one trainee, in US$. The paper reports no costs: the default is a round figure of "
            "our choosing, not an estimate of KADO's or EP's costs.",
            low=50,
            high=5000,
            assumption=True,
        ),
        *_TRAJECTORY_PARAMS,
    ),
}
