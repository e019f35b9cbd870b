"""Plots of a report (needs the ``[plot]`` extra: matplotlib; imported only when called).

``ratio_chart(report)``: one row per result with a claim to compare, the claimed
interval divided by the derived median on a log axis, the derived 5-95 % band
around 1, coloured by verdict; the tension band (1/1.25 to 1.25) is shaded.
Deterministic: the same report gives the same image, byte for byte, with the
Agg backend and a fixed ``metadata`` (no dates).
"""

from __future__ import annotations

import math

__all__ = ["ratio_chart", "save_ratio_chart"]

COLORS = {"consistent": "#2e7d32", "tension": "#f9a825", "contradiction": "#c62828", "unit_slip": "#1565c0"}


def ratio_chart(report, only_judged: bool = True, max_rows: int | None = None, title: str | None = None):
    """A matplotlib Figure of claimed / derived for every judged result (see the module docstring)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    rows = [r for r in report.results if r.claimed_low is not None and r.target_claim is not None
            and r.derived_median > 0 and (r.verdict != "info" or not only_judged)][:max_rows]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) + 1.6), dpi=110)
    ax.axvspan(1 / 1.25, 1.25, color="#eeeeee", zorder=0)
    ax.axvline(1.0, color="#555555", lw=0.8, zorder=1)
    for i, r in enumerate(rows):
        y = len(rows) - 1 - i
        m = r.derived_median
        lo = r.claimed_low / m
        hi = r.claimed_high / m if math.isfinite(r.claimed_high) else 1e4
        # a marker at the claim's centre (narrow intervals and points would be invisible as bars) ...
        centre = math.sqrt(lo * hi) if math.isfinite(r.claimed_high) else lo
        ax.plot([centre], [y], marker="D", ms=4.5, color=COLORS[r.verdict], zorder=5, ls="none")
        if hi / lo >= 1.02:  # ... and the interval as a bar
            ax.plot([max(lo, 1e-4), min(hi, 1e4)], [y, y], color=COLORS[r.verdict], lw=5, solid_capstyle="butt",
                    zorder=3)
        ax.plot([r.derived_p5 / m, r.derived_p95 / m], [y, y], color="#222222", lw=1.2, zorder=4)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.id if len(r.id) <= 70 else r.id[:67] + "..." for r in reversed(rows)], fontsize=6.5)
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 1e4)
    ax.set_xlabel("claimed / derived median\n(colour: claimed interval or point; black: derived 5-95 %; "
                  "grey: tension band)", fontsize=8)
    ax.set_title(title or f"gpt4leak: claims against first principles (catalogue {report.catalogue.hash}, "
                          f"seed {report.seed})", fontsize=9)
    ax.legend(handles=[Patch(color=c, label=k.replace("_", " ")) for k, c in COLORS.items()], fontsize=7,
              loc="lower right")
    fig.tight_layout()
    return fig


def save_ratio_chart(report, path: str, **kwargs) -> str:
    """Write the ratio chart to ``path`` (PNG or SVG) reproducibly; returns the path."""
    import matplotlib.pyplot as plt

    fig = ratio_chart(report, **kwargs)
    meta = {"Software": None} if path.endswith(".png") else {"Date": None, "Creator": None}
    fig.savefig(path, metadata=meta)
    plt.close(fig)
    return path
