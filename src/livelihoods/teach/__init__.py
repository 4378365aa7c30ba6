"""Teaching tools: runnable notebooks, assignments, handouts and offline bundles (layer 5).

Owns the one transform from the book's MyST chapter sources to plain notebooks that any notebook
front end shows as a page (:mod:`.runnable`), per-student assignments, single-file handouts and
the offline bundle (:mod:`.assign`).

May import: :mod:`livelihoods.book`, :mod:`livelihoods.qda`, :mod:`livelihoods.analyses`,
:mod:`livelihoods.evidence` and the foundation. Never the command line.
"""
