"""Bibliography and "how to cite": every shipped source renders, hostile sources stay inert, CITATION.cff is
current."""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import gpt4leak as gl
from gpt4leak import bibliography as bib
from gpt4leak.catalogue import Catalogue, default_catalogue_path
from gpt4leak.records import Source
from gpt4leak.sanitize import for_markdown

REPO = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------------------------- helpers
class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(fragment: str) -> _Tags:
    p = _Tags()
    p.feed(fragment)
    p.close()
    return p


def _source(**fields) -> Source:
    raw = {"id": "x2023", "title": "A title", "language": "en", "kind": "leak", "url": "https://example.org/x"}
    raw.update(fields)
    return Source.model_validate(raw)


def _catalogue(*sources: Source) -> Catalogue:
    return Catalogue(sources=tuple(sources), claims=(), assumptions=())


def _balanced(bibtex: str) -> bool:
    """Unescaped braces balance and never close more than they opened."""
    depth = 0
    for m in re.finditer(r"\\.|[{}]", bibtex):
        if m.group() == "{":
            depth += 1
        elif m.group() == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return gl.load_catalogue()


@pytest.fixture(scope="module")
def controls() -> Catalogue:
    return gl.load_catalogue(default_catalogue_path() / "controls")


# ----------------------------------------------------------------------------------------------- every source
@pytest.mark.parametrize("which", ["shipped", "controls"])
def test_every_source_renders_in_every_format(which, request):
    cat = request.getfixturevalue(which)
    entries = bib.bibliography(cat)
    ids = [s.id for s in cat.sources]
    assert sorted(e.key for e in entries) == sorted(ids) and len(entries) == len(set(ids)) > 0
    md, page, tex = bib.to_markdown(entries), bib.to_html(entries), bib.to_bibtex(entries)
    parsed = _parse(page)
    li_ids = [a.get("id") for tag, a in parsed.tags if tag == "li"]
    assert li_ids == [f"src-{e.key}" for e in entries]
    assert [tag for tag, _ in parsed.tags].count("ol") == 1
    for e in entries:
        assert "\n" not in e.text and e.text.strip() == e.text
        assert f'<a id="src-{e.key}"></a>' in md
        assert f"@misc{{{e.key}," in tex
        assert e.date_text in e.text
        if e.url:
            assert e.text.endswith(e.url)
    assert md.count("\n") == len(entries)           # one line per entry
    assert _balanced(tex)
    for tag, attrs in parsed.tags:
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://")) and attrs["rel"] == "noopener"


def test_order_is_author_then_date_then_id():
    cat = _catalogue(_source(id="b2023", author="Zed", date="2023-01-02"),
                     _source(id="a2024", author="Zed", date="2024-01-01"),
                     _source(id="a2023", author="Zed", date="2023-01-02"),
                     _source(id="c2020", author="alpha", date="2020-05-05"),
                     _source(id="d_nodate", author="Zed"))
    assert [e.key for e in bib.bibliography(cat)] == ["c2020", "a2023", "b2023", "a2024", "d_nodate"]
    assert [e.key for e in bib.bibliography(cat, ["a2024", "c2020", "a2024"])] == ["c2020", "a2024"]
    assert [e.key for e in bib.bibliography(cat, "a2023")] == ["a2023"]


def test_unknown_id_is_a_key_error_naming_it(shipped):
    with pytest.raises(KeyError, match="no_such_source"):
        bib.bibliography(shipped, ["peleg2023", "no_such_source"])
    with pytest.raises(KeyError, match="peleg2023.total_params"):   # a claim is not a source
        bib.bibliography(shipped, ["peleg2023.total_params"])


# ----------------------------------------------------------------------------------------------- real entries
def test_palm_paper_reads_as_in_the_yaml(controls):
    (e,) = bib.bibliography(controls, ["chowdhery2022"])
    assert e.text == ("Aakanksha Chowdhery, Sharan Narang, Jacob Devlin, Maarten Bosma, Gaurav Mishra, Adam "
                      "Roberts, Paul Barham, et al. (Google Research) (2022, April 5). PaLM: Scaling Language "
                      "Modeling with Pathways. arXiv:2204.02311; Journal of Machine Learning Research 24(240), "
                      "2023. https://arxiv.org/abs/2204.02311")
    assert e.key == "chowdhery2022" and e.anchor == "src-chowdhery2022" and e.kind == "published"
    md = bib.to_markdown([e])
    assert md.startswith('1. <a id="src-chowdhery2022"></a>Aakanksha Chowdhery, ')
    assert md.rstrip().endswith("[https://arxiv.org/abs/2204.02311](https://arxiv.org/abs/2204.02311)")
    assert "*PaLM: Scaling Language Modeling with Pathways*." in md
    assert ('<a href="https://arxiv.org/abs/2204.02311" rel="noopener">https://arxiv.org/abs/2204.02311</a>'
            in bib.to_html([e]))
    tex = bib.to_bibtex([e])
    assert "  title = {{PaLM: Scaling Language Modeling with Pathways}}," in tex
    assert "  date = {2022-04-05}," in tex and "  month = apr," in tex and "  year = {2022}," in tex


def test_peleg_leak_reads_as_in_the_yaml(shipped):
    (e,) = bib.bibliography(shipped, ["peleg2023"])
    assert e.text == ("Yam Peleg (2023, July 10). GPT-4’s details are leaked. LinkedIn article (also a Twitter "
                      "thread, since deleted); archived copy via archive.org, reposted in a forum.")
    assert e.document == "001_692e88825a9d1787.txt" and e.url is None
    assert "Collected copy: 001\\_692e88825a9d1787.txt." in bib.to_bibtex([e])


def test_source_without_author_or_date_leads_with_its_title():
    (e,) = bib.bibliography(_catalogue(_source(title="Untitled rumour", outlet="Somewhere")))
    assert e.text == "Untitled rumour (n.d.). Somewhere. https://example.org/x"
    assert "year =" not in bib.to_bibtex([e]) and "author =" not in bib.to_bibtex([e])


@pytest.mark.parametrize("date, precision, shown, iso", [
    ("2023-07", "month", "2023, July", "2023-07"),
    ("2023", "year", "2023", "2023"),
    ("2023-07-01", "day", "2023, July 1", "2023-07-01"),
])
def test_date_precision_prints_as_stated(date, precision, shown, iso):
    (e,) = bib.bibliography(_catalogue(_source(author="Ann Author", date=date)))
    assert e.date_precision == precision
    assert e.text == f"Ann Author ({shown}). A title. https://example.org/x"
    assert f"({shown})." in bib.to_markdown([e]) and f"({shown})." in bib.to_html([e])
    tex = bib.to_bibtex([e])
    assert f"date = {{{iso}}}" in tex
    assert ("month = jul" in tex) == (precision != "year")


# ----------------------------------------------------------------------------------------------- hostile input
HOSTILE = {"id": "evil2023", "title": "<script>alert(1)</script> [x](javascript:alert(1)) \x1b[31mred\x1b]0;t\x07",
           "author": "Mallory <img src=x onerror=alert(1)>\nsecond line",
           "outlet": "![i](javascript:alert(2)) | # h", "url": "javascript:alert(1)", "date": "2023-07"}


def test_hostile_source_is_inert_in_markdown():
    e = bib.entry(_source(**HOSTILE))
    md = bib.to_markdown([e])
    assert md.count("\n") == 1                                      # one line: the author's line break folded
    assert "\x1b" not in md and "\x07" not in md
    body = md.split("</a>", 1)[1]                                   # after the anchor: no raw tag
    assert not re.search(r"(?<!\\)[<>]", body)
    assert f"*{for_markdown(HOSTILE['title'])}*." in body              # each field escaped whole
    assert body.startswith(for_markdown(HOSTILE["author"]) + " (2023, July). ")
    assert "](javascript" not in md and "](" not in md              # no link at all, the URL among them
    assert "\\<script\\>" in md and "\\[x\\]\\(javascript:alert\\(1\\)\\)" in md
    assert md.rstrip().endswith("javascript:alert\\(1\\)")         # the URL as escaped text


def test_hostile_source_is_inert_in_html():
    e = bib.entry(_source(**HOSTILE))
    page = bib.to_html([e])
    parsed = _parse(page)
    assert [tag for tag, _ in parsed.tags] == ["ol", "li", "cite"]   # no script, no img, no link
    assert "\x1b" not in page and "\x07" not in page
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text and "javascript:alert(1)" in text   # shown, as text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "https:no-host", "//example.org/x", "vbscript:x", "https://exa mple.org",
                                 "https://example.org/\x1b[31m", "file:///etc/passwd", ""])
def test_only_http_urls_become_links(url):
    e = bib.entry(_source(url=url or None, document="copy.txt"))
    assert bib.web_url(url) is None
    parsed = _parse(bib.to_html([e]))
    assert all(tag != "a" for tag, _ in parsed.tags)
    assert "](" not in bib.to_markdown([e])
    assert "url =" not in bib.to_bibtex([e])


def test_link_targets_cannot_break_out():
    url = 'https://example.org/a_(b)"onmouseover="alert(1)<x>'
    e = bib.entry(_source(url=url, author="Ann Author"))
    parsed = _parse(bib.to_html([e]))
    (href,) = [a["href"] for tag, a in parsed.tags if tag == "a"]
    assert href == "https://example.org/a_%28b%29%22onmouseover=%22alert%281%29%3Cx%3E"
    assert [tag for tag, _ in parsed.tags] == ["ol", "li", "cite", "a"]
    md = bib.to_markdown([e])
    target = md[md.rindex("](") + 2:].rstrip()
    assert target == "https://example.org/a_%28b%29%22onmouseover=%22alert%281%29%3Cx%3E)"


# ----------------------------------------------------------------------------------------------- BibTeX
def test_bibtex_escapes_braces_and_specials():
    e = bib.entry(_source(title="a {b} c\\d 50% & $x$ #1 _u ^ ~", author="O'Brien, {Evil}} @misc{x,",
                          outlet="}\n@misc{injected, title={pwned}"))
    tex = bib.to_bibtex([e])
    assert ("title = {{a \\{b\\} c\\textbackslash{}d 50\\% \\& \\$x\\$ \\#1 \\_u \\^{} \\~{}}}" in tex)
    assert "author = {{O'Brien, \\{Evil\\}\\} @misc\\{x,}}" in tex
    assert _balanced(tex)
    assert tex.count("\n@") == 0 and tex.startswith("@misc{x2023,")   # one entry: nothing injected
    assert bib.bibtex_escape("{}") == "\\{\\}"


# ----------------------------------------------------------------------------------------------- how to cite
def test_how_to_cite_names_version_hash_and_seed(shipped):
    cite = bib.how_to_cite(gl.__version__, shipped.hash, 1234, "gpt4leak report --seed 1234")
    assert set(cite) == {"text", "bibtex", "markdown"}
    for text in cite.values():
        assert gl.__version__ in text and shipped.hash in text and "1234" in text
    assert cite["text"].startswith(f"gpt4leak {gl.__version__} (catalogue {shipped.hash}, seed 1234).")
    assert cite["bibtex"].startswith(f"@software{{gpt4leak-{gl.__version__},") and _balanced(cite["bibtex"])
    assert f"version = {{{gl.__version__}}}" in cite["bibtex"]
    assert cite["markdown"].startswith("```text\n") and cite["markdown"].endswith("\n```\n")
    assert "gpt4leak report --seed 1234" in cite["markdown"]


def test_how_to_cite_fence_outgrows_backticks_and_controls_are_shown():
    cite = bib.how_to_cite("0.1.0", "abc", 7, "echo ```` \x1b[2J\nrm")
    assert cite["markdown"].startswith("`````text\n") and cite["markdown"].endswith("\n`````\n")
    assert all("\x1b" not in v for v in cite.values())
    assert "\n" not in cite["text"]
    assert "Command" not in bib.how_to_cite("0.1.0", "abc", 7)["bibtex"]


# ----------------------------------------------------------------------------------------------- the module
def test_entry_is_frozen_and_the_module_imports_only_the_stdlib():
    e = bib.entry(_source())
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.text = "changed"  # type: ignore[misc]
    tree = ast.parse(Path(bib.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        else:
            continue
        assert all(n.split(".")[0] in sys.stdlib_module_names for n in names), names


# ----------------------------------------------------------------------------------------------- CITATION.cff
def test_citation_cff_is_current():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert {"cff-version", "message", "title", "authors", "version"} <= set(cff)
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == "gpt4leak"
    assert isinstance(cff["version"], str) and cff["version"] == gl.__version__, \
        "bump CITATION.cff's version with the package's"
    assert cff["authors"] and all(isinstance(a, dict) and (a.get("name") or a.get("family-names"))
                                  for a in cff["authors"])
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert all(isinstance(k, str) for k in cff.get("keywords", []))
    assert "date-released" not in cff or re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["version"] == project["version"]
    license_text = (project.get("license") or {}).get("text")
    if license_text:
        assert cff.get("license") == license_text


def test_how_to_cite_gives_the_repository_when_the_metadata_has_one(monkeypatch):
    monkeypatch.setattr(bib, "_metadata", lambda: ("https://example.org/gpt4leak", None, "The gpt4leak developers"))
    cite = bib.how_to_cite("9.9.9", "feedbeef", 3)
    assert cite["text"] == "gpt4leak 9.9.9 (catalogue feedbeef, seed 3). https://example.org/gpt4leak"
    assert "  url = {https://example.org/gpt4leak}" in cite["bibtex"] and _balanced(cite["bibtex"])


@pytest.mark.parametrize("which", ["shipped", "controls", "hostile"])
def test_markdown_renders_to_safe_html_with_a_commonmark_parser(which, request):
    """Rendered by a real CommonMark parser (raw HTML on, linkify on), the Markdown has its anchors, links only
    to http(s) and no element the fields could have smuggled in."""
    markdown_it = pytest.importorskip("markdown_it")
    if which == "hostile":
        entries = [bib.entry(_source(**HOSTILE)), bib.entry(_source(id="linked", url='https://e.org/(a)"<b>'))]
    else:
        entries = bib.bibliography(request.getfixturevalue(which))
    md = markdown_it.MarkdownIt("commonmark", {"html": True})
    parsed = _parse(md.render(bib.to_markdown(entries)))
    assert {tag for tag, _ in parsed.tags} <= {"ol", "li", "a", "em", "p"}
    anchors = [a["id"] for tag, a in parsed.tags if tag == "a" and "id" in a]
    assert anchors == [e.anchor for e in entries]
    hrefs = [a["href"] for tag, a in parsed.tags if tag == "a" and "href" in a]
    assert hrefs == [bib._encoded(e.url) for e in entries if bib.web_url(e.url)]
    assert all(h.startswith(("http://", "https://")) for h in hrefs)
