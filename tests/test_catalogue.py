"""Tests of the catalogue: data integrity of claims/, the loader's errors, the API, the schema, packaging.

Data integrity is tested like code (one rule per test, each claim its own test id, in the style of
bioregistry's tests/test_data.py): a rule that breaks names the claim. The rules are those of
claims/README.md: ids '<source>.<what>', the unit's dimension fixed by the quantity key
(gpt4leak.quantities), quotes that are exact substrings of the collected documents, a gloss for every
non-English quote, labels for qualitative claims.

Bad input: each fixture in tests/data/invalid/ breaks one rule; the loader must refuse the whole
catalogue with one CatalogueError that names the file, the record id and the field.
"""

from __future__ import annotations

import html.parser
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import gpt4leak
from gpt4leak import Catalogue, CatalogueError, catalogue_schema, load_catalogue
from gpt4leak.quantities import QUANTITIES
from gpt4leak.records import Assumption, Claim, Source
from gpt4leak.units import parse_value, ureg

REPO = Path(__file__).resolve().parents[1]
CLAIMS = REPO / "claims"
CONTROLS = CLAIMS / "controls"
DOCUMENTS = CLAIMS / "documents"
INVALID = Path(__file__).resolve().parent / "data" / "invalid"

CATALOGUE = load_catalogue(CLAIMS)        # the GPT-4 catalogue of this repository
CONTROL_CATALOGUE = load_catalogue(CONTROLS)  # published runs the checks are calibrated on
ALL_SOURCES = {s.id: s for s in (*CATALOGUE.sources, *CONTROL_CATALOGUE.sources)}
NUMERIC = [c for c in CATALOGUE.claims if QUANTITIES[c.quantity].unit is not None]
QUALITATIVE = [c for c in CATALOGUE.claims if QUANTITIES[c.quantity].unit is None]
DOCUMENT_TEXT = {p.name: p.read_text(encoding="utf-8") for p in sorted(DOCUMENTS.glob("*.txt"))}
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
# Sources we know only through the collected texts: their quotes must be found there.
KNOWN_THROUGH_DOCUMENTS = {"leak", "translation", "derivative", "commentary", "rumour"}


def _raw_ids() -> dict[str, list[str]]:
    """Every record id in the YAML files, read without the loader (which refuses duplicates itself)."""
    seen: dict[str, list[str]] = {}
    for f in sorted(CLAIMS.glob("*.yaml")) + sorted(CONTROLS.glob("*.yaml")):
        doc = yaml.load(f.read_text(encoding="utf-8"), Loader=_FAST_SAFE_LOADER) or {}
        records = ([doc["source"]] if doc.get("source") else []) + list(doc.get("sources") or []) \
            + list(doc.get("claims") or []) + list(doc.get("assumptions") or [])
        for r in records:
            seen.setdefault(r["id"], []).append(str(f.relative_to(CLAIMS)))
    return seen


RAW_IDS = _raw_ids()


# =========================================================================== every file loads
def test_every_claim_file_is_in_the_catalogue():
    with_records, pins = set(), {}
    for f in CLAIMS.glob("*.yaml"):
        doc = yaml.load(f.read_text(encoding="utf-8"), Loader=_FAST_SAFE_LOADER) or {}
        if set(doc) & {"source", "sources", "claims", "assumptions"}:
            with_records.add(f.name)
        pins.update({str(k): str(v) for k, v in (doc.get("pinned") or {}).items()})
    assert set(CATALOGUE.files.values()) == with_records
    assert CATALOGUE.pinned == pins
    assert len(CATALOGUE.claims) > 250 and len(CATALOGUE.sources) >= 8 and CATALOGUE.assumptions


def _same_files(packaged: Path) -> list[str]:
    """Files of the repository's claims/ that are missing from ``packaged`` or differ from it."""
    wrong = []
    for f in sorted(CLAIMS.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            copy = packaged / f.relative_to(CLAIMS)
            if not copy.is_file() or copy.read_bytes() != f.read_bytes():
                wrong.append(f.relative_to(CLAIMS).as_posix())
    return wrong


def test_the_default_catalogue_is_this_one():
    """load_catalogue() with no path reads the repository's claims/ (editable install) or the copy
    that `pip install .` put inside the package, which must be the same files."""
    default = gpt4leak.catalogue.default_catalogue_path()
    assert default == CLAIMS or _same_files(default) == []


def test_an_installed_package_ships_the_claims():
    """Under `pip install .` (CI installs so) the claims live inside the package, next to its code."""
    package = Path(gpt4leak.__file__).resolve().parent
    if package.is_relative_to(REPO / "src"):
        pytest.skip("gpt4leak is imported from the source tree (editable install): see the wheel test")
    assert gpt4leak.catalogue.default_catalogue_path() == package / "claims"
    assert _same_files(package / "claims") == []


def test_the_catalogue_round_trips_through_yaml(tmp_path):
    """Dump every record back to YAML (one file per original file) and load it again."""
    docs: dict[str, dict] = {}
    for group, records in (("sources", CATALOGUE.sources), ("claims", CATALOGUE.claims),
                           ("assumptions", CATALOGUE.assumptions)):
        for r in records:
            doc = docs.setdefault(CATALOGUE.file_of(r.id), {})
            doc.setdefault(group, []).append(r.model_dump(mode="json", exclude_defaults=True))
    if CATALOGUE.pinned:
        docs.setdefault("pinned.yaml", {})["pinned"] = dict(CATALOGUE.pinned)
    for group, records in (("subjects", CATALOGUE.subjects), ("scenarios", CATALOGUE.scenarios)):
        docs.setdefault("vocabulary.yaml", {})[group] = [r.model_dump(mode="json", exclude_defaults=True)
                                                         for r in records]
    for fname, doc in docs.items():
        (tmp_path / fname).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    back = load_catalogue(tmp_path)
    assert {r.id: r for r in back.claims} == {r.id: r for r in CATALOGUE.claims}
    assert {r.id: r for r in back.sources} == {r.id: r for r in CATALOGUE.sources}
    assert {r.id: r for r in back.assumptions} == {r.id: r for r in CATALOGUE.assumptions}
    assert back.pinned == CATALOGUE.pinned
    assert (back.subjects, back.scenarios) == (CATALOGUE.subjects, CATALOGUE.scenarios)
    assert back.hash == CATALOGUE.hash


# =========================================================================== data integrity, one rule per test
# Each rule is a function of one claim that raises AssertionError naming what is wrong. The GPT-4
# catalogue gets one test per claim and rule (the claim id is the test id); the control catalogue
# (tests/test_controls_data.py checks its numbers) runs through the same rules in one test per rule.
def rule_id_is_unique(claim):
    if claim.is_phase_total:  # summed by the loader (tests/test_phases.py), in no file
        assert claim.id not in RAW_IDS, f"{claim.id} is also a file's claim"
        return
    assert RAW_IDS[claim.id] == RAW_IDS[claim.id][:1], f"{claim.id} is defined in {RAW_IDS[claim.id]}"


def rule_id_starts_with_its_source(claim):
    assert claim.id.startswith(claim.source + "."), f"{claim.id} is a claim of {claim.source}"


def rule_value_has_the_dimension_of_its_quantity(claim):
    unit = QUANTITIES[claim.quantity].unit
    if unit is None or QUANTITIES[claim.quantity].levels is not None:  # a kind: a label, not a value
        return
    expected = ureg.parse_units(unit) if unit != "dimensionless" else ureg.dimensionless
    parsed = parse_value(claim.value, default_unit="dimensionless")
    assert parsed.low.dimensionality == expected.dimensionality, \
        f"{claim.value!r} is {parsed.low.units}, {claim.quantity} wants {unit}"
    assert parsed.high.dimensionality == expected.dimensionality


def rule_qualitative_claim_has_a_label(claim):
    if QUANTITIES[claim.quantity].unit is None:
        assert claim.label and claim.label.strip() and claim.value is None, "qualitative claim without a label"


def rule_referenced_records_exist(claim):
    assert claim.source in ALL_SOURCES, f"unknown source {claim.source!r}"
    catalogue = CATALOGUE if claim.id in CATALOGUE else CONTROL_CATALOGUE
    missing = [d for d in claim.derived_from if d not in catalogue]
    assert missing == [], f"derived_from names unknown claims {missing}"


def rule_quote_is_in_the_document(claim):
    source = ALL_SOURCES[claim.source]
    if source.document:
        assert claim.quote in DOCUMENT_TEXT[source.document], \
            f"quote not found verbatim in claims/documents/{source.document}: {claim.quote!r}"
    elif source.kind in KNOWN_THROUGH_DOCUMENTS:
        # no text of its own (e.g. Hotz's podcast): we hold it only as retold in a collected document
        assert any(claim.quote in text for text in DOCUMENT_TEXT.values()), \
            f"quote of {source.id} (no document of its own) is in no collected document: {claim.quote!r}"
    else:  # a paper, a database, an estimate: checkable at its citation
        assert source.citation or source.url, f"{source.id} has no document, citation or url"


def rule_non_english_quote_has_a_gloss(claim):
    source = ALL_SOURCES[claim.source]
    if source.language != "en" or CJK.search(claim.quote):
        assert claim.gloss.strip(), f"quote in {source.language!r} without an English gloss: {claim.quote!r}"


RULES = [rule_id_is_unique, rule_id_starts_with_its_source, rule_value_has_the_dimension_of_its_quantity,
         rule_qualitative_claim_has_a_label, rule_referenced_records_exist, rule_quote_is_in_the_document,
         rule_non_english_quote_has_a_gloss]
CLAIMS_BY_ID = pytest.mark.parametrize("claim", CATALOGUE.claims, ids=[c.id for c in CATALOGUE.claims])


@CLAIMS_BY_ID
def test_id_is_unique(claim):
    rule_id_is_unique(claim)


@CLAIMS_BY_ID
def test_id_starts_with_its_source(claim):
    rule_id_starts_with_its_source(claim)


@pytest.mark.parametrize("claim", NUMERIC, ids=[c.id for c in NUMERIC])
def test_value_has_the_dimension_of_its_quantity(claim):
    rule_value_has_the_dimension_of_its_quantity(claim)


@pytest.mark.parametrize("claim", QUALITATIVE, ids=[c.id for c in QUALITATIVE])
def test_qualitative_claim_has_a_label(claim):
    rule_qualitative_claim_has_a_label(claim)


@CLAIMS_BY_ID
def test_referenced_records_exist(claim):
    rule_referenced_records_exist(claim)


@CLAIMS_BY_ID
def test_quote_is_in_the_document(claim):
    rule_quote_is_in_the_document(claim)


@CLAIMS_BY_ID
def test_non_english_quote_has_a_gloss(claim):
    rule_non_english_quote_has_a_gloss(claim)


@pytest.mark.parametrize("rule", RULES, ids=[r.__name__[5:] for r in RULES])
def test_control_claims_follow_the_same_rules(rule):
    broken = []
    for claim in CONTROL_CATALOGUE.claims:
        try:
            rule(claim)
        except AssertionError as exc:
            broken.append(f"{claim.id}: {str(exc).splitlines()[0]}")
    assert broken == []


def test_the_rules_can_fail():
    """Each rule refuses a claim made to break it (a rule that cannot fail guards nothing)."""
    good = CATALOGUE["cver2023.total_params"]
    assert good.quote and ALL_SOURCES[good.source].language == "zh"

    def broken(**update):
        return good.model_copy(update=update)

    cases = [
        (rule_id_is_unique, broken(id="peleg2023.total_params")),  # made a duplicate just below
        (rule_id_starts_with_its_source, broken(id="peleg2023.total_params_copy")),
        (rule_value_has_the_dimension_of_its_quantity, broken(value="1.8 万亿个 tokens")),
        (rule_qualitative_claim_has_a_label, broken(quantity="attention_kind", label=None)),
        (rule_referenced_records_exist, broken(derived_from=("cver2023.no_such_claim",))),
        (rule_quote_is_in_the_document, broken(quote=good.quote + " [not in the text]")),
        (rule_non_english_quote_has_a_gloss, broken(gloss="")),
    ]
    RAW_IDS.setdefault("peleg2023.total_params", []).append("a second file")
    try:
        for rule, claim in cases:
            with pytest.raises(AssertionError):
                rule(claim)
    finally:
        RAW_IDS["peleg2023.total_params"].pop()
    assert [r for r, _ in cases] == RULES


@pytest.mark.parametrize("source", list(ALL_SOURCES.values()), ids=list(ALL_SOURCES))
def test_source_references_exist(source):
    assert [d.source for d in source.derives_from if d.source not in ALL_SOURCES] == []
    if source.document:
        assert source.document in DOCUMENT_TEXT, f"no file claims/documents/{source.document}"


# =========================================================================== bad input: one named error, nothing loaded
# fixture -> (file, record id, field, words of the message) the single problem must carry
INVALID_CASES = {
    "wrong_dimension.yaml": ("wrong_dimension.yaml", "semianalysis2023.total_params", "value",
                             "convertible to 'parameter'"),
    "missing_quote.yaml": ("missing_quote.yaml", "semianalysis2023.n_layers", "quote", "Field required"),
    "unknown_source.yaml": ("unknown_source.yaml", "nosuchsource2023.n_layers", "source",
                            "unknown source id 'nosuchsource2023'"),
    "duplicate_id": ("second.yaml", "semianalysis2023.n_layers", "id", "duplicate id (also in first.yaml)"),
    "negative_count.yaml": ("negative_count.yaml", "semianalysis2023.n_gpus", "value", "negative"),
    "range_low_above_high.yaml": ("range_low_above_high.yaml", "semianalysis2023.training_days", "value",
                                  "low > high"),
    "nan_value.yaml": ("nan_value.yaml", "semianalysis2023.total_params", "value", "not a finite number"),
    "inf_value.yaml": ("inf_value.yaml", "semianalysis2023.training_flop", "value", "not finite"),
    "unknown_quantity.yaml": ("unknown_quantity.yaml", "semianalysis2023.total_params", "quantity",
                              "unknown quantity key 'total_parameters'"),
    # YAML cannot say which field; the position is the line the parser stopped at, the id the record it read
    "malformed.yaml": ("malformed.yaml", "semianalysis2023.n_layers", "line 8, column 13", "malformed YAML"),
    # a top-level key belongs to the file, not to a record: the id is "-"
    "unknown_top_level_key.yaml": ("unknown_top_level_key.yaml", "-", "claim", "unknown top-level key"),
    "qualitative_with_value.yaml": ("qualitative_with_value.yaml", "semianalysis2023.attention_kind", "value",
                                    "is qualitative: give 'label', not 'value'"),
    "numeric_without_value.yaml": ("numeric_without_value.yaml", "semianalysis2023.total_params", "value",
                                   "needs a 'value'"),
}


def test_every_invalid_fixture_has_a_case():
    assert {p.name for p in INVALID.iterdir()} == set(INVALID_CASES)


@pytest.mark.parametrize("case", sorted(INVALID_CASES))
def test_invalid_catalogue_is_refused_with_a_named_error(case, tmp_path):
    shutil.copy(CLAIMS / "sources.yaml", tmp_path)
    fixture = INVALID / case
    for f in ([fixture] if fixture.is_file() else sorted(fixture.iterdir())):
        shutil.copy(f, tmp_path)
    assert load_catalogue(tmp_path / "sources.yaml").sources  # the good file alone loads
    fname, rid, field, words = INVALID_CASES[case]
    result = None
    with pytest.raises(CatalogueError) as info:
        result = load_catalogue(tmp_path)
    assert result is None
    assert len(info.value.problems) == 1, info.value.problems
    got_file, got_id, got_field, message = info.value.problems[0]
    assert (got_file, got_id, got_field) == (fname, rid, field), info.value.problems
    assert words in message
    assert f"{fname}: {rid}: {field}: " in str(info.value)  # the line a person reads


def test_every_problem_is_reported_at_once(tmp_path):
    shutil.copy(CLAIMS / "sources.yaml", tmp_path)
    for case in ("wrong_dimension.yaml", "unknown_source.yaml", "missing_quote.yaml"):
        shutil.copy(INVALID / case, tmp_path)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(tmp_path)
    assert sorted(p[0] for p in info.value.problems) == ["missing_quote.yaml", "unknown_source.yaml",
                                                         "wrong_dimension.yaml"]
    assert str(info.value).startswith("3 problem(s) in the catalogue:")


def test_missing_folder_and_non_mapping_file(tmp_path):
    with pytest.raises(CatalogueError, match="no such file or folder"):
        load_catalogue(tmp_path / "nowhere")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="list.yaml: -: -: a catalogue file must be a mapping"):
        load_catalogue(tmp_path)


def test_a_numeric_yaml_value_is_read_as_its_text(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "source: {id: x2023, title: t, language: en, kind: leak, url: 'https://example.org'}\n"
        "claims:\n  - {id: x2023.n_layers, source: x2023, quantity: n_layers, value: 120, qualifier: exact,"
        " quote: q}\n", encoding="utf-8")
    assert load_catalogue(tmp_path)["x2023.n_layers"].interval.low == 120


# =========================================================================== API
def test_lookup_by_id_and_membership():
    c = CATALOGUE["peleg2023.total_params"]
    assert isinstance(c, Claim) and c.quantity == "total_params"
    assert "peleg2023.total_params" in CATALOGUE and "peleg2023" in CATALOGUE
    assert "peleg2023.no_such_claim" not in CATALOGUE
    assert isinstance(CATALOGUE["peleg2023"], Source)
    assert isinstance(CATALOGUE["price.a100_hour"], Assumption)
    assert CATALOGUE.claim("peleg2023.total_params") is c
    assert CATALOGUE.file_of("peleg2023.total_params") == "peleg2023.yaml"
    with pytest.raises(KeyError, match="'peleg2023.no_such_claim'"):
        CATALOGUE["peleg2023.no_such_claim"]
    with pytest.raises(KeyError, match="'peleg2023' is not a claim"):
        CATALOGUE.claim("peleg2023")
    with pytest.raises(KeyError, match="'peleg2023.total_params' is not a source"):
        CATALOGUE.source("peleg2023.total_params")
    with pytest.raises(KeyError, match="is not an assumption"):
        CATALOGUE.assumption("peleg2023")


def test_by_quantity():
    found = CATALOGUE.by_quantity("total_params")
    assert found and all(c.quantity == "total_params" for c in found)
    assert {"peleg2023.total_params", "cver2023.total_params"} <= {c.id for c in found}
    assert found == [c for c in CATALOGUE if c.quantity == "total_params"]  # catalogue order
    assert CATALOGUE.by_quantity("no_such_key") == []


def test_by_source():
    found = CATALOGUE.by_source("peleg2023")
    assert found and all(c.source == "peleg2023" for c in found)
    assert sum(len(CATALOGUE.by_source(s.id)) for s in CATALOGUE.sources) == len(CATALOGUE)
    with pytest.raises(KeyError, match="'nosuchsource2023'"):
        CATALOGUE.by_source("nosuchsource2023")


def test_len_and_iter():
    assert len(CATALOGUE) == len(CATALOGUE.claims) == len(list(CATALOGUE))


def test_repr():
    r = repr(CATALOGUE)
    assert r.startswith(f"Catalogue({len(CATALOGUE.claims)} claims, {len(CATALOGUE.sources)} sources, "
                        f"{len(CATALOGUE.assumptions)} assumptions, hash {CATALOGUE.hash}")


class _TagChecker(html.parser.HTMLParser):
    VOID = {"br", "hr", "img", "meta", "input", "col", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.rows, self.errors = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        self.rows += tag == "tr"

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_html_repr_renders():
    page = CATALOGUE._repr_html_()
    checker = _TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    groups = len({c.source for c in CATALOGUE.claims})
    assert checker.rows == len(CATALOGUE) + groups  # one collapsed table per source: a header row + its claims
    assert page.count("<details>") == groups and page.index("<p>Catalogue(") < page.index("<details>")
    assert "<code>peleg2023.total_params</code>" in page


def test_html_repr_escapes_the_quotes():
    c = CATALOGUE["peleg2023.total_params"]
    hostile = c.model_copy(update={"quote": "<script>alert(1)</script>"})
    page = CATALOGUE.replace(claims=[hostile])._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_hash_is_content_not_order():
    shuffled = Catalogue(tuple(reversed(CATALOGUE.sources)), tuple(reversed(CATALOGUE.claims)),
                         tuple(reversed(CATALOGUE.assumptions)), dict(CATALOGUE.pinned),
                         subjects=tuple(reversed(CATALOGUE.subjects)), scenarios=tuple(reversed(CATALOGUE.scenarios)))
    assert shuffled.hash == CATALOGUE.hash
    assert re.fullmatch(r"[0-9a-f]{16}", CATALOGUE.hash)
    c = CATALOGUE["peleg2023.n_layers"]
    changed = CATALOGUE.replace(claims=[Claim.model_validate({**c.model_dump(), "value": "96 layers"})])
    assert changed.hash != CATALOGUE.hash
    assert changed["peleg2023.n_layers"].interval.low == 96 and len(changed) == len(CATALOGUE)


# =========================================================================== schema
def test_catalogue_schema_is_a_json_schema_of_a_file():
    s = catalogue_schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["type"] == "object" and s["additionalProperties"] is False
    assert set(s["properties"]) == {"source", "sources", "claims", "assumptions", "pinned",
                                   "subjects", "scenarios", "subject"}
    assert s["properties"]["claims"]["type"] == "array"
    assert s["properties"]["claims"]["items"] == {"$ref": "#/$defs/Claim"}
    claim = s["$defs"]["Claim"]
    assert claim["additionalProperties"] is False
    assert {"id", "source", "quantity", "qualifier", "quote"} <= set(claim["required"])
    assert set(claim["properties"]["qualifier"]["enum"]) == {
        "exact", "approximately", "between", "more_than", "at_least", "at_most", "less_than", "nominal", "denied"}
    json.dumps(s)  # plain JSON


def test_every_schema_field_is_described():
    s = catalogue_schema()
    missing = [f"{name}.{field}" for name, d in s["$defs"].items() for field, p in d["properties"].items()
               if not p.get("description")]
    assert missing == []


def test_every_schema_reference_resolves():
    s = catalogue_schema()
    refs = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(s)))
    assert refs and refs <= set(s["$defs"])


def test_claim_files_validate_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    s = catalogue_schema()
    jsonschema.Draft202012Validator.check_schema(s)
    validator = jsonschema.Draft202012Validator(s)
    for f in sorted(CLAIMS.glob("*.yaml")) + sorted(CONTROLS.glob("*.yaml")):
        doc = json.loads(json.dumps(yaml.safe_load(f.read_text(encoding="utf-8")), default=str))  # dates as text
        assert [e.message for e in validator.iter_errors(doc)] == [], f.name
    bad = yaml.safe_load((INVALID / "missing_quote.yaml").read_text(encoding="utf-8"))
    assert any("'quote' is a required property" in e.message for e in validator.iter_errors(bad))


def _generate_schema_module():
    spec = importlib.util.spec_from_file_location("generate_schema", REPO / "scripts" / "generate_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_schema_json_is_current():
    gen = _generate_schema_module()
    path = CLAIMS / "schema.json"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    assert current == gen.schema_text(), f"claims/schema.json is stale: run `{gen.COMMAND}`"
    assert json.loads(current) == catalogue_schema()
    assert current.endswith("}\n") and not current.endswith("\n\n")


def test_generate_schema_script_writes_and_checks(tmp_path):
    gen = _generate_schema_module()
    out = tmp_path / "schema.json"
    assert gen.main(["--check", "--output", str(out)]) == 1
    assert gen.main(["--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == gen.schema_text()
    assert gen.main(["--check", "--output", str(out)]) == 0


# =========================================================================== packaging
def test_the_wheel_ships_the_claims(tmp_path):
    """`pip install .` (not editable) must carry claims/ inside the package, where load_catalogue() looks."""
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling is not importable: the wheel cannot be built offline (--no-build-isolation)")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(tmp_path), str(REPO)], check=True, capture_output=True, timeout=120)
    (wheel,) = tmp_path.glob("gpt4leak-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert "gpt4leak/claims/peleg2023.yaml" in names
        assert "gpt4leak/claims/documents/001_692e88825a9d1787.txt" in names
        for f in CLAIMS.rglob("*"):
            if f.is_file() and "__pycache__" not in f.parts:
                packed = f"gpt4leak/claims/{f.relative_to(CLAIMS).as_posix()}"
                assert packed in names, f"{packed} is missing from the wheel"
                assert z.read(packed) == f.read_bytes(), f"{packed} differs from the repository"
        z.extractall(tmp_path / "site")
    # load the shipped catalogue from the unpacked wheel, not from the repository
    code = ("import gpt4leak; c = gpt4leak.load_catalogue(); "
            "print(gpt4leak.__file__); print(c.path); print(c.hash)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
                         cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    module_file, path, digest = out.stdout.split()
    assert Path(module_file).is_relative_to(tmp_path / "site")
    assert Path(path) == tmp_path / "site" / "gpt4leak" / "claims"
    assert digest == CATALOGUE.hash
