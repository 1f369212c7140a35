"""Real customer data against the real loopback server (llama.cpp + SmolLM2-135M).

A recording proxy sits between the backend and the server, so the tests see every byte that
leaves: no raw personal data reaches a non-loopback server, and neither logs nor the eval cache
keep it. The same proxy injects the faults real servers produce (rate limits, 5xx, slowness,
truncated or invalid answers, nothing listening); each ends in one clear message and the
offline draft, never a lost draft or a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from llama_server import gguf_path
from proxy import Fault, Proxy, non_loopback_host

from composer.backends.openai import OpenAIBackend
from composer.evals.suite import Case, run_suite
from composer.pipeline import FallbackError, compose

pytestmark = pytest.mark.slow
gguf_path()  # skips the module when the llama extra is not installed

KEY = "sk-test-4f9d2c1b7a6e5d4c"
PERSONAL = {
    "name": "Giulia Bianchi",
    "email": "giulia.bianchi@example.org",
    "iban": "IT60 X054 2811 1010 0000 0123 456",
    "card": "4111 1111 1111 1111",
    "phone": "+39 347 123 4567",
    "address": "Via Roma 15",
}
INCIDENT = {
    "text": (f"We sent {PERSONAL['name']}'s refund of 120 EUR to the wrong bank account: it "
             f"should have gone to {PERSONAL['iban']}, not to the card {PERSONAL['card']}. "
             f"She wrote from {PERSONAL['email']} and called from {PERSONAL['phone']}; "
             f"her address is {PERSONAL['address']}, Milano."),
    "customer": PERSONAL["name"],
    "loss": "120 EUR",
}


EMAIL = json.dumps({
    "subject": "We charged you twice for order 4471",
    "greeting": "Hi [[customer name]],",
    "paragraphs": [
        {"step": "regret", "text": "I am truly sorry that we charged you twice for order 4471."},
        {"step": "impact", "text": "I know how frustrating it is to find a charge you never "
                                   "agreed to."},
        {"step": "explanation", "text": "What happened is this: [[what caused it]]."},
        {"step": "responsibility", "text": "This was our mistake, not yours."},
        {"step": "remedy", "text": "We are refunding the second charge today, and I will write "
                                   "to you again by [[when we will update you]]."},
    ],
    "sign_off": "Best wishes,\n[[your name]]",
})


def raw_values_in(text: str) -> list[str]:
    compact = text.replace(" ", "")
    found = [k for k, v in PERSONAL.items() if v in text or v.replace(" ", "") in compact]
    found += [part for part in PERSONAL["name"].split() if part in text]
    return found


@pytest.fixture
def remote(llama_server):
    """The proxy on this machine's non-loopback address: to the backend, a remote server."""
    host = non_loopback_host()
    if host is None:
        pytest.skip("this machine has no non-loopback address to stand in for a remote server")
    with Proxy(llama_server, host=host) as proxy:
        yield proxy


@pytest.fixture
def local(llama_server):
    with Proxy(llama_server) as proxy:
        yield proxy


def backend(proxy: Proxy, **options) -> OpenAIBackend:
    # 900 tokens hold a whole email; a small model that rambles past it is cut off sooner.
    options = {"temperature": 0, "timeout": 300, "env": {}, "max_tokens": 900, **options}
    return OpenAIBackend(base_url=proxy.url, api_key=KEY, **options)


# --- redaction -----------------------------------------------------------------------------------


def test_no_raw_personal_data_reaches_a_non_loopback_server(remote, shipped_retriever):
    draft = compose(INCIDENT, backend=backend(remote), retriever=shipped_retriever,
                    progress=False, revise=0)
    sent = remote.sent()
    assert remote.requests, "nothing went through the proxy"
    assert raw_values_in(sent) == []
    for kind in ("NAME", "EMAIL", "IBAN", "CARD", "PHONE", "ADDRESS"):
        assert f"[{kind}_1]" in sent, kind
    assert "120 EUR" in sent  # amounts are facts the model needs, not personal data
    shown = draft.text()
    assert "_1]" not in shown  # whichever draft won, placeholders were put back or never there


def test_a_loopback_server_gets_the_incident_as_is_unless_redaction_is_asked(
        local, shipped_retriever):
    compose(INCIDENT, backend=backend(local), retriever=shipped_retriever, progress=False,
            revise=0)
    assert PERSONAL["email"] in local.sent()
    local.requests.clear()
    compose(INCIDENT, backend=backend(local), retriever=shipped_retriever, progress=False,
            revise=0, redact=True)
    assert raw_values_in(local.sent()) == []


def test_no_key_and_no_personal_data_in_logs(remote, shipped_retriever, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, the openai and httpx clients included
    compose(INCIDENT, backend=backend(remote), retriever=shipped_retriever, progress=False,
            revise=0)
    assert caplog.records, "the clients logged nothing: the test would prove nothing"
    assert KEY not in caplog.text
    assert raw_values_in(caplog.text) == []


def test_the_eval_cache_holds_no_raw_personal_data(local, shipped_retriever, tmp_path):
    case = Case.model_validate({"id": "pii", "incident": INCIDENT,
                                "expect": {"language": "en"}})
    cache = tmp_path / "cache"
    result = run_suite([case], backend=backend(local, cache_dir=cache),
                       retriever=shipped_retriever, progress=False)
    assert result.results[0].status != "error", result.results[0].error
    entries = list(cache.rglob("*.json"))
    assert entries
    assert raw_values_in("\n".join(e.read_text() for e in entries)) == []
    assert KEY not in "\n".join(e.read_text() for e in entries)


# --- faults --------------------------------------------------------------------------------------


def compose_through(proxy: Proxy, shipped_retriever, **options):
    """The drafting request under a scripted fault; the model's reading (one more request) is
    left out so the script meets the draft (test_model_reading.py covers the reading)."""
    drafting = backend(proxy, **options)
    drafting.reads_incidents = False
    return compose("We charged the customer twice for order 4471.", retriever=shipped_retriever,
                   progress=False, revise=0, backend=drafting)


def test_a_rate_limit_is_retried_and_the_model_answers(local, shipped_retriever):
    # After the 429, whatever the server answers with 200 is replaced by a known email, so the
    # small model's rambling cannot fail the test (llama.cpp's 500s for json_schema pass as is).
    local.faults = [Fault(429, headers={"retry-after": "0.2"})] + [Fault(body=EMAIL)] * 10
    draft = compose_through(local, shipped_retriever)
    assert draft.rounds[1].error is None, draft.rounds[1].error
    assert not any("backend failed" in w for w in draft.warnings), draft.warnings
    first, retry = (json.loads(r["body"])["response_format"] for r in local.requests[:2])
    assert first == retry  # the rate-limited request was retried as it was


def test_a_server_error_that_persists_is_retried_with_backoff_then_falls_back(
        local, shipped_retriever):
    local.faults = [Fault(503)] * 20
    draft = compose_through(local, shipped_retriever, max_retries=2)
    assert draft.backend == "offline" and draft.body
    assert len(draft.warnings) == 1 and "503" in draft.warnings[0]
    assert "this is the offline draft instead" in draft.warnings[0]
    # Each structured-output mode is probed once; the last one is retried twice more.
    assert len(local.requests) == 5


def test_a_server_slower_than_the_timeout_falls_back(local, shipped_retriever):
    local.faults = [Fault(delay=30)] * 5
    draft = compose_through(local, shipped_retriever, timeout=1, max_retries=0)
    assert draft.backend == "offline" and draft.body
    assert "in time" in draft.warnings[0]


def test_nothing_listening_falls_back(local, shipped_retriever):
    dead = backend(local)
    local.__exit__()
    draft = compose("We charged the customer twice.", retriever=shipped_retriever,
                    progress=False, revise=0, backend=dead)
    assert draft.backend == "offline" and draft.body
    assert "cannot reach" in draft.warnings[0]


@pytest.mark.parametrize(("fault", "message"), [
    (Fault(truncate=60), "not valid JSON"),
    (Fault(body="Sure! Here is a heartfelt apology for the double charge."), "not valid JSON"),
    (Fault(body='{"subject": "Sorry"}'), "does not match the email schema"),
])
def test_a_truncated_or_invalid_answer_falls_back_with_a_clear_message(
        local, shipped_retriever, fault, message):
    local.faults = [Fault(), fault]  # json_schema is refused (500) by llama.cpp; then the cut
    draft = compose_through(local, shipped_retriever)
    assert draft.backend == "offline" and draft.body
    assert len(draft.warnings) == 1 and message in draft.warnings[0]


def test_strict_keeps_the_offline_draft_on_the_error(local, shipped_retriever):
    local.faults = [Fault(503)] * 20
    with pytest.raises(FallbackError) as info:
        compose("We charged the customer twice.", retriever=shipped_retriever, progress=False,
                revise=0, backend=backend(local, max_retries=0), strict=True)
    assert info.value.draft.body and info.value.draft.backend == "offline"


@pytest.mark.parametrize("strict", [False, True])
def test_the_cli_under_faults_prints_the_draft_and_one_line(local, shipped_store, strict):
    local.faults = [Fault(503)] * 20
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    proc = subprocess.run(
        [sys.executable, "-m", "composer", "--incident", "We charged the customer twice.",
         "--base-url", local.url, "--store", str(shipped_store.path), "--json", "--revisions",
         "0", *(["--strict"] if strict else [])],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == (1 if strict else 0), proc.stderr
    data = json.loads(proc.stdout)
    assert data["backend"] == "offline" and data["body"]
    if strict:  # the failure is the error line on stderr
        assert proc.stderr.startswith("error: ") and "503" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    else:
        assert any("503" in w for w in data["warnings"])
