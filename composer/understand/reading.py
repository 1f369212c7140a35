"""`understand(incident) -> Reading`: the incident read once, the way every later stage sees it.

Instructions to the model inside the text are taken out first (they are data, so they cannot
change the cards, the triage, the offer or the check); then the text is triaged. Retrieval, the
compensation plan, the plan, the writers and the checker all take this Reading; none of them
reads the incident text again, so two stages can never disagree about what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from composer.language.detect import (
    FALLBACK,
    LANGUAGE_NAMES,
    detect_language,
    is_supported,
    no_packs,
)
from composer.language.money import Quantity
from composer.understand.classifier import Prediction, TriageModel
from composer.understand.facts import Fact, read_facts
from composer.understand.incident import Incident
from composer.understand.injection import WARNING as INJECTION_WARNING
from composer.understand.injection import instructions_in, without_instructions
from composer.understand.model_reading import (
    AskModel,
    ModelReading,
    ask_for_reading,
    disagreements,
)
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
    learned: Prediction | None = None  # the learned model's reading, when it could read
    model: ModelReading | None = None  # a configured model's reading (model_reading.py)
    model_notes: list[str] = field(default_factory=list)  # where the model reads otherwise

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
        """What a person should know before sending: instructions found in the text, a category
        that is only a guess, and an incident written in a language the composer has no packs
        for."""
        out = []
        if self.instructions:
            out.append(f"{INJECTION_WARNING}: {'; '.join(self.instructions)}")
        out.extend(self.model_notes)
        if self.triage.unsure:
            out.append(self.triage.unsure)
        if self.written_in is not None and not is_supported(self.written_in):
            out.append(f"{no_packs(self.written_in)}; the draft is in "
                       f"{LANGUAGE_NAMES.get(self.language, self.language)}")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "instructions_removed": list(self.instructions),
                "written_in": self.written_in, **self.triage.as_dict(),
                "facts": [f.as_dict() for f in self.facts],
                "learned": self.learned.as_dict() if self.learned else None,
                "model": self.model.model_dump() if self.model else None}


def understand(incident: Incident, *, language: str | None = None,
               similar: Callable[[str], Sequence[Any]] | None = None,
               ask_model: AskModel | None = None) -> Reading:
    """Read `incident` once. `language` forces the output language; `similar(text)` returns the
    knowledge cards like it (retrieval), which triage weighs when no phrase rule decides;
    `ask_model` (a configured model) reads the cleaned text too, and is cross-checked."""
    injected = instructions_in(incident.text)
    cleaned = incident
    if injected:
        cleaned = replace(incident, text=without_instructions(incident.text) or incident.text)
    hits = similar(cleaned.text) if similar is not None else ()
    written_in = detect_language(cleaned.text)
    facts = read_facts(cleaned.text, written_in if is_supported(written_in)
                       else language or FALLBACK)
    learned = _learned(hits, cleaned.text)
    repeats = [f.value for f in facts if f.kind == "recurrence" and isinstance(f.value, int)]
    if repeats and not cleaned.prior_failures and max(repeats) > 2:
        # "the third time": two failures before this one (severity and the paradox gate use it);
        # a "second" is too often the second charge of a double charge to count
        cleaned = replace(cleaned, prior_failures=max(repeats) - 1)
    wide = next((f.text for f in facts if f.kind == "scope" and f.value in ("global", "all")),
                None)
    decided = triage(cleaned, hits, language, learned,
                     money_read=any(f.kind == "money" for f in facts), wide=wide,
                     recurrence=max(repeats, default=0),
                     worldwide=next((f.text for f in facts if f.kind == "scope"
                                     and f.value == "global"), None),
                     counted=[(f.value, f.text, cleaned.text[f.end:f.end + 60]) for f in facts
                              if f.kind == "count" and isinstance(f.value, int)])
    if cleaned.loss is None and (lost := money_lost(decided, facts)) is not None:
        cleaned = replace(cleaned, loss=lost)
    model, notes = ask_for_reading(cleaned.text, ask_model) if ask_model else (None, [])
    if model is not None:
        notes = disagreements(model, decided)
    return Reading(cleaned, incident.text, decided, injected, hits, written_in, facts, learned,
                   model, notes)


# Categories where an amount the text states is money the customer lost (charged, or sent
# astray), so it sizes the refund as a --loss would.
MONEY_LOST = ("billing_error", "wrong_payment")


def money_lost(decided: Triage, facts: list[Fact]) -> Quantity | None:
    """The money lost, when the category is money taken or sent astray and the text states one
    amount ("charged twice, $239 each"). Two amounts ("€49 instead of €39") stay a fill-in:
    which is the loss is a person's call."""
    if decided.category not in MONEY_LOST:
        return None
    amounts = {f.value for f in facts if f.kind == "money" and isinstance(f.value, Quantity)}
    return amounts.pop() if len(amounts) == 1 else None


def _learned(hits: Any, text: str) -> Prediction | None:
    """The learned model's reading, from the query vector retrieval computed for `text` (and
    that text's n-grams); None when the store uses another embedder than the one the model was
    trained on."""
    vector = getattr(hits, "query_vector", None)
    if vector is None:
        return None
    model = shipped_model()
    if getattr(hits, "embedder", None) != model.encoding["embedder"]:
        return None
    return model.predict(vector, text)


@cache
def shipped_model() -> TriageModel:
    """The triage model shipped in the package, read once per process."""
    return TriageModel.load()
