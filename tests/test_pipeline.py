"""Sphinx reads a page while later notebooks still execute (livelihoods.book.pipeline): its page waits for
its own notebook, and for nothing else."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from livelihoods.book import pipeline


@pytest.fixture
def book(tmp_path, monkeypatch) -> tuple[Path, Path]:
    root = tmp_path / "book"
    (root / "book" / "chapters").mkdir(parents=True)
    folder = tmp_path / "executing"
    pipeline.prepare(folder, root, [root / "book" / "chapters" / "a_rationale.md", root / "book" / "intro.md"])
    monkeypatch.setenv(pipeline.ENV, str(folder))
    return root, folder


def test_a_page_waits_until_its_notebook_is_cached(book):
    root, folder = book
    released: list[float] = []

    def read() -> None:
        pipeline.wait_for_notebook(None, "book/chapters/a_rationale", [""])
        released.append(time.monotonic())

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.3)
    assert not released, "the page was read before its notebook was in the cache"
    marked = time.monotonic()
    pipeline.mark_done(folder, root, root / "book" / "chapters" / "a_rationale.md")
    reader.join(timeout=60)  # a hang guard: it returns within 0.02 s of the mark
    assert released and released[0] >= marked


def test_other_pages_and_plain_builds_do_not_wait(book, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_WAIT_SECONDS", -1.0)  # any wait at all now ends in an error
    pipeline.wait_for_notebook(None, "book/glossary", [""])  # not a notebook being executed
    pipeline.wait_for_notebook(None, "book/chapters/b_literature", [""])  # cached before the build started
    with pytest.raises(RuntimeError, match="book/intro: its notebook was not executed"):
        pipeline.wait_for_notebook(None, "book/intro", [""])  # pending: it would wait (the check can fail)
    monkeypatch.delenv(pipeline.ENV)
    pipeline.wait_for_notebook(None, "book/intro", [""])  # a plain jupyter-book build: nothing to wait for


def test_a_forgotten_wait_ends_with_an_error(book, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_WAIT_SECONDS", 0.1)
    with pytest.raises(RuntimeError, match="book/intro: its notebook was not executed"):
        pipeline.wait_for_notebook(None, "book/intro", [""])
