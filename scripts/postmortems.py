"""Real public incident write-ups through `compose`, offline: how they are read and written.

Wording no one here wrote is the best test of reading. Give it a Markdown list of post-mortems in
the shape of github.com/danluu/post-mortems (`[Company](link). Summary ...`, one per line; not
shipped here: it has no licence) and it composes an email for every summary, as a support lead
would paste it, then counts what a reviewer would look at first:

- apology due, category, severity and stage, as shares;
- pasted: the email holds a stretch of 60+ characters of the summary;
- markup: Markdown links or backticks reached the email;
- blank cause: the cause is left as a fill-in although the summary states one;
- unfinished: a finished incident read as still under investigation.

    python scripts/postmortems.py post-mortems/README.md            # a table for the README
    python scripts/postmortems.py post-mortems/README.md --json     # one JSON document
    python scripts/postmortems.py post-mortems/README.md --show 20  # 20 readings, to judge by hand
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composer.drafting.plan import phrasebook  # noqa: E402
from composer.evals.reading import verbatim_stretch  # noqa: E402
from composer.knowledge.retrieval import Retriever  # noqa: E402
from composer.knowledge.store import StoreConfig  # noqa: E402
from composer.pipeline import compose  # noqa: E402
from composer.progress import progress_bar  # noqa: E402

ENTRY = re.compile(
    r"^\s*[-*]?\s*\[(?P<name>[^\]]+)\]\((?P<link>[^)]+)\)\.?\s+(?P<summary>\S.{30,})$")
MARKUP = re.compile(r"\]\(|`")


def entries(path: Path) -> list[dict[str, str]]:
    """The list's entries: the company, the link and the summary after it."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ENTRY.match(line)
        if match:
            found.append(match.groupdict())
    return found


def read_one(entry: dict[str, str], retriever: Retriever) -> dict[str, Any]:
    draft = compose(entry["summary"], retriever=retriever, progress=False)
    reading = draft.reading
    body = draft.body or ""
    cause_stated = bool(reading.facts_of("cause"))
    blank = f"[[{phrasebook(draft.language)['fill']['cause']}]]" in body
    return {
        "name": entry["name"],
        "summary": entry["summary"],
        "apologize": draft.should_apologize,
        "category": reading.triage.category,
        "severity": reading.triage.severity,
        "stage": reading.triage.stage,
        "pasted": verbatim_stretch(entry["summary"], body) is not None,
        "markup": bool(MARKUP.search(body)),
        "cause_stated": cause_stated,
        "blank_cause": draft.should_apologize and blank,
        "unfinished": reading.triage.stage == "investigating",
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    drafts = [r for r in rows if r["apologize"]]

    def share(values: list[bool]) -> float:
        return round(sum(values) / len(values), 3) if values else 0.0

    return {
        "write_ups": n,
        "apology_due": share([r["apologize"] for r in rows]),
        "pasted": share([r["pasted"] for r in drafts]),
        "markup": share([r["markup"] for r in drafts]),
        "blank_cause": share([r["blank_cause"] for r in drafts]),
        "cause_read": share([r["cause_stated"] for r in rows]),
        "unfinished": share([r["unfinished"] for r in rows]),
        "categories": dict(Counter(r["category"] for r in rows).most_common()),
        "severities": dict(Counter(r["severity"] for r in rows).most_common()),
        "stages": dict(Counter(r["stage"] for r in rows).most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="a Markdown list of post-mortems")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument("--show", type=int, default=0, help="print N readings to judge by hand")
    parser.add_argument("--store", type=Path, default=None, help="the index (default: yours)")
    args = parser.parse_args()
    if not args.path.is_file():
        sys.exit(f"error: {args.path} is not a file: give the list's README.md")
    items = entries(args.path)
    if not items:
        sys.exit(f"error: no '[Company](link). Summary' lines in {args.path}")
    retriever = Retriever.open(StoreConfig.resolve(path=args.store), progress=False)
    rows = []
    with progress_bar(not args.json) as bar:
        task = bar.add_task("composing", total=len(items))
        for item in items:
            rows.append(read_one(item, retriever))
            bar.advance(task)
    summary = summarise(rows)
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, indent=2))
        return
    print(f"{summary['write_ups']} write-ups; drafts written for {summary['apology_due']:.0%}\n")
    print("| measure | share |\n|---|---:|")
    for key, label in (("pasted", "drafts that paste 60+ characters of the summary"),
                       ("markup", "drafts with Markdown links or backticks"),
                       ("blank_cause", "drafts that leave the cause a fill-in"),
                       ("cause_read", "write-ups whose cause the reader finds"),
                       ("unfinished", "write-ups read as still under investigation")):
        print(f"| {label} | {summary[key]:.0%} |")
    for key in ("categories", "severities", "stages"):
        print(f"\n{key}: " + ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    for row in rows[: args.show]:
        print(f"\n- {row['name']}: {row['category']} · {row['severity']} · {row['stage']} · "
              f"apology {'yes' if row['apologize'] else 'no'}\n  {row['summary'][:300]}")


if __name__ == "__main__":
    main()
