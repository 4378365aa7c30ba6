"""The evidence index: one entry for every excerpt and every claim, each at a stable anchor.

The ids that carry the book's argument, ``EX10`` for an interview excerpt and ``C16`` for a claim,
are read from the data package, and every entry is built from it when the book is built:

- an excerpt: its text verbatim with the attribution as printed (through the same
  :func:`livelihoods.analyses.show.quote_md` as every chapter), its section of the paper, its
  codes in the reference coding, the claims it bears on and the pages that quote or mention it;
- a claim: its text (our words), kind, section, research question, theme, stance on a literature
  view, its evidence (each excerpt with the relation and note of ``data/claim_evidence.csv``) and
  the pages that mention it.

Anchors are the id in lower case (``book/evidence.html#c16``), so a link made today still lands
on the same entry after the data grow. :mod:`livelihoods.book.evidence_links` links every id in
the pages to its entry and gives it a preview (:func:`preview`), which a test compares with the data.

Which pages use an id is known only once every page has been read: each page's ids are collected
as it is read (:func:`collect`) and the entry's list is filled in when the index is written
(:func:`fill_uses`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

#: The docname of the evidence index page.
INDEX_DOC = "book/evidence"
#: An excerpt or claim id as the book prints it.
ID = re.compile(r"\b(?:EX|C)\d{2}\b")
#: The data files an entry is built from (the page is rebuilt when one changes).
SOURCES = (
    "excerpts.csv",
    "claims.csv",
    "claim_evidence.csv",
    "codings.csv",
    "codebook.csv",
    "research_questions.csv",
    "figures.csv",
)
#: The env attribute holding, per page, the ids it uses: {docname: {id: "quoted" | "mentioned"}}.
ENV_KEY = "livelihoods_evidence_uses"


def anchor(evidence_id: str) -> str:
    """The entry's anchor on the index page: ``C16`` -> ``c16``."""
    return evidence_id.lower()


@dataclass(frozen=True)
class Evidence:
    """What the index knows: every excerpt and claim id, in order, and each one's preview."""

    excerpts: tuple[str, ...]
    claims: tuple[str, ...]
    previews: dict[str, str]

    def known(self, evidence_id: str) -> bool:
        return evidence_id in self.previews


@lru_cache(maxsize=4)
def _load(signature: tuple) -> Evidence:
    from livelihoods import evidence

    ex = evidence.load_excerpts()
    claims = evidence.load_claims()
    previews = {str(r.excerpt_id): excerpt_preview(r._asdict()) for r in ex.itertuples(index=False)}
    previews.update({str(r.claim_id): claim_preview(r._asdict()) for r in claims.itertuples(index=False)})
    return Evidence(tuple(map(str, ex["excerpt_id"])), tuple(map(str, claims["claim_id"])), previews)


def load() -> Evidence:
    """The ids and previews of the data package as it is now (cached while its files are unchanged)."""
    from livelihoods.paths import data_dir

    folder = data_dir()
    signature = tuple((name, (folder / name).stat().st_mtime_ns) for name in SOURCES if (folder / name).is_file())
    return _load((str(folder), signature))


def excerpt_preview(row: dict[str, Any]) -> str:
    """What a reader sees on hovering an excerpt id: the text verbatim, then the attribution as printed."""
    return f"“{row['text']}” — {row['attribution']} (section {row['paper_section']})"


def claim_preview(row: dict[str, Any]) -> str:
    """What a reader sees on hovering a claim id: the claim (our words), its kind and the paper's section."""
    return f"Claim {row['claim_id']} ({row['kind']}, section {row['paper_section']}): {row['claim']}"


# ---------------------------------------------------------------------------------------------
# The entries, as MyST Markdown (parsed as the page is; the ids in them are linked like any other)
# ---------------------------------------------------------------------------------------------


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    from livelihoods import evidence

    book = evidence.load_codebook()
    codes = dict(zip(book["code_id"].astype(str), book["label"].astype(str)))
    rqs = evidence.load_research_questions()
    return codes, dict(zip(rqs["rq_id"].astype(str), rqs["text"].astype(str)))


def excerpt_entries() -> list[tuple[str, str, str]]:
    """(id, heading, Markdown body) for every excerpt, in the paper's order."""
    from livelihoods import evidence
    from livelihoods.analyses.show import quote_md

    codes, _ = _labels()
    codings = evidence.load_codings()
    links = evidence.load_claim_evidence()
    out = []
    for _, row in evidence.load_excerpts().sort_values("order").iterrows():
        eid = str(row["excerpt_id"])
        mine = codings[codings["excerpt_id"] == eid]
        coded = "; ".join(f"{codes.get(str(c), str(c))} ({s})" for c, s in zip(mine["code_id"], mine["salience"]))
        claims = links[links["excerpt_id"] == eid]
        bears = "; ".join(f"{c} ({r})" for c, r in zip(claims["claim_id"], claims["relation"]))
        lines = [
            quote_md(row),
            "",
            f"**Section of the paper:** {row['paper_section']}. "
            f"**Codes (reference coding):** {coded or 'none'}. "
            f"**Claims it bears on:** {bears or 'none'}.",
        ]
        out.append((eid, f"Excerpt {eid}", "\n".join(lines)))
    return out


def claim_entries() -> list[tuple[str, str, str]]:
    """(id, heading, Markdown body) for every claim, in the book's order."""
    from livelihoods import evidence

    codes, rqs = _labels()
    links = evidence.load_claim_evidence()
    basis_words = {
        "interview": "interview excerpts",
        "paper_argument": "the paper's own argument (no excerpt)",
        "interview_unquoted": "interviews the paper reports without quoting them",
    }
    out = []
    for _, row in evidence.load_claims().sort_values("order").iterrows():
        cid = str(row["claim_id"])
        facts = [
            f"**{str(row['kind']).capitalize()}**, section {row['paper_section']}",
            f"research question {row['research_question']} ({rqs.get(str(row['research_question']), '')})",
        ]
        if isinstance(row.get("theme_id"), str) and row["theme_id"]:
            facts.append(f"theme: {codes.get(row['theme_id'], row['theme_id'])}")
        if isinstance(row.get("stance"), str) and row["stance"]:
            facts.append(f"{row['stance']} the {str(row['literature_view']).replace('_', ' ')} view of the literature")
        basis = basis_words.get(str(row["evidence_basis"]), str(row["evidence_basis"]).replace("_", " "))
        lines = [_text(row["claim"]), "", "; ".join(facts) + f". **Resting on:** {basis}."]
        mine = links[links["claim_id"] == cid]
        if len(mine):
            lines += ["", "**Evidence:**", ""]
            for _, link in mine.iterrows():
                note = f": {_text(link['note'])}" if isinstance(link.get("note"), str) and link["note"] else ""
                lines.append(f"- {link['excerpt_id']}, {link['relation']}{note}")
        out.append((cid, f"Claim {cid}", "\n".join(lines)))
    return out


def _text(value: Any) -> str:
    """Our words from the data as Markdown text: a "$" (US$4) must not start maths (the book enables dollarmath)."""
    return str(value).replace("$", "\\$")


class uses(nodes.General, nodes.Element):
    """Placeholder for "Quoted in / mentioned in": filled in once every page has been read."""


class EvidenceIndex(SphinxDirective):
    """``{livelihoods-evidence} excerpts`` or ``{livelihoods-evidence} claims``: the entries of the index."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from livelihoods.paths import data_dir

        kind = self.arguments[0].strip()
        if kind not in ("excerpts", "claims"):
            raise self.error("livelihoods-evidence takes 'excerpts' or 'claims'")
        for name in SOURCES:
            self.env.note_dependency(str(data_dir() / name))
        entries = excerpt_entries() if kind == "excerpts" else claim_entries()
        out: list[nodes.Node] = []
        for eid, heading, body in entries:
            box = nodes.container(ids=[anchor(eid)], classes=["livelihoods-entry", f"livelihoods-entry-{kind}"])
            title = nodes.paragraph(classes=["livelihoods-entry-title"])
            title += nodes.strong(heading, heading)
            box += title
            self.state.nested_parse(StringList(body.split("\n"), source=self.env.docname), self.content_offset, box)
            box += uses(evidence_id=eid)
            out.append(box)
        return out


# ---------------------------------------------------------------------------------------------
# Which pages use which id
# ---------------------------------------------------------------------------------------------


def ids_in_html(html: str) -> list[str]:
    """The ids in an HTML fragment's text (not in its tags or attributes)."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return ID.findall(re.sub(r"<[^>]*>", " ", text))


def collect(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: record the ids a page uses; an excerpt inside a quotation is quoted there."""
    env = app.env
    if not hasattr(env, ENV_KEY):
        setattr(env, ENV_KEY, {})
    store: dict[str, dict[str, str]] = getattr(env, ENV_KEY)
    if env.docname == INDEX_DOC:
        store.pop(env.docname, None)
        return
    known = load()
    found: dict[str, str] = {}
    for node in doctree.findall(lambda n: isinstance(n, (nodes.Text, nodes.raw))):
        if isinstance(node, nodes.raw):
            if "html" not in node.get("format", "").split():
                continue
            ids = ids_in_html(node.astext())
        else:
            if isinstance(node.parent, (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment)):
                continue
            ids = ID.findall(str(node))
        quoted = any(isinstance(a, nodes.block_quote) for a in _ancestors(node))
        for eid in ids:
            if known.known(eid):
                how = "quoted" if quoted and eid.startswith("EX") else "mentioned"
                if found.get(eid) != "quoted":
                    found[eid] = how
    store[env.docname] = found


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def purge(app: Any, env: Any, docname: str) -> None:
    getattr(env, ENV_KEY, {}).pop(docname, None)


def merge(app: Any, env: Any, docnames: set[str], other: Any) -> None:
    """Parallel reads: each worker's records join the main environment's."""
    if not hasattr(env, ENV_KEY):
        setattr(env, ENV_KEY, {})
    mine, theirs = getattr(env, ENV_KEY), getattr(other, ENV_KEY, {})
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def always_rewrite_index(app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """``env-get-outdated``: when any page changes, the index's lists of pages may change too."""
    if (added | changed | removed) - {INDEX_DOC} and INDEX_DOC in env.found_docs:
        return [INDEX_DOC]
    return []


def fill_uses(app: Any, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: each entry's "Quoted in ... Mentioned in ..." with links to the pages."""
    from sphinx.util.nodes import make_refnode

    placeholders = list(doctree.findall(uses))
    if not placeholders:
        return
    store: dict[str, dict[str, str]] = getattr(app.env, ENV_KEY, {})
    order = {d: i for i, d in enumerate(_reading_order(app))}
    for node in placeholders:
        eid = node["evidence_id"]
        para = nodes.paragraph(classes=["livelihoods-entry-uses"])
        for how, label in (("quoted", "Quoted in"), ("mentioned", "Mentioned in")):
            pages = sorted((d for d, ids in store.items() if ids.get(eid) == how), key=lambda d: (order.get(d, 1e9), d))
            if not pages:
                continue
            if len(para):
                para += nodes.Text(" ")
            para += nodes.strong(f"{label}:", f"{label}:")
            para += nodes.Text(" ")
            for i, page in enumerate(pages):
                if i:
                    para += nodes.Text(", ")
                title = app.env.titles[page].astext() if page in app.env.titles else page
                short = title.split(":", 1)[0].strip()
                para += make_refnode(app.builder, docname, page, "", nodes.inline(short, short))
            para += nodes.Text(".")
        if not len(para):
            para += nodes.Text("No page of the book uses it yet.")
        node.replace_self(para)


def _reading_order(app: Any) -> list[str]:
    """Docnames in the table of contents' order (the root first), for listing pages as a reader meets them."""
    env = app.env
    out: list[str] = []

    def walk(doc: str) -> None:
        if doc in out:
            return
        out.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(app.config.root_doc)
    return out + sorted(set(env.found_docs) - set(out))


def setup(app: Any) -> None:
    app.add_node(uses)
    app.add_directive("livelihoods-evidence", EvidenceIndex)
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", always_rewrite_index)
    app.connect("doctree-resolved", fill_uses)
