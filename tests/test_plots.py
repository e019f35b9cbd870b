"""The figures (gpt4leak.plots): what each draws, in words a reader can follow, and how they are saved."""

import re
import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure
from matplotlib.text import Text

import gpt4leak as gl
from gpt4leak import plots

JUDGED = ("unit_slip", "contradiction", "tension", "consistent")
CLAIM_ID = re.compile(r"\b[a-z][a-z_]*\d{4}[a-z0-9_]*\.[a-z_]")  # "peleg2023.total_params"


@pytest.fixture(scope="module")
def report():
    return gl.check_all(samples=2000, robust=False)


@pytest.fixture(scope="module")
def full_forest(report):
    return plots.forest(report, max_rows=None)


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def _medians(ax) -> dict[str, list[float]]:
    """y of every median marker, by verdict (read back from the markers' colours)."""
    by_color = {c.lower(): v for v, c in plots.VERDICT_COLORS.items()}
    out: dict[str, list[float]] = {}
    for line in ax.get_lines():
        if len(line.get_xdata()) == 1 and line.get_marker() not in ("None", "|", "<", ">", None):
            verdict = by_color.get(str(line.get_color()).lower())
            if verdict:
                out.setdefault(verdict, []).append(float(line.get_ydata()[0]))
    return out


def _expected(report, verdicts=JUDGED):
    return [r for r in report.results if r.result_class in plots.FOREST_CLASSES and r.verdict in verdicts]


# --------------------------------------------------------------------------- forest
def test_forest_has_one_row_per_judged_comparison_limits_included(report, full_forest):
    ax = full_forest.axes[0]
    expected = _expected(report)
    assert any(r.is_bound for r in expected)
    labels = _ytick_labels(ax)
    assert len(labels) == len(expected)
    assert sum(len(v) for v in _medians(ax).values()) == len(expected)  # one median marker per row
    # a limit's row is named by its question, shortened
    limit_questions = {" ".join(r.question.split()[:4]) for r in expected if r.is_bound}
    assert any(any(label.startswith(q) for q in limit_questions) for label in labels)


def test_forest_labels_are_words_not_ids(report, full_forest):
    ids = {r.id for r in report.results}
    for text in _texts(full_forest):
        assert "/" not in text, text
        assert not CLAIM_ID.search(text), text
        assert not any(i in text for i in ids), text
    # claim rows: "<quantity in words> — <source>"
    assert any(label.startswith("Training compute — ") for label in _ytick_labels(full_forest.axes[0]))


def test_forest_puts_unit_slips_above_consistent_rows(full_forest):
    medians = _medians(full_forest.axes[0])
    assert medians.get("unit_slip") and medians.get("consistent")
    assert min(medians["unit_slip"]) > max(medians["consistent"])
    order = sorted(((y, v) for v, ys in medians.items() for y in ys), reverse=True)
    severity = [JUDGED.index(v) for _y, v in order]
    assert severity == sorted(severity)  # unit slips, contradictions, tensions, consistent, top to bottom


def test_forest_axis_and_claimed_values(full_forest):
    ax = full_forest.axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "derived ÷ claimed (log scale)"
    texts = _texts(full_forest)
    assert any(t.endswith(" FLOP") for t in texts) and any(t.endswith("params") for t in texts)
    assert "at most 100%" in texts  # a limit's value, in its unit


def test_forest_filters_by_verdict_and_keeps_the_most_severe(report):
    fig = plots.forest(report, verdicts=["tension"], max_rows=None)
    ax = fig.axes[0]
    assert len(_ytick_labels(ax)) == len(_expected(report, ("tension",)))
    assert set(_medians(ax)) == {"tension"}
    fig = plots.forest(report, verdicts="unit slip")
    assert set(_medians(fig.axes[0])) == {"unit_slip"}
    fig = plots.forest(report, max_rows=5)
    assert len(_ytick_labels(fig.axes[0])) == 5
    assert set(_medians(fig.axes[0])) <= {"unit_slip", "contradiction"}
    assert any("5 of " in t for t in _texts(fig))  # says how many rows were left out
    with pytest.raises(ValueError, match="maybe"):
        plots.forest(report, verdicts=["maybe"])


def test_forest_is_800_px_wide_and_grows_with_rows(report, tmp_path):
    small, big = plots.forest(report, max_rows=5), plots.forest(report, max_rows=30)
    assert small.get_figwidth() * small.dpi == 800
    assert big.get_figheight() > small.get_figheight()
    png = (tmp_path / "f.png")
    plots.save(small, png)
    assert int.from_bytes(png.read_bytes()[16:20], "big") == 800  # IHDR width


# --------------------------------------------------------------------------- the other kinds
def test_training_tradeoff_reads_the_catalogue_and_calls_the_formula(report, monkeypatch):
    from gpt4leak.formulas import flops

    calls = []
    real = flops.implied_seconds

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(flops, "implied_seconds", spy)
    fig = plots.training_tradeoff(report)
    ax = fig.axes[0]
    assert calls  # days come from gpt4leak.formulas, not from the plot
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert "GPUs" in ax.get_xlabel() and "days" in ax.get_ylabel()
    texts = " ".join(_texts(fig))
    assert "~25,000 A100s" in texts and "90 to 100 days" in texts  # the leak's cluster
    assert "8,192 H100s" in texts and "55 days" in texts  # the H100 re-run, from the h100_rerun scenario
    assert "2.15e25 FLOP" in texts and "32 to 36%" in texts
    assert "1e25 FLOP" in " ".join(_texts(plots.training_tradeoff(report, flop=1e25)))


def test_memory_stacks_bytes_per_gpu_against_40_and_80_gb():
    fig = plots.memory()
    ax = fig.axes[0]
    assert "GB" in ax.get_ylabel()
    levels = {round(float(line.get_ydata()[0])) for line in ax.get_lines() if len(set(line.get_ydata())) == 1}
    assert {40, 80} <= levels
    texts = _texts(fig)
    assert sum(t.startswith("total ") for t in texts) == 4  # two training layouts, two serving contexts
    assert {"weights", "gradients", "optimizer states", "activations", "KV cache"} <= set(texts)
    assert any("TP 8 × PP 15" in t for t in texts)  # the layout is stated on the figure


def test_distribution_in_the_results_unit(report):
    mfu = report.by_check("flops.implied_mfu")[0]
    fig = plots.distribution(mfu)
    ax = fig.axes[0]
    assert "(%" in ax.get_xlabel()
    assert all(t.get_text().endswith("%") for t in ax.get_xticklabels() if t.get_text())
    flop = report.by_check("flops.forward_vs_active")[0]
    assert "FLOP" in plots.distribution(flop).axes[0].get_xlabel()
    limit = next(r for r in report.results if r.is_bound)
    assert any(t.startswith("limit") for t in _texts(plots.distribution(limit)))


def test_distribution_draws_given_samples():
    import numpy as np

    rep = gl.check_all(samples=2000, robust=False, only=["flops.implied_days"])
    r = rep.results[0]
    draws = np.random.default_rng(0).uniform(r.derived_low, r.derived_high, 500)
    fig = plots.distribution(r, samples=draws)
    assert len(fig.axes) == 2 and fig.axes[0].get_ylabel() == "share of draws"
    assert "days" in fig.axes[1].get_xlabel()


# --------------------------------------------------------------------------- dispatch, saving, import
def test_plot_dispatches_every_kind(report):
    for kind in plots.KINDS:
        fig = plots.plot(kind, report)
        assert isinstance(fig, Figure), kind
        assert any(ax.get_xlabel() or ax.get_ylabel() for ax in fig.axes), kind
    fig = plots.plot("distribution", report, result="flops.implied_days")
    assert "days" in fig.axes[-1].get_xlabel()  # under the histogram of the draws
    with pytest.raises(ValueError, match="forest"):
        plots.plot("pie", report)


def test_save_png_and_svg_and_refuses_other_suffixes(report, tmp_path):
    fig = plots.forest(report, max_rows=8)
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    assert plots.save(fig, png) == str(png)
    plots.save(fig, svg)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    assert b"<svg" in svg.read_bytes()[:2000] and svg.stat().st_size > 1000
    first = svg.read_bytes()
    plots.save(fig, svg)
    assert svg.read_bytes() == first  # deterministic: no dates, fixed ids
    with pytest.raises(ValueError, match=r"\.jpg"):
        plots.save(fig, tmp_path / "f.jpg")
    assert not (tmp_path / "f.jpg").exists()


def test_earlier_names_still_work(report, tmp_path):
    assert isinstance(plots.ratio_chart(report, max_rows=3), Figure)
    out = plots.save_ratio_chart(report, str(tmp_path / "r.png"), max_rows=3)
    assert (tmp_path / "r.png").stat().st_size > 0 and out.endswith("r.png")


def test_importing_the_package_does_not_import_matplotlib():
    code = ("import sys, gpt4leak, gpt4leak.plots; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_figure_shows_itself_in_a_notebook_and_pickles(report):
    import pickle

    fig = plots.plot("memory")
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"  # IPython displays it without pyplot
    assert isinstance(pickle.loads(pickle.dumps(fig)), Figure)


def test_the_distribution_plot_draws_the_engines_own_monte_carlo():
    """The histogram is the stream the result summarises: its median and 5-95 % are the result's, to the bit."""
    import numpy as np

    from gpt4leak.checks import draws
    rep = gl.check_all(samples=5_000, robust=False, only=["cost.training_cost"])
    r = rep["cost.training_cost/peleg2023/peleg2023.training_cost"]
    d = draws(r.id, rep.catalogue, samples=5_000)
    assert d.shape == (5_000,) and np.median(d) == pytest.approx(r.derived_median, rel=1e-12)
    assert np.percentile(d, 5) == pytest.approx(r.derived_p5, rel=1e-12)
    with pytest.raises(KeyError, match="no result"):
        draws("cost.training_cost/nobody/none", rep.catalogue, samples=100)
    fig = plots.plot("distribution", rep, result=r.id)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("$62.5M to $63.5M" in t for t in texts)  # money, not mathtext between two dollar signs
    assert all(not t.get_parse_math() for ax in fig.axes for t in ax.texts)
    assert any(p.get_height() > 0 for p in fig.axes[0].patches)  # the histogram is drawn
