"""Qualitative data analysis: coding sheets, agreement, the dictionary coder, REFI-QDA (layer 3).

Owns reading and checking a coding sheet, agreement statistics (percentage, Cohen's kappa,
Krippendorff's alpha), the keyword (dictionary) coder, the REFI-QDA export and import that let
students code in NVivo, ATLAS.ti, MAXQDA or QualCoder, and the coding-lab chapter's tables
(:mod:`.lab`).

May import: :mod:`livelihoods.analyses`, :mod:`livelihoods.evidence` and the foundation.
Never the book, teaching or command-line layers.
"""
