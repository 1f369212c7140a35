"""No traceback for a user: an unexpected failure in any subcommand is one line and exit 2.

Each case injects a failure into the library call a subcommand makes and runs the real console
entry point (`composer.cli.app.main`), as the `compose` script does.
"""

from __future__ import annotations

import importlib
import json
import sys

import pytest

from composer.cli import app as cli

INJECTED = "injected failure 7f3a"


def _raise(*_args, **_kwargs):
    raise RuntimeError(INJECTED)


@pytest.fixture
def run_main(monkeypatch, capsys, tmp_path):
    """Run `compose ARGS` in-process; the crash log goes to a temporary state directory."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("COMPOSER_DEBUG", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["compose", *args])
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
        captured = capsys.readouterr()
        return exit_info.value.code, captured.out, captured.err

    return run


def _runs(tmp_path):
    run_file = tmp_path / "run.json"
    run_file.write_text(json.dumps({"run": {}, "scorecard": {}, "cases": []}), encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("Dear Ana, we are sorry we sent your money to the wrong account.",
                     encoding="utf-8")
    store = str(tmp_path / "store")
    customers = tmp_path / "customers.csv"
    customers.write_text("id,name,language\n1,Ana,en\n", encoding="utf-8")
    return [
        (["--incident", "wrong bank account", "--store", store], "composer.pipeline", "compose"),
        (["kb", "build", "--store", store], "composer.knowledge.store", "build_index"),
        (["kb", "search", "double charge", "--store", store],
         "composer.knowledge.retrieval", "retrieve"),
        (["kb", "stats", "--store", store], "composer.knowledge.store", "index_stats"),
        (["eval", "retrieval", "--store", store],
         "composer.evals.retrieval", "evaluate_retrieval"),
        (["check", str(draft), "--incident", "wrong bank account"],
         "composer.checking.checker", "check"),
        (["eval", "check"], "composer.evals.checker", "evaluate_check"),
        (["eval", "run", "--store", store], "composer.evals.suite", "run_suite"),
        (["eval", "compare", str(run_file), str(run_file)], "composer.evals.compare", "compare"),
        (["serve", "--port", "0", "--store", store], "composer.service", "serve"),
        (["batch", "--incident", "checkout was down", "--customers", str(customers), "--out",
          str(tmp_path / "drafts.jsonl"), "--store", store], "composer.batch", "run_batch"),
    ]


@pytest.mark.parametrize("index", range(11))
def test_an_unexpected_failure_in_each_subcommand_is_one_line(
        index, run_main, monkeypatch, tmp_path):
    args, module, name = _runs(tmp_path)[index]
    monkeypatch.setattr(importlib.import_module(module), name, _raise)
    code, out, err = run_main(*args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err + out
    assert INJECTED in lines[0] and "failed unexpectedly" in lines[0]
    command = " ".join(["compose", *[a for a in args[:2] if a in ("kb", "eval", "check", "serve",
                                                                  "batch", "build", "search",
                                                                  "stats", "retrieval", "run",
                                                                  "compare")]])
    assert lines[0].startswith(f"error: {command} failed")  # never an option's value
    assert "Likely fix" in lines[0] and "--debug" in lines[0]
    log = lines[0].split("full trace in ", 1)[1].split(" (or rerun")[0]
    with open(log, encoding="utf-8") as trace:
        text = trace.read()
    assert "Traceback" in text and INJECTED in text


def test_debug_shows_the_trace(run_main, monkeypatch, tmp_path):
    monkeypatch.setattr(importlib.import_module("composer.evals.checker"), "evaluate_check", _raise)
    monkeypatch.setattr(sys, "argv", ["compose", "--debug", "eval", "check"])
    with pytest.raises(RuntimeError, match=INJECTED):
        cli.main()
    monkeypatch.setenv("COMPOSER_DEBUG", "1")
    monkeypatch.setattr(sys, "argv", ["compose", "eval", "check"])
    with pytest.raises(RuntimeError, match=INJECTED):
        cli.main()


def test_a_draft_already_made_is_printed_before_the_error(run_main, monkeypatch, shipped_store):
    monkeypatch.setattr(importlib.import_module("composer.cli.render"), "render_draft", _raise)
    code, out, err = run_main("--incident", "wrong bank account", "--store",
                              str(shipped_store.path))
    assert code == 2
    assert "wrong" in out.lower() and len(out.strip().splitlines()) > 3  # the email itself
    assert len(err.strip().splitlines()) == 1 and INJECTED in err


def test_a_store_path_that_cannot_be_created_is_one_line(run_main):
    code, _out, err = run_main("--incident", "wrong bank account", "--store", "/dev/null/nowhere")
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "cannot create the store at /dev/null/nowhere" in err and "--store" in err
