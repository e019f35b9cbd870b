"""Calibration: the checks stay quiet on published, true training runs; robustness and independence.

Controls (claims/controls/) hold numbers from each model's own paper or config; a contradiction or a unit
slip on them is a false alarm, and the target is zero.
"""

import math
import shutil

import pytest
import yaml

import gpt4leak as gl
from gpt4leak.calibration import calibrate, control_paths
from gpt4leak.checks import check_all
from gpt4leak.checks.independence import support_index
from gpt4leak.catalogue import default_catalogue_path

SAMPLES = 5000


@pytest.fixture(scope="module")
def calibration():
    return calibrate(samples=SAMPLES)


@pytest.mark.parametrize("path", control_paths(), ids=lambda p: p.stem)
def test_each_control_runs_end_to_end_without_false_alarms(path, calibration):
    rep = calibration.reports[path.stem]
    judged = [r for r in rep.results if r.verdict != "info"]
    assert judged, f"no relation fires on {path.name}: the control calibrates nothing"
    alarms = [(r.id, r.verdict) for r in rep.results if r.verdict in ("contradiction", "unit_slip")]
    assert alarms == []


def test_every_tension_on_a_control_carries_its_reason(calibration):
    for r in calibration.results:
        if r.verdict == "tension":
            assert r.robustness, r.id
            assert "consistent if" in calibration.reasons(r)


def test_false_alarm_rate_is_zero_and_printed(calibration):
    assert calibration.false_alarms == 0
    text = calibration.to_text(80)
    assert "false alarms (tensions, contradictions and unit slips): 0 (0.0 %)" in " ".join(text.split())
    assert all(len(line) <= 80 for line in text.splitlines())


def _mis_scaled_control(tmp_path, file, claim_id, new_value):
    doc = yaml.safe_load((default_catalogue_path() / "controls" / file).read_text(encoding="utf-8"))
    for c in doc["claims"]:
        if c["id"] == claim_id:
            c["value"] = new_value
            break
    else:
        raise AssertionError(f"{claim_id} not in {file}")
    out = tmp_path / file
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_gpt3_compute_mis_scaled_by_1000_is_a_unit_slip_of_1000(tmp_path):
    # Brown et al. 2020 Table D.1: 3.14E+23 FLOPs; written as 3.14E+26 by mistake (x1000)
    path = _mis_scaled_control(tmp_path, "gpt3.yaml", "brown2020.training_flop", "3.14e26 FLOP")
    rep = check_all(gl.load_catalogue(path), samples=SAMPLES, robust=False)
    hits = [r for r in rep.results if r.check_id == "flops.training_6nd"
            and r.target_claim.id == "brown2020.training_flop"]
    assert hits and all(r.verdict == "unit_slip" for r in hits)
    assert {r.slip.factor for r in hits} == {1000.0}
    assert all("SI prefix" in r.slip.reading for r in hits)


def test_deepseek_cost_mis_scaled_by_100_is_read_as_cents(tmp_path):
    # DeepSeek-V3 Table 1: $5.576M in total; written 100x too large it reads as cents, not dollars
    path = _mis_scaled_control(tmp_path, "deepseek_v3.yaml", "deepseek2024.full_training.training_cost",
                               "557.6 million USD")
    rep = check_all(gl.load_catalogue(path), samples=SAMPLES, robust=False)
    [r] = [r for r in rep.results if r.check_id == "cost.from_gpu_hours" and r.scenario == "full_training"]
    assert r.verdict == "unit_slip" and r.slip.factor == 100.0
    assert "cents" in r.slip.reading


@pytest.fixture(scope="module")
def leak():
    return check_all(samples=SAMPLES)


def test_robustness_of_the_63m_cost_checked_by_hand(leak):
    # cost = GPUs x days x 24 h x price. Derived bounds: 24,500 x 90 x 24 x $1 = $52.92M to
    # 25,500 x 100 x 24 x $1 = $61.2M; claimed "about $63 million" = [62.5, 63.5] M -> tension.
    # It turns consistent when the upper bound reaches 62.5M: price >= 62.5 / 61.2 = 1.0212 $/h,
    # or days scaled by the same 1.0212 (upper end 102.1 days).
    [r] = [r for r in leak.by_check("cost.training_cost") if r.scenario == "main"
           and r.target_claim.id == "peleg2023.training_cost"]
    assert r.verdict == "tension"
    flips = {f.id: f for f in r.robustness if f.new_verdict == "consistent"}
    assert flips["peleg2023.gpu_hour_price"].factor == pytest.approx(62.5 / 61.2, rel=2e-3)
    assert flips["peleg2023.training_days"].factor == pytest.approx(62.5 / 61.2, rel=2e-3)
    # and it turns into a contradiction when the derived upper end falls below 62.5 / 1.25 = 50 M
    down = {f.id: f for f in r.robustness if f.new_verdict == "contradiction"}
    assert down["peleg2023.gpu_hour_price"].factor == pytest.approx(50 / 61.2, rel=2e-3)


def test_robustness_of_the_h100_mfu_checked_by_hand(leak):
    # implied MFU = 2.15e25 / (8192 x 989.4e12 x 55 x 86400): bounds from 2.145e25 / (8192.5 x ... x 55.5 d)
    # to 2.155e25 / (8191.5 x ... x 54.5 d); claimed MFU (A100 run) 32-36 %. A contradiction: the gap is
    # low_derived / 0.36 > 1.25. It becomes a tension when low_derived <= 0.36 x 1.25 = 0.45, i.e. when the
    # bf16 peak grows by low_derived / 0.45.
    [r] = [r for r in leak.by_check("flops.implied_mfu") if r.scenario == "h100_rerun" and not r.borrowed]
    low = 2.145e25 / (8192.5 * 989.4e12 * 55.5 * 86400)
    assert r.derived_low == pytest.approx(low, rel=1e-9)
    assert r.verdict == "contradiction"
    peak = {f.id: f for f in r.robustness if f.kind == "assumption"}["hw.h100_sxm.peak_bf16"]
    assert peak.new_verdict == "tension"
    assert peak.factor == pytest.approx(low / 0.45, rel=2e-3)


def test_a_computed_claim_does_not_raise_the_independent_source_count():
    cat = gl.load_catalogue()
    support = support_index(cat)
    # AINLP computes 1831B = 16 x 111B + 55B: it is arithmetic on claims, so it supports nothing
    assert cat["ainlp2023.total_params"].derived_from
    assert support["ainlp2023.total_params"].independent == 0
    # Peleg's ~1.8T, restated by the Chinese translation of the report, has one root: SemiAnalysis
    s = support["peleg2023.total_params"]
    assert s.roots == ("semianalysis2023",)
    assert "weixueai2023" in s.sources and s.independent == 1


def test_hotz_is_independent_of_the_semianalysis_report():
    cat = gl.load_catalogue()
    from gpt4leak.checks.independence import source_roots
    roots = source_roots(cat)
    assert roots["hotz2023"] == ("hotz2023",)
    assert roots["cver2023"] == ("semianalysis2023",)  # a translation of a digest of the report


def test_a_new_leak_file_is_checked_with_no_code_change(tmp_path):
    # a made-up rumour about another model, in its own file: the same relations apply to it
    shutil.copy(default_catalogue_path() / "sources.yaml", tmp_path / "sources.yaml")
    (tmp_path / "rumour.yaml").write_text(
        "source:\n  id: rumour\n  title: A rumour\n  url: https://example.org/r\n  language: en\n  kind: rumour\n"
        "subjects:\n  - {id: model-x, name: Model X}\n"
        "claims:\n"
        "  - {id: rumour.experts, source: rumour, subject: model-x, quantity: n_experts, value: '8',"
        " qualifier: exact, quote: '8 experts'}\n"
        "  - {id: rumour.expert, source: rumour, subject: model-x, quantity: expert_mlp_params,"
        " value: 10B parameters, qualifier: exact, quote: 'experts of 10B'}\n"
        "  - {id: rumour.shared, source: rumour, subject: model-x, quantity: shared_attention_params,"
        " value: 5B parameters, qualifier: exact, quote: '5B shared'}\n"
        "  - {id: rumour.total, source: rumour, subject: model-x, quantity: total_params,"
        " value: 85B parameters, qualifier: exact, quote: '85B in all'}\n", encoding="utf-8")
    rep = check_all(gl.load_catalogue(tmp_path), samples=SAMPLES)
    [r] = rep.by_check("params.total_from_experts")
    assert r.derived_median == 8 * 10e9 + 5e9 and r.verdict == "consistent"
    assert math.isfinite(r.derived_high)


def test_at_least_twelve_controls_dense_and_moe_gpu_and_tpu(calibration):
    assert len(calibration.reports) >= 12
    subjects = {r.subject for r in calibration.results}
    assert {"mixtral-8x7b", "olmoe-1b-7b", "deepseek-v3"} <= subjects          # mixture of experts
    assert {"palm-540b", "gopher-280b"} <= subjects                               # TPU runs
    assert {"gpt-3", "mpt-7b", "bloomberggpt"} <= subjects                        # two-matrix MLP, tied


def test_every_negative_control_is_caught(calibration):
    """Each control mis-stated on purpose (x1000 FLOP, cents for dollars, twice the GPUs, MQA for MHA, experts
    swapped with top-k) must raise an alarm on a result that uses the mis-stated claim."""
    assert len(calibration.negatives) >= 12
    assert {n.mutation for n in calibration.negatives} >= {
        "compute x1000", "cents read as dollars", "twice the GPUs", "MQA stated for an MHA model",
        "expert count swapped with top-k"}
    missed = [(n.control, n.mutation, n.claim_id) for n in calibration.negatives if not n.caught]
    assert missed == []
    assert f"{len(calibration.negatives)} of {len(calibration.negatives)} caught" in calibration.to_text()


def test_a_tension_on_a_control_is_a_false_alarm(tmp_path):
    """The false-alarm count includes tensions: a control with a 10 % slip in its GPU-hours is flagged."""
    import yaml
    src = yaml.safe_load((control_paths()[0].parent / "llama_65b.yaml").read_text())
    for c in src["claims"]:
        if c["id"] == "touvron2023a.training_gpu_hours":
            c["value"] = "1,130,000 GPU hours"
    (tmp_path / "llama_65b.yaml").write_text(yaml.safe_dump(src, allow_unicode=True))
    rep = calibrate(tmp_path, samples=SAMPLES, negatives=False)
    assert rep.false_alarms >= 1
    assert any(r.verdict == "tension" for r in rep.results)


def test_listed_source_discrepancies_are_real_and_explained(calibration):
    """Every entry of claims/controls/known/discrepancies.yaml still raises an alarm (none is stale), carries its
    arithmetic, and is counted apart from false alarms."""
    from gpt4leak.calibration import discrepancies
    listed = discrepancies()
    assert listed and calibration.stale == ()
    assert all(len(d.reason) > 60 and any(ch.isdigit() for ch in d.reason) for d in listed)
    explained = calibration.explained
    assert {(n, r.check_id) for n, r, _d in explained} == {(d.control, d.check) for d in listed}
    assert "source discrepancies" in " ".join(calibration.to_text().split())


def test_a_stale_discrepancy_is_reported(tmp_path):
    """A discrepancy entry that no alarm reproduces (the control was fixed, or the check changed) is stale."""
    import shutil
    shutil.copy(control_paths()[0].parent / "llama_65b.yaml", tmp_path)
    (tmp_path / "known").mkdir()
    (tmp_path / "known" / "discrepancies.yaml").write_text(
        "discrepancies:\n  - {control: llama_65b, check: cost.gpu_hours, claim: touvron2023a.training_gpu_hours, "
        "reason: 'made up for the test: 1,022,362 GPU-hours against 2048 GPUs x 21 days = 1,032,192'}\n")
    rep = calibrate(tmp_path, samples=SAMPLES, negatives=False)
    assert rep.false_alarms == 0 and len(rep.stale) == 1 and rep.explained == []


#: The relation families of issue 10 and the checks that exercise each (a judged verdict on a control).
FAMILIES = {
    "shape": ("params.",),
    "FLOPs": ("flops.training_6nd", "flops.training_palm", "flops.training_from_hardware"),
    "hardware and MFU": ("flops.mfu_from_gpu_hours", "flops.implied_mfu", "flops.mfu_from_throughput",
                         "parallel.bubble_mfu"),
    "days": ("cost.gpu_hours", "cost.implied_days", "flops.implied_days"),
    "GPU-hours": ("cost.gpu_hours", "cost.from_gpu_hours", "flops.mfu_from_gpu_hours"),
    "cost": ("cost.training_cost", "cost.from_gpu_hours", "cost.implied_days", "agree.training_cost"),
    "memory": ("memory.",),
    "inference": ("inference.",),
    "scaling": ("scaling.",),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_every_relation_family_is_exercised_by_three_controls(calibration, family):
    prefixes = FAMILIES[family]
    controls = {name for name, rep in calibration.reports.items() for r in rep.results
                if r.verdict not in ("info", "undetermined") and r.check_id.startswith(prefixes)}
    assert len(controls) >= 3, (family, sorted(controls))
