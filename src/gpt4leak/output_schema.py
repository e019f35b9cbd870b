"""JSON Schema of ``gpt4leak check --format json`` (``gpt4leak schema check`` prints it).

The output is an array with one object per result. Numbers under ``base`` are in the base unit the result's
``base.unit`` names (FLOP, parameter, USD, day, byte, ...); ``claimed`` and ``derived`` repeat them in the display
unit a person reads (``unit``, "MUSD", "TFLOP", "percent"). An unbounded end ("more than X") is null. Text fields
under ``text`` are the numbers as practitioners write them.
"""

from __future__ import annotations

__all__ = ["check_output_schema", "VERDICTS"]

from .outcomes import RESULT_CLASSES, VERDICTS


def _num(description: str) -> dict:
    return {"type": ["number", "null"], "description": description}


def _obj(properties: dict, required=None, description: str = "", nullable: bool = False) -> dict:
    out = {"type": ["object", "null"] if nullable else "object", "properties": properties,
           "required": list(required if required is not None else properties), "additionalProperties": False}
    if description:
        out["description"] = description
    return out


def _str(description: str) -> dict:
    return {"type": "string", "description": description}


def _strs(description: str) -> dict:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def check_output_schema() -> dict:
    """The JSON Schema (draft 2020-12) of the check output: an array of result objects."""
    interval_display = {"low": _num("Low end, display unit."), "high": _num("High end, display unit (null: none).")}
    result = _obj({
        "id": _str("Result id: check[~subject][@scenario]/input source[readings]/target claim or 'derived'."),
        "check": _str("Check id (gpt4leak list checks)."),
        "question": _str("The question the check asks, in words."),
        "subject": _str("The model or dataset the claims are about."),
        "scenario": _str("The run or setting (main, h100_rerun, inference, ...)."),
        "sources": _strs("Sources of the inputs (the first gave them; the others give the same readings)."),
        "target_sources": _strs("Sources stating the compared figure."),
        "verdict": {"enum": list(VERDICTS), "description": "The verdict."},
        "result_class": {"enum": list(RESULT_CLASSES), "description": "What the result compares."},
        "borrowed": _strs("Input claim ids another source lent."),
        "keys": _strs("What the result compares (pin keys): check, subject, scenario, input ids -> target."),
        "reason": _str("Why the verdict is undetermined, or how a contradiction was capped."),
        "claimed": _obj({**interval_display, "unit": _str("Display unit."),
                         "claim": _str("The claim id, or the limit's label.")}, nullable=True,
                        description="The claimed interval (or limit), display unit; null for a derived figure."),
        "derived": _obj({"median": _num("Monte Carlo median."), "low": _num("5th percentile."),
                         "high": _num("95th percentile."), "bound_low": _num("Lowest value over the input corners."),
                         "bound_high": _num("Highest value over the input corners."), "unit": _str("Display unit.")},
                        description="The derivation, display unit."),
        "base": _obj({"unit": _str("The base unit of every number below."),
                      "derived": _obj({k: _num(d) for k, d in (("median", "Median."), ("p5", "5th percentile."),
                                                               ("p95", "95th percentile."), ("low", "Lowest bound."),
                                                               ("high", "Highest bound."))}),
                      "claimed": _obj({"low": _num("Low end."), "high": _num("High end (null: unbounded).")},
                                      nullable=True)},
                     description="Every number in the base unit, for machines."),
        "text": _obj({"derived": _str("The derivation as practitioners write it."),
                      "claimed": _str("The claim as practitioners write it.")}),
        "ratio": _num("Claimed / derived (null when not a claim)."),
        "gap_factor": _num("How far apart the intervals are (1 when they overlap)."),
        "inputs": {"type": "array", "items": _obj({
            "id": _str("Claim id."), "source": _str("Source id."),
            "value": {"type": ["string", "null"], "description": "The number as written."},
            "qualifier": _str("exact, approximately, between, ..."),
            "rule": {"type": ["string", "null"], "description": "The uncertainty rule applied."},
            "quote": _str("The sentence in the original language.")})},
        "assumptions": {"type": "array", "items": _obj({"id": _str("Assumption id."), "value": _str("As written."),
                                                        "source": _str("Datasheet, paper or convention.")})},
        "steps": _strs("The arithmetic as lines of text."),
        "arithmetic": {"type": "array", "items": {"type": "object", "description": "A structured step (base units).",
                                                  "required": ["kind"]}},
        "notes": _strs("Notes on the result."),
        "robust": {"type": ["boolean", "null"], "description": "Holds over every plausible range (null: not run)."},
        "margin": _num("Smallest relative move of an input that flips the verdict."),
        "support": {"type": "array", "items": {"type": "object"},
                    "description": "Independent sources behind each claim."},
        "robustness": {"type": "array", "items": _obj({
            "kind": _str("claim or assumption"), "id": _str("What moves."), "argument": _str("Formula argument."),
            "factor": {"type": "number", "description": "The move that flips it."},
            "new_verdict": {"enum": list(VERDICTS)}, "value": _str("The value it must reach, with its unit.")})},
        "seed": {"type": "integer"}, "samples": {"type": "integer"},
        "catalogue_hash": _str("SHA-256 prefix of the catalogue."), "gpt4leak_version": _str("Package version."),
        "unit_slip": _obj({"factor": {"type": "number"}, "reading": _str("The reading under which it fits."),
                           "corrected": _obj({**interval_display, "unit": _str("Display unit.")})},
                          description="Present on a unit slip only."),
    }, required=None)
    result["required"].remove("unit_slip")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "gpt4leak check output",
            "description": __doc__.strip().split("\n\n")[1].replace("\n", " "), "type": "array", "items": result}
