"""Render the offline composer for every category x stage x tone in one language, and check each.

    python scripts/offline_matrix.py it            # summary: drafts that fail the checker
    python scripts/offline_matrix.py it --show     # print every draft too

A phrasebook is done when every draft passes all five rubric steps with no anti-pattern other
than the intended [[fill-ins]].
"""

from __future__ import annotations

import argparse
import itertools

from composer.checking.checker import check, objects_to
from composer.drafting.compensation import plan_compensation
from composer.drafting.offline import write_offline
from composer.drafting.plan import build_plan
from composer.understand.incident import Incident, parse_loss
from composer.understand.reading import Reading
from composer.understand.triage import CATEGORIES, Triage

STAGE_CHANNEL = {"investigating": "reply", "resolved": "reply", "proactive": "proactive"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("language")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    failures = 0
    total = 0
    for category, stage, tone, loss in itertools.product(
        CATEGORIES, ("investigating", "resolved", "proactive"), ("formal", "warm", "playful"),
        (None, "120 EUR", "3 hours"),
    ):
        trivial = category in ("typo", "duplicate_send", "promo_code")
        severity = "low" if trivial else ("high" if loss else "medium")
        incident = Incident(
            f"{category} incident", language=args.language, tone=tone,
            channel=STAGE_CHANNEL[stage], loss=parse_loss(loss) if loss else None,
            severity=severity,
        )
        tri = Triage(category, severity, stage, True, args.language)
        reading = Reading(incident, incident.text, tri)
        plan = build_plan(reading, plan_compensation(incident, tri), [])
        email = write_offline(plan, screen=objects_to)
        report = check(email.text(), incident, language=args.language)
        problems = [p for p in report.failed_items() if not p.startswith("placeholders_left")]
        total += 1
        if problems or args.show:
            print(f"=== {category} / {stage} / {tone} / loss={loss}")
            if args.show or problems:
                print(email.text())
            for problem in problems:
                print("  PROBLEM", problem)
        failures += bool(problems)
    print(f"{failures} of {total} drafts fail the checker in {args.language}")


if __name__ == "__main__":
    main()
