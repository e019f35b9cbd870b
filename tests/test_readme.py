"""The README's examples do what they say (issue "The faces a reader meets", item 6): its Python quick start runs,
every shell command in it runs and exits as documented, and the output it quotes is what `gpt4leak check` prints."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from gpt4leak.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE_MODEL = ROOT / "examples" / "rumour_llama2_70b.yaml"
MY_SOURCES = """
sources:
  - {id: mine, title: My notes, author: Me, outlet: blog, date: 2024-01, url: "https://example.org", citation: c,
     language: en, kind: analyst}
claims:
  - {id: mine.total, source: mine, quantity: total_params, value: "1.8 trillion parameters", qualifier: approximately,
     quote: "I heard 1.8T."}
"""


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def _shell_commands() -> list[str]:
    block = next(b for b in _blocks("bash") if "gpt4leak check --details" in b)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("gpt4leak")]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLE_MODEL, tmp_path / "my_rumours.yaml")
    (tmp_path / "my_sources.yaml").write_text(MY_SOURCES, encoding="utf-8")
    shutil.copy(ROOT / "tests" / "data" / "hf_configs" / "llama-2-70b.json", tmp_path / "config.json")
    return tmp_path


FAST = {"check", "explain", "report", "plot", "calibrate"}  # commands with --samples


@pytest.mark.parametrize("command", _shell_commands())
def test_every_shell_command_in_the_readme_runs(command, workdir, capsys):
    if command.startswith("gpt4leak plot"):
        pytest.importorskip("matplotlib")
    words = shlex.split(command.split(">")[0])[1:]
    if words[0] in FAST:
        words += ["--samples", "2000"]
    expected = 1 if "--fail-on" in words else 0  # the example rumour file has planted errors: CI fails
    assert main(words) == expected, command
    out, err = capsys.readouterr()
    written = [p for p in workdir.iterdir() if p.suffix in (".html", ".md", ".png")]
    assert out.strip() or written, command
    if "--claim" in words or "--assume" in words:
        assert "no selected check" not in err, err  # the README's what-ifs change something


def test_the_quoted_findings_are_what_check_prints(capsys):
    assert main(["check", "--width", "80"]) == 0
    flat = " ".join(capsys.readouterr().out.split())
    quoted = next(b for b in _blocks("text") if "UNIT SLIP" in b)
    for finding in re.split(r"\n(?=[A-Z ]+: )", quoted.strip()):
        assert " ".join(finding.split()) in flat


def test_the_python_quick_start_runs(workdir, capsys):
    code = next(b for b in _blocks("python") if "import gpt4leak as gl" in b)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "UNIT SLIP" not in out  # sentences, not marks
    assert "Forward FLOPs per token 560 TFLOP as written" in out
    assert "cost.training_cost/peleg2023/peleg2023.training_cost" in out  # the price what-if moved the cost
    assert "params.total_from_experts" in out  # and 8 experts moved the totals


def test_the_quoted_solver_answer_is_what_solve_prints(capsys):
    assert main(["solve", "--width", "80"]) == 0
    out = capsys.readouterr().out
    quoted = next(b for b in _blocks("text") if b.startswith("Is multi-query attention"))
    assert quoted.strip() in out
