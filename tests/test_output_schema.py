"""The JSON output follows its shipped schema (`gpt4leak schema check`), and carries base units."""

from __future__ import annotations

import json

import pytest

import gpt4leak as gl
from gpt4leak.cli import main
from gpt4leak.output_schema import check_output_schema

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def output():
    rep = gl.check_all(samples=2_000, robust=True, only=["cost", "flops.forward_vs_active", "inference.weights_fit",
                                                          "params.size_vs_gpt3", "agree.total_params"])
    return rep, json.loads(rep.to_json())


def test_the_output_validates_against_the_schema(output):
    _, data = output
    schema = check_output_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert {d["verdict"] for d in data} >= {"unit_slip", "tension", "consistent"}


def test_the_schema_can_fail():
    """A guard that cannot fail guards nothing: a wrong verdict, a missing field and an extra field break it."""
    rep = gl.check_all(samples=500, robust=False, only=["cost.training_cost"])
    good = json.loads(rep.to_json())
    for broken in ({**good[0], "verdict": "maybe"}, {k: v for k, v in good[0].items() if k != "base"},
                   {**good[0], "surprise": 1}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([broken], check_output_schema())


def test_base_units_are_the_display_numbers_converted(output):
    rep, data = output
    d = next(x for x in data if x["id"] == "cost.training_cost/peleg2023/peleg2023.training_cost")
    assert d["base"]["unit"] == "USD" and d["derived"]["unit"] == "MUSD"
    assert d["base"]["claimed"] == {"low": 62_500_000.0, "high": 63_500_000.0}  # "~$63 million" +- 0.5M
    assert d["base"]["derived"]["median"] == pytest.approx(d["derived"]["median"] * 1e6, rel=1e-5)
    assert d["text"]["claimed"] == "$62.5M to $63.5M"
    unbounded = next(x for x in data if x["check"] == "params.size_vs_gpt3" and x["claimed"] is not None
                     and x["base"]["claimed"]["high"] is None)  # "more than 10x": no high end, null not Infinity
    assert unbounded["base"]["claimed"]["low"] == 10


def test_cli_prints_the_schemas(capsys):
    assert main(["schema", "check"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "gpt4leak check output"
    assert main(["schema", "catalogue"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "gpt4leak catalogue file"
