"""The labelled triage corpus: incidents (`evals/incidents/<code>.yaml`), the eval cases used as
tuning data, and the fingerprint that ties a shipped model to the data it was trained on."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from composer.errors import ComposerError
from composer.paths import project_dir
from composer.understand.classifier import SEVERITY_ORDER
from composer.understand.triage import CATEGORIES, STAGES
from composer.yamlio import load_yaml

SEVERITIES = SEVERITY_ORDER
SCOPES = ("one", "some", "all", "global")
BLIND_DIRS = ("understand_blind", "cases_blind2")  # never trained or tuned on
# The labels of each head, in the order the model's columns take them.
CLASSES: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES, "severity": SEVERITIES, "stage": STAGES, "scope": SCOPES,
}


class TrainError(ComposerError):
    """A corpus or case file the trainer cannot use; the message names the file and entry."""


def default_corpus_dir() -> Path:
    return project_dir("evals") / "incidents"


def default_cases_dir() -> Path:
    return project_dir("evals") / "cases"


def default_blind_dir() -> Path:
    return project_dir("evals") / "understand_blind"


@dataclass(frozen=True)
class Item:
    """One labelled incident. Corpus items have one category and a one-level band; eval cases
    may accept several categories and a band of severities."""

    id: str
    lang: str
    style: str
    text: str
    categories: tuple[str, ...]
    band: tuple[int, int]
    stage: str | None = None
    scope: str | None = None
    group: str = ""  # the file it came from (a corpus language, a case file)
    apologize: bool = True
    money_fact: bool = False  # the incident's `loss` is an amount of money (a fact the lead gave)
    channel: str = "reply"

    @property
    def severity(self) -> int:
        return self.band[0]


def _read_list(path: Path) -> list[dict[str, Any]]:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TrainError(f"{path}: cannot read: {str(exc).splitlines()[0]}") from exc
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise TrainError(f"{path}: expected a list of entries")
    return raw


def _files(directory: Path) -> list[Path]:
    if directory.name in BLIND_DIRS:
        raise TrainError(f"{directory}: a blind set is never trained on")
    if not directory.is_dir():
        raise TrainError(f"{directory}: no such directory")
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not files:
        raise TrainError(f"{directory}: no *.yaml files")
    return files


def _check(path: Path, entry: str, key: str, value: Any, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise TrainError(f"{path}: {entry}: {key} {value!r} is not one of {', '.join(allowed)}")


def load_corpus(directory: Path | None = None) -> list[Item]:
    """The labelled incidents, one file per language (`<lang>.yaml`), in file then list order."""
    items: list[Item] = []
    for path in _files(directory or default_corpus_dir()):
        for i, row in enumerate(_read_list(path)):
            entry = f"entry {i + 1} ({row.get('id', '?')})"
            missing = [k for k in ("id", "style", "text", "category", "severity", "stage",
                                   "scope") if k not in row]
            if missing:
                raise TrainError(f"{path}: {entry}: missing {', '.join(missing)}")
            _check(path, entry, "category", row["category"], CATEGORIES)
            _check(path, entry, "severity", row["severity"], SEVERITIES)
            _check(path, entry, "stage", row["stage"], STAGES)
            _check(path, entry, "scope", row["scope"], SCOPES)
            sev = SEVERITIES.index(row["severity"])
            if "apologize" in row and bool(row["apologize"]) != (sev > 0):
                raise TrainError(f"{path}: {entry}: apologize must be severity != trivial")
            items.append(Item(
                id=str(row["id"]), lang=path.stem, style=str(row["style"]),
                text=str(row["text"]).strip(), categories=(row["category"],), band=(sev, sev),
                stage=row["stage"], scope=row["scope"], group=path.stem, apologize=sev > 0,
            ))
    return items


def _money(incident: Mapping[str, Any]) -> bool:
    loss = incident.get("loss")
    if not loss:
        return False
    from composer.understand.incident import IncidentError, parse_loss

    try:
        return parse_loss(str(loss)).is_money
    except IncidentError:
        return False


def load_cases(directory: Path | None = None) -> list[Item]:
    """Eval cases (drafting cases or a blind set) as items: `expect.category` (one or a list),
    `expect.severity` ([lowest, highest]), `expect.stage` when given. The language is the
    file's (`en.yaml`, `heldout1_en.yaml`)."""
    directory = directory or default_cases_dir()
    if not directory.is_dir():
        raise TrainError(f"{directory}: no such directory")
    items: list[Item] = []
    for path in sorted(directory.glob("*.yaml")):
        for i, row in enumerate(_read_list(path)):
            entry = f"case {i + 1} ({row.get('id', '?')})"
            incident = row.get("incident")
            incident = {"text": incident} if isinstance(incident, str) else incident or {}
            expect = row.get("expect") or {}
            cats = expect.get("category")
            band = expect.get("severity")
            if not incident.get("text") or cats is None or band is None:
                raise TrainError(f"{path}: {entry}: needs incident.text, expect.category and "
                                 "expect.severity")
            cats = (cats,) if isinstance(cats, str) else tuple(cats)
            band = (band, band) if isinstance(band, str) else tuple(band)
            for c in cats:
                _check(path, entry, "category", c, CATEGORIES)
            for s in band:
                _check(path, entry, "severity", s, SEVERITIES)
            items.append(Item(
                id=str(row["id"]), lang=path.stem.rsplit("_", 1)[-1],
                style=str(row.get("style") or "case"), text=str(incident["text"]).strip(),
                categories=cats, band=(SEVERITIES.index(band[0]), SEVERITIES.index(band[1])),
                stage=expect.get("stage"), group=path.stem,
                apologize=bool(expect.get("apologize", SEVERITIES.index(band[0]) > 0)),
                money_fact=_money(incident), channel=str(incident.get("channel") or "reply"),
            ))
    if not items:
        raise TrainError(f"{directory}: no cases")
    return items


def fingerprint(items: Sequence[Item]) -> str:
    """A hash of the texts and labels: the model file records what it was trained on."""
    h = hashlib.sha256()
    for it in items:
        h.update(json.dumps([it.id, it.text, it.categories, it.band, it.stage, it.scope],
                            ensure_ascii=False).encode())
    return h.hexdigest()
