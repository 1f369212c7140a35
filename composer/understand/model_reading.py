"""A model's reading of the incident, when a model is configured: schema-constrained JSON,
validated here, and cross-checked with the offline reading.

The offline reading (phrase rules, the learned classifier, the guardrails) keeps deciding; the
model's reading is shown beside it (`reading.model` in `--json`), and each point where the two
disagree becomes a warning a person can act on. An answer that is not valid JSON for the schema
is a warning too, never an error: the offline reading is always there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from composer.errors import ComposerError
from composer.understand.incident import SEVERITIES
from composer.understand.triage import CATEGORIES, STAGES, Triage

Category = Literal[CATEGORIES]  # type: ignore[valid-type]
Severity = Literal[SEVERITIES]  # type: ignore[valid-type]
Stage = Literal[STAGES]  # type: ignore[valid-type]

AskModel = Callable[[str, dict[str, Any]], str]
"""Sends the incident text and the answer's JSON schema to the model; returns its raw answer."""


class ModelReading(BaseModel):
    """What the model takes from the incident (the answer's schema)."""

    model_config = ConfigDict(extra="forbid")

    category: Category
    severity: Severity
    apologize: bool = Field(description="whether a standalone apology email is due")
    stage: Stage
    cause: str | None = Field(None, description="the cause, when the text states it")


def reading_schema() -> dict[str, Any]:
    return ModelReading.model_json_schema()


def ask_for_reading(text: str, ask: AskModel) -> tuple[ModelReading | None, list[str]]:
    """The model's reading of `text`, or None and why there is none. A server that fails is no
    warning here: the draft asks the same server next, and its failure is the one line shown."""
    try:
        content = ask(text, reading_schema())
    except ComposerError:
        return None, []
    try:
        return ModelReading.model_validate(json.loads(_object_in(content))), []
    except (ValueError, ValidationError) as exc:
        reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        return None, [f"the model's reading was not valid ({reason}); the offline reading "
                      "decides"]


def _object_in(content: str) -> str:
    text = (content or "").strip()
    if "{" in text and "}" in text:
        text = text[text.index("{"): text.rindex("}") + 1]
    return text


def disagreements(model: ModelReading, offline: Triage) -> list[str]:
    """One line for each point where the model reads the incident otherwise, with both calls."""
    lines = []
    pairs = (("category", model.category, offline.category),
             ("severity", model.severity, offline.severity),
             ("stage", model.stage, offline.stage))
    for what, theirs, ours in pairs:
        if theirs != ours:
            lines.append(f"the model reads the {what} as {theirs}, the offline reading as "
                         f"{ours}: check it before sending")
    if model.apologize != offline.should_apologize:
        lines.append("the model says an apology is " + ("due" if model.apologize else "not due")
                     + ", the offline reading the opposite: check it before sending")
    return lines
