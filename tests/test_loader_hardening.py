"""The loader (issue "Bad input never becomes a wrong number", item 2, first part): YAML read strictly.

Each case silently changed a value or exhausted the machine before.
"""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

import gpt4leak
from gpt4leak.catalogue import CatalogueError

SOURCE = ("sources:\n  - {id: x, title: t, author: a, outlet: o, date: 2024-01-01, url: 'https://e.org', "
          "citation: c, language: en, kind: published}\n")


def _claim(value, qualifier="exact", quantity="n_layers", extra=""):
    return (SOURCE + "claims:\n  - id: x.a\n    source: x\n    quantity: %s\n    value: %s\n    qualifier: %s\n"
            "    quote: q\n%s") % (quantity, value, qualifier, extra)


def _load(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return gpt4leak.load_catalogue(path)


@pytest.mark.parametrize("written, low, high, qualifier", [
    ("016", 16, 16, "exact"),                     # YAML 1.1 octal: 14 before
    ("1.0e+5", 95_000, 105_000, "approximately"),  # a float before: +-0.05
    ("120", 120, 120, "exact"),
])
def test_value_is_read_as_written(tmp_path, written, low, high, qualifier):
    c = _load(tmp_path, _claim(written, qualifier)).claims[0]
    assert c.value == written and (c.interval.low, c.interval.high) == (low, high)


@pytest.mark.parametrize("text, words", [
    (_claim("1:30"), "cannot read"),                                   # sexagesimal: 90 before
    (_claim("120", extra="    value: 96\n"), "appears twice"),          # the second value won before
    (_claim("120") + "claims:\n  - {id: x.b}\n", "appears twice"),      # a second claims: dropped the first
    ("pinned: &a [1, 1, 1]\nx: &b [*a, *a, *a]\n", "aliases"),
])
def test_refused_naming_the_file(tmp_path, text, words):
    with pytest.raises(CatalogueError) as err:
        _load(tmp_path, text)
    assert words in str(err.value) and "c.yaml" in str(err.value)


def test_nested_aliases_are_refused_at_once(tmp_path):
    """398 bytes of nested aliases took 30 s and 4 GB, then a MemoryError."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    text = "pinned:\n" + "\n".join("  " + line for line in lines) + "\n"
    t = time.perf_counter()
    with pytest.raises(CatalogueError, match="aliases"):
        _load(tmp_path, text)
    assert time.perf_counter() - t < 1.0


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                     st.floats(allow_nan=True, allow_infinity=True))
_docs = st.recursive(_scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.sampled_from(["claims", "sources", "id", "value", "quote", "source", "quantity",
                                     "qualifier", "pinned", "assumptions", "subject", "x"]), kids, max_size=5)),
    max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_docs)
def test_any_document_loads_or_raises_catalogue_error(tmp_path, doc):
    """Fuzz: a random YAML document either loads or is refused with a CatalogueError, nothing else."""
    try:
        _load(tmp_path, yaml.safe_dump(doc, allow_unicode=True))
    except CatalogueError:
        pass


def test_derived_from_cycles_are_refused(tmp_path):
    text = SOURCE + ("claims:\n"
                     "  - {id: x.a, source: x, quantity: n_layers, value: '1', qualifier: exact, quote: q, "
                     "derived_from: [x.b]}\n"
                     "  - {id: x.b, source: x, quantity: n_heads, value: '1', qualifier: exact, quote: q, "
                     "derived_from: [x.a]}\n")
    with pytest.raises(CatalogueError, match="cycle"):
        _load(tmp_path, text)


@pytest.mark.parametrize("text, words", [
    (SOURCE + "claims: 5\n", "expected a list"),
    ("source: 5\n", "expected one record"),
    (SOURCE.replace("2024-01-01", "2024-13-45") + "claims: []\n", "cannot read"),
    ("a: " + "[" * 2000 + "]" * 2000 + "\n", "deeply"),
])
def test_no_traceback_only_a_catalogue_error(tmp_path, text, words):
    with pytest.raises(CatalogueError, match=words):
        _load(tmp_path, text)


def test_an_unreadable_file_is_named(tmp_path):
    (tmp_path / "c.yaml").write_bytes(b"claims: [\xff\xfe]\n")
    with pytest.raises(CatalogueError, match="c.yaml.*UTF-8"):
        gpt4leak.load_catalogue(tmp_path)


@pytest.mark.parametrize("argv", [
    ["check", "--catalogue", "{empty}"],                          # exited 0 with an empty report before
    ["calibrate", "--controls", "{empty}"],                       # "0 false alarms" over nothing before
    ["calibrate", "--controls", "/nonexistent/controls"],
    ["explain", "memory.training_fits"],                          # an explain that matches nothing
    ["report", "-o", "/nonexistent/dir/r.md", "--samples", "200", "--no-calibration"],
])
def test_the_cli_says_what_is_wrong_and_exits_non_zero(tmp_path, capsys, argv):
    from gpt4leak.cli import main
    (tmp_path / "empty").mkdir()
    argv = [a.replace("{empty}", str(tmp_path / "empty")) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("gpt4leak: error: ") and "Traceback" not in err


def test_too_many_samples_is_refused_before_any_work(capsys):
    from gpt4leak.cli import main
    with pytest.raises(SystemExit) as ex:
        main(["check", "--samples", "999999999999"])
    assert ex.value.code == 2 and "at most 10,000,000" in capsys.readouterr().err
