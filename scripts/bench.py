"""Benchmark the knowledge base on this machine; prints a Markdown table for the README.

    python scripts/bench.py [--runs 5] [--queries 200] [--json]

Measures: index build time (fresh store), cold `compose kb search` and cold
`compose --incident "wrong bank account"` wall time with the index built (a new process each
run), where a cold compose spends its time (imports, store open, embedding + retrieval, the rest
of compose), in-process query latency p50/p95, and in-process checking of a ~300-word email.
Numbers, not assertions: targets live in the README next to the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from composer.cli.check_bench import bench_check
from composer.evals.retrieval import load_retrieval_cases
from composer.knowledge.embeddings import engine_name
from composer.knowledge.retrieval import Retriever
from composer.knowledge.store import StoreConfig, build_index


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_build(store: StoreConfig, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        build_index(store, force=True, progress=False)
        times.append(time.perf_counter() - started)
    return times


def _cold(command: list[str], runs: int) -> list[float]:
    """Wall seconds of `command` in a new process, `runs` times."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def bench_cold_search(store: StoreConfig, runs: int) -> list[float]:
    compose = Path(sys.executable).with_name("compose")
    return _cold([str(compose), "kb", "search", "wrong bank account", "--store",
                  str(store.path), "--json"], runs)


def bench_cold_compose(store: StoreConfig, runs: int) -> list[float]:
    compose = Path(sys.executable).with_name("compose")
    return _cold([str(compose), "--incident", "wrong bank account", "--store",
                  str(store.path)], runs)


# Run in a fresh interpreter so every phase is cold, as in a CLI call.
_PHASES = """
import json, sys, time
t0 = time.perf_counter()
import composer.cli.app
from composer.pipeline import compose
from composer.knowledge.retrieval import Retriever
from composer.knowledge.store import StoreConfig
t1 = time.perf_counter()
retriever = Retriever.open(StoreConfig.resolve(path=sys.argv[1]), progress=False)
t2 = time.perf_counter()
retriever.retrieve("wrong bank account", 6)
t3 = time.perf_counter()
compose("wrong bank account", retriever=retriever, progress=False)
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "store_open": t2 - t1, "embed_and_retrieve": t3 - t2,
                  "compose_rest": t4 - t3}))
"""


def bench_compose_phases(store: StoreConfig, runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", _PHASES, str(store.path)], check=True,
                                capture_output=True, text=True)
        for phase, seconds in json.loads(result.stdout.strip().splitlines()[-1]).items():
            samples.setdefault(phase, []).append(seconds)
    return {phase: statistics.median(values) for phase, values in samples.items()}


def bench_queries(store: StoreConfig, n: int) -> list[float]:
    retriever = Retriever.open(store, progress=False)
    queries = [case.query for case in load_retrieval_cases()]
    retriever.retrieve(queries[0], k=5)
    times = []
    for i in range(n):
        started = time.perf_counter()
        retriever.retrieve(queries[i % len(queries)], k=5)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        store = StoreConfig.resolve(path=Path(tmp) / "store")
        build = bench_build(store, args.runs)
        cold = bench_cold_search(store, args.runs)
        cold_compose = bench_cold_compose(store, args.runs)
        phases = bench_compose_phases(store, args.runs)
        queries = bench_queries(store, args.queries)

    check = bench_check(rounds=args.runs * 10)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "e5_engine": engine_name(),
        "index_build_s": {"median": statistics.median(build), "max": max(build)},
        "cold_kb_search_s": {"median": statistics.median(cold), "max": max(cold)},
        "cold_compose_s": {"median": statistics.median(cold_compose), "max": max(cold_compose)},
        "cold_compose_phases_s": phases,
        "query_ms": {"p50": percentile(queries, 0.5) * 1000,
                     "p95": percentile(queries, 0.95) * 1000},
        "check_ms": check,
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    rows = [
        (f"index build (fresh store, {args.runs} runs)",
         f"median {statistics.median(build):.2f} s, max {max(build):.2f} s", "< 30 s"),
        (f"cold `compose kb search` ({args.runs} runs)",
         f"median {statistics.median(cold):.2f} s, max {max(cold):.2f} s", "< 1.5 s"),
        (f"cold `compose --incident \"wrong bank account\"` ({args.runs} runs)",
         f"median {statistics.median(cold_compose):.2f} s, max {max(cold_compose):.2f} s",
         "< 2 s"),
        ("… of which (medians, in-process): " + ", ".join(
            f"{name.replace('_', ' ')} {seconds:.2f} s" for name, seconds in phases.items()),
         "", ""),
        (f"in-process query ({args.queries} queries)",
         f"p50 {results['query_ms']['p50']:.1f} ms, p95 {results['query_ms']['p95']:.1f} ms",
         "< 20 ms"),
        (f"check a {check['words']:.0f}-word email (phrases, and the sentence model over "
         "every sentence, none cached)",
         f"median {check['full_median_ms']:.1f} ms, p95 {check['full_p95_ms']:.1f} ms",
         "< 150 ms"),
        ("check the same email with steps missing",
         f"median {check['weak_median_ms']:.1f} ms, p95 {check['weak_p95_ms']:.1f} ms",
         "< 150 ms"),
        ("check the same email with phrases only (`check(..., embeddings=False)`)",
         f"median {check['phrases_median_ms']:.1f} ms", ""),
    ]
    print(f"Machine: {results['machine']}; e5 engine: {results['e5_engine']}\n")
    print("| measure | result | target |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
