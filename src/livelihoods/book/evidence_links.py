"""Every excerpt and claim id on a page links to its entry in the evidence index, with a preview.

Chapters write ids as plain text ("claim C16", "(EX15)"), and tables printed by code cells carry
them in HTML. When the HTML book is written:

- :class:`LinkIds` (a post-transform) turns each known id in the page's text into a link to its
  entry (``evidence.html#c16``), in prose, lists, captions and tables alike, and in the HTML that
  code cells printed (pandas tables), outside tags and existing links; code stays as it is;
- :func:`write_previews` writes the preview of every id once for the whole book, into
  ``_static/evidence-previews.js``, which every page loads (once, then from the cache) before
  ``book/_static/reader.js``: that script gives each link its preview as its accessible description
  (``aria-describedby``, read by a screen reader on focus) and shows it as a tooltip on hover and on
  focus. The text is written when the book is built: nothing is fetched from another host. Kept out
  of the pages themselves, a chapter that links four hundred ids stays within its page-weight budget.

Only the HTML builder is touched; the PDF keeps the ids as text.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from livelihoods.book.evidence_index import ID, INDEX_DOC, anchor, load

#: The class every evidence link carries (tests and reader.js look for it).
LINK_CLASS = "evidence"
_SKIP = (
    nodes.literal,
    nodes.literal_block,
    nodes.raw,
    nodes.comment,
    nodes.reference,
    nodes.target,
    nodes.title,
    nodes.FixedTextElement,
    nodes.image,
)


class evidence_link(nodes.Inline, nodes.TextElement):
    """A link to one entry of the evidence index (``refuri``, ``evidence_id``)."""


def visit_link_html(self: Any, node: evidence_link) -> None:
    self.body.append(_open_tag(node["refuri"], node["evidence_id"]))


def depart_link_html(self: Any, node: evidence_link) -> None:
    self.body.append("</a>")


def _pass(self: Any, node: nodes.Node) -> None:
    """Other builders: the id as text."""


def _open_tag(href: str, evidence_id: str) -> str:
    # short: a chapter links a hundred ids or more, and every byte is sent on a slow connection
    return f'<a class="{LINK_CLASS}" href="{html.escape(href)}">'


def _inside(node: nodes.Node, kinds: tuple[type, ...]) -> bool:
    """Inside one of ``kinds``, or inside the title of a dropdown (an HTML ``<summary>``, itself a control: a
    link in it would be a control nested in a control, which keyboards and screen readers cannot use)."""
    while node is not None:
        if (
            isinstance(node, kinds)
            or type(node).__name__ == "dropdown_title"
            or (isinstance(node, nodes.Element) and "sd-summary-title" in node.get("classes", []))
        ):
            return True
        node = node.parent
    return False


_TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_OPENS = re.compile(r"<(a|style|script|code|pre|summary|button)\b", re.I)
_CLOSES = re.compile(r"</(a|style|script|code|pre|summary|button)\s*>", re.I)


def link_html(fragment: str, href_of: Any, known: Any) -> str:
    """An HTML fragment with every known id in its text (not in tags, links, code, scripts or a ``<summary>``) linked."""
    out, depth = [], 0
    for part in _TAG_OR_TEXT.split(fragment):
        if part.startswith("<"):
            if _OPENS.match(part) and not part.endswith("/>"):
                depth += 1
            elif _CLOSES.match(part):
                depth = max(0, depth - 1)
            out.append(part)
        elif depth or not part:
            out.append(part)
        else:
            out.append(
                ID.sub(lambda m: (_open_tag(href_of(m[0]), m[0]) + m[0] + "</a>") if known(m[0]) else m[0], part)
            )
    return "".join(out)


class LinkIds(SphinxPostTransform):
    """Link every known id in the page's text and printed HTML to its evidence entry (HTML only)."""

    default_priority = 800
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if INDEX_DOC not in self.env.found_docs:
            return
        evidence = load()
        base = self.app.builder.get_relative_uri(self.env.docname, INDEX_DOC)

        def href(evidence_id: str) -> str:
            return f"{base}#{anchor(evidence_id)}"

        for node in list(self.document.findall(nodes.Text)):
            if not ID.search(str(node)) or _inside(node.parent, _SKIP):
                continue
            text, pieces, last = str(node), [], 0
            for m in ID.finditer(text):
                if not evidence.known(m[0]):
                    continue
                if m.start() > last:
                    pieces.append(nodes.Text(text[last : m.start()]))
                pieces.append(evidence_link(m[0], m[0], refuri=href(m[0]), evidence_id=m[0]))
                last = m.end()
            if not pieces:
                continue
            if last < len(text):
                pieces.append(nodes.Text(text[last:]))
            node.parent.replace(node, pieces)
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split() or not ID.search(raw.astext()):
                continue
            linked = link_html(raw.astext(), href, evidence.known)
            if linked != raw.astext():
                raw.replace_self(nodes.raw("", linked, format=raw["format"], classes=raw.get("classes", [])))


#: The script every HTML page loads with the previews (``window.livelihoodsEvidence``: id -> text).
PREVIEWS_JS = "evidence-previews.js"


def previews_script() -> str:
    """The previews of every id, as the script ``reader.js`` reads them (deterministic: sorted keys)."""
    import json

    evidence = load()
    data = json.dumps(evidence.previews, ensure_ascii=False, sort_keys=True, indent=0)
    return (
        "/* Generated when the book is built (livelihoods.book.evidence_links) from the data package: the\n"
        " * preview of every excerpt and claim id. Do not edit. */\n"
        f"window.livelihoodsEvidence = {data};\n"
    )


def add_script(app: Any) -> None:
    """``builder-inited``: every HTML page loads the previews before reader.js."""
    if app.builder.format == "html":
        app.add_js_file(PREVIEWS_JS)


def write_previews(app: Any, exception: Exception | None) -> None:
    """``build-finished``: write the previews into the built book's ``_static`` folder."""
    from pathlib import Path

    if exception is not None or app.builder.format != "html":
        return
    from livelihoods.files import write_atomic

    target = Path(app.outdir) / "_static" / PREVIEWS_JS
    write_atomic(target, previews_script().encode("utf-8"))
    target.chmod(0o644)  # readable by a web server, like the other static files


def setup(app: Any) -> None:
    app.add_node(
        evidence_link,
        html=(visit_link_html, depart_link_html),
        latex=(_pass, _pass),
        text=(_pass, _pass),
        man=(_pass, _pass),
        texinfo=(_pass, _pass),
    )
    app.add_post_transform(LinkIds)
    app.connect("builder-inited", add_script)
    app.connect("build-finished", write_previews)
