"""The ``livelihoods`` command: build the book, run a chapter, and the educators' tools.

Each subcommand is a thin layer over a package function. Any :class:`LivelihoodsError` (bad
parameter, bad file, refused overwrite) is printed as one line on stderr with exit status 2;
nothing the user owns is overwritten without ``--force``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Callable, Sequence

from livelihoods import __version__
from livelihoods.errors import LivelihoodsError


def _root() -> Path:
    from livelihoods.paths import require_root

    return require_root()


# --------------------------------------------------------------------------- shared options

_PARAMETER_FLAGS = ("-p", "--parameter")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (naming the fix) and exit status 2, as every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _name_value(text: str) -> tuple[str, str]:
    """One ``-p`` value, ``NAME=VALUE`` (``-p NAME VALUE`` is joined into this form before parsing)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"-p expects NAME VALUE or NAME=VALUE, got {text!r}")
    return name.strip(), value


def add_parameters(parser: argparse.ArgumentParser) -> None:
    """``-p NAME VALUE`` / ``-p NAME=VALUE`` (repeatable), as papermill spells it."""
    parser.add_argument(*_PARAMETER_FLAGS, dest="parameter", action="append", type=_name_value, metavar="NAME VALUE",
                        help="set a chapter parameter (repeatable; also NAME=VALUE); checked against its allowed values")


def join_parameters(argv: Sequence[str]) -> list[str]:
    """``-p NAME VALUE`` as ``-p NAME=VALUE``, so a value may begin with a minus sign (``-p x -1e9``).

    argparse takes a token that starts with ``-`` (and is not a plain negative integer) for an
    option, so ``-p hours_per_month -1e9`` would fail with "expected 2 arguments"; joining the
    pair first keeps any value whole.
    """
    out: list[str] = []
    i = 0
    argv = list(argv)
    while i < len(argv):
        token = argv[i]
        if token in _PARAMETER_FLAGS and i + 2 < len(argv) and "=" not in argv[i + 1]:
            out += [token, f"{argv[i + 1]}={argv[i + 2]}"]
            i += 3
            continue
        out.append(token)
        i += 1
    return out


def cmd_build(args: argparse.Namespace) -> int:
    from livelihoods.book import build

    build.build(_root(), edition=args.edition, jobs=args.jobs, strict=not args.no_strict)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import hashlib
    import json

    from livelihoods.book import execute, run
    from livelihoods.book import params

    root = _root()
    notebook = run.resolve_notebook(root, args.notebook)
    chapter = run.notebook_chapter(notebook)
    values = {**run.injected_parameters(notebook), **params.parse_cli_pairs(chapter, args.parameter or [])}
    full = {**params.defaults(chapter), **values}
    params.validate(chapter, **full)
    if args.out:
        output = Path(args.out)
    else:
        suffix = ""
        if values:
            digest = hashlib.sha1(json.dumps(values, sort_keys=True).encode()).hexdigest()[:8]
            suffix = f"-{digest}"
        output = root / "_build" / "runs" / f"{notebook.stem}{suffix}.ipynb"
    execute.check_timeout(args.timeout)
    if args.out:
        from livelihoods import files

        files.check_output_file(output, force=args.force, suffixes=(".ipynb",), what="an executed notebook",
                                inputs=[notebook], ours=run.is_run_output)
    shown = notebook.relative_to(root) if notebook.is_relative_to(root) else notebook
    print(f"running {shown} ({chapter}) with {values or 'default parameters'}", file=sys.stderr)
    run.run_notebook(notebook, values, output, timeout=args.timeout)
    print(f"wrote {output}")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from livelihoods.teach import runnable

    result = runnable.sync(_root(), check=args.check)
    for orphan in result.orphans:
        print(f"note: {orphan} has no source in book/chapters/ (left as it is)", file=sys.stderr)
    if args.check:
        if result.changed:
            names = ", ".join(p.name for p in result.changed)
            print(f"out of step with book/chapters/: {names}: run 'livelihoods notebooks' and commit the result",
                  file=sys.stderr)
            return 1
        print("notebooks/ is in step with book/chapters/")
        return 0
    print(f"wrote {len(result.changed)} notebook(s) to notebooks/ ({len(runnable.sources(_root())) - len(result.changed)} unchanged)")
    return 0


def _delegate(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    """A subcommand implemented in another module, imported only when it is used."""

    def run(args: argparse.Namespace) -> int:
        mod = importlib.import_module(f"livelihoods.{module}")
        fn = getattr(mod, function, None)
        if fn is None:
            raise LivelihoodsError(f"'livelihoods {args.command}' is not available in this version yet")
        return int(fn(args) or 0)

    return run


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="livelihoods",
        description="Build and use the teaching book on Malik, Nicholson & Heeks (2017), online outsourcing in Pakistan.",
    )
    p.add_argument("--version", action="version", version=f"livelihoods {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    b = sub.add_parser("build", help="execute the notebooks (through the cache) and build the HTML book")
    b.add_argument("--edition", choices=("instructor", "student"), default="instructor",
                   help="instructor: solutions hidden behind toggles (default); student: no solutions at all")
    b.add_argument("--jobs", "-j", type=int, default=None, help="notebooks executed at once (default: the number of cores, at most 4)")
    b.add_argument("--no-strict", action="store_true", help="do not treat Sphinx warnings as errors")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("run", help="execute one notebook with papermill into _build/runs/")
    r.add_argument("notebook", help="a chapter name such as e4_impact, or a path to a chapter notebook "
                                    "(a student's copy from 'livelihoods assign' too)")
    add_parameters(r)
    r.add_argument("--out", help="where to write the executed notebook (default: _build/runs/CHAPTER[-HASH].ipynb)")
    r.add_argument("--force", action="store_true", help="replace --out if it exists")
    r.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell, at least 1 (default 300)")
    r.set_defaults(func=cmd_run)

    n = sub.add_parser("notebooks", help="write the runnable notebooks in notebooks/ from the chapter sources in book/chapters/")
    n.add_argument("--check", action="store_true", help="write nothing; exit 1 if any notebook is out of step")
    n.set_defaults(func=cmd_notebooks)

    a = sub.add_parser("agreement", help="agreement between a coding sheet and the reference coding (or another sheet)")
    a.add_argument("sheet", help="a coding sheet: CSV with columns excerpt_id, code_id")
    a.add_argument("--against", default="reference", help="'reference' (default) or a second sheet")
    a.add_argument("--level", choices=("theme", "code"), default="code", help="compare codes or their themes")
    a.add_argument("--full", action="store_true", help="print each excerpt where the codings differ whole")
    a.set_defaults(func=_delegate("qda.report", "main_agreement"))

    s = sub.add_parser("assign", help="per-student notebooks with injected parameters, solutions removed")
    s.add_argument("chapter")
    s.add_argument("--roster", required=True, help="CSV with an 'id' column (names optional)")
    s.add_argument("--out", required=True, help="an empty or new folder")
    add_parameters(s)
    s.add_argument("--force", action="store_true", help="write into a non-empty --out folder")
    s.set_defaults(func=_delegate("teach.assign", "main_assign"))

    h = sub.add_parser("handout", help="one executed chapter as a single self-contained HTML file")
    h.add_argument("chapter")
    h.add_argument("--out", required=True)
    add_parameters(h)
    h.add_argument("--no-solutions", action="store_true", help="leave the solutions out")
    h.add_argument("--force", action="store_true")
    h.set_defaults(func=_delegate("teach.handout", "main_handout"))

    z = sub.add_parser("bundle", help="the built book as a zip that opens offline from disk")
    z.add_argument("--out", required=True)
    z.add_argument("--edition", choices=("instructor", "student"), default="instructor")
    z.add_argument("--force", action="store_true")
    z.set_defaults(func=_delegate("teach.bundle", "main_bundle"))

    e = sub.add_parser("export-qdpx", help="the evidence base as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder")
    e.add_argument("--out", help="FILE.qdpx")
    e.add_argument("--coder", choices=("reference", "none"), default="reference")
    e.add_argument("--sheet", help="export a student's coding sheet instead of the reference coding")
    e.add_argument("--codebook-only", metavar="FILE.qdc", help="write only the codebook exchange file")
    e.add_argument("--force", action="store_true")
    e.set_defaults(func=_delegate("qda.refi_export", "main_export"))

    i = sub.add_parser("import-qdpx", help="a REFI-QDA project coded elsewhere, back into a coding sheet")
    i.add_argument("project", help="FILE.qdpx")
    i.add_argument("--out", required=True, help="SHEET.csv")
    i.add_argument("--sample", metavar="SHEET.csv",
                   help="keep only the excerpts this sheet lists (the blank sheet of your coding-lab sample)")
    i.add_argument("--force", action="store_true")
    i.set_defaults(func=_delegate("qda.refi_import", "main_import"))

    c = sub.add_parser("class-report", help="a class's coding sheets against the reference: an offline HTML page and CSV tables")
    c.add_argument("sheets", nargs="+", metavar="SHEET", help="coding sheets (CSV), or folders of them")
    c.add_argument("--out", required=True, help="a new or empty folder (or one this command wrote, with --force)")
    c.add_argument("--level", choices=("theme", "code"), default="code", help="compare codes or their themes")
    c.add_argument("--skip-bad", action="store_true", help="leave out a sheet that cannot be read, and say so")
    c.add_argument("--force", action="store_true", help="replace a report this command wrote before")
    c.set_defaults(func=_delegate("qda.class_report", "main_class_report"))

    w = sub.add_parser("page-weight", help="bytes per page of the built book, against the budget")
    w.add_argument("--html", default="_build/html")
    w.set_defaults(func=_delegate("book.weight", "main_page_weight"))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(join_parameters(sys.argv[1:] if argv is None else argv))
    try:
        return args.func(args)
    except LivelihoodsError as err:
        print(f"livelihoods {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"livelihoods {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
