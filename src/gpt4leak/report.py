"""Faces of a :class:`~gpt4leak.checks.Report`: terminal table, Markdown, JSON, HTML, explanations.

None of these computes anything: they format the results the engine produced.
Every number carries its unit; every result names its claims, sources and quotes.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from html import escape

from .sanitize import for_markdown, for_terminal
from .outcomes import VERDICT_COLOURS
from .units import conversion

__all__ = ["to_table", "to_markdown", "to_json", "to_html", "explain_text", "explain", "step_lines", "for_terminal",
           "for_markdown"]


_MARK = {"consistent": "CONSISTENT", "tension": "TENSION", "contradiction": "CONTRADICTION",
         "unit_slip": "UNIT SLIP", "info": "INFO", "undetermined": "UNDETERMINED"}
_JUDGED = ("consistent", "tension", "contradiction", "unit_slip")


def _count_text(counts: dict, verdicts=_JUDGED) -> str:
    return ", ".join(f"{counts[v]} {v.replace('_', ' ')}" for v in verdicts if counts.get(v))


def class_lines(report) -> list[str]:
    """The counts by result class, headline first: what a reader should quote, then limits and what-ifs."""
    from .checks import HEADLINE_CLASSES
    head = report.headline()
    lines = [f"Claims against claims (headline): {_count_text(head) or 'none judged'}"]
    lent = _count_text(report.borrowing())
    if lent:
        lines.append(f"Claims against claims with an input another source lent: {lent}")
    for cls, c in report.counts_by_class().items():
        if cls in HEADLINE_CLASSES or cls == "derived":
            continue
        lines.append(f"{cls[0].upper() + cls[1:]}: {_count_text(c) or 'none judged'}")
    extra = report.counts()
    more = _count_text(extra, ("info", "undetermined"))
    if more:
        lines.append(f"Derived figures with nothing claimed: {more}")
    return lines


def independent_lines(report) -> list[str]:
    """What sources independent of the leak say of each of its numbers: agree, disagree, or silent."""
    rows = report.independent_view()
    if not rows:
        return []
    spoken = [r for r in rows if r["agree"] or r["disagree"]]
    lines = [f"Independent sources on the leak's {len(rows)} numbers: {len(spoken)} stated elsewhere, "
             f"{len(rows) - len(spoken)} silent"]
    for r in spoken:
        parts = ([f"{len(r['agree'])} agree ({', '.join(r['agree'])})"] if r["agree"] else []) + (
            [f"{len(r['disagree'])} disagree (" + ", ".join(f"{s}: {v.replace('_', ' ')}" for s, v in r["disagree"])
             + ")"] if r["disagree"] else [])
        lines.append(f"{for_terminal(r['value'], single_line=True)} [{r['claim']}]: {'; '.join(parts)}")
    return lines


def _version() -> str:
    from . import __version__
    return __version__


def _ratio(r) -> str:
    if r.ratio is None:
        return ""
    return f"ratio {r.ratio:.3g}"


def _sources(r) -> str:
    src = r.input_sources[0] + (f" (+{', '.join(r.input_sources[1:])})" if len(r.input_sources) > 1 else "")
    return src


def _robust_text(r) -> str:
    if r.robust is None:
        return ""
    word = "robust" if r.robust else "fragile"
    return word if r.margin is None else f"{word} (margin {100 * r.margin:.2g} %)"


#: Section titles of the findings, by (result class, lent): what a reader asks of each group.
SECTIONS = {("claim vs claim", False): "Each source's numbers against its own other numbers",
            ("claim vs other source", False): "Numbers against other sources' numbers",
            ("claim vs claim", True): "With an input another source lent",
            ("claim vs other source", True): "With an input another source lent",
            ("claim vs limit", False): "Against physical limits", ("claim vs limit", True): "Against physical limits",
            ("what-if", False): "What-ifs: layouts and settings nobody claimed",
            ("what-if", True): "What-ifs: layouts and settings nobody claimed",
            ("derived", False): "Derived figures with nothing claimed",
            ("derived", True): "Derived figures with nothing claimed"}


def report_findings(report, verdicts=None):
    """The findings a face shows: every judged one (derived figures only when ``verdicts`` asks for info)."""
    from .findings import findings
    return findings(report, verdicts=verdicts or ("unit_slip", "contradiction", "tension", "undetermined",
                                                  "consistent"))


def findings_lines(report, width: int = 80, verdicts=None) -> list[str]:
    """The findings as text: a heading per section, one wrapped sentence per finding with its check id."""
    w = max(width, 60)
    lines: list[str] = []
    section = None
    for f in report_findings(report, verdicts):
        title = SECTIONS[(f.result_class, f.lent)]
        if title != section:
            section = title
            lines += ["", title, "=" * min(len(title), w)]
        text = f"{_MARK[f.verdict]}: {f.sentence} [{f.check_id}]"
        lines.extend(textwrap.wrap(text, w, subsequent_indent="    ", break_on_hyphens=False))
    return lines


def _head_lines(report, w: int) -> list[str]:
    lines = [f"gpt4leak {_version()} · catalogue {report.catalogue.hash} · seed {report.seed} · "
             f"{report.samples} samples"[:w]]
    for line in class_lines(report):
        lines.extend(textwrap.wrap(line, w, subsequent_indent="    "))
    for i, line in enumerate(independent_lines(report)):
        lines.extend(textwrap.wrap(line, w, initial_indent="" if i == 0 else "  ", subsequent_indent="    "))
    return lines


def to_table(report, width: int = 80, *, details: bool = False, verdicts=None) -> str:
    """Plain text, at most ``width`` columns: the counts, then the findings (one sentence each, alarms first in
    each section); with ``details`` every result follows, two to four lines each. ``verdicts`` filters both."""
    w = max(width, 60)
    lines = _head_lines(report, w) + findings_lines(report, w, verdicts)
    if details:
        lines += ["", "-" * min(w, 80), "Every result, with its derivation (`gpt4leak explain CHECK` for the "
                  "arithmetic)"[:w], "-" * min(w, 80)]
        lines += _detail_lines(report, w, verdicts)
    else:
        lines += ["", textwrap.fill("Every result with its derivation: --details; the arithmetic of one check: "
                                    "gpt4leak explain CHECK_ID" + ("" if verdicts else
                                                                  "; filter: --verdict contradiction,unit_slip"), w)]
    return for_terminal("\n".join(lines))


def _detail_lines(report, w: int, verdicts=None) -> list[str]:
    lines: list[str] = []
    for r in report.results:
        if verdicts is not None and r.verdict not in verdicts:
            continue
        lines.extend(textwrap.wrap(r.id, w, subsequent_indent="    ", break_on_hyphens=False) or [r.id])
        body = f"{_MARK[r.verdict]}: derived {r.derived_text}" if r.verdict != "undetermined" else \
            f"{_MARK[r.verdict]}: no finite derivation"
        if r.claimed_low is not None:
            body += f"; claimed {r.claimed_text}"
        if r.ratio is not None and not r.is_bound:
            body += f"; {_ratio(r)}"
        rb = _robust_text(r)
        if rb:
            body += f"; {rb}"
        lines.extend(textwrap.wrap(body, w, initial_indent="  ", subsequent_indent="    "))
        if r.slip is not None:
            lines.extend(textwrap.wrap(r.slip_text, w, initial_indent="  ", subsequent_indent="    "))
        if r.reason:
            lines.extend(textwrap.wrap(r.reason, w, initial_indent="  ", subsequent_indent="    "))
        for note in r.notes:
            if note.startswith("consistent only under"):
                lines.extend(textwrap.wrap(note, w, initial_indent="  ", subsequent_indent="    "))
        for flip in r.robustness[:1]:  # the nearest; `gpt4leak explain` lists them all
            lines.extend(textwrap.wrap(f"flips to {flip.new_verdict} if {flip.text}", w, initial_indent="  ",
                                       subsequent_indent="    "))
    return lines


def step_lines(r) -> list[str]:
    """A result's arithmetic (its structured steps) as lines of text, numbers with their units."""
    from .formatting import human, human_range

    def auto(x, unit):
        return human(float(x), unit, digits=4)

    def shown(x):
        return human(float(x), r.human_unit, digits=4)

    out = []
    for st in r.steps:
        if st.kind == "input":
            rng = human_range(float(st.low), float(st.high), st.unit, digits=4)
            out.append(f"{st.name} = {rng}  [{st.ref}: {st.detail}]")
        elif st.kind == "assumption":
            out.append(f"{st.name} = {st.text}  [assumption {st.ref}: {st.detail}]")
        elif st.kind == "unstated":
            out.append(f"{st.name}: not stated (the convention in the equation applies)")
        elif st.kind == "equation":
            out.append(st.detail)
        elif st.kind == "intermediate":
            out.append(f"  {st.name} = {auto(st.low, st.unit)} (median)")
        elif st.kind == "derived":
            med, p5, p95 = st.values
            out.append(f"derived = {shown(med)} (median), 5-95 %: {human_range(p5, p95, r.human_unit, digits=4)}, "
                       f"bounds {human_range(st.low, st.high, r.human_unit, digits=4)}")
        elif st.kind == "limit":
            out.append(f"limit = at most {shown(st.high)}  [{st.ref}]")
        elif st.kind == "claimed":
            claimed = human_range(st.low, st.high, r.human_unit, digits=4)
            out.append(f"claimed = {claimed}  [{st.ref}]")
        elif st.kind == "verdict" and st.detail:
            out.append(f"-> {st.name}: {st.detail}")
        elif st.kind == "verdict":
            ratio, gap = st.values
            out.append((f"ratio claimed/derived = {ratio:.3g}; " if ratio is not None else "")
                       + f"gap factor {gap:.3g} -> {st.name}")
        elif st.kind == "cap":
            out.append(f"-> {st.name}: {st.detail}")
    return out


def explain(check_or_result_id: str, catalogue=None, *, width: int = 80, **kwargs) -> str:
    """The arithmetic of one check (every instance of it), step by step with units, as text ``width`` wide."""

    from .checks import check_all, check_by_id
    from .checks.core import check_id_of
    rep = check_all(catalogue, only=[check_or_result_id], **kwargs)
    if not rep.results:
        check_by_id(check_id_of(check_or_result_id))  # raises for unknown ids
        return f"{check_or_result_id}: no instance (the catalogue lacks its inputs or its target)"
    return "\n\n".join(explain_text(r, width) for r in rep.results)


def explain_text(r, width: int = 80) -> str:
    """One result's question, inputs with quotes, assumptions and arithmetic, step by step."""
    out = [f"{r.id}", f"  {r.question}", f"  verdict: {r.verdict.replace('_', ' ')} ({r.result_class})"]
    if r.reason:
        out += textwrap.wrap(r.reason, width, initial_indent="  ", subsequent_indent="    ")
    if r.slip is not None:
        out += textwrap.wrap(r.slip_text, width, initial_indent="  ", subsequent_indent="    ")
    out.append("  arithmetic:")
    for s in step_lines(r):
        out += textwrap.wrap(s, width, initial_indent="    ", subsequent_indent="      ")
    out.append("  quotes:")
    seen = set()
    for c in (*r.input_claims, *([r.target_claim] if r.target_claim else []), *r.quotes):
        if c.id in seen:
            continue
        seen.add(c.id)
        out += textwrap.wrap(f"[{c.id}] \u201c{c.quote}\u201d" + (f" ({c.gloss})" if c.gloss else ""), width,
                             initial_indent="    ", subsequent_indent="      ")
    if r.target_sources:
        out.append(f"  target claimed by: {', '.join(r.target_sources)}")
    out.append(f"  inputs from: {', '.join(r.input_sources)}")
    if r.borrowed:
        out += textwrap.wrap(f"lent by another source (the inputs' source does not state them): "
                             f"{', '.join(r.borrowed)}; counted apart from the headline", width,
                             initial_indent="  ", subsequent_indent="    ")
    if r.support:
        out.append("  independent sources behind each number:")
        for sp in r.support:
            out += textwrap.wrap(f"{sp.claim_id}: {sp.independent} ({', '.join(sp.roots) or 'none: computed'})"
                                 + (f" via {', '.join(sp.sources)}" if sp.sources else ""), width,
                                 initial_indent="    ", subsequent_indent="      ")
    for n in r.notes:
        out += textwrap.wrap(f"note: {n}", width, initial_indent="  ", subsequent_indent="    ")
    for flip in r.robustness:
        out += textwrap.wrap(f"flips to {flip.new_verdict} if {flip.text}", width, initial_indent="  ",
                             subsequent_indent="    ")
    return for_terminal("\n".join(out))


def _num(x: float | None):
    """A JSON number with 6 significant digits; an unbounded end ("more than X") is null."""
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.6g}")



def _step_dict(st) -> dict:
    """A structured step for JSON: base units, 6 significant digits, null for an unbounded end."""
    d = st.as_dict()
    for k in ("low", "high"):
        if k in d:
            d[k] = _num(d[k])
    if "values" in d:
        d["values"] = [_num(v) if isinstance(v, float) else v for v in d["values"]]
    return d


def _conv(r, x):
    if x is None or not math.isfinite(x):
        return _num(x)
    return _num(x * conversion(r.unit, r.display_unit)[0])


def _result_dict(report, r) -> dict:
    d = {
        "id": r.id,
        "check": r.check_id,
        "question": r.question,
        "subject": r.subject,
        "scenario": r.scenario,
        "sources": list(r.input_sources),
        "target_sources": list(r.target_sources),
        "verdict": r.verdict,
        "result_class": r.result_class,
        "borrowed": list(r.borrowed),
        "keys": list(r.keys),
        "reason": r.reason,
        "claimed": None if r.claimed_low is None else {
            "low": _conv(r, r.claimed_low), "high": _conv(r, r.claimed_high), "unit": r.display_unit,
            "claim": r.claimed_label},
        "derived": {"median": _conv(r, r.derived_median), "low": _conv(r, r.derived_p5),
                    "high": _conv(r, r.derived_p95), "bound_low": _conv(r, r.derived_low),
                    "bound_high": _conv(r, r.derived_high), "unit": r.display_unit},
        "base": {"unit": r.unit,
                 "derived": {"median": _num(r.derived_median), "p5": _num(r.derived_p5), "p95": _num(r.derived_p95),
                             "low": _num(r.derived_low), "high": _num(r.derived_high)},
                 "claimed": None if r.claimed_low is None else {"low": _num(r.claimed_low),
                                                                 "high": _num(r.claimed_high)}},
        "text": {"derived": r.derived_text, "claimed": r.claimed_text},
        "ratio": _num(r.ratio),
        "gap_factor": _num(r.gap),
        "inputs": [{"id": c.id, "source": c.source, "value": c.value, "qualifier": c.qualifier,
                    "rule": c.rule, "quote": c.quote} for c in r.input_claims],
        "assumptions": [{"id": a, "value": v, "source": s} for a, v, s in r.assumptions],
        "steps": step_lines(r),
        "arithmetic": [_step_dict(st) for st in r.steps],
        "notes": list(r.notes),
        "robust": r.robust,
        "margin": _num(r.margin),
        "support": [sp.as_dict() for sp in r.support],
        "robustness": [f.as_dict() for f in r.robustness],
        "seed": report.seed,
        "samples": report.samples,
        "catalogue_hash": report.catalogue.hash,
        "gpt4leak_version": _version(),
    }
    if r.slip is not None:
        d["unit_slip"] = {"factor": r.slip.factor, "reading": r.slip.reading,
                          "corrected": {"low": _conv(r, r.slip.corrected_low), "high": _conv(r, r.slip.corrected_high),
                                        "unit": r.display_unit}}
    return d


def to_json(report) -> str:
    """An array of objects, one per result (stable key order: byte-identical for the same seed)."""
    return json.dumps([_result_dict(report, r) for r in report.results], ensure_ascii=False, indent=2) + "\n"


def rerun_command(report, command: str | None = None) -> str:
    """The command that reproduces ``report``: the one the CLI was given, or one built from the report's own
    settings (seed, samples, selection, overrides, catalogue path)."""
    if command:
        return command
    import shlex
    args = ["gpt4leak", "report", "--seed", str(report.seed), "--samples", str(report.samples)]
    from .catalogue import default_catalogue_path
    if report.catalogue.path and report.catalogue.path != str(default_catalogue_path()):
        args += ["--catalogue", report.catalogue.path]
    for o in report.only:
        args += ["--only", o]
    for k, v in report.assumption_overrides.items():
        args += ["--assume", f"{k}={v}"]
    for k, v in report.claim_overrides.items():
        args += ["--claim", f"{k}={v}"]
    return shlex.join(args)


def report_title(report) -> str:
    """"Fact-check: the leaked details of GPT-4": the subject most of the catalogue's claims are about."""
    from collections import Counter
    counts = Counter(c.subject for c in report.catalogue.claims)
    if not counts:
        return "Fact-check"
    subject = counts.most_common(1)[0][0]
    try:
        name = report.catalogue.subject(subject).name
    except KeyError:
        name = subject
    leaked = any(s.kind == "leak" for s in report.catalogue.sources)
    return f"Fact-check: {'the leaked details of ' if leaked else ''}{name}"


def _md(text) -> str:
    return for_markdown(str(text))


def _code(text) -> str:
    """An id as a Markdown code span: ids are plain ASCII by their patterns, but a backtick or a line break
    (from an override's key, say) would end the span, so those are dropped."""
    return "`" + for_terminal(str(text), single_line=True).replace("`", "'") + "`"


def _override_lines(report) -> list[str]:
    out = [f"- assumption {_code(k)} = {_md(v)}" for k, v in report.assumption_overrides.items()]
    return out + [f"- claim {_code(k)} = {_md(v)}" for k, v in report.claim_overrides.items()]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text)


def _quote_lines(r, catalogue) -> list[str]:
    """Each quote once (several claims may rest on one sentence), with the claims it gives, its source (linked to
    the bibliography), its language and, for a non-English quote, the English gloss."""
    quotes: dict[tuple[str, str], list] = {}
    for cl in (*r.input_claims, *([r.target_claim] if r.target_claim else []), *r.quotes):
        ids = quotes.setdefault((cl.source, cl.quote), [])
        if cl not in ids:
            ids.append(cl)
    out = []
    for (source, quote), claims in quotes.items():
        try:
            lang = catalogue.source(source).language
        except KeyError:
            lang = "?"
        gloss = next((c.gloss for c in claims if c.gloss), "")
        gloss = f" (English: {_md(gloss)})" if gloss and lang != "en" else ""
        ids = ", ".join(_code(c.id) for c in claims)
        out += [f"> “{_md(quote)}”{gloss} — [{_md(source)}](#src-{_slug(source)}), {ids}, language {_md(lang)}", ">"]
    return out[:-1]


def _arithmetic(r) -> list[str]:
    fence = "`" * 3
    return ["Arithmetic:", "", fence + "text",
            *(for_terminal(line, single_line=True).replace(fence, "'" * 3) for line in step_lines(r)), fence, ""]


def _finding_md(f, report) -> list[str]:
    r = f.results[0]
    where = (f", subject {_md(r.subject)}" if r.subject != "gpt-4" else "") + (
        f", scenario {_md(r.scenario)}" if r.scenario != "main" else "")
    written = (f" ({_code(r.target_claim.id)}, written “{_md(r.target_claim.value)}”)"
               if r.target_claim is not None and r.target_claim.value else "")
    out = [f'<a id="{f.anchor}"></a>', "", f"### {_MARK[f.verdict]}: {_md(f.title)}", "", _md(f.sentence) + ".", "",
           f"- Question: {_md(r.question)} (check `{r.check_id}`, {r.result_class}{where})",
           f"- Derived: {_md(r.derived_text)}", f"- Claimed: {_md(r.claimed_text)}{written}"]
    if r.ratio is not None and not r.is_bound:
        out.append(f"- Ratio claimed / derived: {r.ratio:.3g}")
    if r.slip is not None:
        out.append(f"- Unit slip: {_md(r.slip_text)}")
    if r.reason:
        out.append(f"- Why: {_md(r.reason)}")
    if r.borrowed:
        out.append("- Lent by another source: " + ", ".join(f"{_code(b)}" for b in r.borrowed))
    for flip in r.robustness[:3]:
        out.append(f"- How far it must move: flips to {flip.new_verdict.replace('_', ' ')} if {_md(flip.text)}")
    if r.robust is not None:
        out.append(f"- Holds over the documented plausible ranges of every input: {'yes' if r.robust else 'no'}")
    out += ["", *_quote_lines(r, report.catalogue), ""]
    if r.assumptions:
        out += ["Assumptions:", ""] + [f"- {_code(a)} = {_md(v)} ({_md(src)})" for a, v, src in r.assumptions] + [""]
    out += _arithmetic(r)
    for n in r.notes:
        out += [f"Note: {_md(n)}", ""]
    if len(f.results) > 1:
        out += [f"The same finding, {len(f.results) - 1} more comparison(s):", ""]
        out += [f"- {_code(o.id)}: derived {_md(o.derived_text)}, claimed {_md(o.claimed_text)}" for o in f.results[1:]]
        out.append("")
    return out


def cited_sources(report) -> list[str]:
    """Every source a result of ``report`` quotes, sorted."""
    return sorted({c.source for r in report.results
                   for c in (*r.input_claims, *r.quotes, *([r.target_claim] if r.target_claim else []))})


def to_markdown(report, command: str | None = None) -> str:
    """The citable report: key findings first, a section per finding (question, verdict, claimed and derived with
    units, quotes with source and language, assumptions, arithmetic, how far it must move), the derived figures,
    the bibliography of every source cited, how to cite, and the command that reproduces it."""
    from . import bibliography
    from .findings import findings
    cmd = rerun_command(report, command)
    fence = "`" * 3
    out = [f"# {_md(report_title(report))}", "",
           f"gpt4leak {_version()} · catalogue `{report.catalogue.hash}` · seed {report.seed} · "
           f"{report.samples:,} Monte Carlo samples per check", "", "Reproduce:", "", fence + "sh", cmd, fence, ""]
    if report.assumption_overrides or report.claim_overrides:
        out += ["Overrides (what-if):", "", *_override_lines(report), ""]
    judged = report_findings(report)
    key = [f for f in judged if f.is_alarm and not f.lent
           and f.result_class in ("claim vs claim", "claim vs other source", "claim vs limit")]
    out += ["## Key findings", ""] + [f"- {_md(line)}" for line in class_lines(report)] + [""]
    n = 0
    for cls, heading in (("claim vs claim", "Each source against itself"),
                         ("claim vs other source", "Sources against each other"),
                         ("claim vs limit", "Against physical limits")):
        group = [f for f in key if f.result_class == cls]
        if group:
            out += [f"**{heading}:**", ""]
            for f in group:
                n += 1
                out.append(f"{n}. **{_MARK[f.verdict]}**: {_md(f.sentence)}. [Details](#{f.anchor})")
            out += [""]
    ind = independent_lines(report)
    if ind:
        out += ["## What independent sources say", "", _md(ind[0]) + ":", ""]
        out += [f"- {_md(line)}" for line in ind[1:]] + [""]
    section = None
    for f in judged:
        title = SECTIONS[(f.result_class, f.lent)]
        if title != section:
            section = title
            out += [f"## {title}", ""]
        out += _finding_md(f, report)
    info = findings(report, verdicts=("info",))
    if info:
        out += ["## Derived figures with nothing claimed", "", "| figure | value | check |", "|---|---|---|"]
        out += [f"| {_md(f.results[0].question)} | {_md(f.results[0].derived_text)} | `{f.check_id}` |" for f in info]
        out.append("")
    out += ["## Sources", "", bibliography.to_markdown(bibliography.bibliography(report.catalogue,
                                                                                 cited_sources(report))), ""]
    cite = bibliography.how_to_cite(_version(), report.catalogue.hash, report.seed, cmd)
    out += ["## How to cite", "", cite["text"], "", fence + "bibtex", cite["bibtex"].strip(), fence, ""]
    return "\n".join(out)



_CSS = """
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #ffffff; --muted: #5f6368; --rule: #d0d7de;
  --code: #f3f4f6; --link: #0b57d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #15171a; --muted: #a8adb3; --rule: #3a3f45;
  --code: #23272e; --link: #8ab4f8; } }
html { background: var(--bg); color: var(--fg); }
body { max-width: 56rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Noto Sans SC",
  "PingFang SC", "Microsoft YaHei", "Hiragino Sans GB", "Source Han Sans SC", sans-serif; }
a { color: var(--link); } h1, h2, h3 { line-height: 1.25; } h2 { border-bottom: 1px solid var(--rule); }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace;
  background: var(--code); border-radius: 4px; } code { padding: 0 .2em; }
pre { padding: .6rem .8rem; overflow-x: auto; font-size: .85rem; }
blockquote { margin: .5rem 0; padding: .2rem .8rem; border-left: 3px solid var(--rule); color: var(--muted); }
table { border-collapse: collapse; } td, th { border: 1px solid var(--rule); padding: .2rem .5rem; }
.meta { color: var(--muted); } figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto;
  background: #ffffff; border-radius: 4px; }
""" + "".join(f"strong.v-{k} {{ color: {c}; }}\n" for k, c in VERDICT_COLOURS.items())


def _render_markdown(text: str) -> str:
    """Markdown to HTML with markdown-it-py (CommonMark, tables; raw HTML off except our own anchors, unsafe
    link schemes refused): the HTML report says exactly what the Markdown report says."""
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    html = md.render(text)
    # our own anchors (ids made of [A-Za-z0-9_.-]) become anchors again; any other HTML stays escaped text
    html = re.sub(r"&lt;a id=&quot;([A-Za-z0-9_.-]+)&quot;&gt;&lt;/a&gt;", r'<a id="\1"></a>', html)
    for word, key in (("UNIT SLIP", "unit_slip"), ("CONTRADICTION", "contradiction"), ("TENSION", "tension"),
                      ("CONSISTENT", "consistent"), ("UNDETERMINED", "undetermined")):
        html = html.replace(f"<strong>{word}</strong>", f'<strong class="v-{key}">{word}</strong>')
        html = html.replace(f"<h3>{word}:", f'<h3><strong class="v-{key}">{word}</strong>:')
    return html


def _figure_html(report) -> str:
    """The forest plot of the findings as an embedded PNG (nothing when matplotlib is not installed)."""
    try:
        from .plots import forest
    except ImportError:
        return ""
    import base64
    import io
    try:
        fig = forest(report)
    except ImportError:
        return ""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    import matplotlib.pyplot as plt
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode()
    return (f'<figure><img alt="Forest plot: each claimed number against its derivation" '
            f'src="data:image/png;base64,{data}"><figcaption>Claimed against derived, one row per finding '
            f"(derived ÷ claimed, log scale).</figcaption></figure>")


def to_html_report(report, command: str | None = None, *, figures: bool = True, appendix: str = "") -> str:
    """The citable report as one self-contained HTML file: the Markdown report rendered (and ``appendix``, more
    Markdown such as the calibration), its plot embedded, light and dark colour schemes, a CJK-capable font
    stack, a stable anchor per finding."""
    body = _render_markdown(to_markdown(report, command) + ("\n" + appendix if appendix else ""))
    if figures and "<h2>Key findings</h2>" in body:  # the plot right after the key findings
        head, tail = body.split("<h2>Key findings</h2>", 1)
        cut = tail.find("<h2>")
        cut = len(tail) if cut < 0 else cut
        body = head + "<h2>Key findings</h2>" + tail[:cut] + _figure_html(report) + tail[cut:]
    title = escape(report_title(report))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta name=\"generator\" content=\"gpt4leak {escape(_version())}\">"
            f"<title>{title}</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n")


def findings_markdown(report) -> str:
    """The counts and the findings as Markdown (a notebook's Markdown view)."""
    out = [f"- {_md(line)}" for line in class_lines(report)] + [""]
    out += [f"- **{_MARK[f.verdict]}**: {_md(f.sentence)}" for f in report_findings(report)]
    return "\n".join(out) + "\n"


def to_html(report) -> str:
    """The notebook view (Report._repr_html_): the counts, then the findings, alarms first, each expandable to
    its question, quotes and claim ids; verdicts as words in colour-blind-safe colours on any theme."""
    rows = []
    for f in report_findings(report):
        r = f.results[0]
        colour = VERDICT_COLOURS[f.verdict]
        quotes = "".join(f"<blockquote>“{escape(c.quote)}” — {escape(c.source)} <code>{escape(c.id)}</code>"
                         f"</blockquote>" for c in (*r.input_claims, *([r.target_claim] if r.target_claim else [])))
        rows.append(
            f"<details style='border-left:4px solid {colour};padding-left:.5em;margin:.2em 0'><summary>"
            f"<b style='color:{colour}'>{escape(_MARK[f.verdict])}</b> {escape(f.sentence)}</summary>"
            f"<div><i>{escape(r.question)}</i> <code>{escape(r.check_id)}</code><br>derived "
            f"{escape(r.derived_text)}; claimed {escape(r.claimed_text)}{quotes}</div></details>")
    summary = "".join(f"<li>{escape(line)}</li>" for line in class_lines(report))
    return (f"<div><p><b>gpt4leak</b> {escape(_version())} · catalogue <code>{report.catalogue.hash}</code> · "
            f"seed {report.seed} · {report.samples:,} samples</p><ul>{summary}</ul>{''.join(rows)}</div>")
