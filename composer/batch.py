"""`compose batch`: one personalised, checked draft per affected customer, resumable.

An outage hits every customer on a plan, each with their own language, loss and history. This
drafts them all through the same `compose()` the CLI uses, on one opened store, and appends each
draft to a JSONL file (flushed and fsynced) as soon as it is made: a rerun skips the customers
already done, and a killed run loses no finished draft. A bad row is reported with its line
number and the run goes on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Any

from composer.backends.base import Backend
from composer.errors import ComposerError
from composer.knowledge.retrieval import Hits, Retriever
from composer.pipeline import Draft, compose
from composer.progress import progress_bar
from composer.understand.incident import Loss, parse_fact

STATUSES = ("ready", "needs_changes", "no_apology_due")
SUMMARY_COLUMNS = ("id", "line", "name", "email", "language", "status", "verdict", "score",
                   "compensation", "fill_ins", "problems", "eml", "error")
# Column names as support tools export them, mapped to ours.
_ALIASES = {
    "customer": "name", "customer_name": "name", "full_name": "name", "lang": "language",
    "locale": "language", "tier": "plan", "plan_tier": "plan", "failures": "prior_failures",
    "prior_failure": "prior_failures", "previous_failures": "prior_failures",
    "customer_id": "id", "e_mail": "email", "mail": "email",
}
_KNOWN = {"id", "name", "email", "language", "loss", "prior_failures", "plan"}
MEMO_SIZE = 256


class BatchError(ComposerError):
    """A customers file or output that cannot be used at all (not a single bad row)."""


@dataclass
class Customer:
    """One affected customer, as read from the file (`line` is where the row starts)."""

    line: int
    id: str
    name: str | None = None
    email: str | None = None
    language: str | None = None
    loss: str | None = None
    prior_failures: str | None = None
    plan: str | None = None
    facts: dict[str, str] = field(default_factory=dict)

    def incident(self, base: Mapping[str, Any]) -> dict[str, Any]:
        """The shared incident, personalised. The email address stays out of it: it is only
        needed for the .eml file and must not reach a model prompt."""
        data = dict(base)
        for key, value in self.facts.items():
            data[key] = value
        own = {"customer": self.name, "language": self.language and self.language.lower(),
               "loss": self.loss, "prior_failures": self.prior_failures, "plan": self.plan}
        data.update({k: v for k, v in own.items() if v})
        return data


@dataclass
class RowError:
    line: int
    id: str | None
    message: str

    def __str__(self) -> str:
        who = f" (id {self.id})" if self.id else ""
        return f"line {self.line}{who}: {self.message}"


@dataclass
class BatchResult:
    """What a run did; `counts` covers every customer in the output, this run and earlier."""

    total: int
    made: int
    skipped: int
    counts: Counter
    errors: list[RowError]
    seconds: float
    out: Path
    summary: Path
    eml_dir: Path | None

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "made": self.made, "skipped": self.skipped,
                "counts": {s: self.counts.get(s, 0) for s in STATUSES},
                "errors": [{"line": e.line, "id": e.id, "message": e.message}
                           for e in self.errors],
                "seconds": round(self.seconds, 2), "out": str(self.out),
                "summary": str(self.summary), "eml_dir": str(self.eml_dir or "") or None}


# --- reading customers -------------------------------------------------------------------------


def _column(name: str) -> str:
    key = re.sub(r"[\s\-/]+", "_", name.strip().lower())
    return _ALIASES.get(key, key)


def _customer(line: int, row: Mapping[str, Any]) -> Customer | RowError:
    values = {_column(str(k)): ("" if v is None else str(v).strip())
              for k, v in row.items() if k is not None}
    cid = values.get("id", "")
    if not cid:
        return RowError(line, None, "no id: every customer needs one (it is how a rerun "
                                    "knows who is done)")
    facts: dict[str, str] = {}
    for key, value in values.items():
        if key in _KNOWN or not value:
            continue
        try:
            fact, text = parse_fact(f"{key}={value}")  # the CLI's --fact rules
        except ComposerError as exc:
            return RowError(line, cid, f"column {key!r}: {exc}")
        facts[fact] = text
    known = {k: values.get(k) or None for k in _KNOWN - {"id"}}
    return Customer(line, cid, facts=facts, **known)


def read_customers(path: Path) -> Iterator[Customer | RowError]:
    """Customers from a CSV (or TSV) with a header row, or from JSONL (one object a line)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise BatchError(f"no customers file {path}") from exc
    except OSError as exc:
        raise BatchError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError(f"{path} is not UTF-8 text: save it as UTF-8 CSV or JSONL") from exc
    if not text.strip():
        raise BatchError(f"{path} is empty: give a header row (id, name, email, language, loss, "
                         "prior_failures, plan, ...) and one row per customer")
    suffix = path.suffix.lower()
    jsonl = suffix in (".jsonl", ".ndjson", ".json") or (
        suffix not in (".csv", ".tsv", ".txt") and text.lstrip().startswith("{"))
    if jsonl:
        yield from _read_jsonl(text)
    else:
        yield from _read_csv(path, text, "\t" if suffix == ".tsv" else None)


def _read_jsonl(text: str) -> Iterator[Customer | RowError]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RowError(number, None, f"not valid JSON: {exc.msg}")
            continue
        if not isinstance(row, dict):
            yield RowError(number, None, "expected a JSON object with at least 'id'")
            continue
        nested = row.pop("facts", None)
        if isinstance(nested, dict):
            row.update(nested)
        yield _customer(number, row)


def _read_csv(path: Path, text: str, delimiter: str | None) -> Iterator[Customer | RowError]:
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], ",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [_column(c) for c in reader.fieldnames or []]
    if "id" not in columns:
        raise BatchError(f"{path}: no 'id' column (found: {', '.join(columns) or 'none'}); the "
                         "header needs id and may have name, email, language, loss, "
                         "prior_failures, plan and any facts")
    start = reader.line_num + 1
    for row in reader:
        if None in row:  # more cells than the header has names
            yield RowError(start, row.get(reader.fieldnames[0]) if reader.fieldnames else None,
                           f"{len(row[None])} more cell(s) than the header has columns")
        elif any(v is None for v in row.values()):
            yield RowError(start, None, "fewer cells than the header has columns")
        elif any((v or "").strip() for v in row.values()):
            yield _customer(start, row)
        start = reader.line_num + 1


# --- the output ------------------------------------------------------------------------------


def load_done(out: Path) -> dict[str, dict[str, Any]]:
    """The customers already drafted in `out`, by id. A last line cut short by a kill is
    dropped from the file, so the next append starts on a fresh line."""
    if not out.exists():
        return {}
    data = out.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):  # a partial last line: the draft it was writing was not finished
        with out.open("r+b") as handle:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
    done: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(data[:end].splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BatchError(f"{out}:{number}: not a line this command wrote ({exc.msg}); "
                             "move the file aside or pick another --out") from exc
        if not isinstance(record, dict) or "id" not in record:
            raise BatchError(f"{out}:{number}: not a line this command wrote (no id)")
        done[str(record["id"])] = record
    return done


def status_of(draft: Draft) -> str:
    """ready / needs_changes / no_apology_due. Fill-ins left for the sender do not count as a
    problem (they are listed per draft); anything else the checker or guard finds does."""
    if not draft.should_apologize:
        return "no_apology_due"
    return "needs_changes" if draft.problems else "ready"


def _record(customer: Customer, draft: Draft, eml: str | None) -> dict[str, Any]:
    return {"id": customer.id, "line": customer.line, "name": customer.name,
            "email": customer.email, "status": status_of(draft), "eml": eml,
            "draft": draft.as_dict()}


def _append(handle: Any, record: dict[str, Any]) -> None:
    """One whole line, on disk before the next draft starts: a kill loses nothing finished."""
    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    handle.flush()
    os.fsync(handle.fileno())


def eml_name(customer_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", customer_id).strip("._") or "customer"
    if safe != customer_id:  # two ids that clean up the same must not share a file
        safe += "-" + hashlib.sha1(customer_id.encode()).hexdigest()[:8]
    return f"{safe[:120]}.eml"


def write_eml(directory: Path, customer: Customer, draft: Draft, sender: str | None) -> Path:
    """An unsent draft a mail client opens (X-Unsent: 1 makes Outlook open it for editing)."""
    message = EmailMessage()
    if customer.email:
        message["To"] = formataddr((customer.name or "", customer.email))
    if sender and "@" in sender:
        message["From"] = sender
    message["Subject"] = draft.subject
    message["X-Unsent"] = "1"
    message.set_content(draft.body, charset="utf-8", cte="quoted-printable")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / eml_name(customer.id)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(bytes(message))
    partial.replace(path)
    return path


def write_summary(path: Path, done: Mapping[str, dict[str, Any]], errors: list[RowError],
                  customers: Mapping[str, Customer]) -> None:
    """One CSV row per customer (drafted or failed), written whole or not at all."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in done.values():
        draft = record.get("draft") or {}
        check = draft.get("check") or {}
        comp = draft.get("compensation") or {}
        writer.writerow({
            "id": record["id"], "line": record.get("line"), "name": record.get("name"),
            "email": record.get("email"), "language": draft.get("language"),
            "status": record.get("status"), "verdict": check.get("verdict"),
            "score": check.get("score"),
            "compensation": comp.get("summary") if draft.get("should_apologize") else "",
            "fill_ins": len(draft.get("fill_ins") or []),
            "problems": "; ".join(check.get("problems") or []), "eml": record.get("eml") or "",
            "error": "",
        })
    for error in errors:
        customer = customers.get(error.id or "")
        writer.writerow({"id": error.id or "", "line": error.line, "status": "error",
                         "name": customer.name if customer else "",
                         "email": customer.email if customer else "", "error": error.message})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(buffer.getvalue(), encoding="utf-8")
    partial.replace(path)


# --- the run ---------------------------------------------------------------------------------


class MemoRetriever:
    """The same cards for the same incident text: every customer shares one incident, so its
    retrieval (the e5 forward pass and the Chroma query) runs once, not once per customer."""

    def __init__(self, retriever: Retriever, size: int = MEMO_SIZE) -> None:
        self._inner = retriever
        self._memo: dict[tuple, Hits] = {}
        self._size = size

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def retrieve(self, query: str, k: int = 5, kinds: Any = None, tags: Any = None) -> Hits:
        key = (query, k, tuple(kinds or ()), tuple(sorted((tags or {}).items())))
        hits = self._memo.get(key)
        if hits is None:
            hits = self._inner.retrieve(query, k, kinds, tags)
            if len(self._memo) >= self._size:
                self._memo.clear()
            self._memo[key] = hits
        return Hits(hits)


def run_batch(
    incident: Mapping[str, Any],
    customers: Path,
    out: Path,
    *,
    retriever: Retriever,
    backend: Backend | str | None = None,
    max_compensation: Loss | None = None,
    summary: Path | None = None,
    eml_dir: Path | None = None,
    revisions: int = 2,
    progress: bool = True,
    on_error: Callable[[RowError], None] | None = None,
) -> BatchResult:
    """Draft every customer in `customers` not already in `out`; see the module docstring.

    Long because resuming, the progress bar and the per-customer error rows share one loop."""
    started = time.perf_counter()
    summary = summary or out.with_suffix(".csv")
    if summary.resolve() == out.resolve():
        raise BatchError(f"the summary and --out are both {out}: give --summary another path")
    rows = list(read_customers(customers))
    done = load_done(out)
    errors: list[RowError] = []
    todo: list[Customer] = []
    seen: dict[str, int] = {}
    by_id: dict[str, Customer] = {}

    def fail(error: RowError) -> None:
        errors.append(error)
        if on_error is not None:
            on_error(error)

    for row in rows:
        if isinstance(row, RowError):
            fail(row)
        elif row.id in seen:
            fail(RowError(row.line, row.id, f"duplicate id (first on line {seen[row.id]})"))
        else:
            seen[row.id] = row.line
            by_id[row.id] = row
            if row.id not in done:
                todo.append(row)
    if not seen and not errors:
        raise BatchError(f"{customers}: no customers in it")
    memo = MemoRetriever(retriever)
    sender = incident.get("sender")
    made = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with out.open("a", encoding="utf-8") as handle, progress_bar(progress) as bar:
            task = bar.add_task("drafting", total=len(todo))
            for customer in todo:
                try:
                    draft = compose(customer.incident(incident), backend=backend,
                                    retriever=memo, max_compensation=max_compensation,  # type: ignore[arg-type]
                                    revise=revisions, progress=False)
                    eml = None
                    if eml_dir is not None and draft.should_apologize:
                        eml = str(write_eml(eml_dir, customer, draft, sender))
                    record = _record(customer, draft, eml)
                    _append(handle, record)
                    done[customer.id] = record
                    made += 1
                except ComposerError as exc:
                    fail(RowError(customer.line, customer.id, str(exc)))
                except Exception as exc:  # a bug on one row must not cost the other drafts
                    fail(RowError(customer.line, customer.id,
                                  f"internal error: {type(exc).__name__}: {exc}"))
                bar.advance(task)
    finally:  # also on Ctrl-C: the summary covers what is done
        errors.sort(key=lambda e: e.line)
        write_summary(summary, done, errors, by_id)
    counts = Counter(str(r.get("status")) for r in done.values())
    return BatchResult(len(rows), made, len(seen) - len(todo), counts, errors,
                       time.perf_counter() - started, out, summary, eml_dir)


def render_result(result: BatchResult) -> Any:
    """The end summary for the terminal: how many are ready, need changes, need no apology,
    failed; where the files are."""
    from rich.console import Group
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    table.add_column("result")
    table.add_column("customers", justify="right")
    labels = {"ready": "[green]ready[/]", "needs_changes": "[yellow]needs changes[/]",
              "no_apology_due": "[cyan]no apology due[/]"}
    for status in STATUSES:
        table.add_row(labels[status], str(result.counts.get(status, 0)))
    table.add_row("[red]errors[/]", str(len(result.errors)))
    lines: list[Any] = [
        f"{result.total} customers: {result.made} drafted now, {result.skipped} already done, "
        f"in {result.seconds:.1f} s", table, f"drafts: {result.out}", f"summary: {result.summary}",
    ]
    if result.eml_dir is not None:
        lines.append(f"emails: {result.eml_dir}")
    if result.errors:
        lines.append("[red]rows with errors[/] (fix them and rerun: finished drafts are kept):")
        lines.extend(f"  {escape(str(error))}" for error in result.errors[:20])
        if len(result.errors) > 20:
            lines.append(f"  … and {len(result.errors) - 20} more (see the summary CSV)")
    return Group(*lines)
