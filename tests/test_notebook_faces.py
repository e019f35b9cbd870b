"""What a notebook shows (issue "The faces a reader meets", item 4): short reprs, findings-first HTML views with
verdicts as words in colour-blind-safe colours, collapsed rows, DataFrames; and help() that fits a screen."""

from __future__ import annotations

import pydoc
from html.parser import HTMLParser

import pytest

import gpt4leak as gl


@pytest.fixture(scope="module")
def rep():
    return gl.check_all(samples=2_000, robust=False)


def test_every_public_reprs_fits_a_few_lines(rep):
    cat = rep.catalogue
    objects = [cat, rep, rep.results[0], rep.findings()[0], cat["peleg2023.total_params"], cat.sources[0],
               cat.assumptions[0], cat.subjects[0], cat.scenarios[0]]
    for obj in objects:
        text = repr(obj)
        assert len(text) <= 400 and text.count("\n") <= 3, (type(obj).__name__, text[:200])
    assert repr(cat["peleg2023.total_params"]) == \
        "Claim('peleg2023.total_params': total_params = '1.8 trillion parameters' (approximately))"


def test_help_of_check_all_fits_a_screenful():
    text = pydoc.render_doc(gl.check_all, renderer=pydoc.plaintext)
    assert len(text) < 4_000  # the default tuple of every check was printed in the signature (108 KB)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_notebook_views_are_findings_first_and_theme_safe(rep):
    html = rep._repr_html_()
    assert html.index("Claims against claims (headline)") < html.index("<details")
    first = rep.findings(verdicts=("unit_slip", "contradiction", "tension", "consistent"))[0]
    assert first.verdict == "unit_slip" and html.index("UNIT SLIP") < html.index("CONSISTENT")
    for colour in ("#009E73", "#E69F00", "#D55E00", "#CC79A7"):  # Okabe-Ito
        assert colour in html
    assert "background" not in html
    result = rep.results[0]._repr_html_()
    assert "<details>" in result and result.count("<div") == result.count("</div>")
    md = rep._repr_markdown_()
    assert md.startswith("- Claims against claims \\(headline\\)") and "**UNIT SLIP**" in md


def test_catalogue_views_summarise_first_and_collapse_the_rows(rep):
    cat = rep.catalogue
    html = cat._repr_html_()
    parser = _Tags()
    parser.feed(html)
    assert parser.tags.count("details") == len({c.source for c in cat.claims})
    assert "- peleg2023 (leak, en):" in cat._repr_markdown_()


def test_frames_from_the_objects(rep):
    pytest.importorskip("pandas")
    assert len(rep.to_frame()) == len(rep.results)
    assert len(rep.catalogue.to_frame()) == len(rep.catalogue.claims)
