"""Helpers shared by the serve scripts: start `compose serve`, talk to it, read its memory."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

INCIDENTS = [
    {"incident": "wrong bank account", "customer": "Ana", "loss": "120 EUR"},
    {"incident": "il sito è rimasto offline per tre ore", "loss": "3 hours"},
    {"incident": "cobro duplicado en la factura anual", "customer": "Lucía", "loss": "49 EUR"},
    {"incident": "мы отправили заказ не по тому адресу", "customer": "Иван"},
    {"incident": "客户的钱转错了账户", "loss": "300 CNY"},
    {"incident": "we charged the customer twice for the annual plan", "loss": "49 EUR",
     "facts": {"cause": "a retry in our billing job", "fix_status": "fixed"}},
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ensure_store(store: Path | None) -> Path:
    """The given store, or a fresh one in a temp dir (built once, ~15 s)."""
    from composer.knowledge.store import StoreConfig, build_index

    path = store or Path(tempfile.mkdtemp(prefix="serve-bench-")) / "store"
    build_index(StoreConfig.resolve(path=path), progress=False)
    return path


class Server:
    """`compose serve --port 0` in a new process; `.url` once it says where it listens."""

    def __init__(self, store: Path, *extra: str) -> None:
        compose = Path(sys.executable).with_name("compose")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(compose), "serve", "--port", "0", "--store", str(store), *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        line = self.process.stderr.readline()
        match = re.search(r"serving on http://([\d.]+):(\d+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"compose serve did not start: {line}")
        self.host, self.port = match.group(1), int(match.group(2))
        self.url = f"http://{self.host}:{self.port}"

    def wait_healthy(self, timeout: float = 60) -> float:
        """Seconds from process start until /healthz answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status, _ = Client(self.host, self.port).get("/healthz")
                if status == 200:
                    return time.perf_counter() - self.started
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError("compose serve never became healthy")

    def rss_mb(self) -> float:
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Client:
    """One keep-alive HTTP connection (a helpdesk integration holds one open)."""

    def __init__(self, host: str, port: int, timeout: float = 120) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def _do(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str) -> tuple[int, Any]:
        return self._do("GET", path)

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        return self._do("POST", path, body)
