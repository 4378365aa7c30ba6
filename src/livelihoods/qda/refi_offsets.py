"""Where a coded selection falls: a source text's offset conventions and the excerpts found in it.

Used by :mod:`.refi_import` to place the selections of a REFI-QDA project coded elsewhere on the
book's published excerpts. Tools disagree on what an offset counts: characters or UTF-16 code
units, a line break as one character or two, a byte-order mark or not. :class:`SourceText`
normalises a source to LF and maps each of these conventions onto it; :class:`Spans` finds the
published excerpts in the text and scores how well a selection sits on them.

Cost: a source's offset conventions are not tabulated per character: :class:`SourceText` keeps a
count of line breaks and astral characters per block of text and inverts an offset by binary
search. Excerpt occurrences are located once per source and filtered in one sorted sweep, and each
selection finds the occurrences it overlaps by bisection.
"""

from __future__ import annotations

import bisect

_BLOCK = 4096


class SourceText:
    """A source text normalised to LF, with the offset conventions tools use mapped onto it.

    A convention maps a position ``p`` of the text to ``p + lb * breaks(p) + astral(p) + bom``,
    where ``breaks(p)`` and ``astral(p)`` count line breaks and characters above U+FFFF before
    ``p``. Counts are kept per block of :data:`_BLOCK` characters, so memory is a few integers per
    block and :meth:`to_text` costs a binary search.
    """

    def __init__(self, raw: str, had_bom: bool):
        crlf = "\r\n" in raw
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")
        n = len(self.text)
        self._breaks, self._astral = [0], [0]
        for start in range(0, n, _BLOCK):
            block = self.text[start : start + _BLOCK]
            self._breaks.append(self._breaks[-1] + block.count("\n"))
            self._astral.append(self._astral[-1] + self._astral_in(block))
        order = (
            [(1, "characters, line break = 2"), (0, "characters")]
            if crlf
            else [(0, "characters"), (1, "characters, line break = 2")]
        )
        if not self._breaks[-1]:
            order = order[:1] if order[0][0] == 0 else order[1:]
        conventions = [(lb, 0, 0, label) for lb, label in order]
        if self._astral[-1]:
            conventions += [
                (lb, 1, 0, label.replace("characters", "UTF-16 units")) for lb, _a, _b, label in conventions
            ]
        if had_bom:
            conventions += [(lb, a, 1, label + ", BOM counted") for lb, a, _b, label in conventions]
        self.conventions: dict[str, tuple[int, int, int]] = {label: (lb, a, b) for lb, a, b, label in conventions}

    @staticmethod
    def _astral_in(block: str) -> int:
        return 0 if block.isascii() else len(block.encode("utf-16-le")) // 2 - len(block)

    def _count(self, p: int) -> tuple[int, int]:
        """(line breaks, astral characters) in ``text[:p]``."""
        k, rest = divmod(p, _BLOCK)
        head = self.text[k * _BLOCK : p] if rest else ""
        return self._breaks[k] + head.count("\n"), self._astral[k] + (self._astral_in(head) if head else 0)

    def offset(self, convention: tuple[int, int, int], p: int) -> int:
        """The offset a tool using ``convention`` writes for position ``p`` of the text."""
        lb, astral, bom = convention
        breaks, wide = self._count(p)
        return p + lb * breaks + astral * wide + bom

    def to_text(self, convention: tuple[int, int, int], offset: int) -> int | None:
        """The first position whose offset is at least ``offset``; None outside the text."""
        if offset < 0 or offset > self.offset(convention, len(self.text)):
            return None
        lo, hi = 0, len(self.text)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.offset(convention, mid) < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def end(self) -> int:
        """The largest offset any convention gives (the end of the text)."""
        return max(self.offset(c, len(self.text)) for c in self.conventions.values())


class Spans:
    """The published excerpts found in a source text, an excerpt inside a longer one left out."""

    def __init__(self, text: str, bodies: dict[str, str]):
        found = []
        for excerpt_id, body in bodies.items():
            start = text.find(body)
            while start != -1:
                found.append((start, start + len(body), excerpt_id))
                start = text.find(body, start + 1)
        # One sweep: a span is dropped when an earlier one (by start, longer first) reaches past its end.
        found.sort(key=lambda s: (s[0], -s[1], s[2]))
        keep, reach, i = [], -1, 0
        while i < len(found):
            j = i
            while j < len(found) and found[j][:2] == found[i][:2]:
                j += 1
            if reach < found[i][1]:
                keep.extend(found[i:j])
            reach = max(reach, found[i][1])
            i = j
        self.text = text
        self.spans = keep  # sorted by start; nested ones removed, so ends are sorted too
        self.ends = [s[1] for s in keep]
        self.exact = {(s[0], s[1]): s[2] for s in keep}
        self.ids = sorted({s[2] for s in keep})
        self.index_of: dict[str, list[int]] = {}
        for k, span in enumerate(keep):
            self.index_of.setdefault(span[2], []).append(k)

    def __bool__(self) -> bool:
        return bool(self.spans)

    def score(self, s: int, e: int) -> tuple[int, list[str]]:
        """How well [s, e) sits on excerpts: 3 exact, 2 inside one, 1 overlapping one or more, 0 not."""
        if (s, e) in self.exact:
            return 3, [self.exact[(s, e)]]
        first = bisect.bisect_right(self.ends, s)  # the first span ending after s
        stop = self._first_start_at_or_after(e, first)  # spans[first:stop] overlap [s, e)
        edges = [k for k in {first, stop - 1} if first <= k < stop]
        hits = {
            k: (self.spans[k][2], self.spans[k][0] <= s and e <= self.spans[k][1])
            for k in sorted(edges)
            if self.text[max(self.spans[k][0], s) : min(self.spans[k][1], e)].strip()
        }
        if stop - first > 2:  # the spans in between are covered whole: which excerpts are they?
            for excerpt_id in self.ids:
                k = self._first_in(excerpt_id, first + 1, stop - 1)
                if k is not None:
                    hits.setdefault(k, (excerpt_id, False))
        ordered = [hits[k] for k in sorted(hits)]
        if len(ordered) == 1:
            return (2 if ordered[0][1] else 1), [ordered[0][0]]
        if ordered:
            return 1, list(dict.fromkeys(h[0] for h in ordered))
        return 0, []

    def _first_start_at_or_after(self, e: int, lo: int) -> int:
        hi = len(self.spans)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.spans[mid][0] < e:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _first_in(self, excerpt_id: str, lo: int, hi: int) -> int | None:
        where = self.index_of[excerpt_id]
        k = bisect.bisect_left(where, lo)
        return where[k] if k < len(where) and where[k] < hi else None
