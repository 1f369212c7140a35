"""`compose kb ...`: build, inspect and search the knowledge base."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from composer.cli.options import (
    ChromaUrlOpt,
    EmbedderOpt,
    JsonOpt,
    StoreOpt,
    err,
    out,
    store_config,
)

kb_app = typer.Typer(help="Build, inspect and search the knowledge base.", no_args_is_help=True)


@kb_app.command("build")
def kb_build(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if up to date.")] = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Build the knowledge index (only when the knowledge changed, unless --force)."""
    from composer.knowledge.store import build_index

    config = store_config(store, chroma_url, embedder)
    result = build_index(config, force=force, progress=not as_json)
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
    else:
        verb = "built" if result.built else "up to date"
        out.print(
            f"[green]{verb}[/]: {result.cards} cards with {result.embedder} "
            f"in {result.seconds:.1f} s at {result.location}"
        )


@kb_app.command("search")
def kb_search(
    query: Annotated[str, typer.Argument(help="What happened, in any supported language.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many cards.")] = 5,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="template, example, guidance or rule (repeatable)."),
    ] = None,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search the knowledge base for the cards that fit an incident."""
    from composer.knowledge.retrieval import retrieve

    hits = retrieve(query, k=k, kinds=kind, store=store_config(store, chroma_url, embedder))
    if as_json:
        out.print_json(json.dumps([hit.as_dict() for hit in hits]))
        return
    table = Table(title=f"cards for {query!r}", expand=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("source", no_wrap=True)
    for hit in hits:
        table.add_row(
            f"{hit.score:.3f}", hit.card.id, hit.card.title,
            f"{hit.source_publisher} ({hit.source_language})",
        )
    out.print(table)


@kb_app.command("stats")
def kb_stats(
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    embedder: EmbedderOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Cards per kind, language and source; the embedder; where the store lives."""
    from composer.knowledge.store import index_stats

    stats = index_stats(store_config(store, chroma_url, embedder))
    if as_json:
        out.print_json(json.dumps(stats))
        return
    out.print(f"store: {stats['location']}")
    engine = f", engine {stats['engine']}" if stats["engine"] else ""
    out.print(f"embedder: {stats['embedder']}{engine}  (index built: {stats['built']})")
    out.print(f"cards: {stats['cards']}")
    for key in ("by_kind", "by_source_language", "by_source"):
        out.print(f"  {key.removeprefix('by_').replace('_', ' ')}: " + ", ".join(
            f"{name} {count}" for name, count in stats[key].items()
        ))




@kb_app.command("train")
def kb_train(
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Labelled incidents, one YAML file per language "
                     "(default: evals/incidents).", show_default=False),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Model file to write, with its .json beside it "
                     "(default: the shipped composer/understand/models/triage.npz).",
                     show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rebuild the triage model from the labelled corpus and the eval cases; print its
    cross-validated figures (per language and writing style) and its blind-set figures."""
    from composer.evals.train_triage import train

    report = _train_shown("embedding incidents", train, corpus, out_file, quiet=as_json)
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    figures = report.figures
    _figure_table("leave one writing style out, by held-out style (model)",
                  figures["loso"]["model"]["by_style"])
    _figure_table("leave one writing style out, by language (model)",
                  figures["loso"]["model"]["by_language"])
    _figure_table("leave one writing style out, by language (model + guardrails)",
                  figures["loso"]["guarded"]["by_language"])
    _figure_table(f"eval cases: {figures['cases']['design']} (model + guardrails)",
                  figures["cases"]["guarded"]["by_language"])
    if "blind" in figures:
        _figure_table("blind set, scored once (model + guardrails)",
                      figures["blind"]["guarded"]["by_language"])
        _figure_table("blind set: today's rule triage, for comparison",
                      figures["blind"]["regex"]["by_language"])
    err.print(
        f"[green]wrote[/] {report.model_path} ({report.size_bytes / 1024:.0f} KB, loads in "
        f"{report.load_ms:.1f} ms) in {report.seconds:.0f} s", highlight=False,
    )


@kb_app.command("train-checker")
def kb_train_checker(
    bank: Annotated[
        Path | None,
        typer.Option("--bank", help="The labelled sentence bank, one YAML file per language "
                     "(default: evals/sentences).", show_default=False),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Model file to write, with its .json beside it (default: "
                     "the shipped composer/checking/models/sentences.npz).", show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rebuild the checker's sentence model from the sentence bank; print its figures,
    cross-validated by document and by writing register."""
    from composer.evals.train_sentences import train

    report = _train_shown("embedding sentences", train, bank, out_file, quiet=as_json)
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    figures = report.meta["figures"]
    table = Table(title="sentence model: out-of-fold by document (counted threshold) and "
                  "leaving one register out (best-F1 threshold)", expand=False)
    for column in ("label", "precision", "recall", "F1", "F1, register out"):
        table.add_column(column, justify="left" if column == "label" else "right")

    def fmt(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    counted = figures["by_document_cv_counted"]["all"]
    for label, row in counted.items():
        table.add_row(label, fmt(row["precision"]), fmt(row["recall"]), fmt(row["f1"]),
                      fmt(figures["leave_one_register_out"][label]["f1"]))
    out.print(table)
    err.print(
        f"[green]wrote[/] {report.model_path} ({report.size_bytes / 1024:.0f} KB, loads in "
        f"{report.load_ms:.1f} ms) in {report.seconds:.0f} s", highlight=False,
    )


def _train_shown(what: str, train: Any, data: Path | None, out_file: Path | None, *,
                 quiet: bool) -> Any:
    """Run a trainer with a progress bar over its embedding and its log above it (neither
    with --json, whose output a script reads)."""
    from composer.progress import progress_bar

    with progress_bar(not quiet) as bar:
        task = bar.add_task(what, total=None)

        def on_embed(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        def log(message: str) -> None:
            if not quiet:
                bar.console.print(message, highlight=False)

        return train(data, out_file, on_embed=on_embed, log=log)


def _figure_table(title: str, rows: list[dict]) -> None:
    columns = [("category", "category"), ("sev_band", "severity exact/in band"),
               ("sev_within1", "severity ±1"), ("apologize", "apologize"),
               ("triage", "all three")]
    table = Table(title=title, expand=False)
    table.add_column("group", no_wrap=True)
    table.add_column("n", justify="right")
    for _, name in columns:
        table.add_column(name, justify="right")
    for row in rows:
        table.add_row(str(row["group"]), str(row["n"]),
                      *(f"{row[key]:.3f}" if key in row else "" for key, _ in columns))
    out.print(table)
