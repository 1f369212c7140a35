"""`compose batch`: one checked draft per customer, in their language, resumable after a kill."""

from __future__ import annotations

import csv
import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from test_cli_kb import assert_one_line_error, compose

from composer.batch import load_done, run_batch
from composer.understand.incident import parse_loss

OUTAGE = {"text": "our checkout was down for three hours and customers were charged twice"}
NAMES = {"en": "Ana Smith", "it": "Giulia Rossi", "es": "Lucía García", "ru": "Иван Петров",
         "zh": "王芳"}
LANGS = list(NAMES)


def write_customers(path: Path, rows: list[list[str]],
                    header: tuple[str, ...] = ("id", "name", "email", "language", "loss",
                                               "prior failures", "plan")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def many(count: int) -> list[list[str]]:
    losses = ["120 EUR", "3 hours", "", "40 EUR", "2 days"]
    return [[f"c{i:04d}", NAMES[LANGS[i % 5]], f"c{i}@example.com", LANGS[i % 5],
             losses[(i // 5) % 5], str(i % 3), "pro"] for i in range(count)]


def records(out: Path) -> list[dict]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_each_customer_gets_a_checked_draft_in_their_language_capped(tmp_path,
                                                                     shipped_retriever):
    customers = write_customers(tmp_path / "customers.csv", many(10))
    out = tmp_path / "drafts.jsonl"
    result = run_batch(OUTAGE, customers, out, retriever=shipped_retriever,
                       max_compensation=parse_loss("50 EUR"), eml_dir=tmp_path / "eml",
                       progress=False)
    assert result.made == 10 and not result.errors
    lines = records(out)
    assert [r["id"] for r in lines] == [f"c{i:04d}" for i in range(10)]
    for record, row in zip(lines, many(10), strict=True):
        draft = record["draft"]
        assert draft["language"] == row[3]
        assert draft["check"]["verdict"] in ("ready", "needs_changes")
        assert record["status"] in ("ready", "needs_changes")
        comp = draft["compensation"]
        if comp["unit"] == "EUR" and comp["amount"] is not None:
            assert Decimal(comp["amount"]) <= 50
        # A repeat failure and a bigger loss change the offer: drafts are personalised.
    assert len({r["draft"]["body"] for r in lines}) == 10
    assert "Ana" in lines[0]["draft"]["body"]
    summary = list(csv.DictReader(result.summary.open(encoding="utf-8")))
    assert [row["id"] for row in summary] == [r["id"] for r in lines]
    assert sum(result.counts.values()) == 10
    message = email.message_from_bytes((tmp_path / "eml" / "c0004.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "c4@example.com"
    assert message["Subject"] == lines[4]["draft"]["subject"]
    assert message.get_content().strip() == lines[4]["draft"]["body"].strip()


def test_bad_rows_are_reported_by_line_and_the_run_goes_on(tmp_path, shipped_retriever):
    rows = many(3) + [
        ["c0100", "Jean", "j@example.com", "fr", "", "0", ""],      # line 5: unknown language
        ["c0101", "Ana", "a@example.com", "en", "lots", "0", ""],   # line 6: unreadable loss
        ["", "Nobody", "n@example.com", "en", "", "0", ""],         # line 7: no id
        ["c0001", "Twin", "t@example.com", "en", "", "0", ""],      # line 8: duplicate id
        ["c0102", "Ana", "b@example.com", "en", "", "many", ""],    # line 9: prior failures
    ]
    customers = write_customers(tmp_path / "customers.csv", rows)
    out = tmp_path / "drafts.jsonl"
    seen = []
    result = run_batch(OUTAGE, customers, out, retriever=shipped_retriever, progress=False,
                       on_error=seen.append)
    assert result.made == 3
    assert [e.line for e in result.errors] == [5, 6, 7, 8, 9] == sorted(e.line for e in seen)
    messages = [e.message for e in result.errors]
    assert "unknown language 'fr'" in messages[0]
    assert "cannot read loss" in messages[1]
    assert "no id" in messages[2]
    assert "duplicate id (first on line 3)" in messages[3]
    assert "prior_failures" in messages[4]
    summary = list(csv.DictReader(result.summary.open(encoding="utf-8")))
    assert [r["status"] for r in summary].count("error") == 5
    # Fix two rows and rerun: only they are drafted; the finished ones are kept as they were.
    before = out.read_text(encoding="utf-8")
    rows[3][3], rows[4][4] = "it", "30 EUR"
    write_customers(customers, rows)
    again = run_batch(OUTAGE, customers, out, retriever=shipped_retriever, progress=False)
    assert again.made == 2 and again.skipped == 3
    assert out.read_text(encoding="utf-8").startswith(before)
    assert [r["id"] for r in records(out)][-2:] == ["c0100", "c0101"]


def test_jsonl_customers_with_nested_facts(tmp_path, shipped_retriever):
    customers = tmp_path / "customers.jsonl"
    customers.write_text(
        json.dumps({"id": 7, "name": "Mario Bianchi", "language": "it", "loss": "20 EUR",
                    "facts": {"cause": "un aggiornamento sbagliato del server"}}) + "\n"
        + "not json\n", encoding="utf-8")
    result = run_batch(OUTAGE, customers, tmp_path / "out.jsonl", retriever=shipped_retriever,
                       progress=False)
    assert result.made == 1 and [e.line for e in result.errors] == [2]
    (record,) = records(tmp_path / "out.jsonl")
    assert record["id"] == "7" and record["draft"]["language"] == "it"
    assert "aggiornamento sbagliato" in record["draft"]["body"]


def test_a_line_cut_short_is_dropped_and_redone(tmp_path, shipped_retriever):
    customers = write_customers(tmp_path / "customers.csv", many(6))
    out = tmp_path / "drafts.jsonl"
    run_batch(OUTAGE, customers, out, retriever=shipped_retriever, progress=False)
    whole = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(whole[:4]) + whole[4][: len(whole[4]) // 2])  # killed mid-write
    assert set(load_done(out)) == {"c0000", "c0001", "c0002", "c0003"}
    again = run_batch(OUTAGE, customers, out, retriever=shipped_retriever, progress=False)
    assert again.made == 2 and again.skipped == 4
    assert [r["id"] for r in records(out)] == [f"c{i:04d}" for i in range(6)]


@pytest.mark.slow
def test_kill_9_mid_run_loses_no_finished_draft(tmp_path, shipped_store):
    customers = write_customers(tmp_path / "customers.csv", many(400))
    out = tmp_path / "drafts.jsonl"
    args = [sys.executable, "-m", "composer", "batch", "--incident", OUTAGE["text"],
            "--customers", str(customers), "--out", str(out), "--store",
            str(shipped_store.path), "--max-compensation", "50 EUR"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 25:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    finished = out.read_bytes()
    finished = finished[: finished.rfind(b"\n") + 1]  # whole lines: the drafts it finished
    before = {r["id"]: r for r in map(json.loads, finished.decode("utf-8").splitlines())}
    assert 25 <= len(before) < 400
    rerun = subprocess.run([*args, "--json"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["skipped"] == len(before) and summary["made"] == 400 - len(before)
    after = records(out)
    assert sorted(r["id"] for r in after) == [f"c{i:04d}" for i in range(400)]  # once each
    assert {r["id"]: r for r in after if r["id"] in before} == before  # kept, unchanged


def test_cli_errors_are_one_line(tmp_path, shipped_store):
    store = ["--store", str(shipped_store.path)]
    customers = write_customers(tmp_path / "c.csv", [["x", "Ana"]], header=("ref", "name"))
    assert_one_line_error(compose("batch", "--customers", str(customers), "--out",
                                  str(tmp_path / "o.jsonl"), *store), "--incident")
    assert_one_line_error(compose("batch", "--incident", "late parcel", "--customers",
                                  str(customers), "--out", str(tmp_path / "o.jsonl"), *store),
                          "no 'id' column")
    assert_one_line_error(compose("batch", "--incident", "late parcel", "--customers",
                                  str(tmp_path / "missing.csv"), "--out",
                                  str(tmp_path / "o.jsonl"), *store), "no customers file")
