"""Terminal rendering of a Draft: the email first, then a short panel of how it was decided."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from composer.pipeline import Draft


def render_draft(draft: Draft, console: Console, explain: bool = False) -> None:
    t = draft.triage
    if draft.should_apologize:
        # soft_wrap: no hard line breaks inside paragraphs, so the email pastes cleanly.
        console.print(Text(f"Subject: {draft.subject}", style="bold"), soft_wrap=True)
        console.print()
        console.print(Text(draft.body), soft_wrap=True)
        console.print()
    else:
        console.print(Text("No standalone apology is due.", style="bold"))
        console.print(Text(t.advice or ""), soft_wrap=True)
        console.print()
    rows = Table.grid(padding=(0, 1))
    rows.add_column(style="dim", no_wrap=True)
    rows.add_column()
    rows.add_row("triage", f"{t.category} · {t.severity} · {t.stage} · {draft.language}")
    rows.add_row("compensation", escape(draft.compensation.summary()))
    if draft.fill_ins:
        rows.add_row("fill in", escape(", ".join(draft.fill_ins)))
    if draft.should_apologize:
        rows.add_row("written by", f"{draft.backend} ({draft.model})"
                     + (f", revised {draft.revisions}×" if draft.revisions else ""))
    if draft.problems:
        rows.add_row("checker", escape("; ".join(draft.problems)))
    rows.add_row("sources", ", ".join(s["id"] for s in draft.sources))
    parts: list = [rows]
    if explain:
        parts.append(Text("\nwhy", style="bold"))
        parts.extend(Text(f"- {r}") for r in t.reasons)
        parts.extend(
            Text(f"- {r.text} [{', '.join(r.cards)}]") for r in draft.compensation.reasons
        )
        table = Table(title="retrieved cards", expand=True)
        table.add_column("score", justify="right")
        table.add_column("id", no_wrap=True)
        table.add_column("in prompt", no_wrap=True)
        included = set(draft.budget.included) if draft.budget else set()
        for hit in draft.hits:
            table.add_row(f"{hit.score:.3f}", hit.card.id, "yes" if hit.card.id in included
                          else "no")
        parts.append(table)
        if draft.budget is None:
            parts.append(Text("token budget: not used (the offline composer sends no prompt)"))
        else:
            parts.append(Text(
                f"token budget: {draft.budget.used} of {draft.budget.limit} tokens "
                f"(cl100k_base); dropped: {', '.join(draft.budget.dropped) or 'none'}"
            ))
    console.print(Panel(Group(*parts), title="how this draft was made", expand=True))
