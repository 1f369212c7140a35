"""Probe: can linear classifiers over e5 sentence embeddings label apology sentences?

Issue 15 asks for sentence-level steps and anti-patterns that generalise past the regex tables.
Before building it, this measures how far one-vs-rest logistic regression over the shipped
multilingual-e5-small embeddings gets: grouped-by-document and leave-one-language-out CV on the
sentence bank (`evals/sentences/`), then one document-level score on the blind set
(`evals/check_blind5/`), next to the current regex checker on the same texts. Settings (C,
thresholds, feature variant, per-label rule/model choice) are chosen by grouped CV on the bank
only; the blind set is scored once per final configuration and never used to choose anything.

    .venv/bin/python scripts/checker_probe.py [--json OUT] [--fast]

scikit-learn is used for training only; the product would apply W.x + b in numpy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from composer.checking.checker import ANTI_PATTERN_NAMES, STEP_NAMES, check, split_sentences
from composer.errors import ComposerError
from composer.knowledge.embeddings import E5Embedder
from composer.understand.incident import Incident, IncidentError, parse_loss

ROOT = Path(__file__).resolve().parent.parent
BANK_DIR = ROOT / "evals" / "sentences"
BLIND_DIR = ROOT / "evals" / "check_blind5"
CACHE_DIR = Path("/tmp")

STEPS: tuple[str, ...] = tuple(STEP_NAMES)
ANTIS: tuple[str, ...] = (
    "non_apology", "conditional_apology", "blame_shifting", "passive_evasion", "trivializing",
    "over_promising", "over_apologizing", "inappropriate_humour", "placeholders_left",
    "boilerplate", "register_mixed", "promise_without_date",
)
LABELS: tuple[str, ...] = STEPS + ANTIS
RX_NAMES: tuple[str, ...] = STEPS + tuple(ANTI_PATTERN_NAMES)  # what the regex checker emits
C_GRID: tuple[float, ...] = (1.0, 4.0, 16.0, 64.0)
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.025), 3)
_TEXT_LINE = re.compile(r"^\s*-\s+text:")


# --- data --------------------------------------------------------------------------------------


@dataclass
class Bank:
    texts: list[str]
    langs: np.ndarray
    docs: np.ndarray
    hard_neg: np.ndarray
    y: np.ndarray  # (n, len(LABELS)) 0/1
    doc_text: dict[str, str]


@dataclass
class BlindCase:
    id: str
    lang: str
    text: str
    incident: Incident | None
    steps: dict[str, bool]
    anti: set[str]
    verdict: str
    evidence: list[tuple[str, set[str]]]
    sentences: list[str] = field(default_factory=list)


def load_bank() -> Bank:
    texts: list[str] = []
    langs: list[str] = []
    docs: list[str] = []
    hn: list[bool] = []
    rows: list[list[int]] = []
    doc_text: dict[str, str] = {}
    for path in sorted(BANK_DIR.glob("*.yaml")):
        lang = path.stem
        raw = path.read_text(encoding="utf-8")
        flags = [("# HN" in line) for line in raw.splitlines() if _TEXT_LINE.match(line)]
        data = yaml.safe_load(raw)
        sentences = [s for d in data for s in d["sentences"]]
        if len(flags) != len(sentences):
            raise SystemExit(f"{path.name}: cannot align '# HN' marks ({len(flags)} text lines, "
                             f"{len(sentences)} sentences)")
        flag_iter = iter(flags)
        for d in data:
            doc_id = f"{lang}:{d['doc']}"
            doc_text[doc_id] = "\n".join(s["text"] for s in d["sentences"])
            for s in d["sentences"]:
                labels = set(s.get("steps") or []) | set(s.get("anti") or [])
                unknown = labels - set(LABELS)
                if unknown:
                    raise SystemExit(f"{path.name} {d['doc']}: unknown labels {unknown}")
                texts.append(s["text"])
                langs.append(lang)
                docs.append(doc_id)
                hn.append(next(flag_iter))
                rows.append([int(name in labels) for name in LABELS])
    return Bank(texts, np.array(langs), np.array(docs), np.array(hn), np.array(rows), doc_text)


LOSS_NOTES: list[str] = []


def read_loss(text: str) -> Any:
    """`parse_loss`, with weeks turned into days (it knows minutes/hours/days only)."""
    try:
        return parse_loss(text)
    except IncidentError:
        weeks = re.fullmatch(r"\s*(\d+)\s*(?:weeks?|недел[яиь])\s*", text)
        if weeks:
            LOSS_NOTES.append(f"loss {text!r} read as {int(weeks[1]) * 7} days")
            return parse_loss(f"{int(weeks[1]) * 7} days")
        LOSS_NOTES.append(f"loss {text!r} unreadable by parse_loss; passed as no loss")
        return None


def load_blind() -> list[BlindCase]:
    cases: list[BlindCase] = []
    for path in sorted(BLIND_DIR.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            exp = raw["expected"]
            incident = None
            if raw.get("incident"):
                inc = raw["incident"]
                loss = read_loss(str(inc["loss"])) if inc.get("loss") else None
                incident = Incident(text=inc.get("text") or "(not described)",
                                    severity=inc.get("severity"), loss=loss)
            evidence = [(e["text"], set(e.get("anti") or [])) for e in exp.get("sentences") or []]
            cases.append(BlindCase(
                id=str(raw["id"]), lang=raw["lang"], text=raw["text"], incident=incident,
                steps={k: bool(v) for k, v in exp["steps"].items()},
                anti=set(exp.get("anti_patterns") or []), verdict=exp["verdict"],
                evidence=evidence, sentences=split_sentences(raw["text"]),
            ))
    return cases


# --- features ----------------------------------------------------------------------------------


def embed(texts: list[str], mode: str, embedder: E5Embedder) -> np.ndarray:
    """E5 vectors with the "query: " or "passage: " prefix, cached under /tmp by text hash."""
    key = hashlib.sha1(("\x1e".join(texts) + "|" + mode).encode("utf-8")).hexdigest()[:16]
    cache = CACHE_DIR / f"checker_probe_e5_{mode}_{key}.npy"
    if cache.exists():
        return np.load(cache)
    started = time.perf_counter()
    out: list[np.ndarray] = []
    for i in range(0, len(texts), 64):
        batch = texts[i:i + 64]
        rows = embedder.embed_query(batch) if mode == "query" else embedder(batch)
        out.append(np.asarray(rows, dtype=np.float32))
        log(f"  embed {mode}: {min(i + 64, len(texts))}/{len(texts)} "
            f"({time.perf_counter() - started:.0f}s)")
    vectors = np.vstack(out) if out else np.zeros((0, 384), dtype=np.float32)
    np.save(cache, vectors)
    return vectors


def regex_sentence_features(texts: list[str], langs: list[str]) -> np.ndarray:
    """The regex checker run on each sentence alone: its 5 step flags and 9 anti-pattern hits."""
    feats = np.zeros((len(texts), len(RX_NAMES)), dtype=np.float32)
    for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        try:
            report = check(text, language=lang, embeddings=False)
        except ComposerError:
            continue
        found = {f.name for f in report.anti_patterns}
        for j, name in enumerate(RX_NAMES):
            feats[i, j] = float(report.steps[name].passed) if name in STEPS else name in found
    return feats


# --- model selection and CV --------------------------------------------------------------------


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fit(x: np.ndarray, y: np.ndarray, c: float, balanced: bool) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    return model.fit(x, y)


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best = (-1.0, 0.5)
    for t in THRESHOLDS:
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        denom = float(np.sum(pred) + np.sum(y))
        f1 = 2 * tp / denom if denom else 0.0
        if f1 > best[0]:
            best = (f1, float(t))
    return best


def select(x: np.ndarray, y: np.ndarray, groups: np.ndarray, grid: tuple[float, ...],
           balanced: bool, folds: int) -> list[tuple[float, float, float]]:
    """Per label (C, threshold, F1) maximising pooled out-of-fold F1 over grouped folds."""
    oof = np.zeros((len(grid), *y.shape))
    for tr, te in GroupKFold(n_splits=folds).split(x, groups=groups):
        for ci, c in enumerate(grid):
            for j in range(y.shape[1]):
                if y[tr, j].min() == y[tr, j].max():
                    oof[ci, te, j] = y[tr, j][0]
                    continue
                oof[ci, te, j] = fit(x[tr], y[tr, j], c, balanced).predict_proba(x[te])[:, 1]
    chosen: list[tuple[float, float, float]] = []
    for j in range(y.shape[1]):
        scores = [(best_f1_threshold(y[:, j], oof[ci, :, j]), c) for ci, c in enumerate(grid)]
        (f1, thr), c = max(scores, key=lambda s: (s[0][0], -s[1]))
        chosen.append((c, thr, f1))
    return chosen


def nested_cv(x: np.ndarray, y: np.ndarray, outer: list[tuple[np.ndarray, np.ndarray]],
              inner_groups: np.ndarray, grid: tuple[float, ...], balanced: bool
              ) -> tuple[np.ndarray, np.ndarray, list[list[tuple[float, float, float]]]]:
    """Out-of-fold probabilities and 0/1 predictions; C and threshold chosen inside each fold."""
    prob = np.zeros(y.shape)
    pred = np.zeros(y.shape, dtype=int)
    settings = []
    for tr, te in outer:
        chosen = select(x[tr], y[tr], inner_groups[tr], grid, balanced, folds=3)
        settings.append(chosen)
        for j, (c, thr, _) in enumerate(chosen):
            prob[te, j] = fit(x[tr], y[tr, j], c, balanced).predict_proba(x[te])[:, 1]
            pred[te, j] = prob[te, j] >= thr
    return prob, pred, settings


def prf(y: np.ndarray, p: np.ndarray) -> dict[str, float | int | None]:
    tp = int(np.sum((p == 1) & (y == 1)))
    fp = int(np.sum((p == 1) & (y == 0)))
    fn = int(np.sum((p == 0) & (y == 1)))
    prec = tp / (tp + fp) if tp + fp else None
    rec = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"p": prec, "r": rec, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def label_table(y: np.ndarray, pred: np.ndarray, langs: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for j, name in enumerate(LABELS):
        row: dict[str, Any] = {"all": prf(y[:, j], pred[:, j])}
        for lang in sorted(set(langs)):
            m = langs == lang
            row[lang] = prf(y[m, j], pred[m, j])
        out[name] = row
    return out


def mean_f1(table: dict[str, Any], names: tuple[str, ...], key: str = "all") -> float:
    return float(np.mean([table[n][key]["f1"] or 0.0 for n in names]))


def doc_level(y: np.ndarray, pred: np.ndarray, docs: np.ndarray, langs: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Any-sentence aggregation to documents."""
    ids = sorted(set(docs))
    yd = np.array([y[docs == d].max(axis=0) for d in ids])
    pd_ = np.array([pred[docs == d].max(axis=0) for d in ids])
    ld = np.array([langs[docs == d][0] for d in ids])
    return yd, pd_, ld


# --- blind scoring -----------------------------------------------------------------------------


def overlaps(sentence: str, evidence: str) -> bool:
    a, b = (t.strip().rstrip("…").removesuffix("...").strip() for t in (sentence, evidence))
    return bool(a) and bool(b) and (a in b or b in a)


@dataclass
class DocPrediction:
    steps: dict[str, bool]
    anti: set[str]
    verdict: str
    flagged: list[tuple[str, set[str]]]  # sentence, anti labels (for evidence matching)


def rule_verdict(steps: dict[str, bool], anti: set[str]) -> str:
    return "needs_changes" if anti or not all(steps.values()) else "ready"


def score_blind(cases: list[BlindCase], preds: list[DocPrediction]) -> dict[str, Any]:
    """Verdict/step agreement and anti-pattern P/R on apology-due cases; trivial ones apart."""
    langs = sorted({c.lang for c in cases})
    due = [(c, p) for c, p in zip(cases, preds, strict=True) if c.verdict != "no_apology_due"]
    trivial = [(c, p) for c, p in zip(cases, preds, strict=True) if c.verdict == "no_apology_due"]

    def block(pairs: list[tuple[BlindCase, DocPrediction]]) -> dict[str, Any]:
        n = len(pairs)
        res: dict[str, Any] = {"n": n}
        res["verdict"] = sum(p.verdict == c.verdict for c, p in pairs) / n
        res["steps"] = {s: sum(p.steps[s] == c.steps[s] for c, p in pairs) / n for s in STEPS}
        ye = np.array([[int(a in c.anti) for a in ANTIS] for c, _ in pairs])
        yp = np.array([[int(a in p.anti) for a in ANTIS] for _, p in pairs])
        res["anti_micro"] = prf(ye.ravel(), yp.ravel())
        res["anti"] = {a: prf(ye[:, j], yp[:, j]) for j, a in enumerate(ANTIS)}
        hits = total = 0
        for c, p in pairs:
            for ev_text, ev_anti in c.evidence:
                for a in ev_anti:
                    total += 1
                    hits += any(a in labs and overlaps(s, ev_text) for s, labs in p.flagged)
        res["evidence_hit"] = hits / total if total else None
        return res

    out: dict[str, Any] = {"all": block(due)}
    for lang in langs:
        out[lang] = block([(c, p) for c, p in due if c.lang == lang])
    out["trivial"] = [
        {"id": c.id, "verdict": p.verdict, "anti": sorted(p.anti),
         "steps_found": sum(p.steps.values())} for c, p in trivial
    ]
    out["errors"] = [
        {"id": c.id, "expected": c.verdict, "got": p.verdict,
         "missed": sorted(c.anti - p.anti), "extra": sorted(p.anti - c.anti),
         "steps_wrong": [s for s in STEPS if p.steps[s] != c.steps[s]]}
        for c, p in due if p.verdict != c.verdict or c.anti != p.anti
    ]
    return out


def regex_doc_predictions(cases: list[BlindCase]) -> list[DocPrediction]:
    preds = []
    for case in cases:
        report = check(case.text, case.incident)
        steps = {s: report.steps[s].passed for s in STEPS}
        anti = {f.name for f in report.anti_patterns}
        flagged = [(ev, {f.name}) for f in report.anti_patterns for ev in f.evidence]
        preds.append(DocPrediction(steps, anti, report.verdict, flagged))
    return preds


# --- variants ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    name: str
    parts: tuple[str, ...]  # "q" | "p" | "qdoc" | "rx"
    balanced: bool = False


VARIANTS: tuple[Variant, ...] = (
    Variant("query", ("q",)),
    Variant("passage", ("p",)),
    Variant("query+balanced", ("q",), balanced=True),
    Variant("query+doc", ("q", "qdoc")),
    Variant("query+regex", ("q", "rx")),
    Variant("query+doc+regex", ("q", "qdoc", "rx")),
)


def build(parts: tuple[str, ...], feats: dict[str, np.ndarray]) -> np.ndarray:
    return np.hstack([feats[p] for p in parts]).astype(np.float64)


def fmt(v: float | None) -> str:
    return "  - " if v is None else f"{v:.2f}"


def main() -> None:  # noqa: C901 - a linear report script
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="write all figures to this file")
    ap.add_argument("--fast", action="store_true", help="only the first two variants")
    args = ap.parse_args()
    t0 = time.perf_counter()

    bank = load_bank()
    cases = load_blind()
    embedder = E5Embedder()
    langs = sorted(set(bank.langs))
    doc_ids = list(bank.doc_text)
    log(f"bank: {len(bank.texts)} sentences, {len(doc_ids)} documents; blind: {len(cases)}")

    feats = {
        "q": embed(bank.texts, "query", embedder),
        "p": embed(bank.texts, "passage", embedder),
    }
    doc_vec = embed([bank.doc_text[d] for d in doc_ids], "query", embedder)
    doc_index = {d: i for i, d in enumerate(doc_ids)}
    feats["qdoc"] = doc_vec[[doc_index[d] for d in bank.docs]]
    feats["rx"] = regex_sentence_features(bank.texts, list(bank.langs))
    log(f"features ready ({time.perf_counter() - t0:.0f}s)")
    # Many small fits: multi-threaded BLAS only adds contention on two shared cores.
    threadpool_limits(limits=1)

    y = bank.y
    outer = list(GroupKFold(n_splits=5).split(y, groups=bank.docs))
    result: dict[str, Any] = {"bank": {
        "sentences": len(bank.texts), "documents": len(doc_ids),
        "per_language": {lang: int(np.sum(bank.langs == lang)) for lang in langs},
        "positives": {n: int(y[:, j].sum()) for j, n in enumerate(LABELS)},
        "hard_negatives": int(bank.hard_neg.sum()),
    }}

    # Regex checker per sentence, as a sentence-level baseline on the bank (no training).
    rx_pred = np.zeros_like(y)
    for j, name in enumerate(LABELS):
        if name in RX_NAMES:
            rx_pred[:, j] = feats["rx"][:, RX_NAMES.index(name)].astype(int)
    rx_table = label_table(y, rx_pred, bank.langs)
    result["regex_sentence_bank"] = rx_table

    # 1. Variants by grouped CV (nested: C and threshold chosen inside each training fold).
    variants = VARIANTS[:2] if args.fast else VARIANTS
    cv: dict[str, Any] = {}
    oof: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for v in variants:
        started = time.perf_counter()
        x = build(v.parts, feats)
        prob, pred, settings = nested_cv(x, y, outer, bank.docs, C_GRID, v.balanced)
        table = label_table(y, pred, bank.langs)
        cv[v.name] = {
            "table": table, "steps_f1": mean_f1(table, STEPS), "anti_f1": mean_f1(table, ANTIS),
            "all_f1": mean_f1(table, LABELS),
            "chosen_C": {n: [s[j][0] for s in settings] for j, n in enumerate(LABELS)},
        }
        oof[v.name] = (prob, pred)
        log(f"grouped CV {v.name}: steps F1 {cv[v.name]['steps_f1']:.3f} anti F1 "
            f"{cv[v.name]['anti_f1']:.3f} ({time.perf_counter() - started:.0f}s)")
    best = max(variants, key=lambda v: cv[v.name]["all_f1"])
    base = variants[0]
    result["grouped_cv"] = cv
    result["chosen_variant"] = best.name
    log(f"chosen by grouped CV: {best.name}")

    # Hard negatives: share flagged with an anti-pattern they are not labelled with.
    anti_idx = [LABELS.index(a) for a in ANTIS]

    def hn_fp(pred: np.ndarray) -> float:
        m = bank.hard_neg
        extra = (pred[m][:, anti_idx] == 1) & (y[m][:, anti_idx] == 0)
        return float(extra.any(axis=1).mean())

    result["hard_negative_fp"] = {
        **{v.name: hn_fp(oof[v.name][1]) for v in variants}, "regex": hn_fp(rx_pred)
    }

    # Per-label choice between model, regex and their union, by grouped-CV F1 on the bank.
    best_pred = oof[best.name][1]
    hybrid_source: dict[str, str] = {}
    for j, name in enumerate(LABELS):
        options = {"model": best_pred[:, j]}
        if name in RX_NAMES:
            options["regex"] = rx_pred[:, j]
            options["union"] = best_pred[:, j] | rx_pred[:, j]
        hybrid_source[name] = max(options, key=lambda k: (prf(y[:, j], options[k])["f1"] or 0.0,
                                                          k == "model"))
    hyb_pred = np.column_stack([
        {"model": best_pred[:, j], "regex": rx_pred[:, j],
         "union": best_pred[:, j] | rx_pred[:, j]}[hybrid_source[n]]
        for j, n in enumerate(LABELS)
    ])
    result["hybrid_source"] = hybrid_source
    result["hybrid_cv"] = label_table(y, hyb_pred, bank.langs)

    # Document-level view of the bank (any-sentence aggregation of OOF predictions).
    yd, pdd, ld = doc_level(y, best_pred, bank.docs, bank.langs)
    result["bank_doc_level"] = label_table(yd, pdd, ld)

    # 2. Leave one language out (base and chosen variant).
    lolo_outer = [(np.where(bank.langs != lang)[0], np.where(bank.langs == lang)[0])
                  for lang in langs]
    lolo: dict[str, Any] = {}
    for v in dict.fromkeys([base, best], None):
        started = time.perf_counter()
        _, pred, _ = nested_cv(build(v.parts, feats), y, lolo_outer, bank.docs, C_GRID,
                               v.balanced)
        lolo[v.name] = label_table(y, pred, bank.langs)
        log(f"LOLO {v.name} ({time.perf_counter() - started:.0f}s)")
    result["lolo"] = lolo

    # 3. Final models on the whole bank: C and threshold per label from grouped 5-fold CV.
    blind_sent = [s for c in cases for s in c.sentences]
    blind_lang = [c.lang for c in cases for _ in c.sentences]
    needed = {p for v in (base, best) for p in v.parts}
    blind_feats: dict[str, np.ndarray] = {
        "q": embed(blind_sent, "query", embedder),
        "rx": regex_sentence_features(blind_sent, blind_lang),
    }
    if "p" in needed:
        blind_feats["p"] = embed(blind_sent, "passage", embedder)
    if "qdoc" in needed:
        bdoc = embed([c.text for c in cases], "query", embedder)
        blind_feats["qdoc"] = np.vstack([np.repeat(bdoc[i:i + 1], len(c.sentences), axis=0)
                                         for i, c in enumerate(cases)])
    owner = np.concatenate([np.full(len(c.sentences), i) for i, c in enumerate(cases)])

    def final_predict(v: Variant) -> tuple[np.ndarray, list[tuple[float, float, float]]]:
        x = build(v.parts, feats)
        chosen = select(x, y, bank.docs, C_GRID, v.balanced, folds=5)
        xb = build(v.parts, blind_feats)
        out = np.zeros((len(blind_sent), len(LABELS)), dtype=int)
        for j, (c, thr, _) in enumerate(chosen):
            out[:, j] = fit(x, y[:, j], c, v.balanced).predict_proba(xb)[:, 1] >= thr
        return out, chosen

    def to_docs(sent_pred: np.ndarray) -> list[DocPrediction]:
        preds = []
        for i, case in enumerate(cases):
            rows = sent_pred[owner == i]
            has = rows.max(axis=0) if len(rows) else np.zeros(len(LABELS), dtype=int)
            steps = {s: bool(has[LABELS.index(s)]) for s in STEPS}
            anti = {a for a in ANTIS if has[LABELS.index(a)]}
            flagged = [(s, {a for a in ANTIS if r[LABELS.index(a)]})
                       for s, r in zip(case.sentences, rows, strict=True)]
            preds.append(DocPrediction(steps, anti, rule_verdict(steps, anti), flagged))
        return preds

    blind: dict[str, Any] = {}
    configs: dict[str, Callable[[], list[DocPrediction]]] = {}
    final_settings: dict[str, Any] = {}
    for v in dict.fromkeys([base, best], None):
        def run(v: Variant = v) -> list[DocPrediction]:
            pred, chosen = final_predict(v)
            final_settings[v.name] = {n: {"C": c, "threshold": t, "cv_f1": f}
                                      for n, (c, t, f) in zip(LABELS, chosen, strict=True)}
            return to_docs(pred)
        configs[f"model:{v.name}"] = run

    regex_docs = regex_doc_predictions(cases)
    configs["regex checker"] = lambda: regex_docs

    def hybrid() -> list[DocPrediction]:
        model_docs = blind_cache[f"model:{best.name}"]
        out = []
        for m, r in zip(model_docs, regex_docs, strict=True):
            def pick(name: str, mv: bool, rv: bool) -> bool:
                src = hybrid_source[name]
                return mv if src == "model" else rv if src == "regex" else (mv or rv)
            steps = {s: pick(s, m.steps[s], r.steps[s]) for s in STEPS}
            anti = {a for a in ANTIS if pick(a, a in m.anti, a in r.anti)}
            flagged = [(s, {a for a in labs if hybrid_source[a] != "regex"})
                       for s, labs in m.flagged]
            flagged += [(s, {a for a in labs if hybrid_source.get(a) != "model"})
                        for s, labs in r.flagged]
            out.append(DocPrediction(steps, anti, rule_verdict(steps, anti), flagged))
        return out

    configs["hybrid (per-label source by CV)"] = hybrid
    blind_cache: dict[str, list[DocPrediction]] = {}
    for name, make in configs.items():
        blind_cache[name] = make()
        blind[name] = score_blind(cases, blind_cache[name])
        log(f"blind scored: {name}")
    result["blind"] = blind
    result["final_settings"] = final_settings
    result["elapsed_s"] = time.perf_counter() - t0
    result["loss_notes"] = LOSS_NOTES

    print(render(result, langs, [v.name for v in variants], best.name, base.name))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
        log(f"wrote {args.json}")


def render(r: dict[str, Any], langs: list[str], variants: list[str], best: str, base: str
           ) -> str:
    out: list[str] = ["# Checker probe: e5 embeddings + logistic regression", ""]
    b = r["bank"]
    out.append(f"Bank: {b['sentences']} sentences, {b['documents']} documents "
               f"({', '.join(f'{k} {v}' for k, v in b['per_language'].items())}); "
               f"{b['hard_negatives']} hard negatives. Elapsed {r['elapsed_s']:.0f}s.")
    out += ["", "## Variants, grouped 5-fold CV by document (mean F1, nested C + threshold)", "",
            "| variant | steps F1 | anti F1 | all F1 | HN flagged |", "|---|---|---|---|---|"]
    for v in variants:
        c = r["grouped_cv"][v]
        out.append(f"| {v}{' (chosen)' if v == best else ''} | {c['steps_f1']:.3f} | "
                   f"{c['anti_f1']:.3f} | {c['all_f1']:.3f} | {r['hard_negative_fp'][v]:.2f} |")
    rx = r["regex_sentence_bank"]
    out.append(f"| regex checker per sentence | {mean_f1(rx, STEPS):.3f} | "
               f"{mean_f1(rx, ANTIS):.3f} | {mean_f1(rx, LABELS):.3f} | "
               f"{r['hard_negative_fp']['regex']:.2f} |")
    t = r["grouped_cv"][best]["table"]
    lolo = r["lolo"][best]
    out += ["", f"## Per label, {best}: grouped CV P/R/F1, F1 per language; LOLO F1; regex F1",
            "", "| label | n | P | R | F1 | " + " | ".join(langs)
            + " | LOLO | regex | hybrid src |",
            "|---" * (7 + len(langs)) + "|"]
    for n in LABELS:
        a = t[n]["all"]
        per = " | ".join(fmt(t[n][lg]["f1"]) for lg in langs)
        rxf = fmt(rx[n]["all"]["f1"]) if n in RX_NAMES else "n/a"
        out.append(f"| {n} | {b['positives'][n]} | {fmt(a['p'])} | {fmt(a['r'])} | "
                   f"{fmt(a['f1'])} | {per} | {fmt(lolo[n]['all']['f1'])} | {rxf} | "
                   f"{r['hybrid_source'][n]} |")
    out += ["", "LOLO per held-out language (mean F1 steps / anti): " + ", ".join(
        f"{lg} {mean_f1(lolo, STEPS, lg):.2f}/{mean_f1(lolo, ANTIS, lg):.2f}" for lg in langs)]
    if base in r["lolo"] and base != best:
        bl = r["lolo"][base]
        out.append(f"LOLO {base}: " + ", ".join(
            f"{lg} {mean_f1(bl, STEPS, lg):.2f}/{mean_f1(bl, ANTIS, lg):.2f}" for lg in langs))
    d = r["bank_doc_level"]
    out += ["", "Bank at document level (OOF, any sentence): anti F1 " + ", ".join(
        f"{a} {fmt(d[a]['all']['f1'])}" for a in ANTIS)]
    out += ["", "## Blind set (check_blind5), document level, apology-due cases "
            "(65; trivial apart)", ""]
    head = "| config | lang | verdict | " + " | ".join(STEPS) + " | anti P | anti R | evid |"
    out += [head, "|---" * (7 + len(STEPS)) + "|"]
    for name, res in r["blind"].items():
        for lg in ["all", *[k for k in res if k not in ("all", "trivial", "errors")]]:
            s = res[lg]
            out.append(f"| {name} | {lg} | {s['verdict']:.2f} | "
                       + " | ".join(f"{s['steps'][x]:.2f}" for x in STEPS)
                       + f" | {fmt(s['anti_micro']['p'])} | {fmt(s['anti_micro']['r'])} | "
                       f"{fmt(s['evidence_hit'])} |")
    out += ["", "Blind anti-pattern P/R per label (all languages):", "",
            "| label | " + " | ".join(r["blind"]) + " |", "|---" * (1 + len(r["blind"])) + "|"]
    for a in ANTIS:
        cells = []
        for res in r["blind"].values():
            m = res["all"]["anti"][a]
            cells.append(f"{fmt(m['p'])}/{fmt(m['r'])} ({m['tp']}+{m['fn']})")
        out.append(f"| {a} | " + " | ".join(cells) + " |")
    if r.get("loss_notes"):
        out += ["", "Blind incidents: " + "; ".join(r["loss_notes"])]
    out += ["", "Trivial (no_apology_due) cases:"]
    for name, res in r["blind"].items():
        out.append(f"- {name}: " + "; ".join(
            f"{t['id'][-5:]} {t['verdict']} anti={t['anti']}" for t in res["trivial"]))
    return "\n".join(out)


if __name__ == "__main__":
    main()
