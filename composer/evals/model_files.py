"""Model files both trainers write: an .npz and a JSON description, byte-for-byte the same for
the same content (so a rebuild from the same data changes nothing in git), written atomically."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from composer.evals.triage_corpus import TrainError


def write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> bytes:
    """An .npz numpy reads, written byte-for-byte the same for the same arrays (np.savez stamps
    the current time into the zip)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            data = io.BytesIO()
            np.lib.format.write_array(data, np.ascontiguousarray(arrays[name]),
                                      allow_pickle=False)
            zf.writestr(info, data.getvalue())
    blob = buf.getvalue()
    write_bytes(path, blob)
    return blob


def write_bytes(path: Path, blob: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(blob)
        partial.replace(path)
    except OSError as exc:
        raise TrainError(f"cannot write {path}: {exc.strerror or exc}") from exc


def dumps(meta: Mapping[str, Any]) -> str:
    return json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
