"""Who should decide the category when a phrase rule and the learned model disagree, measured on
out-of-fold predictions (never the blind set): each corpus incident is predicted by a category
head fitted without its writing style, each eval case by one fitted without its file (the
shipped settings), then the pipeline's phrase rules read the same text.

    python scripts/arbitration.py            # the tables in docs/triage_model.md
    python scripts/arbitration.py --json     # the same figures, one JSON document

Rows are grouped as the corpus's first incidents (the phrase tables were written from many of
them), the ones added later (`--since`, the commit that added them: the tables were never tuned
on them) and the eval cases (tuned on). Needs the `train` extra (scipy); about a minute.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composer.evals import train_triage as tt  # noqa: E402
from composer.evals.triage_corpus import load_cases, load_corpus  # noqa: E402
from composer.language import ngrams  # noqa: E402
from composer.understand import triage as tr  # noqa: E402
from composer.understand.classifier import TriageModel  # noqa: E402

FIRST_CORPUS = "355ce5c"  # the commit whose corpus is "the first incidents"
WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5)


def first_ids(revision: str) -> set[str]:
    """The corpus ids present at `revision` (from git; empty when history is missing)."""
    ids: set[str] = set()
    for path in sorted((ROOT / "evals" / "incidents").glob("*.yaml")):
        shown = subprocess.run(["git", "-C", str(ROOT), "show",
                                f"{revision}:evals/incidents/{path.name}"],
                               capture_output=True, text=True)
        ids |= {line.split("id:", 1)[1].strip() for line in shown.stdout.splitlines()
                if line.startswith("- id:")}
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--since", default=FIRST_CORPUS)
    args = parser.parse_args()

    corpus, cases = load_corpus(), load_cases()
    items = [*corpus, *cases]
    first = first_ids(args.since)
    if not first:
        print(f"error: cannot read the corpus at {args.since} (is this a git clone with history?)",
              file=sys.stderr)
        return 2
    group = ["first" if it.id in first else "added" for it in corpus] + ["cases"] * len(cases)
    vectors = np.concatenate([tt.embed_texts([it.text for it in corpus]),
                              tt.embed_texts([it.text for it in cases])])
    idf = ngrams.document_frequency_idf([it.text.strip() for it in items])
    x = tt.Features.of(vectors, [it.text for it in items], idf)
    is_corpus = np.arange(len(items)) < len(corpus)
    folds = tt.folds_by(items, "style", is_corpus) + tt.folds_by(items, "group", ~is_corpus)
    shipped = TriageModel.load().meta["heads"]["category"]
    cfg = tt.HeadConfig(shipped["C"], shipped["class_weight"] == "balanced", 0.0,
                        shipped["ngram_scale"])
    proba = tt.oof_proba(x, items, "category", cfg, folds)
    classes = list(tr.CATEGORIES)

    rules = [rule.decides if (rule := tr.phrase_rule(it.text)) else None for it in items]

    def decide(weight: float | None) -> list[str]:
        """The category each row gets: the rule plus `weight` against the model (None: the old
        rule, which stood unless the model had p >= 0.5 and gave it p <= 0.05)."""
        out = []
        for p, rule in zip(proba, rules, strict=True):
            model = classes[int(np.argmax(p))]
            if rule is None:
                out.append(model)
            elif weight is None:
                out.append(model if p.max() >= 0.5 and p[classes.index(rule)] <= 0.05 else rule)
            else:
                wins = tr.outweighs(dict(zip(classes, p, strict=True)), model, rule, weight)
                out.append(model if wins else rule)
        return out

    def accuracy(pred: list[str | None], name: str, only_fired: bool = False) -> float:
        ok = [p in it.categories for p, it, g, r in zip(pred, items, group, rules, strict=True)
              if g == name and (r is not None or not only_fired)]
        return round(float(np.mean(ok)), 3) if ok else float("nan")

    names = ("first", "added", "cases")
    model_only = decide(0.0)
    report = {
        "rows": {n: group.count(n) for n in names},
        "where_a_rule_fires": {n: {"rows": sum(1 for g, r in zip(group, rules, strict=True)
                                               if g == n and r is not None),
                                   "rule": accuracy(rules, n, True),
                                   "model": accuracy(model_only, n, True)} for n in names},
        "policies": {},
    }
    for label, weight in [("old rule (p>=0.5, rule p<=0.05)", None), *[
            (f"rule +{w:.2f}" if w else "model alone", w) for w in WEIGHTS]]:
        pred = decide(weight)
        row = {n: accuracy(pred, n) for n in names}
        row["mean"] = round(float(np.mean([row[n] for n in names])), 4)
        report["policies"][label] = row
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print("where a rule fires: rows / rule right / model right (out of fold)")
    for n, r in report["where_a_rule_fires"].items():
        print(f"  {n:6s} {r['rows']:4d} {r['rule']:.3f} {r['model']:.3f}")
    print(f"\n{'who decides':34s} " + " ".join(f"{n:>6s}" for n in (*names, "mean")))
    for label, row in report["policies"].items():
        print(f"{label:34s} " + " ".join(f"{row[n]:6.3f}" for n in (*names, "mean")))
    print(f"\nshipped: rule +{tr.RULE_WEIGHT:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
