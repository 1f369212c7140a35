"""A text's other features: hashed character n-grams, the surface a sentence vector blurs.

e5 reads meaning; "un piccolo inconveniente" and "a small hiccup" sit near any other light
remark. Character n-grams (2 to 4 characters inside word boundaries, as scikit-learn's
`char_wb`) keep the words themselves in every language and script, with no word list. A model
learns weights for them next to the sentence vector; here they are only counted.

Each n-gram is hashed (CRC-32) into `BUCKETS` columns, so the same text gives the same columns
on every machine; a row is `1 + log(count)` times the column's idf, scaled to unit length.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np

from composer.errors import ComposerError

BUCKETS = 1 << 16
SIZES = (2, 3, 4)


def _grams(text: str) -> Counter[int]:
    counts: Counter[int] = Counter()
    for word in text.lower().split():
        padded = f" {word} "
        for n in SIZES:
            if len(padded) < n:
                break
            for i in range(len(padded) - n + 1):
                counts[zlib.crc32(padded[i:i + n].encode("utf-8")) & (BUCKETS - 1)] += 1
    return counts


@dataclass(frozen=True)
class Row:
    """One text's n-grams: the columns it has and their weights (unit length)."""

    columns: np.ndarray  # int64, sorted
    values: np.ndarray  # float64


def rows(texts: list[str], idf: np.ndarray | None = None) -> list[Row]:
    """Each text as sublinear tf (times `idf` when given), L2-normalised."""
    out = []
    for text in texts:
        counts = _grams(text)
        columns = np.array(sorted(counts), dtype=np.int64)
        values = 1.0 + np.log(np.array([counts[c] for c in columns], dtype=np.float64))
        if idf is not None and len(columns):
            values = values * idf[columns]
        norm = float(np.linalg.norm(values))
        out.append(Row(columns, values / norm if norm else values))
    return out


def document_frequency_idf(texts: list[str]) -> np.ndarray:
    """Smoothed idf per column, `log((1 + n) / (1 + df)) + 1` (scikit-learn's): columns no
    text has get the highest weight, and never appear at run time with a learned weight."""
    df = np.zeros(BUCKETS)
    for text in texts:
        df[list(_grams(text))] += 1
    return np.log((1 + len(texts)) / (1 + df)) + 1.0


def scores(weights: np.ndarray, found: list[Row]) -> np.ndarray:
    """(n, heads): each row's n-grams times each head's n-gram weights (heads, BUCKETS)."""
    out = np.zeros((len(found), weights.shape[0]))
    for i, row in enumerate(found):
        if len(row.columns):
            out[i] = weights[:, row.columns] @ row.values
    return out


def as_csr(found: list[Row]) -> object:
    """The rows as a scipy CSR matrix (n, BUCKETS), for training (scipy is a training need, not
    a run-time one)."""
    try:
        from scipy import sparse
    except ImportError:
        raise ComposerError("training reads n-grams as a sparse matrix and needs scipy: "
                            "pip install 'apology-composer[train]'") from None

    indptr = np.cumsum([0] + [len(r.columns) for r in found])
    columns = np.concatenate([r.columns for r in found]) if found else np.zeros(0, np.int64)
    values = np.concatenate([r.values for r in found]) if found else np.zeros(0)
    return sparse.csr_matrix((values, columns, indptr), shape=(len(found), BUCKETS))
