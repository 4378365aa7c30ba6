"""Commands for coding: ``agreement``, ``class-report``, ``export-qdpx``, ``import-qdpx``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livelihoods.cli.options import add_force, add_out


def cmd_agreement(args: argparse.Namespace) -> int:
    from livelihoods.qda import agreement, disagreements, report, sheets

    sheet = sheets.read_sheet(args.sheet)
    result = agreement.compare_sheet(sheet, against=args.against, level=args.level)
    print(report.format_report(result, disagreements.sheet_notes(sheet), full=bool(args.full)), end="")
    return 0


def cmd_class_report(args: argparse.Namespace) -> int:
    from livelihoods.qda import class_report

    print(
        class_report.class_report(
            args.sheets,
            Path(args.out),
            level=args.level,
            skip_bad=args.skip_bad,
            force=args.force,
            echo=lambda line: print(line, file=sys.stderr),
        )
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from livelihoods.qda import refi_export

    said = refi_export.export(
        Path(args.out) if args.out else None,
        Path(args.codebook_only) if args.codebook_only else None,
        coder=args.coder,
        sheet_path=args.sheet,
        force=args.force,
    )
    print("; ".join(said))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from livelihoods.qda import refi_import

    def problem(found: object) -> None:
        print(f"livelihoods import-qdpx: {getattr(found, 'kind', 'problem')}: {found}", file=sys.stderr)

    print(
        refi_import.import_sheet(
            Path(args.project), Path(args.out), sample_sheet=args.sample, force=args.force, on_problem=problem
        )
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("agreement", help="agreement between a coding sheet and the reference coding (or another sheet)")
    a.add_argument("sheet", help="a coding sheet: CSV with columns excerpt_id, code_id")
    a.add_argument("--against", default="reference", help="'reference' (default) or a second sheet")
    a.add_argument("--level", choices=("theme", "code"), default="code", help="compare codes or their themes")
    a.add_argument("--full", action="store_true", help="print each excerpt where the codings differ whole")
    a.set_defaults(func=cmd_agreement)

    c = sub.add_parser(
        "class-report", help="a class's coding sheets against the reference: an offline HTML page and CSV tables"
    )
    c.add_argument("sheets", nargs="+", metavar="SHEET", help="coding sheets (CSV), or folders of them")
    add_out(c, "a new or empty folder (or one this command wrote, with --force)")
    c.add_argument("--level", choices=("theme", "code"), default="code", help="compare codes or their themes")
    c.add_argument("--skip-bad", action="store_true", help="leave out a sheet that cannot be read, and say so")
    add_force(c)
    c.set_defaults(func=cmd_class_report)

    e = sub.add_parser(
        "export-qdpx", help="the evidence base as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder"
    )
    add_out(e, "FILE.qdpx", required=False)
    e.add_argument("--coder", choices=("reference", "none"), default="reference")
    e.add_argument("--sheet", help="export a student's coding sheet instead of the reference coding")
    e.add_argument("--codebook-only", metavar="FILE.qdc", help="write only the codebook exchange file")
    add_force(e)
    e.set_defaults(func=cmd_export)

    i = sub.add_parser("import-qdpx", help="a REFI-QDA project coded elsewhere, back into a coding sheet")
    i.add_argument("project", help="FILE.qdpx")
    add_out(i, "SHEET.csv")
    i.add_argument(
        "--sample",
        metavar="SHEET.csv",
        help="keep only the excerpts this sheet lists (the blank sheet of your coding-lab sample)",
    )
    add_force(i)
    i.set_defaults(func=cmd_import)
