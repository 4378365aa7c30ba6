"""Options every command spells the same way: ``-p NAME VALUE``, ``--out``, ``--force``, ``--timeout``.

Shared definitions, so that the help texts, the parsing (a value may start with a minus sign) and
the one-line usage errors are the same in every command.
"""

from __future__ import annotations

import argparse
from typing import Sequence

PARAMETER_FLAGS = ("-p", "--parameter")


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (naming the fix) and exit status 2, as every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def name_value(text: str) -> tuple[str, str]:
    """One ``-p`` value, ``NAME=VALUE`` (``-p NAME VALUE`` is joined into this form before parsing)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"-p expects NAME VALUE or NAME=VALUE, got {text!r}")
    return name.strip(), value


def add_parameters(parser: argparse.ArgumentParser) -> None:
    """``-p NAME VALUE`` / ``-p NAME=VALUE`` (repeatable), as papermill spells it."""
    parser.add_argument(
        *PARAMETER_FLAGS,
        dest="parameter",
        action="append",
        type=name_value,
        metavar="NAME VALUE",
        help="set a chapter parameter (repeatable; also NAME=VALUE); checked against its allowed values",
    )


def add_out(parser: argparse.ArgumentParser, what: str, required: bool = True) -> None:
    """``--out``: where the command writes; never the repository's sources or the command's own input."""
    parser.add_argument(
        "--out",
        required=required,
        help=f"{what} (never inside data/, notebooks/, book/, src/ or tests/, never the command's own input)",
    )


def add_force(parser: argparse.ArgumentParser) -> None:
    """``--force``: replace what this command wrote before, and nothing else."""
    parser.add_argument(
        "--force", action="store_true", help="replace an earlier output of this same command (never anything else)"
    )


def add_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell, at least 1 (default 300)")


def join_parameters(argv: Sequence[str]) -> list[str]:
    """``-p NAME VALUE`` as ``-p NAME=VALUE``, so a value may begin with a minus sign (``-p x -1e9``).

    argparse takes a token that starts with ``-`` (and is not a plain negative integer) for an
    option, so ``-p hours_per_month -1e9`` would fail with "expected 2 arguments"; joining the
    pair first keeps any value whole.
    """
    out: list[str] = []
    argv = list(argv)
    i = 0
    while i < len(argv):
        token = argv[i]
        if token in PARAMETER_FLAGS and i + 2 < len(argv) and "=" not in argv[i + 1]:
            out += [token, f"{argv[i + 1]}={argv[i + 2]}"]
            i += 3
            continue
        out.append(token)
        i += 1
    return out


def pairs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The ``-p`` pairs a command was given (none: an empty list)."""
    return list(getattr(args, "parameter", None) or [])
