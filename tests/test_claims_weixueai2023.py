"""微学AI's partial Chinese translation of the SemiAnalysis report (claims/weixueai2023.yaml).

Truth here is the document, claims/documents/003_ee62ff8ffeabcf69.txt: every row of the
tables below was typed by hand from the Chinese text (the line is given), with the Chinese
units done by hand (万亿 = 1e12, 亿 = 1e8), not generated from the YAML.
"""

from pathlib import Path
import pytest

import gpt4leak
DOCUMENTS = Path(__file__).resolve().parents[1] / "claims" / "documents"

SOURCE = "weixueai2023"
DOCUMENT = DOCUMENTS / "003_ee62ff8ffeabcf69.txt"

# (claim id, quantity, magnitude in base unit, qualifier, source, subject, scenario)
NUMERIC = [
    # line 13: "OpenAI希望将规模扩大100倍"
    ("weixueai2023.scale_up_target_ratio", "scale_up_target_ratio", 100, "exact", SOURCE, "gpt-4", "main"),
    # line 17: "GPT-4的规模是GPT-3的10倍以上 ... 大约1.8万亿个参数,分布在120个层 ... GPT-3只有大约1750亿个参数"
    ("weixueai2023.size_ratio_to_gpt3", "size_ratio_to_gpt3", 10, "more_than", SOURCE, "gpt-4", "main"),
    ("weixueai2023.total_params", "total_params", 1.8e12, "approximately", SOURCE, "gpt-4", "main"),
    ("weixueai2023.n_layers", "n_layers", 120, "exact", SOURCE, "gpt-4", "main"),
    ("weixueai2023.gpt3_total_params", "total_params", 175e9, "approximately", SOURCE, "gpt-3", "main"),
    # line 21: "16位专家,每位专家的多层感知机(MLP)参数约为1110亿个 ... 有两位专家进行路由"
    ("weixueai2023.n_experts", "n_experts", 16, "exact", SOURCE, "gpt-4", "main"),
    ("weixueai2023.expert_mlp_params", "expert_mlp_params", 111e9, "approximately", SOURCE, "gpt-4", "main"),
    ("weixueai2023.experts_per_token", "experts_per_token", 2, "exact", SOURCE, "gpt-4", "main"),
    # line 25: "注意力机制中大约有550亿个共享参数"
    ("weixueai2023.shared_attention_params", "shared_attention_params", 55e9, "approximately", SOURCE, "gpt-4",
     "main"),
    # line 27: "仅使用大约2800亿个参数和560 TFLOPS ... 大约1.8万亿个参数和3700 TFLOPs"
    ("weixueai2023.active_params", "active_params", 280e9, "approximately", SOURCE, "gpt-4", "main"),
    ("weixueai2023.forward_flop_per_token", "forward_flop_per_token", 560e12, "approximately", SOURCE, "gpt-4",
     "main"),
    ("weixueai2023.dense_active_params", "dense_active_params", 1.8e12, "approximately", SOURCE, "gpt-4", "main"),
    ("weixueai2023.dense_forward_flop_per_token", "dense_forward_flop_per_token", 3700e12, "approximately",
     SOURCE, "gpt-4", "main"),
    # line 31: "大约13万亿个tokens ... RefinedWeb中包含大约5万亿个 ... 大约1.4万亿个和0.78万亿个 ...
    #           PaLM 2也是基于大约5万亿个tokens"
    ("weixueai2023.training_tokens", "training_tokens", 13e12, "approximately", SOURCE, "gpt-4", "main"),
    ("weixueai2023.refinedweb_tokens", "dataset_tokens", 5e12, "approximately", SOURCE, "refinedweb", "main"),
    ("weixueai2023.chinchilla_training_tokens", "training_tokens", 1.4e12, "approximately", SOURCE, "chinchilla",
     "main"),
    ("weixueai2023.palm_training_tokens", "training_tokens", 0.78e12, "approximately", SOURCE, "palm", "main"),
    ("weixueai2023.palm2_training_tokens", "training_tokens", 5e12, "approximately", SOURCE, "palm-2", "main"),
    # line 33: "并不包含13万亿个独特的tokens ... 文本数据经历了2个时期,而代码数据则经历了4个时期 ...
    #           两倍的tokens数量 ... 多1000倍的数量"
    ("weixueai2023.unique_tokens", "unique_tokens", 13e12, "less_than", SOURCE, "gpt-4", "main"),
    ("weixueai2023.epochs_text", "epochs_text", 2, "exact", SOURCE, "gpt-4", "main"),
    ("weixueai2023.epochs_code", "epochs_code", 4, "exact", SOURCE, "gpt-4", "main"),
    ("weixueai2023.chinchilla_token_ratio", "chinchilla_token_ratio", 2, "exact", SOURCE, "gpt-4", "main"),
    ("weixueai2023.untapped_token_ratio", "untapped_token_ratio", 1000, "exact", SOURCE, "gpt-4", "main"),
]

# (claim id, quantity, subject)
QUALITATIVE = [
    ("weixueai2023.release_date", "event_date", "gpt-4"),               # line 5: 2023年3月14日
    ("weixueai2023.gpu_model", "gpu_model", "gpt-4"),                   # line 11: A100
    ("weixueai2023.dense_scaling_limit", "statement", "gpt-4"),         # line 13
    ("weixueai2023.gpt3_architecture_kind", "architecture_kind", "gpt-3"),  # line 13: 稠密的Transformer
    ("weixueai2023.dense_llm_companies", "statement", "gpt-4"),         # line 13: 50家
    ("weixueai2023.architecture_kind", "architecture_kind", "gpt-4"),   # line 19: 混合专家(MoE)
    ("weixueai2023.routing_algorithm", "routing_algorithm", "gpt-4"),   # line 23: 相对简单
    ("weixueai2023.multi_epoch_reason", "statement", "gpt-4"),          # line 33: 多个时期
    ("weixueai2023.token_scarcity", "statement", "gpt-4"),              # line 33
    ("weixueai2023.audio_visual_tokens", "data_sources", "gpt-4"),      # line 33: 音频和视觉tokens
]

# Labels whose content is the claim (typed from the text).
LABELS = {
    "weixueai2023.release_date": "2023-03-14",
    "weixueai2023.gpu_model": "A100",
    "weixueai2023.architecture_kind": "mixture of experts",
}


@pytest.fixture(scope="module")
def catalogue():
    return gpt4leak.load_catalogue()


@pytest.fixture(scope="module")
def document_text():
    return DOCUMENT.read_text(encoding="utf-8")


@pytest.mark.parametrize("cid, quantity, magnitude, qualifier, source, subject, scenario", NUMERIC,
                         ids=[r[0] for r in NUMERIC])
def test_numeric_claim_as_written(catalogue, cid, quantity, magnitude, qualifier, source, subject, scenario):
    c = catalogue.claim(cid)
    assert (c.quantity, c.qualifier, c.source, c.subject, c.scenario) == (
        quantity, qualifier, source, subject, scenario)
    # the number as the text states it, in the quantity's base unit (for a bound: the bound)
    assert c.written.to(c.unit).magnitude == pytest.approx(magnitude, rel=1e-9)
    iv = c.interval
    bound = {"more_than": iv.low, "at_least": iv.low, "less_than": iv.high, "at_most": iv.high}
    assert bound.get(qualifier, iv.mid) == pytest.approx(magnitude, rel=1e-9)


@pytest.mark.parametrize("cid, quantity, subject", QUALITATIVE, ids=[r[0] for r in QUALITATIVE])
def test_qualitative_claim(catalogue, cid, quantity, subject):
    c = catalogue.claim(cid)
    assert (c.quantity, c.subject, c.source) == (quantity, subject, SOURCE)
    assert not c.is_quantitative and c.label
    if cid in LABELS:
        assert c.label == LABELS[cid]


def test_every_claim_of_the_source_is_in_a_table(catalogue):
    in_catalogue = {c.id for c in catalogue.by_source(SOURCE)}
    in_tables = {r[0] for r in NUMERIC} | {r[0] for r in QUALITATIVE}
    assert in_catalogue == in_tables


def test_quotes_are_exact_substrings_of_the_document(catalogue, document_text):
    missing = [c.id for c in catalogue.by_source(SOURCE) if c.quote not in document_text]
    assert missing == []


def test_chinese_quotes_carry_an_english_gloss(catalogue):
    assert [c.id for c in catalogue.by_source(SOURCE) if not c.gloss] == []


def test_a_translation_computes_nothing(catalogue):
    """Every number is the report's, translated: none is derived from another claim."""
    assert [c.id for c in catalogue.by_source(SOURCE) if c.derived_from] == []


def test_approximate_claims_carry_the_precision_of_their_digits(catalogue):
    """'大约1.8万亿' is +-0.05 万亿; '1110亿' (trailing zero) is +-5亿; '0.78万亿' is +-0.005 万亿."""
    for cid, half in [("weixueai2023.total_params", 0.05e12),
                      ("weixueai2023.expert_mlp_params", 5e8),
                      ("weixueai2023.palm_training_tokens", 0.005e12),
                      ("weixueai2023.training_tokens", 0.5e12)]:
        iv = catalogue.claim(cid).interval
        assert (iv.high - iv.low) / 2 == pytest.approx(half, rel=1e-9), cid


def test_source_record(catalogue):
    s = catalogue.source(SOURCE)
    assert (s.kind, s.language, s.author, s.outlet, s.document) == (
        "translation", "zh", "微学AI", "toymoban.com", DOCUMENT.name)
    assert s.url == "https://www.toymoban.com/news/detail-561215.html"
    assert s.url in DOCUMENT.read_text(encoding="utf-8")
    assert [(d.source, d.relation) for d in s.derives_from] == [("semianalysis2023", "translation")]
