"""`pip install .` (not editable) must carry the knowledge, prompts and eval sets in the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_cards_sources_and_eval_sets(tmp_path):
    pytest.importorskip("hatchling", reason="hatchling (the build backend) is not installed")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("apology_composer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # the e5 engine variants the build compiled for this machine ship in the wheel, which is
    # then tagged for its platform (any Python 3: the engine is a ctypes library)
    built = {p.relative_to(ROOT).as_posix()
             for p in (ROOT / "composer" / "knowledge" / "e5engine").glob("_e5_*.so")}
    assert {n for n in names if n.endswith(".so")} == built
    assert wheel.name.endswith("-py3-none-linux_x86_64.whl" if built else "-py3-none-any.whl")
    data = "composer/_data/"
    cards = {p.name for p in (ROOT / "knowledge" / "cards").glob("*.yaml")}
    assert {f"{data}knowledge/cards/{name}" for name in cards} <= names
    assert f"{data}knowledge/sources/sources.yaml" in names
    assert sum(n.startswith(f"{data}knowledge/sources/") and n.endswith(".txt") for n in names) == 5
    assert f"{data}evals/retrieval.yaml" in names
    assert any(n.startswith(f"{data}evals/check_cases/") for n in names)
    assert "composer/cli/__init__.py" in names
    # the learned models: compose and check run on them offline
    for model in ("composer/understand/models/triage", "composer/checking/models/sentences"):
        assert {f"{model}.npz", f"{model}.json"} <= names
    prompts = {p.relative_to(ROOT).as_posix() for p in (ROOT / "prompts").rglob("*.yaml")}
    assert {f"{data}{name}" for name in prompts} <= names
    assert len(prompts) >= 4
    # the language packs: phrasebooks, guard and triage phrases, what each language is
    packs = {p.relative_to(ROOT).as_posix() for p in (ROOT / "languages").rglob("*.yaml")}
    assert {f"{data}{name}" for name in packs} <= names
    assert {f"{data}languages/{code}/{name}.yaml" for code in ("en", "zh")
            for name in ("language", "understand", "guard", "phrasebook")} <= names
