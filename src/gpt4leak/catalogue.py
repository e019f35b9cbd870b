"""Load and validate the catalogue: every claim, its source, and the assumptions checks use.

A catalogue is a folder of YAML files (or one file). Each file holds a mapping with
any of these keys:

``source`` / ``sources``
    one source record, or a list of them;
``claims``
    a list of claim records (see :class:`gpt4leak.records.Claim`);
``assumptions``
    a list of assumption records;
``pinned``
    a mapping from check-result id to the verdict published for it (guarded by
    ``pytest --gpt4leak``);
``subjects`` / ``scenarios``
    the vocabulary claims may use for ``subject`` and ``scenario`` (see
    :class:`gpt4leak.records.Subject` and :class:`gpt4leak.records.Scenario`). A catalogue
    uses its own declarations and the shipped ones (``claims/vocabulary.yaml``) it does not
    redefine; a claim naming anything else is refused with the known names.

Files are read with ``yaml.safe_load`` only. Everything is validated before
anything is returned: one bad record anywhere raises one :class:`CatalogueError`
naming every problem as ``file: record id: field: message``; nothing loads half-way.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .records import Assumption, Claim, Scenario, Source, Subject
from .sanitize import for_terminal
from .units import Q_

__all__ = ["Catalogue", "CatalogueError", "load_catalogue", "catalogue_schema", "default_catalogue_path",
           "CatalogueFile"]

_TOP_KEYS = {"source", "sources", "claims", "assumptions", "pinned", "subjects", "scenarios", "subject"}
_LISTS = ("sources", "claims", "assumptions", "subjects", "scenarios")
VOCABULARY_FILE = "vocabulary.yaml"
Verdict = str


class CatalogueError(ValueError):
    """One or more problems in catalogue files; ``problems`` lists (file, record, field, message)."""

    def __init__(self, problems: list[tuple[str, str, str, str]]):
        self.problems = problems
        one = lambda x: for_terminal(str(x), single_line=True)  # noqa: E731  (a value may carry escapes or lines)
        lines = [f"{one(f)}: {one(rid)}: {one(fld)}: {one(msg)}" for f, rid, fld, msg in problems]
        super().__init__(f"{len(problems)} problem(s) in the catalogue:\n  " + "\n  ".join(lines))


class CatalogueFile(BaseModel):
    """JSON Schema of one catalogue file (for editors: claims/schema.json)."""

    model_config = ConfigDict(extra="forbid")
    source: Source | None = Field(None, description="The source document this file transcribes.")
    sources: list[Source] = Field([], description="More sources (estimates, papers).")
    claims: list[Claim] = Field([], description="The claims, one per number or statement.")
    assumptions: list[Assumption] = Field([], description="Numbers checks need that no source claims.")
    pinned: dict[str, str] = Field({}, description="Comparison key (CheckResult.keys) or result id -> pinned verdict.")
    subjects: list[Subject] = Field([], description="Subjects claims may name (besides the shipped ones).")
    scenarios: list[Scenario] = Field([], description="Scenarios claims may name (besides the shipped ones).")
    subject: str | None = Field(None, description="The default subject of this file's claims (a declared id). A "
                                                  "file that declares subjects and no default must name the "
                                                  "subject of every claim.")


def catalogue_schema() -> dict:
    """The JSON Schema of a catalogue file (also shipped as ``claims/schema.json``)."""
    schema = CatalogueFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gpt4leak catalogue file"
    return schema


def default_catalogue_path() -> Path:
    """The shipped GPT-4 catalogue: inside the installed package, or the repository's ``claims/``."""
    packaged = resources.files("gpt4leak") / "claims"
    if packaged.is_dir():
        return Path(str(packaged))
    repo = Path(__file__).resolve().parents[2] / "claims"
    if repo.is_dir():
        return repo
    raise FileNotFoundError("the gpt4leak claims folder is missing from this installation")


@dataclass(frozen=True)
class Catalogue:
    """Sources, claims and assumptions, validated and cross-referenced."""

    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]
    assumptions: tuple[Assumption, ...]
    pinned: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # record id -> file it came from
    path: str = ""
    subjects: tuple[Subject, ...] = ()  # the declared vocabulary (own and shipped)
    scenarios: tuple[Scenario, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "_index", {r.id: r for r in (*self.sources, *self.claims, *self.assumptions)})

    # ---- lookup
    def __getitem__(self, record_id: str):
        try:
            return self._index[record_id]
        except KeyError:
            raise KeyError(f"no source, claim or assumption with id {record_id!r}") from None

    def __contains__(self, record_id: str) -> bool:
        return record_id in self._index

    def source(self, source_id: str) -> Source:
        r = self[source_id]
        if not isinstance(r, Source):
            raise KeyError(f"{source_id!r} is not a source")
        return r

    def claim(self, claim_id: str) -> Claim:
        r = self[claim_id]
        if not isinstance(r, Claim):
            raise KeyError(f"{claim_id!r} is not a claim")
        return r

    def assumption(self, assumption_id: str) -> Assumption:
        r = self[assumption_id]
        if not isinstance(r, Assumption):
            raise KeyError(f"{assumption_id!r} is not an assumption")
        return r

    def subject(self, subject_id: str) -> Subject:
        """The declared subject (KeyError naming the known ones)."""
        for s in self.subjects:
            if s.id == subject_id:
                return s
        raise KeyError(f"unknown subject {subject_id!r}; known: {', '.join(sorted(s.id for s in self.subjects))}")

    def scenario(self, scenario_id: str) -> Scenario:
        """The declared scenario (KeyError naming the known ones)."""
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        raise KeyError(f"unknown scenario {scenario_id!r}; known: "
                       f"{', '.join(sorted(s.id for s in self.scenarios))}")

    @functools.cached_property
    def scenario_kinds(self) -> dict[str, str]:
        """Scenario id -> kind ('run', 'rerun', 'phase', 'accounting', 'serving', 'hypothetical')."""
        return {s.id: s.kind for s in self.scenarios}

    def by_quantity(self, key: str) -> list[Claim]:
        return [c for c in self.claims if c.quantity == key]

    def by_source(self, source_id: str) -> list[Claim]:
        self.source(source_id)
        return [c for c in self.claims if c.source == source_id]

    def file_of(self, record_id: str) -> str:
        return self.files.get(record_id, "")

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    @functools.cached_property
    def hash(self) -> str:
        """SHA-256 (first 16 hex digits) of every record, canonical JSON: cite it with a report."""
        h = hashlib.sha256()
        for group in (self.sources, self.claims, self.assumptions, self.subjects, self.scenarios):
            for r in sorted(group, key=lambda r: r.id):
                h.update(json.dumps(r.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).encode())
        h.update(json.dumps(self.pinned, sort_keys=True).encode())
        return h.hexdigest()[:16]

    def replace(self, claims=None, assumptions=None) -> "Catalogue":
        """A copy with some records replaced (same ids), validated again."""
        cl = {c.id: c for c in self.claims}
        cl.update({c.id: c for c in (claims or [])})
        asm = {a.id: a for a in self.assumptions}
        asm.update({a.id: a for a in (assumptions or [])})
        if claims:  # a phase's figure changed: the run's summed GPU-hours follow
            kept = [c for c in cl.values() if not c.is_phase_total]
            given = {c.id for c in claims}  # a total overridden by name stays as given
            cl = {c.id: c for c in kept + [t for t in phase_totals(kept, self.scenarios) if t.id not in given]}
        return Catalogue(self.sources, tuple(cl.values()), tuple(asm.values()), self.pinned, self.files, self.path,
                         self.subjects, self.scenarios)

    def __repr__(self) -> str:
        return (f"Catalogue({len(self.claims)} claims, {len(self.sources)} sources, "
                f"{len(self.assumptions)} assumptions, hash {self.hash}, from {self.path!r})")

    def _repr_html_(self) -> str:
        """A notebook view: the summary (claims per source), then the claims, collapsed, grouped by source."""
        from html import escape
        groups = []
        for src in self.sources:
            claims = [c for c in self.claims if c.source == src.id]
            if not claims:
                continue
            rows = "".join(
                f"<tr><td><code>{escape(c.id)}</code></td><td>{escape(c.quantity)}</td>"
                f"<td>{escape(c.value or c.label or '')}</td><td>{escape(c.qualifier)}</td>"
                f"<td>{escape(c.quote[:120])}</td></tr>" for c in claims)
            groups.append(f"<details><summary><b>{escape(src.id)}</b> ({escape(src.kind)}, {escape(src.language)}): "
                          f"{len(claims)} claims — {escape(src.title[:80])}</summary><table><tr><th>id</th>"
                          f"<th>quantity</th><th>value as written</th><th>qualifier</th><th>quote</th></tr>{rows}"
                          f"</table></details>")
        return f"<div><p>{escape(repr(self))}</p>{''.join(groups)}</div>"

    def _repr_markdown_(self) -> str:
        lines = [repr(self), ""]
        for src in self.sources:
            n = sum(c.source == src.id for c in self.claims)
            if n:
                lines.append(f"- {src.id} ({src.kind}, {src.language}): {n} claims")
        return "\n".join(lines) + "\n"

    def to_frame(self):
        """One row per claim, base-unit numeric columns (pandas, the ``frame`` extra)."""
        from .frames import claims_frame
        return claims_frame(self)


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CatalogueError([(str(path), "-", "-", "no such file or folder")])
    # a dangling or looping symlink named *.yaml is not is_file(): keep it, so the reader names it
    return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink()))


def _yaml_problem(text: str, exc: yaml.YAMLError) -> tuple[str, str, str]:
    """(record id, position, message) of a YAML syntax error: the id is the last ``id:`` at or
    before the line the parser stopped at (the record being read), the position its line and column."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return "-", "-", f"malformed YAML: {exc}".replace("\n", " ")
    rid = "-"
    for line in text.splitlines()[: mark.line + 1]:
        m = re.match(r"\s*(?:-\s+)?id:\s*[\"']?([^\s\"'#]+)", line)
        if m:
            rid = m.group(1)
    what = ", ".join(x for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x)
    return rid, f"line {mark.line + 1}, column {mark.column + 1}", f"malformed YAML: {what or exc}"


def _loc(err: dict) -> str:
    return ".".join(str(x) for x in err["loc"]) or "-"


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml's safe loader, when PyYAML was built with it
#: Fields read as the text the transcriber wrote: YAML 1.1 would read "016" as 14, "1:30" as 90, "1.0e+5" as a float
_AS_WRITTEN = frozenset({"value", "half_width", "label"})


def _strict(base):
    """A safe loader that refuses duplicate keys and aliases, and keeps ``value``/``half_width`` as written."""

    class Strict(base):
        def construct_mapping(self, node, deep=False):
            if not isinstance(node, yaml.MappingNode):
                return super().construct_mapping(node, deep)
            seen: dict = {}
            out = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    hash(key)
                except TypeError:
                    raise yaml.constructor.ConstructorError(None, None, "a mapping key must be text",
                                                            key_node.start_mark) from None
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping", node.start_mark,
                        f"the key {key!r} appears twice (line {seen[key] + 1} and line "
                        f"{key_node.start_mark.line + 1})", key_node.start_mark)
                seen[key] = key_node.start_mark.line
                if key in _AS_WRITTEN and isinstance(value_node, yaml.ScalarNode) and value_node.tag in (
                        "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:str"):
                    out[key] = value_node.value  # the text as written, never a YAML 1.1 number
                else:
                    out[key] = self.construct_object(value_node, deep=deep)
            return out

        def construct_document(self, node):
            _refuse_aliases(node)
            return super().construct_document(node)

    Strict.add_constructor("tag:yaml.org,2002:map", Strict.construct_mapping)
    return Strict


def _refuse_aliases(root) -> None:
    """An alias (*x) re-uses a node: refused, so that nested aliases cannot blow up (a linear walk)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.constructor.ConstructorError(None, None, "aliases (&anchor / *alias) are not allowed",
                                                    getattr(node, "start_mark", None))
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack += [k, v]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


_STRICT_FAST = _strict(_FAST_LOADER) if _FAST_LOADER is not None else None
_STRICT_SLOW = _strict(yaml.SafeLoader)


def _safe_load(text: str):
    """A strict ``yaml.safe_load`` (see :func:`_strict`), through libyaml's C parser when available (4x faster).

    On a syntax error the text is parsed again by the pure-Python loader, whose messages (line, column, what it
    expected) are the ones we report.
    """
    if _STRICT_FAST is not None:
        try:
            return yaml.load(text, Loader=_STRICT_FAST)  # noqa: S506 - a *safe* loader
        except yaml.constructor.ConstructorError:
            raise
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_STRICT_SLOW)  # noqa: S506 - a *safe* loader


def _read(f: Path, fname: str, problems: list, allowed: set | None = None) -> dict | None:
    """One file as a mapping (None, with the problem recorded, when it cannot be read as one)."""
    try:
        text = f.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append((fname, "-", "-", f"not UTF-8 text: {exc}"))
        return None
    except OSError as exc:
        problems.append((fname, "-", "-", f"cannot read the file: {exc.strerror or exc}"))
        return None
    try:
        doc = _safe_load(text)
    except yaml.YAMLError as exc:
        problems.append((fname, *_yaml_problem(text, exc)))
        return None
    except RecursionError:
        problems.append((fname, "-", "-", "nested too deeply to read"))
        return None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar YAML cannot construct (a bad date)
        problems.append((fname, "-", "-", f"cannot read a value: {exc}"))
        return None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        problems.append((fname, "-", "-", "a catalogue file must be a mapping"))
        return None
    allowed = _TOP_KEYS if allowed is None else allowed
    for k in sorted(set(doc) - allowed, key=str):
        problems.append((fname, "-", str(k), f"unknown top-level key (allowed: {', '.join(sorted(allowed))})"))
    if allowed is not _TOP_KEYS:
        return None if problems else doc
    wrong = [k for k in _LISTS if doc.get(k) is not None and not isinstance(doc[k], list)]
    wrong += [k for k in ("source",) if doc.get(k) is not None and not isinstance(doc[k], dict)]
    wrong += [k for k in ("subject",) if doc.get(k) is not None and not isinstance(doc[k], str)]
    for k in wrong:
        kind = {"source": "one record (a mapping)", "subject": "a subject id"}.get(k, "a list of records")
        problems.append((fname, "-", k, f"expected {kind}, got {type(doc[k]).__name__}"))
    return None if wrong else doc


@functools.lru_cache(maxsize=1)
def shipped_vocabulary() -> tuple[tuple[Subject, ...], tuple[Scenario, ...]]:
    """The subjects and scenarios every catalogue may use (``claims/vocabulary.yaml``)."""
    path = default_catalogue_path() / VOCABULARY_FILE
    problems: list = []
    doc = _read(path, str(path), problems) or {}
    subjects, scenarios = [], []
    for model, key, out in ((Subject, "subjects", subjects), (Scenario, "scenarios", scenarios)):
        for i, raw in enumerate(doc.get(key) or []):
            try:
                out.append(model.model_validate(raw))
            except ValidationError as exc:
                problems += [(str(path), f"{key}[{i}]", _loc(e), e["msg"]) for e in exc.errors()]
    if problems:
        raise CatalogueError(problems)
    return tuple(subjects), tuple(scenarios)


def _unknown(kind: str, name: str, known) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"unknown {kind} {name!r}{hint}; known: {', '.join(sorted(known))}. Declare a new one under "
            f"'{kind}s:' in a catalogue file")


def _with_subject(claims: list, doc: dict, fname: str, problems: list) -> list:
    """The file's ``subject:`` is the default of its claims. A file that declares its own subjects and no
    default must name the subject of every claim: a forgotten ``subject:`` would make the claim about GPT-4."""
    default = doc.get("subject")
    if default is not None:
        return [{**c, "subject": default} if isinstance(c, dict) and "subject" not in c else c for c in claims]
    declared = [s.get("id") for s in (doc.get("subjects") or []) if isinstance(s, dict)]
    if declared:
        for i, c in enumerate(claims):
            if isinstance(c, dict) and "subject" not in c:
                problems.append((fname, str(c.get("id", f"claims[{i}]")), "subject",
                                 f"no subject, in a file that declares {', '.join(map(repr, declared))}: write "
                                 f"'subject:' on the claim (gpt-4 for GPT-4), or once at the top of the file"))
    return claims


def load_catalogue(path: str | Path | list | tuple | None = None, *, also: list | tuple = ()) -> Catalogue:
    """Load every ``*.yaml`` file of a folder (not its subfolders), or one file, or several of either.

    ``path=None`` loads the shipped GPT-4 catalogue; a list loads every path given as one catalogue (ids unique
    across all of them). ``also`` adds paths to it: ``load_catalogue(also=["mine.yaml"])`` is the shipped
    catalogue with one's own file beside it. Raises :class:`CatalogueError` naming file, record id and field for
    every problem; nothing is returned half-loaded.
    """
    paths = [path] if path is None or isinstance(path, (str, Path)) else list(path)
    roots = [default_catalogue_path() if p is None else Path(p) for p in paths] + [Path(p) for p in also]
    if not roots:
        raise CatalogueError([("-", "-", "-", "no catalogue path given")])
    root = roots[0]
    problems: list[tuple[str, str, str, str]] = []
    records: dict[str, list] = {k: [] for k in _LISTS}
    pinned: dict[str, str] = {}
    files: dict[str, str] = {}
    vocab_files: dict[tuple[str, str], str] = {}  # (list, id) -> file: subjects and scenarios have their own ids

    def validate(model, raw: Any, fname: str, what: str, i: int):
        rid = raw.get("id", f"{what}[{i}]") if isinstance(raw, dict) else f"{what}[{i}]"
        if not isinstance(raw, dict):
            problems.append((fname, str(rid), "-", f"expected a mapping, got {type(raw).__name__}"))
            return None
        if model is Claim and isinstance(raw.get("value"), (int, float)) and not isinstance(raw["value"], bool):
            raw = {**raw, "value": repr(raw["value"])}
        try:
            rec = model.model_validate(raw)
        except ValidationError as exc:
            for e in exc.errors():
                problems.append((fname, str(rid), _loc(e), e["msg"]))
            return None
        seen = vocab_files if model in (Subject, Scenario) else files
        key = (what, rec.id) if model in (Subject, Scenario) else rec.id
        if key in seen:
            problems.append((fname, rec.id, "id", f"duplicate id (also in {seen[key]})"))
            return None
        seen[key] = fname
        return rec

    found: dict[Path, str] = {}  # file -> the name errors give it (the bare name inside one folder)
    for r in roots:
        files_r = _files(r)
        if not files_r:
            raise CatalogueError([(str(r), "-", "-", "no catalogue files (*.yaml) in this folder")])
        for f in files_r:
            try:
                key = f.resolve()
            except (OSError, RuntimeError):  # a symlink loop: _read names it
                key = f
            found.setdefault(key, f.name if (len(roots) == 1 and r.is_dir()) else str(f))
    models = {"sources": Source, "claims": Claim, "assumptions": Assumption, "subjects": Subject,
              "scenarios": Scenario}
    for f, fname in found.items():
        doc = _read(f, fname, problems)
        if doc is None:
            continue
        lists = {k: list(doc.get(k) or []) for k in _LISTS}
        if doc.get("source") is not None:
            lists["sources"].insert(0, doc["source"])
        lists["claims"] = _with_subject(lists["claims"], doc, fname, problems)
        for what, raws in lists.items():
            for i, raw in enumerate(raws):
                if (rec := validate(models[what], raw, fname, "source" if what == "sources" else what, i)) is not None:
                    records[what].append(rec)
        pins = doc.get("pinned") or {}
        if not isinstance(pins, dict):
            problems.append((fname, "-", "pinned", "expected a mapping of comparison key -> verdict"))
        else:
            pinned.update({str(k): str(v) for k, v in pins.items()})

    sources, claims, assumptions = records["sources"], records["claims"], records["assumptions"]
    shipped_subjects, shipped_scenarios = shipped_vocabulary()
    own = {(type(r), r.id) for r in (*records["subjects"], *records["scenarios"])}
    subjects = (*records["subjects"], *(s for s in shipped_subjects if (Subject, s.id) not in own))
    scenarios = (*records["scenarios"], *(s for s in shipped_scenarios if (Scenario, s.id) not in own))
    subject_ids = {s.id for s in subjects}
    scenario_ids = {s.id for s in scenarios}
    source_ids = {s.id for s in sources}
    claim_ids = {c.id for c in claims}
    for c in claims:
        if c.source not in source_ids:
            problems.append((files[c.id], c.id, "source", f"unknown source id {c.source!r}"))
        if c.subject not in subject_ids:
            problems.append((files[c.id], c.id, "subject", _unknown("subject", c.subject, subject_ids)))
        if c.scenario not in scenario_ids:
            problems.append((files[c.id], c.id, "scenario", _unknown("scenario", c.scenario, scenario_ids)))
        for d in c.derived_from:
            if d not in claim_ids:
                problems.append((files[c.id], c.id, "derived_from", f"unknown claim id {d!r}"))
    by_id = {c.id: c for c in claims}
    for c in claims:  # derived_from must not come back to the claim (a cycle proves nothing)
        seen, stack = set(), list(c.derived_from)
        while stack:
            d = stack.pop()
            if d == c.id:
                problems.append((files[c.id], c.id, "derived_from", "a cycle: the claim is derived from itself"))
                break
            if d in seen or d not in by_id:
                continue
            seen.add(d)
            stack += by_id[d].derived_from
    scenario_by_id = {s.id: s for s in scenarios}
    for s in records["scenarios"]:
        if s.part_of is not None:
            parent = scenario_by_id.get(s.part_of)
            if parent is None:
                problems.append((vocab_files[("scenarios", s.id)], s.id, "part_of",
                                 _unknown("scenario", s.part_of, scenario_ids)))
            elif parent.part_of is not None:
                problems.append((vocab_files[("scenarios", s.id)], s.id, "part_of",
                                 f"{s.part_of!r} is itself part of {parent.part_of!r}: name the run"))
    for s in sources:
        for d in s.derives_from:
            if d.source not in source_ids:
                problems.append((files[s.id], s.id, "derives_from", f"unknown source id {d.source!r}"))
    if problems:
        raise CatalogueError(problems)
    _inherit_precision(claims)
    for c in (totals := phase_totals(claims, scenarios)):
        files[c.id] = files[c.derived_from[0]]
    claims = claims + totals
    return Catalogue(tuple(sources), tuple(claims), tuple(assumptions), pinned, files,
                     str(root) if len(roots) == 1 else str(roots[0] if roots[0].is_dir() else roots[0].parent),
                     tuple(subjects), tuple(scenarios))


_PHASE_KEYS = ("n_gpus", "training_days", "training_gpu_hours")


def phase_totals(claims, scenarios) -> list[Claim]:
    """A run's GPU-hours summed over its phases, one claim per source that gives every phase.

    PaLM 540B trained on "6144 TPU v4 chips for 1200 hours and 3072 TPU v4 chips for 336 hours" and states no
    total. When every scenario declared ``part_of`` a run has, from one source, its GPUs and time (or its
    GPU-hours), the run gets the sum GPU-hours = sum of GPUs x hours (:func:`gpt4leak.formulas.cost.gpu_hours`)
    as a claim of that source with ``derived_from`` the phases' claims, so it corroborates nothing. Its
    interval is the sum of the phases' ends. Bounds ("at most") and denied figures give no sum.
    """
    from .formulas import cost
    from .uncertainty import Interval
    parts: dict[str, list[str]] = {}
    for s in scenarios:
        if s.part_of is not None:
            parts.setdefault(s.part_of, []).append(s.id)
    if not parts:
        return []
    read: dict[tuple, Claim] = {}
    for c in claims:
        if (c.quantity in _PHASE_KEYS and c.is_quantitative and c.interval.bounded
                and c.qualifier in ("exact", "approximately", "between", "nominal")):
            read.setdefault((c.source, c.subject, c.scenario, c.quantity), c)
    seconds = float(Q_(1, "day").to("second").magnitude)
    out = []
    for run, phases in parts.items():
        for source, subject in dict.fromkeys((k[0], k[1]) for k in read if k[2] in phases):
            terms = []
            for ph in phases:
                if (h := read.get((source, subject, ph, "training_gpu_hours"))) is not None:
                    terms.append((h,))
                elif ((n := read.get((source, subject, ph, "n_gpus"))) is not None
                      and (d := read.get((source, subject, ph, "training_days"))) is not None):
                    terms.append((n, d))
                else:
                    break
            else:
                out.append(_phase_total(source, subject, run, phases, terms, cost, Interval, seconds))
    return out


def _phase_total(source, subject, run, phases, terms, cost, Interval, seconds) -> Claim:
    def hours(end):
        return sum(getattr(t[0].interval, end) if len(t) == 1 else
                   cost.gpu_hours.bare(getattr(t[0].interval, end), getattr(t[1].interval, end) * seconds)
                   for t in terms)
    low, high = hours("low"), hours("high")
    ids = tuple(c.id for t in terms for c in t)
    said = " + ".join(t[0].value if len(t) == 1 else f"{t[0].value} × {t[1].value}" for t in terms)
    exact = all(c.qualifier == "exact" for t in terms for c in t) and low == high
    claim = Claim(id=f"{source}.{run}.phases_gpu_hours", source=source, quantity="training_gpu_hours",
                  subject=subject, scenario=run, value=f"{round((low + high) / 2):,} GPU hours",
                  qualifier="exact" if exact else "approximately",
                  quote=" ".join(dict.fromkeys(c.quote for t in terms for c in t)),
                  notes=f"Summed by gpt4leak over the phases of {run!r} ({', '.join(phases)}): {said}. The source "
                        f"states no total. The parts: " + " ".join(dict.fromkeys(c.notes for t in terms for c in t
                                                                                  if c.notes)),
                  derived_from=ids)
    claim._interval = Interval(low, high, "GPU*hour", f"the sum over the phases ({said})")
    claim._phase_total = True
    return claim


def _inherit_precision(claims: list[Claim]) -> None:
    """A restatement is no more precise than what it restates.

    Epoch AI's "2,808 hours" restates BLOOM's "117 days" (± 1 day, so ± 24 hours, not ± half an hour). Each
    claim with ``derived_from`` gets at least the relative half-width of the claims of the same quantity it
    derives from, about its own centre. (A number computed from other quantities propagates their uncertainty
    through a formula the loader does not know: its transcriber states it as ``half_width``.)
    """
    by_id = {c.id: c for c in claims}
    for c in claims:
        if not c.derived_from or not c.is_quantitative or not c.interval.bounded:
            continue
        rel = 0.0
        for d in c.derived_from:
            src = by_id.get(d)
            if (src is not None and src.quantity == c.quantity and src.is_quantitative and src.interval.bounded
                    and src.interval.mid > 0
                    and src.qualifier not in ("at_most", "less_than", "more_than", "at_least")):  # bounds: no width
                rel = max(rel, (src.interval.high - src.interval.low) / (2 * src.interval.mid))
        c._widen(rel)
