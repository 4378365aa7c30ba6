"""One loader per table of the data package, each a typed, validated DataFrame (cached until a file changes).

:func:`livelihoods.evidence.tables.load` does the work; these names say which table a caller reads.
"""

from __future__ import annotations

import pandas as pd
from livelihoods.evidence.tables import load


def load_excerpts() -> pd.DataFrame:
    """The 35 attributed interview excerpts, verbatim, in paper order."""
    return load("excerpts")


def load_respondents() -> pd.DataFrame:
    """The 16 quoted respondents (initials only, as published) with normalised role and group."""
    return load("respondents")


def load_codebook() -> pd.DataFrame:
    """The reconstructed coding template (component > theme > code), in display order."""
    return load("codebook")


def load_codings() -> pd.DataFrame:
    """The reference coding: one row per (excerpt, leaf code)."""
    return load("codings")


def load_claims() -> pd.DataFrame:
    """The paper's findings (5.1-5.3) and conclusions (6) as short claims in our words."""
    return load("claims")


def load_claim_evidence() -> pd.DataFrame:
    """Links from claims to the excerpts that support, illustrate or qualify them."""
    return load("claim_evidence")


def load_barrier_actors() -> pd.DataFrame:
    """Which actor the paper says addresses each barrier (or nobody)."""
    return load("barrier_actors")


def load_research_questions() -> pd.DataFrame:
    """The three research questions, verbatim, with the SLF part and chapter that answer them."""
    return load("research_questions")


def load_capitals() -> pd.DataFrame:
    """The five SLF capitals: the paper's four with DFID's definitions as quoted, and natural capital."""
    return load("capitals")


def load_figures() -> pd.DataFrame:
    """Every number the paper states, with unit, currency, year and source."""
    return load("figures")


def load_sample() -> pd.DataFrame:
    """The interview sample as aggregates (mode, location, stakeholder types, quoted groups)."""
    return load("sample")


def load_references() -> pd.DataFrame:
    """The paper's 26 references with BibTeX key, type and our literature stream."""
    return load("references")


def load_citations() -> pd.DataFrame:
    """Times each reference is cited per section of the paper."""
    return load("citations")


def load_questions() -> pd.DataFrame:
    """The educators' guide questions (8 synopsis, 6 development), verbatim."""
    return load("questions")


def load_question_links() -> pd.DataFrame:
    """Which chapters answer and prepare for which questions."""
    return load("question_links")


def load_context() -> pd.DataFrame:
    """Public context figures (WDI for Pakistan and platform facts) with vintage and source."""
    return load("context")


def load_dictionary() -> pd.DataFrame:
    """Keywords per code for the coding lab's dictionary coder (see ``livelihoods.qda.dictionary``)."""
    return load("dictionary")


def excerpts_with_respondents() -> pd.DataFrame:
    """Excerpts joined with the speaker's normalised role, group and organisation."""
    ex = load("excerpts")
    resp = load("respondents")[["initials", "role", "group", "organisation"]]
    out = ex.merge(resp, on="initials", how="left", validate="many_to_one")
    return out.sort_values("order", kind="stable").reset_index(drop=True)


def load_labels() -> pd.DataFrame:
    """What a reader sees for the keys other tables use (``labels.csv``: kind, key, label)."""
    return load("labels")


def load_sic_notes() -> pd.DataFrame:
    """Slips in the printed excerpts and guide questions, each with the note shown after it (``sic_notes.csv``)."""
    return load("sic_notes")
