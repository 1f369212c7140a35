"""Load-test `compose serve` on loopback: N concurrent clients, a fixed number of requests.

    python scripts/load_service.py [--store DIR] [--clients 20] [--requests 2000]
    python scripts/load_service.py --fault fail|stall [--requests 60]

Normal mode: a mix of POST /v1/drafts (five languages), POST /v1/checks and GET /v1/cards, a
bounded loop that stops by itself. Prints p50/p95 per endpoint, errors, and the server's RSS at
request 500 and at the last request; exits 1 on any error or if RSS grew 10% or more.

Fault mode: `compose serve` talks to a stub model server on loopback that answers for the first
third of the requests, then fails (HTTP 500) or stalls (never answers in time). Every request
must still get a draft; the ones after the fault the offline draft with a warning.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from _serve_util import INCIDENTS, Client, Server, ensure_store, percentile

EMAIL = {
    "subject": "We sent your money to the wrong account",
    "greeting": "Hi Ana,",
    "paragraphs": [
        {"step": "regret", "text": "I am truly sorry that we sent your money to the wrong bank "
                                   "account."},
        {"step": "impact", "text": "I know how stressful it is to wait for money you need."},
        {"step": "explanation", "text": "What happened is this: [[what caused it]]."},
        {"step": "responsibility", "text": "This was our mistake, not yours."},
        {"step": "remedy", "text": "We are tracing the transfer now and I will write again by "
                                   "[[when we will update you]]."},
        {"step": "compensation", "text": "We are refunding 120 EUR to you right away; you "
                                         "don't need to ask for it."},
    ],
    "sign_off": "Best wishes,\n[[your name]]",
}


class StubModel:
    """An OpenAI-compatible chat endpoint that turns bad after `healthy` requests."""

    def __init__(self, mode: str, healthy: int) -> None:
        self.mode, self.healthy, self.seen = mode, healthy, 0
        self.lock, self.release = threading.Lock(), threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with stub.lock:
                    stub.seen += 1
                    bad = stub.seen > stub.healthy
                if bad and stub.mode == "stall":
                    stub.release.wait(30)
                status, body = (500, {"error": {"message": "model crashed"}}) if bad else (
                    200, {"id": "x", "object": "chat.completion", "created": 0, "model": "stub",
                          "choices": [{"index": 0, "finish_reason": "stop", "message": {
                              "role": "assistant", "content": json.dumps(EMAIL)}}],
                          "usage": {"prompt_tokens": 1, "completion_tokens": 1,
                                    "total_tokens": 2}})
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="default: a fresh temp store")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=None,
                        help="default: 2000 (60 with --fault)")
    parser.add_argument("--fault", choices=("fail", "stall"), default=None)
    parser.add_argument("--workers", type=int, default=None, help="compose serve --workers")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    total = args.requests or (60 if args.fault else 2000)
    store = ensure_store(args.store)
    stub = StubModel(args.fault, total // 3) if args.fault else None
    extra = ["--base-url", stub.url, "--timeout", "2", "--workers", "8"] if stub else []
    if args.workers:
        extra = [*extra, "--workers", str(args.workers)]
    server = Server(store, *extra)
    server.wait_healthy()

    warm = Client(server.host, server.port)
    checks = []
    for body in INCIDENTS:
        status, draft = warm.post("/v1/drafts", body)
        checks.append({"text": f"{draft['subject']}\n\n{draft['body']}",
                       "incident": body["incident"], "loss": body.get("loss")})

    if stub:  # the fault comes a third of the way into the measured requests
        stub.seen = 0
    lock = threading.Lock()
    counter = {"next": 0, "done": 0}
    rss: dict[int, float] = {}
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    degraded = Counter()

    def job(number: int) -> tuple[str, str, Any]:
        if stub:
            return "drafts", "POST", {**INCIDENTS[0], "revisions": 0}
        kind = number % 10
        if kind < 6:
            return "drafts", "POST", INCIDENTS[number % len(INCIDENTS)]
        if kind < 9:
            return "checks", "POST", checks[number % len(checks)]
        return "cards", "GET", None

    def client() -> None:
        http = Client(server.host, server.port)
        while True:
            with lock:
                number = counter["next"]
                if number >= total:
                    return
                counter["next"] += 1
            name, method, body = job(number)
            started = time.perf_counter()
            try:
                status, answer = (http.post(f"/v1/{name}", body) if method == "POST"
                                  else http.get(f"/v1/{name}"))
            except OSError as exc:
                status, answer = 0, str(exc)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings[name].append(elapsed)
                if status != 200:
                    errors.append(f"{name}: {status} {answer}")
                elif stub:
                    warnings = " ".join(answer["warnings"])
                    degraded["model draft" if answer["backend"] != "offline" else
                             "offline: model failed" if "backend failed" in warnings else
                             "offline: model draft refused or weak"] += 1
                counter["done"] += 1
                if counter["done"] in (500, total):
                    rss[counter["done"]] = server.rss_mb()

    wall = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    server.stop()
    if stub:
        stub.close()

    every = [t for values in timings.values() for t in values]
    growth = (rss[total] / rss[500] - 1) if 500 in rss and total in rss else None
    result = {
        "clients": args.clients, "requests": total, "fault": args.fault,
        "wall_s": round(wall, 1), "rps": round(total / wall, 1), "errors": len(errors),
        "p50_ms": round(percentile(every, 0.5), 1), "p95_ms": round(percentile(every, 0.95), 1),
        "by_endpoint": {name: {"n": len(v), "p50_ms": round(percentile(v, 0.5), 1),
                               "p95_ms": round(percentile(v, 0.95), 1)}
                        for name, v in sorted(timings.items())},
        "rss_mb": {str(k): round(v, 1) for k, v in sorted(rss.items())},
        "rss_growth": None if growth is None else round(growth, 4),
        "answers_by_backend": dict(degraded) if stub else None,
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{total} requests from {args.clients} clients in {wall:.1f} s "
              f"({result['rps']} req/s), {len(errors)} errors"
              + (f", model fault: {args.fault}" if stub else ""))
        print(f"all: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms")
        for name, row in result["by_endpoint"].items():
            print(f"  {name}: n={row['n']} p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms")
        if growth is not None:
            print(f"server RSS: {rss[500]:.1f} MB at request 500, {rss[total]:.1f} MB at "
                  f"request {total} ({growth:+.1%})")
        if stub:
            print(f"answers: {dict(degraded)}")
    for error in errors[:5]:
        print(f"error: {error}", file=sys.stderr)
    failed = errors or (growth is not None and growth >= 0.10)
    if stub:
        failed = failed or degraded["offline: model failed"] < total - total // 3 - args.clients
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
