"""Teaching tools: the runnable notebooks, assignments, handouts and bundles.

Owns the one transform from the book's MyST chapter sources to plain notebooks that any front end
shows as a page (:mod:`livelihoods.teach.runnable`).
"""
