"""A chapter as a student meets it: real JupyterLab, driven in Chromium.

JupyterLab is started from ``.venv`` on 127.0.0.1 (with a token) on a copy of ``notebooks/``, so
nothing it saves can touch the committed notebooks. The test opens E4, runs all cells, and checks
what a student sees: no error, the prose with its numbers, exercises numbered E4.n, solutions
collapsed. It then changes ``dropout_share`` in the parameters cell, runs all again, and checks
that a number in a sentence changed. A screenshot of each run is kept in ``_build/test-artefacts/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser_helpers import launch, require_chromium
from helpers import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ARTEFACTS = ROOT / "_build" / "test-artefacts"
CHAPTER = "e4_impact"
TOKEN = "livelihoods-test-token"
SENTENCE = (
    "out of 100 trainees"  # the funnel: "with this run's parameters, out of 100 trainees N sink and M take up..."
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of notebooks/; yields its base URL."""
    chromium = require_chromium()
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    port = _free_port()
    # Every cell rendered (JupyterLab 4 draws only the visible ones by default), so the page's text is whole.
    tracker = work / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}', encoding="utf-8")
    news = work / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")  # no pop-up over the page
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
    }
    env.pop("LIVELIHOODS_MARKUP", None)  # a student's kernel: plain Markdown
    log = open(work / "jupyterlab.log", "w")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("jupyter")),
            "lab",
            "--no-browser",
            f"--ServerApp.port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={work / 'notebooks'}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("JupyterLab did not start:\n" + (work / "jupyterlab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base, chromium
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


_RUN_ALL_AND_WAIT = """async () => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    await panel.sessionContext.ready;
    await app.commands.execute('notebook:run-all-cells');
    const kernel = () => panel.sessionContext.session.kernel;
    const cells = () => panel.content.widgets.filter(c => c.model.type === 'code');
    for (let i = 0; i < 600; i++) {
        const pending = cells().some(c => c.model.executionCount === null || c.promptNode?.textContent.includes('*'));
        if (!pending && kernel().status === 'idle') break;
        await new Promise(r => setTimeout(r, 250));
    }
    return cells().map(c => ({source: c.model.sharedModel.getSource(), outputs: c.model.outputs.toJSON(),
                              count: c.model.executionCount}));
}"""


def _open(page, base: str) -> None:
    page.goto(f"{base}/lab/tree/{CHAPTER}.ipynb?token={TOKEN}", wait_until="domcontentloaded")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext",
        timeout=90_000,
    )
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)


def _prose_text(page) -> str:
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.content.node.innerText")


def _sentence(text: str) -> str:
    line = next((ln for ln in text.splitlines() if SENTENCE in ln), "")
    assert line, f"the funnel sentence ('{SENTENCE}') is not on the page"
    return line


def _errors(cells: list[dict]) -> list[str]:
    return [
        f"{o.get('ename')}: {o.get('evalue')}" for c in cells for o in c["outputs"] if o.get("output_type") == "error"
    ]


def test_run_all_change_a_parameter_run_all_again(lab):
    base, chromium = lab
    from playwright.sync_api import sync_playwright

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            _open(page, base)
            cells = page.evaluate(_RUN_ALL_AND_WAIT)
            assert all(c["count"] is not None for c in cells), "some cells did not run"
            assert not _errors(cells), _errors(cells)
            text = _prose_text(page)
            before = _sentence(text)
            assert "60%" in text and "out of 100 trainees 60 sink and 40 take" in " ".join(text.split()), before
            for marker in ("{glue", "{cite", "{ref", "```{", ":label:"):
                assert marker not in text, f"MyST markup '{marker}' shows in JupyterLab"
            assert "Exercise E4.1" in text and "Exercise E4.4" in text
            summaries = page.locator(".jp-RenderedMarkdown details summary, .jp-RenderedHTMLCommon details summary")
            assert summaries.count() >= 4 and "Solution to Exercise E4.1" in summaries.first.inner_text()
            assert page.evaluate("() => [...document.querySelectorAll('details')].every(d => !d.open)"), (
                "solutions open"
            )
            page.locator(".jp-Notebook h2", has_text="Four trajectories").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTEFACTS / "jupyterlab-e4-before.png"))

            changed = page.evaluate("""() => {
                const panel = window.jupyterapp.shell.currentWidget;
                const cell = panel.content.widgets.find(c => (c.model.getMetadata('tags') || []).includes('parameters'));
                const source = cell.model.sharedModel.getSource();
                cell.model.sharedModel.setSource(source.replace(/^dropout_share = [0-9.]+/m, 'dropout_share = 0.5'));
                return cell.model.sharedModel.getSource();
            }""")
            assert "dropout_share = 0.5" in changed
            cells = page.evaluate(_RUN_ALL_AND_WAIT)
            assert not _errors(cells), _errors(cells)
            after = _sentence(_prose_text(page))
            assert after != before and "50 sink and 50 take" in " ".join(after.split()), (before, after)
            page.locator(".jp-Notebook h2", has_text="Four trajectories").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTEFACTS / "jupyterlab-e4-after.png"))
        finally:
            browser.close()
