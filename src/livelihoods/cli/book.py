"""Commands on the book: ``build``, ``run``, ``notebooks``, ``page-weight``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livelihoods.cli.options import add_force, add_out, add_parameters, add_timeout, pairs
from livelihoods.paths import require_root


def cmd_build(args: argparse.Namespace) -> int:
    from livelihoods.book import build

    build.build(require_root(), edition=args.edition, jobs=args.jobs, strict=not args.no_strict)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import hashlib
    import json

    from livelihoods import files
    from livelihoods.book import execute, params, run

    root = require_root()
    notebook = run.resolve_notebook(root, args.notebook)
    chapter = run.notebook_chapter(notebook)
    values = {**run.injected_parameters(notebook), **params.parse_cli_pairs(chapter, pairs(args))}
    params.validate(chapter, **{**params.defaults(chapter), **values})
    execute.check_timeout(args.timeout)
    if args.out:
        output = Path(args.out)
        files.check_output_file(
            output,
            force=args.force,
            suffixes=(".ipynb",),
            what="an executed notebook",
            inputs=[notebook],
            ours=run.is_run_output,
        )
    else:
        digest = hashlib.sha1(json.dumps(values, sort_keys=True).encode()).hexdigest()[:8] if values else ""
        output = root / "_build" / "runs" / f"{notebook.stem}{'-' + digest if digest else ''}.ipynb"
    shown = notebook.relative_to(root) if notebook.is_relative_to(root) else notebook
    print(f"running {shown} ({chapter}) with {values or 'default parameters'}", file=sys.stderr)
    run.run_notebook(notebook, values, output, timeout=args.timeout)
    print(f"wrote {output}")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from livelihoods.teach import runnable

    root = require_root()
    result = runnable.sync(root, check=args.check)
    for orphan in result.orphans:
        print(f"note: {orphan} has no source in book/chapters/ (left as it is)", file=sys.stderr)
    if args.check:
        if result.changed:
            names = ", ".join(p.name for p in result.changed)
            print(
                f"out of step with book/chapters/: {names}: run 'livelihoods notebooks' and commit the result",
                file=sys.stderr,
            )
            return 1
        print("notebooks/ is in step with book/chapters/")
        return 0
    unchanged = len(runnable.sources(root)) - len(result.changed)
    print(f"wrote {len(result.changed)} notebook(s) to notebooks/ ({unchanged} unchanged)")
    return 0


def cmd_page_weight(args: argparse.Namespace) -> int:
    """Print the report; exit status 1 when a page is over budget."""
    from livelihoods.book import weight
    from livelihoods.paths import repo_root

    html_dir = Path(args.html)
    if not html_dir.is_absolute() and not html_dir.exists():
        root = repo_root()
        if root is not None and (root / html_dir).exists():
            html_dir = root / html_dir
    weights = weight.book_weights(html_dir)
    print(weight.report(weights))
    return 1 if weight.over_budget(weights) else 0


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("build", help="execute the notebooks (through the cache) and build the HTML book")
    b.add_argument(
        "--edition",
        choices=("instructor", "student"),
        default="instructor",
        help="instructor: solutions hidden behind toggles (default); student: no solutions at all",
    )
    b.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="notebooks executed at once (default: one more than the cores, at most 4)",
    )
    b.add_argument("--no-strict", action="store_true", help="do not treat Sphinx warnings as errors")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("run", help="execute one notebook with papermill into _build/runs/")
    r.add_argument(
        "notebook",
        help="a chapter name such as e4_impact, or a path to a chapter notebook "
        "(a student's copy from 'livelihoods assign' too)",
    )
    add_parameters(r)
    add_out(r, "where to write the executed notebook (default: _build/runs/CHAPTER[-HASH].ipynb)", required=False)
    add_force(r)
    add_timeout(r)
    r.set_defaults(func=cmd_run)

    n = sub.add_parser(
        "notebooks", help="write the runnable notebooks in notebooks/ from the chapter sources in book/chapters/"
    )
    n.add_argument("--check", action="store_true", help="write nothing; exit 1 if any notebook is out of step")
    n.set_defaults(func=cmd_notebooks)

    w = sub.add_parser("page-weight", help="bytes per page of the built book, against the budget")
    w.add_argument("--html", default="_build/html")
    w.set_defaults(func=cmd_page_weight)
