"""Evidence pointers for the six development questions of the educators' guide.

Why this module exists: a seminar on "is online outsourcing worth significant investment?" goes
better when each side can point at the evidence, and worse when the pointers are retyped and
drift from the data. :data:`SIDES` is our reading of which claims (``data/claims.csv``) speak for
each side of each question; everything else (claim wording, paper section, linked excerpts and
their attributions) is read from the data package, so a pointer can never name a claim or an
excerpt that does not exist (tests check it). The assignment of claims to sides is an
interpretation, like the claims themselves, and is there to be argued with.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from livelihoods import evidence
from livelihoods.errors import LivelihoodsError

QUESTIONS: tuple[str, ...] = ("D1", "D2", "D3", "D4", "D5", "D6")


@dataclass(frozen=True)
class Side:
    """One side of a debate: a short position in our words, the claims for it, one excerpt to read aloud."""

    position: str
    claims: tuple[str, ...]
    excerpt: str


#: Our reading: for each development question, two sides, each with the claims that support it.
SIDES: dict[str, tuple[Side, Side]] = {
    "D1": (
        Side("Worth investing: for those who stay, the returns are real", ("C26", "C27", "C41", "C31", "C43"), "EX30"),
        Side("Marginal: most trainees never earn from it", ("C22", "C23", "C25", "C30", "C44", "C42"), "EX27"),
    ),
    "D2": (
        Side(
            "The name matters: each label brings a different picture of the work", ("C06", "C24", "C12", "C13"), "EX06"
        ),
        Side(
            "The work matters more than the label: one name covers very different outcomes",
            ("C21", "C15", "C32"),
            "EX35",
        ),
    ),
    "D3": (
        Side(
            "Justified: without programmes almost nobody here could enter",
            ("C43", "C09", "C16", "C39", "C17", "C27"),
            "EX10",
        ),
        Side(
            "Doubtful: high drop-out, and barriers that training cannot reach",
            ("C22", "C44", "C36", "C37", "C08", "C29"),
            "EX32",
        ),
    ),
    "D4": (
        Side(
            "Yes: platform rules, ratings and bidding shape who gets work and on what terms",
            ("C14", "C15", "C23", "C25", "C32", "C38"),
            "EX15",
        ),
        Side(
            "Less than it seems: local infrastructure, norms and networks shape it as much",
            ("C08", "C11", "C12", "C18", "C17", "C33"),
            "EX08",
        ),
    ),
    "D5": (
        Side(
            "Better: there is little else, and the work pays well relative to local incomes",
            ("C04", "C05", "C06", "C26", "C27"),
            "EX04",
        ),
        Side(
            "Worse: no benefits, no security, low status and fierce competition",
            ("C24", "C23", "C12", "C30", "C14"),
            "EX26",
        ),
    ),
    "D6": (
        Side("The SLF served: it organised drivers, barriers and outcomes", ("C45", "C35", "C40", "C41"), "EX24"),
        Side(
            "Other lenses would see more: psychology, culture, power, the long run",
            ("C42", "C29", "C36", "C13"),
            "EX32",
        ),
    ),
}


def _check(question_id: str) -> None:
    if question_id not in SIDES:
        raise LivelihoodsError(f"unknown development question {question_id!r}: expected one of {', '.join(QUESTIONS)}")


def pointers(question_id: str) -> pd.DataFrame:
    """Every claim cited for either side of a question, with its section and the excerpts behind it.

    One row per (side, claim), in the order of :data:`SIDES`; ``excerpts`` lists the linked
    excerpt ids (from ``claim_evidence.csv``) and ``voices`` their attributions as printed.
    """
    _check(question_id)
    claims = evidence.load_claims().set_index("claim_id")
    links = evidence.load_claim_evidence()
    excerpts = evidence.load_excerpts().set_index("excerpt_id")
    rows = []
    for number, side in enumerate(SIDES[question_id], start=1):
        for claim_id in side.claims:
            if claim_id not in claims.index:
                raise LivelihoodsError(f"{question_id} cites claim {claim_id!r}, which is not in data/claims.csv")
            ex = links.loc[links["claim_id"] == claim_id, "excerpt_id"].astype(str).tolist()
            rows.append(
                {
                    "side": number,
                    "position": side.position,
                    "claim_id": claim_id,
                    "section": str(claims.loc[claim_id, "paper_section"]),
                    "claim": claims.loc[claim_id, "claim"],
                    "basis": str(claims.loc[claim_id, "evidence_basis"]),
                    "excerpts": ", ".join(ex),
                    "voices": "; ".join(excerpts.loc[e, "attribution"] for e in ex),
                }
            )
    return pd.DataFrame(rows)


def side_counts(question_id: str) -> pd.DataFrame:
    """Claims, distinct excerpts and distinct speakers behind each side of a question."""
    table = pointers(question_id)
    excerpts = evidence.load_excerpts().set_index("excerpt_id")
    out = []
    for (_number, position), part in table.groupby(["side", "position"], sort=True):
        ids = sorted({e for cell in part["excerpts"] for e in cell.split(", ") if e})
        out.append(
            {
                "side": position,
                "claims": len(part),
                "excerpts": len(ids),
                "speakers": len({excerpts.loc[e, "initials"] for e in ids}),
            }
        )
    return pd.DataFrame(out)


def first_cited() -> dict[str, str]:
    """For every claim the debates cite, the question (``D1``..``D6``) that cites it first.

    The chapter prints a claim's text and speakers in full under that question only; later
    questions refer back to it by id, so that a claim bearing on several debates is not a wall of
    repeated text.
    """
    first: dict[str, str] = {}
    for qid in QUESTIONS:
        for side in SIDES[qid]:
            for claim_id in side.claims:
                first.setdefault(claim_id, qid)
    return first


def _shorten(text: str, words: int = 10) -> str:
    """The opening words of a claim, to remind a reader of one quoted in full earlier.

    A claim only a little longer than ``words`` words is kept whole. Otherwise the reminder ends
    at the first comma, colon or semicolon after its fourth word, or else after ``words`` words,
    and never inside a parenthesis.
    """
    parts = text.split()
    if len(parts) <= words + 2:
        return text
    kept = parts[:words]
    for i, w in enumerate(kept):
        if "(" in w:  # stop before a bracket rather than leave it open
            kept = kept[:i] if i >= 4 else kept
            break
    for i, w in enumerate(kept):
        if i >= 3 and w[-1] in ",;:":
            kept = kept[: i + 1]
            break
    return " ".join(kept).rstrip(",;:") + " …"


def pointers_md(question_id: str) -> str:
    """The two sides of a question as Markdown lists: one item per claim, without nested brackets.

    Each item is the claim id and paper section in bold, the claim in our words, then its excerpts
    with the speaker of each (``EX28, MK – Trainee, EP; EX29, …``) or, without a quotation, what it
    rests on. A claim already cited under an earlier question is given by id with its opening
    words, its excerpt ids and a link back to the question where it is in full.
    """
    table = pointers(question_id)
    counts = side_counts(question_id).set_index("side")
    first = first_cited()
    parts = []
    for (number, position), part in table.groupby(["side", "position"], sort=True):
        c = counts.loc[position]
        tally = (
            f"{c['claims']} claims; {c['excerpts']} excerpts from {c['speakers']} "
            f"{'speaker' if c['speakers'] == 1 else 'speakers'}"
        )
        lines = [f"**Side {number}. {position}** ({tally})", ""]
        for _, r in part.iterrows():
            claim = r["claim"].replace("$", "\\$")  # a bare $ would open inline maths in MyST
            head = f"**{r['claim_id']}** (§{r['section']})"
            earlier = first[r["claim_id"]]
            if earlier != question_id:
                where = f"{{ref}}`question {earlier[1:]} <debate-{earlier.lower()}>`"
                ids = f" Excerpts: {r['excerpts']}." if r["excerpts"] else ""
                lines.append(f"- {head}: {_shorten(claim)} In full under {where}.{ids}")
                continue
            if r["excerpts"]:
                behind = (
                    "Excerpts: "
                    + "; ".join(f"{e}, {v}" for e, v in zip(r["excerpts"].split(", "), r["voices"].split("; ")))
                    + "."
                )
            else:
                basis = evidence.label("claim_basis", r["basis"]) or "no linked excerpt"
                behind = f"No excerpt: {basis}."
            lines.append(f"- {head}: {claim} {behind}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def show(question_id: str):
    """:func:`pointers_md` as a Markdown object for a notebook cell."""
    from livelihoods.analyses.show import md

    return md(pointers_md(question_id))


def key_excerpts(question_id: str) -> tuple[str, str]:
    """The excerpt chosen to voice each side of a question (to quote with ``chapter.quote``)."""
    _check(question_id)
    return tuple(side.excerpt for side in SIDES[question_id])  # type: ignore[return-value]


def prepared_by(question_id: str) -> list[str]:
    """The chapters that prepare for a development question (``data/question_links.csv``), in book order,
    by the book's one short label for a chapter (:func:`livelihoods.analyses.show.chapter_label`:
    ``E4 · Impact``, in the style of the chapters' titles)."""
    from livelihoods.analyses.show import chapter_label

    _check(question_id)
    links = evidence.load_question_links()
    chosen = links[(links["question_id"] == question_id) & (links["role"] == "prepares")]
    book_order = list(links["chapter"].cat.categories)  # the schema's enum lists the stems in book order
    stems = sorted(set(chosen["chapter"].astype(str)), key=book_order.index)
    return [chapter_label(s) for s in stems]


def prepared_md():
    """For every development question, the chapters that prepare it, as a Markdown list."""
    from livelihoods.analyses.show import md

    lines = []
    for q in QUESTIONS:
        chapters = prepared_by(q)
        noun = "chapter" if len(chapters) == 1 else "chapters"
        lines.append(f"- **Question {q[1:]}:** {noun} {', '.join(chapters)}")
    return md("\n".join(lines))


def global_uptake() -> pd.DataFrame:
    """Online workers worldwide, from profiles to active workers (Kässi et al., via data/context.csv).

    A funnel on a much larger scale than the cohort in the debates chapter, and from a different
    source and time (2020-21): most registered profiles never get any work.
    """
    context = evidence.load_context().set_index("indicator_code")
    codes = [
        ("OLW.PROFILES", "registered profiles"),
        ("OLW.EVER.WORKED", "ever got work"),
        ("OLW.ACTIVE", "significantly active"),
    ]
    missing = [c for c, _ in codes if c not in context.index]
    if missing:
        raise LivelihoodsError(f"data/context.csv has no row {missing[0]!r}")
    profiles = float(context.loc["OLW.PROFILES", "value"])
    return pd.DataFrame(
        [
            {
                "stage": label,
                "workers": float(context.loc[c, "value"]),
                "share of profiles": float(context.loc[c, "value"]) / profiles,
            }
            for c, label in codes
        ]
    )


# --------------------------------------------------------------------------- the cost scenario, for reading


def whole_numbers(table):
    """A table for reading with "60.0" written "60": numbers shown with a trailing ".0" lose it.

    For tables whose columns are already formatted as text (``scenarios.cost_view``): a count of
    trainees that comes out whole is printed as a whole number; "12.5" stays as it is.
    """
    import re

    pattern = re.compile(r"^-?[\d,]+\.0$")
    return table.apply(lambda column: [v[:-2] if isinstance(v, str) and pattern.match(v) else v for v in column])
