"""``livelihoods handout``: one chapter, executed, as a single HTML page that needs no network.

The runnable notebook is executed with papermill and converted by nbconvert (template
``templates/handout``: CSS inline, figures as data URIs with their alt text, no CDN script). The
notebook already holds plain Markdown (:mod:`livelihoods.teach.runnable`), so nothing is
converted here but the solutions, shown unfolded or left out.
"""

from __future__ import annotations

import logging

import copy
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable
from livelihoods import files
from livelihoods.book.myst import (
    cell_text,
    strip_solutions,
    is_solution,
)
from livelihoods.paths import require_root


#: The generator named by the first element of every handout's ``<head>`` (``<meta name="generator">``,
#: see the handout template): how ``--force`` knows a page is one it may replace.
HANDOUT_GENERATOR = "livelihoods handout"

log = logging.getLogger(__name__)


_META = re.compile(r"<meta\b[^>]*>", re.I)


def handout_marked(head: str) -> bool:
    """True if an HTML page's beginning has ``<meta name="generator" content="livelihoods handout">``
    (attributes in any order, as nbconvert may rewrite them)."""
    for tag in _META.findall(head):
        if re.search(r'\bname\s*=\s*"generator"', tag) and f'content="{HANDOUT_GENERATOR}"' in tag:
            return True
    return False


def is_handout(path: Path) -> bool:
    """True if ``path`` is an HTML page written by ``livelihoods handout`` (see :func:`handout_marked`)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536).decode("utf-8", errors="replace")
    except OSError:
        return False
    return handout_marked(head)


def handout_notebook(nb: Any, solutions: bool = True) -> tuple[Any, str]:
    """An executed runnable notebook made ready for nbconvert: solutions kept or dropped, figures given
    their alt text, stderr left out. The runnable notebooks hold no MyST (their markdown went
    through :mod:`livelihoods.analyses.markup` when they were generated, and their kernels print
    plain Markdown), so nothing else needs converting. Returns (notebook, title)."""
    nb = copy.deepcopy(nb)
    if not solutions:
        nb = strip_solutions(nb)
    title = next(
        (
            line[2:].strip()
            for c in nb.cells
            if c.cell_type == "markdown"
            for line in cell_text(c).split("\n")
            if line.startswith("# ")
        ),
        "Handout",
    )
    for cell in nb.cells:
        if is_solution(cell):  # a handout is read on paper: the solutions it carries are shown, not folded
            if cell.cell_type == "markdown":
                cell.source = cell_text(cell).replace("<details>", "<details open>")
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/markdown")
                if text is not None:
                    output["data"]["text/markdown"] = "".join(text).replace("<details>", "<details open>")
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
        ]
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
        if alt:
            for output in cell.outputs:
                for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                    if mime in output.get("data", {}):
                        output.setdefault("metadata", {}).setdefault(mime, {})["alt"] = alt
    return nb, re.sub(r"[*_`]|<[^>]+>", "", title).strip()


def render_handout(nb: Any, root: Path | None = None, solutions: bool = True) -> str:
    """A self-contained HTML page of an executed runnable notebook (the nbconvert ``handout`` template)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb, title = handout_notebook(nb, solutions=solutions)
    nb.metadata["title"] = title
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = ("remove-cell",)
    config.TagRemovePreprocessor.remove_input_tags = ("remove-input", "hide-input", "hide-cell")
    config.TagRemovePreprocessor.remove_all_outputs_tags = ("remove-output",)
    exporter = HTMLExporter(
        config=config, template_name="handout", extra_template_basedirs=[str(Path(__file__).parent / "templates")]
    )
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = False  # the figures are outputs (data URIs already); its re-parsing breaks <details>
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def handout(
    chapter: str,
    out: Path,
    pairs: Iterable[tuple[str, str]] = (),
    solutions: bool = True,
    force: bool = False,
    root: Path | None = None,
    timeout: int = 300,
    echo: Callable[[str], None] = log.info,
) -> Path:
    """Execute a chapter with papermill and write it as one HTML file that needs no network."""
    import nbformat

    from livelihoods.book import execute, run
    from livelihoods.book import params

    root = Path(root) if root is not None else require_root()
    out = Path(out)
    path = run.resolve_notebook(root, chapter)
    stem = path.stem
    values = params.parse_cli_pairs(stem, pairs)
    params.validate(stem, **{**params.defaults(stem), **values})
    timeout = execute.check_timeout(timeout)
    files.check_output_file(
        out, force=force, suffixes=(".html", ".htm"), what="a single HTML page", inputs=[path], ours=is_handout
    )
    with tempfile.TemporaryDirectory(prefix="livelihoods-handout-") as tmp:
        echo(f"running {stem} with {values or 'default parameters'}")
        executed = run.run_notebook(path, values, Path(tmp) / f"{stem}.ipynb", timeout=timeout)
        nb = nbformat.read(str(executed), as_version=4)
    page = render_handout(nb, root, solutions=solutions)
    if not handout_marked(page[:65536]):
        raise AssertionError("the handout template lost its generator mark")  # --force could not replace it
    files.write_atomic(out, page.encode("utf-8"))
    os.chmod(out, 0o666 & ~files.umask())
    return out
