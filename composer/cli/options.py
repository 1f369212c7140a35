"""What the commands share: the consoles, the common options, and how a draft is shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from composer.errors import ComposerError

out = Console()
err = Console(stderr=True)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Store directory (default: the user data dir).", show_default=False
    ),
]
ChromaUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--chroma-url",
        envvar="COMPOSER_CHROMA_URL",
        help="A shared Chroma server, e.g. http://127.0.0.1:8000.",
        show_default=False,
    ),
]
EmbedderOpt = Annotated[
    str | None,
    typer.Option(
        "--embedder",
        help="e5, use, or st:<model name or path>. Default: the store's own, or e5 for a new one.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
SeverityOpt = Annotated[
    str | None, typer.Option("--severity", help="trivial, low, medium, high or critical.")
]
LossOpt = Annotated[
    str | None, typer.Option("--loss", help="What the customer lost: '120 EUR', '3 hours'.")
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model name on the server.")]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option("--base-url", envvar="OPENAI_BASE_URL",
                 help="An OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1.",
                 show_default=False),
]


def show_draft(draft, as_json: bool, explain: bool, render) -> None:
    for warning in draft.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    try:
        if as_json:
            out.print_json(json.dumps(draft.as_dict(explain=explain), ensure_ascii=False))
        else:
            render(draft, out, explain=explain)
    except Exception:
        # The draft is made: the lead keeps it even if showing it in full fails.
        if as_json:
            print(json.dumps({"subject": draft.subject, "body": draft.body},
                             ensure_ascii=False), flush=True)
        else:
            print(f"\n{draft.subject}\n\n{draft.body}", flush=True)
        raise


def store_config(store: Path | None, chroma_url: str | None, embedder: str | None):
    from composer.knowledge.store import StoreConfig

    return StoreConfig.resolve(path=store, url=chroma_url, embedder=embedder)


def write_file(path: Path, text: str) -> None:
    """Write whole files only: a crash never leaves half a report where the old one was."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        raise ComposerError(f"cannot write {path}: {exc.strerror or exc}") from exc


