"""A small BM25 over card text, fused with vector scores.

Support leads often quote the exact bad phrase ("lamentamos las molestias") or type a terse
fragment ("优惠码写错了"); word overlap catches those where a small multilingual embedder blurs
them. Words are cut to a 5-letter prefix, a cheap stemmer for it/es/ru inflection, and Chinese
is split into character bigrams.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[a-zà-ÿа-яё]+")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
PREFIX = 5
K1, B = 1.2, 0.75


def tokens(text: str) -> list[str]:
    text = text.lower()
    out = [word[:PREFIX] for word in _WORD.findall(text) if len(word) >= 3]
    for run in _HAN.findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


class BM25:
    """Okapi BM25 over a fixed set of documents keyed by id."""

    def __init__(self, docs: Iterable[tuple[str, str]]) -> None:
        self._tf = {doc_id: Counter(tokens(text)) for doc_id, text in docs}
        self._len = {doc_id: sum(tf.values()) for doc_id, tf in self._tf.items()}
        self._avg = sum(self._len.values()) / max(1, len(self._len))
        df = Counter(term for tf in self._tf.values() for term in tf)
        n = len(self._tf)
        self._idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}

    def scores(self, query: str) -> dict[str, float]:
        """Scores normalised so the best document gets 1.0 (0.0 everywhere when nothing matches)."""
        terms = set(tokens(query)) & self._idf.keys()
        raw: dict[str, float] = {}
        for doc_id, tf in self._tf.items():
            norm = K1 * (1 - B + B * self._len[doc_id] / self._avg)
            score = sum(
                self._idf[t] * tf[t] * (K1 + 1) / (tf[t] + norm) for t in terms if t in tf
            )
            if score:
                raw[doc_id] = score
        top = max(raw.values(), default=0.0)
        return {doc_id: score / top for doc_id, score in raw.items()} if top else {}
