"""Model backends: a small protocol, an OpenAI-compatible client, and a fake for tests.

The offline composer (`composer.offline.OfflineBackend`) is the default; `OpenAIBackend` talks to
any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, llama.cpp). A backend either returns a
valid `EmailOut` or raises `BackendError`; compose() then falls back to the offline draft.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlparse

from pydantic import ValidationError

from composer.errors import ComposerError
from composer.plan import Plan
from composer.schema import EmailOut, email_schema

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 120.0  # a cold llama.cpp call on two CPU cores took up to 60 s
OPENAI_URL = "https://api.openai.com/v1"
BACKENDS = ("offline", "openai")
# Tried in order until the server accepts one; remembered per backend instance.
# llama.cpp's server answers json_schema with HTTP 500 but honours a schema inside json_object.
_MODES = ("json_schema", "json_object_schema", "json_object")


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
    """Read a model's answer as an EmailOut, tolerating code fences and text around the JSON."""
    if not content or not content.strip():
        raise BackendError("the model returned an empty answer")
    text = content.strip()
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    elif "{" in text and "}" in text:  # chatter before or after the object
        text = text[text.index("{"): text.rindex("}") + 1]
    try:
        data = json.loads(text)
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


class OpenAIBackend:
    """Any OpenAI-compatible chat server. Retries 429 and 5xx with backoff (the openai client)."""

    name = "openai"

    def __init__(
        self,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        temperature: float = 0.3,
        max_tokens: int = 2500,
        env: Mapping[str, str] | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        env = os.environ if env is None else env
        self.cache_dir = cache_dir
        self.base_url = base_url or env.get("OPENAI_BASE_URL") or None
        self.model = model or DEFAULT_MODEL
        key = api_key or env.get("OPENAI_API_KEY")
        if not key:
            if not is_local(self.base_url):
                where = self.base_url or "api.openai.com"
                raise BackendConfigError(
                    f"OPENAI_API_KEY is not set and {where} needs a key: export "
                    "OPENAI_API_KEY=..., or point --base-url at a local server "
                    "(llama.cpp, Ollama, vLLM); the offline default needs no key"
                )
            key = "no-key-needed"
        import openai

        self._openai = openai
        # openai.Timeout is the client's own type (httpx.Timeout in 1.x, httpx2.Timeout in 3.x):
        # never build one from an HTTP library the client may no longer use.
        self.client = openai.OpenAI(  # an explicit URL: the client would read the env itself
            api_key=key, base_url=self.base_url or OPENAI_URL, max_retries=max_retries,
            timeout=openai.Timeout(timeout, connect=min(timeout, 10.0)),
        )
        self.mode = _MODES[0]
        self._mode_known = False  # until the server accepts a mode, a refusal means "try next"
        self.temperature = temperature
        self.max_tokens = max_tokens

    def _format(self, mode: str, schema: dict[str, Any]) -> dict[str, Any]:
        if mode == "json_schema":
            return {"type": "json_schema",
                    "json_schema": {"name": "apology_email", "schema": schema}}
        if mode == "json_object_schema":
            return {"type": "json_object", "schema": schema}
        return {"type": "json_object"}

    def generate(self, request: Request) -> EmailOut:
        content, request.usage = self._complete(request.messages, request.schema)
        return parse_email(content)

    def complete_json(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        """The model's answer, constrained to `schema` as far as the server allows."""
        return self._complete(messages, schema)[0]

    def _complete(self, messages: list[dict[str, str]], schema: dict[str, Any],
                  ) -> tuple[str, Usage]:
        """The answer from the cache when one is set and has it, else from the server."""
        if self.cache_dir is None:
            return self._ask(messages, schema)
        request = {"url": self._where(), "model": self.model, "messages": messages,
                   "schema": schema, "temperature": self.temperature,
                   "max_tokens": self.max_tokens}
        key = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
        path = self.cache_dir / key[:2] / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return entry["content"], Usage(entry["tokens_in"], entry["tokens_out"], cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            pass
        content, usage = self._ask(messages, schema)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({"content": content, "tokens_in": usage.tokens_in,
                                       "tokens_out": usage.tokens_out}), encoding="utf-8")
        partial.replace(path)  # whole entries only: a reader never sees half a file
        return content, usage

    def _ask(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> tuple[str, Usage]:
        openai = self._openai
        modes = _MODES[_MODES.index(self.mode):]
        for i, mode in enumerate(modes):
            last = i == len(modes) - 1
            # A probe of a mode the server may not know is not worth retrying with backoff; a
            # rate limit on the probe is retried in the same mode.
            probing = not last and not self._mode_known
            client = self.client.with_options(max_retries=0) if probing else self.client
            try:
                response = self._create(client, mode, messages, schema, retry_rate_limit=probing)
            except (openai.BadRequestError, openai.UnprocessableEntityError,
                    openai.InternalServerError, openai.NotFoundError) as exc:
                if not probing:
                    raise BackendError(f"the server refused the request: {_brief(exc)}") from exc
                continue
            except openai.AuthenticationError as exc:
                raise BackendError(f"the server refused the API key: {_brief(exc)}") from exc
            except openai.APITimeoutError as exc:
                raise BackendError(f"no answer from {self._where()} in time") from exc
            except openai.APIConnectionError as exc:
                raise BackendError(f"cannot reach {self._where()}: {_brief(exc)}") from exc
            except openai.APIStatusError as exc:
                raise BackendError(f"the server answered {exc.status_code}: {_brief(exc)}") from exc
            self.mode, self._mode_known = mode, True
            if not response.choices:
                raise BackendError("the model returned no choices")
            choice = response.choices[0]
            if choice.finish_reason == "length":
                raise BackendError(
                    f"the answer was cut off at {self.max_tokens} tokens before the JSON ended"
                )
            used = response.usage
            return choice.message.content or "", Usage(
                getattr(used, "prompt_tokens", 0) or 0, getattr(used, "completion_tokens", 0) or 0)
        raise BackendError("no structured-output mode worked")  # pragma: no cover

    def _create(self, client: Any, mode: str, messages: list[dict[str, str]],
                schema: dict[str, Any], retry_rate_limit: bool) -> Any:
        try:
            return client.chat.completions.create(
                model=self.model,
                messages=messages,
                response_format=self._format(mode, schema),
                temperature=self.temperature,
                max_tokens=self.max_tokens,
            )
        except self._openai.RateLimitError:
            if not retry_rate_limit:
                raise
            return self._create(self.client, mode, messages, schema, retry_rate_limit=False)

    def _where(self) -> str:
        return self.base_url or "api.openai.com"


def _brief(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:199] + "…"


class FakeBackend:
    """Answers from a list, for tests and demos: JSON strings, dicts, EmailOut, or exceptions."""

    name = "fake"
    model = "fake"

    def __init__(self, answers: Iterable[str | dict | EmailOut | Exception]) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []

    def generate(self, request: Request) -> EmailOut:
        self.requests.append(request)
        answer = self._next()
        if isinstance(answer, EmailOut):
            return answer
        return parse_email(answer if isinstance(answer, str) else json.dumps(answer))

    def complete_json(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        self.requests.append(Request("judge", messages, None, schema))  # type: ignore[arg-type]
        answer = self._next()
        if isinstance(answer, EmailOut):
            return answer.model_dump_json()
        return answer if isinstance(answer, str) else json.dumps(answer)

    def _next(self) -> str | dict | EmailOut:
        if not self.answers:
            raise BackendError("the fake backend has no answers left")
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def get_backend(
    name: str | None, *, model: str | None = None, base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT, env: Mapping[str, str] | None = None,
    cache_dir: Path | None = None,
) -> Backend:
    """`offline` unless a server is configured (`base_url` or OPENAI_BASE_URL) or asked for."""
    from composer.offline import OfflineBackend

    env = os.environ if env is None else env
    if name is None:
        name = "openai" if (base_url or env.get("OPENAI_BASE_URL")) else "offline"
    if name == "offline":
        return OfflineBackend()
    if name == "openai":
        return OpenAIBackend(model, base_url, timeout=timeout, env=env, cache_dir=cache_dir)
    raise BackendConfigError(f"unknown backend {name!r}: use one of {', '.join(BACKENDS)}")
