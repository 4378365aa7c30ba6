"""The evidence base: ``data/`` loaded, validated and looked up (layer 1).

Owns reading the Frictionless data package (:mod:`.tables`: every table typed and checked against
``datapackage.json``, with one-line errors naming file, row and column) and the one lookup layer
over it (:mod:`.lookup`: a figure the paper states, a public context value, a [sic] note).

May import: :mod:`livelihoods.errors`, :mod:`livelihoods.paths`. Everything else imports this.
The loaders are offered here, so ``from livelihoods import evidence; evidence.load_excerpts()``.
"""

from livelihoods.evidence.tables import (
    PACKAGE_FILE,
    RESOURCES,
    clear_cache,
    code_ancestor,
    codebook_leaves,
    load,
    validate_all,
)
from livelihoods.evidence.loaders import (
    excerpts_with_respondents,
    load_barrier_actors,
    load_capitals,
    load_citations,
    load_claim_evidence,
    load_claims,
    load_codebook,
    load_codings,
    load_context,
    load_dictionary,
    load_excerpts,
    load_figures,
    load_question_links,
    load_questions,
    load_references,
    load_research_questions,
    load_respondents,
    load_labels,
    load_sample,
    load_sic_notes,
)
from livelihoods.evidence.lookup import (
    context_value,
    figure,
    figure_range,
    label,
    labels,
    organisations,
    printed_marker,
    sic_note,
)

__all__ = [
    "PACKAGE_FILE",
    "RESOURCES",
    "clear_cache",
    "code_ancestor",
    "codebook_leaves",
    "context_value",
    "excerpts_with_respondents",
    "figure",
    "figure_range",
    "label",
    "labels",
    "load",
    "load_barrier_actors",
    "load_capitals",
    "load_citations",
    "load_claim_evidence",
    "load_claims",
    "load_codebook",
    "load_codings",
    "load_context",
    "load_dictionary",
    "load_excerpts",
    "load_figures",
    "load_question_links",
    "load_questions",
    "load_references",
    "load_labels",
    "load_research_questions",
    "load_respondents",
    "load_sample",
    "load_sic_notes",
    "organisations",
    "printed_marker",
    "sic_note",
    "validate_all",
]
