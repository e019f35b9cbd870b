"""The catalogue's reading of public statements on GPT-4 that do not trace to the SemiAnalysis report.

Checks claims/independent.yaml: OpenAI's technical report and launch page (the March 2023 API prices and
context lengths), Sam Altman's training-cost remark as WIRED reported it (April 2023), Semafor's "1 trillion
parameters" (March 2023) and NVIDIA's GTC 2024 figures for its 1.8T GPT-MoE as The Verge reported them. No
collected document holds these texts (their quotes are checkable at each source's url), so every row below was
typed by hand from the pages as read, the number converted by hand to the base unit of the claim's quantity key
(gpt4leak.quantities): parameter, GPU, day, USD, USD/token, token.

The last tests name, for each headline number of the leak, what these sources say and the verdict the checks
give when they meet the leak's claims: the result ids and verdicts are read from ``gpt4leak.check_all``.
"""

from __future__ import annotations

import math

import pytest

import gpt4leak
from gpt4leak.checks.independence import source_roots
from gpt4leak.checks.verdicts import SETTINGS
from gpt4leak.records import Claim

FILE = "independent.yaml"
ROOT = "semianalysis2023"  # the leak every GPT-4 leak text retells (claims/sources.yaml)
REPORT, PAGE, WIRED, SEMAFOR, VERGE = "openai2023_report", "openai2023_gpt4", "wired2023", "semafor2023", "verge2024"
SOURCES = (REPORT, PAGE, WIRED, SEMAFOR, VERGE)
INF = math.inf
MONTH = 365.25 / 12  # days: the unit registry's month, a twelfth of a Julian year
PER_1K = 1 / 1_000  # "per 1k tokens" -> per token


@pytest.fixture(scope="module")
def catalogue():
    return gpt4leak.load_catalogue()


@pytest.fixture(scope="module")
def results(catalogue):
    return gpt4leak.check_all(catalogue, samples=20_000).results


# (claim id, quantity, expected in base unit, qualifier, source, subject, scenario)
# expected: a number (exact point, nominal centre, or lower bound).
NUMERIC = [
    # "Pricing is $0.03 per 1k prompt tokens and $0.06 per 1k completion tokens."
    ("openai2023_gpt4.api_price_prompt", "api_price_prompt_per_1k_tokens", 0.03 * PER_1K, "exact", PAGE, "gpt-4",
     "main"),
    ("openai2023_gpt4.api_price_completion", "api_price_completion_per_1k_tokens", 0.06 * PER_1K, "exact", PAGE,
     "gpt-4", "main"),
    # "gpt-4 has a context length of 8,192 tokens."
    ("openai2023_gpt4.inference_seq_len", "inference_seq_len", 8_192, "exact", PAGE, "gpt-4", "inference"),
    # "Pricing is $0.06 per 1K prompt tokens and $0.12 per 1k completion tokens." (gpt-4-32k)
    ("openai2023_gpt4.api_price_prompt_32k", "api_price_prompt_per_1k_tokens", 0.06 * PER_1K, "exact", PAGE,
     "gpt-4", "inference_32k"),
    ("openai2023_gpt4.api_price_completion_32k", "api_price_completion_per_1k_tokens", 0.12 * PER_1K, "exact",
     PAGE, "gpt-4", "inference_32k"),
    # "our 32,768–context (about 50 pages of text) version, gpt-4-32k"
    ("openai2023_gpt4.inference_seq_len_32k", "inference_seq_len", 32_768, "exact", PAGE, "gpt-4", "inference_32k"),
    # "Altman was asked if training GPT-4 cost $100 million; he replied, “It’s more than that.”"
    ("wired2023.training_cost", "training_cost", 100e6, "more_than", WIRED, "gpt-4", "main"),
    # "The latest language model, GPT-4, has 1 trillion parameters."
    ("semafor2023.total_params", "total_params", 1e12, "exact", SEMAFOR, "gpt-4", "main"),
    # "Training a 1.8 trillion parameter model would have previously taken 8,000 Hopper GPUs ..."
    ("verge2024.total_params", "total_params", 1.8e12, "nominal", VERGE, "gpt-moe-1.8t", "main"),
    ("verge2024.hopper_n_gpus", "n_gpus", 8_000, "exact", VERGE, "gpt-moe-1.8t", "hopper_nvidia"),
    # "Today, Nvidia’s CEO says 2,000 Blackwell GPUs can do it while consuming just four megawatts."
    ("verge2024.blackwell_n_gpus", "n_gpus", 2_000, "exact", VERGE, "gpt-moe-1.8t", "blackwell_nvidia"),
]

# (claim id, quantity, label, source, subject, scenario)
QUALITATIVE = [
    # "We’ve spent 6 months iteratively aligning GPT-4": a period of work, not a run's training_days
    ("openai2023_gpt4.alignment_months", "statement", "6 months of alignment work before launch", PAGE, "gpt-4",
     "main"),
    ("openai2023_report.no_disclosure", "statement",
     "no details on architecture (including model size), hardware, training compute, dataset or training method",
     REPORT, "gpt-4", "main"),
    ("openai2023_report.architecture_kind", "architecture_kind",
     "Transformer-style model pre-trained to predict the next token (dense or MoE not said)", REPORT, "gpt-4", "main"),
    ("openai2023_gpt4.azure_supercomputer", "statement",
     "trained on a supercomputer co-designed with (Microsoft) Azure for OpenAI's workload", PAGE, "gpt-4", "main"),
    ("openai2023_gpt4.training_stability", "failures_and_restarts",
     "the GPT-4 training run was (for OpenAI) unprecedentedly stable", PAGE, "gpt-4", "main"),
    ("verge2024.hopper_gpu_model", "gpu_model", "Hopper", VERGE, "gpt-moe-1.8t", "hopper_nvidia"),
    ("verge2024.blackwell_gpu_model", "gpu_model", "Blackwell", VERGE, "gpt-moe-1.8t", "blackwell_nvidia"),
]


def _ids(rows):
    return [r[0] for r in rows]


@pytest.mark.parametrize("cid, quantity, expected, qualifier, source, subject, scenario", NUMERIC, ids=_ids(NUMERIC))
def test_numeric_claim_reads_as_the_page_writes_it(catalogue, cid, quantity, expected, qualifier, source, subject,
                                                   scenario):
    claim = catalogue.claim(cid)
    assert (claim.quantity, claim.qualifier, claim.source, claim.subject, claim.scenario) == (
        quantity, qualifier, source, subject, scenario)
    iv = claim.interval
    if qualifier in ("more_than", "at_least"):
        assert iv.low == pytest.approx(expected, rel=1e-9)
        assert iv.high == INF
    elif qualifier == "exact":
        assert iv.low == iv.high == pytest.approx(expected, rel=1e-9)
    else:  # nominal: centred on the label, one unit of the last written digit either side
        assert claim.magnitude == pytest.approx(expected, rel=1e-9)
        assert iv.low < expected < iv.high
    assert claim.magnitude == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("cid, quantity, label, source, subject, scenario", QUALITATIVE, ids=_ids(QUALITATIVE))
def test_qualitative_claim_has_its_label(catalogue, cid, quantity, label, source, subject, scenario):
    claim = catalogue.claim(cid)
    assert not claim.is_quantitative
    assert (claim.quantity, claim.label, claim.source, claim.subject, claim.scenario) == (
        quantity, label, source, subject, scenario)


def test_the_tables_cover_every_claim_of_the_file(catalogue):
    listed = _ids(NUMERIC) + _ids(QUALITATIVE)
    assert len(listed) == len(set(listed))  # no row twice
    recorded = {c.id for c in catalogue.claims if catalogue.file_of(c.id) == FILE}
    assert recorded == set(listed)
    assert {c.source for c in catalogue.claims if c.id in recorded} == set(SOURCES)


def test_the_prices_are_the_32k_models_twice_the_8k_models(catalogue):
    for side in ("prompt", "completion"):
        k8 = catalogue.claim(f"openai2023_gpt4.api_price_{side}").magnitude
        k32 = catalogue.claim(f"openai2023_gpt4.api_price_{side}_32k").magnitude
        assert k32 / k8 == pytest.approx(2, rel=1e-12)
    # the completion price is twice the prompt price in both
    assert catalogue.claim("openai2023_gpt4.api_price_completion").magnitude == pytest.approx(
        2 * catalogue.claim("openai2023_gpt4.api_price_prompt").magnitude, rel=1e-12)


# =========================================================================== sources
@pytest.mark.parametrize("sid", SOURCES)
def test_every_source_has_a_url_a_date_and_a_kind(catalogue, sid):
    source = catalogue.source(sid)
    assert catalogue.file_of(sid) == FILE
    assert source.url and source.url.startswith("https://")
    assert source.date is not None
    assert (source.language, source.kind) == ("en", {REPORT: "official", PAGE: "official"}.get(sid, "press"))
    assert source.document is None  # no collected text: the quote is checkable at the url
    assert source.notes.strip()


def test_the_dates_are_the_pages_dates(catalogue):
    assert {sid: catalogue.source(sid).date.isoformat() for sid in SOURCES} == {
        REPORT: "2023-03-15", PAGE: "2023-03-14", WIRED: "2023-04-17", SEMAFOR: "2023-03-24", VERGE: "2024-03-18"}


@pytest.mark.parametrize("sid", SOURCES)
def test_no_source_here_derives_from_the_leak(catalogue, sid):
    """The file's premise: each of its sources is its own root, not a retelling of semianalysis2023."""
    assert catalogue.source(sid).derives_from == ()
    assert source_roots(catalogue)[sid] == (sid,)


# The leak's headline figures (peleg2023): a source repeating one of them about GPT-4 is retelling the leak.
LEAK_FIGURES = {"total_params": 1.8e12, "n_layers": 120, "n_experts": 16, "training_tokens": 13e12,
                "training_flop": 2.15e25, "n_gpus": 25_000, "training_cost": 63e6,
                "inference_cost_per_1k_tokens": 0.0049 * PER_1K, "inference_gpus": 128}


def _unmarked_repeats(claims, catalogue):
    """Claims of official, vendor, press or analyst sources that state a headline figure of the leak about GPT-4
    (within 5 %) while their source does not derive from the leak."""
    roots = source_roots(catalogue)
    kinds = {s.id: s.kind for s in catalogue.sources}
    return [c.id for c in claims
            if kinds.get(c.source) in ("official", "vendor", "press", "analyst") and c.subject == "gpt-4"
            and c.quantity in LEAK_FIGURES and c.is_quantitative and c.interval.bounded
            and c.magnitude == pytest.approx(LEAK_FIGURES[c.quantity], rel=0.05)
            and ROOT not in roots[c.source]]


def test_no_official_vendor_press_or_analyst_source_repeats_the_leak_unmarked(catalogue):
    """Anywhere in the catalogue: a source of these kinds repeating the leak about GPT-4 is marked as deriving
    from it (derives_from reaching semianalysis2023), so that the checks never count a retelling as an
    independent confirmation."""
    assert _unmarked_repeats(catalogue.claims, catalogue) == []
    # the rule can fail: Semafor's sentence with the leak's 1.8 trillion would be an unmarked repeat
    claim = catalogue.claim("semafor2023.total_params")
    fake = Claim.model_validate({**claim.model_dump(), "value": "1.8 trillion parameters"})
    assert _unmarked_repeats([fake], catalogue) == ["semafor2023.total_params"]


def test_the_nvidia_figures_are_not_claims_about_gpt4(catalogue):
    """NVIDIA's GPT-MoE-1.8T has the leak's shape and is not named GPT-4: its figures are a subject of their own,
    so they neither support nor contradict the leak's GPT-4 claims."""
    assert {c.subject for c in catalogue.by_source(VERGE)} == {"gpt-moe-1.8t"}
    assert "gpt-moe-1.8t" in {s.id for s in catalogue.subjects}
    assert {s.id: s.kind for s in catalogue.scenarios if s.id in ("hopper_nvidia", "blackwell_nvidia",
                                                                   "inference_32k")} == {
        "hopper_nvidia": "rerun", "blackwell_nvidia": "rerun", "inference_32k": "serving"}


# =========================================================================== what the checks say
MINE = frozenset(c for c in _ids(NUMERIC) + _ids(QUALITATIVE))

# Every result whose inputs or target include a claim of this file, with its verdict (samples=20_000).
EXPECTED = {
    # ---- total parameters: Semafor's 1T against the leak's ~1.8T (and the leak's parts)
    "agree.total_params/peleg2023/semafor2023.total_params": "contradiction",
    "agree.total_params/semafor2023/ainlp2023.total_params": "contradiction",
    "agree.total_params/semafor2023/cver2023.total_params": "contradiction",
    "agree.total_params/semafor2023/weixueai2023.total_params": "contradiction",
    "params.total_from_experts/peleg2023/semafor2023.total_params": "contradiction",
    "params.total_from_experts/ainlp2023/semafor2023.total_params": "contradiction",
    "params.total_from_experts/hotz2023[peleg2023.expert_mlp_params+peleg2023.shared_attention_params]"
    "/semafor2023.total_params": "tension",
    "params.total_from_whole_experts/peleg2023[hotz2023.expert_params]/semafor2023.total_params": "contradiction",
    "params.total_from_whole_experts/hotz2023/semafor2023.total_params": "contradiction",
    "params.size_vs_gpt3/semafor2023/peleg2023.size_ratio_to_gpt3": "contradiction",
    "params.size_vs_gpt3/semafor2023/ainlp2023.size_ratio_to_gpt3": "consistent",
    "flops.dense_forward_vs_total/semafor2023/peleg2023.dense_forward_flop_per_token": "contradiction",
    "inference.params_per_node_nodes@inference/semafor2023[peleg2023.inference_nodes]/peleg2023.params_per_node":
        "contradiction",
    "inference.params_per_node_gpus@inference/semafor2023[peleg2023.inference_gpus+peleg2023.inference_gpus_per_node]"
    "/peleg2023.params_per_node": "contradiction",
    "scaling.chinchilla_total/semafor2023[peleg2023.training_tokens]/peleg2023.chinchilla_token_ratio": "tension",
    # ---- training compute: no independent source states it; Semafor's 1T with the leak's tokens (6ND)
    "flops.training_6nd/semafor2023[peleg2023.training_tokens+peleg2023.n_layers+peleg2023.seq_len_pretrain]"
    "/peleg2023.training_flop": "unit_slip",
    "flops.training_6nd/semafor2023[peleg2023.training_tokens+peleg2023.n_layers+peleg2023.seq_len_pretrain]"
    "/epoch_ai_models_gpt4.training_flop": "unit_slip",
    "flops.training_6nd/semafor2023[peleg2023.training_tokens+peleg2023.n_layers+peleg2023.seq_len_pretrain]"
    "/epoch_ai_models_gpt4.training_flop_ci90": "unit_slip",
    # ---- training cost: Altman's "more than" $100 million against the leak's ~$63 million, 1.6x apart
    "agree.training_cost/peleg2023/wired2023.training_cost": "contradiction",
    "cost.training_cost/peleg2023/wired2023.training_cost": "contradiction",
    # ---- serving: OpenAI's 8K list prices against the leak's cost per 1k tokens (read as dollars and as cents)
    **{f"inference.gross_margin_{side}@inference_{gpu}/peleg2023[inference_cost_{gpu}_{unit}+openai2023_gpt4."
       f"api_price_{side}]/derived": "info"
       for side in ("prompt", "completion") for gpu in ("a100", "h100") for unit in ("cents", "dollars")},
}

#: The gross margins the leak's cost leaves under OpenAI's March 2023 GPT-4 (8K) prices, by hand:
#: 1 - 0.0049 / 0.03 = 83.7 %, 1 - 0.0049 / 0.06 = 91.8 % (A100, dollars); 1 - 0.0021 / 0.03 = 93.0 %,
#: 1 - 0.0021 / 0.06 = 96.5 % (H100, dollars).
MARGINS = {("prompt", "a100"): 1 - 0.0049 / 0.03, ("completion", "a100"): 1 - 0.0049 / 0.06,
           ("prompt", "h100"): 1 - 0.0021 / 0.03, ("completion", "h100"): 1 - 0.0021 / 0.06}

# headline number of the leak -> (what the independent sources say, the results that bear on it)
HEADLINES = {
    "total parameters (~1.8T)": ("Semafor: 1 trillion (disagrees); OpenAI: declines to say; NVIDIA's 1.8T is a "
                                 "benchmark model with the leak's shape (not GPT-4, not independent)",
                                 {"agree.total_params/peleg2023/semafor2023.total_params": "contradiction"}),
    "training compute (~2.15e25 FLOPs)": ("silent: OpenAI declines; no source gives FLOPs (6ND with Semafor's 1T "
                                          "and the leak's 13T tokens is 7.8e25, 3.6x the leak's)",
                                          {"flops.training_6nd/semafor2023[peleg2023.training_tokens+peleg2023."
                                           "n_layers+peleg2023.seq_len_pretrain]/peleg2023.training_flop":
                                               "unit_slip"}),
    "training cost (~$63M)": ("Altman via WIRED: more than $100 million (disagrees, scope unstated)",
                              {"agree.training_cost/peleg2023/wired2023.training_cost": "contradiction",
                               "cost.training_cost/peleg2023/wired2023.training_cost": "contradiction"}),
    "GPUs (~25,000 A100s)": ("silent: NVIDIA's 8,000 Hopper / 2,000 Blackwell are a hypothetical run of its "
                             "GPT-MoE-1.8T", {}),
    "days (90-100)": ("silent: OpenAI's 6 months is alignment work, not the pre-training run", {}),
    "serving cost (~$0.0049 per 1k tokens)": ("OpenAI's 8K list prices, $0.03 / $0.06 per 1k prompt / completion "
                                              "tokens, leave gross margins of 84 % / 92 % over the leak's A100 "
                                              "cost (93 % / 96.5 % on H100s)", {
        "inference.gross_margin_prompt@inference_a100/peleg2023[inference_cost_a100_dollars+openai2023_gpt4."
        "api_price_prompt]/derived": "info"}),
}


def _touching(results):
    return {r.id: r for r in results
            if MINE & ({c.id for c in r.input_claims} | ({r.target_claim.id} if r.target_claim else set()))}


def test_every_result_that_reads_these_claims_has_its_verdict(results):
    got = {rid: r.verdict for rid, r in _touching(results).items()}
    assert got == EXPECTED


@pytest.mark.parametrize("headline", list(HEADLINES))
def test_what_independent_sources_say_of_each_headline_number(results, headline):
    said, expected = HEADLINES[headline]
    assert said  # the summary a reviewer reads
    got = {r.id: r.verdict for r in results if r.id in expected}
    assert got == expected


def test_semafor_and_the_leak_are_independent_roots(results):
    (r,) = [r for r in results if r.id == "agree.total_params/peleg2023/semafor2023.total_params"]
    roots = {s.claim_id: s.roots for s in r.support}
    assert roots["semafor2023.total_params"] == (SEMAFOR,)
    assert roots["peleg2023.total_params"] == (ROOT,)
    assert r.claimed_low == r.claimed_high == 1e12  # Semafor's, against the leak's 1.75T to 1.85T
    assert r.derived_low == pytest.approx(1.75e12) and r.derived_high == pytest.approx(1.85e12)


def test_altmans_bound_is_a_disagreement_not_a_unit_slip(results):
    """Altman's "more than $100 million" is [1e8, inf): the leak's $63 million lies below it by a gap of about 1.6,
    past the tension factor (1.25): a contradiction. Divided by 100 the bound would meet anything, so no slip is
    read from it (checks.verdicts._slip_fits). A difference of scope (the leak's "this run alone" at $1 per
    A100-hour against everything "training GPT-4" cost) may explain it."""
    for rid in ("agree.training_cost/peleg2023/wired2023.training_cost",
                "cost.training_cost/peleg2023/wired2023.training_cost"):
        (r,) = [r for r in results if r.id == rid]
        assert r.claimed_low == 100e6 and r.claimed_high == INF
        assert r.derived_high < 100e6
        assert SETTINGS.tension_factor < r.gap < 2
        assert r.verdict == "contradiction" and r.slip is None


@pytest.mark.parametrize("side, gpu", list(MARGINS))
def test_the_margins_the_prices_leave_by_hand(results, side, gpu):
    [r] = [r for r in results if r.id == f"inference.gross_margin_{side}@inference_{gpu}/peleg2023[inference_cost_"
                                         f"{gpu}_dollars+openai2023_gpt4.api_price_{side}]/derived"]
    assert r.derived_median == pytest.approx(MARGINS[(side, gpu)], rel=1e-9)
    assert r.borrowed == (f"openai2023_gpt4.api_price_{side}",)


def test_the_32k_prices_and_the_nvidia_figures_reach_no_result(results):
    """Silent in the checks: the 32K prices have no cost to meet, the NVIDIA figures are another subject, and the
    qualitative claims feed no relation."""
    touched = {c for r in _touching(results).values()
               for c in {c.id for c in r.input_claims} | ({r.target_claim.id} if r.target_claim else set())}
    assert touched & MINE == {"semafor2023.total_params", "wired2023.training_cost",
                              "openai2023_gpt4.api_price_prompt", "openai2023_gpt4.api_price_completion"}
