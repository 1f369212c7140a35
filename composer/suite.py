"""The eval suite: incidents with expectations in, per-case results and a scorecard out.

A case file (`evals/cases/*.yaml`) holds a list of cases. Each case gives an incident (text, or a
mapping of text and facts, as `compose()` takes it) and what a good answer must do:

    - id: en-wrong-bank-account
      incident: {text: "We sent Anna's withdrawal to the wrong bank account.", loss: 120 EUR}
      expect:
        apologize: true
        category: wrong_payment
        severity: [medium, high]
        compensation: {type: refund, amount: [120, 150]}
        humour: false
        language: en
        must_include: ["120"]
        must_not_include: ["never happen again"]

An unknown key anywhere, or a value out of its set, fails with the file, the line and the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from composer.compensation import COMPENSATION_TYPES
from composer.errors import ComposerError
from composer.incident import CHANNELS, SEVERITIES
from composer.knowledge import project_dir
from composer.lang import SUPPORTED
from composer.triage import CATEGORIES


class CaseError(ComposerError):
    """A case file that cannot be used; the message names the file, the line and the reason."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompensationExpect(_Strict):
    """The offer expected: its type (or acceptable types) and, when the loss is known, a range."""

    type: list[str]
    amount: tuple[float, float] | None = None

    @field_validator("type", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("type")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t not in COMPENSATION_TYPES]
        if unknown or not value:
            raise ValueError(f"use one or more of {', '.join(COMPENSATION_TYPES)}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> CompensationExpect:
        if self.amount is not None and self.amount[0] > self.amount[1]:
            raise ValueError("amount is [min, max] with min <= max")
        return self


class Expect(_Strict):
    apologize: bool = True
    category: list[str] | None = None
    severity: tuple[str, str] | None = None
    compensation: CompensationExpect | None = None
    humour: bool | None = None
    language: str
    must_include: list[str] = Field(default_factory=list)
    must_not_include: list[str] = Field(default_factory=list)

    @field_validator("category", mode="before")
    @classmethod
    def _category_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(c not in CATEGORIES for c in value):
            raise ValueError(f"use one or more of {', '.join(CATEGORIES)}")
        return value

    @field_validator("severity", mode="before")
    @classmethod
    def _severity_range(cls, value: Any) -> Any:
        return [value, value] if isinstance(value, str) else value

    @field_validator("severity")
    @classmethod
    def _known_severity(cls, value: tuple[str, str] | None) -> tuple[str, str] | None:
        if value is None:
            return None
        if any(s not in SEVERITIES for s in value):
            raise ValueError(f"use one or two of {', '.join(SEVERITIES)}")
        if SEVERITIES.index(value[0]) > SEVERITIES.index(value[1]):
            raise ValueError("severity is [lowest, highest]")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in SUPPORTED:
            raise ValueError(f"use one of {', '.join(SUPPORTED)}")
        return value


class Case(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    incident: str | dict[str, Any]
    language: str | None = None  # compose(language=...): forces the output language
    max_compensation: str | None = None
    notes: str | None = None
    expect: Expect

    @property
    def text(self) -> str:
        return self.incident if isinstance(self.incident, str) else str(
            self.incident.get("text", ""))

    @property
    def channel(self) -> str:
        channel = None if isinstance(self.incident, str) else self.incident.get("channel")
        return channel if channel in CHANNELS else "reply"

    @property
    def source(self) -> str:
        return getattr(self, "_source", "")


def default_cases_dir() -> Path:
    return project_dir("evals") / "cases"


def load_cases(path: Path | None = None) -> list[Case]:
    """Every case in a directory of YAML files (or one file), in file then list order."""
    path = path or default_cases_dir()
    if path.is_dir():
        files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise CaseError(f"{path}: no *.yaml case files")
    elif path.is_file():
        files = [path]
    else:
        raise CaseError(f"{path}: no such file or directory")
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for file in files:
        for case in _load_file(file):
            if case.id in seen:
                raise CaseError(f"{file}: case id {case.id!r} is also in {seen[case.id]}")
            seen[case.id] = str(file)
            cases.append(case)
    return cases


def _load_file(path: Path) -> list[Case]:
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CaseError(f"{path}{line}: not valid YAML: {reason}") from exc
    if raw is None:
        return []
    if isinstance(raw, dict):
        raw, node = [raw], yaml.SequenceNode("tag:yaml.org,2002:seq", [node])
    if not isinstance(raw, list):
        raise CaseError(f"{path}:1: expected a list of cases")
    cases = []
    for i, item in enumerate(raw):
        try:
            case = Case.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = [str(p) for p in first["loc"] if not str(p).startswith("function-")]
            line = _line(node.value[i], first["loc"])
            where = ".".join(loc) or "case"
            message = first["msg"].removeprefix("Value error, ")
            if first["type"] == "extra_forbidden":
                message = f"unknown key {loc[-1]!r}"
            raise CaseError(f"{path}:{line}: case {i + 1}: {where}: {message}") from exc
        object.__setattr__(case, "_source", f"{path.name}:{node.value[i].start_mark.line + 1}")
        cases.append(case)
    return cases


def _line(node: yaml.Node, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest node that `loc` reaches in the YAML tree."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if k.value == part]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            found = node.value[part:part + 1]
        else:
            found = []
        if not found:
            break
        node = found[0]
    return node.start_mark.line + 1
