"""The analyses: one module per chapter, each turning the evidence base into tables, figures and numbers (layer 2).

Owns what a chapter shows: :mod:`.paper` (chapters A and B), :mod:`.framework` (C, the SLF),
:mod:`.methods` (D), :mod:`.findings` (E1, E2), :mod:`.institutions` (E3), :mod:`.impact` (E4),
:mod:`.conclusions` (F, claims and their evidence), :mod:`.debates` (G); and how things are shown:
:mod:`.plots` (one style, one palette) and :mod:`.show` (quotations, captioned tables, glued numbers).
The coding lab (D2) is the QDA layer's own chapter: its building blocks live in
:mod:`livelihoods.qda.lab` and :mod:`livelihoods.qda.lab_results`.

May import: :mod:`livelihoods.evidence` and the foundation (``errors``, ``paths``, ``files``).
Never the QDA, book, teaching or command-line layers.
"""
