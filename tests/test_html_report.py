"""The citable HTML report (issue "The faces a reader meets", item 3): one self-contained file, the Markdown
report rendered, anchors per finding, light and dark schemes, a CJK font stack, hostile text inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import gpt4leak as gl
from gpt4leak.cli import main

SAMPLES = 2_000
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> \x1b[31m"


class _Doc(HTMLParser):
    """Tags, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Doc:
    doc = _Doc()
    doc.feed(html)
    return doc


def _hostile_catalogue(tmp_path):
    path = tmp_path / "rumour.yaml"
    path.write_text(f"""
subject: model-x
subjects:
  - {{id: model-x, name: "Model <b>X</b>"}}
sources:
  - {{id: rumour, title: "{HOSTILE.replace('"', "'")}", author: "Eve", outlet: o, date: 2024-05,
     url: "javascript:alert(4)", citation: c, language: zh, kind: rumour}}
claims:
  - {{id: rumour.total, source: rumour, quantity: total_params, value: "1.8 trillion parameters",
     qualifier: approximately, quote: "据说总参数 1.8 万亿 {HOSTILE.replace('"', "'")}", gloss: "{HOSTILE.replace('"', "'")}"}}
  - {{id: rumour.experts, source: rumour, quantity: n_experts, value: "16", qualifier: exact, quote: q}}
  - {{id: rumour.expert, source: rumour, quantity: expert_mlp_params, value: "111B parameters",
     qualifier: approximately, quote: q}}
  - {{id: rumour.shared, source: rumour, quantity: shared_attention_params, value: "55B parameters",
     qualifier: approximately, quote: q}}
""".replace("\x1b", "\\e"), encoding="utf-8")
    return gl.load_catalogue(path)


@pytest.fixture(scope="module")
def shipped_html():
    rep = gl.check_all(samples=SAMPLES, robust=False)
    return rep, rep.to_html(figures=True)


def test_the_html_report_is_one_self_contained_file(shipped_html):
    rep, html = shipped_html
    doc = _parse(html)
    assert html.startswith("<!DOCTYPE html>") and doc.tags.count("html") == 1
    # nothing fetched from elsewhere: no scripts, no stylesheets or images by address (the plot is inline)
    assert "script" not in doc.tags and "link" not in doc.tags
    assert [v for t, k, v in doc.attrs if k == "src" and not v.startswith("data:image/png;base64,")] == []
    assert "img" in doc.tags  # the forest plot, embedded


def test_it_reads_in_light_and_dark_schemes_with_a_cjk_font_stack(shipped_html):
    _, html = shipped_html
    assert "color-scheme: light dark" in html and "@media (prefers-color-scheme: dark)" in html
    assert "Noto Sans CJK SC" in html and "PingFang SC" in html
    doc = _parse(html)  # no inline pastel backgrounds that vanish on a dark theme
    assert not any(k == "style" and "background" in v for _, k, v in doc.attrs)


def test_every_finding_has_a_stable_anchor_and_the_key_findings_link_to_them(shipped_html):
    rep, html = shipped_html
    doc = _parse(html)
    ids = [v for t, k, v in doc.attrs if k == "id"]
    links = [v for t, k, v in doc.attrs if t == "a" and k == "href" and v.startswith("#")]
    assert len(ids) == len(set(ids))
    for f in rep.findings(verdicts=("unit_slip", "contradiction", "tension", "consistent")):
        assert f.anchor in ids
    assert links and all(link[1:] in ids for link in links)  # every internal link lands
    assert all(f"src-{s}" in ids for s in ("peleg2023", "semafor2023"))  # the bibliography


def test_the_same_seed_gives_the_same_bytes():
    a = gl.check_all(samples=SAMPLES, robust=False, only=["cost"]).to_html()
    b = gl.check_all(samples=SAMPLES, robust=False, only=["cost"]).to_html()
    assert a == b


def test_hostile_text_renders_as_text(tmp_path):
    cat = _hostile_catalogue(tmp_path)
    rep = gl.check_all(cat, samples=SAMPLES, robust=False)
    html = rep.to_html(figures=False)
    doc = _parse(html)
    assert "script" not in doc.tags and "img" not in doc.tags
    assert not any(k.startswith("on") for _, k, _ in doc.attrs)
    assert [v for t, k, v in doc.attrs if k == "href" and not (v.startswith("#") or v.startswith("https://"))] == []
    text = "".join(doc.text)
    assert "<script>alert(1)</script>" in text  # shown, as text
    assert "据说总参数 1.8 万亿" in text and "\x1b" not in html
    assert "<title>Fact-check: Model &lt;b&gt;X&lt;/b&gt;</title>" in html  # the title from the file's subject
    notebook = _parse(rep._repr_html_())
    assert "script" not in notebook.tags and "<script>alert(1)</script>" in "".join(notebook.text)


def test_cli_picks_the_format_from_the_suffix(tmp_path, capsys):
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    assert main(["report", "--samples", "2000", "--only", "cost.training_cost", "--no-calibration",
                 "-o", str(html)]) == 0
    assert main(["report", "--samples", "2000", "--only", "cost.training_cost", "--no-calibration",
                 "-o", str(md)]) == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert md.read_text(encoding="utf-8").startswith("# Fact-check")
    capsys.readouterr()
    assert main(["report", "--samples", "2000", "-o", str(tmp_path / "r.pdf")]) == 2
    assert "'.pdf'" in capsys.readouterr().err


def test_the_rerun_command_in_the_report_reproduces_it(tmp_path, capsys, monkeypatch):
    """The report prints the exact command it was made with; run as printed, it writes the same bytes."""
    import shlex
    monkeypatch.chdir(tmp_path)
    argv = ["report", "--samples", "2000", "--seed", "5", "--only", "cost", "--no-calibration",
            "--assume", "price.a100_hour=1.5USD/GPU/hour", "-o", "r.md"]
    assert main(argv) == 0
    first = (tmp_path / "r.md").read_text(encoding="utf-8")
    cmd = first.split("```sh\n", 1)[1].split("\n", 1)[0]
    assert cmd == "gpt4leak " + shlex.join(argv)
    (tmp_path / "r.md").unlink()
    assert main(shlex.split(cmd)[1:]) == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == first


def test_another_models_report_has_its_plot_and_title(tmp_path):
    """The plot follows the key findings whatever the catalogue (it was placed before a GPT-4-only section)."""
    pytest.importorskip("matplotlib")
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "examples" / "rumour_llama2_70b.yaml"
    rep = gl.check_all(gl.load_catalogue(path), samples=SAMPLES, robust=False)
    html = rep.to_html()
    assert 'src="data:image/png;base64,' in html
    assert html.index("<h2>Key findings</h2>") < html.index("<figure>") < html.index("<h2>", html.index("<figure>"))
    assert "GPT-4" not in html.split("<body>", 1)[1].split("<h2>", 1)[0]  # the title names the rumour's model
