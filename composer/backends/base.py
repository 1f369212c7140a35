"""What a backend is asked and what it answers: `Request`, `Usage`, the protocols, and the
one reader of a model's email JSON. Every backend (offline, OpenAI-compatible, fake) speaks this.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import urlparse

from pydantic import ValidationError

from composer.drafting.plan import Plan
from composer.errors import ComposerError
from composer.schema import EmailOut, email_schema

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 120.0  # a cold llama.cpp call on two CPU cores took up to 60 s
OPENAI_URL = "https://api.openai.com/v1"
# Tried in order until the server accepts one; remembered per backend instance.
# llama.cpp's server answers json_schema with HTTP 500 but honours a schema inside json_object.
MODES = ("json_schema", "json_object_schema", "json_object")


class BackendError(ComposerError):
    """A model call that failed or answered something unusable; the message says which."""


class BackendConfigError(ComposerError):
    """A backend that cannot be set up as asked (unknown name, missing key)."""


@dataclass
class Request:
    """What a backend is asked for: chat messages for models, the plan for the offline composer."""

    purpose: Literal["compose", "revise", "judge"]
    messages: list[dict[str, str]]
    plan: Plan
    schema: dict[str, Any] = field(default_factory=email_schema)
    usage: Usage | None = None  # filled in by a model backend: what the call cost


@dataclass
class Usage:
    tokens_in: int = 0
    tokens_out: int = 0
    cached: bool = False  # answered from the response cache: the tokens were not spent again


class Backend(Protocol):
    name: str
    model: str

    def generate(self, request: Request) -> EmailOut: ...


class JsonBackend(Protocol):
    """A backend that can answer any JSON schema (the LLM judge needs one)."""

    name: str
    model: str

    def complete_json(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str: ...


def parse_email(content: str | None) -> EmailOut:
    """Read a model's answer as an EmailOut, tolerating code fences and text around the JSON,
    and a raw line break inside a string (small models write paragraphs that way)."""
    if not content or not content.strip():
        raise BackendError("the model returned an empty answer")
    text = content.strip()
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    elif "{" in text and "}" in text:  # chatter before or after the object
        text = text[text.index("{"): text.rindex("}") + 1]
    try:
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        raise BackendError(
            f"the model's answer is not valid JSON ({exc.msg} at {exc.pos})"
        ) from exc
    try:
        return EmailOut.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answer"
        raise BackendError(
            f"the model's answer does not match the email schema: {where}: {first['msg']}"
        ) from exc


def is_local(url: str | None) -> bool:
    host = urlparse(url).hostname if url else None
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
