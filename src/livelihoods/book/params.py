"""Notebook parameters: one validator, for the one registry (:mod:`.registry`).

Every chapter notebook has a ``parameters`` cell (papermill tag) and, right after it, a call
to :func:`validate`. The registry (:data:`.registry.REGISTRY`) is the single source of truth for
each parameter's type, default, allowed values and meaning; this module checks values against
it for the notebook (which stops at the top with a clear message on a bad value, and whose frame
refuses a misspelt name papermill injected) and for ``livelihoods run``/``assign`` (which check
``-p NAME VALUE`` before anything is executed or written).
"""

from __future__ import annotations

from typing import Any, Iterable

from livelihoods.book import registry
from livelihoods.errors import ParameterError


def chapters() -> list[str]:
    """The chapter notebooks known to the registry, in book order."""
    return list(registry.REGISTRY)


def spec(chapter: str) -> dict[str, registry.Param]:
    """The parameters of one chapter, by name; a clear error for an unknown chapter."""
    if chapter not in registry.REGISTRY:
        raise ParameterError(f"unknown chapter {chapter!r}: expected one of {', '.join(registry.REGISTRY)}")
    return {p.name: p for p in registry.REGISTRY[chapter]}


def defaults(chapter: str) -> dict[str, Any]:
    """The default value of every parameter of a chapter."""
    return {name: p.default for name, p in spec(chapter).items()}


def check_value(chapter: str, p: registry.Param, value: Any) -> Any:
    """Check one value against its parameter; return it (ints accepted where floats are)."""

    def fail(reason: str = "") -> ParameterError:
        why = f" ({reason})" if reason else ""
        return ParameterError(
            f"parameter {p.name!r} of {chapter} = {value!r} is not allowed{why}: expected {p.allowed()}"
        )

    if value is None:
        if p.nullable:
            return None
        raise fail()
    if p.kind is bool:
        if not isinstance(value, bool):
            raise fail("wrong type")
        return value
    if p.kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail("wrong type")
    elif p.kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail("wrong type")
        if value != value:  # NaN
            raise fail("not a number")
        value = float(value)
    elif p.kind is str:
        if not isinstance(value, str):
            raise fail("wrong type")
        if not value.strip():
            raise fail("empty")
    if p.choices is not None and value not in p.choices:
        raise fail()
    if p.low is not None and value < p.low:
        raise fail("too small")
    if p.high is not None and value > p.high:
        raise fail("too large")
    if p.check is not None:
        reason = p.check(value)
        if reason:
            raise fail(reason)
    return value


def validate(chapter: str, **values: Any) -> dict[str, Any]:
    """Validate a chapter's parameters; the first call in every notebook.

    Checks the names and values it is given: an unknown or a missing name is an error, and so is
    a value outside what is allowed. Returns the checked values (numbers normalised), so a
    notebook can use them as a dict if it likes.

    It cannot see a misspelt ``papermill -p`` name: papermill only assigns the misspelt variable,
    and the notebook passes its own (correctly spelt, default) variables here. That typo is caught
    by :func:`check_injected`, which the chapter frame (``chapter.start``) runs on the cell
    papermill injected.
    """
    known = spec(chapter)
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ParameterError(
            f"unknown parameter {unknown[0]!r} for {chapter}: "
            + (f"expected one of {', '.join(known)}" if known else "this chapter takes no parameters")
        )
    missing = [name for name in known if name not in values]
    if missing:
        raise ParameterError(
            f"parameter {missing[0]!r} of {chapter} is missing: expected {known[missing[0]].allowed()}"
        )
    return {name: check_value(chapter, known[name], values[name]) for name in known}


#: How papermill's injected cell starts, for a Python kernel (its translator's comment line).
INJECTED_HEADER = "# Parameters"


def injected_names(source: str) -> list[str] | None:
    """The variable names a cell injected by papermill assigns, in order; None if ``source`` is not
    such a cell (it does not start with :data:`INJECTED_HEADER`, or is not Python)."""
    import ast

    if not source.lstrip().startswith(INJECTED_HEADER):
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names: list[str] = []
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        for target in targets:
            if isinstance(target, ast.Name) and target.id not in names:
                names.append(target.id)
    return names


def check_injected(chapter: str, names: Iterable[str]) -> None:
    """Refuse a name papermill injected that the chapter does not take: one line naming it and the
    parameter probably meant (a misspelt ``-p organization KADO`` would otherwise run the chapter
    with its defaults, with nothing but papermill's warning to say so)."""
    import difflib

    known = spec(chapter)
    for name in names:
        if name in known:
            continue
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ParameterError(
            f"unknown parameter {name!r} for {chapter} (set with papermill -p): {hint}"
            + (f"the chapter's parameters are {', '.join(known)}" if known else "this chapter takes no parameters")
        )


def parse_cli_value(chapter: str, name: str, text: str) -> Any:
    """Turn the text of ``-p NAME VALUE`` into a typed value, using the parameter's kind."""
    known = spec(chapter)
    if name not in known:
        raise ParameterError(
            f"unknown parameter {name!r} for {chapter}: "
            + (f"expected one of {', '.join(known)}" if known else "this chapter takes no parameters")
        )
    p = known[name]
    if p.nullable and text.strip().lower() in ("none", "null", ""):
        return check_value(chapter, p, None)
    try:
        if p.kind is bool:
            lowered = text.strip().lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(text)
            value: Any = lowered in ("true", "1", "yes")
        elif p.kind is int:
            value = int(text)
        elif p.kind is float:
            value = float(text)
        else:
            value = text
    except ValueError:
        raise ParameterError(
            f"parameter {name!r} of {chapter} = {text!r} is not allowed (wrong type): expected {p.allowed()}"
        ) from None
    return check_value(chapter, p, value)


def parse_cli_pairs(chapter: str, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Parse and check every ``-p NAME VALUE`` pair; duplicates are an error, not a silent override."""
    out: dict[str, Any] = {}
    for name, text in pairs:
        if name in out:
            raise ParameterError(f"parameter {name!r} given twice for {chapter}: give it once")
        out[name] = parse_cli_value(chapter, name, text)
    return out
