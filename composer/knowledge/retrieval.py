"""Retrieval of cards for an incident: multilingual vector search over the Chroma index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from composer.errors import ComposerError
from composer.knowledge.cards import (
    CATEGORIES,
    CHANNEL_TAGS,
    KINDS,
    SEVERITY_TAGS,
    Card,
    Knowledge,
    shipped_knowledge,
)
from composer.knowledge.lexical import BM25
from composer.knowledge.store import OpenIndex, StoreConfig, card_texts, open_index

MAX_QUERY_CHARS = 20_000
# Recall@3 was flat for weights 0.02-0.1 on the eval set (README); 0.05 sits in the middle.
LEXICAL_WEIGHT = 0.05
_TAG_KEYS = {"category": ("cat_", CATEGORIES), "severity": ("sev_", SEVERITY_TAGS),
             "channel": ("ch_", CHANNEL_TAGS)}


class RetrievalError(ComposerError):
    """A query or filter that cannot be searched."""


@dataclass(frozen=True)
class Hit:
    """A retrieved card, its cosine similarity to the query, and where its advice comes from."""

    card: Card
    score: float
    source_title: str
    source_language: str
    source_publisher: str

    def as_dict(self) -> dict:
        card = self.card
        return {
            "id": card.id,
            "kind": card.kind,
            "score": round(self.score, 4),
            "title": card.title,
            "use_when": card.use_when,
            "source": {
                "file": card.source.file,
                "span": card.source.span,
                "title": self.source_title,
                "publisher": self.source_publisher,
                "language": self.source_language,
            },
        }


class Hits(list):
    """Retrieved cards, best first; renders as a table in Jupyter. `query_vector` is the query
    as the embedder `embedder` encoded it, so a later stage (the learned triage) need not embed
    the text again."""

    query_vector: Any = None
    embedder: str | None = None

    def _repr_markdown_(self) -> str:
        rows = ["| score | id | kind | title | source |", "|---:|---|---|---|---|"]
        rows += [
            f"| {h.score:.3f} | `{h.card.id}` | {h.card.kind} | {h.card.title} | "
            f"{h.source_publisher} ({h.source_language}): “{h.card.source.span[:60]}” |"
            for h in self
        ]
        return "\n".join(rows)


def _where(kinds: Sequence[str] | None, tags: Mapping[str, str] | None) -> dict | None:
    clauses: list[dict] = []
    if kinds:
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise RetrievalError(
                f"unknown kind {', '.join(unknown)}: use one of {', '.join(KINDS)}"
            )
        clauses.append({"kind": {"$in": list(kinds)}})
    for key, value in (tags or {}).items():
        if key not in _TAG_KEYS:
            raise RetrievalError(f"unknown tag {key!r}: use one of {', '.join(_TAG_KEYS)}")
        prefix, allowed = _TAG_KEYS[key]
        if value not in allowed:
            raise RetrievalError(f"unknown {key} {value!r}: use one of {', '.join(allowed)}")
        if key == "category" and value != "any":
            clauses.append({"$or": [{f"{prefix}{value}": True}, {"cat_any": True}]})
        else:
            clauses.append({f"{prefix}{value}": True})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def validate_query(
    query: str, k: int, kinds: Sequence[str] | None, tags: Mapping[str, str] | None
) -> dict | None:
    """Reject a bad query before any store is opened; return the Chroma `where` filter."""
    if not query or not query.strip():
        raise RetrievalError("the query is empty: describe the incident to search for")
    if len(query) > MAX_QUERY_CHARS:
        raise RetrievalError(f"the query is over {MAX_QUERY_CHARS:,} characters")
    if k < 1:
        raise RetrievalError(f"k must be at least 1, got {k}")
    return _where(kinds, tags)


def retrieve(
    query: str,
    k: int = 5,
    kinds: Sequence[str] | None = None,
    tags: Mapping[str, str] | None = None,
    *,
    store: StoreConfig | None = None,
) -> Hits:
    """One-shot search: validate, open the index (building it on first use), search."""
    validate_query(query, k, kinds, tags)
    return Retriever.open(store or StoreConfig.resolve()).retrieve(query, k, kinds, tags)


def card_search_text(card: Card) -> str:
    return " ".join(card_texts(card))


class Retriever:
    """Searches one opened index; open it once and query it many times."""

    def __init__(self, index: OpenIndex, knowledge: Knowledge) -> None:
        self.index = index
        self.knowledge = knowledge
        self._cards = knowledge.by_id()
        self._lexical = BM25((card.id, card_search_text(card)) for card in knowledge.cards)
        # Every vector is a candidate (cards are max-pooled over theirs); the count is fixed
        # for an opened index, so it is read once rather than on every query.
        self._vectors = index.collection.count()  # type: ignore[attr-defined]

    @classmethod
    def open(
        cls, config: StoreConfig, knowledge: Knowledge | None = None, progress: bool = True
    ) -> Retriever:
        knowledge = knowledge or shipped_knowledge()
        return cls(open_index(config, knowledge=knowledge, progress=progress), knowledge)

    @property
    def embedder(self) -> str:
        return self.index.info.embedder

    def retrieve(
        self,
        query: str,
        k: int = 5,
        kinds: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Hits:
        """The `k` cards most similar to `query`, best first, optionally filtered by kind/tags."""
        where = validate_query(query, k, kinds, tags)
        vector = self.index.embedder.embed_query([query.strip()])
        result = self.index.collection.query(  # type: ignore[attr-defined]
            query_embeddings=vector,
            n_results=self._vectors,
            where=where,
            include=["distances"],  # metadata would cost ~50 ms for 600 rows; ids suffice
        )
        best: dict[str, float] = {}
        for doc_id, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            card_id = doc_id.partition("#")[0]
            best[card_id] = max(best.get(card_id, -1.0), 1.0 - float(distance))
        for card_id, lexical in self._lexical.scores(query).items():
            if card_id in best:  # only cards that passed the filters
                best[card_id] += LEXICAL_WEIGHT * lexical
        hits = Hits()
        hits.query_vector, hits.embedder = vector[0], self.embedder
        for card_id, score in sorted(best.items(), key=lambda kv: -kv[1]):
            card = self._cards.get(card_id)
            if card is None:  # an index from other knowledge; open_index rebuilds, so rare
                continue
            doc = self.knowledge.sources[card.source.file]
            hits.append(Hit(card, score, doc.title, doc.language, doc.publisher))
            if len(hits) == k:
                break
        return hits
