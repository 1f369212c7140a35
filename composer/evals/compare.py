"""Run-to-run diffs of eval-suite results: which metrics moved, which cases got worse or better.

    diff = compare(load_result("before.json"), load_result("after.json"))
    console.print(diff.table())
    sys.exit(1 if diff.regressions else 0)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from composer.evals.report import (
    HEADLINE,
    Metric,
    fmt_delta,
    fmt_value,
    languages_of,
    md_cell,
    metric_value,
    steps_of,
)

# Latency moves from run to run on the same code; smaller relative changes are reported as "same".
LATENCY_NOISE = 0.05
_EPS = 1e-9


@dataclass
class MetricDelta:
    """One scorecard number in both runs; `direction` already accounts for lower-is-better."""

    key: str
    label: str
    kind: str
    a: float | None
    b: float | None
    delta: float | None
    direction: str  # better | worse | same | n/a
    lower_is_better: bool = False

    def formatted(self) -> tuple[str, str, str]:
        """(A, B, delta) as display strings."""
        kind = self.kind
        return fmt_value(self.a, kind), fmt_value(self.b, kind), fmt_delta(self.delta, kind)


@dataclass
class CaseChange:
    """A case whose outcome differs between the runs, or that only one run has."""

    id: str
    change: str  # worse | better | changed | only_a | only_b
    status_a: str | None
    status_b: str | None
    language: str | None = None
    score_a: int | None = None
    score_b: int | None = None
    verdict_a: str | None = None
    verdict_b: str | None = None
    failures_added: list[str] = field(default_factory=list)
    failures_removed: list[str] = field(default_factory=list)
    error_b: str | None = None

    def describe(self) -> str:
        """One line: what moved, for logs and the markdown list."""
        parts: list[str] = []
        if self.change in ("only_a", "only_b"):
            status = self.status_a if self.change == "only_a" else self.status_b
            return f"only in {'A' if self.change == 'only_a' else 'B'} ({status})"
        if self.status_a != self.status_b:
            parts.append(f"{self.status_a} → {self.status_b}")
        if self.score_a != self.score_b and (self.score_a is not None or self.score_b is not None):
            parts.append(f"score {_s(self.score_a)} → {_s(self.score_b)}")
        if self.verdict_a != self.verdict_b and self.verdict_a and self.verdict_b:
            parts.append(f"verdict {self.verdict_a} → {self.verdict_b}")
        if self.error_b:
            parts.append(f"error: {self.error_b}")
        parts += [f"+ {f}" for f in self.failures_added]
        parts += [f"− {f}" for f in self.failures_removed]
        return "; ".join(parts)


def _s(value: Any) -> str:
    return "–" if value is None else str(value)


_CHANGE_ORDER = ("worse", "better", "changed", "only_a", "only_b")
_CHANGE_TITLES = {
    "worse": "Worse (passed in A, not in B)", "better": "Better (passed in B, not in A)",
    "changed": "Changed", "only_a": "Only in A", "only_b": "Only in B",
}


@dataclass
class Comparison:
    """Run A (before) against run B (after): scorecard deltas and the cases that moved."""

    run_a: dict[str, Any]
    run_b: dict[str, Any]
    metrics: list[MetricDelta]
    cases: list[CaseChange]
    unchanged: int = 0

    def _ids(self, change: str) -> list[str]:
        return [c.id for c in self.cases if c.change == change]

    @property
    def regressions(self) -> list[str]:
        """Case ids that passed in A and fail or error in B: what a CI script should fail on."""
        return self._ids("worse")

    @property
    def improvements(self) -> list[str]:
        return self._ids("better")

    @property
    def only_in_a(self) -> list[str]:
        return self._ids("only_a")

    @property
    def only_in_b(self) -> list[str]:
        return self._ids("only_b")

    @property
    def worse_metrics(self) -> list[str]:
        return [m.key for m in self.metrics if m.direction == "worse"]

    @property
    def better_metrics(self) -> list[str]:
        return [m.key for m in self.metrics if m.direction == "better"]

    def metric(self, key: str) -> MetricDelta | None:
        return next((m for m in self.metrics if m.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: everything plus the id lists, so scripts need not filter themselves."""
        return {
            "a": self.run_a, "b": self.run_b,
            "metrics": [asdict(m) for m in self.metrics],
            "cases": [asdict(c) for c in self.cases],
            "regressions": self.regressions, "improvements": self.improvements,
            "only_in_a": self.only_in_a, "only_in_b": self.only_in_b,
            "unchanged": self.unchanged,
        }

    def _run_label(self, run: dict[str, Any]) -> str:
        name = " / ".join(str(run[k]) for k in ("backend", "model") if run.get(k)) or "run"
        extra = ", ".join(str(run[k]) for k in ("started", "prompts") if run.get(k))
        return f"{name} ({extra})" if extra else name

    def markdown(self, max_cases: int = 30, moved_metrics_only: bool = False) -> str:
        """A summary for PR comments: metric table with ▲/▼, then the moved cases by kind.

        `moved_metrics_only` drops the metrics that stayed the same, for a shorter comment.
        """
        marks = {"better": "▲ better", "worse": "▼ worse", "same": "", "n/a": ""}
        lines = [
            "## Eval comparison",
            "",
            f"A: {self._run_label(self.run_a)}  ",
            f"B: {self._run_label(self.run_b)}",
            "",
            f"{len(self.regressions)} worse · {len(self.improvements)} better · "
            f"{len(self._ids('changed'))} changed · {len(self.only_in_a)} only in A · "
            f"{len(self.only_in_b)} only in B · {self.unchanged} unchanged",
            "",
            "| metric | A | B | Δ | |",
            "|---|---:|---:|---:|---|",
        ]
        for m in self.metrics:
            if moved_metrics_only and m.direction in ("same", "n/a") and not m.delta:
                continue
            a, b, d = m.formatted()
            lines.append(f"| {m.label} | {a} | {b} | {d} | {marks[m.direction]} |")
        for change in _CHANGE_ORDER:
            moved = [c for c in self.cases if c.change == change]
            if not moved:
                continue
            lines += ["", f"**{_CHANGE_TITLES[change]}: {len(moved)}**", ""]
            for c in moved[:max_cases]:
                lines.append(f"- `{c.id}` ({c.language or '?'}): {md_cell(c.describe())}")
            if len(moved) > max_cases:
                lines.append(f"- … and {len(moved) - max_cases} more")
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        """Jupyter shows a comparison as its markdown summary."""
        return self.markdown()

    def table(self) -> Any:
        """A rich renderable (a Group of two tables) for `compose eval compare` in a terminal."""
        from rich.console import Group
        from rich.markup import escape
        from rich.table import Table
        from rich.text import Text

        styles = {"better": "green", "worse": "red", "same": "dim", "n/a": "dim"}
        marks = {"better": "▲", "worse": "▼", "same": "", "n/a": ""}
        header = Text.assemble(
            ("A ", "bold"), self._run_label(self.run_a), "\n", ("B ", "bold"),
            self._run_label(self.run_b),
        )
        metrics = Table(show_header=True, header_style="bold", title="scorecard",
                        title_justify="left")
        metrics.add_column("metric")
        metrics.add_column("A", justify="right")
        metrics.add_column("B", justify="right")
        metrics.add_column("Δ", justify="right")
        metrics.add_column("")
        for m in self.metrics:
            a, b, d = m.formatted()
            style = styles[m.direction]
            word = m.direction if marks[m.direction] else ""
            metrics.add_row(escape(m.label), a, b, f"[{style}]{escape(d)}[/]",
                            f"[{style}]{marks[m.direction]} {word}[/]")
        parts: list[Any] = [header, metrics]
        summary = (f"{len(self.regressions)} worse · {len(self.improvements)} better · "
                   f"{len(self._ids('changed'))} changed · {len(self.only_in_a)} only in A · "
                   f"{len(self.only_in_b)} only in B · {self.unchanged} unchanged")
        if self.cases:
            cases = Table(show_header=True, header_style="bold", title="cases",
                          title_justify="left")
            cases.add_column("case")
            cases.add_column("")
            cases.add_column("what moved")
            case_styles = {"worse": "red", "better": "green", "changed": "yellow",
                           "only_a": "cyan", "only_b": "cyan"}
            for change in _CHANGE_ORDER:
                for c in (c for c in self.cases if c.change == change):
                    cases.add_row(escape(c.id), f"[{case_styles[change]}]{change}[/]",
                                  escape(c.describe()))
            parts.append(cases)
        parts.append(Text(summary, style="bold red" if self.regressions else "bold"))
        return Group(*parts)


def _metrics_for(sa: dict[str, Any], sb: dict[str, Any]) -> list[Metric]:
    """Headline numbers, then every step and every language seen in either run."""
    steps = steps_of(sa) + [s for s in steps_of(sb) if s not in steps_of(sa)]
    langs = languages_of(sa) + [c for c in languages_of(sb) if c not in languages_of(sa)]
    head = list(HEADLINE)
    return (head[:2]
            + [Metric(f"steps.{s}", f"step: {s}", "rate") for s in steps]
            + [Metric(f"languages.{c}.pass_rate", f"language: {c}", "rate") for c in langs]
            + head[2:])


def _direction(metric: Metric, a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "n/a"
    delta = b - a
    noise = abs(a) * LATENCY_NOISE if metric.kind == "ms" else _EPS
    if abs(delta) <= noise:
        return "same"
    return "better" if (delta < 0) == metric.lower_is_better else "worse"


def _compare_case(ca: dict[str, Any], cb: dict[str, Any]) -> CaseChange | None:
    sa, sb = ca.get("status"), cb.get("status")
    fa, fb = list(ca.get("failures") or []), list(cb.get("failures") or [])
    added = [f for f in fb if f not in fa]
    removed = [f for f in fa if f not in fb]
    if sa == "pass" and sb != "pass":
        change = "worse"
    elif sa != "pass" and sb == "pass":
        change = "better"
    elif (sa != sb or added or removed or ca.get("score") != cb.get("score")
          or ca.get("verdict") != cb.get("verdict")):
        change = "changed"  # includes fail ↔ error: not a new regression, but worth a look
    else:
        return None
    return CaseChange(
        id=str(cb.get("id")), change=change, status_a=sa, status_b=sb,
        language=cb.get("language") or ca.get("language"),
        score_a=ca.get("score"), score_b=cb.get("score"),
        verdict_a=ca.get("verdict"), verdict_b=cb.get("verdict"),
        failures_added=added, failures_removed=removed,
        error_b=cb.get("error") if sb == "error" and sa != "error" else None,
    )


def compare(a: dict[str, Any], b: dict[str, Any]) -> Comparison:
    """Compare run A (the baseline) with run B: which numbers and which cases moved, and which way.

    A case is "worse" when it passed in A and fails or errors in B, "better" the other way round,
    and "changed" when its status (fail ↔ error), failures, score or verdict differ otherwise.
    """
    sa, sb = a.get("scorecard") or {}, b.get("scorecard") or {}
    metrics = []
    for metric in _metrics_for(sa, sb):
        va, vb = metric_value(sa, metric), metric_value(sb, metric)
        delta = vb - va if va is not None and vb is not None else None
        metrics.append(MetricDelta(metric.key, metric.label, metric.kind, va, vb, delta,
                                   _direction(metric, va, vb), metric.lower_is_better))
    cases_a = {str(c.get("id")): c for c in a.get("cases") or []}
    cases_b = {str(c.get("id")): c for c in b.get("cases") or []}
    changes: list[CaseChange] = []
    unchanged = 0
    for cid, cb in cases_b.items():
        if cid not in cases_a:
            changes.append(CaseChange(id=cid, change="only_b", status_a=None,
                                      status_b=cb.get("status"), language=cb.get("language"),
                                      score_b=cb.get("score"), verdict_b=cb.get("verdict")))
            continue
        moved = _compare_case(cases_a[cid], cb)
        if moved is None:
            unchanged += 1
        else:
            changes.append(moved)
    for cid, ca in cases_a.items():
        if cid not in cases_b:
            changes.append(CaseChange(id=cid, change="only_a", status_a=ca.get("status"),
                                      status_b=None, language=ca.get("language"),
                                      score_a=ca.get("score"), verdict_a=ca.get("verdict")))
    changes.sort(key=lambda c: _CHANGE_ORDER.index(c.change))
    return Comparison(run_a=dict(a.get("run") or {}), run_b=dict(b.get("run") or {}),
                      metrics=metrics, cases=changes, unchanged=unchanged)
