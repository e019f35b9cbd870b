"""The AINLP essay "如果我在OpenAI训GPT4" (claims/ainlp2023.yaml) against its own text.

Truth here is the document, claims/documents/002_7714f0ea85aad2db.txt: every row of the
tables below was typed by hand from the Chinese text (the line of the essay is given), not
generated from the YAML. A row checks that the catalogue holds that number, in base units,
with the wording's qualifier, for the right model.
"""

from pathlib import Path
import pytest

import gpt4leak
DOCUMENTS = Path(__file__).resolve().parents[1] / "claims" / "documents"

SOURCE = "ainlp2023"
DOCUMENT = DOCUMENTS / "002_7714f0ea85aad2db.txt"

# (claim id, quantity, magnitude in base unit, qualifier, source, subject, scenario)
NUMERIC = [
    # line 27: "原始 GPT3 的 2048 长度不太够,这次我们增大到了 4096"
    ("ainlp2023.gpt3_seq_len", "seq_len_pretrain", 2048, "exact", SOURCE, "gpt-3", "main"),
    ("ainlp2023.gpt35_seq_len", "seq_len_pretrain", 4096, "exact", SOURCE, "gpt-3.5", "main"),
    # line 27: "而不仅仅是 300B 的 Token 数量,因为发现对于大模型 300B tokens 远远不够"
    ("ainlp2023.gpt3_training_tokens", "training_tokens", 300e9, "exact", SOURCE, "gpt-3", "main"),
    ("ainlp2023.gpt35_training_tokens", "training_tokens", 300e9, "more_than", SOURCE, "gpt-3.5", "main"),
    # line 38: "大概将模型的规模扩大十倍 ... 16个专家,每个 111B参数,而共享部分是 55B参数,
    #           所以总计大概是 1831B参数量 ... 每次前向会走两个专家 ... 280B 的参数"
    ("ainlp2023.size_ratio_to_gpt3", "size_ratio_to_gpt3", 10, "approximately", SOURCE, "gpt-4", "main"),
    ("ainlp2023.n_experts", "n_experts", 16, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.expert_mlp_params", "expert_mlp_params", 111e9, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.shared_params", "shared_params", 55e9, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.total_params", "total_params", 1831e9, "approximately", SOURCE, "gpt-4", "main"),
    ("ainlp2023.experts_per_token", "experts_per_token", 2, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.active_params", "active_params", 280e9, "approximately", SOURCE, "gpt-4", "main"),
    # line 39: "大概 1 个大 epoch 会包含 1 个 epoch 的自然语言数据,加上 2 个 epoch的代码数据,
    #           于是 1 个 epoch 大概就是 6.5T tokens ... 按40%算 ... 3.9T ... 1.3T"
    ("ainlp2023.epochs_text", "epochs_text_per_mixture_epoch", 1, "approximately", SOURCE, "gpt-4", "main"),
    ("ainlp2023.epochs_code", "epochs_code_per_mixture_epoch", 2, "approximately", SOURCE, "gpt-4", "main"),
    ("ainlp2023.tokens_per_epoch", "tokens_per_epoch", 6.5e12, "approximately", SOURCE, "gpt-4", "main"),
    ("ainlp2023.code_fraction", "code_fraction", 0.40, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.text_tokens", "text_tokens", 3.9e12, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.code_tokens", "code_tokens", 1.3e12, "exact", SOURCE, "gpt-4", "main"),
    # line 40: "一直到 6000万 tokens ... 主要在 8k 上进行训练 ... 8 路的 tensor 并行 ... 15 路的管道并行"
    ("ainlp2023.batch_tokens", "batch_tokens", 60e6, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.seq_len_pretrain", "seq_len_pretrain", 8192, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.tensor_parallel", "tensor_parallel", 8, "exact", SOURCE, "gpt-4", "main"),
    ("ainlp2023.pipeline_parallel", "pipeline_parallel", 15, "exact", SOURCE, "gpt-4", "main"),
    # line 56: "在多模态的数据上只进行了 2T 数据的继续训练"
    ("ainlp2023.multimodal_finetune_tokens", "multimodal_finetune_tokens", 2e12, "exact", SOURCE, "gpt-4",
     "main"),
    # line 60: "所以 4 的 32k,还有多模接口完全不敢放出去"
    ("ainlp2023.seq_len_finetune", "seq_len_finetune", 32768, "exact", SOURCE, "gpt-4", "main"),
    # line 61: "目标是如 3.5 Turbo 一样不降低性能给推理成本降低10倍"
    ("ainlp2023.inference_cost_reduction_target", "inference_cost_reduction_target", 10, "exact", SOURCE,
     "gpt-4", "main"),
    ("ainlp2023.gpt35_turbo_cost_reduction", "cost_improvement_ratio", 10, "exact", SOURCE, "gpt-3.5-turbo",
     "main"),
]

# (claim id, quantity, subject): the qualitative statements the essay makes.
QUALITATIVE = [
    ("ainlp2023.narrator_joined_date", "event_date", "gpt-4"),          # line 7: 2021年9月
    ("ainlp2023.gpt3_release_date", "event_date", "gpt-3"),             # line 8: 大概 2020 年中
    ("ainlp2023.moe_start_date", "event_date", "gpt-4"),                # line 30: 22 年年初
    ("ainlp2023.release_date", "event_date", "gpt-4"),                  # line 56: 三月份发布
    ("ainlp2023.data_sources_books", "data_sources", "gpt-4"),          # line 18: Libgen, Z-library
    ("ainlp2023.data_sources_papers", "data_sources", "gpt-4"),         # line 20: Arxiv, Scihub
    ("ainlp2023.data_sources_github", "data_sources", "gpt-4"),         # line 22: Github
    ("ainlp2023.data_sources_audio", "data_sources", "gpt-4"),          # line 33: Whisper
    ("ainlp2023.data_sources_images", "data_sources", "gpt-4"),         # line 34: 图像数据
    ("ainlp2023.chinchilla_data_shortage", "statement", "gpt-4"),       # line 31
    ("ainlp2023.gpt35_seq_len_ramp", "seq_len_note", "gpt-3.5"),        # line 27: 逐步增加长度
    ("ainlp2023.architecture_kind", "architecture_kind", "gpt-4"),      # line 37: MoE
    ("ainlp2023.attention_kind", "attention_kind", "gpt-4"),            # line 41: Multi-Query Attention
    ("ainlp2023.flash_attention", "statement", "gpt-4"),                # line 41: 先没上
    ("ainlp2023.vision_architecture", "vision_architecture", "gpt-4"),  # line 34: DALLE 的方式
    ("ainlp2023.batch_ramp", "batch_ramp", "gpt-4"),                    # line 40: 课程学习
    ("ainlp2023.seq_len_ramp", "seq_len_note", "gpt-4"),                # line 40: 逐渐增大长度
    ("ainlp2023.long_context", "seq_len_note", "gpt-4"),                # line 40: 长文团队
    ("ainlp2023.inference_batching", "inference_batching", "gpt-4"),    # line 57: Continuous Batching
    ("ainlp2023.quantization", "statement", "gpt-4"),                   # line 57: 量化...之后再做
    ("ainlp2023.speculative_decoding", "speculative_decoding", "gpt-4"),            # line 58
    ("ainlp2023.speculative_decoding_rejection", "speculative_decoding", "gpt-4"),  # line 61
]

# Numbers the essay computes from its other numbers, and what from (line 38-39).
DERIVED = {
    # 16 x 111B + 55B
    "ainlp2023.total_params": {"ainlp2023.n_experts", "ainlp2023.expert_mlp_params", "ainlp2023.shared_params"},
    # 2 x 111B + 55B
    "ainlp2023.active_params": {"ainlp2023.experts_per_token", "ainlp2023.expert_mlp_params",
                                "ainlp2023.shared_params"},
    # one big epoch = 1 text epoch + 2 code epochs = half the leak's 13T
    "ainlp2023.tokens_per_epoch": {"ainlp2023.epochs_text", "ainlp2023.epochs_code"},
    # 60% of 6.5T over 1 epoch
    "ainlp2023.text_tokens": {"ainlp2023.tokens_per_epoch", "ainlp2023.code_fraction", "ainlp2023.epochs_text"},
    # 40% of 6.5T over 2 epochs
    "ainlp2023.code_tokens": {"ainlp2023.tokens_per_epoch", "ainlp2023.code_fraction", "ainlp2023.epochs_code"},
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


def test_every_claim_of_the_source_is_in_a_table(catalogue):
    """No record escapes the hand-typed tables (and no table row lacks a record)."""
    in_catalogue = {c.id for c in catalogue.by_source(SOURCE)}
    in_tables = {r[0] for r in NUMERIC} | {r[0] for r in QUALITATIVE}
    assert in_catalogue == in_tables


def test_quotes_are_exact_substrings_of_the_document(catalogue, document_text):
    missing = [c.id for c in catalogue.by_source(SOURCE) if c.quote not in document_text]
    assert missing == []


def test_chinese_quotes_carry_an_english_gloss(catalogue):
    assert [c.id for c in catalogue.by_source(SOURCE) if not c.gloss] == []


@pytest.mark.parametrize("cid", sorted(DERIVED))
def test_computed_numbers_list_their_inputs(catalogue, cid):
    c = catalogue.claim(cid)
    assert set(c.derived_from) == DERIVED[cid]
    assert "comput" in c.notes.lower()


def test_only_the_computed_numbers_are_marked_derived(catalogue):
    marked = {c.id for c in catalogue.by_source(SOURCE) if c.derived_from}
    assert marked == set(DERIVED)


def test_the_essays_parameter_sums(catalogue):
    """Line 38: 16 x 111B + 55B = 1831B; two experts + shared = 277B, which it writes 280B."""
    n = catalogue.claim("ainlp2023.n_experts").magnitude
    k = catalogue.claim("ainlp2023.experts_per_token").magnitude
    expert = catalogue.claim("ainlp2023.expert_mlp_params").magnitude
    shared = catalogue.claim("ainlp2023.shared_params").magnitude
    assert n * expert + shared == pytest.approx(1831e9, rel=1e-12)
    total = catalogue.claim("ainlp2023.total_params").interval
    active = catalogue.claim("ainlp2023.active_params").interval
    assert total.low <= n * expert + shared <= total.high
    assert k * expert + shared == pytest.approx(277e9, rel=1e-12)
    assert active.low <= k * expert + shared <= active.high  # 280B read as +-5B


def test_the_essays_token_split(catalogue):
    """Line 39: 40% code of a 6.5T big epoch; text 1 epoch -> 3.9T, code 2 epochs -> 1.3T."""
    per_epoch = catalogue.claim("ainlp2023.tokens_per_epoch").magnitude
    code_share = catalogue.claim("ainlp2023.code_fraction").magnitude
    e_text = catalogue.claim("ainlp2023.epochs_text").magnitude
    e_code = catalogue.claim("ainlp2023.epochs_code").magnitude
    assert (1 - code_share) * per_epoch / e_text == pytest.approx(
        catalogue.claim("ainlp2023.text_tokens").magnitude, rel=1e-9)
    assert code_share * per_epoch / e_code == pytest.approx(
        catalogue.claim("ainlp2023.code_tokens").magnitude, rel=1e-9)
    # and the big epoch is text once plus code twice: 3.9T + 2 x 1.3T = 6.5T
    assert 3.9e12 * e_text + 1.3e12 * e_code == pytest.approx(per_epoch, rel=1e-9)


def test_source_record(catalogue):
    s = catalogue.source(SOURCE)
    assert (s.kind, s.language, s.author, s.document) == ("derivative", "zh", "AINLP", DOCUMENT.name)
    assert [(d.source, d.relation) for d in s.derives_from] == [("semianalysis2023", "retelling")]
