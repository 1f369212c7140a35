"""`compose serve`: the HTTP API gives what the CLI gives, fails in one line, and degrades to the
offline draft when a model server stalls or fails under load."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install '.[serve]')")
from fastapi.testclient import TestClient  # noqa: E402
from test_backends import GOOD, INCIDENT, StubServer, completion, dumps, failure  # noqa: E402
from test_cli_kb import assert_one_line_error, compose  # noqa: E402

from composer.backends import get_backend  # noqa: E402
from composer.backends.base import BackendError  # noqa: E402
from composer.backends.openai import OpenAIBackend
from composer.checking.checker import check  # noqa: E402
from composer.errors import ComposerError  # noqa: E402
from composer.language.detect import SUPPORTED  # noqa: E402
from composer.pipeline import compose as compose_draft  # noqa: E402
from composer.service import WEB_DIR, Engine, ServiceError, bind_token, create_app  # noqa: E402
from composer.understand.incident import Incident, parse_loss  # noqa: E402

TOKEN = "s3cret-token-for-tests-0123456789"


@pytest.fixture(scope="module")
def engine(shipped_retriever):
    return Engine(shipped_retriever, get_backend("offline"))


@pytest.fixture(scope="module")
def client(engine):
    with TestClient(create_app(engine)) as http:
        yield http


def is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and "\n" not in body["detail"]
    return body


def test_a_draft_is_what_compose_json_prints(client, shipped_retriever):
    request = {"incident": "wrong bank account", "customer": "Ana", "loss": "120 EUR",
               "facts": {"cause": "a typo in the IBAN we entered"}, "max_compensation": "100 EUR"}
    response = client.post("/v1/drafts", json=request)
    assert response.status_code == 200
    expected = compose_draft("wrong bank account", customer="Ana", loss="120 EUR",
                             cause="a typo in the IBAN we entered", max_compensation="100 EUR",
                             retriever=shipped_retriever, progress=False).as_dict()
    assert response.json() == json.loads(json.dumps(expected, ensure_ascii=False))
    assert "Ana" in response.json()["body"]


def test_facts_as_key_value_lines_and_no_apology_advice(client):
    data = client.post("/v1/drafts", json={"incident": "we sent the newsletter twice",
                                           "facts": ["prior_failures=0"]}).json()
    assert data["should_apologize"] is False and data["body"] == ""
    assert "No standalone apology" in data["advice"]


def test_a_check_is_what_compose_check_json_prints(client):
    text = "We apologize for any inconvenience."
    response = client.post("/v1/checks", json={"text": text, "incident": "charged twice",
                                               "loss": "40 EUR"})
    assert response.status_code == 200
    expected = check(text, Incident("charged twice", loss=parse_loss("40 EUR"))).as_dict()
    assert response.json() == expected
    assert response.json()["verdict"] == "needs_changes"


@pytest.mark.parametrize(
    ("path", "body", "kwargs"),
    [
        ("/v1/drafts", {"incident": "late parcel", "loss": "lots"}, {"loss": "lots"}),
        ("/v1/drafts", {"incident": "late parcel", "language": "fr"}, {"language": "fr"}),
        ("/v1/drafts", {"incident": "  "}, {}),
        ("/v1/drafts", {"incident": "late parcel", "facts": ["cause"]}, None),
        ("/v1/checks", {"text": "   "}, None),
    ],
)
def test_user_errors_are_problem_json_with_the_cli_message(client, shipped_retriever, path,
                                                           body, kwargs):
    detail = is_problem(client.post(path, json=body), 400)["detail"]
    if kwargs is not None:  # the library (and so the CLI) says exactly the same
        with pytest.raises(ComposerError) as error:
            compose_draft(body["incident"], retriever=shipped_retriever, progress=False, **kwargs)
        assert detail == str(error.value)
    assert detail


def test_the_cli_prints_the_same_one_line_message(client, shipped_store):
    detail = client.post("/v1/drafts", json={"incident": "late parcel", "loss": "lots"}
                         ).json()["detail"]
    result = compose("--incident", "late parcel", "--loss", "lots", "--store",
                     str(shipped_store.path))
    assert_one_line_error(result)
    assert result.stderr.strip() == f"error: {detail}"


def test_malformed_requests_are_problem_json(client):
    assert is_problem(client.post("/v1/drafts", json={}), 422)["detail"] == (
        "incident: Field required")
    assert "not valid JSON" in is_problem(client.post(
        "/v1/drafts", content=b"{oops", headers={"content-type": "application/json"}), 422
    )["detail"]
    assert is_problem(client.post("/v1/drafts", json={"incident": "x", "colour": "red"}),
                      422)["detail"].startswith("colour: ")
    assert "/nope" in is_problem(client.get("/nope"), 404)["detail"]
    assert is_problem(client.get("/v1/drafts"), 405)


def test_bodies_over_the_limit_are_refused(engine):
    with TestClient(create_app(engine, max_body=2_000, warm=False)) as http:
        big = {"incident": "x" * 5_000}
        assert "2,000 bytes" in is_problem(http.post("/v1/drafts", json=big), 413)["detail"]

        def chunks():  # no Content-Length: the limit still holds
            for _ in range(5):
                yield b"x" * 1_000

        assert is_problem(http.post("/v1/drafts", content=chunks()), 413)
        assert http.post("/v1/drafts", json={"incident": "late parcel"}).status_code == 200


def test_cards_list_and_text(client, engine):
    cards = client.get("/v1/cards").json()
    assert len(cards) == len(engine.cards) and {"id", "kind", "title"} <= set(cards[0])
    card = client.get("/v1/cards/rule.compensation-size").json()
    assert card["body"] and card["source"]["span"] and card["source"]["publisher"]
    assert "GET /v1/cards" in is_problem(client.get("/v1/cards/no.such-card"), 404)["detail"]


def test_health_openapi_and_the_page_work_offline(client):
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["backend"] == "offline"
    schema = client.get("/openapi.json").json()
    assert {"/v1/drafts", "/v1/checks", "/v1/cards", "/v1/cards/{card_id}"} <= set(
        schema["paths"])
    assert client.get("/docs").status_code == 404  # FastAPI's docs page needs a CDN
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers[
        "content-security-policy"]
    for name in ("index.html", "app.js", "app.css"):  # nothing loads from elsewhere
        text = (WEB_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), name
        assert "@import" not in text and "url(http" not in text
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/../service.py").status_code == 404


def test_the_page_offers_every_supported_language_in_its_own_name(client):
    page = client.get("/").text
    offered = re.findall(r'<option value="([a-z]{2})" lang="[a-z]{2}">([^<]+)</option>', page)
    assert [code for code, _ in offered] == list(SUPPORTED)
    assert ("de", "Deutsch") in offered and ("it", "Italiano") in offered
    assert ("zh", "中文") in offered


def test_a_token_guards_the_api(engine):
    with TestClient(create_app(engine, token=TOKEN, warm=False)) as http:
        refused = http.post("/v1/drafts", json={"incident": "late parcel"})
        assert "COMPOSER_API_TOKEN" in is_problem(refused, 401)["detail"]
        assert refused.headers["www-authenticate"] == "Bearer"
        wrong = {"Authorization": "Bearer not-the-token"}
        assert http.get("/v1/cards", headers=wrong).status_code == 401
        ok = {"Authorization": f"Bearer {TOKEN}"}
        assert http.post("/v1/drafts", json={"incident": "late parcel"}, headers=ok
                         ).status_code == 200
        assert http.get("/healthz").status_code == 200 and http.get("/").status_code == 200


def test_only_loopback_binds_without_a_token():
    assert bind_token("127.0.0.1", env={}) is None
    assert bind_token("::1", env={}) is None and bind_token("localhost", env={}) is None
    for host in ("0.0.0.0", "192.168.1.5", "::"):
        with pytest.raises(ServiceError, match="COMPOSER_API_TOKEN"):
            bind_token(host, env={})
    assert bind_token("0.0.0.0", env={"COMPOSER_API_TOKEN": TOKEN}) == TOKEN
    with pytest.raises(ServiceError, match="too short"):
        bind_token("0.0.0.0", env={"COMPOSER_API_TOKEN": "short"})


def test_serve_on_a_public_address_without_a_token_refuses_in_one_line(shipped_store):
    result = subprocess.run(
        [sys.executable, "-m", "composer", "serve", "--host", "0.0.0.0", "--store",
         str(shipped_store.path)],
        capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "COMPOSER_API_TOKEN"},
    )
    assert_one_line_error(result, "COMPOSER_API_TOKEN", "127.0.0.1")


def test_compose_cold_start_does_not_import_the_web_stack():
    code = ("import sys, composer.cli.app; bad = {'fastapi', 'uvicorn', 'starlette'} & "
            "set(sys.modules); print(sorted(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


class SlowBackend:
    """A model that takes longer than the request may."""

    name, model = "slow", "slow"

    def generate(self, request):
        time.sleep(1.0)
        raise BackendError("too slow")


def test_a_request_over_its_time_is_a_504_problem(shipped_retriever):
    slow = Engine(shipped_retriever, SlowBackend())
    try:
        with TestClient(create_app(slow, request_timeout=0.3, warm=False)) as http:
            response = http.post("/v1/drafts", json={"incident": "wrong bank account"})
            assert "0.3 s" in is_problem(response, 504)["detail"]
    finally:
        slow.close()


@pytest.mark.slow
def test_a_model_server_failing_mid_load_degrades_to_offline_drafts(shipped_retriever):
    """Healthy, then 500s, then stalls: every request still gets a draft, the failed ones the
    offline draft with a warning, and none waits much past the model timeout."""
    stub = StubServer()
    stub.thread.start()
    phase = {"now": "healthy"}

    def respond(body):
        if phase["now"] == "failing":
            return failure(500, "model crashed")
        if phase["now"] == "stalled":
            stub.release.wait(5)
        return completion(dumps(GOOD))

    stub.respond = respond
    backend = OpenAIBackend("stub", stub.url, timeout=1.0, max_retries=0, env={})
    engine = Engine(shipped_retriever, backend, workers=4)
    try:
        with TestClient(create_app(engine, request_timeout=20, warm=False)) as http:
            def post(_):
                started = time.perf_counter()
                response = http.post("/v1/drafts", json={"incident": INCIDENT, "revisions": 0})
                return response, time.perf_counter() - started

            results = {}
            with ThreadPoolExecutor(8) as pool:
                for name in ("healthy", "failing", "stalled"):
                    phase["now"] = name
                    results[name] = list(pool.map(post, range(8)))
        for name, answers in results.items():
            for response, seconds in answers:
                assert response.status_code == 200, (name, response.text)
                draft = response.json()
                assert draft["body"] and draft["check"] is not None
                if name == "healthy":
                    assert draft["backend"] == "openai"
                else:
                    assert draft["backend"] == "offline"
                    assert any("offline draft instead" in w for w in draft["warnings"])
                    assert seconds < 10
    finally:
        stub.release.set()
        stub.httpd.shutdown()
        stub.httpd.server_close()
        engine.close()


@pytest.mark.slow
def test_compose_serve_starts_answers_and_stops(shipped_store, tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "composer", "serve", "--port", "0", "--store",
         str(shipped_store.path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stderr.readline()
        match = re.search(r"serving on (http://127\.0\.0\.1:\d+)", line)
        assert match, line + (process.stderr.read() if process.poll() is not None else "")
        base = match.group(1)
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as answer:
            assert json.load(answer)["status"] == "ok"
        request = urllib.request.Request(
            f"{base}/v1/drafts", data=json.dumps({"incident": "il sito è rimasto offline per "
                                                  "tre ore"}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert json.load(answer)["language"] == "it"
        results = []

        def hammer():
            for _ in range(5):
                with urllib.request.urlopen(f"{base}/v1/cards", timeout=30) as answer:
                    results.append(answer.status)

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [200] * 20
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode in (0, -15), process.stderr.read()
    assert "Traceback" not in process.stderr.read()


def test_port_in_use_is_one_line(shipped_store):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = compose("serve", "--port", str(port), "--store", str(shipped_store.path))
    assert_one_line_error(result, f"cannot listen on 127.0.0.1:{port}")


def test_web_assets_ship_inside_the_package():
    assert (Path(WEB_DIR) / "index.html").is_file()
    assert WEB_DIR.parent.name == "composer"
