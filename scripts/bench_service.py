"""Benchmark `compose serve` on this machine; prints a Markdown table for the README.

    python scripts/bench_service.py [--store DIR] [--starts 5] [--requests 200] [--json]

Measures: start time (a new `compose serve` process until /healthz answers; 5 runs), and warm
offline latency of POST /v1/drafts and POST /v1/checks over one keep-alive connection (incidents
in five languages; the checks are of the drafts themselves). Targets: start < 3 s, drafts
p50 <= 50 ms, checks p50 <= 30 ms. Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from _serve_util import INCIDENTS, Client, Server, ensure_store, percentile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="default: a fresh temp store")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    store = ensure_store(args.store)

    starts, firsts = [], []
    for _ in range(args.starts):
        server = Server(store)
        try:
            starts.append(server.wait_healthy())
            status, _ = Client(server.host, server.port).post("/v1/drafts", INCIDENTS[0])
            assert status == 200
            firsts.append(time.perf_counter() - server.started)
        finally:
            server.stop()

    server = Server(store)
    try:
        server.wait_healthy()
        client = Client(server.host, server.port)
        texts = []
        for body in INCIDENTS:  # warm-up, and the drafts the checks will check
            status, draft = client.post("/v1/drafts", body)
            assert status == 200, draft
            texts.append({"text": f"{draft['subject']}\n\n{draft['body']}",
                          "incident": body["incident"], "loss": body.get("loss")})
        timings: dict[str, list[float]] = {"drafts": [], "checks": []}
        for i in range(args.requests):
            for name, body in (("drafts", INCIDENTS[i % len(INCIDENTS)]),
                               ("checks", texts[i % len(texts)])):
                started = time.perf_counter()
                status, answer = client.post(f"/v1/{name}", body)
                timings[name].append((time.perf_counter() - started) * 1000)
                assert status == 200, answer
        rss = server.rss_mb()
    finally:
        server.stop()

    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "start_s": {"median": statistics.median(starts), "max": max(starts), "runs": starts},
        "first_draft_s": {"median": statistics.median(firsts), "max": max(firsts)},
        **{f"{name}_ms": {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95), "n": len(v)}
           for name, v in timings.items()},
        "rss_mb": rss,
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"`compose serve` on {result['machine']}, {result['date']}\n")
    print("| measure | result | target |\n|---|---|---|")
    print(f"| start (new process until /healthz answers; {len(starts)} runs) | median "
          f"{result['start_s']['median']:.2f} s, max {result['start_s']['max']:.2f} s | < 3 s |")
    print(f"| … until its first draft is answered | median "
          f"{result['first_draft_s']['median']:.2f} s, max {result['first_draft_s']['max']:.2f} s"
          " | |")
    print(f"| warm POST /v1/drafts, offline ({args.requests} requests) | p50 "
          f"{result['drafts_ms']['p50']:.1f} ms, p95 {result['drafts_ms']['p95']:.1f} ms "
          "| p50 <= 50 ms |")
    print(f"| warm POST /v1/checks ({args.requests} requests) | p50 "
          f"{result['checks_ms']['p50']:.1f} ms, p95 {result['checks_ms']['p95']:.1f} ms "
          "| p50 <= 30 ms |")
    print(f"| server RSS after the run | {rss:.0f} MB | |")


if __name__ == "__main__":
    main()
