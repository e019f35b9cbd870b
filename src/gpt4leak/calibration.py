"""Calibration: does the fact-check cry wolf on published, true training runs?

Every control catalogue in ``claims/controls/`` (numbers from a model's own paper
or model card) is run through the very same relations as the leak. A
contradiction or a unit slip there is a *false alarm*; the target is zero. Each
tension carries its reason, found by the arithmetic: the nearest move of an
input or an assumption that makes it consistent (see :mod:`gpt4leak.checks.robustness`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from .catalogue import default_catalogue_path, load_catalogue

__all__ = ["calibrate", "CalibrationReport", "control_paths"]

FALSE_ALARMS = ("contradiction", "unit_slip")


def control_paths(folder: str | Path | None = None) -> list[Path]:
    root = Path(folder) if folder is not None else default_catalogue_path() / "controls"
    return sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml"))


@dataclass(frozen=True)
class CalibrationReport:
    reports: dict  # control file name -> Report

    @property
    def results(self):
        return [r for rep in self.reports.values() for r in rep.results]

    @property
    def judged(self) -> int:
        return sum(1 for r in self.results if r.verdict != "info")

    @property
    def false_alarms(self) -> int:
        return sum(1 for r in self.results if r.verdict in FALSE_ALARMS)

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.judged if self.judged else 0.0

    def reasons(self, r) -> str:
        """Why a non-consistent result is so: the nearest move that makes it consistent."""
        for f in r.robustness:
            if f.new_verdict == "consistent":
                return f"consistent if {f.text}"
        return "no single input or assumption within x100 makes it consistent"

    def to_text(self, width: int = 80) -> str:
        lines = ["Calibration on published training runs (claims/controls/)", ""]
        for name, rep in self.reports.items():
            c = rep.counts()
            lines.append(f"{name}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in c.items() if v))
            for r in rep.results:
                if r.verdict in ("tension", *FALSE_ALARMS):
                    lines += textwrap.wrap(f"{r.verdict.upper()} {r.id}: {self.reasons(r)}", width,
                                           initial_indent="  ", subsequent_indent="    ")
        lines += [""] + textwrap.wrap(
            f"{self.judged} verdicts on {len(self.reports)} controls; false alarms (contradictions and unit "
            f"slips): {self.false_alarms} ({100 * self.false_alarm_rate:.1f} %)", width)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        out = ["## Calibration on published training runs", "",
               "The same relations on control catalogues of published, true training runs "
               "(`claims/controls/`). A contradiction or unit slip there is a false alarm.", "",
               "| control | consistent | tension | contradiction | unit slip | info |", "|---|---|---|---|---|---|"]
        for name, rep in self.reports.items():
            c = rep.counts()
            out.append(f"| {name} | {c['consistent']} | {c['tension']} | {c['contradiction']} | "
                       f"{c['unit_slip']} | {c['info']} |")
        out += ["", f"False alarms: **{self.false_alarms}** of {self.judged} verdicts "
                    f"({100 * self.false_alarm_rate:.1f} %).", ""]
        for r in self.results:
            if r.verdict in ("tension", *FALSE_ALARMS):
                out.append(f"- `{r.id}` ({r.verdict}): {self.reasons(r)}.")
        return "\n".join(out) + "\n"


def calibrate(folder: str | Path | None = None, seed: int = 0, samples: int = 20_000) -> CalibrationReport:
    """Run every relation on every control catalogue (each file on its own)."""
    from .checks import check_all
    reports = {}
    for path in control_paths(folder):
        reports[path.stem] = check_all(load_catalogue(path), seed=seed, samples=samples)
    return CalibrationReport(reports)
