"""The ``gpt4leak`` command, called in-process through gpt4leak.cli.main (capsys for its output).

Bad input must end with exit status 2 and one line on stderr that names what was
wrong (the id, the unit), never a Python traceback. The runs use --only and small
sample counts to stay fast.
"""

from __future__ import annotations

import json

import pytest

import gpt4leak
from gpt4leak.cli import main


def _err_lines(capsys):
    out, err = capsys.readouterr()
    return out, [line for line in err.splitlines() if line.strip()]


# ----------------------------------------------------------------------------- bad overrides
def test_assume_wrong_unit_exits_2_with_one_line_naming_the_id(capsys):
    # a price per GPU-hour given in gigabytes
    assert main(["check", "--assume", "price.a100_hour=3GB"]) == 2
    out, err = _err_lines(capsys)
    assert out == ""
    assert len(err) == 1
    assert err[0].startswith("gpt4leak: error:")
    assert "price.a100_hour" in err[0] and "GB" in err[0]
    assert "Traceback" not in err[0]


def test_assume_unknown_id_exits_2_naming_it(capsys):
    assert main(["check", "--assume", "price.a1000_hour=1 USD/GPU/hour"]) == 2
    _, err = _err_lines(capsys)
    assert len(err) == 1 and "unknown assumption id 'price.a1000_hour'" in err[0]


def test_assume_nan_exits_2_naming_the_id(capsys):
    assert main(["check", "--assume", "price.a100_hour=nan"]) == 2
    _, err = _err_lines(capsys)
    assert len(err) == 1 and "price.a100_hour" in err[0]


def test_claim_unknown_id_exits_2_naming_it(capsys):
    assert main(["check", "--claim", "peleg2023.no_such_claim=8"]) == 2
    _, err = _err_lines(capsys)
    assert len(err) == 1 and "peleg2023.no_such_claim" in err[0]


def test_claim_wrong_unit_exits_2_naming_the_id(capsys):
    assert main(["check", "--claim", "peleg2023.training_days=3 GB"]) == 2
    _, err = _err_lines(capsys)
    assert "peleg2023.training_days" in err[0]
    assert not any("Traceback" in line for line in err)


def test_assume_without_equals_sign_exits_2_naming_the_item(capsys):
    assert main(["check", "--assume", "price.a100_hour"]) == 2
    _, err = _err_lines(capsys)
    assert len(err) == 1 and "price.a100_hour" in err[0] and "ID=VALUE" in err[0]


@pytest.mark.parametrize("samples", ["0", "-5", "many"])
def test_samples_must_be_a_positive_whole_number(samples, capsys):
    # argparse rejects it (exit 2) instead of numpy failing deep inside the Monte Carlo
    with pytest.raises(SystemExit) as exc:
        main(["check", "--samples", samples, "--only", "batch.tokens_per_expert"])
    assert exc.value.code == 2
    assert "--samples" in capsys.readouterr().err


def test_unknown_catalogue_path_exits_2(capsys, tmp_path):
    assert main(["check", "--catalogue", str(tmp_path / "missing")]) == 2
    _, err = _err_lines(capsys)
    assert "missing" in err[0] or any("missing" in line for line in err)


# ----------------------------------------------------------------------------- check
def test_check_table_fits_80_columns(capsys):
    assert main(["check", "--width", "80", "--samples", "2000", "--only", "cost", "flops.forward_vs_active",
                 "inference.kv_mqa_32k_a100_40gb"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert [line for line in lines if len(line) > 80] == []
    flat = " ".join(out.split())  # findings first, one sentence each, numbers as practitioners write them
    assert "TENSION: Training cost ~$63M (peleg2023) is in tension with $57M from the GPUs, days and GPU-hour " \
           "price (ratio 1.11) [cost.training_cost]" in flat
    assert "UNIT SLIP: Forward FLOPs per token 560 TFLOP as written (peleg2023) is a unit slip: first principles " \
           "give 561 GFLOP" in flat
    assert "cost.training_cost/peleg2023/peleg2023.training_cost" not in out  # the per-result table: --details
    assert main(["check", "--width", "80", "--samples", "2000", "--details", "--only", "cost"]) == 0
    out = capsys.readouterr().out
    assert "cost.training_cost/peleg2023/peleg2023.training_cost" in out
    assert [line for line in out.splitlines() if len(line) > 80] == []


def test_check_json_only_and_what_if(capsys):
    # what if the run took 105 days? 25,000 x 105 x 24 x $1 = $63.0M: the cost claim becomes consistent
    assert main(["check", "--format", "json", "--samples", "2000", "--only", "cost.training_cost",
                 "--claim", "peleg2023.training_days=105 days"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and all(d["check"] == "cost.training_cost" for d in data)
    d = next(d for d in data if d["id"] == "cost.training_cost/peleg2023/peleg2023.training_cost")
    assert d["verdict"] == "consistent"
    assert d["derived"]["median"] == pytest.approx(25000 * 105 * 24 / 1e6, rel=1e-2)  # in MUSD
    assert d["derived"]["unit"] == "MUSD"


def test_check_assume_changes_a_verdict(capsys):
    # Chinchilla total with 15 tokens per parameter: 15 x 1.75T / 13.5T = 1.94 <= 2 -> consistent
    assert main(["check", "--format", "json", "--samples", "2000", "--only", "scaling.chinchilla_total",
                 "--assume", "scaling.tokens_per_param=15 token/parameter"]) == 0
    data = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert data["scaling.chinchilla_total/peleg2023/peleg2023.chinchilla_token_ratio"]["verdict"] == "consistent"


def test_check_markdown(capsys):
    assert main(["check", "--format", "markdown", "--samples", "2000", "--seed", "3",
                 "--only", "batch.tokens_per_expert"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Fact-check: the leaked details of GPT-4\n")
    assert "seed 3" in out and "(check `batch.tokens_per_expert`, claim vs claim)" in out
    # the exact command given, every option kept
    assert "\ngpt4leak check --format markdown --samples 2000 --seed 3 --only batch.tokens_per_expert\n" in out


# ----------------------------------------------------------------------------- explain, report, claims, version
def test_explain(capsys):
    assert main(["explain", "cost.implied_days", "--samples", "2000"]) == 0
    out = capsys.readouterr().out
    assert "cost.implied_days/peleg2023/peleg2023.training_days" in out
    assert "days = cost / (GPUs × 24 h × price)" in out
    flat = " ".join(out.split())  # the text is wrapped at the width
    assert "\u201cIf their cost in the cloud was about $1 per A100 hour" in flat


def test_explain_unknown_check_exits_2_naming_it(capsys):
    assert main(["explain", "no.such_check"]) == 2
    _, err = _err_lines(capsys)
    assert len(err) == 1 and "no.such_check" in err[0]


def test_report_writes_the_markdown_file(tmp_path, capsys):
    path = tmp_path / "report.md"
    assert main(["report", "-o", str(path), "--samples", "2000", "--only", "batch.tokens_per_expert"]) == 0
    out = capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    cat = gpt4leak.load_catalogue()
    assert cat.hash in out and cat.hash in text
    assert text.startswith("# Fact-check: the leaked details of GPT-4")


def test_claims_json_filters_by_source(capsys):
    assert main(["claims", "--source", "hotz2023", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and {d["source"] for d in data} == {"hotz2023"}
    assert any(d["id"] == "hotz2023.expert_params" for d in data)


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == gpt4leak.__version__


# ----------------------------------------------------------------------------- faces for CI and scripts
def test_fail_on_sets_the_exit_code_from_comparisons_of_claims_only(capsys):
    """Exit 1 when a claim comparison has a listed verdict; what-ifs (layouts nobody claimed) never fail a run."""
    assert main(["check", "--samples", "2000", "--only", "cost.training_cost", "--fail-on", "unit_slip"]) == 0
    assert main(["check", "--samples", "2000", "--only", "cost.training_cost", "--fail-on", "tension,unit-slip"]) == 1
    assert "--fail-on: 1 tension (exit 1)" in capsys.readouterr().err
    # memory.training_a100_40gb_zero0 is a what-if contradiction: not a claim, not a failure
    assert main(["check", "--samples", "2000", "--only", "memory.training_a100_40gb_zero0", "--fail-on",
                 "contradiction"]) == 0
    assert main(["check", "--samples", "2000", "--fail-on", "contradictoin"]) == 2
    assert "unknown verdict 'contradictoin'" in capsys.readouterr().err


def test_an_override_no_check_reads_is_reported(capsys):
    """The README's old what-if (--assume price.a100_hour with --only cost) changed nothing, silently."""
    assert main(["check", "--samples", "2000", "--only", "cost", "--assume", "price.a100_hour=1.5USD/GPU/hour"]) == 0
    err = capsys.readouterr().err
    assert "note: --assume price.a100_hour: no selected check uses this assumption" in err
    assert main(["check", "--samples", "2000", "--only", "cost", "--claim",
                 "peleg2023.gpu_hour_price=1.5USD/GPU/hour"]) == 0
    assert "note" not in capsys.readouterr().err


@pytest.mark.parametrize("what, first", [("checks", "params.total_from_experts"), ("quantities", "total_params"),
                                         ("assumptions", "arch.attention_width_ratio"), ("hardware", "v100_sxm2_32gb"),
                                         ("sources", None)])
def test_list_names_what_options_accept(what, first, capsys):
    assert main(["list", what, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(set(r) == {"id", "description"} and r["description"] for r in rows)
    if first:
        assert first in {r["id"] for r in rows}


def test_every_option_has_help_text():
    from gpt4leak.cli import build_parser
    parser = build_parser()
    missing = []
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):
            for name, sub in action.choices.items():
                missing += [f"{name} {a.option_strings or a.dest}" for a in sub._actions
                            if not a.help and a.dest != "help"]
    assert missing == []


def test_the_report_changes_with_an_assumption_and_is_the_same_for_the_same_seed():
    base = gpt4leak.check_all(samples=2000, robust=False, only=["inference.price_to_throughput"])
    again = gpt4leak.check_all(samples=2000, robust=False, only=["inference.price_to_throughput"])
    moved = gpt4leak.check_all(samples=2000, robust=False, only=["inference.price_to_throughput"],
                               assumptions={"price.a100_hour": "1.5 USD/GPU/hour"})
    assert base.to_markdown() == again.to_markdown()
    assert moved.to_markdown() != base.to_markdown()
