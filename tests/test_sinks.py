"""Safe output at every sink (issue "Bad input never becomes a wrong number", item 4): untrusted text in a quote,
a label, a value or an error message reaches the terminal without escape sequences and Markdown without markup."""

from __future__ import annotations

import pytest

import gpt4leak
from gpt4leak.cli import main

ESC = "\x1b[31mRED\x1b]0;pwned\x07"
SOURCE = ("sources:\n  - {id: x, title: t, author: a, outlet: o, date: 2024-01-01, url: 'https://e.org', "
          "citation: c, language: en, kind: published}\nsubjects:\n  - {id: m, name: M}\n")


def _catalogue(tmp_path, quote):
    text = SOURCE + ("claims:\n  - id: x.a\n    source: x\n    quantity: n_layers\n    value: '120'\n"
                     "    qualifier: exact\n    subject: m\n    quote: %s\n") % (repr(quote).replace("\\\\", "\\\\"),)
    path = tmp_path / "c.yaml"
    import yaml
    doc = yaml.safe_load(text)
    doc["claims"][0]["quote"] = quote
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("quote", [ESC, "line\nforged: second line", "a | b", "<script>x</script>",
                                   "[x](javascript:alert(1))", "ok\n# heading"])
def test_claims_listing_keeps_untrusted_text_inert(tmp_path, capsys, quote):
    path = _catalogue(tmp_path, quote)
    assert main(["claims", "--catalogue", str(path)]) == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\x07" not in text
    assert main(["claims", "--catalogue", str(path), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    rows = [line for line in md.splitlines() if line.startswith("| `x.a`")]
    assert len(rows) == 1 and rows[0].count(" | ") == 4          # one row, five cells: "|" did not split it
    assert "<script>" not in md and "](javascript" not in md and "\n# heading" not in md


def test_an_error_message_cannot_forge_a_line(capsys):
    assert main(["check", "--claim", "peleg2023.n_gpus=25000 GPU\nforged: all is well"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "forged" in err.splitlines()[0]  # shown on the one error line


def test_the_report_faces_escape_what_they_quote(tmp_path):
    path = _catalogue(tmp_path, ESC + " | <b>")
    from gpt4leak.report import explain_text, to_markdown
    rep = gpt4leak.check_all(gpt4leak.load_catalogue(path), samples=200)
    for r in rep.results:
        assert "\x1b" not in explain_text(r)
    md = to_markdown(rep)
    assert "\x1b" not in md and "<b>" not in md
