"""What each sentence of a draft does, learned: one logistic head per label over the sentence's
e5 vector and its hashed character n-grams (composer.language.ngrams), so a paraphrase no phrase
table lists is still caught ("a few wires got crossed on our side" as trivializing, "thanks for
bearing with us" standing in for sorry), and the words that mark a label in any language weigh
beside the meaning.

The model is trained by `compose kb train-checker` on the sentence bank (`evals/sentences/`) and
ships as `models/sentences.npz` with `sentences.json` beside it: the labels, each label's
threshold (chosen on out-of-fold predictions grouped by document) and the figures it gave. At run
time it is a matrix product and a sum over a sentence's n-grams; the embedder is the checker's own
(`similarity.SIGNAL`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from composer.checking.report import STEP_NAMES
from composer.language import ngrams

MODEL_PATH = Path(__file__).resolve().parent / "models" / "sentences.npz"
SENTENCE_ANTI_PATTERNS: tuple[str, ...] = (
    "non_apology", "conditional_apology", "blame_shifting", "passive_evasion", "trivializing",
    "over_promising", "over_apologizing", "inappropriate_humour", "placeholders_left",
    "boilerplate", "register_mixed", "promise_without_date",
)
LABELS: tuple[str, ...] = STEP_NAMES + SENTENCE_ANTI_PATTERNS


@dataclass(frozen=True)
class SentenceLabels:
    """One sentence and, per label, the model's probability; `labels` are those at or above
    their threshold, `counted` those precise enough to count in a verdict."""

    text: str
    proba: dict[str, float]
    labels: tuple[str, ...]
    counted: tuple[str, ...] = ()


class SentenceModel:
    def __init__(self, weight: np.ndarray, bias: np.ndarray, meta: dict[str, Any],
                 gram_weight: np.ndarray | None = None, idf: np.ndarray | None = None) -> None:
        self.weight = weight
        self.bias = bias
        self.meta = meta
        self.gram_weight = gram_weight  # (labels, ngrams.BUCKETS); None: the vector alone
        self.idf = idf
        self.labels: tuple[str, ...] = tuple(meta["labels"])
        self.thresholds = np.array([meta["thresholds"][name] for name in self.labels])
        # None: the label never reached the precision a verdict needs; it is only shown.
        self.counted = np.array([meta["counted_thresholds"].get(name) or 2.0
                                 for name in self.labels])

    @classmethod
    def load(cls, path: str | Path | None = None) -> SentenceModel:
        path = Path(path) if path is not None else MODEL_PATH
        with np.load(path, allow_pickle=False) as data:
            weight, bias = data["weight"].astype(np.float64), data["bias"].astype(np.float64)
            grams = data["ngram_weight"].astype(np.float64) if "ngram_weight" in data else None
            idf = data["idf"].astype(np.float64) if "idf" in data else None
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if weight.shape[0] != len(meta["labels"]):
            raise ValueError(f"{path}: {weight.shape[0]} heads for {len(meta['labels'])} labels")
        if grams is not None and (grams.shape != (weight.shape[0], ngrams.BUCKETS)
                                  or idf is None or idf.shape != (ngrams.BUCKETS,)):
            raise ValueError(f"{path}: n-gram weights of shape {grams.shape}, expected "
                             f"({weight.shape[0]}, {ngrams.BUCKETS}) with an idf")
        return cls(weight, bias, meta, grams, idf)

    def proba(self, vectors: Any, texts: list[str] | None = None) -> np.ndarray:
        """(n, labels) probabilities for (n, dim) sentence vectors and, when the model reads
        n-grams, the sentences' `texts` as they were embedded."""
        z = np.asarray(vectors, dtype=np.float64) @ self.weight.T + self.bias
        if self.gram_weight is not None:
            if texts is None:
                raise ValueError("this sentence model reads n-grams: pass the texts")
            z += ngrams.scores(self.gram_weight, ngrams.rows(texts, self.idf))
        return 1.0 / (1.0 + np.exp(-z))

    def label(self, sentences: list[str], vectors: Any, read: list[str] | None = None
              ) -> list[SentenceLabels]:
        """Labels per sentence; `read` are the texts as embedded (default: `sentences`)."""
        p = self.proba(vectors, read if read is not None else sentences)
        hits = p >= self.thresholds
        counted = p >= self.counted
        return [
            SentenceLabels(
                text,
                {name: round(float(p[i, j]), 3) for j, name in enumerate(self.labels)},
                tuple(name for j, name in enumerate(self.labels) if hits[i, j]),
                tuple(name for j, name in enumerate(self.labels) if counted[i, j]),
            )
            for i, text in enumerate(sentences)
        ]


@lru_cache(maxsize=1)
def shipped_model() -> SentenceModel | None:
    """The model in the package, or None when it is missing (the phrases alone then decide)."""
    try:
        return SentenceModel.load()
    except (OSError, ValueError, KeyError):
        return None
