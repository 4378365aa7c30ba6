"""Validate the data package with frictionless: the schema of every resource against its CSV file.

    python .ci/validate_datapackage.py [DATAPACKAGE]     (default: data/datapackage.json)

One line per error (resource, row, field, what is wrong) and exit status 1; one summary line and 0 when valid.
``make lint`` and the pre-commit hook run it; tests/test_data.py checks the same package in more depth
(``livelihoods.evidence.validate_all``, the project's own rules beyond the schema).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "data/datapackage.json")
    if not path.is_file():
        print(f"{path} does not exist: run this from the repository's top folder, or give the path", file=sys.stderr)
        return 1
    try:  # frictionless checks no IRI format: skip the grammar jsonschema would compile (the module says why)
        from livelihoods.startup import skip_iri_grammar

        skip_iri_grammar()
    except ImportError:  # the package is not installed: the check still runs, only slower
        pass
    try:
        import frictionless
    except ImportError:
        print(
            "frictionless is not installed: it is in the test extra; run 'make setup' (or "
            "'pip install -r requirements.lock') and try again",
            file=sys.stderr,
        )
        return 1
    report = frictionless.validate(str(path))
    if report.valid:
        print(f"{path}: valid ({len(report.tasks)} resources, frictionless {frictionless.__version__})")
        return 0
    for error in report.errors:  # errors of the package itself (descriptor)
        print(f"{path}: {error.message}", file=sys.stderr)
    for task in report.tasks:
        for error in task.errors:
            where = f"{task.name} ({task.place})"
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            if row:
                where += f", row {row}"
            if field:
                where += f", field {field!r}"
            print(f"{path}: {where}: {error.message}", file=sys.stderr)
    print(
        f"{path}: INVALID: fix the rows or the schema named above ('frictionless validate {path}' shows the full "
        "report)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
