"""Data relations: epochs, unique tokens and the code share; and sources' figures against each other."""

from __future__ import annotations

from ..core import Check


def _tokens_from_epochs(e_text, text, e_code, code):
    return e_text * text + e_code * code


def _unique_tokens(text, code):
    return text + code


def _code_share(e_text, text, e_code, code):
    seen_code = e_code * code
    return seen_code / (e_text * text + seen_code)


def _identity(x):
    return x


EPOCHS = {"e_text": "epochs_text", "text": "text_tokens", "e_code": "epochs_code", "code": "code_tokens"}

CHECKS = (
    Check("data.tokens_from_epochs", "Do the epochs over text and code make the 13T tokens seen?",
          "tokens = e_text × text + e_code × code", EPOCHS,
          _tokens_from_epochs, "token", target="training_tokens", borrow=("text", "code"), slip_units=()),
    Check("data.unique_vs_refinedweb", "Are the unique text and code tokens about RefinedWeb's ~5T?",
          "unique = text + code", {"text": "text_tokens", "code": "code_tokens"}, _unique_tokens, "token",
          target="dataset_tokens", target_subject="refinedweb", borrow=("text", "code"), slip_units=()),
    Check("data.epoch_tokens", "Do one epoch of text and the code epochs make the tokens per epoch?",
          "tokens_per_epoch = e_text × text + e_code × code", EPOCHS,
          _tokens_from_epochs, "token", target="tokens_per_epoch"),
    Check("data.code_share", "Is code the claimed share of the tokens seen?",
          "share = e_code × code / (e_text × text + e_code × code)", EPOCHS,
          _code_share, "dimensionless", target="code_fraction", display_unit="percent", slip_units=()),
) + tuple(
    Check(f"agree.{key}", f"Does the claimed {label} agree with other sources' figures?",
          "identity", {"x": key}, _identity, unit, target=key, cross_source_only=True)
    for key, label, unit in (("training_flop", "training compute", "FLOP"),
                             ("training_cost", "training cost", "USD"),
                             ("total_params", "total", "parameter"))
)
