"""notebooks/quickstart.ipynb: saved with its outputs, and runs offline top to bottom.

The slow test executes the notebook in a fresh kernel (ipykernel from this venv) in a temporary
directory, with the user data directory pointed at a temporary one, and checks what a reader of
the notebook would notice: three drafts in three languages, a check report, an eval comparison
in which the passive-voice prompt variant made at least one case worse, and no cell that failed.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from composer.language.detect import detect_language

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"
CELL_TIMEOUT = 1200  # seconds; building the index is the long cell (seconds to minutes on CI)
DRAFT_HEAD = re.compile(r"^\*(\w+) · (\w+) · (\w+) · ([a-z]{2}) · (\w+)\*$", re.MULTILINE)
REPORT_HEAD = re.compile(r"^\*\*(\w+)\*\* · score \d+/100 · language ([a-z]{2})$", re.MULTILINE)
WORSE = re.compile(r"^\*\*Worse \(passed in A, not in B\): (\d+)\*\*$", re.MULTILINE)


def _need(*modules: str) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: pip install -e '.[test]' to run the "
                    "notebook tests")


def _read():
    import nbformat

    return nbformat.read(NOTEBOOK, as_version=4)


def _text(output: dict) -> str:
    """What a reader sees of one output: markdown if there is some, else plain text."""
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return data.get("text/markdown") or data.get("text/html") or data.get("text/plain", "")


def _tagged(nb, tag: str) -> list[str]:
    """The outputs of every code cell tagged `tag`, one string per cell."""
    return ["\n".join(_text(o) for o in cell.get("outputs", []))
            for cell in nb.cells
            if cell.cell_type == "code" and tag in cell.get("metadata", {}).get("tags", [])]


def _errors(nb) -> list[str]:
    return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
            for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _check_outputs(nb) -> None:
    assert not _errors(nb), _errors(nb)

    drafts = _tagged(nb, "draft")
    assert len(drafts) == 3, "the quickstart composes three incidents"
    heads = [DRAFT_HEAD.search(d) for d in drafts]
    assert all(heads), f"each draft renders with its triage line: {drafts}"
    languages = [h.group(4) for h in heads if h]
    assert len(set(languages)) == 3, languages
    bodies = [d[h.end():].split("\n---\n")[0] for d, h in zip(drafts, heads, strict=True) if h]
    detected = [detect_language(b) for b in bodies]
    assert detected == languages, (detected, languages)

    reports = _tagged(nb, "report")
    assert reports and all(REPORT_HEAD.search(r) for r in reports), reports
    for report in reports:
        for step in ("regret", "impact", "explanation", "responsibility", "remedy"):
            assert re.search(rf"^\| {step} \| [✔✘–] \|", report, re.MULTILINE), (step, report)
    assert any("passive_evasion" in r for r in reports), "the hand-written email is flagged"

    suites = _tagged(nb, "suite")
    assert len(suites) == 2 and all("## Eval report" in s for s in suites), suites

    (comparison,) = _tagged(nb, "comparison")
    assert "## Eval comparison" in comparison
    worse = WORSE.search(comparison)
    assert worse and int(worse.group(1)) >= 1, comparison
    listed = comparison[worse.end():].split("\n\n**")[0]
    assert re.search(r"^- `en-[a-z0-9-]+` \(en\): pass → fail", listed, re.MULTILINE), listed
    assert "passive_evasion" in listed

    (why,) = _tagged(nb, "why")
    assert "Mistakes were made." in why and "pass -> fail" in why, why


def test_the_saved_notebook_has_its_outputs():
    """What GitHub shows: every code cell run once, in order, with nothing failed."""
    _need("nbformat")
    import nbformat

    nb = _read()
    nbformat.validate(nb)
    counts = [c.get("execution_count") for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts}: re-run the notebook top to bottom and save it")
    _check_outputs(nb)


@pytest.mark.slow
def test_the_quickstart_notebook_runs_offline(tmp_path, monkeypatch):
    _need("nbformat", "nbclient", "ipykernel")
    from nbclient import NotebookClient

    nb = _read()
    for cell in nb.cells:  # start from a clean notebook: only this run's outputs count
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))  # the user's store, had the notebook used it
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails

    _check_outputs(nb)
    assert not (data / "apology-composer").exists(), "the notebook touched the user data dir"
    assert not any(cwd.iterdir()), f"the notebook left files behind: {list(cwd.iterdir())}"
