"""Reproducibility package for Malik, Nicholson & Heeks (2017).

"Understanding the Development Implications of Online Outsourcing", IFIP AICT 504:
the evidence base (``livelihoods.evidence``), notebook parameters (``livelihoods.book.registry``,
checked by ``livelihoods.book.params``), one plotting style (``livelihoods.analyses.plots``) and the
``livelihoods`` command (``livelihoods.cli``).

Submodules are imported on demand so that a notebook pays only for what it uses.
"""

__version__ = "0.1.0"

from livelihoods.errors import LivelihoodsError  # noqa: E402  (light, no heavy deps)

__all__ = ["LivelihoodsError", "__version__"]
