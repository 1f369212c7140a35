"""The `compose` command: a thin typer layer over the library. Errors become one line and exit 2."""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from composer.cli.evals import eval_app
from composer.cli.kb import kb_app
from composer.cli.options import (
    BaseUrlOpt,
    ChromaUrlOpt,
    JsonOpt,
    LossOpt,
    ModelOpt,
    SeverityOpt,
    StoreOpt,
    err,
    out,
    show_draft,
    store_config,
)
from composer.errors import ComposerError

app = typer.Typer(
    help="Compose and check customer apology emails grounded in service-recovery research.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(kb_app, name="kb")
app.add_typer(eval_app, name="eval")


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    incident: Annotated[
        str | None, typer.Option("--incident", help="What went wrong, in a sentence or two.")
    ] = None,
    incident_file: Annotated[
        Path | None,
        typer.Option("--incident-file", help="Incident as YAML/JSON; flags override."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="en, it, es, ru or zh. Default: detected.")
    ] = None,
    tone: Annotated[str | None, typer.Option("--tone", help="formal, warm or playful.")] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="reply, proactive or newsletter.")
    ] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Customer name.")] = None,
    company: Annotated[str | None, typer.Option("--company", help="Your company.")] = None,
    sender: Annotated[str | None, typer.Option("--sender", help="Who signs the email.")] = None,
    severity: SeverityOpt = None,
    loss: LossOpt = None,
    fact: Annotated[
        list[str] | None,
        typer.Option("--fact", help="key=value, repeatable: cause, eta, prevention, done, scope, "
                     "fix_status (investigating|fixed), prior_failures, gesture …"),
    ] = None,
    max_compensation: Annotated[
        str | None, typer.Option("--max-compensation", help="Policy cap, e.g. '50 EUR'.")
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option("--backend", help="offline or openai. Default: openai if --base-url or "
                     "OPENAI_BASE_URL is set, else offline."),
    ] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for a model answer.")
    ] = 120.0,
    revisions: Annotated[
        int, typer.Option("--revisions", min=0, max=5,
                          help="Rounds of revision for a model draft the checker flags.")
    ] = 2,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if the model fails (offline draft used).")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also show retrieved cards, scores and token budget.")
    ] = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    as_json: JsonOpt = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="On any command: show the full trace of an "
                           "unexpected error (also COMPOSER_DEBUG=1).")
    ] = False,
) -> None:
    """Compose an apology email for an incident, or say that none is due.

    Example: compose --incident "wrong bank account" --customer Ana --loss "120 EUR"
    """
    # Long because typer declares every option as a parameter; the body only calls compose().
    del debug  # read by main() before typer parses, so it works on every command
    if ctx.invoked_subcommand is not None:
        return
    if incident is None and incident_file is None:
        out.print(ctx.get_help())
        return
    with _lifelong():
        from composer.cli.render import render_draft
        from composer.pipeline import FallbackError, compose
        from composer.understand.incident import parse_fact, read_incident_file

    data = read_incident_file(incident_file) if incident_file is not None else {}
    for key, value in [parse_fact(item) for item in fact or []]:
        data[key] = value
    flags = {"text": incident, "language": lang, "tone": tone, "channel": channel,
             "customer": customer, "company": company, "sender": sender, "severity": severity,
             "loss": loss}
    data.update({k: v for k, v in flags.items() if v is not None})
    try:
        draft = compose(
            data, backend=backend, model=model, base_url=base_url, timeout=timeout,
            max_compensation=max_compensation, store=store_config(store, chroma_url, None),
            revise=revisions, strict=strict, progress=not as_json,
        )
    except FallbackError as exc:
        draft = exc.draft
        draft.warnings = [w for w in draft.warnings if w != str(exc)]  # said once, as the error
        show_draft(draft, as_json, explain, render_draft)
        err.print(f"[red]error:[/] {exc} (--strict)", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    show_draft(draft, as_json, explain, render_draft)


@app.command("check")
def check_command(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="The apology; '-' reads stdin.")],
    incident: Annotated[
        str | None, typer.Option("--incident", help="What happened, in a sentence or two.")
    ] = None,
    severity: SeverityOpt = None,
    loss: LossOpt = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language code; default: detected.")
    ] = None,
    judge: Annotated[
        bool, typer.Option("--judge", help="Also ask an LLM judge (needs a model server).")
    ] = False,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also show each sentence with its labels, who "
                           "found them and the model's confidence.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check an apology against the rubric, anti-patterns and compensation rules.

    Exit 0 when ready (or no apology is due), 1 when it needs changes, 2 on a usage error.
    """
    from composer.checking.checker import check, incident_from_options
    from composer.cli.check_inputs import read_check_input
    from composer.cli.check_render import render_report, render_sentences

    text = read_check_input(source)
    llm_judge = None
    if judge:
        from composer.backends.openai import OpenAIBackend
        from composer.checking.judge import JUDGE_MODEL, Judge

        llm_judge = Judge(OpenAIBackend(model or JUDGE_MODEL, base_url, temperature=0))
    report = check(text, incident_from_options(incident, severity, loss), language=lang,
                   judge=llm_judge)
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        out.print(render_report(report))
        if explain:
            out.print(render_sentences(report))
    raise typer.Exit(1 if report.verdict == "needs_changes" else 0)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; anything but "
                                      "loopback needs COMPOSER_API_TOKEN.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free).")
                    ] = 8000,
    backend: Annotated[
        str | None, typer.Option("--backend", help="offline or openai (default as compose).")
    ] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for a model answer.")
    ] = 20.0,
    request_timeout: Annotated[
        float, typer.Option("--request-timeout", min=1, help="Seconds before a request is "
                            "answered 504.")
    ] = 60.0,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, max=32, help="Drafts at once (default: 1 "
                                 "offline, 4 with a model).", show_default=False)
    ] = None,
    access_log: Annotated[bool, typer.Option("--access-log", help="Log every request.")] = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
) -> None:
    """Serve the HTTP API (/v1/drafts, /v1/checks, /v1/cards) and the web page at /."""
    try:  # lazily: `compose --incident` never imports FastAPI
        from composer.service import serve
    except ImportError as exc:
        raise ComposerError(f"compose serve needs the serve extra ({exc.name} is missing): "
                            "pip install 'apology-composer[serve]'") from None

    serve(host, port, store_config(store, chroma_url, None), backend=backend, model=model,
          base_url=base_url, timeout=timeout, request_timeout=request_timeout,
          workers=workers, access_log=access_log, announce=err.print)


@app.command("batch")
def batch_command(
    customers: Annotated[
        Path, typer.Option("--customers", help="CSV or JSONL: id, name, email, language, loss, "
                           "prior_failures, plan, and any facts.")
    ],
    out_file: Annotated[
        Path, typer.Option("--out", help="Drafts as JSONL, appended (resumable).")
    ],
    incident: Annotated[
        str | None, typer.Option("--incident", help="What went wrong, for all of them.")
    ] = None,
    incident_file: Annotated[
        Path | None, typer.Option("--incident-file", help="Incident as YAML/JSON; flags override.")
    ] = None,
    summary: Annotated[
        Path | None, typer.Option("--summary", help="CSV summary (default: --out with .csv).",
                                  show_default=False)
    ] = None,
    eml_dir: Annotated[
        Path | None, typer.Option("--eml-dir", help="Also write one .eml draft per customer.")
    ] = None,
    tone: Annotated[str | None, typer.Option("--tone", help="formal, warm or playful.")] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="reply, proactive or newsletter.")
    ] = None,
    company: Annotated[str | None, typer.Option("--company", help="Your company.")] = None,
    sender: Annotated[str | None, typer.Option("--sender", help="Who signs the emails.")] = None,
    severity: SeverityOpt = None,
    loss: Annotated[
        str | None, typer.Option("--loss", help="Loss for rows that give none.")
    ] = None,
    fact: Annotated[
        list[str] | None, typer.Option("--fact", help="key=value for every draft (repeatable).")
    ] = None,
    max_compensation: Annotated[
        str | None, typer.Option("--max-compensation", help="Policy cap, e.g. '50 EUR'.")
    ] = None,
    backend: Annotated[
        str | None, typer.Option("--backend", help="offline or openai (default as compose).")
    ] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for a model answer.")
    ] = 120.0,
    revisions: Annotated[
        int, typer.Option("--revisions", min=0, max=5, help="Revision rounds for model drafts.")
    ] = 2,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One checked draft per affected customer. Rerun to resume; exit 1 if a row failed."""
    # Long because typer declares every option as a parameter; the body only calls run_batch().
    from rich.markup import escape

    from composer.backends import get_backend
    from composer.batch import render_result, run_batch
    from composer.knowledge.retrieval import Retriever
    from composer.understand.incident import parse_fact, parse_loss, read_incident_file

    if incident is None and incident_file is None:
        raise ComposerError("give --incident TEXT or --incident-file FILE: what went wrong")
    data = read_incident_file(incident_file) if incident_file is not None else {}
    for key, value in [parse_fact(item) for item in fact or []]:
        data[key] = value
    flags = {"text": incident, "tone": tone, "channel": channel, "company": company,
             "sender": sender, "severity": severity, "loss": loss}
    data.update({k: v for k, v in flags.items() if v is not None})
    cap = parse_loss(max_compensation) if max_compensation else None
    chosen = get_backend(backend, model=model, base_url=base_url, timeout=timeout)
    retriever = Retriever.open(store_config(store, chroma_url, None), progress=not as_json)
    result = run_batch(
        data, customers, out_file, retriever=retriever, backend=chosen, max_compensation=cap,
        summary=summary, eml_dir=eml_dir, revisions=revisions, progress=not as_json,
        on_error=lambda e: err.print(f"[yellow]skipped[/] {escape(f'{customers}:{e}')}",
                                     highlight=False, soft_wrap=True),
    )
    if as_json:
        out.print_json(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        err.print(render_result(result))
    if result.errors:
        raise typer.Exit(1)


@contextmanager
def _lifelong() -> Iterator[None]:
    """The cyclic collector stays off in the block and leaves what it made alone afterwards
    (`gc.freeze`): the modules compose imports are most of the process's objects and live as
    long as it, so every collection that walked them freed nothing (~0.2 s of a cold compose)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _usage_errors() -> tuple[type[Exception], ...]:
    """Click's UsageError, wherever this typer keeps it (newer typers vendor click)."""
    import importlib

    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(importlib.import_module(module).UsageError)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def main() -> None:
    """Console-script entry: user errors become one line on stderr and exit code 2.

    Anything unexpected is one line too (what failed, the likely fix, where the full trace was
    written), unless `--debug` or COMPOSER_DEBUG=1 asks for the trace itself.
    """
    debug = "--debug" in sys.argv[1:] or os.environ.get("COMPOSER_DEBUG", "").strip().lower() \
        not in ("", "0", "false", "no", "off")
    sys.argv[1:] = [arg for arg in sys.argv[1:] if arg != "--debug"]  # valid on any command
    try:
        code = app(standalone_mode=False)
    except _usage_errors() as exc:  # an unknown flag, a value out of range
        if type(exc).__name__ == "NoArgsIsHelpError":  # `compose kb`: show that group's help
            exc.show()  # type: ignore[attr-defined]
        else:
            err.print(f"[red]error:[/] {exc.format_message()} (see --help)",  # type: ignore[attr-defined]
                      highlight=False, soft_wrap=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        sys.exit(130)
    except ComposerError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except Exception as exc:
        if debug:
            raise
        _report_crash(exc)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def _report_crash(exc: Exception) -> None:
    """One line for an unexpected failure; the full trace goes to a file the user can attach."""
    import traceback

    command = _command_name(sys.argv[1:])
    trace = "".join(traceback.format_exception(exc))
    where = _write_trace(trace)
    saved = (f"full trace in {where} (or rerun with --debug)" if where
             else "rerun with --debug for the full trace")
    from rich.markup import escape

    reason = " ".join(str(exc).split())[:160] or "no message"
    err.print(f"[red]error:[/] {escape(command)} failed unexpectedly: {type(exc).__name__}: "
              f"{escape(reason)}. Likely fix: {_likely_fix(exc)}; {escape(saved)}.",
              highlight=False, soft_wrap=True)


def _command_name(args: list[str]) -> str:
    """`compose kb build`, `compose check`: the command's own words, never an option's value
    (which may be a customer's text)."""
    words = ["compose"]
    groups = {"kb": kb_app, "eval": eval_app}
    commands = {c.name for c in app.registered_commands} | set(groups)
    for arg in args:
        if arg in commands:
            words.append(arg)
            if arg in groups:
                sub = {c.name for c in groups[arg].registered_commands}
                words += [a for a in args if a in sub][:1]
            break
    return " ".join(words)


def _likely_fix(exc: Exception) -> str:
    if isinstance(exc, BrokenPipeError):
        return "the output was closed early (a pipe such as | head); write it to a file"
    if isinstance(exc, PermissionError):
        return "check the permissions of the files and --store directory it uses"
    if isinstance(exc, OSError):
        return "check the paths you gave and that the disk has space"
    if isinstance(exc, ImportError):
        return ("a dependency is missing or at an untested version: compare `pip list` with "
                "requirements.lock (README: Tested versions)")
    if isinstance(exc, MemoryError):
        return "free some memory, or run fewer jobs at once"
    return ("probably a bug, or a dependency at an untested version (compare `pip list` with "
            "requirements.lock); please report it with the trace")


def _write_trace(trace: str) -> Path | None:
    """The trace in the user's log directory, else the temp directory; None if neither works."""
    import tempfile
    import time

    from platformdirs import user_log_path

    for directory in (user_log_path("apology-composer"), Path(tempfile.gettempdir())):
        path = directory / f"composer-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(trace, encoding="utf-8")
            return path
        except OSError:
            continue
    return None
