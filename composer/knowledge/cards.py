"""The curated knowledge: cards written from the five source articles, validated on load.

Cards live in `knowledge/cards/*.yaml`; the articles and their metadata in `knowledge/sources/`.
Every card cites a span of its article, and the loader proves the span is really there, so
advice in a draft can always be traced back to the text it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from composer.errors import ComposerError
from composer.language.detect import LANGUAGE_NAMES
from composer.paths import project_dir
from composer.yamlio import load_yaml

KINDS = ("template", "example", "guidance", "rule")
CATEGORIES = (
    "wrong_payment", "billing_error", "outage", "data_loss", "security_breach",
    "wrong_recipient", "wrong_content", "product_bug", "delivery_problem", "poor_service",
    "typo", "duplicate_send", "promo_code", "any",
)
SEVERITY_TAGS = ("trivial", "low", "medium", "high", "critical")
CHANNEL_TAGS = ("reply", "proactive", "newsletter")


class KnowledgeError(ComposerError):
    """A card or source file that does not validate; the message names the file and field."""


@dataclass(frozen=True)
class Source:
    file: str
    span: str


@dataclass(frozen=True)
class SourceDoc:
    file: str
    title: str
    publisher: str
    language: str
    author: str | None = None


@dataclass(frozen=True)
class Card:
    id: str
    kind: str
    title: str
    use_when: str
    body: str
    categories: tuple[str, ...]
    severity: tuple[str, ...]
    channels: tuple[str, ...]
    source: Source
    phrasings: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "use_when": self.use_when,
            "body": self.body,
            "phrasings": {lang: list(items) for lang, items in self.phrasings.items()},
            "tags": {
                "categories": list(self.categories),
                "severity": list(self.severity),
                "channels": list(self.channels),
            },
            "source": {"file": self.source.file, "span": self.source.span},
        }


@dataclass(frozen=True)
class Knowledge:
    cards: tuple[Card, ...]
    sources: dict[str, SourceDoc]
    content_hash: str

    def by_id(self) -> dict[str, Card]:
        return {card.id: card for card in self.cards}


class _Tags(BaseModel):
    model_config = ConfigDict(extra="forbid")
    categories: list[Literal[CATEGORIES]] = Field(min_length=1)  # type: ignore[valid-type]
    severity: list[Literal[SEVERITY_TAGS]] = Field(min_length=1)  # type: ignore[valid-type]
    channels: list[Literal[CHANNEL_TAGS]] = Field(min_length=1)  # type: ignore[valid-type]


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str
    span: str = Field(min_length=5, max_length=400)


def _known_language(code: str) -> str:
    """A language with a folder under languages/ (phrasings may come before its full pack)."""
    if code not in LANGUAGE_NAMES:
        raise ValueError(f"unknown language {code!r}: add languages/{code}/language.yaml first")
    return code


class _Card(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(?:[.-][a-z0-9]+)+$")
    kind: Literal[KINDS]  # type: ignore[valid-type]
    title: str = Field(min_length=3)
    use_when: str = Field(min_length=10)
    phrasings: dict[str, list[str]] = Field(default_factory=dict)  # language code -> phrasings
    body: str = Field(min_length=20)
    tags: _Tags
    source: _Source

    @field_validator("title", "use_when", "body")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("phrasings")
    @classmethod
    def _known_languages(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for code in value:
            _known_language(code)
        return value


class _SourceDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str
    title: str
    publisher: str
    language: str
    author: str | None = None

    @field_validator("language")
    @classmethod
    def _known(cls, value: str) -> str:
        return _known_language(value)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _read_yaml(path: Path) -> object:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: cannot read YAML: {exc}".splitlines()[0]) from exc


def _field_path(error: dict) -> str:
    return ".".join(str(part) for part in error["loc"])


def load_knowledge(root: Path | None = None) -> Knowledge:
    """Load and validate every card and source under `root` (default: the shipped knowledge).

    Long because every cross-check between cards and sources names its own error."""
    root = root or project_dir("knowledge")
    sources_dir = root / "sources"
    raw_sources = _read_yaml(sources_dir / "sources.yaml")
    if not isinstance(raw_sources, list):
        raise KnowledgeError(f"{sources_dir / 'sources.yaml'}: expected a list of sources")
    sources: dict[str, SourceDoc] = {}
    texts: dict[str, str] = {}
    for i, item in enumerate(raw_sources):
        try:
            doc = _SourceDoc.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise KnowledgeError(
                f"{sources_dir / 'sources.yaml'}: source {i}: {_field_path(first)}: {first['msg']}"
            ) from exc
        path = sources_dir / doc.file
        if not path.is_file():
            raise KnowledgeError(
                f"{sources_dir / 'sources.yaml'}: source {i}: file: {path} not found"
            )
        sources[doc.file] = SourceDoc(**doc.model_dump())
        texts[doc.file] = _squash(path.read_text(encoding="utf-8"))

    cards: list[Card] = []
    seen: dict[str, Path] = {}
    digest = hashlib.sha256()
    card_files = sorted((root / "cards").glob("*.yaml"))
    if not card_files:
        raise KnowledgeError(f"{root / 'cards'}: no card files (*.yaml)")
    for path in card_files:
        raw = _read_yaml(path)
        if not isinstance(raw, list):
            raise KnowledgeError(f"{path}: expected a list of cards")
        for i, item in enumerate(raw):
            card_id = item.get("id") if isinstance(item, dict) else None
            label = f"{path}: card {i}" + (f" ({card_id})" if card_id else "")
            try:
                model = _Card.model_validate(item)
            except ValidationError as exc:
                first = exc.errors()[0]
                raise KnowledgeError(f"{label}: {_field_path(first)}: {first['msg']}") from exc
            if model.id in seen:
                raise KnowledgeError(f"{label}: id: {model.id!r} is also used in {seen[model.id]}")
            seen[model.id] = path
            if model.source.file not in texts:
                raise KnowledgeError(
                    f"{label}: source.file: {model.source.file!r} is not listed in sources.yaml"
                )
            if _squash(model.source.span) not in texts[model.source.file]:
                raise KnowledgeError(
                    f"{label}: source.span: not found in {model.source.file}: "
                    f"{model.source.span[:60]!r}"
                )
            cards.append(
                Card(
                    id=model.id,
                    kind=model.kind,
                    title=model.title,
                    use_when=model.use_when,
                    body=model.body,
                    categories=tuple(model.tags.categories),
                    severity=tuple(model.tags.severity),
                    channels=tuple(model.tags.channels),
                    source=Source(model.source.file, model.source.span),
                    phrasings={lang: tuple(items) for lang, items in model.phrasings.items()},
                )
            )
    for path in [sources_dir / "sources.yaml", *card_files]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return Knowledge(tuple(cards), sources, digest.hexdigest())


@cache
def shipped_knowledge() -> Knowledge:
    """The knowledge that ships with the package, loaded once per process."""
    return load_knowledge()
