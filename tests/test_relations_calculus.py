"""One calculus: the relations carry no physics of their own, and a stated shape checks against itself.

Every constant of physics (6 FLOPs per parameter per token, 8 for full recomputation, bytes per state, a head
width d/h) lives in gpt4leak.formulas, which Architecture sums and tests/executed proves against real model
code. A relation module may do the arithmetic of claims (a ratio of two costs) but carries no number of its
own and no numpy of its own.
"""

from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import gpt4leak as gl
from gpt4leak.checks.relations import MODULES
from gpt4leak.checks.relations import params as rel_params
from gpt4leak.formulas import params as fparams


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_relation_modules_carry_no_constants_and_no_numpy(module):
    tree = ast.parse(inspect.getsource(module))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert not any("numpy" in ast.dump(n) for n in imports), "numpy in a relation module"
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    constants = [(f.name, c.value) for f in funcs for c in ast.walk(f)
                 if isinstance(c, ast.Constant) and isinstance(c.value, (int, float))
                 and not isinstance(c.value, bool) and c.value not in (0, 1)]
    assert constants == [], f"numbers of physics belong in gpt4leak.formulas: {constants}"


def test_the_guard_catches_a_constant():
    """The guard must break on the kind of code it forbids: 6 N D written inline."""
    tree = ast.parse("def f(n, d):\n    return 6 * n * d\n")
    found = [c.value for c in ast.walk(tree) if isinstance(c, ast.Constant) and c.value not in (0, 1)]
    assert found == [6]


def _shape_claims(arch: gl.Architecture, sig: int = 2):
    """Claims a reader would write down for a published model: the shape exact, the total to 2 figures."""
    def r(x):
        return float(f"{x:.{sig - 1}e}")
    return r(arch.total_params), r(arch.active_params)


archs = st.builds(
    lambda L, h, hd_ratio, kv_div, ff, gated_, tied_, E, k, vocab: dict(
        n_layers=L, d_model=h * 64, n_heads=h, n_kv_heads=h // kv_div if h % kv_div == 0 else h,
        head_dim=int(64 * hd_ratio), d_ff=ff * 64, mlp="gated" if gated_ else "gelu", tie_embeddings=tied_,
        vocab_size=vocab, n_experts=E, experts_per_token=min(k, E) if E else None,
        position="rotary", norm="rmsnorm"),
    st.integers(2, 96), st.integers(2, 64), st.sampled_from([0.5, 1.0, 2.0]), st.sampled_from([1, 2, 4, 8]),
    st.integers(4, 512), st.booleans(), st.booleans(), st.sampled_from([0, 0, 8, 16, 64]), st.integers(1, 8),
    st.integers(1000, 256_000))


@settings(max_examples=150, deadline=None)
@given(archs)
def test_a_true_shape_is_never_in_tension_with_its_own_rounded_total(fields):
    """Random dense and MoE, gated and GELU, tied and untied models: the shape relations, fed the model's own
    shape and kinds (as a control states them), agree with its total rounded to two significant figures."""
    arch = gl.Architecture(**fields)
    total = float(f"{arch.total_params:.1e}")
    kinds = dict(mlp_kind=3.0 if arch.mlp == "gated" else 2.0, tables=1.0 if arch.tie_embeddings else 2.0)
    common = dict(n_layers=arch.n_layers, d_model=arch.d_model, n_heads=arch.n_heads, vocab=arch.vocab_size,
                  d_head=arch.head_dim, n_kv_heads=arch.n_kv_heads, **kinds)
    if arch.n_experts:
        span, _ = rel_params._moe_shape("total")(n_experts=arch.n_experts, k=arch.experts_per_token,
                                                  expert_d_ff=arch.expert_d_ff, **common)
    else:
        span, _ = rel_params._dense_shape(d_ff=arch.d_ff, **common)
    lo, hi = float(np.min(span.low)), float(np.max(span.high))
    assert lo <= arch.total_params <= hi  # the exact count lies inside the span the relation derives
    half = 0.5 * 10 ** (np.floor(np.log10(total)) - 1)  # "~" on two figures: ± half a unit in the last digit
    verdict, _, _ = gl.checks.verdicts.judge(total - half, total + half, lo, hi, "parameter")
    assert verdict == "consistent"


def test_a_gelu_tied_model_is_not_contradicted_by_its_own_size():
    """GPT-3 175B (Brown et al. 2020 Table 2.1): GELU, tied embeddings; the shape relation without stated
    kinds spans both (two-matrix and tied at the low end), and with them stated it matches the published size."""
    common = dict(n_layers=96, d_model=12288, n_heads=96, vocab=50257, d_ff=4 * 12288)
    span, _ = rel_params._dense_shape(**common, mlp_kind=2.0, tables=1.0)
    assert 174e9 < float(span.low) < 175.5e9 and float(span.high) < 176e9
    gated_untied, _ = rel_params._dense_shape(**common, mlp_kind=3.0, tables=2.0)  # the old hard-wired reading
    assert float(gated_untied.low) > 230e9  # 1.3x off: a contradiction on GPT-3's own published size


def test_decoder_params_is_what_architecture_sums():
    """Llama-2-70B's released config (68,976,648,192 parameters): Architecture and decoder_params agree."""
    arch = gl.Architecture(n_layers=80, d_model=8192, n_heads=64, n_kv_heads=8, d_ff=28672, vocab_size=32000,
                           mlp="gated", norm="rmsnorm", position="rotary")
    assert arch.total_params == 68_976_648_192
    b = fparams.decoder_params(80, 8192, 64, 8, 128, 28672, 32000, gated=True, tied=False)
    assert b["total"] == arch.total_params


def test_the_engine_renders_nothing():
    """The engine (checks, relations, robustness, verdicts) returns numbers; text is made by the faces."""
    import subprocess
    import sys
    code = ("import sys, gpt4leak as gl; rep = gl.check_all(samples=200, robust=True); "
            "assert len(rep) > 100; print('gpt4leak.report' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def _yaml_catalogue(arch: gl.Architecture, path) -> None:
    """A control a reader would write for a published model: the config's shape exactly, the kinds in words,
    the totals as a paper rounds them (two significant figures, "approximately")."""
    def rounded(x):
        return f"{float(f'{x:.1e}'):.6g} parameter"
    rows = [("n_layers", arch.n_layers), ("d_model", arch.d_model), ("n_heads", arch.n_heads),
            ("n_kv_heads", arch.n_kv_heads), ("d_head", arch.head_dim), ("vocab_size", arch.vocab_size)]
    rows += [("n_experts", arch.n_experts), ("experts_per_token", arch.experts_per_token),
             ("expert_d_ff", arch.expert_d_ff)] if arch.n_experts else [("d_ff", arch.d_ff)]
    claims = [dict(id=f"cfg.{k}", source="cfg", quantity=k, value=str(v), qualifier="exact") for k, v in rows]
    claims += [dict(id="cfg.mlp_kind", source="cfg", quantity="mlp_kind",
                    label="SwiGLU" if arch.mlp == "gated" else "GELU", qualifier="exact"),
               dict(id="cfg.embedding_tying", source="cfg", quantity="embedding_tying",
                    label="tied" if arch.tie_embeddings else "untied", qualifier="exact"),
               dict(id="paper.total_params", source="paper", quantity="total_params",
                    value=rounded(arch.total_params), qualifier="approximately")]
    if arch.n_experts:
        claims.append(dict(id="paper.active_params", source="paper", quantity="active_params",
                           value=rounded(arch.active_params), qualifier="approximately"))
    sources = [dict(id=s, title="t", author="a", outlet="o", date="2024-01-01", url="https://example.org",
                    citation="c", language="en", kind="published") for s in ("cfg", "paper")]
    import yaml
    for c in claims:
        c.update(subject="m", quote="q")
    path.write_text(yaml.safe_dump({"sources": sources, "subjects": [{"id": "m", "name": "M"}], "claims": claims},
                                   sort_keys=False))


@settings(max_examples=40, deadline=None)
@given(archs)
def test_a_true_model_written_as_a_control_raises_no_alarm(tmp_path_factory, fields):
    """The same property through the whole engine (loader, instantiation, verdicts, capping): a random true
    model written down as a control gets no tension, contradiction or unit slip from any shape relation."""
    arch = gl.Architecture(**fields)
    path = tmp_path_factory.mktemp("ctl") / "m.yaml"
    _yaml_catalogue(arch, path)
    rep = gl.check_all(gl.load_catalogue(path), only=["params"], samples=200)
    judged = [r for r in rep.results if r.verdict != "info"]
    assert judged, "a shape relation must reach the control"
    assert [(r.id, r.verdict) for r in judged if r.is_alarm] == []


def test_the_engine_property_breaks_on_a_wrong_calculus(tmp_path, monkeypatch):
    """The guard must fail when the calculus is wrong: a gated MLP counted with two matrices."""
    from gpt4leak.formulas import params as fp
    arch = gl.Architecture(n_layers=32, d_model=4096, n_heads=32, d_ff=11008, vocab_size=32000, mlp="gated",
                           position="rotary", norm="rmsnorm")
    _yaml_catalogue(arch, tmp_path / "m.yaml")
    real = fp.mlp_params.bare
    monkeypatch.setattr(fp.mlp_params, "bare", lambda d, f, gated=False, bias=False: real(d, f, False, bias))
    rep = gl.check_all(gl.load_catalogue(tmp_path / "m.yaml"), only=["params"], samples=200)
    assert any(r.is_alarm for r in rep.results)


def test_threads_change_nothing(monkeypatch):
    """check_all spreads results over two threads; the report is byte-identical to a sequential run."""
    import concurrent.futures as cf

    threaded = gl.check_all(samples=3000).to_json()

    class Sequential:
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def map(self, f, xs):
            return map(f, xs)

    monkeypatch.setattr(cf, "ThreadPoolExecutor", Sequential)
    assert gl.check_all(samples=3000).to_json() == threaded
