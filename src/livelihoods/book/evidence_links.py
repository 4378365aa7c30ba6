"""Every excerpt and claim id on a page links to its entry in the evidence index, with a preview.

Chapters write ids as plain text ("claim C16", "(EX15)"), and tables printed by code cells carry
them in HTML. When the HTML book is written:

- :class:`LinkIds` (a post-transform) turns each known id in the page's text into a link to its
  entry (``evidence.html#c16``), in prose, lists, captions and tables alike, and in the HTML that
  code cells printed (pandas tables), outside tags and existing links; code stays as it is;
- :func:`add_previews` puts the preview of every id the page links once at the end of the page, in
  a hidden block; each link names its preview with ``aria-describedby``, so a screen reader reads
  it on focus, and ``book/_static/reader.js`` shows it as a tooltip on hover and on focus. The text
  is written when the book is built: nothing is fetched, from this host or another.

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
LINK_CLASS = "livelihoods-evidence"
#: Where a page keeps its previews.
PREVIEWS_CLASS = "livelihoods-previews"
_SKIP = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment, nodes.reference, nodes.target,
         nodes.title, nodes.FixedTextElement, nodes.image)


def preview_id(evidence_id: str) -> str:
    return f"livelihoods-preview-{anchor(evidence_id)}"


class evidence_link(nodes.Inline, nodes.TextElement):
    """A link to one entry of the evidence index (``refuri``, ``evidence_id``)."""


def visit_link_html(self: Any, node: evidence_link) -> None:
    self.body.append(_open_tag(node["refuri"], node["evidence_id"]))


def depart_link_html(self: Any, node: evidence_link) -> None:
    self.body.append("</a>")


def _pass(self: Any, node: nodes.Node) -> None:
    """Other builders: the id as text."""


def _open_tag(href: str, evidence_id: str) -> str:
    return (f'<a class="{LINK_CLASS} reference internal" href="{html.escape(href)}" '
            f'data-evidence="{evidence_id}" aria-describedby="{preview_id(evidence_id)}">')


def _inside(node: nodes.Node, kinds: tuple[type, ...]) -> bool:
    while node is not None:
        if isinstance(node, kinds):
            return True
        node = node.parent
    return False


_TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_OPENS = re.compile(r"<(a|style|script|code|pre)\b", re.I)
_CLOSES = re.compile(r"</(a|style|script|code|pre)\s*>", re.I)


def link_html(fragment: str, href_of: Any, known: Any) -> str:
    """An HTML fragment with every known id in its text (not in tags, links, code or scripts) linked."""
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
            out.append(ID.sub(lambda m: (_open_tag(href_of(m[0]), m[0]) + m[0] + "</a>") if known(m[0]) else m[0], part))
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
                    pieces.append(nodes.Text(text[last:m.start()]))
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


_USED = re.compile(r'data-evidence="((?:EX|C)\d{2})"')


def previews_html(ids: list[str]) -> str:
    """The hidden block of previews for these ids (one each, in order of first use)."""
    evidence = load()
    items = "".join(f'<span id="{preview_id(i)}" data-evidence="{i}">{html.escape(evidence.previews[i])}</span>'
                    for i in dict.fromkeys(ids) if evidence.known(i))
    return f'<div class="{PREVIEWS_CLASS}" hidden>{items}</div>' if items else ""


def add_previews(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context``: the previews of the ids this page links, after its body (not in the search index)."""
    body = context.get("body")
    if not body or "data-evidence=" not in body:
        return
    context["body"] = body + previews_html(_USED.findall(body))


def setup(app: Any) -> None:
    app.add_node(evidence_link, html=(visit_link_html, depart_link_html), latex=(_pass, _pass),
                 text=(_pass, _pass), man=(_pass, _pass), texinfo=(_pass, _pass))
    app.add_post_transform(LinkIds)
    app.connect("html-page-context", add_previews)
