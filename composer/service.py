"""`compose serve`: the HTTP API and the web page, over the same `compose()` and `check()`.

Helpdesk tools reach drafting over an API, and a support lead approves each draft in a browser.
The service opens the store, the embedder and the checker once per process, so a request pays
only for drafting (tens of milliseconds offline) instead of a cold start (about a second).

Build it with `create_app(...)` (no global configuration); `serve(...)` checks the bind address,
opens everything, and runs uvicorn. Errors a user can fix come back as RFC 9457 problem JSON
carrying the same one-line message the CLI prints.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import html
import ipaddress
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from composer import __version__
from composer.backends import get_backend
from composer.backends.base import Backend
from composer.checking.checker import check, incident_from_options, warm_up
from composer.errors import ComposerError
from composer.knowledge.retrieval import Retriever
from composer.knowledge.store import StoreConfig, StoreError
from composer.language.detect import SUPPORTED
from composer.pipeline import compose
from composer.understand.incident import parse_fact, parse_loss

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_BODY_BYTES = 256 * 1024  # an incident is at most 20,000 chars and a draft 50,000
DEFAULT_REQUEST_TIMEOUT = 60.0
DEFAULT_MODEL_TIMEOUT = 20.0  # per model call; the client retries twice, then offline draft
TOKEN_ENV = "COMPOSER_API_TOKEN"
WEB_DIR = Path(__file__).parent / "web"
# Everything the page loads comes from this service: no CDN, works offline.
_ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
PROBLEM = "application/problem+json"
T = TypeVar("T")


# --- errors ------------------------------------------------------------------------------------


class ServiceError(ComposerError):
    """A service that cannot start as asked (e.g. a public bind without a token)."""


class Problem(Exception):
    """An HTTP error that becomes RFC 9457 problem JSON."""

    def __init__(self, status: int, title: str, detail: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers


def problem_response(status: int, title: str, detail: str,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _validation_detail(exc: RequestValidationError) -> str:
    """Pydantic's first complaint as one line: `incident: Field required`."""
    errors = exc.errors()
    if not errors:
        return "the request body is not valid"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    message = str(first.get("msg", "invalid value"))
    if first.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


# --- HTTP models -------------------------------------------------------------------------------


class DraftIn(BaseModel):
    """The same inputs as `compose --incident ... --json` (facts as a mapping or key=value)."""

    model_config = ConfigDict(extra="forbid")

    incident: str = Field(description="What went wrong, in a sentence or two.")
    customer: str | None = Field(None, max_length=200)
    company: str | None = Field(None, max_length=200)
    sender: str | None = Field(None, max_length=200)
    language: str | None = Field(None, description="en, it, es, ru or zh; default: detected.")
    tone: str | None = Field(None, description="formal, warm or playful.")
    channel: str | None = Field(None, description="reply, proactive or newsletter.")
    severity: str | None = Field(None, description="trivial, low, medium, high or critical.")
    loss: str | None = Field(None, description="What the customer lost: '120 EUR', '3 hours'.")
    facts: dict[str, str] | list[str] = Field(
        default_factory=dict,
        description="cause, eta, prevention, done, scope, fix_status, prior_failures, gesture…",
    )
    max_compensation: str | None = Field(None, description="Policy cap, e.g. '50 EUR'.")
    revisions: int = Field(2, ge=0, le=5, description="Revision rounds for a model draft.")
    explain: bool = Field(False, description="Add retrieved cards, scores and token budget.")


class CheckIn(BaseModel):
    """The same inputs as `compose check FILE --json`."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The apology email to check.")
    incident: str | None = None
    severity: str | None = None
    loss: str | None = None
    language: str | None = Field(None, description="Two-letter code; default: detected.")


class DraftOut(BaseModel):
    """What `compose --json` prints (documented loosely: every key of Draft.as_dict())."""

    model_config = ConfigDict(extra="allow")

    should_apologize: bool
    advice: str | None
    subject: str
    body: str
    paragraphs: list[dict[str, str]]
    language: str
    compensation: dict[str, Any]
    fill_ins: list[str]
    sources: list[dict[str, str]]
    check: dict[str, Any] | None
    warnings: list[str]


class CheckOut(BaseModel):
    """What `compose check --json` prints."""

    model_config = ConfigDict(extra="allow")

    verdict: str
    score: int
    steps: dict[str, dict[str, Any]]
    anti_patterns: list[dict[str, Any]]
    compensation: list[dict[str, Any]]


class CardSummary(BaseModel):
    id: str
    kind: str
    title: str
    use_when: str


class ProblemOut(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str


# --- the engine: warm state shared by all requests ----------------------------------------------


@dataclass
class Engine:
    """The opened store, the backend and a worker pool; built once per process.

    Drafting is CPU-bound offline, so the default is one worker for the offline composer (no
    contention for the GIL or the embedder) and four for model backends (they mostly wait).
    """

    retriever: Retriever
    backend: Backend
    workers: int = 1
    pool: ThreadPoolExecutor = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="compose")
        self.cards = self.retriever.knowledge.by_id()

    @classmethod
    def open(cls, store: StoreConfig | None = None, *, backend: str | Backend | None = None,
             model: str | None = None, base_url: str | None = None,
             timeout: float = DEFAULT_MODEL_TIMEOUT, workers: int | None = None) -> Engine:
        chosen = backend if backend is not None and not isinstance(backend, str) else (
            get_backend(backend, model=model, base_url=base_url, timeout=timeout))
        # The checker's embedder loads in C while the store opens and the first draft compiles
        # its patterns in Python: overlapping them saves about 0.6 s of start-up.
        checker = threading.Thread(target=warm_up, name="warm-checker", daemon=True)
        checker.start()
        retriever = Retriever.open(store or StoreConfig.resolve(), progress=False)
        offline = chosen.name == "offline"
        engine = cls(retriever, chosen, workers or (1 if offline else 4))
        engine._warming = checker
        return engine

    def warm(self) -> None:
        """Compile the patterns, load the phrasebooks and the checker's embedder now, so the
        first request is as fast as the others."""
        checker = getattr(self, "_warming", None)
        if checker is None:
            checker = threading.Thread(target=warm_up, name="warm-checker", daemon=True)
            checker.start()
        draft = self.draft(DraftIn(incident="we charged the customer twice", loss="10 EUR"))
        self.check(CheckIn(text=f"{draft['subject']}\n\n{draft['body']}",
                           incident="charged twice"))
        checker.join()

    def draft(self, body: DraftIn) -> dict[str, Any]:
        data: dict[str, Any] = {}
        facts = body.facts if isinstance(body.facts, list) else [
            f"{key}={value}" for key, value in body.facts.items()]
        for key, value in (parse_fact(item) for item in facts):  # the CLI's --fact rules
            data[key] = value
        flags = {"text": body.incident, "language": body.language, "tone": body.tone,
                 "channel": body.channel, "customer": body.customer, "company": body.company,
                 "sender": body.sender, "severity": body.severity, "loss": body.loss}
        data.update({k: v for k, v in flags.items() if v is not None})
        cap = parse_loss(body.max_compensation) if body.max_compensation else None
        draft = compose(data, backend=self.backend, retriever=self.retriever,
                        max_compensation=cap, revise=body.revisions, progress=False)
        return draft.as_dict(explain=body.explain)

    def check(self, body: CheckIn) -> dict[str, Any]:
        incident = incident_from_options(body.incident, body.severity, body.loss)
        return check(body.text, incident, language=body.language).as_dict()

    def card_list(self) -> list[dict[str, str]]:
        return [{"id": c.id, "kind": c.kind, "title": c.title, "use_when": c.use_when}
                for c in self.cards.values()]

    def card(self, card_id: str) -> dict[str, Any] | None:
        card = self.cards.get(card_id)
        if card is None:
            return None
        data = card.as_dict()
        doc = self.retriever.knowledge.sources.get(card.source.file)
        if doc is not None:
            data["source"].update({"title": doc.title, "publisher": doc.publisher,
                                   "language": doc.language, "author": doc.author})
        return data

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


# --- middleware ----------------------------------------------------------------------------------


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413 before the app parses them.

    The body is read here (at most `limit` + one chunk) and replayed to the app, so a chunked
    upload with no Content-Length is bounded too.
    """

    def __init__(self, app: Any, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS") and declared is None:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body, replayed = b"".join(chunks), False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: dict, receive: Callable, send: Callable) -> None:
        response = problem_response(
            413, "Content Too Large",
            f"the request body is over {self.limit:,} bytes: send one incident or email at a time",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


# --- the app -------------------------------------------------------------------------------------


def with_languages(page: bytes) -> bytes:
    """The page with one option per supported language, each named in its own language, so a
    language added as a folder appears on the page too."""
    from babel import Locale

    options = []
    for code in SUPPORTED:
        name = Locale.parse(code).get_display_name(code)
        label = html.escape(name[:1].upper() + name[1:])
        options.append(f'<option value="{code}" lang="{code}">{label}</option>')
    marker = b"<!-- languages: one option per supported language, written in by the service -->"
    return page.replace(marker, "\n              ".join(options).encode())


def create_app(
    engine: Engine | None = None,
    *,
    store: StoreConfig | None = None,
    token: str | None = None,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    max_body: int = MAX_BODY_BYTES,
    warm: bool = True,
) -> FastAPI:
    """The FastAPI app over one warm `Engine` (opened from `store` when not given).

    `token`: when set, every /v1 call needs `Authorization: Bearer <token>`.
    Long because the routes are closures over the app's state (retriever, limits, locks).
    """
    engine = engine or Engine.open(store)
    if warm:
        engine.warm()
    pages = {name: (WEB_DIR / name).read_bytes() for name in ("index.html", *_ASSETS)}
    pages["index.html"] = with_languages(pages["index.html"])

    app = FastAPI(
        title="Apology composer",
        version=__version__,
        description="Compose and check customer apology emails. Offline by default.",
        docs_url=None,  # FastAPI's docs pages load scripts from a CDN; the schema is enough
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.engine = engine
    app.add_middleware(BodyLimit, limit=max_body)

    async def require_token(request: Request) -> None:
        if token is None:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                                 token.encode()):
            raise Problem(401, "Unauthorized",
                          f"this service needs a bearer token: send 'Authorization: Bearer "
                          f"<token>' with the value of {TOKEN_ENV}",
                          headers={"WWW-Authenticate": "Bearer"})

    async def run(fn: Callable[..., T], *args: Any) -> T:
        """Run CPU-bound work on the engine's pool, bounded by the request timeout."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(engine.pool, functools.partial(fn, *args))
        try:
            return await asyncio.wait_for(future, request_timeout)
        except asyncio.TimeoutError:
            raise Problem(504, "Gateway Timeout",
                          f"the request took longer than {request_timeout:g} s; try again, or "
                          "use a faster model server") from None

    problems = {400: {"model": ProblemOut, "description": "Bad input (one-line reason)"},
                401: {"model": ProblemOut}, 413: {"model": ProblemOut},
                422: {"model": ProblemOut}, 504: {"model": ProblemOut}}
    auth = [Depends(require_token)]

    @app.post("/v1/drafts", response_model=DraftOut, responses=problems, dependencies=auth,
              summary="Compose a draft (as compose --json)")
    async def post_draft(body: DraftIn) -> Response:
        return _json(await run(engine.draft, body))

    @app.post("/v1/checks", response_model=CheckOut, responses=problems, dependencies=auth,
              summary="Check an apology (as compose check --json)")
    async def post_check(body: CheckIn) -> Response:
        return _json(await run(engine.check, body))

    @app.get("/v1/cards", response_model=list[CardSummary], dependencies=auth,
             summary="The knowledge cards")
    async def get_cards() -> Response:
        return _json(engine.card_list())

    @app.get("/v1/cards/{card_id}", responses={404: {"model": ProblemOut}}, dependencies=auth,
             summary="One card's text and source")
    async def get_card(card_id: str) -> Response:
        card = engine.card(card_id)
        if card is None:
            raise Problem(404, "Not Found", f"no card {card_id!r}: GET /v1/cards lists them")
        return _json(card)

    @app.get("/healthz", summary="Liveness and what the service runs on")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "backend": engine.backend.name,
                "model": engine.backend.model, "embedder": engine.retriever.embedder,
                "cards": len(engine.cards), "auth": token is not None}

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        return Response(pages["index.html"], media_type="text/html; charset=utf-8",
                        headers=_PAGE_HEADERS)

    @app.get("/static/{name}", include_in_schema=False)
    async def asset(name: str) -> Response:
        if name not in _ASSETS:
            raise Problem(404, "Not Found", f"no asset {name!r}")
        return Response(pages[name], media_type=_ASSETS[name], headers=_PAGE_HEADERS)

    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> Response:
        return problem_response(exc.status, exc.title, exc.detail, exc.headers)

    @app.exception_handler(ComposerError)
    async def on_user_error(request: Request, exc: ComposerError) -> Response:
        if isinstance(exc, StoreError):  # the operator's to fix, not the caller's
            return problem_response(503, "Service Unavailable", str(exc))
        return problem_response(400, "Bad Request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        return problem_response(422, "Unprocessable Content", _validation_detail(exc))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404:
            detail = f"no such endpoint {request.url.path}: see /openapi.json"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(exc.status_code, _title(exc.status_code), detail,
                                getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        print(f"error: {request.method} {request.url.path}: {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return problem_response(500, "Internal Server Error",
                                "the service failed on this request (logged on the server)")

    return app


def _json(data: Any) -> Response:
    """JSON without FastAPI's response re-validation: the library already built the dict."""
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# --- starting it ---------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_token(host: str, env: dict[str, str] | None = None) -> str | None:
    """The bearer token for `host`: none needed on loopback, required anywhere else."""
    env = dict(os.environ) if env is None else env
    token = (env.get(TOKEN_ENV) or "").strip() or None
    if token is None and not is_loopback(host):
        raise ServiceError(
            f"refusing to listen on {host} without a token: set {TOKEN_ENV} (clients then send "
            "'Authorization: Bearer <token>'), or bind 127.0.0.1"
        )
    if token is not None and len(token) < 16:
        raise ServiceError(f"{TOKEN_ENV} is too short: use at least 16 random characters")
    return token


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store: StoreConfig | None = None,
    *,
    backend: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    timeout: float = DEFAULT_MODEL_TIMEOUT,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    workers: int | None = None,
    access_log: bool = False,
    announce: Callable[[str], Any] = print,
) -> None:
    """Check the bind, open the store and the models once, then serve until interrupted."""
    import uvicorn

    started = time.perf_counter()
    token = bind_token(host)  # before anything slow: a refused start is immediate
    sock = _listen(host, port)
    engine = Engine.open(store, backend=backend, model=model, base_url=base_url,
                         timeout=timeout, workers=workers)
    app = create_app(engine, token=token, request_timeout=request_timeout)
    shown = f"[{host}]" if ":" in host else host
    announce(f"serving on http://{shown}:{sock.getsockname()[1]} (backend "
             f"{engine.backend.name}, embedder {engine.retriever.embedder}, "
             f"{'bearer token' if token else 'loopback, no token'}; "
             f"ready in {time.perf_counter() - started:.1f} s)")
    config = uvicorn.Config(app, log_level="warning", access_log=access_log,
                            limit_concurrency=256, timeout_graceful_shutdown=5)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        engine.close()
        sock.close()


def _listen(host: str, port: int) -> socket.socket:
    """Bind now, so a busy port is a one-line error before the store is opened."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise ServiceError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock
