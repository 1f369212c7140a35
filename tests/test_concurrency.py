"""`compose` and `compose kb build --force` at the same time on one store: nothing breaks.

Real processes on one store directory: two forced rebuilds started together (they queue on the
build lock, so each swaps the index while the other waits) and, for as long as they run, a stream
of `compose` processes plus in-process `compose()` calls. Every compose must give a draft, every
build must succeed, and the store must end with exactly one index collection that still answers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from composer import compose as compose_draft
from composer.knowledge.store import StoreConfig

pytestmark = pytest.mark.slow

INCIDENTS = [
    "we charged the customer twice for the same order",
    "il sito è rimasto offline per sei ore",
    "el pedido llegó con dos semanas de retraso",
    "网站宕机了一整天，客户无法下单",
    "посылка отправлена дважды",
    "we sent the refund to the wrong bank account",
]
MIN_COMPOSES = 6  # subprocess composes, however quick the builds are


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "composer", *args]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(cli(*args), capture_output=True, text=True, timeout=300)


@pytest.fixture
def store_dir(tmp_path: Path, shipped_store: StoreConfig) -> Path:
    """A private copy of the session's real index (no build of its own: the test is the builds)."""
    assert shipped_store.path is not None
    target = tmp_path / "store"
    shutil.copytree(shipped_store.path, target)
    return target


def assert_draft(stdout: str, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    draft = json.loads(stdout)
    assert draft["should_apologize"] in (True, False)
    assert draft["body"].strip() if draft["should_apologize"] else draft["advice"]
    assert draft["sources"], draft


def test_compose_while_two_forced_rebuilds_run(store_dir: Path):
    store = str(store_dir)
    before = json.loads(run("kb", "stats", "--store", store, "--json").stdout)
    builds = [
        subprocess.Popen(cli("kb", "build", "--force", "--store", store, "--json"),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    building = threading.Event()
    building.set()
    results: list[tuple[str, subprocess.CompletedProcess]] = []
    failures: list[str] = []
    lock = threading.Lock()
    in_process = [0]

    def subprocess_worker(offset: int) -> None:
        i = offset
        while building.is_set() or len(results) < MIN_COMPOSES:
            incident = INCIDENTS[i % len(INCIDENTS)]
            result = run("--incident", incident, "--store", store, "--json")
            with lock:
                results.append((incident, result))
            i += 2
            time.sleep(0.5)

    def in_process_worker(offset: int) -> None:
        config = StoreConfig.resolve(path=store_dir)
        i = offset
        while building.is_set():
            incident = INCIDENTS[i % len(INCIDENTS)]
            try:
                draft = compose_draft(incident, store=config, progress=False)
                assert_draft(json.dumps(draft.as_dict()), "")
                with lock:
                    in_process[0] += 1
            except BaseException as exc:  # every failure is reported, not just the first
                with lock:
                    failures.append(f"in-process {incident!r}: {type(exc).__name__}: {exc}")
            i += 1
            time.sleep(0.5)  # leave the builds some CPU

    workers = [threading.Thread(target=subprocess_worker, args=(n,), daemon=True)
               for n in range(2)]
    workers.append(threading.Thread(target=in_process_worker, args=(0,), daemon=True))
    started = time.monotonic()
    for worker in workers:
        worker.start()
    try:
        outputs = [build.communicate(timeout=900) for build in builds]
    finally:
        building.clear()
        for build in builds:
            if build.poll() is None:
                build.kill()
    for worker in workers:
        worker.join(timeout=300)
    elapsed = time.monotonic() - started

    problems = [f"build exit {build.returncode}: {stderr}"
                for build, (_, stderr) in zip(builds, outputs, strict=True)
                if build.returncode != 0 or "Traceback" in stderr]
    problems += [f"compose {incident!r} exit {result.returncode}: {result.stderr}"
                 for incident, result in results
                 if result.returncode != 0 or "Traceback" in result.stderr]
    problems += failures
    assert not problems, f"{len(problems)} failures:\n" + "\n".join(problems)
    for stdout, _ in outputs:
        assert json.loads(stdout)["built"] is True
    assert len(results) >= MIN_COMPOSES and in_process[0] > 0
    for _, result in results:
        assert_draft(result.stdout, result.stderr)

    stats = json.loads(run("kb", "stats", "--store", store, "--json").stdout)
    assert stats["built"] and stats["up_to_date"]
    assert stats["indexed_cards"] == stats["cards"] == before["cards"]
    assert stats["built_at"] > before["built_at"]
    assert stats["index_collections"] == [stats["index_collection"]]
    assert stats["index_collection"] != before["index_collection"]
    search = run("kb", "search", "wrong bank account", "--store", store, "--json", "--k", "1")
    assert search.returncode == 0, search.stderr
    assert json.loads(search.stdout)[0]["id"] == "example.wealthsimple"
    print(f"{len(results)} compose processes and {in_process[0]} in-process composes during "
          f"two rebuilds in {elapsed:.1f}s")
