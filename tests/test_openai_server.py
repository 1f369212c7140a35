"""A real OpenAI-compatible server: llama-cpp-python's server with SmolLM2-135M on loopback.

SmolLM2-135M writes fluent but unreliable apologies, so these tests check the plumbing: the
request reaches the server, llama.cpp's HTTP 500 for json_schema makes the backend fall back to
a schema inside json_object, and the grammar-constrained answer parses as an email. Whether the
model's draft or the offline one is shown is the checker's call, and both are accepted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from llama_server import gguf_path

from composer.backends.openai import OpenAIBackend
from composer.pipeline import compose
from composer.understand.incident import SEVERITIES
from composer.understand.triage import CATEGORIES

pytestmark = pytest.mark.slow

GGUF = gguf_path()  # skips the module when the llama extra is not installed


def _model_email(draft):
    """The draft the model wrote: shown, or kept under `rejected` when the checker preferred
    the offline one."""
    return draft if draft.backend == "openai" else draft.rejected


def test_compose_through_llama_cpp_server(llama_server, shipped_store):
    backend = OpenAIBackend(base_url=llama_server, temperature=0, timeout=300, env={})
    draft = compose("wrong bank account", backend=backend, store=shipped_store, progress=False,
                    revise=0)
    failures = [w for w in draft.warnings if "backend failed" in w]
    assert not failures, failures  # the server was reached and answered a parseable email
    # llama.cpp answers json_schema with HTTP 500; a schema inside json_object is what worked.
    assert backend.mode == "json_object_schema"
    model_draft = _model_email(draft)
    assert model_draft is not None, (draft.backend, draft.warnings)
    assert model_draft.backend == "openai" and model_draft.model == backend.model
    assert model_draft.subject.strip() and model_draft.paragraphs
    assert all(p.text.strip() for p in model_draft.paragraphs)
    assert model_draft.revisions == 0 and model_draft.report is not None
    drafting = [w for w in draft.warnings if w not in draft.reading.model_notes]
    if draft.backend == "openai":
        assert drafting == []
    else:  # rejected by the checker: the offline draft is shown, and says why
        assert draft.backend == "offline" and draft.paragraphs and draft.body
        assert len(drafting) == 1 and "rejected_model_draft" in drafting[0]
    assert draft.triage.category == "wrong_payment" and draft.language == "en"


def test_the_model_reads_the_incident_as_schema_constrained_json(llama_server, shipped_store):
    """The model's reading comes back valid for the schema (llama.cpp's grammar), is shown
    beside the offline reading, and every point where the two differ is one warning."""
    backend = OpenAIBackend(base_url=llama_server, temperature=0, timeout=300, env={})
    draft = compose("We charged Ana twice for her annual plan, 49 EUR each time.",
                    backend=backend, store=shipped_store, progress=False, revise=0)
    reading = draft.reading
    assert reading.model is not None, draft.warnings
    assert reading.model.category in CATEGORIES and reading.model.severity in SEVERITIES
    assert reading.triage.category == "billing_error"  # the offline reading still decides
    differs = [what for what in ("category", "severity", "stage")
               if getattr(reading.model, what) != getattr(reading.triage, what)]
    for what in differs:
        assert any(f"the model reads the {what} as" in w for w in draft.warnings), what
    assert len(reading.model_notes) == len(differs) + (
        reading.model.apologize != reading.triage.should_apologize)
    assert draft.as_dict()["reading"]["model"]["category"] == reading.model.category


def test_cli_compose_json_through_llama_cpp_server(llama_server, shipped_store):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    result = subprocess.run(
        [sys.executable, "-m", "composer", "--incident", "wrong bank account",
         "--base-url", llama_server, "--revisions", "0",  # one model call (~20-60 s on 2 cores)
         "--json", "--store", str(shipped_store.path)],
        capture_output=True, text=True, timeout=900, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "backend failed" not in result.stderr
    data = json.loads(result.stdout)
    assert data["should_apologize"] is True
    assert data["language"] == "en" and data["category"] == "wrong_payment"
    assert data["subject"].strip() and data["body"].strip()
    assert data["compensation"]["type"]
    assert isinstance(data["fill_ins"], list)
    assert "example.wealthsimple" in [s["id"] for s in data["sources"]]
    assert not [w for w in data["warnings"] if "backend failed" in w]
    if data["backend"] == "openai":
        assert data["model"] and data["paragraphs"]
    else:  # the model answered, but the checker kept the offline draft
        assert data["backend"] == "offline"
        rejected = data["rejected_model_draft"]
        assert rejected["subject"].strip() and rejected["body"].strip()


def test_the_llm_judge_answers_through_llama_cpp_server(llama_server, tmp_path):
    """The judge's own schema goes through the same server; its verdict is cached on disk."""
    from composer.checking.checker import check
    from composer.checking.judge import Judge

    judge = Judge(OpenAIBackend(base_url=llama_server, temperature=0, timeout=300, env={}),
                  tmp_path)
    text = ("Hi Ana, we are sorry your transfer went to the wrong account. It was our mistake. "
            "We will send the money again today.")
    report = check(text, judge=judge)
    assert not any("judge unavailable" in note for note in report.notes), report.notes
    assert len(list(tmp_path.glob("*.json"))) == 1  # one verdict, cached
    again = check(text, judge=judge)
    assert all("(cached)" in n for n in again.notes if "LLM judge" in n)
