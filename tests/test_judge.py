"""The optional LLM judge: cached, pinned, and never the only signal."""

from __future__ import annotations

import contextlib

from composer.backends.base import BackendError
from composer.backends.fake import FakeBackend
from composer.checking.checker import check
from composer.checking.judge import Judge

ALL = {"regret": True, "impact": True, "explanation": True, "responsibility": True,
       "remedy": True}
NO_IMPACT_DRAFT = (
    "Hi Ana,\n\nWe are sorry that your transfer went to the wrong account. It was our mistake: "
    "a typo in the account number. We will send the money again today.\n\nMaria"
)


def test_verdicts_are_cached_by_text_rubric_and_model(tmp_path):
    backend = FakeBackend([ALL])  # one answer only: a second model call would fail
    judge = Judge(backend, tmp_path)
    first = judge("some draft", "en", "1")
    second = judge("some draft", "en", "1")
    assert not first.cached and second.cached and second.steps == ALL
    assert len(backend.requests) == 1
    with contextlib.suppress(BackendError):
        judge("some draft", "en", "2")  # another rubric version is another question
    assert len(backend.requests) == 2


def test_a_judge_alone_cannot_pass_a_step_no_sentence_backs(tmp_path):
    plain = "Hello.\n\nThis is about your account.\n\nRegards"
    report = check(plain, judge=Judge(FakeBackend([ALL]), tmp_path))
    assert not report.steps["responsibility"].passed
    assert any("no sentence backs it" in note for note in report.notes)


def test_a_judge_cannot_fail_a_step_the_patterns_found(tmp_path):
    denies = dict(ALL, responsibility=False)
    report = check(NO_IMPACT_DRAFT, judge=Judge(FakeBackend([denies]), tmp_path))
    assert report.steps["responsibility"].passed
    assert any("finds no responsibility" in note for note in report.notes)


def test_a_failing_judge_leaves_the_deterministic_report(tmp_path):
    without = check(NO_IMPACT_DRAFT)
    report = check(NO_IMPACT_DRAFT, judge=Judge(FakeBackend([BackendError("down")]), tmp_path))
    assert {n: s.passed for n, s in report.steps.items()} == {
        n: s.passed for n, s in without.steps.items()
    }
    assert any("judge unavailable" in note for note in report.notes)
