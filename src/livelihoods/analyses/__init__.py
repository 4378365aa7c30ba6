"""The analyses: one module per chapter, each turning the evidence base into tables, figures and numbers (layer 2).

Owns what a chapter shows: :mod:`.rationale` (A), :mod:`.literature` (B; its charts in
:mod:`.literature_charts`), :mod:`.framework` (C, the SLF; its drawing in :mod:`.diagram`),
:mod:`.methods` (D), :mod:`.drivers` (E1) and :mod:`.barriers` (E2) with what they share in
:mod:`.findings`, :mod:`.institutions` (E3), :mod:`.impact` (E4, the trajectories; its
earnings, rates and fees in :mod:`.money`), :mod:`.conclusions` (F, the evidence audit; its charts
in :mod:`.conclusions_charts`), :mod:`.debates` (G; a cohort's costs in :mod:`.costs`), and
:mod:`.claims` (the claims and their evidence, shared by E3, F and G); and how things are shown:
:mod:`.plots` (one style, one palette), :mod:`.show` (quotations, captioned and long-text tables,
glued numbers) and :mod:`.markup` (MyST as plain Markdown).
The coding lab (D2) is the QDA layer's own chapter: its building blocks live in
:mod:`livelihoods.qda.lab` and :mod:`livelihoods.qda.lab_results`.

May import: :mod:`livelihoods.evidence` and the foundation (``errors``, ``paths``, ``files``).
Never the QDA, book, teaching or command-line layers.
"""
