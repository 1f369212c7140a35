"""How well invented_fact catches a wrong figure: offline drafts of the eval cases that state a
figure, each checked as written (nothing may be flagged) and with one figure changed (it must be
flagged). The change is what a model does when it misremembers: an amount off, a date moved, an
id's digits changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.checking.checker import check
from composer.evals.suite import load_cases
from composer.pipeline import compose
from composer.schema import FILL_IN

_FIGURE = re.compile(r"\d+")


@dataclass
class InventedResult:
    drafts: int = 0
    caught: int = 0
    untouched_flagged: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def catch_rate(self) -> float | None:
        return self.caught / self.drafts if self.drafts else None

    def as_dict(self) -> dict[str, Any]:
        return {"drafts": self.drafts, "caught": self.caught, "catch_rate": self.catch_rate,
                "untouched_flagged": self.untouched_flagged, "missed": self.missed,
                "false_alarms": self.false_alarms}


def plant(body: str) -> str | None:
    """`body` with its first figure outside a fill-in made wrong (+7 on its last digits), or
    None when it has none."""
    spans = [m for m in _FIGURE.finditer(body)
             if not any(f.start() <= m.start() < f.end() for f in FILL_IN.finditer(body))]
    if not spans:
        return None
    m = spans[0]
    digits = m.group()
    wrong = str(int(digits) + 7).zfill(len(digits))
    return body[:m.start()] + wrong + body[m.end():]


def evaluate_invented(cases_dir: Path | None = None, limit: int = 50, *,
                      store: Any = None, on_case: Callable[[], None] | None = None
                      ) -> InventedResult:
    """The first `limit` apology drafts (in case order) whose body holds a figure."""
    result = InventedResult()
    for case in load_cases(cases_dir):
        if result.drafts >= limit:
            break
        incident = case.incident if isinstance(case.incident, dict) else {"text": case.incident}
        draft = compose(dict(incident), language=case.language, progress=False, store=store,
                        max_compensation=case.max_compensation)
        if on_case:
            on_case()
        planted = plant(draft.body) if draft.should_apologize else None
        if planted is None:
            continue
        result.drafts += 1
        for body, expect in ((draft.body, False), (planted, True)):
            report = check(body, draft.reading, language=draft.language, known=draft.known)
            flagged = any(f.name == "invented_fact" for f in report.anti_patterns)
            if expect and flagged:
                result.caught += 1
            elif expect:
                result.missed.append(case.id)
            elif flagged:
                result.untouched_flagged += 1
                result.false_alarms.append(case.id)
    return result
