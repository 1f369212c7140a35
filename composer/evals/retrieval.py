"""Retrieval evaluation: does the knowledge base return the right cards for real incident queries?

A query counts as recalled at k when any of its expected cards is among the top k; MRR uses the
rank of the first expected card. Numbers are reported per language and overall.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from composer.errors import ComposerError
from composer.knowledge.retrieval import Retriever
from composer.language.detect import SUPPORTED
from composer.paths import project_dir
from composer.progress import progress_bar
from composer.yamlio import load_yaml

LANGS = SUPPORTED  # the order reports list languages in


class EvalError(ComposerError):
    """An eval file that cannot be read; the message names the file, entry and field."""


class RetrievalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1)
    lang: str
    expected: list[str] = Field(min_length=1)


def load_retrieval_cases(path: Path | None = None) -> list[RetrievalCase]:
    path = path or project_dir("evals") / "retrieval.yaml"
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EvalError(f"{path}: cannot read: {exc}".splitlines()[0]) from exc
    if not isinstance(raw, list):
        raise EvalError(f"{path}: expected a list of cases")
    cases = []
    for i, item in enumerate(raw):
        try:
            cases.append(RetrievalCase.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise EvalError(f"{path}: case {i}: {where}: {first['msg']}") from exc
    return cases


@dataclass
class QueryResult:
    query: str
    lang: str
    expected: list[str]
    retrieved: list[str]
    rank: int | None  # 1-based rank of the first expected card, None if not retrieved


@dataclass
class LangScore:
    n: int = 0
    recall_at_1: float = 0.0
    recall_at_3: float = 0.0
    mrr: float = 0.0


@dataclass
class RetrievalEval:
    embedder: str
    results: list[QueryResult]
    per_language: dict[str, LangScore] = field(default_factory=dict)
    overall: LangScore = field(default_factory=LangScore)

    def as_dict(self) -> dict:
        def score(s: LangScore) -> dict:
            return {"n": s.n, "recall@1": round(s.recall_at_1, 3),
                    "recall@3": round(s.recall_at_3, 3), "mrr": round(s.mrr, 3)}

        return {
            "embedder": self.embedder,
            "per_language": {lang: score(s) for lang, s in self.per_language.items()},
            "overall": score(self.overall),
            "misses": [vars(r) for r in self.results if r.rank is None or r.rank > 1],
        }

    def _repr_markdown_(self) -> str:
        rows = [f"**retrieval eval ({self.embedder})**", "",
                "| language | queries | recall@1 | recall@3 | MRR |", "|---|---:|---:|---:|---:|"]
        for lang, s in [*self.per_language.items(), ("all", self.overall)]:
            rows.append(f"| {lang} | {s.n} | {s.recall_at_1:.2f} | {s.recall_at_3:.2f} | "
                        f"{s.mrr:.2f} |")
        return "\n".join(rows)

    def table(self):
        from rich.table import Table

        table = Table(title=f"retrieval eval ({self.embedder})")
        for column in ("language", "queries", "recall@1", "recall@3", "MRR"):
            table.add_column(column, justify="right" if column != "language" else "left")
        rows = [*self.per_language.items(), ("all", self.overall)]
        for lang, s in rows:
            table.add_row(lang, str(s.n), f"{s.recall_at_1:.2f}", f"{s.recall_at_3:.2f}",
                          f"{s.mrr:.2f}")
        return table


def _score(results: list[QueryResult]) -> LangScore:
    n = len(results)
    if not n:
        return LangScore()
    return LangScore(
        n=n,
        recall_at_1=sum(r.rank == 1 for r in results) / n,
        recall_at_3=sum(r.rank is not None and r.rank <= 3 for r in results) / n,
        mrr=sum(1 / r.rank for r in results if r.rank) / n,
    )


def evaluate_retrieval(
    retriever: Retriever, cases_path: Path | None = None, *, k: int = 10, progress: bool = True
) -> RetrievalEval:
    """Run every case through `retriever` and score recall@1, recall@3 and MRR per language."""
    cases = load_retrieval_cases(cases_path)
    known = retriever.knowledge.by_id()
    for case in cases:
        missing = [cid for cid in case.expected if cid not in known]
        if missing:
            raise EvalError(f"case {case.query!r} expects unknown card ids: {', '.join(missing)}")
    results = []
    with progress_bar(progress) as bar:
        task = bar.add_task("retrieval eval", total=len(cases))
        for case in cases:
            ids = [hit.card.id for hit in retriever.retrieve(case.query, k=k)]
            rank = next((i + 1 for i, cid in enumerate(ids) if cid in case.expected), None)
            results.append(QueryResult(case.query, case.lang, case.expected, ids[:3], rank))
            bar.advance(task)
    by_lang: dict[str, list[QueryResult]] = defaultdict(list)
    for result in results:
        by_lang[result.lang].append(result)
    ordered = [lang for lang in LANGS if lang in by_lang] + sorted(set(by_lang) - set(LANGS))
    return RetrievalEval(
        embedder=retriever.embedder,
        results=results,
        per_language={lang: _score(by_lang[lang]) for lang in ordered},
        overall=_score(results),
    )
