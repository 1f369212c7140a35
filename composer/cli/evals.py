"""`compose eval ...`: measure retrieval, checking and drafting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from composer.cli.options import (
    BaseUrlOpt,
    ChromaUrlOpt,
    EmbedderOpt,
    JsonOpt,
    ModelOpt,
    StoreOpt,
    err,
    out,
    store_config,
    write_file,
)
from composer.errors import ComposerError

eval_app = typer.Typer(help="Measure retrieval, checking and drafting.", no_args_is_help=True)


@eval_app.command("retrieval")
def eval_retrieval(
    cases: Annotated[
        Path | None, typer.Option("--cases", help="A retrieval YAML (default: the shipped set).")
    ] = None,
    k: Annotated[int, typer.Option("--k", help="Cards retrieved per query.")] = 3,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Recall@1, recall@3 and MRR per language on the retrieval eval set."""
    from composer.evals.retrieval import evaluate_retrieval
    from composer.knowledge.retrieval import Retriever

    retriever = Retriever.open(store_config(store, chroma_url, embedder))
    result = evaluate_retrieval(retriever, cases, progress=not as_json)
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
        return
    out.print(result.table())


@eval_app.command("check")
def eval_check(
    cases: Annotated[
        Path | None,
        typer.Option("--cases", help="A directory of case YAMLs (default: the shipped set)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Precision and recall per rubric step, anti-pattern and compensation finding."""
    from composer.evals.checker import evaluate_check

    result = evaluate_check(cases)
    if as_json:
        out.print_json(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    out.print(result.table())
    low = result.below_target()
    if low:
        out.print(f"[red]below target:[/] {', '.join(low)}")
    for mistake in result.mistakes:
        out.print(f"  [dim]{mistake}[/]")


@eval_app.command("invented")
def eval_invented(
    cases: Annotated[
        Path | None,
        typer.Option("--cases", help="A directory of case YAMLs (default: evals/cases)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Drafts with a figure to test.")] = 50,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """invented_fact on offline drafts: each checked as written (nothing may be flagged) and
    with one figure changed (it must be flagged). Exit 1 below 95% caught or on a false alarm."""
    from composer.evals.invented import evaluate_invented
    from composer.progress import progress_bar

    with progress_bar(not as_json) as bar:
        task = bar.add_task("composing and planting", total=None)
        result = evaluate_invented(cases, limit, store=store_config(store, None, None),
                                   on_case=lambda: bar.advance(task))
    if as_json:
        out.print_json(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        rate = result.catch_rate
        out.print(f"invented_fact: {result.caught}/{result.drafts} planted figures caught "
                  f"({rate or 0:.0%}); {result.untouched_flagged} of {result.drafts} untouched "
                  "drafts flagged")
        for case in result.missed:
            out.print(f"  [dim]missed: {case}[/]")
        for case in result.false_alarms:
            out.print(f"  [red]false alarm:[/] {case}")
    if (result.catch_rate or 0) < 0.95 or result.untouched_flagged:
        raise typer.Exit(1)


@eval_app.command("run")
def eval_run(
    cases: Annotated[
        Path | None,
        typer.Option("--cases", help="A directory of case YAMLs (default: evals/cases)."),
    ] = None,
    backend: Annotated[
        str | None, typer.Option("--backend", help="offline (default) or openai.")
    ] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds per model call.")
                       ] = 120.0,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", min=1, help="Cases at once (default: 4 for a model, 1 "
                     "offline).", show_default=False),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the full result as JSON ('-': stdout).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a self-contained HTML report.")
    ] = None,
    markdown: Annotated[
        Path | None, typer.Option("--markdown", help="Also write the Markdown summary here.")
    ] = None,
    gate: Annotated[
        Path | None,
        typer.Option("--gate", help="Thresholds YAML (e.g. evals/gate.yaml): exit 1 if missed."),
    ] = None,
    prices: Annotated[
        Path | None, typer.Option("--prices", help="USD per 1M tokens by model (YAML).")
    ] = None,
    prompts: Annotated[
        Path | None,
        typer.Option("--prompts", help="A prompt variant: a directory laid out like prompts/."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ask the model again instead of the cache.")
    ] = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
) -> None:
    """Compose and check every eval case; print the scorecard, write JSON/HTML, apply a gate."""
    # Long because typer declares every option as a parameter; the body only calls run_suite().
    from platformdirs import user_cache_path

    from composer.evals.suite import load_gate, load_prices, run_suite

    thresholds = load_gate(gate) if gate else None
    price_table = load_prices(prices)
    if prompts is not None and not prompts.is_dir():
        raise ComposerError(f"--prompts {prompts}: not a directory laid out like prompts/")
    to_stdout = json_out is not None and str(json_out) == "-"
    result = run_suite(  # reads the cases before it opens the store: a bad file fails fast
        cases, backend=backend, model=model, base_url=base_url, timeout=timeout,
        concurrency=concurrency, store=store_config(store, chroma_url, None), prompts=prompts,
        gate=thresholds,
        prices=price_table, progress=not to_stdout,
        cache_dir=None if no_cache else user_cache_path("apology-composer") / "responses",
    )
    data = result.as_dict()
    summary = result.markdown()
    # Files first: a reader that closes stdout early (`| head`) must not cost the results.
    if json_out is not None and not to_stdout:
        write_file(json_out, json.dumps(data, ensure_ascii=False, indent=1))
    if report is not None:
        write_file(report, result.html())
    if markdown is not None:
        write_file(markdown, summary)
    if to_stdout:
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        print(summary)
    if not result.gate_passed:
        failed = [c["metric"] for c in data["scorecard"]["gate"]["checks"] if not c["passed"]]
        err.print(f"[red]gate failed:[/] {', '.join(failed)}")
        raise typer.Exit(1)


@eval_app.command("compare")
def eval_compare(
    before: Annotated[Path, typer.Argument(help="The earlier run's JSON (eval run --json).")],
    after: Annotated[Path, typer.Argument(help="The later run's JSON.")],
    as_json: JsonOpt = False,
) -> None:
    """What got better and what got worse between two eval runs, case by case.

    Exit 1 when any case got worse, so a script can stop on a regression.
    """
    from composer.evals.compare import compare

    comparison = compare(_read_run(before), _read_run(after))
    if as_json:
        out.print_json(json.dumps(comparison.as_dict(), ensure_ascii=False))
    else:
        out.print(comparison.table())
    if comparison.regressions:
        raise typer.Exit(1)


def _read_run(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ComposerError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ComposerError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict) or not {"run", "scorecard", "cases"} <= set(data):
        raise ComposerError(f"{path}: not an eval run (write one with compose eval run --json)")
    return data


