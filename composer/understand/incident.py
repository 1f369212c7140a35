"""The incident a draft answers: free text plus the facts a support lead may know."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from composer.errors import ComposerError
from composer.language.detect import SUPPORTED
from composer.language.money import MoneyError, Quantity, parse_quantity
from composer.yamlio import load_yaml

Severity = Literal["trivial", "low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("trivial", "low", "medium", "high", "critical")
Channel = Literal["reply", "proactive", "newsletter"]
CHANNELS: tuple[str, ...] = ("reply", "proactive", "newsletter")
TONES: tuple[str, ...] = ("formal", "warm", "playful")
FIX_STATUSES: tuple[str, ...] = ("investigating", "fixed")

MAX_INCIDENT_CHARS = 20_000

# A fix status in the lead's own words: these mean fixed or still open; other text describes
# what was done (kept as the `done` fact, and the problem counts as fixed).
_FIXED_WORDS = {"fixed", "resolved", "solved", "done", "restored", "risolto", "ripristinato",
                "resuelto", "solucionado", "restablecido", "исправлено", "решено",
                "восстановлено", "已修复", "已解决", "已恢复"}
_OPEN_WORDS = {"investigating", "open", "ongoing", "pending", "in progress", "in corso",
               "en curso", "в работе", "调查中", "处理中"}


class IncidentError(ComposerError, ValueError):
    """Input that cannot describe an incident; the message says what to fix."""


Loss = Quantity  # what the customer lost: money (ISO currency) or time (minutes/hours/days)


def parse_loss(text: str) -> Loss:
    """`120 EUR`, `USD 2,400`, `2.400,50 €`, `688元`, `3h`, `2 giorni di lavoro`, `三个半小时`."""
    try:
        return parse_quantity(text)
    except MoneyError as exc:
        raise IncidentError(f"cannot read loss {text!r}: {_reason(exc)}") from None


def _reason(exc: MoneyError) -> str:
    message = str(exc)
    return message.split(": ", 1)[1] if message.startswith("cannot read ") else message


@dataclass(frozen=True)
class Incident:
    """What happened, and whatever facts are known. Unknown facts stay None, never guessed."""

    text: str
    customer: str | None = None
    company: str | None = None
    sender: str | None = None
    channel: str | None = None
    language: str | None = None
    tone: str | None = None
    severity: str | None = None
    loss: Loss | None = None
    prior_failures: int = 0
    cause: str | None = None
    fix_status: str | None = None
    eta: str | None = None
    prevention: str | None = None
    facts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.text or not self.text.strip():
            raise IncidentError("the incident is empty: describe what went wrong")
        if len(self.text) > MAX_INCIDENT_CHARS:
            raise IncidentError(
                f"the incident is {len(self.text):,} characters; the limit is "
                f"{MAX_INCIDENT_CHARS:,}: summarise it"
            )
        for name, value, allowed in (
            ("severity", self.severity, SEVERITIES),
            ("channel", self.channel, CHANNELS),
            ("tone", self.tone, TONES),
        ):
            if value is not None and value not in allowed:
                raise IncidentError(f"unknown {name} {value!r}: use one of {', '.join(allowed)}")
        if self.language is not None and self.language not in SUPPORTED:
            raise IncidentError(
                f"unknown language {self.language!r}: use one of {', '.join(SUPPORTED)}"
            )
        if self.fix_status is not None and self.fix_status not in FIX_STATUSES:
            raise IncidentError(
                f"unknown fix_status {self.fix_status!r}: use one of {', '.join(FIX_STATUSES)}"
            )


_FIELDS = (
    "text", "customer", "company", "sender", "channel", "language", "tone", "severity", "loss",
    "prior_failures", "cause", "fix_status", "eta", "prevention",
)


def parse_fact(item: str) -> tuple[str, str]:
    """`key=value` from the command line."""
    key, sep, value = item.partition("=")
    key = key.strip().lower().replace("-", "_")
    if not sep or not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", key) or not value.strip():
        raise IncidentError(
            f"cannot read fact {item!r}: write key=value, e.g. cause='a bad deploy'"
        )
    return key, value.strip()


def incident_from_mapping(data: Mapping[str, Any]) -> Incident:
    """An Incident from a dict (a YAML/JSON file, keyword arguments, --fact pairs).

    Known fields go to their place; any other key is kept as a fact the draft may use.
    """
    values: dict[str, Any] = {}
    facts: dict[str, str] = {}
    for key, value in data.items():
        if value is None:
            continue
        name = "text" if key in ("incident", "description") else key
        if name == "facts":
            if not isinstance(value, Mapping):
                raise IncidentError("facts must be a mapping of names to values")
            facts.update({str(k): str(v) for k, v in value.items()})
        elif name in _FIELDS:
            values[name] = value
        else:
            facts[str(key)] = str(value)
    if "text" not in values:
        raise IncidentError("the incident has no text: give 'text' (what went wrong)")
    for name in _FIELDS:
        if name in values and name not in ("loss", "prior_failures"):
            values[name] = str(values[name]).strip()
    if "fix_status" in values:
        values["fix_status"] = _fix_status(values["fix_status"], facts)
    if isinstance(values.get("loss"), str | int | float):
        values["loss"] = parse_loss(str(values["loss"]))
    if "prior_failures" in values:
        try:
            values["prior_failures"] = int(values["prior_failures"])
        except (TypeError, ValueError) as exc:
            raise IncidentError(
                f"prior_failures must be a whole number, got {values['prior_failures']!r}"
            ) from exc
        if values["prior_failures"] < 0:
            raise IncidentError("prior_failures cannot be negative")
    return Incident(**values, facts=facts)


def _fix_status(value: str, facts: dict[str, str]) -> str:
    """`fixed`/`investigating`, from those words in five languages or from a description of
    what was done (kept as the `done` fact). A single unknown word is a mistake, not a fix."""
    lowered = value.strip().lower()
    if lowered in _FIXED_WORDS:
        return "fixed"
    if lowered in _OPEN_WORDS:
        return "investigating"
    if len(lowered.split()) < 2 and not re.search(r"[\u3400-\u9fff]{3}", lowered):
        raise IncidentError(f"unknown fix_status {value!r}: use one of "
                            f"{', '.join(FIX_STATUSES)}, or describe what was done")
    facts.setdefault("done", value.strip())
    return "fixed"


def read_incident_file(path: Path) -> dict[str, Any]:
    """The mapping in an incident YAML or JSON file (JSON is YAML, so one parser reads both).

    Returned raw so that command-line flags can override its keys before
    `incident_from_mapping` validates the whole incident once.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise IncidentError(f"no incident file {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise IncidentError(f"cannot read incident file {path}: {exc}") from exc
    try:
        data = load_yaml(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise IncidentError(f"incident file {path} does not parse{where}") from exc
    if isinstance(data, str):
        data = {"text": data}
    if not isinstance(data, Mapping):
        raise IncidentError(f"incident file {path}: expected a mapping with at least 'text'")
    return dict(data)
