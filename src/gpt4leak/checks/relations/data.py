"""Data relations: epochs, unique tokens and the code share; and sources' figures against each other."""

from __future__ import annotations

from ...quantities import QUANTITIES
from ..core import Check

#: How a question names a quantity where its description is not a short noun phrase.
_LABELS = {"training_flop": "training compute", "training_cost": "training cost", "total_params": "total"}


def _label(spec) -> str:
    """The description's first clause, lower-cased ("Transformer layers." -> "transformer layers")."""
    text = spec.description.split(" (")[0].split(";")[0].rstrip(".")
    return text[:1].lower() + text[1:]


def _tokens_from_epochs(e_text, text, e_code, code):
    return e_text * text + e_code * code


def _unique_tokens(text, code):
    return text + code


def _code_share(e_text, text, e_code, code):
    seen_code = e_code * code
    return seen_code / (e_text * text + seen_code)


def _tokens_from_words(words, tokens_per_word):
    return words * tokens_per_word


def _identity(x):
    return x


EPOCHS = {"e_text": "epochs_text", "text": "text_tokens", "e_code": "epochs_code", "code": "code_tokens"}
#: Epochs inside one epoch of the data mixture (a "big epoch"): they make the tokens of one mixture epoch.
MIXTURE_EPOCHS = {"e_text": "epochs_text_per_mixture_epoch", "text": "text_tokens",
                  "e_code": "epochs_code_per_mixture_epoch", "code": "code_tokens"}
#: The code share is the same over the run or over one mixture epoch (both epoch counts scale together).
ANY_EPOCHS = {"e_text": ("epochs_text", "epochs_text_per_mixture_epoch"), "text": "text_tokens",
              "e_code": ("epochs_code", "epochs_code_per_mixture_epoch"), "code": "code_tokens"}

CHECKS = (
    Check("data.tokens_from_epochs", "Do the epochs over text and code make the 13T tokens seen?",
          "tokens = e_text × text + e_code × code", EPOCHS,
          _tokens_from_epochs, "token", target="training_tokens", borrow=("text", "code"), slip_units=()),
    Check("data.unique_vs_refinedweb", "Are the unique text and code tokens about RefinedWeb's ~5T?",
          "unique = text + code", {"text": "text_tokens", "code": "code_tokens"}, _unique_tokens, "token",
          target="dataset_tokens", target_subject="refinedweb", borrow=("text", "code"), slip_units=()),
    Check("data.tokens_from_words", "Do the words of text make the tokens seen, at the tokenizer's rate?",
          "tokens = words × tokens per word", {"words": "training_words"}, _tokens_from_words, "token",
          target="training_tokens", assumptions={"tokens_per_word": ("data.tokens_per_word", "token/word")},
          slip_units=()),
    Check("data.epoch_tokens", "Do one epoch of text and the code epochs make the tokens per epoch?",
          "tokens_per_epoch = e_text × text + e_code × code (epochs inside one mixture epoch)", MIXTURE_EPOCHS,
          _tokens_from_epochs, "token", target="tokens_per_epoch"),
    Check("data.code_share", "Is code the claimed share of the tokens seen?",
          "share = e_code × code / (e_text × text + e_code × code)", ANY_EPOCHS,
          _code_share, "dimensionless", target="code_fraction", display_unit="percent", slip_units=()),
) + tuple(
    # every quantity with a number, source against source (the identity: the unit-slip and tension rules decide)
    Check(f"agree.{key}", f"Do other sources give the same {_LABELS.get(key, _label(spec))}?",
          "identity", {"x": key}, _identity, spec.unit, target=key, cross_source_only=True,
          display_unit="percent" if spec.share else None)
    for key, spec in QUANTITIES.items() if spec.unit is not None and spec.levels is None
)
