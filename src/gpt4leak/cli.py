"""The ``gpt4leak`` command: check, explain, claims, report, calibrate.

    gpt4leak check [--format table|markdown|json] [--only ID ...] [--seed N] [--samples N]
                   [--catalogue PATH ...] [--with PATH ...] [--assume ID=VALUE ...] [--claim ID=VALUE ...]
    gpt4leak explain CHECK_ID
    gpt4leak claims [--source ID] [--quantity KEY] [--format table|markdown|json]
    gpt4leak report [--output FILE]          (the Markdown report, citable)
    gpt4leak calibrate                       (the checks on published, true training runs)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap


def _pairs(items: list[str] | None, what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise ValueError(f"--{what} expects ID=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        if k.strip() in out and out[k.strip()] != v.strip():  # the first would be dropped silently
            raise ValueError(f"--{what} gives {k.strip()!r} twice ({out[k.strip()]!r} and {v.strip()!r}): "
                             f"give one value, or run twice")
        out[k.strip()] = v.strip()
    return out


def _positive_int(text: str) -> int:
    """argparse type for --samples: a whole number >= 1 (0 or less crashed inside numpy)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    if n > MAX_SAMPLES:  # 100 million floats per input would take the machine's memory, not more precision
        raise argparse.ArgumentTypeError(f"at most {MAX_SAMPLES:,}, got {n:,}")
    return n


MAX_SAMPLES = 10_000_000


def _width(args) -> int:
    return args.width or min(shutil.get_terminal_size((80, 24)).columns, 100)


def _run_check(args):
    from .checks import check_all
    cat = _catalogue(args)
    return check_all(cat, assumptions=_pairs(_flat(args.assume), "assume"), claims=_pairs(_flat(args.claim), "claim"),
                     only=_flat(args.only), seed=args.seed, samples=args.samples)


def _catalogue(args):
    from .catalogue import load_catalogue
    return load_catalogue(args.catalogue, also=args.with_)


def _flat(groups):
    """Repeated options (``--only a --only b``) and several values after one (``--only a b``) add up."""
    return None if groups is None else [v for g in groups for v in g]


def cmd_check(args) -> int:
    rep = _run_check(args)
    if not rep.results:
        raise ValueError("no check has its inputs in this catalogue (or --only selects none of its results): "
                         "nothing to report")
    if args.format == "json":
        sys.stdout.write(rep.to_json())
    elif args.format == "markdown":
        sys.stdout.write(rep.to_markdown())
    else:
        print(rep.to_table(_width(args)))
    return 0


def cmd_report(args) -> int:
    rep = _run_check(args)
    if not rep.results:
        raise ValueError("no check has its inputs in this catalogue (or --only selects none of its results): "
                         "nothing to report")
    text = rep.to_markdown()
    if not args.no_calibration:
        from .calibration import calibrate
        text += "\n" + calibrate(seed=args.seed, samples=min(args.samples, 20_000)).to_markdown()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        from .sanitize import for_terminal
        print(f"wrote {for_terminal(str(args.output), single_line=True)} ({len(rep)} results, catalogue "
              f"{rep.catalogue.hash}, seed {rep.seed})")
    else:
        sys.stdout.write(text)
    return 0


def cmd_explain(args) -> int:
    from .report import explain
    cat = _catalogue(args)
    text = explain(args.check_id, cat, seed=args.seed, samples=args.samples, width=_width(args))
    if text.endswith("no instance (the catalogue lacks its inputs or its target)"):
        raise ValueError(text)
    print(text)
    return 0


def cmd_claims(args) -> int:
    cat = _catalogue(args)
    claims = list(cat.claims)
    if args.source:
        claims = cat.by_source(args.source)
    if args.quantity:
        from .quantities import quantity_spec
        quantity_spec(args.quantity)
        claims = [c for c in claims if c.quantity == args.quantity]
    if args.format == "json":
        print(json.dumps([c.model_dump(mode="json") for c in claims], ensure_ascii=False, indent=2))
        return 0
    from .report import for_markdown, for_terminal
    if args.format == "markdown":
        print("| id | quantity | value | qualifier | quote |\n|---|---|---|---|---|")
        for c in claims:
            print(f"| `{c.id}` | {c.quantity} | {for_markdown(c.value or c.label)} | {c.qualifier} | "
                  f"{for_markdown(c.quote)} |")
        return 0
    w = _width(args)
    for c in claims:
        print(c.id)
        line = f"{c.quantity} = {c.value if c.value is not None else c.label} ({c.qualifier})"
        print(for_terminal(textwrap.fill(line, w, initial_indent="  ", subsequent_indent="    ")))
        print(for_terminal(textwrap.fill(f"\u201c{c.quote}\u201d", w, initial_indent="  ", subsequent_indent="    ")))
    print(f"{len(claims)} claims")
    return 0


def cmd_calibrate(args) -> int:
    from .calibration import calibrate
    rep = calibrate(args.controls, seed=args.seed, samples=args.samples)
    from .report import for_terminal
    print(for_terminal(rep.to_text(_width(args))))
    return 0 if rep.false_alarms == 0 else 1


class _Parser(argparse.ArgumentParser):
    """argparse, with the user's text in its error messages shown escaped (an unknown argument may carry ESC)."""

    def error(self, message):
        from .sanitize import for_terminal
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {for_terminal(message, single_line=True)}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gpt4leak", description="Fact-check the leaked GPT-4 details.")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    def common(sp, seeded=True):
        sp.add_argument("--catalogue", action="append", default=None, metavar="PATH",
                        help="catalogue folder or file (default: the shipped one); repeat it to load several as one")
        sp.add_argument("--with", dest="with_", action="append", default=[], metavar="PATH",
                        help="a folder or file to check beside the catalogue (the shipped one by default)")
        sp.add_argument("--width", type=int, default=None, help="terminal width (default: the terminal's, <= 100)")
        if seeded:
            sp.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default 0)")
            sp.add_argument("--samples", type=_positive_int, default=100_000, help="Monte Carlo samples per check")

    sp = sub.add_parser("check", help="run every check and print the verdicts")
    common(sp)
    sp.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    sp.add_argument("--only", nargs="+", action="append", default=None, metavar="ID", help="check ids or result-id prefixes")
    sp.add_argument("--assume", nargs="+", action="append", metavar="ID=VALUE", help="override assumptions")
    sp.add_argument("--claim", nargs="+", action="append", metavar="ID=VALUE", help="override claim values (what if)")
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("report", help="the citable Markdown report")
    common(sp)
    sp.add_argument("--output", "-o", default=None)
    sp.add_argument("--no-calibration", action="store_true", help="leave out the calibration section")
    sp.add_argument("--only", nargs="+", action="append", default=None, metavar="ID")
    sp.add_argument("--assume", nargs="+", action="append", metavar="ID=VALUE")
    sp.add_argument("--claim", nargs="+", action="append", metavar="ID=VALUE")
    sp.set_defaults(func=cmd_report)

    sp = sub.add_parser("explain", help="the arithmetic of one check, step by step")
    common(sp)
    sp.add_argument("check_id")
    sp.set_defaults(func=cmd_explain)

    sp = sub.add_parser("claims", help="list the catalogue's claims")
    common(sp, seeded=False)
    sp.add_argument("--source", default=None)
    sp.add_argument("--quantity", default=None)
    sp.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    sp.set_defaults(func=cmd_claims)

    sp = sub.add_parser("calibrate", help="run the checks on published, true training runs")
    common(sp)
    sp.add_argument("--controls", default=None, help="folder of control catalogues (default: the shipped ones)")
    sp.set_defaults(func=cmd_calibrate)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__
        print(__version__)
        return 0
    if not args.command:
        parser.print_help()
        return 0
    from .catalogue import CatalogueError
    from .checks import OverrideError
    from .units import UnitError
    try:
        return args.func(args)
    except BrokenPipeError:  # a closed pipe (| head) is not an error: stop writing, quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not complain either
        return 0
    except (CatalogueError, OverrideError, UnitError, KeyError, ValueError, OSError) as exc:
        from .report import for_terminal
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        lines = str(msg).split("\n")  # our own line breaks (a list of problems) stay; a forged one is escaped
        print("gpt4leak: error: " + "\n".join(for_terminal(line, single_line=True) for line in lines), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
