"""A team's shared store: the same build and search against a real `chroma run` on loopback."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from composer.knowledge.retrieval import Retriever
from composer.knowledge.store import StoreConfig, build_index, index_stats

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(exe).exists():
        pytest.skip("the chroma CLI (from the chromadb package) is not on PATH")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def test_build_and_search_on_a_chroma_server(chroma_url, mini_knowledge):
    config = StoreConfig.resolve(url=chroma_url)
    assert build_index(config, knowledge=mini_knowledge, progress=False).built
    assert not build_index(config, knowledge=mini_knowledge, progress=False).built
    hits = Retriever.open(config, mini_knowledge).retrieve("il sito è rimasto offline", k=1)
    assert hits[0].card.id == "template.outage-credit"
    stats = index_stats(config, mini_knowledge)
    assert stats["location"] == chroma_url and stats["indexed_cards"] == 3


def test_cli_reads_the_server_from_the_environment(chroma_url, monkeypatch, tmp_path):
    monkeypatch.setenv("COMPOSER_CHROMA_URL", chroma_url)
    result = subprocess.run(
        [sys.executable, "-m", "composer", "kb", "search", "wrong bank account", "--json"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "example.wealthsimple"
    stats = index_stats(StoreConfig.resolve(url=chroma_url))
    assert stats["built"] and stats["indexed_cards"] == stats["cards"]
    assert not any(tmp_path.iterdir()), "the CLI wrote a local store instead of using the server"
