"""pytest plugin (entry point ``pytest11``).

``pytest --gpt4leak`` collects every check result as a test item. An item fails
when its verdict differs from the verdict pinned for it in the catalogue
(``claims/pinned.yaml``), so a published finding cannot change silently; an
item with no pinned verdict is skipped with the verdict it found. Failures print
the claims, both values in one unit, the ratio and the rule: no traceback.

Fixtures for users' own tests: ``catalogue`` (the shipped catalogue),
``report`` (every check evaluated once per session) and ``check`` (a function:
``check("cost.training_cost")`` returns that check's results).

Options: ``--gpt4leak-catalogue PATH``, ``--gpt4leak-seed N``, ``--gpt4leak-samples N``.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("gpt4leak")
    group.addoption("--gpt4leak", action="store_true", default=False,
                    help="collect every gpt4leak check as a test item, failing when its verdict differs "
                         "from the verdict pinned in the catalogue")
    group.addoption("--gpt4leak-catalogue", default=None, help="catalogue folder or file (default: shipped)")
    group.addoption("--gpt4leak-seed", type=int, default=0, help="Monte Carlo seed (default 0)")
    group.addoption("--gpt4leak-samples", type=int, default=100_000, help="Monte Carlo samples per check")


def _report(config):
    rep = getattr(config, "_gpt4leak_report", None)
    if rep is None:
        import gpt4leak
        from gpt4leak.checks import check_all
        cat = gpt4leak.load_catalogue(config.getoption("--gpt4leak-catalogue"))
        rep = check_all(cat, seed=config.getoption("--gpt4leak-seed"),
                        samples=config.getoption("--gpt4leak-samples"))
        config._gpt4leak_report = rep
    return rep


class VerdictChanged(Exception):
    """A check's verdict differs from the one pinned in the catalogue."""


class CheckItem(pytest.Item):
    def __init__(self, *, result, pinned, catalogue_path, **kwargs):
        super().__init__(**kwargs)
        self.result = result
        self.pinned = pinned
        self.catalogue_path = catalogue_path
        self.add_marker(pytest.mark.gpt4leak)

    def runtest(self):
        if self.pinned is None:
            pytest.skip(f"no pinned verdict (found: {self.result.verdict})")
        if self.result.verdict != self.pinned:
            raise VerdictChanged(self.result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, VerdictChanged):
            from gpt4leak.report import explain_text
            r = self.result
            return (f"verdict changed: pinned {self.pinned!r}, found {r.verdict!r}\n"
                    f"  derived {r.derived_text}\n  claimed {r.claimed_text}\n"
                    + (f"  ratio claimed/derived {r.ratio:.4g}\n" if r.ratio is not None else "")
                    + explain_text(r))
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.catalogue_path, None, f"gpt4leak check {self.result.id}"


class StalePins(Exception):
    """Pinned result ids that no check produces any more."""


class PinsItem(pytest.Item):
    """Fails when a pinned verdict belongs to no current result (a published finding vanished)."""

    def __init__(self, *, missing, catalogue_path, **kwargs):
        super().__init__(**kwargs)
        self.missing = missing
        self.catalogue_path = catalogue_path

    def runtest(self):
        if self.missing:
            raise StalePins(self.missing)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, StalePins):
            return ("pinned verdicts with no result (the check, its inputs or its target changed): "
                    + ", ".join(self.missing) + "\nRepin on purpose with: python scripts/pin_verdicts.py")
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.catalogue_path, None, "gpt4leak pinned verdicts all have results"


class CheckCollector(pytest.Collector):
    def collect(self):
        rep = _report(self.config)
        cat = rep.catalogue
        known = {k for r in rep.results for k in (*r.keys, r.id)}
        yield PinsItem.from_parent(self, name="pinned-results-exist", catalogue_path=Path(cat.path),
                                   missing=sorted(k for k in cat.pinned if k not in known))
        for r in rep.results:
            f = cat.file_of(r.target_claim.id) if r.target_claim is not None else cat.file_of(r.input_claims[0].id)
            path = Path(cat.path) / f if f else Path(cat.path)
            yield CheckItem.from_parent(self, name=r.id, result=r, pinned=pinned_verdict(r, cat.pinned),
                                        catalogue_path=path)


def pinned_verdict(result, pins: dict[str, str]) -> str | None:
    """The verdict pinned for a result: under any of its comparison keys (``CheckResult.keys``: what it
    compares, stable when sources are added), or under its result id (pins written before keys)."""
    for key in (*result.keys, result.id):
        if key in pins:
            return pins[key]
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "gpt4leak: a gpt4leak fact-check item")


def pytest_collection_modifyitems(session, config, items):
    if not config.getoption("--gpt4leak"):
        return
    collector = CheckCollector.from_parent(session, name="gpt4leak")
    items.extend(collector.collect())


@pytest.fixture(scope="session")
def catalogue(pytestconfig):
    """The catalogue (``--gpt4leak-catalogue`` or the shipped GPT-4 one), loaded once per session."""
    import gpt4leak
    return gpt4leak.load_catalogue(pytestconfig.getoption("--gpt4leak-catalogue"))


@pytest.fixture(scope="session")
def report(pytestconfig):
    """Every check evaluated once per session (seed and samples from the options)."""
    return _report(pytestconfig)


@pytest.fixture(scope="session")
def check(report):
    """``check(check_id)`` -> the list of that check's results (KeyError for an unknown id)."""
    from gpt4leak.checks import check_by_id

    def _check(check_id: str):
        check_by_id(check_id)
        return report.by_check(check_id)

    return _check
