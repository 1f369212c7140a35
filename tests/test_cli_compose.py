"""`compose --incident ...` from a shell: output shape and one-line errors with exit code 2."""

from __future__ import annotations

import json

import pytest
from test_cli_kb import assert_one_line_error, compose


def run(shipped_store, *args):
    return compose(*args, "--store", str(shipped_store.path))


def test_default_output_is_the_email_then_a_panel(shipped_store):
    result = run(shipped_store, "--incident", "wrong bank account")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Subject: ")
    for word in ("triage", "wrong_payment", "compensation", "fill in", "sources",
                 "example.wealthsimple"):
        assert word in out


def test_no_apology_due_is_said_plainly(shipped_store):
    result = run(shipped_store, "--incident", "we sent the newsletter twice", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["should_apologize"] is False and data["body"] == ""
    assert "No standalone apology" in data["advice"]


def test_explain_shows_cards_scores_and_budget(shipped_store):
    result = run(shipped_store, "--incident", "wrong bank account", "--explain")
    assert "retrieved cards" in result.stdout and "token budget" in result.stdout
    assert "example.wealthsimple" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--incident", "  "], "empty"),
        (["--incident", "x" * 20_001], "20,000"),
        (["--incident", "late parcel", "--lang", "fr"], "unknown language"),
        (["--incident", "late parcel", "--tone", "grumpy"], "unknown tone"),
        (["--incident", "late parcel", "--loss", "lots"], "cannot read loss"),
        (["--incident", "late parcel", "--fact", "cause"], "cannot read fact"),
        (["--incident", "late parcel", "--fact", "fix_status=maybe"], "fix_status"),
        (["--incident", "late parcel", "--backend", "magic"], "unknown backend"),
        (["--incident-file", "/nonexistent/incident.yaml"], "no incident file"),
        (["--incident", "late parcel", "--revisions", "9"], "--revisions"),
        (["--incident", "late parcel", "--bogus"], "No such option: --bogus"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(shipped_store, args, needle):
    assert_one_line_error(run(shipped_store, *args), needle)


def test_an_incident_file_that_does_not_parse(shipped_store, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("text: [unclosed\n", encoding="utf-8")
    assert_one_line_error(run(shipped_store, "--incident-file", str(bad)), "does not parse")


def test_a_remote_server_without_a_key_is_a_clear_error(shipped_store, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = run(shipped_store, "--incident", "late parcel", "--backend", "openai")
    assert_one_line_error(result, "OPENAI_API_KEY")


def test_the_email_is_printed_without_hard_wraps(shipped_store):
    result = run(shipped_store, "--incident", "wrong bank account", "--customer", "Ana")
    lines = result.stdout.split("╭")[0].splitlines()
    assert any(len(line) > 100 for line in lines)  # whole paragraphs, ready to paste


def test_an_incident_in_a_language_without_packs_warns_and_drafts_in_the_asked_language(
        shipped_store):
    result = run(shipped_store, "--incident", "Le colis est arrivé avec trois jours de retard",
                 "--lang", "it", "--json")
    assert result.returncode == 0, result.stderr
    draft = json.loads(result.stdout)
    assert draft["language"] == "it"
    warning = next(w for w in draft["warnings"] if "French (fr)" in w)
    assert "not supported yet" in warning and warning.endswith("the draft is in Italian")
    assert draft["reading"]["written_in"] == "fr"
    plain = run(shipped_store, "--incident", "Le colis est arrivé avec trois jours de retard")
    assert "French (fr) is detected but not supported yet" in plain.stderr
    assert len([line for line in plain.stderr.splitlines() if "French (fr)" in line]) == 1


def test_facts_typed_in_another_language_reach_the_email_in_the_customers(shipped_store):
    """An English note, an Italian email: the amount, the wait and the order, in Italian."""
    result = run(shipped_store, "--incident",
                 "Customer Anna was charged 149 EUR twice on order 55812, waited 5 days",
                 "--lang", "it", "--json")
    body = json.loads(result.stdout)["body"]
    assert "149 €" in body and "5 giorni" in body and "55812" in body
    assert "charged" not in body and "waited" not in body
