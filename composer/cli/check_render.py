"""`compose check` output for the terminal: the verdict, each step with its quoted evidence or
what to do, the findings and the notes."""

from __future__ import annotations

from typing import Any

from composer.checking.report import Report, short


def render_report(report: Report) -> Any:
    """A rich renderable for the terminal: verdict, steps with quoted evidence, findings, notes."""
    from rich.console import Group
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    colors = {"ready": "green", "needs_changes": "yellow", "no_apology_due": "cyan"}
    header = Text.assemble(
        (f" {report.verdict.replace('_', ' ').upper()} ", f"bold reverse {colors[report.verdict]}"),
        f"  score {report.score}/100  ·  language {report.language or 'unknown'}",
        ("" if report.language_supported else "  (not supported)", "red"),
    )
    table = Table(show_header=True, header_style="bold", expand=False, show_lines=False)
    table.add_column("step")
    table.add_column("")
    table.add_column("evidence / what to do")
    for name, step in report.steps.items():
        if not step.evaluated:
            table.add_row(name, "[dim]–[/]", f"[dim]{escape(step.suggestion)}[/]")
            continue
        mark = "[green]✔[/]" if step.passed else "[red]✘[/]"
        body = (
            "\n".join(f"[italic]“{escape(short(e, 110))}”[/]" for e in step.evidence)
            if step.passed else f"[yellow]{escape(step.suggestion)}[/]"
        )
        if step.source == "embedding":
            body += " [dim](by similarity)[/]"
        table.add_row(name, mark, body)
    parts: list[Any] = [header, table]
    for title, findings in (("anti-patterns", report.anti_patterns),
                            ("compensation", report.compensation)):
        if not findings:
            continue
        parts.append(Text(title, style="bold"))
        for finding in findings:
            parts.append(f"  [red]✘ {finding.name}[/]: {escape(finding.suggestion)}")
            for evidence in finding.evidence[:3]:
                parts.append(f"      [italic]“{escape(short(evidence, 110))}”[/]")
    for note in report.notes:
        parts.append(f"[dim]note: {escape(note)}[/]")
    return Group(*parts)


def render_sentences(report: Report) -> Any:
    """`--explain`: each sentence with its labels (green for a step, red for an anti-pattern),
    who found it and the model's confidence, then what the model leans to without counting."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="sentence by sentence", show_header=True, header_style="bold",
                  expand=False, show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("sentence")
    table.add_column("labels (confidence, found by)")
    for i, sentence in enumerate(report.sentences, 1):
        tags = [
            f"[{'green' if label.kind == 'step' else 'red'}]{label.name}[/]"
            + (f" {label.confidence:.2f}" if label.confidence is not None else "")
            + f" [dim]({label.by})[/]"
            for label in sentence.labels
        ]
        if sentence.leans:
            tags.append("[dim]leans: " + ", ".join(
                f"{name} {p:.2f}" for name, p in sentence.leans.items()) + "[/]")
        table.add_row(str(i), escape(short(sentence.text, 140)), "\n".join(tags) or "[dim]–[/]")
    return table
