#!/usr/bin/env python
"""Write ``claims/schema.json``, the JSON Schema of one catalogue file, from the records.

The schema is generated from :func:`gpt4leak.catalogue_schema` (the pydantic models in
``src/gpt4leak/records.py`` and ``catalogue.py``), written with sorted keys, an indent of 2
and a trailing newline, so that a change of the records shows as a small diff. Editors use
it to check claim files as they are typed (for example, with the YAML language server:
``# yaml-language-server: $schema=schema.json``).

Usage::

    python scripts/generate_schema.py           # write claims/schema.json
    python scripts/generate_schema.py --check   # exit 1 if claims/schema.json is stale

``tests/test_catalogue.py`` fails when the file is stale and prints the first command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "claims" / "schema.json"
COMMAND = "python scripts/generate_schema.py"


def schema_text() -> str:
    """The text claims/schema.json must hold."""
    from gpt4leak import catalogue_schema

    return json.dumps(catalogue_schema(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file is stale")
    parser.add_argument("--output", type=Path, default=SCHEMA_PATH, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    text = schema_text()
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != text:
            print(f"{args.output} is stale: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
