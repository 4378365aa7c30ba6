"""The book: chapter frame, parameters, execution, the Sphinx extension, page weight (layer 4).

Owns the parameter registry (:mod:`.registry`) and its validator (:mod:`.params`), the frame
every chapter notebook shares (:mod:`.chapter`), MyST directive and solution handling
(:mod:`.myst`), executing the chapters into the cache and building an edition (:mod:`.build`), the
Sphinx extension (:mod:`.sphinxext`) with the educators' guide's tables (:mod:`.guide`, from the
facts :mod:`.guide_facts` gathers) and the page-weight budget (:mod:`.weight`).

May import: :mod:`livelihoods.qda`, :mod:`livelihoods.analyses`, :mod:`livelihoods.evidence` and the
foundation. Never the teaching tools or the command line. This ``__init__`` imports nothing, so a
notebook on Colab can use the frame without Sphinx installed.
"""
