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


def to_table(report, width: int = 80) -> str:
    """Plain text, at most ``width`` columns: two to four lines per result."""
    w = max(width, 60)
    lines = [f"gpt4leak {_version()} · catalogue {report.catalogue.hash} · seed {report.seed} · "
             f"{report.samples} samples"[:w]]
    for line in class_lines(report):
        lines.extend(textwrap.wrap(line, w, subsequent_indent="    "))
    for i, line in enumerate(independent_lines(report)):
        lines.extend(textwrap.wrap(line, w, initial_indent="" if i == 0 else "  ", subsequent_indent="    "))
    lines.append("-" * min(w, 80))
    for r in report.results:
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
    return for_terminal("\n".join(lines))


def step_lines(r) -> list[str]:
    """A result's arithmetic (its structured steps) as lines of text, numbers with their units."""
    from .units import format_value

    def auto(x, unit):
        return format_value(float(x), unit, None, digits=4)

    def shown(x):
        return format_value(float(x), r.unit, r.display_unit, digits=4)

    out = []
    for st in r.steps:
        if st.kind == "input":
            rng = auto(st.low, st.unit) if st.low == st.high else f"{auto(st.low, st.unit)} to {auto(st.high, st.unit)}"
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
            out.append(f"derived = {shown(med)} (median), 5-95 % [{shown(p5)}, {shown(p95)}], "
                       f"bounds [{shown(st.low)}, {shown(st.high)}]")
        elif st.kind == "limit":
            out.append(f"limit = at most {shown(st.high)}  [{st.ref}]")
        elif st.kind == "claimed":
            claimed = shown(st.low) if st.low == st.high else (
                f">= {shown(st.low)}" if not math.isfinite(st.high) else f"{shown(st.low)} to {shown(st.high)}")
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
    rep = check_all(catalogue, only=[check_or_result_id], **kwargs)
    if not rep.results:
        check_by_id(re.split(r"[/@~\[]", check_or_result_id, maxsplit=1)[0])  # raises for unknown ids
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


def _rerun_command(report) -> str:
    cmd = f"gpt4leak report --seed {report.seed} --samples {report.samples}"
    if report.assumption_overrides:
        cmd += " --assume " + " ".join(f"{k}={str(v).replace(' ', '')}" for k, v in report.assumption_overrides.items())
    if report.claim_overrides:
        cmd += " --claim " + " ".join(f"'{k}={v}'" for k, v in report.claim_overrides.items())
    return cmd


def to_markdown(report) -> str:
    """A citable report: summary table, then each result with its quotes, assumptions and arithmetic."""
    c = report.counts()
    out = ["# gpt4leak fact-check of the leaked GPT-4 details", "",
           f"gpt4leak {_version()} · catalogue hash `{report.catalogue.hash}` · seed {report.seed} · "
           f"{report.samples} Monte Carlo samples per check. Rerun: `{_rerun_command(report)}`.", ""]
    if report.assumption_overrides or report.claim_overrides:
        out += [f"Overrides: {report.assumption_overrides} {report.claim_overrides}", ""]
    out += [f"- {line}" for line in class_lines(report)] + [""]
    ind = independent_lines(report)
    if ind:
        out += ["## What independent sources say", "", for_markdown(ind[0]) + ":", ""]
        out += [f"- {for_markdown(line)}" for line in ind[1:]] + [""]
    out += ["| verdict | count |", "|---|---|"] + [f"| {k.replace('_', ' ')} | {v} |" for k, v in c.items()] + [""]
    out += ["| result | verdict | derived (median, 5–95 %) | claimed | ratio |", "|---|---|---|---|---|"]
    for r in report.results:
        derived = r.derived_text if r.verdict != "undetermined" else "not finite"
        out.append(f"| `{r.id}` | {r.verdict.replace('_', ' ')} | {derived} | {r.claimed_text} | "
                   f"{'' if r.ratio is None else f'{r.ratio:.3g}'} |")
    out.append("")
    for r in report.results:
        out += [f"## `{r.id}`: {r.verdict.replace('_', ' ')}", "", f"*{r.question}*", ""]
        out += [f"Compares: {r.result_class}.", ""]
        if r.reason:
            out += [f"**Why:** {r.reason}.", ""]
        if r.slip is not None:
            out += [f"**Unit slip:** {r.slip_text}.", ""]
        for flip in r.robustness:
            out += [f"- Flips to {flip.new_verdict} if {flip.text}."]
        if r.robust is not None:
            out += [f"- Robust over the documented plausible ranges: {'yes' if r.robust else 'no'}.", ""]
        out += ["Quotes:", ""]
        seen = set()
        for cl in (*r.input_claims, *([r.target_claim] if r.target_claim else []), *r.quotes):
            if cl.id in seen:
                continue
            seen.add(cl.id)
            gloss = f" — {for_markdown(cl.gloss)}" if cl.gloss else ""
            out.append(f"> **{cl.id}** ({cl.source}): “{for_markdown(cl.quote)}”{gloss}")
            out.append(">")
        if out[-1] == ">":
            out.pop()
        out += [""]
        if r.assumptions:
            out += ["Assumptions:", ""] + [f"- `{a}` = {for_markdown(v)} — {for_markdown(s)}"
                                           for a, v, s in r.assumptions] + [""]
        if r.support:
            out += ["Independent sources behind each number:", ""] + [
                f"- `{sp.claim_id}`: {sp.independent} ({', '.join(sp.roots) or 'none: computed from other claims'})"
                for sp in r.support] + [""]
        arithmetic = [for_terminal(line, single_line=True).replace("```", "'''") for line in step_lines(r)]
        out += ["```text", *arithmetic, "```", ""]
        for n in r.notes:
            out += [f"Note: {for_markdown(n)}", ""]
    return "\n".join(out)


_COLOR = {"consistent": "#e6f4ea", "tension": "#fff4d6", "contradiction": "#fde2e1", "unit_slip": "#e3ecfd",
          "info": "#f1f3f4", "undetermined": "#f1f3f4"}


def to_html(report) -> str:
    """An HTML table for notebooks (Report._repr_html_)."""
    rows = []
    for r in report.results:
        rows.append(
            f"<tr style='background:{_COLOR[r.verdict]}'><td><code>{escape(r.id)}</code><br>"
            f"<small>{escape(r.question)}</small></td><td><b>{escape(r.verdict.replace('_', ' '))}</b>"
            f"{'<br><small>' + escape(r.slip_text) + '</small>' if r.slip else ''}</td>"
            f"<td>{escape(r.derived_text)}</td><td>{escape(r.claimed_text)}</td>"
            f"<td>{'' if r.ratio is None else f'{r.ratio:.3g}'}</td></tr>")
    summary = "; ".join(class_lines(report))
    return (f"<div><p><b>gpt4leak</b> {escape(_version())} · catalogue <code>{report.catalogue.hash}</code> · "
            f"seed {report.seed} · {report.samples} samples · {escape(summary)}</p>"
            "<table><thead><tr><th>result</th><th>verdict</th><th>derived (median, 5–95 %)</th>"
            f"<th>claimed</th><th>ratio</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
