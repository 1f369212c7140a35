"""Benchmark the knowledge base on this machine; prints a Markdown table for the README.

    python scripts/bench.py [--runs 5] [--queries 200] [--json]

Measures: index build time (fresh store), cold `compose kb search` wall time with the index
built (a new process each run), in-process query latency p50/p95, and in-process checking
of a ~300-word email. Numbers, not assertions:
targets live in the README next to the results.
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

from composer.checking import bench_check
from composer.evals import load_retrieval_cases
from composer.retrieval import Retriever
from composer.store import StoreConfig, build_index


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


def bench_cold_search(store: StoreConfig, runs: int) -> list[float]:
    compose = Path(sys.executable).with_name("compose")
    command = [str(compose), "kb", "search", "wrong bank account", "--store", str(store.path),
               "--json"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


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
        queries = bench_queries(store, args.queries)

    check = bench_check(rounds=args.runs * 10)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "index_build_s": {"median": statistics.median(build), "max": max(build)},
        "cold_kb_search_s": {"median": statistics.median(cold), "max": max(cold)},
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
        (f"in-process query ({args.queries} queries)",
         f"p50 {results['query_ms']['p50']:.1f} ms, p95 {results['query_ms']['p95']:.1f} ms",
         "< 20 ms"),
        (f"check a {check['words']:.0f}-word email, all steps found by patterns",
         f"median {check['full_median_ms']:.1f} ms, p95 {check['full_p95_ms']:.1f} ms",
         "< 100 ms"),
        ("check the same email with steps missing (embedding fallback runs)",
         f"median {check['weak_median_ms']:.1f} ms, p95 {check['weak_p95_ms']:.1f} ms",
         "< 100 ms"),
    ]
    print(f"Machine: {results['machine']}\n")
    print("| measure | result | target |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")

if __name__ == "__main__":
    main()
