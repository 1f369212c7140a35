"""The incident a draft answers: free text plus the facts a support lead may know."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

from composer.errors import ComposerError

Severity = Literal["trivial", "low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("trivial", "low", "medium", "high", "critical")
Channel = Literal["reply", "proactive", "newsletter"]
CHANNELS: tuple[str, ...] = ("reply", "proactive", "newsletter")
TONES: tuple[str, ...] = ("formal", "warm", "playful")

MAX_INCIDENT_CHARS = 20_000

_CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "CNY", "₽": "RUB"}
_TIME_UNITS = {
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
}


class IncidentError(ComposerError, ValueError):
    """Input that cannot describe an incident; the message says what to fix."""


@dataclass(frozen=True)
class Loss:
    """What the customer lost: money (amount + ISO currency) or time (amount + unit)."""

    amount: Decimal
    unit: str

    @property
    def is_money(self) -> bool:
        return self.unit not in _TIME_UNITS.values()

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


def parse_loss(text: str) -> Loss:
    """Parse `120 EUR`, `€120`, `99.50 usd`, `3h`, `2 days` into a Loss."""
    raw = text.strip()
    for symbol, code in _CURRENCY_SYMBOLS.items():
        if raw.startswith(symbol) or raw.endswith(symbol):
            raw = f"{raw.strip(symbol).strip()} {code}"
    match = re.fullmatch(r"([0-9]+(?:[.,][0-9]+)?)\s*([A-Za-z]+)", raw)
    if not match:
        raise IncidentError(
            f"cannot read loss {text!r}: write an amount and a currency or time unit, "
            "e.g. '120 EUR', '€120' or '3 hours'"
        )
    number, unit = match.groups()
    try:
        amount = Decimal(number.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
        raise IncidentError(f"cannot read the amount in {text!r}") from exc
    if amount <= 0:
        raise IncidentError(f"loss must be positive, got {text!r}")
    lowered = unit.lower()
    if lowered in _TIME_UNITS:
        return Loss(amount, _TIME_UNITS[lowered])
    if len(unit) == 3:
        return Loss(amount, unit.upper())
    raise IncidentError(
        f"unknown unit {unit!r} in loss {text!r}: use a 3-letter currency code (EUR, USD) "
        "or minutes/hours/days"
    )


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
