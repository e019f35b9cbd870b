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


# ---- found by the adversarial sweep (second pass) --------------------------------------------------------------
@pytest.mark.parametrize("date", ["0", "86400", "2023.5"])
def test_a_number_is_not_a_date(tmp_path, date):
    with pytest.raises(CatalogueError) as e:
        _load(tmp_path, "source: {id: s, title: t, url: 'https://e.org', language: en, kind: press, date: %s}\n"
              % date)
    assert "is a number, not a date" in str(e.value)


def test_an_assumption_is_not_a_bound(tmp_path):
    with pytest.raises(CatalogueError, match="not the bound"):
        _load(tmp_path, "assumptions:\n  - {id: a.b, value: more than 1.5, source: s, description: d}\n")


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_broken_symlink_is_named_not_skipped(tmp_path, kind):
    (tmp_path / "good.yaml").write_text(SOURCE)
    link = tmp_path / "bad.yaml"
    link.symlink_to(tmp_path / ("gone.yaml" if kind == "dangling" else "bad.yaml"))
    with pytest.raises(CatalogueError) as e:
        gpt4leak.load_catalogue(tmp_path)
    assert any(p[0] == "bad.yaml" and "cannot read the file" in p[3] for p in e.value.problems)


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "discrepancies: 5\n", "discrepancies:\n  - 1\n", "a: [\n",
                                  "discrepancies: " + "[" * 10_000 + "]" * 10_000 + "\n",
                                  "a: &a [1]\nb: *a\n"])
def test_a_bad_discrepancy_list_is_one_clear_error(tmp_path, capsys, text):
    import shutil

    from gpt4leak.catalogue import default_catalogue_path
    from gpt4leak.cli import main
    ctl = tmp_path / "controls"
    (ctl / "known").mkdir(parents=True)
    shutil.copy(default_catalogue_path() / "controls" / "mpt_7b.yaml", ctl / "mpt_7b.yaml")
    (ctl / "known" / "discrepancies.yaml").write_text(text)
    assert main(["calibrate", "--controls", str(ctl), "--samples", "300"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gpt4leak: error:") and "discrepancies.yaml" in err and "Traceback" not in err


def test_calibrating_on_controls_with_nothing_to_judge_is_refused(tmp_path, capsys):
    from gpt4leak.cli import main
    (tmp_path / "a.yaml").write_text(SOURCE)
    assert main(["calibrate", "--controls", str(tmp_path), "--samples", "300"]) == 2
    assert "0 verdicts" in capsys.readouterr().err


def test_user_text_in_argparse_errors_and_output_paths_is_escaped(tmp_path, capsys):
    from gpt4leak.cli import main
    with pytest.raises(SystemExit):
        main(["check", "x\x1b[31mRED\x1b]0;pwned\x07"])
    assert "\x1b" not in capsys.readouterr().err
    out = tmp_path / "r\x1b[31m.md"
    assert main(["report", "--no-calibration", "--samples", "300", "--only", "cost.", "-o", str(out)]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_the_same_override_twice_is_refused(capsys):
    from gpt4leak.cli import main
    assert main(["check", "--samples", "300", "--claim", "peleg2023.n_experts=8",
                 "--claim", "peleg2023.n_experts=32"]) == 2
    assert "twice" in capsys.readouterr().err
