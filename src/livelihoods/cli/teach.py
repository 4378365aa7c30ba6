"""Commands for educators: ``assign``, ``handout``, ``bundle``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from livelihoods.cli.options import add_force, add_out, add_parameters, pairs


def cmd_assign(args: argparse.Namespace) -> int:
    from livelihoods.teach import assign

    result = assign.assign(args.chapter, Path(args.roster), Path(args.out), pairs(args), force=args.force)
    plural = "s" if result.students != 1 else ""
    print(
        f"wrote {result.students} student notebook{plural} (solutions removed), the instructor edition, "
        f"{assign.MANIFEST} and {result.zip.name} to {result.out} in {result.seconds:.1f}s"
    )
    return 0


def cmd_handout(args: argparse.Namespace) -> int:
    from livelihoods.teach import handout

    start = time.perf_counter()
    out = handout.handout(
        args.chapter,
        Path(args.out),
        pairs(args),
        solutions=not args.no_solutions,
        force=args.force,
        echo=lambda line: print(line, file=sys.stderr),
    )
    kind = "without solutions" if args.no_solutions else "with solutions"
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {kind}) in {time.perf_counter() - start:.1f}s")
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    import zipfile

    from livelihoods.teach import bundle

    out = bundle.bundle(Path(args.out), edition=args.edition, force=args.force)
    with zipfile.ZipFile(out) as zf:
        n = len(zf.namelist())
    print(f"wrote {out} ({n} files, {out.stat().st_size / 1e6:.1f} MB): unzip it and open index.html in a browser")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("assign", help="per-student notebooks with injected parameters, solutions removed")
    s.add_argument("chapter")
    s.add_argument("--roster", required=True, help="CSV with an 'id' column, or a gradebook export (names optional)")
    add_out(s, "an empty or new folder")
    add_parameters(s)
    add_force(s)
    s.set_defaults(func=cmd_assign)

    h = sub.add_parser("handout", help="one executed chapter as a single self-contained HTML file")
    h.add_argument("chapter")
    add_out(h, "FILE.html")
    add_parameters(h)
    h.add_argument("--no-solutions", action="store_true", help="leave the solutions out")
    add_force(h)
    h.set_defaults(func=cmd_handout)

    z = sub.add_parser("bundle", help="the built book as a zip that opens offline from disk")
    add_out(z, "FILE.zip")
    z.add_argument("--edition", choices=("instructor", "student"), default="instructor")
    add_force(z)
    z.set_defaults(func=cmd_bundle)
