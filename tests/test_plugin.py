"""The pytest plugin (``pytest --gpt4leak``) on temporary projects, run with pytester.

What a user relies on: one test item per check result; a verdict pinned in the
catalogue (top-level ``pinned:`` mapping, result id -> verdict) passes when it
holds and fails, naming both verdicts and without a Python traceback, when it
does not; unpinned results are skipped with the verdict found; the fixtures
``catalogue``, ``check`` and ``report`` work in the user's own tests.
"""

from __future__ import annotations

import shutil

import pytest

import gpt4leak
from gpt4leak.catalogue import default_catalogue_path

pytest_plugins = ["pytester"]

SAMPLES = ("--gpt4leak-samples", "2000")
HOLDS = "cost.training_cost/peleg2023/peleg2023.training_cost"               # tension: $57.0M vs $63M
BROKEN = "flops.forward_vs_active/peleg2023/peleg2023.forward_flop_per_token"  # unit_slip, pinned as consistent


@pytest.fixture(scope="module")
def n_results():
    """How many results the shipped catalogue gives (the count does not depend on the samples)."""
    return len(gpt4leak.check_all(samples=10, robust=False))


def test_one_item_per_check_result(pytester, n_results):
    # the shipped catalogue pins its published verdicts (claims/pinned.yaml): every pin must hold
    result = pytester.runpytest("--gpt4leak", *SAMPLES, "-v")
    outcomes = result.parseoutcomes()
    # one item per result, plus one that every pinned verdict still has its result
    assert sum(outcomes.get(k, 0) for k in ("passed", "skipped", "failed")) == n_results + 1
    assert outcomes.get("failed", 0) == 0 and result.ret == 0
    # one item per result, named by the result id
    result.stdout.fnmatch_lines([f"*::gpt4leak::{BROKEN} PASSED*", f"*::gpt4leak::{HOLDS} PASSED*"])


def test_without_the_option_no_items(pytester):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest(*SAMPLES)
    result.assert_outcomes(passed=1)


def test_pinned_verdicts_pass_and_fail_without_traceback(pytester, n_results):
    cat = pytester.path / "catalogue"
    cat.mkdir()
    for f in default_catalogue_path().glob("*.yaml"):
        shutil.copy(f, cat / f.name)
    (cat / "pinned.yaml").write_text(
        "pinned:\n"
        f"  {HOLDS}: tension\n"
        f"  {BROKEN}: consistent\n", encoding="utf-8")
    result = pytester.runpytest("--gpt4leak", *SAMPLES, "--gpt4leak-catalogue", str(cat), "-rs")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed") == 2  # the pinned result that holds, and the pins-exist item
    assert outcomes.get("failed") == 1
    assert outcomes.get("skipped") == n_results - 2
    assert result.ret == 1
    text = result.stdout.str()
    # the failure names both verdicts, the numbers and the claims, and shows no Python traceback
    assert "verdict changed: pinned 'consistent', found 'unit_slip'" in text
    assert "off by about 1000x" in text
    assert "peleg2023.forward_flop_per_token" in text
    failure = text.split("= FAILURES =")[1].split("short test summary")[0]
    assert "Traceback" not in failure
    assert "raise VerdictChanged" not in failure and "def runtest" not in failure
    assert ".py:" not in failure
    assert f"gpt4leak check {BROKEN}" in failure  # the section title from reportinfo
    # results without a pin are skipped, with the verdict they found
    result.stdout.fnmatch_lines(["*no pinned verdict (found: *)*"])


def test_fixtures_in_a_users_test(pytester):
    pytester.makepyfile(
        """
        import pytest

        def test_catalogue(catalogue):
            assert any(c.id == "peleg2023.training_cost" for c in catalogue.claims)

        def test_check_pins_a_finding(check):
            results = check("cost.training_cost")
            main = [r for r in results if r.scenario == "main" and r.target_claim.id == "peleg2023.training_cost"]
            assert [r.verdict for r in main] == ["tension"]
            # 25,000 GPUs x 95 days x 24 h x $1 = $57.0M
            assert main[0].derived_median == pytest.approx(25000 * 95 * 24, rel=1e-2)

        def test_check_unknown_id(check):
            with pytest.raises(KeyError, match="no.such_check"):
                check("no.such_check")

        def test_report(report, check):
            assert report.samples == 2000 and report.seed == 3
            assert report.by_check("cost.training_cost") == check("cost.training_cost")
        """
    )
    result = pytester.runpytest(*SAMPLES, "--gpt4leak-seed", "3")
    result.assert_outcomes(passed=4)
