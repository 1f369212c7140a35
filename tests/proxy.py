"""A recording, fault-injecting HTTP proxy in front of a real OpenAI-compatible server.

Tests put it between the backend and the llama.cpp server to see exactly what leaves the
machine (every request body and header is recorded) and to make the server misbehave in the
ways real ones do: rate limits, 5xx, slowness, truncated or invalid answers.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Fault:
    """What to do with one request instead of (or on top of) forwarding it."""

    status: int | None = None  # answer this status without forwarding
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    truncate: int | None = None  # forward, then cut the answer's content to this many chars
    body: str | None = None  # forward, then replace the message content with this


class Proxy:
    """Forwards POSTs to `upstream`, recording them; `faults` are applied to requests in order."""

    def __init__(self, upstream: str, host: str = "127.0.0.1") -> None:
        self.upstream = upstream.rstrip("/")
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.release = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                proxy.requests.append({"path": self.path, "headers": dict(self.headers),
                                       "body": raw.decode("utf-8", "replace")})
                fault = proxy.faults.pop(0) if proxy.faults else Fault()
                if fault.delay:
                    proxy.release.wait(fault.delay)
                if fault.status is not None:
                    payload = json.dumps({"error": {"message": f"injected {fault.status}",
                                                    "type": "server_error"}}).encode()
                    self._send(fault.status, payload, fault.headers)
                    return
                status, payload = proxy._forward(self.path, raw)
                if status == 200 and (fault.truncate is not None or fault.body is not None):
                    payload = _rewrite(payload, fault)
                self._send(status, payload, fault.headers)

            def _send(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://{host}:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    def _forward(self, path: str, raw: bytes) -> tuple[int, bytes]:
        target = self.upstream.removesuffix("/v1") + path
        request = urllib.request.Request(target, data=raw, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def sent(self) -> str:
        """Everything that left through the proxy, headers and bodies, as one text."""
        return "\n".join(json.dumps(r["headers"]) + "\n" + r["body"] for r in self.requests)

    def __enter__(self) -> Proxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _rewrite(payload: bytes, fault: Fault) -> bytes:
    data = json.loads(payload)
    data["choices"][0]["finish_reason"] = "stop"  # the content is ours now, whatever its length
    message = data["choices"][0]["message"]
    if fault.body is not None:
        message["content"] = fault.body
    if fault.truncate is not None:
        message["content"] = (message.get("content") or "")[:fault.truncate]
    return json.dumps(data).encode()


def non_loopback_host() -> str | None:
    """An address of this machine that is not loopback, or None (then a test is skipped)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 9))  # no packet is sent for a UDP connect
            host = sock.getsockname()[0]
    except OSError:
        return None
    return None if host.startswith("127.") else host


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
