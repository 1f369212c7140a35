"""Which language a text is written in, by py3langid's naive Bayes model over byte n-grams,
restricted to the languages that have a folder in `languages/`.

It reads short ticket titles ("Doppio addebito", "Cobro duplicado") that function-word counts
take for English; `scripts/langid_probe.py` measures both on every labelled text the project
keeps. py3langid ships its model compressed (0.6 s to load); the columns for our languages are
written once, uncompressed, to the user cache, and load from there in a few milliseconds.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

_FORMAT = 1
_NAMES = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _cache_dir(langs: tuple[str, ...]) -> Path:
    from platformdirs import user_cache_path
    from py3langid import langid

    source = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    stamp = f"{_FORMAT}|{source.stat().st_size}|{source.stat().st_mtime_ns}|{','.join(langs)}"
    key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    return user_cache_path("apology-composer") / "langid" / key


def _restricted(langs: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The model's arrays with only the columns of `langs` (the slow path: 0.6 s)."""
    from py3langid import langid, modelio

    ptc, pc, classes, nextmove, row, output = modelio.load_model(
        Path(langid.MODEL_DIR) / langid.MODEL_FILE)
    keep = [i for i, code in enumerate(classes) if code in set(langs)]
    return {
        "ptc": np.ascontiguousarray(np.asarray(ptc)[:, keep], dtype=np.float32),
        "pc": np.asarray(pc)[keep].astype(np.float32),
        "classes": np.array([classes[i] for i in keep]),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "nextmove_row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
        "out_feat": np.asarray(output, dtype=np.int32),
    }


def _arrays(langs: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The restricted arrays, memory-mapped from the cache (the DFA is 40 MB, and a short text
    touches a few pages of it); written there on first use."""
    folder = _cache_dir(langs)
    try:
        return {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                for name in _NAMES}
    except (OSError, ValueError):
        pass
    arrays = _restricted(langs)
    try:  # written whole, then renamed: a reader never sees half a folder
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        for name in _NAMES:
            np.save(tmp / f"{name}.npy", arrays[name], allow_pickle=False)
        tmp.rename(folder)
    except OSError:
        pass  # a read-only cache, or another process won the race: nothing lost
    return arrays


@cache
def identifier(langs: tuple[str, ...]) -> Any:
    """A py3langid LanguageIdentifier that answers only with one of `langs` (ISO 639-1)."""
    from py3langid.langid import LanguageIdentifier

    a = _arrays(tuple(sorted(langs)))
    row = array("I", np.asarray(a["nextmove_row"], dtype=np.uint32).tobytes())  # Python ints
    return LanguageIdentifier(
        a["ptc"], np.asarray(a["pc"]), a["classes"].tolist(), a["nextmove"],
        a["out_feat"].tolist(), tk_row=row)


def rank(text: str, langs: tuple[str, ...]) -> list[tuple[str, float]]:
    """Each of `langs` with its log-likelihood for `text`, most likely first."""
    return [(str(code), float(score))
            for code, score in identifier(tuple(sorted(langs))).rank(text)]
