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

from .outcomes import VERDICT_ORDER as VERDICTS

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


_VERDICT_WORDS = {"unit-slip": "unit_slip", "unit slip": "unit_slip", "slip": "unit_slip", "agrees": "consistent",
                  "agree": "consistent", "derived": "info"}
#: What --fail-on reads: the comparisons of claims (with each other, with other sources, with limits), not the
#: what-ifs (layouts nobody claimed) nor derived figures.
FAIL_ON_CLASSES = ("claim vs claim", "claim vs other source", "claim vs limit")


def _verdicts(text: str | None, option: str) -> tuple[str, ...] | None:
    """'contradiction,unit_slip' -> the verdict names (words a user writes accepted); an unknown word is an error."""
    if text is None:
        return None
    out = []
    for word in (w.strip().lower() for w in text.split(",")):
        v = _VERDICT_WORDS.get(word, word.replace("-", "_").replace(" ", "_"))
        if v not in VERDICTS:
            raise ValueError(f"{option}: unknown verdict {word!r}; known: {', '.join(VERDICTS)}")
        out.append(v)
    return tuple(dict.fromkeys(out))


def _unused_overrides(rep) -> list[str]:
    """Overrides no selected result reads: said on stderr, so a what-if that changes nothing does not pass for one
    that found nothing."""
    used_asm = {a for r in rep.results for a, _, _ in r.assumptions}
    used_claims = set().union(*(r.compared_claims for r in rep.results)) if rep.results else set()
    out = []
    for k in rep.assumption_overrides:
        if k not in used_asm:
            out.append(f"--assume {k}: no selected check uses this assumption (a claim may state the figure "
                       f"instead; see `gpt4leak explain CHECK`)")
    for k in rep.claim_overrides:
        if k not in used_claims:
            out.append(f"--claim {k}: no selected check reads this claim")
    return out


def _after_run(rep, args) -> int:
    """Notes on stderr, and the exit code --fail-on asks for (1 when a judged comparison has a listed verdict)."""
    from .sanitize import for_terminal
    for note in _unused_overrides(rep):
        print(f"gpt4leak: note: {for_terminal(note, single_line=True)}", file=sys.stderr)
    fail_on = _verdicts(getattr(args, "fail_on", None), "--fail-on")
    if not fail_on:
        return 0
    hits = [r for r in rep.results if r.result_class in FAIL_ON_CLASSES and r.verdict in fail_on]
    if hits:
        counts = {v: sum(r.verdict == v for r in hits) for v in fail_on}
        print("gpt4leak: --fail-on: " + ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in counts.items() if n)
              + " (exit 1)", file=sys.stderr)
        return 1
    return 0


def cmd_check(args) -> int:
    rep = _run_check(args)
    if not rep.results:
        raise ValueError("no check has its inputs in this catalogue (or --only selects none of its results): "
                         "nothing to report")
    verdicts = _verdicts(args.verdict, "--verdict")
    if args.format == "json":
        sys.stdout.write(rep.to_json())
    elif args.format == "markdown":
        sys.stdout.write(rep.to_markdown(_command(args)))
    else:
        print(rep.to_table(_width(args), details=args.details, verdicts=verdicts))
    return _after_run(rep, args)


def _command(args) -> str:
    """The command line as given (the report prints it as the way to reproduce it)."""
    import shlex
    return shlex.join(["gpt4leak", *getattr(args, "argv", [])])


_REPORT_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def cmd_report(args) -> int:
    fmt = args.format
    if args.output and fmt is None:
        suffix = os.path.splitext(args.output)[1].lower()
        if suffix not in _REPORT_FORMATS:
            raise ValueError(f"--output {args.output!r}: cannot tell the format from the suffix {suffix!r}: name the "
                             f"file .md or .html, or give --format markdown|html")
        fmt = _REPORT_FORMATS[suffix]
    fmt = fmt or "markdown"
    rep = _run_check(args)
    if not rep.results:
        raise ValueError("no check has its inputs in this catalogue (or --only selects none of its results): "
                         "nothing to report")
    cmd = _command(args)
    appendix = ""
    if not args.no_calibration:
        from .calibration import calibrate
        appendix = calibrate(seed=args.seed, samples=min(args.samples, 20_000)).to_markdown()
    if fmt == "html":
        text = rep.to_html(cmd, figures=not args.no_figures, appendix=appendix)
    else:
        text = rep.to_markdown(cmd) + ("\n" + appendix if appendix else "")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        from .sanitize import for_terminal
        print(f"wrote {for_terminal(str(args.output), single_line=True)} ({fmt}, {len(rep)} results, catalogue "
              f"{rep.catalogue.hash}, seed {rep.seed})")
    else:
        sys.stdout.write(text)
    return _after_run(rep, args)


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


LISTABLE = ("checks", "quantities", "assumptions", "sources", "hardware", "subjects", "scenarios")
PLOT_KINDS = ("forest", "tradeoff", "memory", "distribution")


def _list_rows(what: str, args) -> list[tuple[str, str]]:
    """(id, what it is) for every check, quantity key, assumption, source, GPU, subject or scenario."""
    if what == "checks":
        from .checks import CHECKS
        return [(c.id, c.question) for c in CHECKS]
    if what == "quantities":
        from .quantities import QUANTITIES
        return [(k, f"[{q.unit or 'label'}] {q.description}") for k, q in QUANTITIES.items()]
    if what == "hardware":
        from .hardware import GPUS
        return [(g.id, g.name) for g in GPUS.values()]
    cat = _catalogue(args)
    if what == "assumptions":
        from .checks import assumption_table
        return [(aid, f"{text} ({source})") for aid, (_, text, source) in sorted(assumption_table(cat).items())]
    if what == "sources":
        return [(s.id, f"{s.kind}, {s.language}: {s.title}") for s in cat.sources]
    if what == "subjects":
        return [(s.id, f"{s.kind}: {s.name}") for s in cat.subjects]
    return [(s.id, f"{s.kind}: {s.description}") for s in cat.scenarios]


def _executor(args):
    if args.workers and args.scheduler:
        raise ValueError("solve: give --workers or --scheduler, not both")
    if args.scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise ValueError('--scheduler needs Dask: pip install "gpt4leak[dask]"') from None
        return Client(args.scheduler).get_executor()
    if args.workers and args.workers > 1:
        from concurrent.futures import ProcessPoolExecutor
        return ProcessPoolExecutor(max_workers=args.workers)
    return None


def _progress(total: int):
    """A progress bar on a terminal (tqdm), nothing when the output is not one."""
    if not sys.stderr.isatty():
        return None, None
    try:
        from tqdm import tqdm
    except ImportError:
        return None, None
    bar = tqdm(total=total, unit="chunk", leave=False, file=sys.stderr)
    return bar, bar.update


def cmd_solve(args) -> int:
    from . import solver
    executor = _executor(args)
    try:
        given = [c for group in (args.constraint or []) for c in group]
        ids = [c for group in (args.claims or []) for c in group]
        w = _width(args)
        if not given and not ids:
            return _solve_questions(args, executor, w)
        cons = [solver.constraint(c) for c in given]
        if ids:
            cons += solver.constraints_from_claims(ids, _catalogue(args))
        space = solver.load_space(args.space, args.space_name)
        bar, update = _progress(-(-space.size // (1 << 18)))
        sol = solver.solve(cons, space, top=args.top, executor=executor, progress=update,
                           pruning=not args.no_prune)
        if bar is not None:
            bar.close()
        if args.plot:
            from . import plots
            plots.save(plots.feasible_region(sol), args.plot)
        if args.format == "json":
            print(json.dumps(sol.to_dict(), indent=2))
            return 0
        from .sanitize import for_terminal
        print(for_terminal("\n".join(textwrap.fill(line, w, subsequent_indent="    ") for line in
                                      [solver.answer(sol), ""] + sol.summary())))
        print(for_terminal(_candidate_table(sol, w)))
        return 0
    finally:
        if executor is not None and hasattr(executor, "shutdown"):
            executor.shutdown()


def _candidate_table(sol, width: int) -> str:
    """The best candidates, one line each, every dimension that tells them apart (JSON has all of it)."""
    if not sol.top:
        return ""
    from .formatting import human
    d0 = sol.top[0].derived
    arch = "n_layers" in d0
    cols = (["#", "L", "d_model", "heads", "kv", "d_head", "d_ff", "mlp", "E", "k", "vocab", "tied", "total",
             "active"] if arch else ["#"]) + [h for h, k in (("GPUs", "n_gpus"), ("days", "training_days"),
                                                            ("MFU", "mfu"), ("compute", "training_flop"),
                                                            ("cost", "training_cost")) if k in d0]
    rows = []
    for c in sol.top:
        d, v = c.derived, c.values
        row = [str(c.rank)]
        if arch:
            row += [f"{d['n_layers']:,.0f}", f"{d['d_model']:,.0f}", f"{d['n_heads']:,.0f}", f"{d['n_kv_heads']:,.0f}",
                    f"{d['d_head']:,.0f}", f"{d['d_ff']:,.0f}", "gated" if v.get("gated", 0) else "2-mat",
                    f"{d['n_experts']:,.0f}", f"{d['experts_per_token']:,.0f}", f"{d['vocab_size'] / 1e3:,.0f}k",
                    "yes" if v.get("tied", 0) else "no", human(d["total_params"], "parameter").split()[0],
                    human(d["active_params"], "parameter").split()[0]]
        for k, unit in (("n_gpus", "GPU"), ("training_days", "day"), ("mfu", "percent"),
                        ("training_flop", "FLOP"), ("training_cost", "USD")):
            if k in d:
                row.append(human(d[k], unit))
        rows.append(row)
    widths = [max(len(r[i]) for r in [cols, *rows]) for i in range(len(cols))]
    lines = ["", " ".join(h.rjust(n) for h, n in zip(cols, widths))]
    lines += [" ".join(x.rjust(n) for x, n in zip(r, widths)) for r in rows]
    return "\n".join(line[:width] for line in lines)


def _solve_questions(args, executor, w: int) -> int:
    from . import solver
    answers = solver.gpt4_questions(args.space, executor=executor)
    if args.format == "json":
        print(json.dumps([{"question": q, "answer": a, "solution": sol.to_dict()} for q, sol, a in answers],
                         indent=2))
        return 0
    for q, sol, a in answers:
        print(textwrap.fill(q, w))
        print(textwrap.fill(a, w, initial_indent="  ", subsequent_indent="  "))
        print()
    print(textwrap.fill("Spaces: claims/solve/gpt4_space.yaml (copy it and pass --space); your own constraints: "
                        "--constraint KEY=LOW..HIGH UNIT or --claims ID.", w))
    return 0


def cmd_schema(args) -> int:
    if args.what == "check":
        from .output_schema import check_output_schema
        schema = check_output_schema()
    else:
        from .catalogue import catalogue_schema
        schema = catalogue_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


def cmd_list(args) -> int:
    rows = _list_rows(args.what, args)
    if args.format == "json":
        print(json.dumps([{"id": i, "description": d} for i, d in rows], ensure_ascii=False, indent=2))
        return 0
    from .sanitize import for_terminal
    w = _width(args)
    for i, d in rows:
        print(for_terminal(i, single_line=True))
        print(for_terminal(textwrap.fill(d, w, initial_indent="  ", subsequent_indent="    ")))
    print(f"{len(rows)} {args.what}")
    return 0


def cmd_plot(args) -> int:
    from . import plots
    try:
        import matplotlib  # noqa: F401  (the plot extra)
    except ImportError:
        raise ValueError('plots need matplotlib: pip install "gpt4leak[plot]"') from None
    rep = _run_check(args) if args.kind in ("forest", "distribution") else None
    kw = {}
    if args.kind == "distribution":
        if not args.check:
            raise ValueError("plot distribution: name the check or result with --check ID")
        matches = [r for r in rep.results if r.id == args.check] or \
            [r for r in rep.results if r.check_id == args.check]
        if not matches:
            raise ValueError(f"plot distribution: no result of {args.check!r} (see `gpt4leak list checks`)")
        kw["result"] = matches[0]
    fig = plots.plot(args.kind, rep, **kw)
    plots.save(fig, args.output)
    from .sanitize import for_terminal
    print(f"wrote {for_terminal(str(args.output), single_line=True)}")
    return _after_run(rep, args) if rep is not None else 0


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

    def selection(sp):
        sp.add_argument("--only", nargs="+", action="append", default=None, metavar="ID",
                        help="check ids or result-id prefixes to run (see `gpt4leak list checks`)")
        sp.add_argument("--assume", nargs="+", action="append", metavar="ID=VALUE",
                        help="override an assumption, e.g. price.a100_hour=1.5USD/GPU/hour (see `gpt4leak list "
                             "assumptions`); an override no selected check uses is reported")
        sp.add_argument("--claim", nargs="+", action="append", metavar="ID=VALUE",
                        help="what if a claim said another value, e.g. peleg2023.n_experts=8")
        sp.add_argument("--fail-on", default=None, metavar="VERDICTS",
                        help="exit 1 when a comparison of claims (not a what-if) has one of these verdicts, "
                             "comma-separated: contradiction,unit_slip,tension")

    sp = sub.add_parser("check", help="run every check and print the findings",
                        description="Run every check on the catalogue and print the findings, alarms first.")
    common(sp)
    sp.add_argument("--format", choices=("table", "markdown", "json"), default="table",
                    help="table (terminal text, the default), markdown (the report) or json (every result, base units)")
    sp.add_argument("--details", action="store_true",
                    help="after the findings, every result with its derivation and how far it must move")
    sp.add_argument("--verdict", default=None, metavar="VERDICTS",
                    help="show only these verdicts, comma-separated: unit_slip, contradiction, tension, consistent, "
                         "undetermined, info")
    selection(sp)
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("report", help="the citable report (Markdown or self-contained HTML)",
                        description="Write the citable report: key findings, a section per finding, sources, how to "
                                    "cite, and the command that reproduces it.")
    common(sp)
    sp.add_argument("--output", "-o", default=None, metavar="FILE",
                    help="write to FILE (its suffix, .md or .html, gives the format); default: standard output")
    sp.add_argument("--format", choices=("markdown", "html"), default=None,
                    help="markdown or html (default: from the --output suffix, else markdown)")
    sp.add_argument("--no-calibration", action="store_true", help="leave out the calibration section")
    sp.add_argument("--no-figures", action="store_true", help="HTML: leave out the embedded plot")
    selection(sp)
    sp.set_defaults(func=cmd_report)

    sp = sub.add_parser("solve", help="every architecture or run consistent with the claims, and what must give",
                        description="Search a space of shapes (or runs) for those inside every constraint; with no "
                                    "constraint, answer the leak's three questions over the shipped spaces.")
    sp.add_argument("--constraint", nargs="+", action="append", default=None, metavar="KEY=LOW..HIGH UNIT",
                    help="a constraint, e.g. 'total_params=1.7..1.9 trillion parameters' or n_kv_heads=1")
    sp.add_argument("--claims", nargs="+", action="append", default=None, metavar="ID",
                    help="claims of the catalogue as constraints, their intervals from their wording")
    sp.add_argument("--space", default=None, metavar="FILE",
                    help="a space file (default: the shipped GPT-4 one; copy claims/solve/gpt4_space.yaml)")
    sp.add_argument("--space-name", default=None, metavar="NAME",
                    help="which space of the file (default: its first, 'architecture' in the shipped one)")
    sp.add_argument("--top", type=_positive_int, default=10, help="candidates to show (default 10)")
    sp.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or json")
    sp.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                    help="spread the chunks over N processes")
    sp.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="a Dask scheduler (tcp://host:8786) to spread the chunks over (the dask extra)")
    sp.add_argument("--no-prune", action="store_true", help="evaluate every candidate (slower; same answer)")
    sp.add_argument("--plot", default=None, metavar="FILE",
                    help="also draw the feasible d_model x d_ff by attention kind to FILE.png or FILE.svg")
    sp.add_argument("--catalogue", action="append", default=None, metavar="PATH",
                    help="catalogue folder or file the --claims come from (default: the shipped one)")
    sp.add_argument("--with", dest="with_", action="append", default=[], metavar="PATH",
                    help="a folder or file added to the catalogue")
    sp.add_argument("--width", type=int, default=None, help="terminal width (default: the terminal's, <= 100)")
    sp.set_defaults(func=cmd_solve)

    sp = sub.add_parser("schema", help="print a JSON Schema: of the check output or of a catalogue file",
                        description="Print the JSON Schema of `gpt4leak check --format json` (check) or of a "
                                    "catalogue file (catalogue).")
    sp.add_argument("what", choices=("check", "catalogue"), help="check (the JSON output) or catalogue (a YAML file)")
    sp.set_defaults(func=cmd_schema)

    sp = sub.add_parser("list", help="list check ids, quantity keys, assumptions, sources or hardware",
                        description="List what ids and keys a catalogue, an --only or an --assume may name.")
    sp.add_argument("what", choices=LISTABLE, help="what to list")
    sp.add_argument("--catalogue", action="append", default=None, metavar="PATH",
                    help="catalogue folder or file (default: the shipped one), for sources and assumptions")
    sp.add_argument("--with", dest="with_", action="append", default=[], metavar="PATH",
                    help="a folder or file added to the catalogue")
    sp.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or json")
    sp.add_argument("--width", type=int, default=None, help="terminal width (default: the terminal's, <= 100)")
    sp.set_defaults(func=cmd_list)

    sp = sub.add_parser("plot", help="draw a plot (needs the plot extra: matplotlib)",
                        description="Draw one plot and write it as PNG or SVG.")
    common(sp)
    sp.add_argument("kind", choices=PLOT_KINDS, help="forest (findings), tradeoff (GPUs x days x MFU), memory "
                                                     "(per-GPU bytes), distribution (one check's Monte Carlo)")
    sp.add_argument("--output", "-o", required=True, metavar="FILE", help="FILE.png or FILE.svg")
    sp.add_argument("--check", default=None, metavar="ID", help="distribution: the check or result id to draw")
    selection(sp)
    sp.set_defaults(func=cmd_plot)

    sp = sub.add_parser("explain", help="the arithmetic of one check, step by step")
    common(sp)
    sp.add_argument("check_id", help="a check id or result id (see `gpt4leak list checks`)")
    sp.set_defaults(func=cmd_explain)

    sp = sub.add_parser("claims", help="list the catalogue's claims")
    common(sp, seeded=False)
    sp.add_argument("--source", default=None, metavar="ID", help="only this source's claims")
    sp.add_argument("--quantity", default=None, metavar="KEY", help="only claims of this quantity key")
    sp.add_argument("--format", choices=("table", "markdown", "json"), default="table",
                    help="table (default), markdown or json")
    sp.set_defaults(func=cmd_claims)

    sp = sub.add_parser("calibrate", help="run the checks on published, true training runs")
    common(sp)
    sp.add_argument("--controls", default=None, help="folder of control catalogues (default: the shipped ones)")
    sp.set_defaults(func=cmd_calibrate)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
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
