"""The ``livelihoods`` command: build the book, run a chapter, and the educators' and coders' tools (layer 6).

Each subcommand is a thin function over the package (:mod:`.book`, :mod:`.teach`, :mod:`.qda`),
with its options defined once (:mod:`.options`). Results go to stdout; progress, warnings and
errors to stderr. Any :class:`LivelihoodsError` (bad parameter, bad file, refused overwrite) is one
line on stderr with exit status 2; nothing the user owns is overwritten.

May import every other layer; nothing imports it.
"""

from __future__ import annotations

import logging
import sys
from typing import Sequence

from livelihoods import __version__
from livelihoods.cli import book, options, qda, teach
from livelihoods.errors import LivelihoodsError
from livelihoods.startup import skip_iri_grammar


def parser() -> options.Parser:
    p = options.Parser(
        prog="livelihoods",
        description="Build and use the teaching book on Malik, Nicholson & Heeks (2017), online outsourcing in Pakistan.",
    )
    p.add_argument("--version", action="version", version=f"livelihoods {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=options.Parser)
    sub.required = True
    for area in (book, teach, qda):
        area.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    skip_iri_grammar()  # a second of CPU saved in every command that reads a notebook (livelihoods.startup)
    args = parser().parse_args(options.join_parameters(sys.argv[1:] if argv is None else argv))
    # The library logs; the command shows its warnings as one line each, named after the command.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"livelihoods {args.command}: %(message)s"))
    package = logging.getLogger("livelihoods")
    package.addHandler(handler)
    package.setLevel(logging.WARNING)
    try:
        return args.func(args)
    except LivelihoodsError as err:
        print(f"livelihoods {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"livelihoods {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        package.removeHandler(handler)
