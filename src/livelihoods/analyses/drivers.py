"""Chapter E1, the drivers: the numbers its prose quotes, from the reference coding and the paper's figures.

The quotations, matrices and evidence audit E1 shares with E2 are in :mod:`livelihoods.analyses.findings`.
"""

from __future__ import annotations

from typing import Any
from livelihoods import evidence
from livelihoods.analyses import methods
from livelihoods.analyses.findings import check_organisation, coded_excerpts, groups_phrase, voices_by_theme


#: Themes of the codebook that chapter E1 covers: the vulnerability context and the drivers.
DRIVER_THEMES: tuple[str, ...] = ("vulnerability", "push_drivers", "pull_drivers")


def _monthly_multiple(figure_id: str, income_id: str = "F37") -> tuple[float, float]:
    low, high = evidence.figure_range(figure_id)
    income = evidence.figure_range(income_id)[0]
    return low / income, high / income


def e1_values(organisation: str = "all") -> dict[str, Any]:
    """The numbers and short texts chapter E1's prose cites, computed from the data.

    Run-specific values (``run_*``) follow the ``organisation`` filter; the rest describe all
    published excerpts, which the prose says.
    """
    check_organisation(organisation)
    run = coded_excerpts(DRIVER_THEMES, organisation)
    themes = voices_by_theme(DRIVER_THEMES).set_index("theme")
    names = {"vulnerability": "Vulnerability", "push": "Push drivers", "pull": "Pull drivers"}
    out: dict[str, Any] = {
        "run_label": "all organisations" if organisation == "all" else f"{organisation} respondents only",
        "run_excerpts": int(run["excerpt_id"].nunique()),
        "run_people": int(run["initials"].nunique()),
        "n_interviews": methods.n_interviews(),
    }
    for key, theme in names.items():
        out[f"n_{key}"] = int(themes.loc[theme, "excerpts"])
        out[f"groups_{key}"] = groups_phrase(str(themes.loc[theme, "groups"]))
    out["female_lfp"] = evidence.context_value("SL.TLF.CACT.FE.ZS", 2016, "2026-07 release")
    out["rm_usd_low"], out["rm_usd_high"] = evidence.figure_range("F23")
    out["pc_income"] = evidence.figure_range("F37")[0]
    out["rm_multiple_low"], out["rm_multiple_high"] = _monthly_multiple("F23")
    return out
