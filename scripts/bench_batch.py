"""Benchmark `compose batch`: N customers in five languages, offline, in a new process.

    python scripts/bench_batch.py [--customers 1000] [--store DIR] [--keep DIR]

Writes a customers CSV (ids, names, emails, languages en/it/es/ru/zh, money and time losses,
prior failures, plans), runs `compose batch ... --eml-dir` on it, and prints the wall time, the
end summary and the drafts per second. Target: 1,000 customers in <= 60 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _serve_util import ensure_store

NAMES = {"en": "Ana Smith", "it": "Giulia Rossi", "es": "Lucía García", "ru": "Иван Петров",
         "zh": "王芳"}


def write_customers(path: Path, count: int) -> None:
    rng = random.Random(16)
    langs = list(NAMES)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "email", "language", "loss", "prior failures", "plan"])
        for i in range(count):
            lang = langs[i % 5]
            loss = rng.choice(["", f"{rng.randint(5, 300)} EUR", f"{rng.randint(1, 8)} hours"])
            writer.writerow([f"c{i:05d}", NAMES[lang], f"c{i}@example.com", lang, loss,
                             rng.choice(["0", "0", "1", "3"]), rng.choice(["pro", "basic"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--store", type=Path, default=None, help="default: a fresh temp store")
    parser.add_argument("--keep", type=Path, default=None, help="write the outputs here")
    args = parser.parse_args()
    store = ensure_store(args.store)
    work = args.keep or Path(tempfile.mkdtemp(prefix="batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    customers = work / "customers.csv"
    write_customers(customers, args.customers)
    out = work / "drafts.jsonl"
    out.unlink(missing_ok=True)
    compose = Path(sys.executable).with_name("compose")
    started = time.perf_counter()
    run = subprocess.run(
        [str(compose), "batch", "--incident", "our checkout was down for three hours and "
         "customers were charged twice", "--customers", str(customers), "--out", str(out),
         "--eml-dir", str(work / "eml"), "--max-compensation", "50 EUR", "--store", str(store),
         "--json"], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if run.returncode not in (0, 1):
        sys.exit(f"compose batch failed: {run.stderr}")
    result = json.loads(run.stdout)
    print(f"{args.customers} customers, five languages, offline: {wall:.1f} s wall "
          f"(new process), {result['seconds']:.1f} s drafting, "
          f"{args.customers / wall:.0f} drafts/s; target <= 60 s")
    print(f"results: {result['counts']}, errors: {len(result['errors'])}")
    print(f"outputs in {work}")


if __name__ == "__main__":
    main()
