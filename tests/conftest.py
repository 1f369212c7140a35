"""Shared fixtures: a small knowledge set and stores in temporary directories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from llama_server import llama_server, server_report  # noqa: F401 (a session fixture)

from composer.knowledge.cards import load_knowledge
from composer.knowledge.store import StoreConfig

FIXTURE_KNOWLEDGE = Path(__file__).parent / "fixtures" / "knowledge"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed real-server test says whether the server died (and how), not only
    'Connection error'."""
    report = yield
    if report.failed and "llama_server" in getattr(item, "fixturenames", ()):
        state = server_report()
        if state:
            report.sections.append(("llama_cpp.server", state))
    return report


@pytest.fixture
def mini_knowledge_dir(tmp_path: Path) -> Path:
    """A writable copy of the three-card fixture knowledge, for tests that edit cards."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KNOWLEDGE, target)
    return target


@pytest.fixture
def mini_knowledge():
    return load_knowledge(FIXTURE_KNOWLEDGE)


@pytest.fixture
def store(tmp_path: Path) -> StoreConfig:
    return StoreConfig.resolve(path=tmp_path / "store")


@pytest.fixture(scope="session")
def shipped_store(tmp_path_factory) -> StoreConfig:
    """A real index of the shipped knowledge, built once per test session."""
    from composer.knowledge.store import build_index

    config = StoreConfig.resolve(path=tmp_path_factory.mktemp("shipped") / "store")
    build_index(config, progress=False)
    return config


@pytest.fixture(scope="session")
def shipped_retriever(shipped_store):
    """The real index, opened once: compose() tests pass it as `retriever=`."""
    from composer.knowledge.retrieval import Retriever

    return Retriever.open(shipped_store, progress=False)
