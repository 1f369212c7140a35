"""Model backends. A backend returns a valid `EmailOut` or raises `BackendError`; compose() then
falls back to the offline draft. The offline writer (`composer.drafting.offline`) is the default;
`OpenAIBackend` talks to any OpenAI-compatible server."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from composer.backends.base import DEFAULT_TIMEOUT, Backend, BackendConfigError

BACKENDS = ("offline", "openai")


def get_backend(
    name: str | None, *, model: str | None = None, base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT, env: Mapping[str, str] | None = None,
    cache_dir: Path | None = None,
) -> Backend:
    """`offline` unless a server is configured (`base_url` or OPENAI_BASE_URL) or asked for."""
    from composer.backends.openai import OpenAIBackend
    from composer.drafting.offline import OfflineBackend

    env = os.environ if env is None else env
    if name is None:
        name = "openai" if (base_url or env.get("OPENAI_BASE_URL")) else "offline"
    if name == "offline":
        return OfflineBackend()
    if name == "openai":
        return OpenAIBackend(model, base_url, timeout=timeout, env=env, cache_dir=cache_dir)
    raise BackendConfigError(f"unknown backend {name!r}: use one of {', '.join(BACKENDS)}")
