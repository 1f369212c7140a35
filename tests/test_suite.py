"""The eval suite: case files, expectations, the run, the gate and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from composer.evals.suite import (
    MEASURED_ONLY,
    Case,
    CaseError,
    Gate,
    load_cases,
    load_gate,
    run_suite,
)
from composer.language.detect import SUPPORTED
from composer.language.packs import languages_dir
from composer.paths import project_dir
from composer.understand.incident import CHANNELS, SEVERITIES
from composer.understand.triage import CATEGORIES

BANK = {
    "id": "en-wrong-bank",
    "incident": {"text": "We sent Anna Rossi's withdrawal of 120 EUR to the wrong bank account.",
                 "loss": "120 EUR", "customer": "Anna Rossi"},
    "expect": {"language": "en", "category": "wrong_payment", "severity": ["medium", "high"],
               "compensation": {"type": "refund", "amount": [120, 150]},
               "must_include": ["Anna"], "must_not_include": ["never happen again"]},
}
TYPO = {"id": "it-typo", "incident": "Nella newsletter di ieri c'era un refuso nel titolo.",
        "expect": {"language": "it", "apologize": False}}


def case(data: dict) -> Case:
    return Case.model_validate(data)


def write_cases(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


# --- case files --------------------------------------------------------------------------------


def test_the_shipped_cases_cover_every_category_severity_channel_and_language():
    cases = load_cases()
    assert len(cases) >= 50
    assert {c.expect.language for c in cases} == set(SUPPORTED)
    assert {c.channel for c in cases} == set(CHANNELS)
    categories = {cat for c in cases for cat in c.expect.category or []}
    assert categories == set(CATEGORIES)
    covered = {SEVERITIES[i] for c in cases if c.expect.severity
               for i in range(SEVERITIES.index(c.expect.severity[0]),
                              SEVERITIES.index(c.expect.severity[1]) + 1)}
    assert covered == set(SEVERITIES)
    assert any(not c.expect.apologize for c in cases)
    assert any(c.expect.compensation and c.expect.compensation.amount for c in cases)


def test_a_case_file_that_does_not_parse_names_file_and_line(tmp_path):
    write_cases(tmp_path, "bad.yaml", "- id: a\n  incident: {text: hi\n  expect: {}\n")
    with pytest.raises(CaseError, match=r"bad\.yaml:\d+: not valid YAML"):
        load_cases(tmp_path)


def test_an_unknown_expectation_key_names_file_line_and_key(tmp_path):
    text = ("- id: a\n  incident: the site was down\n  expect:\n    language: en\n"
            "    severity: [low, high]\n    colour: red\n")
    write_cases(tmp_path, "cases.yaml", text)
    with pytest.raises(CaseError, match=r"cases\.yaml:6: case 1: expect\.colour: unknown key"):
        load_cases(tmp_path)


@pytest.mark.parametrize(("expect", "reason"), [
    ("{language: fr}", "use one of"),
    ("{language: en, severity: [high, low]}", "lowest, highest"),
    ("{language: en, category: outages}", "use one or more of"),
    ("{language: en, compensation: {type: cash}}", "use one or more of"),
])
def test_a_value_out_of_its_set_names_the_line_and_the_allowed_values(tmp_path, expect, reason):
    write_cases(tmp_path, "c.yaml", f"- id: a\n  incident: x\n  expect: {expect}\n")
    with pytest.raises(CaseError, match=rf"c\.yaml:3: case 1: expect.*{reason}"):
        load_cases(tmp_path)


def test_a_duplicate_case_id_is_an_error(tmp_path):
    body = "- id: a\n  incident: x\n  expect: {language: en}\n"
    write_cases(tmp_path, "one.yaml", body)
    write_cases(tmp_path, "two.yaml", body)
    with pytest.raises(CaseError, match="case id 'a' is also in"):
        load_cases(tmp_path)


# --- running -----------------------------------------------------------------------------------


def test_a_case_that_meets_its_expectations_passes(shipped_retriever):
    result = run_suite([case(BANK), case(TYPO)], retriever=shipped_retriever, progress=False)
    assert [r.status for r in result.results] == ["pass", "pass"], [
        r.failures for r in result.results]
    card = result.scorecard
    assert card["pass_rate"] == 1.0 and card["errors"] == 0
    assert set(card["languages"]) == {"en", "it"}
    assert card["tokens"] == {"in": 0, "out": 0, "cached_calls": 0}
    assert card["cost"]["usd"] == 0.0 and card["cost"]["priced"]


def test_wrong_expectations_fail_with_a_reason_per_expectation(shipped_retriever):
    wrong = {**BANK, "expect": {
        "language": "en", "category": "outage", "severity": ["trivial", "low"],
        "compensation": {"type": "refund", "amount": [500, 600]}, "humour": True,
        "must_include": ["ORDER-999"], "must_not_include": ["sorry"]}}
    result = run_suite([case(wrong)], retriever=shipped_retriever, progress=False).results[0]
    assert result.status == "fail"
    failed = {f.split(":")[0] for f in result.failures} - set(MEASURED_ONLY)
    assert failed == {"category", "severity", "compensation", "humour", "must_include",
                      "must_not_include"}
    assert any("120" in f and "[500, 600]" in f for f in result.failures)


def test_an_apology_where_none_is_due_fails_the_apologize_check(shipped_retriever):
    wrong = {**TYPO, "expect": {"language": "it", "apologize": True}}
    result = run_suite([case(wrong)], retriever=shipped_retriever, progress=False).results[0]
    assert result.checks["apologize"] is False
    assert result.as_dict()["verdict"] == "no_apology_due"


def test_one_failing_case_is_an_error_in_the_scorecard_and_the_run_goes_on(shipped_retriever):
    broken = {"id": "broken", "incident": {"text": "double charge", "loss": "a lot"},
              "expect": {"language": "en"}}
    result = run_suite([case(broken), case(BANK)], retriever=shipped_retriever,
                       progress=False)
    first, second = result.results
    assert first.status == "error" and "cannot read loss 'a lot'" in first.error
    assert second.status == "pass"
    assert result.scorecard["errors"] == 1 and result.scorecard["passed"] == 1
    assert result.as_dict()["cases"][0]["error"].startswith("IncidentError:")


def test_the_gate_passes_and_fails_on_the_numbers(shipped_retriever):
    gate = Gate.model_validate({"checks": [
        {"metric": "pass_rate", "min": 0.9}, {"metric": "anti_pattern_rate", "max": 0.0},
        {"metric": "languages.it.pass_rate", "min": 1.0}]})
    result = run_suite([case(BANK), case(TYPO)], retriever=shipped_retriever, gate=gate,
                       progress=False)
    assert result.gate_passed and all(c["passed"] for c in result.scorecard["gate"]["checks"])
    strict = Gate.model_validate({"checks": [{"metric": "fill_ins_per_draft", "max": 0},
                                             {"metric": "no.such.metric", "min": 0}]})
    missed = strict.apply(result.scorecard)
    assert not missed["passed"] and [c["passed"] for c in missed["checks"]] == [False, False]


def test_a_gate_file_with_an_unknown_key_is_an_error(tmp_path):
    path = tmp_path / "gate.yaml"
    path.write_text("checks:\n  - {metric: pass_rate, minimum: 0.9}\n")
    with pytest.raises(CaseError, match="gate.yaml: checks.0.minimum"):
        load_gate(path)


def test_a_prompt_variant_changes_the_drafts(shipped_retriever, tmp_path):
    """The offline phrasebook is a prompt too: a passive 'mistakes were made' variant makes the
    responsibility step fail where the shipped wording passes."""
    variant = tmp_path / "prompts"
    shutil.copytree(project_dir("prompts"), variant)
    book_path = variant / "offline" / "en.yaml"  # a variant's phrasebook wins over the pack's
    book_path.parent.mkdir()
    book = yaml.safe_load((languages_dir() / "en" / "phrasebook.yaml").read_text(encoding="utf-8"))
    book["responsibility"] = {tone: "Mistakes were made." for tone in book["responsibility"]}
    book_path.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    base = run_suite([case(BANK)], retriever=shipped_retriever, progress=False)
    other = run_suite([case(BANK)], retriever=shipped_retriever, prompts=variant,
                      progress=False)
    assert base.results[0].status == "pass"
    assert other.results[0].status == "fail"
    assert other.scorecard["steps"]["responsibility"] == 0.0
    assert other.run["prompts"] == str(variant)


# --- the CLI -------------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "composer", *args], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def shipped_run(shipped_store, tmp_path_factory):
    """`compose eval run` on the shipped cases, offline, with every output and the gate."""
    out = tmp_path_factory.mktemp("eval")
    proc = run_cli("eval", "run", "--store", str(shipped_store.path), "--json",
                   str(out / "run.json"), "--report", str(out / "report.html"), "--markdown",
                   str(out / "summary.md"), "--gate", str(project_dir("evals") / "gate.yaml"))
    return proc, out


def test_the_offline_eval_meets_the_gate_and_writes_every_output(shipped_run):
    proc, out = shipped_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads((out / "run.json").read_text())
    card = data["scorecard"]
    assert card["gate"]["passed"] and card["errors"] == 0
    assert card["cases"] == len(load_cases()) and len(data["cases"]) == card["cases"]
    for metric in ("steps", "languages", "compensation_appropriate", "anti_pattern_rate",
                   "triage_accuracy", "language_correct", "fill_ins_per_draft", "latency_ms",
                   "tokens", "cost"):
        assert card[metric] is not None, metric
    assert set(card["languages"]) == set(SUPPORTED)
    html = (out / "report.html").read_text()
    assert all(c["id"] in html for c in data["cases"])
    summary = (out / "summary.md").read_text()
    assert summary.strip() and summary.strip() in proc.stdout


def test_a_missed_threshold_exits_1_and_names_the_metric(shipped_store, tmp_path):
    cases = write_cases(tmp_path / "cases", "c.yaml", yaml.safe_dump([BANK]))
    gate = tmp_path / "gate.yaml"
    gate.write_text("checks:\n  - {metric: fill_ins_per_draft, max: 0}\n")
    proc = run_cli("eval", "run", "--cases", str(cases), "--store", str(shipped_store.path),
                   "--gate", str(gate))
    assert proc.returncode == 1
    assert "gate failed: fill_ins_per_draft" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_bad_case_file_is_one_line_and_exit_2(shipped_store, tmp_path):
    cases = write_cases(tmp_path / "cases", "c.yaml",
                        "- id: a\n  incident: x\n  expect: {language: en, mood: sad}\n")
    proc = run_cli("eval", "run", "--cases", str(cases), "--store", str(shipped_store.path))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert "c.yaml:3" in proc.stderr and "mood" in proc.stderr


def test_compare_lists_what_got_worse_and_exits_1(shipped_run, tmp_path):
    _, out = shipped_run
    before = json.loads((out / "run.json").read_text())
    after = json.loads(json.dumps(before))
    victim = next(c for c in after["cases"] if c["status"] == "pass")
    victim["status"], victim["failures"] = "fail", ["rubric: remedy missing"]
    (tmp_path / "after.json").write_text(json.dumps(after))
    proc = run_cli("eval", "compare", str(out / "run.json"), str(tmp_path / "after.json"),
                   "--json")
    assert proc.returncode == 1
    assert victim["id"] in json.loads(proc.stdout)["regressions"]
    same = run_cli("eval", "compare", str(out / "run.json"), str(out / "run.json"))
    assert same.returncode == 0, same.stderr


def test_compare_rejects_a_file_that_is_not_a_run(tmp_path):
    (tmp_path / "x.json").write_text("{\"a\": 1}")
    proc = run_cli("eval", "compare", str(tmp_path / "x.json"), str(tmp_path / "x.json"))
    assert proc.returncode == 2 and "not an eval run" in proc.stderr


@pytest.mark.slow
def test_a_model_eval_runs_concurrently_reports_tokens_and_reruns_from_the_cache(
        llama_server, shipped_store, tmp_path):
    """Through the real llama.cpp server: two cases at once, tokens counted and priced; the rerun
    answers every call from the cache."""
    cases = write_cases(tmp_path / "cases", "c.yaml", yaml.safe_dump([BANK, {
        **BANK, "id": "en-wrong-bank-2", "incident": {**BANK["incident"], "loss": "90 EUR"},
        "expect": {**BANK["expect"], "compensation": {"type": "refund"}}}]))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")

    def run(name: str) -> dict:
        proc = subprocess.run(
            [sys.executable, "-m", "composer", "eval", "run", "--cases", str(cases), "--store",
             str(shipped_store.path), "--base-url", llama_server, "--concurrency", "2",
             "--json", str(tmp_path / name)], capture_output=True, text=True, env=env,
            timeout=1200)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return json.loads((tmp_path / name).read_text())

    first = run("first.json")
    assert first["run"]["concurrency"] == 2 and first["run"]["backend"] == "openai"
    assert first["scorecard"]["errors"] == 0
    assert first["scorecard"]["tokens"]["in"] > 0 and first["scorecard"]["tokens"]["out"] > 0
    assert first["scorecard"]["cost"]["priced"]  # gpt-4o-mini, the default name, is in the table
    again = run("again.json")
    # Every call of the rerun is answered from the cache (a revision that repeats an earlier
    # request can already hit it in the first run), with the tokens the answers cost then.
    cached = again["scorecard"]["tokens"]["cached_calls"]
    assert cached >= len(first["cases"]) and cached > first["scorecard"]["tokens"]["cached_calls"]
    assert again["scorecard"]["tokens"]["in"] == first["scorecard"]["tokens"]["in"]
    assert [c["body"] for c in again["cases"]] == [c["body"] for c in first["cases"]]


def test_the_post_mortem_script_reads_a_list_and_counts_what_a_reviewer_checks(
        tmp_path, shipped_store):
    """`scripts/postmortems.py` on a list in danluu/post-mortems' shape: each summary composed,
    and the shares a reviewer looks at first (pasted, markup, blank cause, unfinished)."""
    import subprocess
    import sys
    from pathlib import Path

    listing = tmp_path / "README.md"
    listing.write_text(
        "# A list\n\n"
        "[Acme](https://example.com/1). The API outage lasted 42 minutes and was caused by a "
        "bad config push to every region, which the `deploy` tool did not validate.\n\n"
        "[Beta](https://example.com/2). Users could not log in for two hours due to an expired "
        "certificate on the [auth](https://example.com/auth) service.\n\n"
        "Not an entry: plain text.\n", encoding="utf-8")
    script = Path(__file__).resolve().parent.parent / "scripts" / "postmortems.py"
    out = subprocess.run(
        [sys.executable, str(script), str(listing), "--json", "--store", str(shipped_store.path)],
        capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert [r["name"] for r in data["rows"]] == ["Acme", "Beta"]
    assert data["summary"]["write_ups"] == 2
    assert data["summary"]["pasted"] == 0.0 and data["summary"]["markup"] == 0.0
    acme = data["rows"][0]
    assert acme["stage"] == "resolved" and not acme["unfinished"] and not acme["blank_cause"]
    missing = subprocess.run([sys.executable, str(script), str(tmp_path / "nope.md")],
                             capture_output=True, text=True)
    assert missing.returncode != 0 and "is not a file" in missing.stderr


def test_a_fact_counts_as_told_in_other_words_but_not_as_another_day():
    """The eval's "is this fact in the email": the same day or clock time written another way
    counts; a different one does not."""
    from composer.evals.reading import fact_in

    assert fact_in("2pm", "We will call you at 14:00.", "en")
    assert not fact_in("2pm", "We will call you at 15:00.", "en")
    assert fact_in("GBP 86", "your £86 order", "en")
    assert fact_in("2 hours 40 minutes", "down for 2 hours, 40 minutes", "en")
