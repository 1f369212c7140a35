"""Calibration of the checker: labelled apology texts in, precision and recall per label out.

"Step present" and "finding flagged" are the positive classes. The cases live in
`evals/check_cases/*.yaml` (shipped in the wheel as `composer/_data/evals/check_cases`); a file
holds one case (a mapping) or several (a list).

Labelling rules (every case follows them; fix the label, not the checker, when a case does not):

- A step passes when the text has its positive content.
  - regret: an apology that names the actual problem. A generic ("any inconvenience") or
    conditional ("if you were affected") apology does not count when it is the only one.
  - impact: acknowledges what the failure did to this customer (time, money, stress, plans).
  - explanation: says what happened or the cause, in plain words. Restating the error inside
    the apology ("the name on the cake was wrong") is naming the problem, not explaining it.
  - responsibility: explicit ownership; it FAILS whenever blame-shifting or passive evasion is
    present, whatever else the text says.
  - remedy: what has been done, what happens next and when, or what changes. It passes when
    concrete actions are there even if an over-promise is present too.
    For a trivial slip the correction itself (the right code, link or date) is the remedy;
    telling the reader to ignore or delete a duplicate is not.
- over_apologizing is flagged, and regret still passes if there is a real apology.
- trivializing is flagged; impact passes only if the customer's impact is genuinely
  acknowledged elsewhere in the text.
- compensation_missing: only when the incident states a loss (money or time) and nothing is
  offered, and never for a trivial incident. Severity alone does not require compensation (the
  security-notice template offers none).
- compensation_for_trivial: only when money, credit, a voucher or a discount is offered for a
  trivial incident; sending the corrected promo code or the right link is not compensation.
- A voucher-only offer for lost money is `delayed_voucher_only`, not also
  `compensation_wrong_type`.
- verdict: `no_apology_due` whenever the incident is trivial, whatever else is flagged (the
  findings still say what to fix); else `ready` when all five steps pass and nothing is flagged;
  else `needs_changes`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rich.table import Table

from composer.checking.checker import (
    ANTI_PATTERN_NAMES,
    COMPENSATION_NAMES,
    STEP_NAMES,
    Report,
    check,
)
from composer.errors import ComposerError
from composer.paths import project_dir
from composer.understand.incident import Incident, IncidentError, parse_loss
from composer.yamlio import load_yaml

TARGET = 0.9
# The anti-patterns every calibration set is labelled for; the newer ones (boilerplate,
# register_mixed ...) count only in a set whose cases use them.
ALWAYS_LABELLED = ANTI_PATTERN_NAMES[:9]
VERDICTS = ("ready", "needs_changes", "no_apology_due")


class CaseError(ComposerError, ValueError):
    """A calibration case file that cannot be read or is missing a label."""


@dataclass
class Case:
    id: str
    lang: str
    text: str
    incident: Incident | None
    steps: dict[str, bool]
    anti_patterns: set[str]
    compensation: set[str]
    verdict: str


def default_cases_dir() -> Path:
    """The shipped calibration cases, from a checkout or the wheel."""
    directory = project_dir("evals") / "check_cases"
    if not directory.is_dir():
        raise CaseError("no calibration cases found: pass --cases DIR")
    return directory


def _case(raw: Any, where: str) -> Case:
    if not isinstance(raw, dict):
        raise CaseError(f"{where}: a case must be a mapping")
    try:
        expected = raw["expected"]
        steps = {name: bool(expected["steps"][name]) for name in STEP_NAMES}
        anti = set(expected.get("anti_patterns") or [])
        comp = set(expected.get("compensation") or [])
        verdict = expected["verdict"]
        text = raw["text"]
        case_id = str(raw["id"])
        lang = raw["lang"]
    except (KeyError, TypeError) as exc:
        raise CaseError(f"{where}: missing field {exc}") from exc
    unknown = (anti - set(ANTI_PATTERN_NAMES)) | (comp - set(COMPENSATION_NAMES))
    if unknown or verdict not in VERDICTS:
        raise CaseError(f"{where} ({case_id}): unknown label(s) {sorted(unknown) or verdict}")
    incident = None
    if raw.get("incident"):
        inc = raw["incident"]
        try:
            loss = parse_loss(str(inc["loss"])) if inc.get("loss") else None
        except IncidentError:  # "half a day": the checker is then not told the loss
            loss = None
        incident = Incident(text=inc.get("text") or "(not described)",
                            severity=inc.get("severity"), loss=loss)
    return Case(case_id, lang, text, incident, steps, anti, comp, verdict)


def load_cases(directory: Path | None = None) -> list[Case]:
    """Every case under `directory` (default: the shipped set), ids unique."""
    directory = directory or default_cases_dir()
    if not directory.is_dir():
        raise CaseError(f"cases directory {directory} does not exist")
    cases: list[Case] = []
    for path in sorted(directory.glob("*.y*ml")):
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CaseError(f"{path.name}: not valid YAML ({exc})") from exc
        items = data if isinstance(data, list) else [data]
        cases.extend(_case(item, f"{path.name}[{i}]") for i, item in enumerate(items))
    if not cases:
        raise CaseError(f"no cases in {directory}")
    ids = [c.id for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CaseError(f"duplicate case ids: {', '.join(dupes)}")
    return cases


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def add(self, expected: bool, predicted: bool) -> None:
        self.tp += expected and predicted
        self.fp += predicted and not expected
        self.fn += expected and not predicted

    def as_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class CheckEvalResult:
    cases: int
    by_language: dict[str, int]
    labels: dict[str, dict[str, Counts]]  # group -> label -> counts
    verdict_correct: int
    language_correct: int
    mistakes: list[str] = field(default_factory=list)
    source: str = "evals/check_cases"

    @property
    def verdict_accuracy(self) -> float:
        return self.verdict_correct / self.cases

    def below_target(self, target: float = TARGET) -> list[str]:
        """Labels whose precision or recall is under target. A label the cases never hold and
        the checker never gives is not measured here, so it is not below."""
        low = [
            f"{group}.{name}"
            for group, labels in self.labels.items()
            for name, c in labels.items()
            if (c.tp + c.fp + c.fn) and (c.precision is None or c.recall is None
                                         or c.precision < target or c.recall < target)
        ]
        if self.verdict_accuracy < target:
            low.append("verdict_accuracy")
        return low

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "by_language": self.by_language,
            "steps": {k: c.as_dict() for k, c in self.labels["steps"].items()},
            "anti_patterns": {k: c.as_dict() for k, c in self.labels["anti_patterns"].items()},
            "compensation": {k: c.as_dict() for k, c in self.labels["compensation"].items()},
            "verdict_accuracy": self.verdict_accuracy,
            "language_detection_accuracy": self.language_correct / self.cases,
            "target": TARGET,
            "below_target": self.below_target(),
            "mistakes": self.mistakes,
        }

    def table(self) -> Table:
        table = Table(title=f"checker eval on {self.source}: {self.cases} cases "
                      + ", ".join(f"{k} {v}" for k, v in sorted(self.by_language.items())))
        for column in ("group", "label", "precision", "recall", "tp", "fp", "fn"):
            numeric = column not in ("group", "label")
            table.add_column(column, justify="right" if numeric else "left")

        def fmt(value: float | None) -> str:
            if value is None:
                return "[dim]n/a[/]"
            color = "green" if value >= TARGET else "red"
            return f"[{color}]{value:.2f}[/]"

        for group, labels in self.labels.items():
            for name, c in labels.items():
                table.add_row(group, name, fmt(c.precision), fmt(c.recall),
                              str(c.tp), str(c.fp), str(c.fn))
        table.add_row("verdict", "accuracy", fmt(self.verdict_accuracy), "", "", "", "")
        return table


def evaluate_check(
    directory: Path | None = None,
    checker: Callable[[Case], Report] | None = None,
) -> CheckEvalResult:
    """Run the checker on every case and count agreements per label."""
    cases = load_cases(directory)
    run = checker or (lambda case: check(case.text, case.incident))
    # A newer anti-pattern no case of the set carries was not labelled in it (the set predates
    # it): its findings are not counted as false, though they still cost a "ready" verdict.
    held = {name for case in cases for name in case.anti_patterns}
    labels: dict[str, dict[str, Counts]] = {
        "steps": {name: Counts() for name in STEP_NAMES},
        "anti_patterns": {name: Counts() for name in ANTI_PATTERN_NAMES
                          if name in ALWAYS_LABELLED or name in held},
        "compensation": {name: Counts() for name in COMPENSATION_NAMES},
    }
    verdicts = languages = 0
    by_language: dict[str, int] = {}
    mistakes: list[str] = []
    for case in cases:
        report = run(case)
        by_language[case.lang] = by_language.get(case.lang, 0) + 1
        languages += report.language == case.lang
        got_anti = {f.name for f in report.anti_patterns}
        got_comp = {f.name for f in report.compensation}
        for name in STEP_NAMES:
            predicted = report.steps[name].passed
            labels["steps"][name].add(case.steps[name], predicted)
            if predicted != case.steps[name]:
                mistakes.append(f"{case.id}: step {name} expected {case.steps[name]}")
        for group, expected, got in (("anti_patterns", case.anti_patterns, got_anti),
                                     ("compensation", case.compensation, got_comp)):
            for name in labels[group]:
                labels[group][name].add(name in expected, name in got)
            for name in sorted((expected ^ got) & set(labels[group])):
                mistakes.append(f"{case.id}: {name} expected {name in expected}")
        verdicts += report.verdict == case.verdict
        if report.verdict != case.verdict:
            mistakes.append(f"{case.id}: verdict {report.verdict}, expected {case.verdict}")
    source = str(directory) if directory else "evals/check_cases"
    return CheckEvalResult(
        len(cases), by_language, labels, verdicts, languages, mistakes, source
    )
