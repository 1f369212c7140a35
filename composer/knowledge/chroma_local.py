"""Read a local Chroma store through Chroma's own engine, without importing the chromadb package.

`chromadb.PersistentClient` is a Python shell around a Rust engine (`chromadb_rust_bindings`,
shipped inside the chromadb wheel). Importing the shell costs about 0.6 s, half of a cold
`compose`; the engine imports in 25 ms. Reading (the pointer, a collection, a count, a query) needs
only the engine, so readers of a local store use it directly: the same files, the same engine, the
same answers (a test compares them with the client's). Building, and any Chroma server, go
through chromadb's client. Should a chromadb release change the engine's calls, `open_reader`
returns None and the caller uses the client, which is only slower.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TENANT = "default_tenant"
DATABASE = "default_database"
# The engine's calls this reader makes, as the engine declares them (chromadb 1.5): any other
# declaration means another engine, and the client is used instead.
CALLS = {
    "query": "($self, collection_id, ids, query_embeddings, n_results, where=..., "
             "where_document=None, include=..., tenant=..., database=...)",
    "count": "($self, collection_id, tenant=..., database=...)",
    "get_collection": "($self, name, tenant, database)",
    "list_collections": "($self, limit=None, offset=0, tenant=..., database=...)",
}


@dataclass
class LocalCollection:
    """One collection, with the few calls a reader makes, shaped like the client's answers."""

    engine: Any
    id: str
    name: str
    metadata: dict | None

    def count(self) -> int:
        return int(self.engine.count(self.id, TENANT, DATABASE))

    def query(
        self,
        query_embeddings: list,
        n_results: int,
        where: dict | None = None,
        include: list[str] | None = None,
    ) -> dict[str, Any]:
        include = list(include or ["metadatas", "documents", "distances"])
        answer = self.engine.query(
            self.id, None, [list(map(float, v)) for v in query_embeddings], n_results,
            json.dumps(where) if where else None, None, include, TENANT, DATABASE,
        )
        return {
            "ids": answer.ids,
            "distances": answer.distances,
            "metadatas": answer.metadatas,
            "documents": answer.documents,
        }


class LocalReader:
    """The read side of a `chromadb.PersistentClient`, over one opened engine (`open_reader`)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def get_collection(self, name: str, embedding_function: object = None) -> LocalCollection:
        """As the client's; the embedding function is not needed, readers pass vectors."""
        found = self.engine.get_collection(name, TENANT, DATABASE)
        return LocalCollection(self.engine, str(found.id), found.name, found.metadata)

    def list_collections(self) -> list[str]:
        return [c.name for c in self.engine.list_collections(None, 0, TENANT, DATABASE)]


def open_reader(path: Path) -> LocalReader | None:
    """A reader of the store in `path`, or None where this chromadb's engine is not the one
    this was written for (the caller then opens chromadb's client)."""
    try:
        import resource  # not on Windows, where the client is used

        import chromadb_rust_bindings as rust

        if any(getattr(rust.Bindings, call).__text_signature__ != declared
               for call, declared in CALLS.items()):
            return None
        sqlite = rust.SqliteDBConfig(
            hash_type=rust.MigrationHash.MD5,  # the client's defaults for a local store
            migration_mode=rust.MigrationMode.Apply,
            url=str(path / "chroma.sqlite3"),
        )
        engine = rust.Bindings(
            allow_reset=False,
            sqlite_db_config=sqlite,
            persist_path=str(path),
            # as the client sizes it: each HNSW index holds five open files
            hnsw_cache_size=resource.getrlimit(resource.RLIMIT_NOFILE)[0] // 5,
        )
    except (ImportError, AttributeError, TypeError):
        return None
    return LocalReader(engine)
