"""`compose check` input: a draft read from a file or standard input, as text to check, with a
one-line error for what cannot be checked (missing, a directory, binary, not UTF-8, empty, huge)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from composer.checking.checker import CheckInputError, validate_text


def decode_input(data: bytes, where: str = "input") -> str:
    """Bytes from a file or stdin to text, with one-line errors for binary data."""
    if b"\x00" in data:
        raise CheckInputError(f"{where} looks binary (it contains NUL bytes): pass a text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CheckInputError(f"{where} is not UTF-8 text (binary?): pass a text file") from exc
    if not text.strip():
        raise CheckInputError(f"{where} is empty: paste the apology email")
    return text


def read_check_input(source: str, stdin: Any = None) -> str:
    """Read FILE or '-' (stdin) as text; missing, binary, empty or huge input is one-line error."""
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        where = "standard input"
    else:
        path = Path(source)
        if not path.exists():
            raise CheckInputError(f"no such file: {source}")
        if path.is_dir():
            raise CheckInputError(f"{source} is a directory: pass a text file")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CheckInputError(f"cannot read {source}: {exc.strerror}") from exc
        where = source
    return validate_text(decode_input(data, where))
