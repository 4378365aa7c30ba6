"""Qualitative data analysis: coding sheets, agreement, the dictionary coder, REFI-QDA (layer 3).

Owns comparing codings of the published excerpts, by concern:

* :mod:`.template`: the codebook's levels and the reference coding as the comparisons use them;
* :mod:`.sheets`: reading and checking a student's coding sheet, blank sheets, the sample to code;
* :mod:`.agreement`: percentage agreement, Cohen's kappa and Krippendorff's alpha (:class:`.agreement.Agreement`);
* :mod:`.disagreements`: where two codings differ, excerpt by excerpt and as a matrix;
* :mod:`.report`: the text report of ``livelihoods agreement`` and the per-excerpt feedback;
* :mod:`.dictionary`: the keyword (dictionary) coder;
* :mod:`.refi`, :mod:`.refi_archive`, :mod:`.refi_export`, :mod:`.refi_import`, :mod:`.refi_offsets`:
  REFI-QDA projects for NVivo, ATLAS.ti, MAXQDA or QualCoder, and hostile ones read within stated
  limits (:mod:`.refi_offsets`: where a coded selection falls, whatever the tool's offset convention);
* :mod:`.class_report` and :mod:`.class_page`: a whole class's sheets as an offline page and tables;
* :mod:`.lab` and :mod:`.lab_results`: the coding-lab chapter's round (sample, template, sheets) and
  its result tables.

May import: :mod:`livelihoods.analyses`, :mod:`livelihoods.evidence` and the foundation
(:mod:`livelihoods.errors`, :mod:`livelihoods.paths`, :mod:`livelihoods.files`). Never the book,
teaching or command-line layers.
"""
