"""The solver's figure (gpt4leak.plots.feasible_region): the feasible d_model x d_ff by attention kind."""

import pytest

pytest.importorskip("matplotlib")

from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from gpt4leak import plots
from gpt4leak.solver import load_space, solve

Q1 = ("peleg2023.shared_attention_params", "peleg2023.expert_mlp_params", "peleg2023.n_layers", "n_kv_heads=1")


@pytest.fixture(scope="module")
def q1():
    return solve(Q1, load_space().restrict(n_layers=[120]), top=3)


@pytest.fixture(scope="module")
def figure(q1):
    return plots.feasible_region(q1)


def _points(fig):
    return [tuple(xy) for c in fig.axes[0].collections if isinstance(c, PathCollection) for xy in c.get_offsets()]


def test_the_q1_region_is_a_labelled_scatter_of_mqa_candidates(q1, figure):
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    assert ax.get_xlabel().startswith("d_model") and "(dimensions)" in ax.get_xlabel()
    assert ax.get_ylabel().startswith("d_ff") and "(dimensions)" in ax.get_ylabel()
    points = _points(figure)
    assert points
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("MQA") for t in legend)
    assert not any(t.startswith(("MHA", "GQA")) for t in legend)  # n_kv_heads=1: multi-query only


def test_the_region_is_re_enumerated_not_the_solutions_top(q1, figure):
    """The solution keeps 3 candidates; the figure draws every feasible one (96, on a few distinct points)."""
    assert len(q1.top) == 3 and q1.feasible > 3
    every = solve(q1.constraints, q1.space, top=q1.feasible)
    expected = {(c.derived["d_model"], c.derived["d_ff"]) for c in every.top}
    assert set(_points(figure)) == expected
    assert f"{q1.feasible:,} candidates" in " ".join(t.get_text() for t in figure.axes[0].get_legend().get_texts())
    lo, hi = q1.derived_range("d_model")
    assert all(lo <= x <= hi for x, _ in _points(figure))


def test_the_title_names_the_constraints_in_words(q1, figure):
    title = figure.axes[0].get_title(loc="left")
    assert f"{q1.feasible:,} of {q1.size:,} candidates meet all 4 constraints" in title
    assert "Transformer layers 120" in title and "n_kv_heads=1" in title


def test_max_points_caps_what_is_drawn():
    sol = solve(("peleg2023.expert_mlp_params", "peleg2023.n_layers", "peleg2023.shared_attention_params"),
                load_space().restrict(n_layers=[120]), top=1)
    fig = plots.feasible_region(sol, max_points=40)
    title = fig.axes[0].get_title(loc="left")
    assert "the 40 closest to the claims are drawn" in title
    counts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert sum(int(t.rsplit(": ", 1)[1].split()[0].replace(",", "")) for t in counts) == 40
    assert {t[:3] for t in counts} <= {"MHA", "GQA", "MQA"}


def test_other_axes_and_an_infeasible_solution():
    sol = solve(("peleg2023.n_layers", "n_kv_heads=1"), load_space().restrict(n_layers=[120], d_model=[12288]),
                top=1)
    fig = plots.feasible_region(sol, x="n_heads", y="total_params", max_points=500)
    assert fig.axes[0].get_ylabel() == "total_params: total parameters (parameters)"
    assert _points(fig)
    with pytest.raises(ValueError, match="no 'nonsense'"):
        plots.feasible_region(sol, x="nonsense")
    none = solve(("n_layers=10", "n_kv_heads=1"), load_space().restrict(n_layers=[120], d_model=[12288]))
    assert none.feasible == 0
    fig = plots.feasible_region(none)
    assert not _points(fig)
    assert "no candidate of the space meets every constraint" in " ".join(t.get_text() for t in fig.texts
                                                                           + fig.axes[0].texts)


def test_it_saves_as_a_readable_png(figure):
    path = plots.save(figure, "/tmp/feasible.png")
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert figure.get_size_inches()[0] * figure.dpi == 800


def test_cli_solve_draws_the_feasible_region(tmp_path, capsys):
    from gpt4leak.cli import main
    out = tmp_path / "region.png"
    assert main(["solve", "--claims", "peleg2023.n_layers", "peleg2023.expert_mlp_params",
                 "peleg2023.shared_attention_params", "--constraint", "n_kv_heads=1", "--plot", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
