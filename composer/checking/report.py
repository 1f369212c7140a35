"""What the checker reports: the rubric's names, what to do about each problem, and the Report
with its plain and notebook renderings (the terminal's is in composer/cli/check_render.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

RUBRIC_VERSION = "1"
STEP_NAMES: tuple[str, ...] = ("regret", "impact", "explanation", "responsibility", "remedy")
ANTI_PATTERN_NAMES: tuple[str, ...] = (
    "non_apology", "conditional_apology", "blame_shifting", "passive_evasion", "trivializing",
    "over_promising", "over_apologizing", "inappropriate_humour", "placeholders_left",
    "boilerplate", "register_mixed", "promise_without_date", "invented_fact",
    "wrong_language_span",
)
COMPENSATION_NAMES: tuple[str, ...] = (
    "compensation_missing", "compensation_wrong_type", "compensation_out_of_range",
    "compensation_for_trivial", "delayed_voucher_only", "happier_promise",
)
Verdict = Literal["ready", "needs_changes", "no_apology_due"]

STEP_SUGGESTIONS: dict[str, str] = {
    "regret": "Say sorry plainly for the specific failure (not 'any inconvenience', not 'if').",
    "impact": "Show you understand what it cost this customer: time, money, stress, their "
    "own customers.",
    "explanation": "Explain in plain words what happened (and, for outages, what was and was "
    "not affected), without excuses.",
    "responsibility": "Own it explicitly ('this was our mistake'); no blame on vendors or the "
    "customer, no passive voice.",
    "remedy": "Say what you have done, what happens next and by when, and what changes so it "
    "does not recur.",
}
ANTI_SUGGESTIONS: dict[str, str] = {
    "non_apology": "Replace the generic 'sorry for any inconvenience' with an apology for the "
    "actual failure.",
    "conditional_apology": "Drop the 'if': apologise for what did happen.",
    "blame_shifting": "Take ownership even when a partner was involved: the customer chose you.",
    "passive_evasion": "Use the active voice: say who made the mistake ('we').",
    "trivializing": "Do not compare with other customers or minimise the harm.",
    "over_promising": "Promise concrete changes, not that it will never happen again.",
    "over_apologizing": "Apologise once or twice, sincerely; then move to what you are doing.",
    "inappropriate_humour": "Drop the jokes: the harm here is real.",
    "placeholders_left": "Fill in or remove the placeholders before sending.",
    "boilerplate": "Cut the filler ('I hope this email finds you well', 'we value your "
    "business'): get to the point.",
    "register_mixed": "Keep one form of address throughout (formal or informal, not both).",
    "promise_without_date": "Say when: give the date or time of the next step, or leave a "
    "fill-in for it.",
    "invented_fact": "Check this figure: it is not in the incident or the plan. Use the real "
    "one or a fill-in.",
    "wrong_language_span": "Write the whole email in the customer's language.",
}
COMP_SUGGESTIONS: dict[str, str] = {
    "compensation_missing": "Offer compensation matched to the loss (money lost: money back now).",
    "compensation_wrong_type": "Match the type to the loss: money back for money lost, an "
    "exchange for a faulty product, a redo or credit for a failed service.",
    "compensation_out_of_range": "Size compensation at about 60-150% of the loss; beyond that it "
    "stops helping.",
    "compensation_for_trivial": "A trivial slip needs no compensation: just fix it.",
    "delayed_voucher_only": "Money was lost: give money back now, not only a voucher for later.",
    "happier_promise": "Do not promise the customer will end up happier than before; aim to "
    "make them whole.",
}


@dataclass
class StepResult:
    """One rubric step: whether it is there, the sentences that show it, and what to do if not."""

    passed: bool
    evidence: list[str] = field(default_factory=list)
    suggestion: str = ""
    evaluated: bool = True
    source: str = "pattern"  # pattern | embedding | none | not_evaluated


@dataclass
class Finding:
    """An anti-pattern or compensation problem, with the sentence(s) that show it."""

    name: str
    evidence: list[str]
    suggestion: str


@dataclass
class Offer:
    """Compensation found in the text: its type, and an amount or percent when stated."""

    type: str
    evidence: str
    amount: str | None = None
    currency: str | None = None
    percent: str | None = None
    delayed: bool = False
    # Every amount the sentence gives (not the money it says was owed anyway), for the total.
    amounts: list[str] = field(default_factory=list)


@dataclass
class SentenceLabel:
    """One thing a sentence does (a step) or shows (an anti-pattern): found by the phrase tables
    (the model may agree) or by the sentence model alone, with the model's probability when it
    ran."""

    name: str
    kind: Literal["step", "anti_pattern"]
    by: Literal["phrases", "model"]
    confidence: float | None = None


@dataclass
class SentenceView:
    """A sentence of the draft with its labels; `leans` are labels the model sees without
    enough confidence to count (a hint for the reader, not part of the verdict)."""

    text: str
    labels: list[SentenceLabel] = field(default_factory=list)
    leans: dict[str, float] = field(default_factory=dict)


@dataclass
class Report:
    """The checker's verdict. `failed_items()` is what a revise prompt needs, one line each."""

    verdict: Verdict
    score: int
    language: str | None
    language_supported: bool
    steps: dict[str, StepResult]
    anti_patterns: list[Finding] = field(default_factory=list)
    compensation: list[Finding] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rubric_version: str = RUBRIC_VERSION
    elapsed_ms: float = 0.0
    sentences: list[SentenceView] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "score": self.score,
            "language": self.language,
            "language_supported": self.language_supported,
            "steps": {name: asdict(step) for name, step in self.steps.items()},
            "anti_patterns": [asdict(f) for f in self.anti_patterns],
            "compensation": [asdict(f) for f in self.compensation],
            "offers": [asdict(o) for o in self.offers],
            "notes": list(self.notes),
            "rubric_version": self.rubric_version,
            "sentences": [asdict(s) for s in self.sentences],
        }

    def failed_items(self) -> list[str]:
        """One line per problem: the step or finding, what to do, and the quoted evidence."""
        items = [
            f"{name}: {step.suggestion}"
            for name, step in self.steps.items()
            if step.evaluated and not step.passed
        ]
        for finding in (*self.anti_patterns, *self.compensation):
            quote = f' Change: "{short(finding.evidence[0], 120)}"' if finding.evidence else ""
            items.append(f"{finding.name}: {finding.suggestion}{quote}")
        return items

    def _repr_html_(self) -> str:
        """The notebook view of `--explain`: each sentence with its labels and confidence."""
        from html import escape

        colour = {"step": "#1a7f37", "anti_pattern": "#cf222e"}
        rows = []
        for s in self.sentences:
            tags = " ".join(
                f'<span style="border:1px solid {colour[lab.kind]};color:{colour[lab.kind]};'
                f'border-radius:4px;padding:0 4px;margin-right:4px">{escape(lab.name)}'
                f'{f" {lab.confidence:.2f}" if lab.confidence is not None else ""}'
                f' <small>({lab.by})</small></span>'
                for lab in s.labels
            )
            leans = ", ".join(f"{escape(k)} {v:.2f}" for k, v in s.leans.items())
            rows.append(f"<tr><td>{escape(s.text)}</td><td>{tags}"
                        f"{f'<br><small>leans: {leans}</small>' if leans else ''}</td></tr>")
        table = ("<table><thead><tr><th scope=\"col\">sentence</th>"
                 "<th scope=\"col\">labels (confidence, found by)</th></tr></thead><tbody>"
                 + "".join(rows) + "</tbody></table>") if rows else ""
        summary = escape(self._repr_markdown_()).replace("\n", "<br>")
        return f"<div><p>{summary}</p>{table}</div>"

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.verdict}** · score {self.score}/100 · language {self.language}"]
        lines.append("")
        lines.append("| step | | evidence |")
        lines.append("|---|---|---|")
        for name, step in self.steps.items():
            mark = "–" if not step.evaluated else ("✔" if step.passed else "✘")
            quote = "; ".join(f"“{short(e, 80)}”" for e in step.evidence) or step.suggestion
            lines.append(f"| {name} | {mark} | {quote.replace('|', '/')} |")
        for title, findings in (("Anti-patterns", self.anti_patterns),
                                ("Compensation", self.compensation)):
            if findings:
                lines.append(f"\n**{title}**\n")
                lines.extend(
                    f"- `{f.name}`: {f.suggestion} "
                    + " ".join(f"“{short(e, 80)}”" for e in f.evidence)
                    for f in findings
                )
        lines.extend(f"\n> {note}" for note in self.notes)
        return "\n".join(lines)




def short(text: str, limit: int = 160) -> str:
    """`text`, cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"

