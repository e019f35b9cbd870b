"""Figures of a report and of the leak's numbers (needs the ``[plot]`` extra: matplotlib, imported only when called).

>>> import gpt4leak as gl
>>> from gpt4leak import plots
>>> rep = gl.check_all()
>>> plots.save(plots.forest(rep), "forest.png")            # every judged claim, one readable row each
>>> plots.save(plots.plot("tradeoff", rep), "tradeoff.svg")  # the dispatcher the CLI calls

Kinds (:data:`KINDS`, :func:`plot` dispatches on them):

``forest(report)``
    One row per judged comparison of a claim (with a claim of the same or another source, or with a constant
    limit such as "fits in 80 GB"): the claimed interval (thick grey) and the derived interval with its median
    (thin, coloured by verdict), each divided by the claimed centre, so that every row reads on one log axis
    whatever its unit; the claimed value is written in its own unit at the right edge. Most severe first.
``training_tradeoff(report)``
    Days a run of the claimed compute needs against the number of GPUs, at the claimed MFU band, for A100 and
    H100 peaks, with the leak's clusters marked (25,000 A100s for 90-100 days; 8,192 H100s for ~55 days).
``memory()``
    Bytes per GPU of the leak's training layout (weights, gradients, optimizer states, activations) and serving
    layout (weights, KV cache) against 40 GB and 80 GB.
``distribution(result)``
    One check's derived value (bounds, 5-95 % and median) against its claimed interval.

Outside the dispatcher, for a :func:`gpt4leak.solver.solve` result:

``feasible_region(solution)``
    The feasible candidates' d_model against d_ff (or any two solver quantities), coloured by attention kind
    (multi-head, grouped-query, multi-query); it re-solves to enumerate them (a solution keeps only its top).

Every number is computed by :mod:`gpt4leak.formulas` (or read from the report); this module only draws.
Figures are :class:`matplotlib.figure.Figure` objects made without ``pyplot``: no global figure list, no GUI
backend (they render with Agg, or SVG, whatever the display); a notebook shows them as any figure.
:func:`save` writes PNG (100 dpi) or SVG, deterministically (no dates in the metadata).
"""

from __future__ import annotations

import functools
import math
import re
import textwrap
from pathlib import Path

from .outcomes import VERDICT_COLOURS
from .formatting import human, human_range
from .quantities import name_of

__all__ = ["KINDS", "plot", "save", "forest", "forest_rows", "training_tradeoff", "memory", "distribution",
           "VERDICT_COLORS", "ratio_chart", "save_ratio_chart", "feasible_region"]

#: The figure kinds :func:`plot` draws.
KINDS = ("forest", "tradeoff", "memory", "distribution")

#: Okabe & Ito (2008) colour-blind-safe colours, one per judged verdict, most severe first (gpt4leak.outcomes).
VERDICT_COLORS = {v: VERDICT_COLOURS[v] for v in ("unit_slip", "contradiction", "tension", "consistent")}
_MARKERS = {"unit_slip": "*", "contradiction": "X", "tension": "D", "consistent": "o"}
_MARKER_SIZE = {"unit_slip": 10, "contradiction": 7.5, "tension": 6, "consistent": 6.5}
_SEVERITY = tuple(VERDICT_COLORS)  # the forest's row order
FOREST_CLASSES = ("claim vs claim", "claim vs other source", "claim vs limit")
_CLAIM_GREY = "#9A9A9A"
_INK = "#222222"
_SOFT = "#5A5A5A"
_STRIPE = "#F3F3F3"
_GB = 1e9  # decimal gigabyte, as GPU datasheets count (80 GB = 80e9 bytes)
_PNG_DPI = 100


# --------------------------------------------------------------------------- shared helpers
@functools.lru_cache(maxsize=1)
def _figure_class():
    """:class:`matplotlib.figure.Figure` that also shows itself in a notebook (``_repr_png_``) with no pyplot.

    Made on first use (matplotlib is imported only then) and published as ``gpt4leak.plots.PlotFigure``, so
    that a figure pickles."""
    from matplotlib.figure import Figure

    class PlotFigure(Figure):
        def _repr_png_(self) -> bytes:
            import io

            buf = io.BytesIO()
            self.savefig(buf, format="png", dpi=_PNG_DPI, metadata={"Software": None})
            return buf.getvalue()

    PlotFigure.__module__, PlotFigure.__qualname__ = __name__, "PlotFigure"
    globals()["PlotFigure"] = PlotFigure
    return PlotFigure


def __getattr__(name: str):
    if name == "PlotFigure":
        return _figure_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _plain_text(fn):
    """Draw with mathtext off: "$57M to $63M" is money, not a formula between dollar signs."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import matplotlib
        with matplotlib.rc_context({"text.parse_math": False}):
            return fn(*args, **kwargs)
    return wrapper


def _figure(width: float, height: float, layout: str | None = "constrained"):
    """A Figure without pyplot (so no GUI backend is ever needed), laid out by constrained layout by default."""
    return _figure_class()(figsize=(width, height), dpi=_PNG_DPI, layout=layout)


def _width_in(fig, artists) -> float:
    """The widest of ``artists`` as drawn, in inches (0 for none)."""
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    if renderer is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        renderer = FigureCanvasAgg(fig).get_renderer()
    return max((a.get_window_extent(renderer).width / fig.dpi for a in artists if a.get_text()), default=0.0)


def _verdict_word(v: str) -> str:
    return v.replace("_", " ")


def _human_unit(r) -> str:
    """The unit :func:`human` writes a result's numbers in: "percent" for shares, else the base unit."""
    return "percent" if r.display_unit == "percent" else r.unit


_AXIS_UNITS = {"FLOP": "FLOP", "parameter": "parameters", "USD": "USD", "day": "days", "hour": "hours",
               "GPU*hour": "GPU-hours", "GPU": "GPUs", "byte": "bytes", "token": "tokens", "percent": "%",
               "dimensionless": "dimensionless", "second": "s"}


def _axis_unit(unit: str) -> str:
    return _AXIS_UNITS.get(unit, unit)


def _plain(text: str) -> str:
    """A label in words: "FLOP/token" -> "FLOP per token", "128/8" -> "128 ÷ 8" (no slash reads as an id)."""
    text = re.sub(r"(?<=\d)\s*/\s*(?=\d)", " ÷ ", text)
    return re.sub(r"\s*/\s*", " per ", text)


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip(" ,;:(") + "…"


def _scenario_words(scenario: str) -> str:
    return "" if scenario == "main" else scenario.replace("_", " ")


def _results(report):
    return tuple(getattr(report, "results", report))


def _catalogue(report_or_catalogue):
    """The catalogue of a report, a catalogue as given, or the shipped one (None when it cannot be loaded)."""
    if report_or_catalogue is None:
        try:
            from .catalogue import load_catalogue
            return load_catalogue()
        except Exception:  # noqa: BLE001 -- the figure falls back to the documented defaults
            return None
    return getattr(report_or_catalogue, "catalogue", report_or_catalogue)


def _claim_interval(cat, quantity: str, scenario: str = "main", source: str = "peleg2023"):
    """(low, high) of the first numeric claim of ``source`` for ``quantity`` in ``scenario``, else None."""
    if cat is None:
        return None
    for c in getattr(cat, "claims", ()):
        if (c.source == source and c.quantity == quantity and c.scenario == scenario and c.subject == "gpt-4"
                and c.is_quantitative and c.qualifier != "denied"):
            return float(c.interval.low), float(c.interval.high)
    return None


def _mid(iv) -> float:
    """The centre of a claimed interval as the engine takes it (its arithmetic midpoint; the low end of "at
    least")."""
    lo, hi = iv
    return lo if not math.isfinite(hi) else 0.5 * (lo + hi)


# --------------------------------------------------------------------------- 1. forest
def _reference(r) -> float | None:
    """What a row is divided by: the claimed centre (the engine's ratio reference), or a limit's bound."""
    lo, hi = r.claimed_low, r.claimed_high
    if lo is None or hi is None:
        return None
    if r.is_bound:
        ref = hi if lo == 0 and math.isfinite(hi) else lo
    else:
        ref = _mid((lo, hi))
    return ref if ref is not None and math.isfinite(ref) and ref > 0 else None


def _verdict_filter(verdicts) -> tuple[str, ...]:
    if verdicts is None:
        return _SEVERITY
    if isinstance(verdicts, str):
        verdicts = (verdicts,)
    wanted = tuple(v.strip().replace(" ", "_") for v in verdicts)
    unknown = [v for v in wanted if v not in _SEVERITY]
    if unknown:
        raise ValueError(f"verdicts: {', '.join(map(repr, unknown))} not among {', '.join(_SEVERITY)}")
    return wanted


def forest_rows(report, *, verdicts=None, max_rows: int | None = 40) -> list:
    """The results :func:`forest` draws, top row first: judged comparisons of a claim (classes
    :data:`FOREST_CLASSES`, limits included) of the chosen verdicts, unit slips first, then contradictions,
    tensions and consistent results (the engine's order within a verdict), at most ``max_rows``."""
    wanted = _verdict_filter(verdicts)
    rows = [r for r in _results(report) if r.result_class in FOREST_CLASSES and r.verdict in wanted
            and _reference(r) is not None and math.isfinite(r.derived_median)]
    rows.sort(key=lambda r: _SEVERITY.index(r.verdict))
    return rows if max_rows is None else rows[:max_rows]


def _split_words(text: str, width: int) -> tuple[str, str]:
    """``text`` cut at a word boundary to at most ``width`` characters ("…" where cut), and the rest."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text, ""
    head = text[: width - 1].rsplit(" ", 1)[0]
    return head + "…", "…" + text[len(head):].lstrip()


def _row_label(r) -> tuple[str, str]:
    """(the row's name, a smaller line saying what was compared), in words: no ids.

    The smaller line starts with what tells rows of the same name apart: the scenario and whose inputs."""
    scen = _scenario_words(r.scenario)
    subj = "" if r.subject == "gpt-4" else r.subject
    inputs = tuple(dict.fromkeys(r.input_sources))
    via = inputs[0] + (f" & {len(inputs) - 1} alike" if len(inputs) > 1 else "") if inputs else ""
    head = " · ".join(x for x in (subj, scen, f"from {via}" if via else "") if x)
    if r.is_bound:  # the question is the name (its end, if cut, opens the smaller line)
        question = _plain(r.question)
        main, rest = _split_words(re.sub(r"\s*\([^)]*\)", "", question), 56)
        aside = "; ".join(re.findall(r"\(([^)]*)\)", question))
        parts = (rest, head, aside, f"limit: {r.claimed_label}" if r.claimed_label else "")
    else:
        t = r.target_claim
        main = _split_words(_plain(name_of(t.quantity)), 40)[0] + f" — {t.source}"
        parts = (head, _plain(r.question))
    return main, _shorten(" · ".join(x for x in parts if x), 70)


def _claimed_text(r) -> str:
    """The claim as its words give it ("~2.15e25 FLOP", "90 to 100 days"); a limit as its interval."""
    if r.target_claim is not None and r.target_claim.is_quantitative:
        from .findings import claimed_as_written
        return claimed_as_written(r.target_claim)
    return human_range(r.claimed_low, r.claimed_high, _human_unit(r))


@_plain_text
def forest(report, *, verdicts=None, max_rows: int | None = 40, title: str | None = None):
    """Every judged claim as one row, all on one axis of derived ÷ claimed (see the module docstring).

    Parameters
    ----------
    report : Report or iterable of CheckResult
        From :func:`gpt4leak.check_all`.
    verdicts : str or iterable of str, optional
        Keep only these verdicts ("unit_slip" or "unit slip", "contradiction", "tension", "consistent").
    max_rows : int or None
        At most this many rows, the most severe kept (None: all). The title says how many were left out.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
        8 inches wide (800 px at 100 dpi), about a third of an inch per row. Each row: the claimed interval
        (thick grey bar; a point claim is a grey tick at 1; a limit is a bar up to 1), the derived interval
        low-high (thin, verdict colour) with its Monte Carlo median (verdict marker), all divided by the claimed
        centre (a limit: its bound), on a log axis with a line at 1; the claimed value in its unit on the right.
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter
    from matplotlib.transforms import ScaledTranslation

    all_rows = forest_rows(report, verdicts=verdicts, max_rows=None)
    rows = all_rows if max_rows is None else all_rows[:max_rows]
    n = len(rows)
    # fixed vertical margins (title, legend, note above; the x axis below), side margins measured from the text
    top_axis = n > 20  # a tall figure repeats the x axis above its first row
    top_in, bottom_in, row_in = (1.15 if top_axis else 0.95), 0.55, 0.36
    fig = _figure(8, top_in + bottom_in + row_in * max(n, 1), layout=None)
    ax = fig.add_axes((0.35, bottom_in / fig.get_figheight(), 0.45, row_in * max(n, 1) / fig.get_figheight()))
    left_texts, right_texts = [], []

    # x range from the data: every finite positive end, padded; infinite and zero ends are clipped to it
    xs = [1.0]
    for r in rows:
        ref = _reference(r)
        xs += [v / ref for v in (r.claimed_low, r.claimed_high, r.derived_low, r.derived_high, r.derived_median)
               if v is not None and math.isfinite(v) and v > 0]
    x_lo, x_hi = min(xs) / 2.0, max(xs) * 2.0
    x_lo, x_hi = min(x_lo, 1 / 2.0), max(x_hi, 2.0)

    for i, r in enumerate(rows):
        y = n - 1 - i
        if i % 2 == 0:
            ax.axhspan(y - 0.5, y + 0.5, color=_STRIPE, zorder=0, lw=0)
        ref = _reference(r)
        color, marker = VERDICT_COLORS[r.verdict], _MARKERS[r.verdict]
        # claimed: thick grey bar (clipped, with an arrow where it runs on); a point: a thick tick at 1
        c_lo = r.claimed_low / ref if r.claimed_low > 0 else x_lo
        c_hi = r.claimed_high / ref if math.isfinite(r.claimed_high) else x_hi
        if c_hi / c_lo < 1.02:
            ax.plot([1.0], [y], marker="|", ms=13, mew=3.5, color=_CLAIM_GREY, zorder=2, ls="none")
        else:
            ax.plot([c_lo, c_hi], [y, y], color=_CLAIM_GREY, lw=7, solid_capstyle="butt", zorder=2, alpha=0.75)
            if r.claimed_low <= 0:
                ax.plot([x_lo], [y], marker="<", ms=6, color=_CLAIM_GREY, zorder=2, ls="none", clip_on=False)
            if not math.isfinite(r.claimed_high):
                ax.plot([x_hi], [y], marker=">", ms=6, color=_CLAIM_GREY, zorder=2, ls="none", clip_on=False)
        # derived: thin bar low..high in the verdict's colour, the median as the verdict's marker
        d_lo = r.derived_low / ref if r.derived_low > 0 else x_lo
        d_hi = r.derived_high / ref if math.isfinite(r.derived_high) else x_hi
        ax.plot([max(d_lo, x_lo), min(d_hi, x_hi)], [y, y], color=color, lw=1.8, zorder=3, solid_capstyle="butt")
        ax.plot([min(max(r.derived_median / ref, x_lo), x_hi)], [y], marker=marker, ms=_MARKER_SIZE[r.verdict],
                color=color, mec="white", mew=0.7, zorder=4, ls="none")
        # the claimed value in its own unit at the right edge; the smaller line under the name
        right_texts.append(ax.annotate(
            _claimed_text(r), xy=(1, y), xycoords=("axes fraction", "data"), xytext=(9, 0),
            textcoords="offset points", va="center", ha="left", fontsize=7.5, color=_INK, annotation_clip=False))
        left_texts.append(ax.annotate(
            _row_label(r)[1], xy=(0, y), xycoords=("axes fraction", "data"), xytext=(-5, -4.5),
            textcoords="offset points", va="center", ha="right", fontsize=6.2, color=_SOFT, annotation_clip=False))

    ax.axvline(1.0, color=_INK, lw=0.9, zorder=1)
    ax.set_xscale("log")
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(-0.5, max(n, 1) - 0.5)
    ax.yaxis.set_major_locator(FixedLocator(list(range(n - 1, -1, -1))))
    ax.set_yticklabels([_row_label(r)[0] for r in rows], fontsize=7.5)
    ax.tick_params(axis="y", length=0, pad=5)
    lift = ScaledTranslation(0, 3.5 / 72, fig.dpi_scale_trans)  # the name above, the smaller line below
    for label in ax.get_yticklabels():
        label.set_transform(label.get_transform() + lift)
    decades = math.log10(x_hi / x_lo)
    ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0) if decades < 2.5 else (1.0,),
                                          numticks=9 if decades <= 5 else 5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: human(v, "dimensionless")))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.tick_params(axis="x", labelsize=8, top=top_axis, labeltop=top_axis)
    ax.set_xlabel("derived ÷ claimed (log scale)", fontsize=9)
    ax.grid(axis="x", which="major", color="#DDDDDD", lw=0.6, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if n == 0:
        ax.text(0.5, 0.5, "no result of the selected verdicts", transform=ax.transAxes, ha="center",
                va="center", fontsize=9, color=_SOFT)

    shown = [v for v in _SEVERITY if any(r.verdict == v for r in rows)] or list(_verdict_filter(verdicts))
    handles = [Line2D([], [], ls="none", marker=_MARKERS[v], ms=_MARKER_SIZE[v], color=VERDICT_COLORS[v],
                      mec="white", label=_verdict_word(v)) for v in shown]
    handles += [Line2D([], [], color=_CLAIM_GREY, lw=7, alpha=0.75, label="claimed interval (a point: tick at 1)"),
                Line2D([], [], color=_SOFT, lw=1.8, label="derived low–high; marker: median")]
    W, H = fig.get_figwidth(), fig.get_figheight()
    if title is None:  # "Fact-check: the leaked details of GPT-4", from the subject the claims are about
        from .report import report_title
        title = f"{report_title(report)}: claims against first-principles arithmetic" \
            if hasattr(report, "catalogue") else "Claims against first-principles arithmetic"
    fig.text(0.12 / W, 1 - 0.1 / H, title,
             fontsize=10.5, va="top", ha="left", color=_INK)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.06 / W, 1 - 0.32 / H), ncol=4, frameon=False,
               fontsize=7.5, handlelength=2.2, columnspacing=1.4, borderaxespad=0.0)
    left_out = len(all_rows) - n
    note = (f"{n} of {len(all_rows)} judged comparisons, most severe first" if left_out
            else f"{n} judged comparison{'s' if n != 1 else ''}, most severe first")
    fig.text(0.12 / W, 1 - 0.62 / H, f"{note}. Each row is divided by its claimed centre (a limit: by the limit), "
             f"so 1 is agreement whatever the unit.", fontsize=7.5, color=_SOFT, va="top", ha="left")
    right_texts.append(ax.annotate("claimed", xy=(1, 1), xycoords="axes fraction", xytext=(9, 3),
                                   textcoords="offset points", fontsize=7.5, color=_SOFT, va="bottom", ha="left",
                                   annotation_clip=False))
    # side margins from the widest label and the widest claimed value (the axes take what is left)
    left_in = max(_width_in(fig, [*ax.get_yticklabels(), *left_texts]) + 0.2, 1.0)
    right_in = _width_in(fig, right_texts) + 0.2
    width = max(W - left_in - right_in, 1.5)
    ax.set_position((left_in / W, bottom_in / H, width / W, row_in * max(n, 1) / H))
    return fig


# --------------------------------------------------------------------------- 2. training trade-off
@_plain_text
def training_tradeoff(report_or_catalogue=None, *, flop: float | None = None, gpus=None,
                      mfu_range: tuple[float, float] | None = None, gpu: str = "A100",
                      peaks=(("A100", "bf16"), ("H100", "bf16"), ("H100", "fp8"))):
    """Days a run needs against the number of GPUs, at an MFU band, with the leak's clusters marked.

    Parameters
    ----------
    report_or_catalogue : Report, Catalogue or None
        Where the leak's numbers are read (peleg2023's claims: training_flop, mfu, n_gpus, training_days, and
        the h100_rerun scenario's n_gpus and training_days); None loads the shipped catalogue.
    flop : float, optional
        Training compute [FLOP]; default the catalogue's claim (its centre), else 2.15e25.
    gpus : iterable of float, optional
        GPU counts marked with a dotted line and the days ``gpu`` needs there; default the claimed count
        (25,000).
    mfu_range : (float, float), optional
        The MFU band shaded [fraction]; default the claim, else (0.32, 0.36).
    gpu : str
        The accelerator of the ``gpus`` marks (its bf16 peak).
    peaks : iterable of (gpu, dtype)
        The bands drawn: the accelerator (:func:`gpt4leak.hardware.get_gpu`) and the datasheet peak.

    Returns
    -------
    matplotlib.figure.Figure
        Log-log: GPUs across, days up. days = flop / (GPUs × peak × MFU), by
        :func:`gpt4leak.formulas.flops.implied_seconds`.
    """
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, NullFormatter

    from .formulas.flops import implied_seconds
    from .hardware import get_gpu
    from .units import Q_

    day = float(Q_(1, "day").to("second").magnitude)
    cat = _catalogue(report_or_catalogue)
    flop_iv = _claim_interval(cat, "training_flop")
    flop = float(flop) if flop is not None else (_mid(flop_iv) if flop_iv else 2.15e25)
    mfu_iv = _claim_interval(cat, "mfu")
    mfu_lo, mfu_hi = (mfu_range if mfu_range is not None else (mfu_iv if mfu_iv else (0.32, 0.36)))
    a100_n = _claim_interval(cat, "n_gpus") or (25_000.0, 25_000.0)
    a100_days = _claim_interval(cat, "training_days") or (90.0, 100.0)
    h100_n = _claim_interval(cat, "n_gpus", "h100_rerun")
    h100_days = _claim_interval(cat, "training_days", "h100_rerun")
    gpus = tuple(gpus) if gpus is not None else (_mid(a100_n),)

    marks = [*gpus, *a100_n, *(h100_n or ())]
    n = np.geomspace(min(marks) / 8, max(marks) * 8, 200)
    fig = _figure(8, 5.2)
    ax = fig.add_subplot()
    band_colors = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9")
    handles = []
    for (name, dtype), color in zip(peaks, band_colors):
        g = get_gpu(name)
        peak = g.peak_flop_per_s[dtype]
        slow = implied_seconds(flop, n, peak, mfu_lo) / day
        fast = implied_seconds(flop, n, peak, mfu_hi) / day
        dashed = dtype != "bf16"
        ax.fill_between(n, fast, slow, color=color, alpha=0.16 if dashed else 0.28, lw=0)
        ax.plot(n, np.sqrt(fast * slow), color=color, lw=1.3, ls="--" if dashed else "-")
        handles.append(Patch(facecolor=color, alpha=0.4, edgecolor=color,
                             label=f"{name} {dtype} ({human(peak, 'FLOP/s')} peak)"))

    # the leak's clusters: the claimed GPUs and days as error bars (their stated intervals) around the centre
    def as_written(iv, unit):
        lo, hi = iv
        return f"~{human(_mid(iv), unit)}" if hi - lo <= 0.05 * _mid(iv) else human_range(lo, hi, unit)

    def claim_mark(n_iv, d_iv, color, text, dx, dy):
        x, y = _mid(n_iv), _mid(d_iv)
        ax.errorbar([x], [y], xerr=[[x - n_iv[0]], [n_iv[1] - x]], yerr=[[y - d_iv[0]], [d_iv[1] - y]],
                    fmt="s", ms=6.5, color=_INK, mfc=color, mec=_INK, elinewidth=1.2, capsize=3, zorder=6)
        ax.annotate(text, xy=(x, y), xytext=(dx, dy), textcoords="offset points",
                    ha="left" if dx > 0 else "right", va="center", fontsize=8, color=_INK,
                    bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.85},
                    arrowprops={"arrowstyle": "-", "color": _SOFT, "lw": 0.7, "shrinkA": 0, "shrinkB": 5},
                    zorder=7)

    claim_mark(a100_n, a100_days, band_colors[0],
               f"leak: {as_written(a100_n, 'dimensionless')} A100s,\n{as_written(a100_days, 'day')}", 22, 26)
    if h100_n and h100_days:
        claim_mark(h100_n, h100_days, band_colors[1],
                   f"leak's H100 re-run:\n{as_written(h100_n, 'dimensionless')} H100s, {as_written(h100_days, 'day')}",
                   -22, -30)

    g = get_gpu(gpu)
    for count in gpus:
        lo_d = implied_seconds(flop, count, g.peak_flop_per_s["bf16"], mfu_hi) / day
        hi_d = implied_seconds(flop, count, g.peak_flop_per_s["bf16"], mfu_lo) / day
        ax.axvline(count, color=_SOFT, lw=0.8, ls=":", zorder=1)
        ax.annotate(f"{human(count, 'dimensionless')} {gpu}s at {human_range(mfu_lo, mfu_hi, 'percent')} MFU:\n"
                    f"{human_range(lo_d, hi_d, 'day')}", xy=(count, 0.97), xycoords=("data", "axes fraction"),
                    xytext=(5, 0), textcoords="offset points", fontsize=7.5, color=_SOFT, va="top", ha="left")

    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(n[0], n[-1])
    claimed_days = [*a100_days, *(h100_days or ())]
    ax.set_ylim(min(10.0, min(claimed_days) / 3), max(2000.0, max(claimed_days) * 3))
    fmt = FuncFormatter(lambda v, _pos: human(v, "dimensionless"))
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(fmt)
        axis.set_minor_formatter(NullFormatter())
    ax.tick_params(labelsize=8)
    ax.set_xlabel("GPUs", fontsize=9)
    ax.set_ylabel("training time (days)", fontsize=9)
    ax.grid(which="major", color="#DDDDDD", lw=0.6)
    handles.append(Line2D([], [], marker="s", ms=6.5, color=_INK, mfc="white", lw=1.2,
                          label="a claim: GPUs × days as stated"))
    ax.legend(handles=handles, loc="lower left", fontsize=7.5, framealpha=0.95)
    ax.set_title(f"Days for {human(flop, 'FLOP')} at {human_range(mfu_lo, mfu_hi, 'percent')} MFU "
                 f"(band: the MFU range; line: its middle)", fontsize=8, color=_SOFT, loc="left")
    fig.suptitle("How long the claimed training compute takes on a cluster", fontsize=10.5, x=0.01, ha="left")
    return fig


# --------------------------------------------------------------------------- 3. memory
@_plain_text
def memory(*, total_params: float = 1.8e12, n_experts: int = 16, expert_params: float = 111e9,
           n_layers: int = 120, experts_per_token: int = 2, ffn_ratio: float = 4, gated: bool = False,
           head_dim: int = 128, n_gpus: int = 25_000, tp: int = 8, pp: int = 15, zero_stage: int = 1,
           expert_parallel=(1, 16), seq_len: int = 8192, micro_batch: int = 1, recompute: str = "selective",
           serve_tp: int = 8, serve_pp: int = 16, n_kv_heads: int = 1, serve_seq_lens=(8192, 32768),
           serve_batch: int = 64, bytes_per_param: float = 2):
    """Bytes per GPU of the leak's training and serving layouts, stacked, against 40 GB and 80 GB.

    Defaults (the leak's figures, peleg2023, unless marked as assumed):

    * model: 1.8T parameters, 16 experts of 111B (their MLPs, over all layers), 2 routed per token, 120 layers;
      d_model from one expert's MLP per layer (:func:`gpt4leak.formulas.params.d_model_from_mlp_params`, a
      two-matrix MLP of width 4 d_model: assumed, as the checks assume), heads of 128 (assumed);
    * training: 25,000 A100s, 8-way tensor × 15-way pipeline parallelism, data parallel over the rest (208
      whole replicas), ZeRO stage 1 ("likely"), bf16 weights and gradients with fp32 Adam states (2 + 2 + 12
      bytes per parameter, assumed), experts spread over 1 and over 16 data-parallel ranks (the leak does not
      say: both drawn), sequences of 8,192 tokens, micro-batch 1 (assumed), selective recomputation with
      sequence parallelism (assumed), 1F1B: the first stage holds all layers' activations;
    * serving: 8-way tensor × 16-way pipeline (128 GPUs), bf16 weights, multi-query attention (one KV head),
      KV cache of 64 sequences (assumed: the leak gives no batch) at 8k and at 32k tokens.

    Every size comes from :mod:`gpt4leak.formulas.memory` (training_memory_per_gpu, activation_bytes_per_gpu,
    weight_bytes, kv_cache_bytes); the subtitle restates the layout.

    Returns
    -------
    matplotlib.figure.Figure
        One stacked bar per layout, GB (1e9 bytes) per GPU, with the total written on each bar.
    """
    import numpy as np
    from matplotlib.patches import Patch

    from .formulas import memory as mem
    from .formulas import parallel
    from .formulas.params import d_model_from_mlp_params

    experts_total = n_experts * expert_params  # the claims' own arithmetic: 16 × 111B
    d_model = float(d_model_from_mlp_params(expert_params / n_layers, ffn_ratio=ffn_ratio, gated=gated))
    n_heads = d_model / head_dim
    dp = float(parallel.whole_ranks(parallel.data_parallel_degree(n_gpus, tp, pp)))
    act = float(mem.activation_bytes_per_gpu(seq_len, micro_batch, d_model, n_heads, n_layers, tp, pp,
                                             sequence_parallel=True, recompute=recompute,
                                             experts_per_token=experts_per_token, ffn_ratio=ffn_ratio))
    parts = ("weights", "gradients", "optimizer states", "activations", "KV cache")
    colors = dict(zip(parts, ("#0072B2", "#56B4E9", "#E69F00", "#CC79A7", "#009E73")))
    bars: list[tuple[str, dict[str, float]]] = []
    for ep in expert_parallel:
        t = mem.training_memory_per_gpu(total_params, 80e9, tp=tp, pp=pp, dp=dp, zero_stage=zero_stage, ep=ep,
                                        expert_params=min(experts_total, total_params), activation_bytes=act,
                                        weight_bytes_per_param=bytes_per_param, grad_bytes_per_param=bytes_per_param)
        bars.append((f"training\nexperts over {ep} rank{'s' if ep > 1 else ''}",
                     {"weights": t.weights, "gradients": t.gradients, "optimizer states": t.optimizer,
                      "activations": t.activations}))
    w_serve = float(mem.weight_bytes(parallel.params_per_gpu(total_params, serve_tp, serve_pp), bytes_per_param))
    for s in serve_seq_lens:
        kv = float(mem.kv_cache_bytes(n_layers, n_kv_heads, head_dim, s, serve_batch, bytes_per_param,
                                      serve_tp, serve_pp))
        bars.append((f"serving\n{human(s, 'token').replace(' tokens', '')}-token context",
                     {"weights": w_serve, "KV cache": kv}))

    fig = _figure(8, 5.4)
    ax = fig.add_subplot()
    x = np.arange(len(bars))
    top = 0.0
    for i, (_label, stack) in enumerate(bars):
        bottom = 0.0
        for part in parts:
            gb = stack.get(part, 0.0) / _GB
            if gb <= 0:
                continue
            ax.bar(i, gb, bottom=bottom, width=0.6, color=colors[part], edgecolor="white", lw=0.6, zorder=3)
            if gb >= 4:  # the part's size inside it when it is tall enough to hold the text
                ax.text(i, bottom + gb / 2, human(gb * _GB, "byte"), ha="center", va="center", fontsize=7,
                        color="white" if part in ("weights", "activations", "KV cache") else _INK, zorder=4)
            bottom += gb
        ax.text(i, bottom + 1.5, f"total {human(bottom * _GB, 'byte')}", ha="center", va="bottom", fontsize=8,
                fontweight="bold", color=_INK, zorder=4,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9})
        top = max(top, bottom)
    for cap, style in ((40, "--"), (80, "-")):
        ax.axhline(cap, color=_INK, lw=1.0, ls=style, zorder=2)
        ax.annotate(f"{cap} GB GPU", xy=(1, cap), xycoords=("axes fraction", "data"), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8, color=_INK, annotation_clip=False)
    ax.set_xticks(x)
    ax.set_xticklabels([label for label, _ in bars], fontsize=8)
    ax.set_ylabel("memory per GPU (GB)", fontsize=9)
    ax.set_ylim(0, max(top, 80) * 1.15)
    ax.set_xlim(-0.6, len(bars) - 0.4)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", color="#DDDDDD", lw=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    used = [p for p in parts if any(stack.get(p, 0) > 0 for _l, stack in bars)]
    ax.legend(handles=[Patch(color=colors[p], label=p) for p in used], loc="upper right", fontsize=7.5,
              framealpha=0.95, ncol=1)
    z = {0: "no ZeRO", 1: "ZeRO-1", 2: "ZeRO-2", 3: "ZeRO-3"}.get(zero_stage, f"ZeRO-{zero_stage}")
    lines = [
        (f"Model: {human(total_params, 'parameter')} ({n_experts} experts × {human(expert_params, 'parameter')}), "
         f"{n_layers} layers, {experts_per_token} experts per token, d_model ≈ {d_model:,.0f} (from an expert's "
         f"size, {ffn_ratio:g}× MLP: assumed)."),
        (f"Training: {human(n_gpus, 'GPU')} = TP {tp} × PP {pp} × DP {dp:,.0f}, {z}, {bytes_per_param:g}+"
         f"{bytes_per_param:g}+12 bytes per param (Adam), {human(seq_len, 'token')} × "
         f"micro-batch {micro_batch}, {recompute} recompute + SP."),
        (f"Serving: TP {serve_tp} × PP {serve_pp}, {bytes_per_param:g}-byte weights, {n_kv_heads} KV "
         f"head{'s' if n_kv_heads != 1 else ''} of {head_dim}, KV cache of {serve_batch} sequences (assumed)."),
    ]
    ax.set_title("\n".join(w for line in lines for w in textwrap.wrap(line, 150)), fontsize=6.6, color=_SOFT,
                 loc="left")
    fig.suptitle("Memory per GPU of the leak's training and serving layouts", fontsize=10.5, x=0.01, ha="left")
    return fig


# --------------------------------------------------------------------------- 4. distribution
@_plain_text
def distribution(result, *, samples=None, bins: int = 60):
    """One check's derived value against its claimed interval, in the result's unit.

    The engine (:func:`gpt4leak.checks.core.evaluate`) keeps the median, the 5-95 % interval and the interval
    bounds of its Monte Carlo, not the draws. Without ``samples`` the figure shows those as shaded spans on
    a "derived" lane (bounds light, 5-95 % darker, median marked) under a "claimed" lane (the claimed interval,
    or a limit); given ``samples`` (the draws, in the result's base unit) it adds their histogram.

    Parameters
    ----------
    result : CheckResult
        One result of :func:`gpt4leak.check_all` (``report[result_id]``).
    samples : array_like, optional
        Monte Carlo draws of the derived value [the result's ``unit``].
    bins : int
        Histogram bins (with ``samples``).

    Returns
    -------
    matplotlib.figure.Figure
        The x axis in the result's display unit (human tick labels), log when the values span more than 20×.
    """
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    r = result
    unit = _human_unit(r)
    color = VERDICT_COLORS.get(r.verdict, _SOFT)
    has_claim = r.claimed_low is not None
    values = [v for v in (r.derived_low, r.derived_high, r.derived_p5, r.derived_p95, r.derived_median)
              if v is not None and math.isfinite(v)]
    if has_claim:
        values += [v for v in (r.claimed_low, r.claimed_high) if v is not None and math.isfinite(v)
                   and not (r.is_bound and v == 0)]
    draws = None
    if samples is not None:
        draws = np.asarray(samples, dtype=float).ravel()
        draws = draws[np.isfinite(draws)]
        if draws.size:
            values += [float(np.percentile(draws, 0.5)), float(np.percentile(draws, 99.5))]
    positive = [v for v in values if v > 0]
    log = bool(positive) and len(positive) == len(values) and max(positive) / min(positive) > 20
    if log:
        x_lo, x_hi = min(positive) / 1.6, max(positive) * 1.6
    else:
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        pad = 0.08 * (hi - lo) if hi > lo else 0.05 * abs(hi) or 1.0
        x_lo, x_hi = lo - pad, hi + pad
        if r.is_bound and r.claimed_low == 0:
            x_lo = min(x_lo, 0.0)

    with_hist = draws is not None and draws.size > 0
    fig = _figure(8, 3.6 if not with_hist else 5.2)
    if with_hist:  # the draws' histogram above, the summary lanes below, one x axis
        hx, ax = fig.subplots(2, 1, sharex=True, height_ratios=(1.4, 1.0))
    else:
        ax = fig.add_subplot()
    lanes = {"derived": 0.0, "claimed": 1.0} if has_claim else {"derived": 0.0}
    h = 0.34
    yd = lanes["derived"]
    ax.fill_between([r.derived_low, r.derived_high], yd - h, yd + h, color=color, alpha=0.22, lw=0)
    ax.fill_between([r.derived_p5, r.derived_p95], yd - h, yd + h, color=color, alpha=0.5, lw=0)
    ax.plot([r.derived_median] * 2, [yd - h, yd + h], color=_INK, lw=1.6)
    spread = ("" if r.derived_p5 == r.derived_p95 else
              f" (5–95 %: {human_range(r.derived_p5, r.derived_p95, unit)})")
    frac = ((math.log(r.derived_median / x_lo) / math.log(x_hi / x_lo)) if log
            else (r.derived_median - x_lo) / (x_hi - x_lo))
    ax.annotate(f"median {human(r.derived_median, unit)}{spread}", xy=(r.derived_median, yd + h), xytext=(0, 3),
                textcoords="offset points", va="bottom", fontsize=8, color=_INK,
                ha="left" if frac < 0.25 else "right" if frac > 0.75 else "center")
    if has_claim:
        yc = lanes["claimed"]
        c_lo = r.claimed_low if r.claimed_low > 0 or not log else x_lo
        c_hi = r.claimed_high if math.isfinite(r.claimed_high) else x_hi
        if c_hi == c_lo:
            ax.plot([c_lo] * 2, [yc - h, yc + h], color="#6E6E6E", lw=3)
        else:
            ax.fill_between([c_lo, c_hi], yc - h, yc + h, color=_CLAIM_GREY, alpha=0.55, lw=0)
        ax.annotate(("limit: " if r.is_bound else "claimed: ") + human_range(r.claimed_low, r.claimed_high, unit),
                    xy=(c_hi if r.is_bound else 0.5 * (c_lo + c_hi) if not log else math.sqrt(c_lo * c_hi),
                        yc + h), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8, color=_INK)
    if with_hist:
        edges = (np.geomspace(x_lo, x_hi, bins + 1) if log else np.linspace(x_lo, x_hi, bins + 1))
        hx.hist(draws, bins=edges, color=color, alpha=0.6, weights=np.full(draws.size, 1.0 / draws.size))
        hx.axvline(r.derived_median, color=_INK, lw=1.2)
        if has_claim:
            hx.axvspan(c_lo, c_hi, color=_CLAIM_GREY, alpha=0.3, lw=0, zorder=0)
        hx.set_ylabel("share of draws", fontsize=8)
        hx.tick_params(labelsize=7.5)
        hx.tick_params(axis="x", labelbottom=False)
        hx.grid(axis="x", color="#E4E4E4", lw=0.6)
        for side in ("top", "right"):
            hx.spines[side].set_visible(False)
    if log:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(numticks=8))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.set_xlim(x_lo, x_hi)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: human(v, unit)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(list(lanes.values()))
    target = r.target_claim
    ax.set_yticklabels(["derived" if k == "derived" else
                        ("limit" if r.is_bound else f"claimed\n({target.source})" if target is not None
                         else "claimed") for k in lanes], fontsize=8)
    ax.set_ylim(-0.75, max(lanes.values()) + 0.9)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=8)
    quantity = name_of(target.quantity) if target is not None else "derived value"
    ax.set_xlabel(f"{quantity} ({_axis_unit(unit)}{', log scale' if log else ''})", fontsize=9)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#E4E4E4", lw=0.6)
    handles = [Patch(color=color, alpha=0.22, label="derived bounds (input corners)"),
               Patch(color=color, alpha=0.5, label="derived 5–95 % (Monte Carlo)"),
               Line2D([], [], color=_INK, lw=1.6, label="median")]
    if has_claim:
        handles.append(Patch(color=_CLAIM_GREY, alpha=0.55, label="limit" if r.is_bound else "claimed"))
    head_ax = hx if with_hist else ax
    if with_hist:
        handles.insert(0, Patch(color=color, alpha=0.6, label=f"{draws.size:,} draws"))
    head_ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(handles), frameon=False,
                   fontsize=7.2, handlelength=1.6, columnspacing=1.0, borderaxespad=0.2)
    where = " · ".join(x for x in (_scenario_words(r.scenario), "" if r.subject == "gpt-4" else r.subject) if x)
    head_ax.set_title(f"verdict: {_verdict_word(r.verdict)}{' · ' + where if where else ''} · "
                 f"{r.samples:,} Monte Carlo samples, seed {r.seed}", fontsize=7.5, color=_SOFT, loc="left",
                 pad=22)
    fig.suptitle(_shorten(_plain(r.question), 95), fontsize=10, x=0.01, ha="left")
    return fig


# --------------------------------------------------------------------------- 5. feasible region (the solver)
#: Okabe & Ito colours and markers of the attention kinds a solver candidate has (:attr:`Candidate.attention`).
_ATTENTION_STYLE = {"MHA": ("#0072B2", "o", "multi-head"), "GQA": ("#009E73", "s", "grouped-query"),
                    "MQA": ("#D55E00", "D", "multi-query")}


_SOLVER_WORDS = {"d_model": "model width", "d_ff": "feed-forward width", "d_head": "head width",
                 "expert_d_ff": "an expert's feed-forward width", "n_kv_heads": "key/value heads"}


def _solver_axis(key: str) -> tuple[str, str]:
    """(axis label, unit the ticks are written in) of a solver quantity or dimension."""
    from .solver import SOLVABLE
    unit = "percent" if key == "mfu" else SOLVABLE.get(key, "dimensionless")
    words = _SOLVER_WORDS.get(key)
    if words is None:
        try:
            words = name_of(key)
        except Exception:  # noqa: BLE001 -- a space dimension with no quantity of its own (gated, tied, ...)
            words = ""
        words = "" if not words or words == key else words[0].lower() + words[1:]
    shown = {"dimensionless": "dimensions" if key.startswith("d_") or key.endswith("d_ff") or key == "head_dim"
             else "count"}.get(unit, _axis_unit(unit))
    return f"{key}: {words} ({shown})" if words else f"{key} ({shown})", unit


@_plain_text
def feasible_region(solution, *, x: str = "d_model", y: str = "d_ff", max_points: int = 20000):
    """The feasible candidates of a :func:`gpt4leak.solver.solve` result as a scatter of ``x`` against ``y``,
    coloured (and shaped) by attention kind: multi-head, grouped-query or multi-query.

    A :class:`~gpt4leak.solver.Solution` keeps only its ``top`` candidates, so this function re-enumerates the
    feasible set: it calls ``gpt4leak.solver.solve(solution.constraints, solution.space, top=max_points)``
    (pruned, in this process) and plots that result's ``.top``, the ``max_points`` candidates closest to every
    constraint's centre (all of them when fewer are feasible; the title says when some were left out).
    Candidates that differ only in dimensions not plotted share a point: its area grows with their number, and
    when few points are drawn each is labelled with it.

    Parameters
    ----------
    solution : gpt4leak.solver.Solution
        What :func:`gpt4leak.solver.solve` returned (its space and constraints are used, not its top).
    x, y : str
        Any quantity the solver derives (:data:`gpt4leak.solver.SOLVABLE`) or a dimension of the space;
        default the model width d_model across and the feed-forward width d_ff up.
    max_points : int
        At most this many candidates are enumerated and drawn.

    Returns
    -------
    matplotlib.figure.Figure
        8 × 5.4 inches (800 px wide at 100 dpi); a log axis for a quantity spanning more than 20×. With no
        feasible candidate, the figure says which constraints must give instead.
    """
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, NullFormatter

    from .solver import solve

    if not isinstance(max_points, int) or max_points < 1:
        raise ValueError(f"feasible_region: max_points must be a positive whole number, got {max_points!r}")
    cons = tuple(solution.constraints)
    region = solve(cons, solution.space, top=max_points)

    def value(c, key):
        if key in c.derived:
            return c.derived[key]
        if key in c.values:
            return c.values[key]
        raise ValueError(f"feasible_region: the candidates have no {key!r}; they have "
                         f"{', '.join(dict.fromkeys([*c.derived, *c.values]))}")

    # one point per (x, y, attention kind), with the number of candidates on it
    points: dict[tuple[float, float, str], int] = {}
    for c in region.top:
        k = (value(c, x), value(c, y), c.attention)
        points[k] = points.get(k, 0) + 1

    fig = _figure(8, 5.4)
    ax = fig.add_subplot()
    (x_label, x_unit), (y_label, y_unit) = _solver_axis(x), _solver_axis(y)
    handles = []
    if points:
        most = max(points.values())
        kinds = [k for k in _ATTENTION_STYLE if any(p[2] == k for p in points)]
        totals = {k: sum(n for p, n in points.items() if p[2] == k) for k in kinds}
        # hollow markers of three shapes, so that kinds on the same point all stay visible; most numerous first
        for z, kind in enumerate(sorted(kinds, key=lambda k: -totals[k])):
            color, marker, _words = _ATTENTION_STYLE[kind]
            xs, ys, ns = (np.array(a, dtype=float) for a in zip(*[(px, py, n) for (px, py, k), n in points.items()
                                                                   if k == kind]))
            ax.scatter(xs, ys, s=30 + 200 * np.sqrt(ns / most), facecolors="none", edgecolors=color,
                       marker=marker, linewidths=1.6, zorder=3 + z)
        for kind in kinds:
            color, marker, words = _ATTENTION_STYLE[kind]
            handles.append(Line2D([], [], ls="none", marker=marker, ms=8, mfc="none", mec=color, mew=1.6,
                                  label=f"{kind} ({words}): {totals[kind]:,} candidate"
                                        f"{'s' if totals[kind] != 1 else ''}"))
        where = {}
        for (px, py, _k), n in points.items():
            where[(px, py)] = where.get((px, py), 0) + n
        if len(where) <= 12:  # few points: each says where it is and how many candidates it stands for
            fmt = {u: ((lambda v: f"{v:,.0f}") if u == "dimensionless" else (lambda v, u=u: human(v, u)))
                   for u in (x_unit, y_unit)}
            for (px, py), n in where.items():
                ax.annotate(f"{fmt[x_unit](px)} × {fmt[y_unit](py)}: {n:,} candidate{'s' if n != 1 else ''}",
                            xy=(px, py), xytext=(11, 0), textcoords="offset points", va="center", ha="left",
                            fontsize=7.5, color=_INK,
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
        for axis, key, unit, lim in ((ax.xaxis, x, x_unit, ax.set_xlim), (ax.yaxis, y, y_unit, ax.set_ylim)):
            vals = np.array([p[0 if axis is ax.xaxis else 1] for p in points], dtype=float)
            lo, hi = float(vals.min()), float(vals.max())
            log = lo > 0 and hi / lo > 20
            if log:
                (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
                lim(lo / 1.5, hi * 1.5)
            else:
                pad = 0.12 * (hi - lo) if hi > lo else 0.05 * abs(hi) or 1.0
                lim(lo - pad, hi + pad * (3.5 if axis is ax.xaxis and len(points) <= 12 else 1))
            axis.set_major_formatter(FuncFormatter(
                (lambda v, _p: f"{v:,.0f}") if unit == "dimensionless" else
                (lambda v, _p, u=unit: human(v, u))))
            axis.set_minor_formatter(NullFormatter())
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(handles), frameon=False,
                  fontsize=7.5, handletextpad=0.2, columnspacing=1.0, borderaxespad=0.2)
    else:
        in_words = {c.label: c.said or c.label for c in cons}
        why = ("no candidate of the space meets every constraint"
               + ("; feasible without: " + " or ".join(" with ".join(in_words[x] for x in s)
                                                       for s in region.relaxations[:3])
                  if region.relaxations else ""))
        ax.text(0.5, 0.5, "\n".join(textwrap.wrap(why, 80)), transform=ax.transAxes, ha="center", va="center",
                fontsize=9, color=_SOFT)
        ax.set_xticks([])
        ax.set_yticks([])
    ax.set_xlabel(x_label, fontsize=9)
    ax.set_ylabel(y_label, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(color="#E4E4E4", lw=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    shown = len(region.top)
    count = (f"{region.feasible:,} of {region.size:,} candidates meet all {len(cons)} constraints"
             + (f"; the {shown:,} closest to the claims are drawn" if shown < region.feasible else ""))
    said = " · ".join(c.said or c.label for c in cons)
    ax.set_title("\n".join([count] + textwrap.wrap(f"Constraints: {said}", 125)), fontsize=7.5, color=_SOFT,
                 loc="left", pad=22 if points else 6)
    fig.suptitle(f"Feasible {x} × {y} by attention kind", fontsize=10.5, x=0.01, ha="left")
    return fig


# --------------------------------------------------------------------------- dispatch and saving
def _pick_result(report, result):
    if result is not None and not isinstance(result, str):
        return result
    if report is None:
        raise ValueError("distribution: give a report and a result (a CheckResult or a result id)")
    if isinstance(result, str):
        try:
            return report[result]
        except KeyError:
            matches = [r for r in _results(report) if r.check_id == result]
            if not matches:
                raise
            return forest_rows(matches, max_rows=1)[0] if forest_rows(matches, max_rows=1) else matches[0]
    rows = forest_rows(report, max_rows=1)
    if not rows:
        raise ValueError("distribution: the report has no judged comparison to show; name a result")
    return rows[0]


def plot(kind: str, report=None, **kw):
    """The figure of ``kind`` (one of :data:`KINDS`) for ``report``; keyword arguments go to the function.

    ``"forest"`` needs a report (None runs :func:`gpt4leak.check_all`); ``"tradeoff"`` reads the report's
    catalogue; ``"memory"`` needs none; ``"distribution"`` takes ``result=`` (a CheckResult, a result id or a
    check id; default the most severe judged result of the report).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown plot kind {kind!r}; known: {', '.join(KINDS)}")
    if kind == "forest":
        if report is None:
            from .checks import check_all
            report = check_all()
        return forest(report, **kw)
    if kind == "tradeoff":
        return training_tradeoff(report, **kw)
    if kind == "memory":
        return memory(**kw)
    result = _pick_result(report, kw.pop("result", None))
    if report is not None and kw.get("samples") is None and result.verdict != "undetermined":
        from .checks import draws  # the Monte Carlo behind the result, re-drawn from the same seeded stream
        kw["samples"] = draws(result.id, report.catalogue, seed=report.seed, samples=report.samples,
                              assumptions=report.assumption_overrides or None, claims=report.claim_overrides or None)
    return distribution(result, **kw)


_FORMATS = {".png": "png", ".svg": "svg"}


def save(fig, path) -> str:
    """Write ``fig`` to ``path`` as PNG (100 dpi) or SVG, chosen by the suffix; returns the path as given.

    The same figure gives the same bytes: no date or software version in the metadata, fixed SVG ids.
    """
    import matplotlib

    suffix = Path(str(path)).suffix.lower()
    if suffix not in _FORMATS:
        raise ValueError(f"cannot save a figure as {suffix or 'a file without a suffix'!r} ({path}): "
                         f"use .png or .svg")
    fmt = _FORMATS[suffix]
    meta = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    with matplotlib.rc_context({"svg.hashsalt": "gpt4leak", "svg.fonttype": "path"}):
        fig.savefig(path, format=fmt, dpi=_PNG_DPI, metadata=meta)
    return str(path)


# --------------------------------------------------------------------------- the earlier names
def ratio_chart(report, only_judged: bool = True, max_rows: int | None = None, title: str | None = None):
    """Kept for existing callers: now the :func:`forest` (``only_judged`` is always true there)."""
    return forest(report, max_rows=max_rows, title=title)


def save_ratio_chart(report, path: str, **kwargs) -> str:
    """Kept for existing callers: :func:`save` of :func:`ratio_chart`."""
    return save(ratio_chart(report, **kwargs), path)
