"""`understand(incident) -> Reading`: the incident read once, the way every later stage sees it.

Instructions to the model inside the text are taken out first (they are data, so they cannot
change the cards, the triage, the offer or the check); then the text is triaged. Retrieval, the
compensation plan, the plan, the writers and the checker all take this Reading; none of them
reads the incident text again, so two stages can never disagree about what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from composer.language.detect import detect_language, is_supported
from composer.understand.facts import Fact, read_facts
from composer.understand.incident import Incident
from composer.understand.injection import WARNING as INJECTION_WARNING
from composer.understand.injection import instructions_in, without_instructions
from composer.understand.triage import Triage, triage


@dataclass(frozen=True)
class Reading:
    """What the incident says and what follows from it. `incident` carries the facts as given,
    its text with any instructions to the model removed; `original` is the text as pasted (a
    model prompt fences it as data)."""

    incident: Incident
    original: str
    triage: Triage
    instructions: list[str] = field(default_factory=list)
    similar: Sequence[Any] = ()  # the cards retrieved for the text, which the triage weighed
    written_in: str | None = None  # the language the incident is written in, when known
    facts: list[Fact] = field(default_factory=list)  # what the text states, each with its span

    def facts_of(self, *kinds: str) -> list[Fact]:
        return [f for f in self.facts if f.kind in kinds]

    @property
    def text(self) -> str:
        return self.incident.text

    @property
    def language(self) -> str:
        """The language the email is written in (the incident's, the user's choice, or en)."""
        return self.triage.language

    @property
    def should_apologize(self) -> bool:
        return self.triage.should_apologize

    @property
    def warnings(self) -> list[str]:
        if not self.instructions:
            return []
        return [f"{INJECTION_WARNING}: {'; '.join(self.instructions)}"]

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "instructions_removed": list(self.instructions),
                "written_in": self.written_in, **self.triage.as_dict(),
                "facts": [f.as_dict() for f in self.facts]}


def understand(incident: Incident, *, language: str | None = None,
               similar: Callable[[str], Sequence[Any]] | None = None) -> Reading:
    """Read `incident` once. `language` forces the output language; `similar(text)` returns the
    knowledge cards like it (retrieval), which triage weighs when no phrase rule decides."""
    injected = instructions_in(incident.text)
    cleaned = incident
    if injected:
        cleaned = replace(incident, text=without_instructions(incident.text) or incident.text)
    hits = similar(cleaned.text) if similar is not None else ()
    decided = triage(cleaned, hits, language)
    written_in = detect_language(cleaned.text)
    facts = read_facts(cleaned.text, written_in if is_supported(written_in) else decided.language)
    return Reading(cleaned, incident.text, decided, injected, hits, written_in, facts)
