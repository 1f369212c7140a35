"""The embedding signal: a multilingual sentence embedding (e5) as a second opinion on steps the
phrases did not find, and as the backing an LLM judge's claim needs (composer.checking.judge).
If the embedder cannot load, the phrases alone decide and the report says so."""

from __future__ import annotations

import threading
from typing import Any

from composer.checking.report import RUBRIC_VERSION, StepResult

# Exemplars for the embedding signal: English is enough, e5 is cross-lingual.
STEP_EXEMPLARS: dict[str, list[str]] = {
    "impact": [
        "I know this cost you a day of work and real money.",
        "Your customers could not place orders for hours because of this.",
        "You had to wait all weekend without any news, which must have been stressful.",
        "This left you unable to access your account when you needed it.",
    ],
    "explanation": [
        "Here is what happened: a configuration change in our system caused the failure.",
        "The problem was caused by a bug in our billing code.",
        "Our warehouse team packed the order with the wrong label.",
        "The outage started when our database server ran out of disk space.",
    ],
    "responsibility": [
        "This was our mistake, and we take full responsibility.",
        "We got this wrong and it is entirely on us.",
        "We should have caught this before it reached you.",
        "We let you down.",
    ],
    "remedy": [
        "We have already refunded the charge and fixed the bug.",
        "I will follow up with you by Friday with an update.",
        "To prevent this, we added an automatic check before every release.",
        "A replacement is on its way and should arrive tomorrow.",
    ],
}
# Calibrated on evals/check_cases: for sentences the patterns missed, e5-small's max similarity
# to these exemplars reached 0.893 on drafts that lack the step and only 0.869 on drafts that have
# it, and a contrast against other steps' exemplars did not separate them either. So the signal
# is kept for near-paraphrases of the exemplars only (>= 0.91), where it is reliable.
EMBED_THRESHOLDS: dict[str, float] = {
    "impact": 0.91, "explanation": 0.91, "responsibility": 0.91, "remedy": 0.91,
}
# e5 costs ~5 ms per short sentence and more for long ones: a cap and a length cut keep a weak
# 300-word draft close to the 100 ms budget.
EMBED_MAX_SENTENCES = 4
EMBED_MAX_CHARS = 160


class EmbeddingSignal:
    """Process-wide embedder with cached exemplar vectors and a bounded sentence cache."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._embedder: Any = None
        self._exemplars: dict[str, Any] = {}
        self._cache: dict[str, Any] = {}
        self.error: str | None = None

    def _ready(self) -> bool:
        if self.error is not None:
            return False
        if self._embedder is not None:
            return True
        with self._lock:
            if self._embedder is None and self.error is None:
                try:
                    import numpy as np

                    from composer.knowledge.embeddings import get_embedder

                    embedder = get_embedder("e5")
                    for step, texts in STEP_EXEMPLARS.items():
                        self._exemplars[step] = np.asarray(embedder.embed_query(texts))
                    self._embedder = embedder
                except Exception as exc:  # any load failure: fall back to patterns only
                    self.error = f"{type(exc).__name__}: {exc}"
        return self._embedder is not None

    def similarities(self, sentences: list[str], steps: list[str]) -> dict[str, list[float]]:
        """Max cosine similarity of each sentence to each step's exemplars."""
        matrix = self.vectors(sentences)
        return {step: list((matrix @ self._exemplars[step].T).max(axis=1)) for step in steps}

    def vectors(self, sentences: list[str]) -> Any:
        """The e5 query vectors of `sentences` (n, 384), through the bounded sentence cache.
        Call `ready()` first."""
        import numpy as np

        # Threads share the cache (compose serve, eval runs): read and write it under the lock,
        # and keep this call's vectors locally so a clear by another thread cannot lose them.
        with self._lock:
            known = {s: self._cache[s] for s in dict.fromkeys(sentences) if s in self._cache}
        missing = [s for s in dict.fromkeys(sentences) if s not in known]
        if missing:
            vectors = self._embedder.embed_query(missing)
            known.update(zip(missing, vectors, strict=True))
            with self._lock:
                if len(self._cache) > 4096:
                    self._cache.clear()
                self._cache.update(zip(missing, vectors, strict=True))
        return np.asarray([known[s] for s in sentences])

    def clear_sentence_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def ready(self) -> bool:
        try:
            return self._ready()
        except Exception as exc:  # pragma: no cover - defensive
            self.error = str(exc)
            return False


SIGNAL = EmbeddingSignal()


def warm_up() -> bool:
    """Load the embedder and exemplar vectors now, so the first check is fast."""
    return SIGNAL.ready()


def embedding_pass(
    sentences: list[str], weak: list[str], found: dict[str, list[str]],
    sources: dict[str, str], notes: list[str],
) -> None:
    """Secondary signal: a sentence very close to a step's exemplars counts as that step."""
    if not SIGNAL.ready():
        notes.append(
            f"embedding similarity unavailable ({SIGNAL.error}); patterns only"
        )
        return
    used = {s for step, hits in found.items() if step not in weak for s in hits}
    candidates = [s for s in sentences if len(s) >= 20 and s not in used][:EMBED_MAX_SENTENCES]
    if not candidates:
        return
    try:
        sims = SIGNAL.similarities([c[:EMBED_MAX_CHARS] for c in candidates], weak)
    except Exception as exc:  # a broken model mid-run must not break the check
        notes.append(f"embedding similarity failed ({type(exc).__name__}); patterns only")
        return
    for step in weak:
        scored = sorted(zip(sims[step], candidates, strict=True), reverse=True)
        hits = [s for score, s in scored if score >= EMBED_THRESHOLDS[step]]
        if hits:
            found[step] = hits[:2]
            sources[step] = "embedding"


def apply_judge(
    judge: Any, text: str, sentences: list[str], lang: str, steps: dict[str, StepResult],
    notes: list[str],
) -> None:
    """Combine the LLM judge with the deterministic signals (see composer.checking.judge)."""
    from composer.backends.base import BackendError
    from composer.checking.judge import JUDGE_SUPPORT

    try:
        verdict = judge(text, lang, RUBRIC_VERSION)
    except BackendError as exc:
        notes.append(f"LLM judge unavailable ({exc}); patterns and embeddings only")
        return
    origin = f"LLM judge {verdict.model}" + (" (cached)" if verdict.cached else "")
    candidates = [s[:EMBED_MAX_CHARS] for s in sentences if s.strip()]
    for name, step in steps.items():
        says = verdict.steps.get(name)
        if step.passed and says is False:
            notes.append(f"{origin} finds no {name}; the patterns do, so it stays passed")
        elif not step.passed and says and name not in STEP_EXEMPLARS:
            notes.append(f"{origin} finds {name}, but nothing else backs it; still missing")
        elif not step.passed and says and candidates and SIGNAL.ready():
            scores = SIGNAL.similarities(candidates, [name])[name]
            best = max(range(len(candidates)), key=lambda i: scores[i])
            if scores[best] >= JUDGE_SUPPORT:
                steps[name] = StepResult(True, [candidates[best]], "", source="judge+embedding")
                notes.append(f"{name}: found by the {origin}, backed by embedding similarity "
                             f"{scores[best]:.2f}")
            else:
                notes.append(f"{origin} finds {name}, but no sentence backs it; still missing")
