"""What the package's own processes do first: skip an import cost that buys them nothing.

Why this module: nbformat, jupytext, jupyter-cache, papermill and Jupyter Book all import
jsonschema, and jsonschema, when the optional ``rfc3987-syntax`` package is installed (JupyterLab's
``jupyter-events`` asks for it), compiles that package's IRI grammar with Lark at import time:
0.9 s of CPU in every process that reads a notebook, before it has done anything. The grammar only
serves jsonschema's ``iri`` and ``iri-reference`` format checks, which nothing here uses (notebook
and book-configuration schemas have no IRI fields, and jsonschema checks formats only when asked).

:func:`skip_iri_grammar` is called by the ``livelihoods`` command before any subcommand runs and by
the book build's Sphinx process; it is never a side effect of importing the package, so a user's
own process keeps every check it had. Measured by timing ``import nbformat`` in a fresh interpreter, with and without the block:
0.93 s with the grammar, 0.11 s without (2026-12-06, this repository's locked environment).

Foundation layer: imports nothing from the package.
"""

from __future__ import annotations

import sys

#: The module whose import builds the grammar. ``sys.modules[name] = None`` makes ``import name``
#: raise ImportError (the import system's documented way to block one), which jsonschema already
#: handles: the two IRI formats are then simply not checked.
IRI_GRAMMAR_MODULE = "rfc3987_syntax"

#: The same, as a line of Python for a process started with ``python -c`` (the Sphinx build).
SKIP_IRI_GRAMMAR = f"import sys; sys.modules.setdefault({IRI_GRAMMAR_MODULE!r}, None)"


def skip_iri_grammar() -> None:
    """Block the IRI grammar's import in this process, unless something already imported it."""
    sys.modules.setdefault(IRI_GRAMMAR_MODULE, None)
