"""Apology composer: grounded customer apology emails, checked against a research-based rubric.

The public calls are importable from here; each loads its module on first use so that
`import composer` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "compose": "composer.pipeline",
    "Draft": "composer.pipeline",
    "FallbackError": "composer.pipeline",
    "OpenAIBackend": "composer.backends",
    "FakeBackend": "composer.backends",
    "check": "composer.checking",
    "Report": "composer.checking",
    "Incident": "composer.incident",
    "parse_loss": "composer.incident",
    "retrieve": "composer.retrieval",
    "Retriever": "composer.retrieval",
    "StoreConfig": "composer.store",
    "build_index": "composer.store",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'composer' has no attribute {name!r}")
