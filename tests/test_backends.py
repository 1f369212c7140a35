"""Model backends without a model: parsing answers, the fake backend driving compose(), and
OpenAIBackend against a scripted OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from composer.backends import get_backend
from composer.backends.base import BackendConfigError, BackendError, Request, parse_email
from composer.backends.fake import FakeBackend
from composer.backends.openai import OpenAIBackend
from composer.drafting.offline import OfflineBackend
from composer.pipeline import MAX_MISSING_STEPS, FallbackError, compose

INCIDENT = "wrong bank account"

GOOD = {
    "subject": "We sent your payment to the wrong account: here is how we fix it",
    "greeting": "Hi [[customer name]],",
    "paragraphs": [
        {"step": "regret",
         "text": "I am truly sorry that we sent your money to the wrong bank account."},
        {"step": "impact",
         "text": "I know how stressful it is to wait for money that should already be in your "
                 "account."},
        {"step": "explanation", "text": "What happened is this: [[what caused it]]."},
        {"step": "responsibility",
         "text": "This was our mistake, not yours, and it is on us to put it right."},
        {"step": "remedy",
         "text": "Right now we are tracing the transfer so that your money reaches the right "
                 "account, and I will write to you again by [[when we will update you]]. To keep "
                 "this from happening again, [[what we are changing]]."},
        {"step": "compensation",
         "text": "We are refunding [[amount to refund]] to you right away; you don't need to "
                 "ask for it."},
        {"step": "closing", "text": "Thank you for your patience with us."},
    ],
    "sign_off": "Best wishes,\n[[your name]]",
}
# Misses most rubric steps and is a textbook non-apology.
BAD = {**GOOD, "paragraphs": [{"step": "regret", "text": "We apologize for any inconvenience."}]}
# Every step is there, but one non-apology sentence: a problem, yet not enough to reject it.
FLAWED = {**GOOD, "paragraphs": [
    *GOOD["paragraphs"], {"step": "closing", "text": "We apologize for any inconvenience."},
]}


def dumps(answer: dict) -> str:
    return json.dumps(answer)


# --- parse_email -------------------------------------------------------------------------------


def test_parse_plain_json():
    email = parse_email(dumps(GOOD))
    assert email.subject == GOOD["subject"]
    assert [p.step for p in email.paragraphs] == [p["step"] for p in GOOD["paragraphs"]]


def test_parse_json_in_a_code_fence_with_chatter_around_it():
    content = f"Here is the email you asked for:\n```json\n{dumps(GOOD)}\n```\nHope this helps!"
    assert parse_email(content).subject == GOOD["subject"]


def test_parse_json_in_an_unlabelled_code_fence():
    assert parse_email(f"```\n{dumps(GOOD)}\n```").greeting == GOOD["greeting"]


def test_parse_json_with_text_before_and_after_it():
    content = f"Sure! Here it is: {dumps(GOOD)} Let me know if you want changes."
    assert parse_email(content).sign_off == GOOD["sign_off"]


def test_parse_json_with_a_raw_line_break_inside_a_paragraph():
    broken = dumps(GOOD).replace(GOOD["subject"], GOOD["subject"][:5] + "\n" + GOOD["subject"][5:])
    assert "\n" in broken
    assert parse_email(broken).subject.replace("\n", "") == GOOD["subject"]


def test_parse_json_followed_by_chatter():
    assert parse_email(f"{dumps(GOOD)}\n\nI hope this helps!").subject == GOOD["subject"]


@pytest.mark.parametrize("content", ["", "   \n", None])
def test_empty_answer_is_named(content):
    with pytest.raises(BackendError, match="empty answer"):
        parse_email(content)


@pytest.mark.parametrize(
    "content", ['{"subject": "Sorry", "greeting": ', "I am sorry, I cannot write that email.",
                "{subject: 'Sorry'}"],
)
def test_invalid_json_is_a_backend_error_that_says_so(content):
    with pytest.raises(BackendError, match=r"not valid JSON \(.+ at \d+\)"):
        parse_email(content)


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({k: v for k, v in GOOD.items() if k != "subject"}, "subject"),
        ({**GOOD, "paragraphs": []}, "paragraphs"),
        ({**GOOD, "paragraphs": [{"step": "apology", "text": "Sorry."}]}, "paragraphs.0.step"),
        ({**GOOD, "paragraphs": [{"step": "regret", "text": ""}]}, "paragraphs.0.text"),
        ({**GOOD, "subject": "x" * 151}, "subject"),
    ],
)
def test_schema_mismatch_names_the_field(answer, field):
    with pytest.raises(BackendError, match="does not match the email schema") as info:
        parse_email(dumps(answer))
    assert f": {field}: " in str(info.value)


def test_unknown_keys_are_ignored():
    email = parse_email(dumps({**GOOD, "tone": "warm"}))
    assert email.subject == GOOD["subject"]


# --- compose() with the fake backend -----------------------------------------------------------


@pytest.fixture(scope="module")
def offline_draft(shipped_store):
    return compose(INCIDENT, backend="offline", store=shipped_store, progress=False)


def test_a_good_model_answer_is_the_draft(shipped_store):
    fake = FakeBackend([GOOD])
    draft = compose(INCIDENT, backend=fake, store=shipped_store, progress=False)
    assert draft.backend == "fake" and draft.model == "fake"
    assert draft.subject == GOOD["subject"]
    assert draft.body.startswith("Hi [[customer name]],\n\nI am truly sorry")
    assert draft.warnings == [] and draft.problems == [] and draft.rejected is None
    assert "[[amount to refund]]" in draft.fill_ins
    assert [r.purpose for r in fake.requests] == ["compose"]
    messages = fake.requests[0].messages
    assert [m["role"] for m in messages] == ["system", "user"]
    assert INCIDENT in messages[1]["content"]
    data = draft.as_dict()
    assert data["backend"] == "fake" and data["category"] == "wrong_payment"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("Dear customer, we are sorry.", "not valid JSON"),
        (dumps({**GOOD, "paragraphs": []}), "paragraphs"),
        (BackendError("the server answered 503: overloaded"), "503"),
    ],
)
def test_a_failed_model_falls_back_to_the_offline_draft(shipped_store, offline_draft, answer,
                                                         reason):
    draft = compose(INCIDENT, backend=FakeBackend([answer]), store=shipped_store, progress=False)
    assert draft.backend == "offline"
    assert len(draft.warnings) == 1
    assert draft.warnings[0].startswith("fake backend failed")
    assert reason in draft.warnings[0] and "offline draft instead" in draft.warnings[0]
    # Nothing is lost: the user gets exactly the draft the offline composer writes.
    assert draft.subject == offline_draft.subject and draft.body == offline_draft.body
    assert draft.fill_ins == offline_draft.fill_ins
    assert draft.sources == offline_draft.sources and draft.sources
    assert draft.compensation.as_dict() == offline_draft.compensation.as_dict()
    assert draft.report is not None and draft.problems == offline_draft.problems


def test_strict_raises_and_carries_the_offline_draft(shipped_store, offline_draft):
    with pytest.raises(FallbackError, match="fake backend failed .*not valid JSON") as info:
        compose(INCIDENT, backend=FakeBackend(["nope"]), store=shipped_store, progress=False,
                strict=True)
    kept = info.value.draft
    assert kept.backend == "offline"
    assert kept.subject == offline_draft.subject and kept.body == offline_draft.body
    assert kept.warnings == [str(info.value)]


def test_strict_does_not_raise_when_the_model_answers(shipped_store):
    draft = compose(INCIDENT, backend=FakeBackend([GOOD]), store=shipped_store, progress=False,
                    strict=True)
    assert draft.backend == "fake"


def test_a_draft_that_fails_the_checker_is_revised(shipped_store):
    fake = FakeBackend([BAD, GOOD])
    draft = compose(INCIDENT, backend=fake, store=shipped_store, progress=False, revise=1)
    assert [r.purpose for r in fake.requests] == ["compose", "revise"]
    assert draft.backend == "fake" and draft.revisions == 1
    assert draft.subject == GOOD["subject"] and draft.problems == []
    assert draft.warnings == []
    prompt = fake.requests[1].messages[-1]["content"]
    assert "We apologize for any inconvenience." in prompt  # the draft to fix
    for problem in ("- non_apology: ", "- responsibility: ", "- impact: "):
        assert problem in prompt  # the checker's findings, one per line
    assert fake.requests[1].messages[0] == fake.requests[0].messages[0]  # same system prompt


def test_every_round_is_recorded_with_its_report(shipped_store):
    fake = FakeBackend([BAD, FLAWED, GOOD])
    draft = compose(INCIDENT, backend=fake, store=shipped_store, progress=False)  # default: 2
    assert [r.purpose for r in draft.rounds] == ["offline", "compose", "revise", "revise"]
    assert [r.number for r in draft.rounds] == [0, 1, 2, 3]
    assert draft.revisions == 2 and draft.subject == GOOD["subject"]
    first, last = draft.rounds[1], draft.rounds[-1]
    assert first.verdict == "needs_changes" and first.problems and first.report["steps"]
    assert last.problems == [] and last.report["verdict"] in ("ready", "needs_changes")
    assert first.body.count("any inconvenience") == 1
    failed = compose(INCIDENT, backend=FakeBackend([BAD, "not json"]), store=shipped_store,
                     progress=False, revise=1)
    assert failed.rounds[-1].error and "not valid JSON" in failed.rounds[-1].error


def test_no_revision_when_the_first_draft_passes(shipped_store):
    fake = FakeBackend([GOOD, BAD])
    draft = compose(INCIDENT, backend=fake, store=shipped_store, progress=False)
    assert [r.purpose for r in fake.requests] == ["compose"]
    assert draft.revisions == 0 and draft.subject == GOOD["subject"]


def test_revise_zero_sends_one_request(shipped_store):
    fake = FakeBackend([FLAWED, GOOD])
    draft = compose(INCIDENT, backend=fake, store=shipped_store, progress=False, revise=0)
    assert len(fake.requests) == 1
    assert draft.backend == "fake" and any(p.startswith("non_apology") for p in draft.problems)


def test_a_failed_revision_keeps_the_first_draft_with_a_warning(shipped_store):
    fake = FakeBackend([FLAWED, "not json"])
    draft = compose(INCIDENT, backend=fake, store=shipped_store, progress=False, revise=1)
    assert [r.purpose for r in fake.requests] == ["compose", "revise"]
    assert draft.backend == "fake" and draft.subject == GOOD["subject"]
    assert "We apologize for any inconvenience." in draft.body
    assert len(draft.warnings) == 1 and draft.warnings[0].startswith("revision failed")


def test_a_worse_revision_is_not_taken(shipped_store):
    fake = FakeBackend([FLAWED, BAD])
    draft = compose(INCIDENT, backend=fake, store=shipped_store, progress=False, revise=1)
    assert draft.backend == "fake" and draft.revisions == 1
    assert draft.paragraphs[0].text == GOOD["paragraphs"][0]["text"]


def test_a_draft_missing_too_many_steps_gives_way_to_the_offline_one(shipped_store,
                                                                      offline_draft):
    fake = FakeBackend([BAD, BAD])
    draft = compose(INCIDENT, backend=fake, store=shipped_store, progress=False, revise=1)
    assert len(fake.requests) == 2
    assert draft.backend == "offline" and draft.body == offline_draft.body
    assert draft.rejected is not None and draft.rejected.backend == "fake"
    assert len(draft.rejected.missing_steps()) >= MAX_MISSING_STEPS
    assert "still misses" in draft.warnings[0] and "rejected_model_draft" in draft.warnings[0]
    rejected = draft.as_dict()["rejected_model_draft"]
    assert rejected["subject"] == BAD["subject"]
    assert "We apologize for any inconvenience." in rejected["body"]
    assert rejected["problems"]


def test_no_model_call_when_no_apology_is_due(shipped_store):
    fake = FakeBackend([GOOD])
    draft = compose("we sent the newsletter twice", backend=fake, store=shipped_store,
                    progress=False, strict=True)
    assert draft.should_apologize is False and draft.text() == ""
    assert fake.requests == [] and draft.warnings == []


# --- backend configuration ---------------------------------------------------------------------


@pytest.mark.parametrize("base_url", [None, "https://api.example.com/v1"])
def test_a_remote_server_without_a_key_is_a_config_error(base_url):
    with pytest.raises(BackendConfigError, match="OPENAI_API_KEY is not set") as info:
        OpenAIBackend(base_url=base_url, env={})
    assert (base_url or "api.openai.com") in str(info.value)
    assert "offline default needs no key" in str(info.value)


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8080/v1", "http://localhost:11434/v1", "http://[::1]:8000/v1"],
)
def test_a_loopback_server_needs_no_key(base_url):
    backend = OpenAIBackend(base_url=base_url, env={})
    assert backend.base_url == base_url and backend.client.api_key == "no-key-needed"


def test_the_environment_supplies_the_key_and_base_url():
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "https://llm.example.com/v1"}
    backend = OpenAIBackend(env=env)
    assert backend.base_url == "https://llm.example.com/v1"
    assert backend.client.api_key == "sk-test"


def test_get_backend_picks_offline_unless_a_server_is_configured():
    assert isinstance(get_backend(None, env={}), OfflineBackend)
    chosen = get_backend(None, env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert isinstance(chosen, OpenAIBackend) and chosen.base_url == "http://127.0.0.1:9/v1"
    assert isinstance(get_backend(None, base_url="http://127.0.0.1:9/v1", env={}), OpenAIBackend)
    with pytest.raises(BackendConfigError, match="OPENAI_API_KEY"):
        get_backend("openai", env={})
    with pytest.raises(BackendConfigError, match="unknown backend 'claude'"):
        get_backend("claude", env={})


# --- OpenAIBackend against a scripted server ---------------------------------------------------


Reply = tuple[int, Any, dict[str, str]]


def completion(content: str | None, finish_reason: str = "stop") -> Reply:
    return 200, {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "stub",
        "choices": [{"index": 0, "finish_reason": finish_reason,
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }, {}


def failure(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return status, {"error": {"message": message, "type": "server_error"}}, headers or {}


class StubServer:
    """An OpenAI-compatible `/v1/chat/completions` on 127.0.0.1 that answers via `respond`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.respond: Callable[[dict[str, Any]], Reply] = lambda body: completion(dumps(GOOD))
        self.release = threading.Event()  # ends any handler that is made to hang
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append({"path": self.path, "body": body})
                status, payload, headers = stub.respond(body)
                text = payload if isinstance(payload, str) else json.dumps(payload)
                data = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def modes(self) -> list[str]:
        """The structured-output mode each request asked for, in order."""
        out = []
        for request in self.requests:
            fmt = request["body"].get("response_format") or {}
            out.append("json_object_schema" if fmt.get("type") == "json_object"
                       and "schema" in fmt else fmt.get("type", "none"))
        return out


@pytest.fixture
def stub():
    server = StubServer()
    server.thread.start()
    yield server
    server.release.set()
    server.httpd.shutdown()
    server.httpd.server_close()


def dead_url() -> str:
    """A loopback URL with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def request() -> Request:
    """A bare request: OpenAIBackend only sends the messages and the schema."""
    return Request("compose", [{"role": "user", "content": "write it"}], plan=None)  # type: ignore[arg-type]


def test_the_request_carries_model_messages_schema_and_temperature(stub):
    backend = OpenAIBackend("my-model", stub.url, temperature=0, max_tokens=321, env={})
    email = backend.generate(request())
    assert email.subject == GOOD["subject"]
    assert len(stub.requests) == 1 and stub.requests[0]["path"] == "/v1/chat/completions"
    body = stub.requests[0]["body"]
    assert body["model"] == "my-model" and body["temperature"] == 0
    assert body["max_tokens"] == 321
    assert body["messages"] == [{"role": "user", "content": "write it"}]
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"]["required"]
    assert backend.mode == "json_schema"


def refuse(status: int, modes: set[str]) -> Callable[[dict[str, Any]], Reply]:
    def respond(body: dict[str, Any]) -> Reply:
        fmt = body["response_format"]
        mode = ("json_object_schema" if fmt["type"] == "json_object" and "schema" in fmt
                else fmt["type"])
        if mode in modes:
            return failure(status, f"response_format {mode} is not supported")
        return completion(dumps(GOOD))
    return respond


@pytest.mark.parametrize(
    ("status", "refused", "expected"),
    [
        # llama.cpp's server: HTTP 500 for json_schema, a schema inside json_object works.
        (500, {"json_schema"}, ["json_schema", "json_object_schema"]),
        (400, {"json_schema", "json_object_schema"},
         ["json_schema", "json_object_schema", "json_object"]),
        (422, {"json_schema"}, ["json_schema", "json_object_schema"]),
    ],
)
def test_a_refused_mode_falls_back_and_is_remembered(stub, status, refused, expected):
    stub.respond = refuse(status, refused)
    backend = OpenAIBackend(base_url=stub.url, env={})
    assert backend.generate(request()).subject == GOOD["subject"]
    assert stub.modes() == expected  # the refused probe is not retried with backoff
    assert backend.mode == expected[-1]
    if expected[-1] == "json_object_schema":
        schema = stub.requests[-1]["body"]["response_format"]["schema"]
        assert "paragraphs" in schema["properties"]
    stub.requests.clear()
    backend.generate(request())
    assert stub.modes() == [expected[-1]]  # the next call goes straight to the working mode


def test_every_mode_refused_is_a_backend_error(stub):
    stub.respond = refuse(400, {"json_schema", "json_object_schema", "json_object"})
    with pytest.raises(BackendError, match="the server refused the request: .*not supported"):
        OpenAIBackend(base_url=stub.url, env={}).generate(request())
    assert stub.modes() == ["json_schema", "json_object_schema", "json_object"]


@pytest.mark.parametrize(
    ("server", "status"),
    [
        # json_schema refused with 500: the retrying client is used from then on.
        ("llama.cpp", 429),
        ("llama.cpp", 503),
        # json_schema accepted (OpenAI): a rate limit on the first call is retried in that mode,
        # and once the mode is known, 429 and 5xx are retried rather than taken as "refused".
        ("openai-first-call", 429),
        ("openai-known", 429),
        ("openai-known", 503),
    ],
)
def test_a_transient_error_is_retried_in_the_same_mode(stub, server, status):
    supported = refuse(500, {"json_schema"} if server == "llama.cpp" else set())
    stub.respond = supported
    backend = OpenAIBackend(base_url=stub.url, env={})
    if server != "openai-first-call":
        backend.generate(request())  # the mode is now known
        stub.requests.clear()
    mode = backend.mode
    replies = iter([failure(status, "busy, try again", {"retry-after-ms": "50"})])
    stub.respond = lambda body: next(replies, None) or supported(body)
    assert backend.generate(request()).subject == GOOD["subject"]
    assert len(stub.requests) == 2, stub.modes()
    assert stub.modes()[0] == stub.modes()[1] and backend.mode == mode


def test_a_rate_limit_that_persists_is_a_backend_error_after_the_retries(stub):
    stub.respond = refuse(500, {"json_schema"})
    backend = OpenAIBackend(base_url=stub.url, max_retries=1, env={})
    backend.generate(request())
    stub.respond = lambda body: failure(429, "quota exceeded", {"retry-after-ms": "20"})
    stub.requests.clear()
    with pytest.raises(BackendError, match="the server answered 429: .*quota exceeded"):
        backend.generate(request())
    assert len(stub.requests) == 2


def test_a_wrong_key_is_named(stub):
    stub.respond = lambda body: failure(401, "Incorrect API key provided")
    with pytest.raises(BackendError, match="refused the API key"):
        OpenAIBackend(base_url=stub.url, api_key="sk-wrong", env={}).generate(request())
    assert len(stub.requests) == 1


def test_an_answer_cut_off_at_max_tokens_is_named(stub):
    stub.respond = lambda body: completion('{"subject": "Sorry", "greet', "length")
    with pytest.raises(BackendError, match="cut off at 50 tokens"):
        OpenAIBackend(base_url=stub.url, max_tokens=50, env={}).generate(request())


def test_no_choices_is_a_backend_error(stub):
    stub.respond = lambda body: (200, {**completion("x")[1], "choices": []}, {})
    with pytest.raises(BackendError, match="no choices"):
        OpenAIBackend(base_url=stub.url, env={}).generate(request())


def test_compose_through_the_server_uses_the_model_draft(stub, shipped_store):
    stub.respond = refuse(500, {"json_schema"})
    backend = OpenAIBackend(base_url=stub.url, temperature=0, env={})
    backend.reads_incidents = False  # the stub answers emails; the reading: test_model_reading
    draft = compose(INCIDENT, backend=backend, store=shipped_store, progress=False)
    assert draft.backend == "openai" and draft.model == backend.model
    assert draft.subject == GOOD["subject"] and draft.warnings == []
    assert stub.modes() == ["json_schema", "json_object_schema"]
    assert INCIDENT in stub.requests[-1]["body"]["messages"][1]["content"]


def test_an_answer_that_is_not_an_email_falls_back(stub, shipped_store, offline_draft):
    stub.respond = lambda body: completion("Of course! Here is a heartfelt apology: sorry!!")
    backend = OpenAIBackend(base_url=stub.url, env={})
    backend.reads_incidents = False  # the drafting request under test, not the reading
    draft = compose(INCIDENT, backend=backend, store=shipped_store, progress=False)
    assert draft.backend == "offline" and draft.body == offline_draft.body
    assert len(draft.warnings) == 1
    assert draft.warnings[0].startswith("openai backend failed (the model's answer is not valid")


def test_an_unreachable_server_fails_fast_with_a_warning(shipped_store, offline_draft):
    url = dead_url()
    backend = OpenAIBackend(base_url=url, env={})
    started = time.monotonic()
    draft = compose(INCIDENT, backend=backend, store=shipped_store, progress=False)
    elapsed = time.monotonic() - started
    assert elapsed < 8, f"took {elapsed:.1f} s to notice nothing listens on {url}"
    assert draft.backend == "offline" and draft.body == offline_draft.body
    assert len(draft.warnings) == 1
    assert f"cannot reach {url}" in draft.warnings[0]


def test_a_server_slower_than_the_timeout_fails_within_about_the_timeout(stub):
    def hang(body: dict[str, Any]) -> Reply:
        stub.release.wait(10)
        return completion(dumps(GOOD))

    stub.respond = hang
    backend = OpenAIBackend(base_url=stub.url, timeout=1, max_retries=0, env={})
    started = time.monotonic()
    with pytest.raises(BackendError, match=f"no answer from {stub.url} in time"):
        backend.generate(request())
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3, f"gave up after {elapsed:.1f} s with timeout=1"


def test_a_slow_server_makes_compose_fall_back(stub, shipped_store):
    def hang(body: dict[str, Any]) -> Reply:
        stub.release.wait(10)
        return completion(dumps(GOOD))

    stub.respond = hang
    backend = OpenAIBackend(base_url=stub.url, timeout=1, max_retries=0, env={})
    with pytest.raises(FallbackError, match="in time") as info:
        compose(INCIDENT, backend=backend, store=shipped_store, progress=False, strict=True)
    assert info.value.draft.backend == "offline" and info.value.draft.body


# --- the CLI -----------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run(
        [sys.executable, "-m", "composer", *args],
        capture_output=True, text=True, timeout=300, env=env,
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def test_cli_strict_with_a_dead_server_exits_1_and_still_prints_the_offline_draft(
    shipped_store, offline_draft
):
    url = dead_url()
    result = run_cli("--incident", INCIDENT, "--base-url", url, "--strict",
                     "--store", str(shipped_store.path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Subject: {offline_draft.subject}" in result.stdout
    assert flat(offline_draft.body) in flat(result.stdout)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert f"cannot reach {url}" in errors[0] and errors[0].endswith("(--strict)")
    others = [line for line in result.stderr.splitlines()
              if line.strip() and not line.startswith(("error: ", "warning: "))]
    assert others == [], result.stderr


def test_cli_without_strict_warns_and_exits_0(shipped_store, offline_draft):
    url = dead_url()
    result = run_cli("--incident", INCIDENT, "--base-url", url, "--json",
                     "--store", str(shipped_store.path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: openai backend failed"), lines
    assert f"cannot reach {url}" in lines[0]
    data = json.loads(result.stdout)
    assert data["backend"] == "offline" and data["body"] == offline_draft.body
    assert data["warnings"] == [lines[0].removeprefix("warning: ")]


@pytest.mark.parametrize(
    ("url", "local"),
    [("http://127.0.0.1:8080/v1", True), ("http://localhost:11434/v1", True),
     ("http://[::1]:8000/v1", True), ("http://127.evil.example/v1", False),
     ("https://api.openai.com/v1", False), (None, False)],
)
def test_only_loopback_counts_as_a_local_server_that_needs_no_key(url, local):
    from composer.backends.base import is_local

    assert is_local(url) is local


def test_the_response_cache_answers_a_repeated_request_without_the_server(stub, tmp_path):
    cache = tmp_path / "cache"
    first = request()
    OpenAIBackend("m", stub.url, env={}, cache_dir=cache).generate(first)
    again = request()
    email = OpenAIBackend("m", stub.url, env={}, cache_dir=cache).generate(again)
    assert email.subject == GOOD["subject"] and len(stub.requests) == 1
    assert first.usage is not None and not first.usage.cached
    assert again.usage is not None and again.usage.cached
    assert (again.usage.tokens_in, again.usage.tokens_out) == (1, 1)
    other = Request("compose", [{"role": "user", "content": "write another"}], plan=None)  # type: ignore[arg-type]
    OpenAIBackend("m", stub.url, env={}, cache_dir=cache).generate(other)
    assert len(stub.requests) == 2  # a different request is a different entry
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 2 and not list(cache.rglob("*.tmp"))
    assert all("write it" not in e.read_text() for e in entries)  # answers only, keyed by hash
