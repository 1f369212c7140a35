"""Any OpenAI-compatible chat server (OpenAI, Azure, vLLM, Ollama, llama.cpp), with
structured output, retries and an on-disk answer cache."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from composer.backends.base import (
    DEFAULT_MODEL,
    DEFAULT_TIMEOUT,
    MODES,
    OPENAI_URL,
    BackendConfigError,
    BackendError,
    Request,
    Usage,
    is_local,
    parse_email,
)
from composer.schema import EmailOut


class OpenAIBackend:
    """Any OpenAI-compatible chat server. Retries 429 and 5xx with backoff (the openai client)."""

    reads_incidents = True  # compose() asks it for its reading of the incident too

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
        self.mode = MODES[0]
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
        modes = MODES[MODES.index(self.mode):]
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


