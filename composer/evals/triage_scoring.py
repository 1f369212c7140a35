"""How a triage prediction is scored against its labels: the guardrail variants, one row of
agreements per item, and the per-group tables the trainer writes into the model's description
(and prints). Shared by every set the trainer scores: cross-validated, eval cases, blind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from composer.evals.triage_corpus import CLASSES, SEVERITIES, Item
from composer.understand.classifier import Prediction, guardrails

MONEY_CATEGORIES = ("wrong_payment", "billing_error")
EXPOSED_CATEGORIES = ("security_breach", "wrong_recipient")


def predictions(probs: Mapping[str, np.ndarray], rows: np.ndarray,
                decision: Mapping[str, Any]) -> list[Prediction]:
    """The runtime's predictions (classifier.predictions_from_proba) for the selected rows."""
    from composer.understand.classifier import predictions_from_proba

    return predictions_from_proba({h: p[rows] for h, p in probs.items()},
                                  {h: CLASSES[h] for h in probs}, decision)


def signals(item: Item, pred: Prediction, source: str) -> dict[str, bool]:
    """The booleans the guardrails take. `model`: what this model's own category implies plus
    the facts the lead gave (a money `loss`); `gold`: from the labelled category (an upper bound:
    a reading that never misses money lost or data exposed)."""
    category = item.categories[0] if source == "gold" else pred.category
    return {"money_lost": category in MONEY_CATEGORIES or item.money_fact,
            "data_exposed": category in EXPOSED_CATEGORIES}


VARIANTS = {"model": None, "guarded": "model", "guarded_gold": "gold"}


def apply_variant(items: Sequence[Item], preds: Sequence[Prediction], variant: str
                  ) -> list[Prediction]:
    source = VARIANTS[variant]
    if source is None:
        return list(preds)
    return [guardrails(p, **signals(it, p, source)) for it, p in zip(items, preds, strict=True)]


def score_rows(items: Sequence[Item], preds: Sequence[Prediction]) -> list[dict[str, Any]]:
    rows = []
    for it, p in zip(items, preds, strict=True):
        sev = SEVERITIES.index(p.severity)
        lo, hi = it.band
        stage = p.stage
        if it.channel in ("proactive", "newsletter") and stage is not None:
            stage_rule = "proactive"  # triage.stage_of decides from the channel first
        else:
            stage_rule = stage
        rows.append({
            "category": p.category in it.categories,
            "sev_band": lo <= sev <= hi,
            "sev_within1": lo - 1 <= sev <= hi + 1,
            "apologize": p.apologize == it.apologize,
            "missed_apology": it.apologize and not p.apologize,
            "unneeded_apology": p.apologize and not it.apologize,
            "triage": p.category in it.categories and lo <= sev <= hi
            and p.apologize == it.apologize,
            "stage": None if it.stage is None or stage is None else stage == it.stage,
            "stage_rule": None if it.stage is None or stage is None else stage_rule == it.stage,
            "scope": None if it.scope is None or p.scope is None else p.scope == it.scope,
        })
    return rows


COUNTS = ("missed_apology", "unneeded_apology")
RATES = ("category", "sev_band", "sev_within1", "apologize", "triage", "stage", "stage_rule",
         "scope")


def table(items: Sequence[Item], rows: Sequence[Mapping[str, Any]], by: str) -> list[dict]:
    """Rates per value of `by` (an Item attribute) and over ALL; counts for the two apology
    errors. Rates of labels an item lacks (stage, scope) are over the items that have them."""
    groups = [*sorted({getattr(it, by) for it in items}), "ALL"]
    out = []
    for g in groups:
        sel = [r for it, r in zip(items, rows, strict=True) if g in ("ALL", getattr(it, by))]
        row: dict[str, Any] = {"group": g, "n": len(sel)}
        for key in RATES:
            vals = [r[key] for r in sel if r[key] is not None]
            if vals:
                row[key] = round(float(np.mean(vals)), 4)
        for key in COUNTS:
            row[key] = int(sum(r[key] for r in sel))
        out.append(row)
    return out


def regex_triage(items: Sequence[Item]) -> list[Prediction]:
    """Today's rule triage on the text alone (the phrase rules and the facts read from it, no
    model), as Predictions, for comparison."""
    from composer.understand.incident import Incident
    from composer.understand.reading import understand

    out = []
    for it in items:
        t = understand(Incident(it.text)).triage
        out.append(Prediction(t.category, 1.0, t.severity, 1.0, t.should_apologize, {}, {},
                              stage=t.stage, stage_p=1.0))
    return out
