"""Eval reports: the HTML stays offline and escaped; markdown and diffs say what moved."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from rich.console import Console

from composer.evals.compare import compare
from composer.evals.report import load_result, render_html, render_markdown

STEPS = ("regret", "impact", "explanation", "responsibility", "remedy")
CHECKS = ("apologize", "category", "severity", "compensation", "humour", "language",
          "must_include", "must_not_include", "rubric")


def _case(
    cid: str, language: str, status: str = "pass", *, incident: str, subject: str | None = None,
    body: str | None = None, advice: str | None = None, failures: list[str] | None = None,
    failed_checks: tuple[str, ...] = (), missing_steps: tuple[str, ...] = (),
    triage: dict[str, str] | None = None, compensation: dict[str, str] | None = None,
    verdict: str = "ready", score: int = 92, error: str | None = None, channel: str = "reply",
    fill_ins: list[str] | None = None, anti_patterns: list[str] | None = None,
    problems: list[str] | None = None, latency: float = 410.0,
) -> dict[str, Any]:
    """One case in the exact shape `compose eval run` produces."""
    if status == "error":
        return {
            "id": cid, "source": f"{language}.yaml:1", "language": language, "channel": channel,
            "status": "error", "error": error, "failures": [], "checks": {}, "steps": {},
            "anti_patterns": [], "incident": incident, "should_apologize": True,
            "subject": None, "body": None, "advice": None, "verdict": None, "score": None,
            "problems": [], "fill_ins": [], "triage": None, "compensation": None,
            "latency_ms": latency, "tokens_in": 0, "tokens_out": 0, "backend": "offline",
            "model": "phrasebook", "warnings": [],
        }
    has_email = body is not None
    return {
        "id": cid, "source": f"{language}.yaml:1", "language": language, "channel": channel,
        "status": status, "error": None, "failures": failures or [],
        "checks": {c: c not in failed_checks for c in CHECKS},
        "steps": {s: s not in missing_steps for s in STEPS} if has_email else {},
        "anti_patterns": anti_patterns or [], "incident": incident,
        "should_apologize": has_email, "subject": subject, "body": body, "advice": advice,
        "verdict": verdict, "score": score, "problems": problems or [],
        "fill_ins": fill_ins or [], "triage": triage, "compensation": compensation,
        "latency_ms": latency, "tokens_in": 0, "tokens_out": 0, "backend": "offline",
        "model": "phrasebook", "warnings": [],
    }


def make_result() -> dict[str, Any]:
    """A realistic 7-case run: 4 pass, 2 fail, 1 error, in five languages, one no-apology case."""
    cases = [
        _case(
            "en-wrong-bank-account", "en",
            incident="We sent Anna's withdrawal to the wrong bank account.",
            subject="We sent your withdrawal to the wrong account — it is fixed",
            body="Dear Anna,\n\nI am sorry: we sent your withdrawal of 120 EUR to the wrong bank "
                 "account.\nThat left you without money you were counting on.\n\n"
                 "What happened: a digit in the IBAN was swapped during a manual step. That was "
                 "our mistake.\nWe have refunded 120 EUR today; it arrives by [[date]].\n\n"
                 "Kind regards,\n[[agent name]]",
            triage={"category": "wrong_payment", "severity": "high", "stage": "resolved"},
            compensation={"type": "refund", "amount": "120", "unit": "EUR",
                          "summary": "refund of 120 EUR ≈100% of the loss, now"},
            fill_ins=["[[date]]", "[[agent name]]"], latency=412.3,
        ),
        _case(
            "en-typo-newsletter", "en", incident="The newsletter had a typo in the footer.",
            advice="No apology is needed: a typo in a footer does not affect the customer. "
                   "Fix it in the next issue.",
            triage={"category": "content_error", "severity": "trivial", "stage": "resolved"},
            verdict="no_apology_due", score=100, latency=120.0,
        ),
        _case(
            "it-consegna-ritardata", "it", "fail",
            incident="Il pacco di Marco è arrivato con 5 giorni di ritardo.",
            subject="Il tuo pacco è arrivato in ritardo",
            body="Ciao Marco,\n\nci dispiace per il ritardo.\nTi offriamo un buono di 5 EUR.",
            failures=["severity low not in [medium, high]",
                      "compensation voucher not in [refund, credit]",
                      "rubric: explanation missing"],
            failed_checks=("severity", "compensation", "rubric"), missing_steps=("explanation",),
            triage={"category": "delivery_delay", "severity": "low", "stage": "resolved"},
            compensation={"type": "voucher", "amount": "5", "unit": "EUR",
                          "summary": "voucher of 5 EUR"},
            verdict="needs_changes", score=64, problems=["explanation: say what happened"],
            latency=530.0,
        ),
        _case(
            "es-cobro-doble", "es", incident="Cobramos dos veces la suscripción de Lucía.",
            subject="Te cobramos dos veces: ya lo hemos devuelto",
            body="Hola Lucía,\n\nlo sentimos: te cobramos dos veces la suscripción de marzo.\n"
                 "Fue un error de nuestro sistema de pagos y ya te hemos devuelto 9,99 EUR.",
            triage={"category": "billing_error", "severity": "medium", "stage": "resolved"},
            compensation={"type": "refund", "amount": "9.99", "unit": "EUR",
                          "summary": "refund of 9.99 EUR"},
            latency=380.0,
        ),
        _case(
            "es-caida-servicio", "es", "fail",
            incident="La app estuvo caída 3 horas durante el cierre de mes.",
            subject="Sobre la caída del servicio",
            body="Hola,\n\nlamentamos cualquier inconveniente. Esto no volverá a pasar nunca.",
            failures=["must_not_include: 'no volverá a pasar nunca' found",
                      "rubric: impact missing", "rubric: responsibility missing"],
            failed_checks=("must_not_include", "rubric"),
            missing_steps=("impact", "responsibility"),
            triage={"category": "outage", "severity": "high", "stage": "resolved"},
            verdict="needs_changes", score=41, anti_patterns=["over_promising", "generic_apology"],
            problems=["over_promising: promise what you will do, not that it never recurs"],
            latency=870.0,
        ),
        _case(
            "ru-utechka-dannykh", "ru", "error",
            incident="Адрес клиента был виден другим пользователям в течение часа.",
            error="BackendError: the model returned invalid JSON after 2 retries",
            latency=30012.0,
        ),
        _case(
            "zh-order-cancelled", "zh", incident="我们误取消了王女士的订单。",
            subject="关于您被误取消的订单",
            body="王女士，您好：\n\n非常抱歉，我们误取消了您的订单。\n原因是库存系统同步出错，"
                 "这是我们的责任。\n我们已为您恢复订单，并免除运费。",
            triage={"category": "order_error", "severity": "medium", "stage": "resolved"},
            compensation={"type": "goodwill", "amount": "", "unit": "",
                          "summary": "free shipping"},
            latency=450.0,
        ),
    ]
    return {
        "run": {"backend": "offline", "model": "phrasebook", "cases_dir": "evals/cases",
                "started": "2026-11-23T04:10:00Z", "elapsed_s": 31.2, "concurrency": 1,
                "version": "0.1.0", "prompts": "default"},
        "scorecard": {
            "cases": 7, "errors": 1, "passed": 4, "pass_rate": 0.571,
            "steps": {"regret": 1.0, "impact": 0.8, "explanation": 0.8, "responsibility": 0.8,
                      "remedy": 1.0},
            "languages": {
                "en": {"cases": 2, "passed": 2, "pass_rate": 1.0,
                       "steps": {s: 1.0 for s in STEPS}},
                "es": {"cases": 2, "passed": 1, "pass_rate": 0.5,
                       "steps": {"regret": 1.0, "impact": 0.5, "explanation": 1.0,
                                 "responsibility": 0.5, "remedy": 1.0}},
                "it": {"cases": 1, "passed": 0, "pass_rate": 0.0,
                       "steps": {"regret": 1.0, "impact": 1.0, "explanation": 0.0,
                                 "responsibility": 1.0, "remedy": 1.0}},
                "ru": {"cases": 1, "passed": 0, "pass_rate": 0.0, "steps": {}},
                "zh": {"cases": 1, "passed": 1, "pass_rate": 1.0,
                       "steps": {s: 1.0 for s in STEPS}},
            },
            "compensation_appropriate": 0.833, "anti_pattern_rate": 0.2, "triage_accuracy": 0.833,
            "triage": {"apologize": 1.0, "category": 1.0, "severity": 0.833},
            "language_correct": 1.0, "fill_ins_per_draft": 0.4,
            "latency_ms": {"p50": 450.0, "p95": 870.0},
            "tokens": {"in": 0, "out": 0},
            "cost": {"usd": 0.0, "priced": True, "price_in_per_1m": 0.0, "price_out_per_1m": 0.0,
                     "model": "phrasebook"},
            "gate": {"passed": False, "checks": [
                {"metric": "steps.regret", "op": ">=", "threshold": 0.95, "value": 1.0,
                 "passed": True},
                {"metric": "pass_rate", "op": ">=", "threshold": 0.9, "value": 0.571,
                 "passed": False},
                {"metric": "errors", "op": "<=", "threshold": 0, "value": 1, "passed": False},
            ]},
        },
        "cases": cases,
    }


def _case_by_id(result: dict[str, Any], cid: str) -> dict[str, Any]:
    return next(c for c in result["cases"] if c["id"] == cid)


# ----------------------------------------------------------------------------- HTML


def test_html_is_self_contained_and_lists_every_case():
    result = make_result()
    page = render_html(result)
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(script|link|img|iframe)\b", page, re.I)
    assert "@import" not in page and "url(" not in page
    for case in result["cases"]:
        assert case["id"] in page
    assert "<svg" in page and "<details" in page
    assert "GATE FAILED" in page
    assert "57.1%" in page  # the headline pass rate
    assert "BackendError: the model returned invalid JSON" in page  # errors show their message


def test_html_escapes_user_text():
    result = make_result()
    case = _case_by_id(result, "en-wrong-bank-account")
    case["incident"] = "<script>alert('x')</script> & <b>bold</b>"
    case["body"] = "Dear <img src=x onerror=alert(1)>,\n\nsorry"
    case["id"] = 'en-"quoted"<id>'
    page = render_html(result)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    assert "<img" not in page
    assert 'en-"quoted"' not in page and "en-&quot;quoted&quot;&lt;id&gt;" in page


def test_html_preserves_the_draft_and_shows_advice():
    page = render_html(make_result())
    assert "<pre>Dear Anna,\n\nI am sorry" in page
    assert "by <mark>[[date]]</mark>." in page
    assert "No apology is needed" in page
    assert "我们误取消了王女士的订单。" in page  # unicode left as is (charset utf-8)


def test_html_without_gate_or_languages_still_renders():
    result = make_result()
    result["scorecard"]["gate"] = None
    del result["scorecard"]["languages"]
    del result["scorecard"]["cost"]
    page = render_html(result)
    assert "NO GATE" in page
    assert all(c["id"] in page for c in result["cases"])
    assert render_html({"run": {}, "scorecard": {}, "cases": []}).endswith("</html>\n")


# ----------------------------------------------------------------------------- markdown


def test_markdown_has_headline_numbers_tables_and_failing_cases():
    md = render_markdown(make_result())
    assert "pass rate **57.1%**" in md
    assert "gate **FAILED**" in md
    assert "| anti-pattern rate | 20.0% |" in md
    assert "| latency p95 | 870 ms |" in md
    assert "| explanation | 80.0% | 100.0% | 100.0% | 0.0% |" in md  # all, en, es, it, ...
    assert "| ❌ | `pass_rate` | >= 90.0% | 57.1% |" in md
    # failing and error cases with their first failures; passing cases are not listed
    assert "**Failing cases (3)**" in md
    assert "`ru-utechka-dannykh` (ru): BackendError" in md
    assert "`it-consegna-ritardata` (it): severity low not in [medium, high]; compensation" in md
    assert "(+1 more)" in md
    assert "es-cobro-doble" not in md


def test_markdown_caps_the_case_list():
    result = make_result()
    template = _case_by_id(result, "it-consegna-ritardata")
    result["cases"] = [dict(template, id=f"it-case-{i}") for i in range(25)]
    md = render_markdown(result, max_cases=20)
    assert "it-case-19" in md and "it-case-20" not in md
    assert "… and 5 more" in md


def test_markdown_escapes_pipes_in_failures():
    result = make_result()
    _case_by_id(result, "it-consegna-ritardata")["failures"] = ["must_include: 'a|b' missing"]
    assert "a\\|b" in render_markdown(result)


# ----------------------------------------------------------------------------- compare


def _run_b(a: dict[str, Any]) -> dict[str, Any]:
    """B: the Italian case is fixed, a Spanish pass breaks, one case renamed, numbers move."""
    b = copy.deepcopy(a)
    b["run"]["prompts"] = "v2"
    it = _case_by_id(b, "it-consegna-ritardata")
    it.update(status="pass", failures=[], verdict="ready", score=90)
    es = _case_by_id(b, "es-cobro-doble")
    es.update(status="fail", failures=["rubric: responsibility missing"], score=70)
    es_fail = _case_by_id(b, "es-caida-servicio")
    es_fail.update(score=48, failures=es_fail["failures"][1:])  # still fails, one failure fewer
    _case_by_id(b, "zh-order-cancelled")["id"] = "zh-order-cancelled-v2"
    sc = b["scorecard"]
    sc["steps"]["explanation"] = 1.0  # better
    sc["steps"]["responsibility"] = 0.6  # worse
    sc["languages"]["it"]["pass_rate"] = 1.0
    sc["languages"]["es"]["pass_rate"] = 0.0
    sc["anti_pattern_rate"] = 0.1  # lower is better
    sc["fill_ins_per_draft"] = 0.8  # higher is worse
    sc["latency_ms"] = {"p50": 460.0, "p95": 1200.0}  # p50 within noise, p95 worse
    sc["tokens"] = {"in": 0, "out": 0}
    return b


def test_compare_finds_better_worse_and_only_in_cases():
    a = make_result()
    diff = compare(a, _run_b(a))
    assert diff.regressions == ["es-cobro-doble"]
    assert diff.improvements == ["it-consegna-ritardata"]
    assert diff.only_in_a == ["zh-order-cancelled"]
    assert diff.only_in_b == ["zh-order-cancelled-v2"]
    changed = [c for c in diff.cases if c.change == "changed"]
    assert [c.id for c in changed] == ["es-caida-servicio"]
    assert changed[0].failures_removed == ["must_not_include: 'no volverá a pasar nunca' found"]
    assert changed[0].failures_added == []
    assert diff.unchanged == 3  # en x2, ru error
    worse = next(c for c in diff.cases if c.id == "es-cobro-doble")
    assert (worse.status_a, worse.status_b) == ("pass", "fail")
    assert worse.failures_added == ["rubric: responsibility missing"]


def test_compare_metric_directions():
    a = make_result()
    diff = compare(a, _run_b(a))
    direction = {m.key: m.direction for m in diff.metrics}
    assert direction["steps.explanation"] == "better"
    assert direction["steps.responsibility"] == "worse"
    assert direction["steps.regret"] == "same"
    assert direction["languages.it.pass_rate"] == "better"
    assert direction["languages.es.pass_rate"] == "worse"
    assert direction["anti_pattern_rate"] == "better"  # 0.2 -> 0.1, lower is better
    assert direction["fill_ins_per_draft"] == "worse"  # 0.4 -> 0.8
    assert direction["latency_ms.p50"] == "same"  # +2%: run-to-run noise
    assert direction["latency_ms.p95"] == "worse"
    assert direction["tokens.in"] == "same"
    assert direction["cost.usd"] == "same"
    responsibility = diff.metric("steps.responsibility")
    assert responsibility is not None and round(responsibility.delta, 3) == -0.2
    assert "steps.responsibility" in diff.worse_metrics
    assert "anti_pattern_rate" in diff.better_metrics


def test_compare_lower_cost_is_better_and_unpriced_is_unknown():
    a = make_result()
    b = copy.deepcopy(a)
    a["scorecard"]["cost"].update(usd=0.12)
    b["scorecard"]["cost"].update(usd=0.08)
    assert compare(a, b).metric("cost.usd").direction == "better"
    b["scorecard"]["cost"]["priced"] = False
    assert compare(a, b).metric("cost.usd").direction == "n/a"


def test_compare_language_only_in_one_run():
    a = make_result()
    b = copy.deepcopy(a)
    b["scorecard"]["languages"]["fr"] = {"cases": 1, "passed": 1, "pass_rate": 1.0, "steps": {}}
    fr = compare(a, b).metric("languages.fr.pass_rate")
    assert fr is not None and fr.direction == "n/a" and fr.a is None and fr.b == 1.0


def test_compare_identical_runs_has_no_changes():
    a = make_result()
    diff = compare(a, copy.deepcopy(a))
    assert diff.cases == [] and diff.regressions == []
    assert diff.unchanged == len(a["cases"])
    assert {m.direction for m in diff.metrics} <= {"same", "n/a"}


def test_comparison_outputs():
    a = make_result()
    diff = compare(a, _run_b(a))
    data = json.loads(json.dumps(diff.as_dict()))
    assert data["regressions"] == ["es-cobro-doble"]
    assert data["only_in_b"] == ["zh-order-cancelled-v2"]
    assert any(m["key"] == "pass_rate" for m in data["metrics"])
    md = diff.markdown()
    assert "**Worse (passed in A, not in B): 1**" in md
    assert "`es-cobro-doble` (es): pass → fail; score 92 → 70" in md
    assert "| anti-pattern rate | 20.0% | 10.0% | −10.0 pp | ▲ better |" in md
    assert "**Only in A: 1**" in md and "**Only in B: 1**" in md
    short = diff.markdown(moved_metrics_only=True)
    assert "| step: responsibility |" in short and "| step: regret |" not in short
    console = Console(record=True, width=140)
    console.print(diff.table())
    text = console.export_text()
    assert "es-cobro-doble" in text and "worse" in text and "anti-pattern rate" in text


def test_load_result_round_trips(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(make_result(), ensure_ascii=False), encoding="utf-8")
    assert load_result(path) == make_result()
