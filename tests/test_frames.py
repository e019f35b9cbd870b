"""gpt4leak.frames: results and claims as pandas DataFrames (the optional [frame] extra)."""

import dataclasses
import math
import subprocess
import sys

import pytest

pd = pytest.importorskip("pandas")

import gpt4leak as gl
from gpt4leak.formatting import human, human_range
from gpt4leak.frames import VERDICT_ORDER, claims_frame, results_frame

RESULT_FLOATS = ("derived_median", "derived_p5", "derived_p95", "derived_low", "derived_high", "claimed_low",
                 "claimed_high", "ratio", "gap", "margin")
RESULT_COLUMNS = ("check", "question", "subject", "scenario", "result_class", "verdict", "is_alarm", "unit",
                  *RESULT_FLOATS[:-1], "robust", "margin", "target_claim", "target_source", "input_claims",
                  "input_sources", "borrowed", "derived_text", "claimed_text", "reason")
CLAIM_COLUMNS = ("source", "source_kind", "language", "quantity", "subject", "scenario", "qualifier", "value",
                 "label", "low", "high", "magnitude", "unit", "rule", "quote", "gloss", "derived_from",
                 "phase_total")
MFU = "flops.implied_mfu/peleg2023/peleg2023.mfu"


@pytest.fixture(scope="module")
def report():
    return gl.check_all(samples=2000, robust=False)


@pytest.fixture(scope="module")
def df(report):
    return results_frame(report)


@pytest.fixture(scope="module")
def catalogue(report):
    return report.catalogue


@pytest.fixture(scope="module")
def claims(catalogue):
    return claims_frame(catalogue)


def _same(a, b) -> bool:
    """A frame's float equals a result's field (None reads as NaN)."""
    if b is None:
        return math.isnan(a)
    return a == b or (math.isnan(a) and math.isnan(b))


# ---------------------------------------------------------------- results_frame
def test_one_row_per_result_in_report_order(report, df):
    assert len(df) == len(report.results) > 100
    assert list(df.index) == [r.id for r in report.results]
    assert df.index.name == "result"
    assert df.index.is_unique
    assert tuple(df.columns) == RESULT_COLUMNS


def test_numeric_columns_are_float(df):
    for col in RESULT_FLOATS:
        assert pd.api.types.is_float_dtype(df[col]), (col, df[col].dtype)
    assert pd.api.types.is_bool_dtype(df["is_alarm"])


def test_verdict_is_an_ordered_categorical(df):
    assert isinstance(df.verdict.dtype, pd.CategoricalDtype)
    assert df.verdict.cat.ordered
    assert tuple(df.verdict.cat.categories) == VERDICT_ORDER
    assert df.sort_values("verdict").verdict.iloc[0] == "unit_slip"  # most severe first


@pytest.mark.parametrize("verdict", VERDICT_ORDER)
def test_filter_by_verdict_matches_the_report_counts(report, df, verdict):
    assert len(df[df.verdict == verdict]) == report.counts()[verdict]


def test_contradictions_filter(report, df):
    contradictions = df[df.verdict == "contradiction"]
    assert len(contradictions) == report.counts()["contradiction"] > 0
    assert list(contradictions.index) == [r.id for r in report.results if r.verdict == "contradiction"]


def test_alarms(report, df):
    assert list(df.index[df.is_alarm]) == [r.id for r in report.results if r.is_alarm]
    assert (df.is_alarm == (df.verdict <= "tension")).all()  # the order puts the alarms first


def test_numbers_equal_the_result_fields(report, df):
    picks = [report[MFU], *[r for r in report.results if r.verdict == "contradiction"][:2],
             next(r for r in report.results if r.verdict == "info"),
             next(r for r in report.results if r.is_bound)]
    for r in picks:
        row = df.loc[r.id]
        for col in RESULT_FLOATS[:-1]:
            assert _same(row[col], getattr(r, col)), (r.id, col)
        assert row["unit"] == r.unit
        assert row["check"] == r.check_id
        assert row["verdict"] == r.verdict
        assert row["input_claims"] == ", ".join(c.id for c in r.input_claims)
        assert row["input_sources"] == ", ".join(r.input_sources)


def test_every_row_matches_its_result(report, df):
    for r, (rid, row) in zip(report.results, df.iterrows()):
        assert rid == r.id
        assert all(_same(row[c], getattr(r, c)) for c in RESULT_FLOATS[:-1]), rid
        assert row["is_alarm"] == r.is_alarm
        if r.target_claim is None:
            assert pd.isna(row["target_claim"]) and pd.isna(row["target_source"])
        else:
            assert (row["target_claim"], row["target_source"]) == (r.target_claim.id, r.target_claim.source)


def test_percent_result(report, df):
    r = report[MFU]
    assert r.display_unit == "percent" and r.unit == "dimensionless"
    row = df.loc[MFU]
    assert 0 < row["derived_median"] < 1  # a fraction, not a percentage
    assert (row["claimed_low"], row["claimed_high"]) == (0.32, 0.36)
    assert row["derived_text"] == human(r.derived_median, "percent")
    assert row["derived_text"].endswith("%")
    assert row["claimed_text"] == "32 to 36%"
    assert row["target_claim"] == "peleg2023.mfu"
    assert row["target_source"] == "peleg2023"


def test_texts(report, df):
    r = next(r for r in report.results if r.unit == "parameter" and r.target_claim is not None)
    assert df.loc[r.id, "derived_text"] == human(r.derived_median, "parameter")
    assert df.loc[r.id, "claimed_text"] == human_range(r.claimed_low, r.claimed_high, "parameter")
    assert "params" in df.loc[r.id, "claimed_text"]
    info = df[df.verdict == "info"]
    assert (info.claimed_text == "-").all()
    assert info.claimed_low.isna().all() and info.ratio.isna().all()
    bound = next(r for r in report.results if r.is_bound and r.claimed_low == 0)
    assert df.loc[bound.id, "claimed_text"].startswith("at most ")
    assert pd.isna(df.loc[bound.id, "ratio"])  # a limit is not a claimed value


def test_borrowed_and_robustness_columns(report, df):
    lent = [r for r in report.results if r.borrowed]
    assert lent, "the shipped catalogue has borrowed inputs"
    assert df.loc[lent[0].id, "borrowed"] == ", ".join(lent[0].borrowed)
    assert (df.loc[[r.id for r in report.results if not r.borrowed], "borrowed"] == "").all()
    # robust=False: robustness not computed
    assert df.robust.dtype == "boolean" and df.robust.isna().all()
    assert df.margin.isna().all()


def test_robustness_when_computed():
    rep = gl.check_all(only=["flops.implied_mfu"], samples=2000)
    frame = results_frame(rep)
    assert frame.robust.tolist() == [r.robust for r in rep.results]
    assert [_same(m, r.margin) for m, r in zip(frame.margin, rep.results)] == [True] * len(rep.results)
    assert frame.margin.notna().any()
    assert len(frame[frame.robust]) == sum(bool(r.robust) for r in rep.results)


def test_empty_report(report):
    empty = results_frame(dataclasses.replace(report, results=()))
    assert len(empty) == 0
    assert tuple(empty.columns) == RESULT_COLUMNS
    assert all(pd.api.types.is_float_dtype(empty[c]) for c in RESULT_FLOATS)
    assert isinstance(empty.verdict.dtype, pd.CategoricalDtype)


# ---------------------------------------------------------------- claims_frame
def test_one_row_per_claim_in_catalogue_order(catalogue, claims):
    assert len(claims) == len(catalogue.claims) > 100
    assert list(claims.index) == [c.id for c in catalogue.claims]
    assert claims.index.name == "claim"
    assert tuple(claims.columns) == CLAIM_COLUMNS
    for col in ("low", "high", "magnitude"):
        assert pd.api.types.is_float_dtype(claims[col]), col
    assert pd.api.types.is_bool_dtype(claims["phase_total"])


def test_peleg_total_params(catalogue, claims):
    row = claims.loc["peleg2023.total_params"]
    assert row["magnitude"] == 1.8e12
    assert row["unit"] == "parameter"
    assert row["value"] == "1.8 trillion parameters"
    assert row["qualifier"] == "approximately"
    assert row["quantity"] == "total_params"
    assert (row["source"], row["source_kind"], row["language"]) == ("peleg2023", "leak", "en")
    iv = catalogue.claim("peleg2023.total_params").interval
    assert (row["low"], row["high"]) == (iv.low, iv.high)
    assert row["low"] < 1.8e12 < row["high"]
    assert row["rule"] == iv.rule
    assert not row["phase_total"]


def test_percent_claim_is_a_fraction(claims):
    row = claims.loc["peleg2023.mfu"]
    assert (row["low"], row["high"]) == (0.32, 0.36)
    assert row["unit"] == "dimensionless"


def test_qualitative_claim(catalogue, claims):
    c = next(c for c in catalogue.claims if not c.is_quantitative)
    row = claims.loc[c.id]
    assert math.isnan(row["magnitude"]) and math.isnan(row["low"]) and math.isnan(row["high"])
    assert row["label"] == c.label
    assert pd.isna(row["value"]) and pd.isna(row["rule"])
    qualitative = {c.id for c in catalogue.claims if not c.is_quantitative}
    assert set(claims.index[claims.magnitude.isna()]) == qualitative


def test_claims_match_the_records(catalogue, claims):
    sources = {s.id: s for s in catalogue.sources}
    for c, (cid, row) in zip(catalogue.claims, claims.iterrows()):
        assert cid == c.id
        assert row["source_kind"] == sources[c.source].kind
        assert row["language"] == sources[c.source].language
        assert row["derived_from"] == ", ".join(c.derived_from)
        assert row["quote"] == c.quote
        if c.is_quantitative:
            assert row["magnitude"] == c.magnitude and row["unit"] == c.unit


def test_claims_filter(claims):
    params = claims[(claims.quantity == "total_params") & (claims.subject == "gpt-4")]
    assert "peleg2023.total_params" in params.index
    assert (params.unit == "parameter").all()


# ---------------------------------------------------------------- types and the optional import
def test_type_errors(report, catalogue):
    with pytest.raises(TypeError, match="Report"):
        results_frame(catalogue)
    with pytest.raises(TypeError, match="Report"):
        results_frame(list(report.results))
    with pytest.raises(TypeError, match="Catalogue"):
        claims_frame(report)
    with pytest.raises(TypeError, match="Catalogue"):
        claims_frame(None)


def test_missing_pandas_names_the_extra(report, catalogue, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # "import pandas" now raises ImportError
    with pytest.raises(ImportError, match=r'pip install "gpt4leak\[frame\]"'):
        results_frame(report)
    with pytest.raises(ImportError, match=r'pip install "gpt4leak\[frame\]"'):
        claims_frame(catalogue)


def test_import_does_not_import_pandas():
    code = ("import sys, gpt4leak, gpt4leak.frames; "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False"
