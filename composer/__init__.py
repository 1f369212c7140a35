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
    "OpenAIBackend": "composer.backends.openai",
    "FakeBackend": "composer.backends.fake",
    "check": "composer.checking.checker",
    "Report": "composer.checking.checker",
    "Incident": "composer.understand.incident",
    "parse_loss": "composer.understand.incident",
    "retrieve": "composer.knowledge.retrieval",
    "Retriever": "composer.knowledge.retrieval",
    "StoreConfig": "composer.knowledge.store",
    "build_index": "composer.knowledge.store",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'composer' has no attribute {name!r}")
