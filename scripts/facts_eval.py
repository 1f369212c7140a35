"""How many of the facts typed in an incident `read_facts` finds: recall and precision of fact
spans per kind and per language on the labelled corpus (`evals/incidents`), then recall on the
blind set (`evals/understand_blind`), the figure the issue's target (>= 0.95 of the stated facts
reach the email) is read on.

    python scripts/facts_eval.py                 # both sets, a table
    python scripts/facts_eval.py --json          # both sets, one JSON document
    python scripts/facts_eval.py --set incidents --show cause   # misses and false alarms

On the corpus a predicted span matches a labelled one when they overlap and have the same kind
(`money` is the corpus's `amount`); "any kind" counts a labelled fact as found when any
predicted span overlaps it. Scope and recurrence are labels of the whole incident there, so they
are scored as values. On the blind set a fact (a string) is found when a predicted span covers it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composer.understand.facts import Fact, read_facts  # noqa: E402

LANGS = ("en", "it", "es", "ru", "zh", "de")
CORPUS_KIND = {"money": "amount"}  # the reader's kind -> the corpus's
VALUE_KINDS = ("scope", "recurrence")
TODAY = date(2026, 6, 15)  # fixed, so values do not change with the day the script runs


def _load(folder: str) -> dict[str, list[dict[str, Any]]]:
    return {lang: yaml.safe_load((ROOT / "evals" / folder / f"{lang}.yaml").read_text("utf-8"))
            for lang in LANGS if (ROOT / "evals" / folder / f"{lang}.yaml").exists()}


def _spans(text: str, facts: list[dict[str, str]]) -> list[tuple[str, int, int]]:
    """Labelled facts as (kind, start, end), each at its first occurrence after the last."""
    spans, seen = [], defaultdict(int)
    for fact in facts:
        start = text.find(fact["text"], seen[fact["text"]])
        if start < 0:
            start = text.find(fact["text"])
        seen[fact["text"]] = start + 1
        spans.append((fact["kind"], start, start + len(fact["text"])))
    return spans


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Tally:
    """Counts per (language, kind): labelled, found, predicted, predicted right."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add(self, lang: str, kind: str, i: int, n: int = 1) -> None:
        self.counts[(lang, kind)][i] += n

    def figures(self, langs: tuple[str, ...], kind: str | None) -> dict[str, Any]:
        total = [0, 0, 0, 0]
        for (lang, k), c in self.counts.items():
            if lang in langs and (kind is None or k == kind):
                total = [a + b for a, b in zip(total, c, strict=True)]
        return {"labelled": total[0], "recall": _ratio(total[1], total[0]),
                "predicted": total[2], "precision": _ratio(total[3], total[2])}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def score_incidents(show: str | None) -> dict[str, Any]:
    """Span recall and precision per kind and language; scope and recurrence as values."""
    spans, any_kind, values = Tally(), Tally(), Tally()
    seconds, count = 0.0, 0
    for lang, incidents in _load("incidents").items():
        for incident in incidents:
            text = incident["text"]
            started = time.perf_counter()
            facts = read_facts(text, lang, today=TODAY)
            seconds, count = seconds + time.perf_counter() - started, count + 1
            gold = _spans(text, incident.get("facts") or [])
            _score_spans(lang, incident, facts, gold, spans, any_kind, show)
            _score_values(lang, incident, facts, values, show)
    kinds = sorted({k for (_, k) in spans.counts})
    return {
        "per_kind": {k: {lang: spans.figures((lang,), k) for lang in LANGS}
                     | {"all": spans.figures(LANGS, k)} for k in kinds},
        "per_language": {lang: spans.figures((lang,), None) for lang in LANGS},
        "all": spans.figures(LANGS, None),
        "recall_any_kind": {lang: any_kind.figures((lang,), None)["recall"] for lang in LANGS}
        | {"all": any_kind.figures(LANGS, None)["recall"]},
        "values": {k: {lang: values.figures((lang,), k) for lang in LANGS}
                   | {"all": values.figures(LANGS, k)} for k in VALUE_KINDS},
        "ms_per_incident": round(1000 * seconds / max(count, 1), 2),
    }


def _score_spans(lang: str, incident: dict[str, Any], facts: list[Fact],
                 gold: list[tuple[str, int, int]], spans: Tally, any_kind: Tally,
                 show: str | None) -> None:
    predicted = [(CORPUS_KIND.get(f.kind, f.kind), f.start, f.end) for f in facts
                 if f.kind not in VALUE_KINDS]
    for kind, start, end in gold:
        hit = any(k == kind and _overlap((s, e), (start, end)) for k, s, e in predicted)
        spans.add(lang, kind, 0)
        spans.add(lang, kind, 1, hit)
        any_kind.add(lang, kind, 0)
        any_kind.add(lang, kind, 1, any(_overlap((s, e), (start, end)) for _, s, e in predicted))
        if show == kind and not hit:
            print(f"MISS  {incident['id']}: {incident['text'][start:end]!r}")
    for kind, start, end in predicted:
        right = any(k == kind and _overlap((s, e), (start, end)) for k, s, e in gold)
        spans.add(lang, kind, 2)
        spans.add(lang, kind, 3, right)
        if show == kind and not right:
            print(f"FALSE {incident['id']}: {incident['text'][start:end]!r}")


def _score_values(lang: str, incident: dict[str, Any], facts: list[Fact], values: Tally,
                  show: str | None) -> None:
    """Recurrence: the nth time read is the label (times before) + 1. Scope: the widest scope
    read is the label; "one" is what no phrase means."""
    nth = [f.value for f in facts if f.kind == "recurrence" and isinstance(f.value, int)]
    label = incident.get("recurrence", 0)
    _value_tally(values, lang, "recurrence", label > 0, bool(nth),
                 bool(nth) and max(nth) - 1 == label)
    if show == "recurrence" and (bool(nth) != (label > 0) or (nth and max(nth) - 1 != label)):
        print(f"{incident['id']}: label {label}, read {nth}: {incident['text'][:160]!r}")
    order = ["one", "some", "all", "global"]
    read = [f.value for f in facts if f.kind == "scope"]
    widest = max(read, key=order.index) if read else None
    labelled = incident.get("scope", "one")
    _value_tally(values, lang, "scope", labelled != "one", widest is not None,
                 widest == labelled)
    if show == "scope" and (widest or "one") != labelled:
        print(f"{incident['id']}: label {labelled}, read {read}: {incident['text'][:160]!r}")


def _value_tally(values: Tally, lang: str, kind: str, labelled: bool, predicted: bool,
                 right: bool) -> None:
    values.add(lang, kind, 0, labelled)
    values.add(lang, kind, 1, labelled and right)
    values.add(lang, kind, 2, predicted)
    values.add(lang, kind, 3, predicted and right)


def score_blind() -> dict[str, Any]:
    """Recall of `expect.facts` (strings) on the blind set: covered by one predicted span."""
    per: dict[str, list[int]] = {}
    for lang, items in _load("understand_blind").items():
        found = total = 0
        for item in items:
            text = item["incident"]["text"]
            facts = read_facts(text, item.get("expect", {}).get("language", lang), today=TODAY)
            for expected in item.get("expect", {}).get("facts") or []:
                total += 1
                found += any(_covered(text, expected, f) for f in facts)
        per[lang] = [found, total]
    found = sum(v[0] for v in per.values())
    total = sum(v[1] for v in per.values())
    return {lang: {"facts": t, "recall": _ratio(f, t)} for lang, (f, t) in per.items()} | {
        "all": {"facts": total, "recall": _ratio(found, total)}}


def _covered(text: str, expected: str, fact: Fact) -> bool:
    start = text.find(expected)
    while start >= 0:
        if fact.start <= start and start + len(expected) <= fact.end:
            return True
        start = text.find(expected, start + 1)
    return False


def _table(report: dict[str, Any]) -> str:
    lines = []
    if "incidents" in report:
        inc = report["incidents"]
        lines.append(f"evals/incidents: span recall / precision ({inc['ms_per_incident']} ms "
                     "per incident)")
        lines.append(f"{'kind':<14}" + "".join(f"{lang:>12}" for lang in (*LANGS, "all")))
        rows = {**inc["per_kind"], "ALL": {**inc["per_language"], "all": inc["all"]}}
        for kind, per in rows.items():
            cells = "".join(f"{_cell(per.get(lang)):>12}" for lang in (*LANGS, "all"))
            lines.append(f"{kind:<14}{cells}")
        any_kind = inc["recall_any_kind"]
        lines.append(f"{'any kind (R)':<14}" + "".join(
            f"{_num(any_kind.get(lang)):>12}" for lang in (*LANGS, "all")))
        for kind, per in inc["values"].items():
            cells = "".join(f"{_cell(per.get(lang)):>12}" for lang in (*LANGS, "all"))
            lines.append(f"{kind + ' (val)':<14}{cells}")
    if "blind" in report:
        blind = report["blind"]
        lines.append("evals/understand_blind: recall of expected facts (covered by a span)")
        lines.append("  " + "  ".join(f"{lang} {_num(v['recall'])} ({v['facts']})"
                                      for lang, v in blind.items()))
    return "\n".join(lines)


def _cell(figures: dict[str, Any] | None) -> str:
    if not figures:
        return "-"
    return f"{_num(figures['recall'])}/{_num(figures['precision'])}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--set", choices=("incidents", "blind", "both"), default="both")
    parser.add_argument("--show", metavar="KIND", help="print the corpus's misses and false "
                        "alarms of one kind (amount, date, cause, scope, recurrence...)")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    if args.set in ("incidents", "both"):
        report["incidents"] = score_incidents(args.show)
    if args.set in ("blind", "both"):
        report["blind"] = score_blind()
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else _table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
