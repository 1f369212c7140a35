"""Check an apology the way an experienced support lead would, and say exactly why.

The rubric (DOMAIN.md) has five steps: regret, impact, explanation, responsibility, remedy.
Phrases per language (the language packs, `languages/<code>/check.yaml`, read by
`composer.checking.phrases`) decide first; a multilingual embedding similarity to a few exemplar
sentences per step is a secondary signal for steps the phrases did not find
(`composer.checking.similarity`). Anti-patterns (`antipatterns`) and compensation rules
(`offers`, research on service recovery) then subtract. Everything runs offline and
deterministically; if the embedder cannot load, the phrases alone decide and the report says so.
The compensation offered is read from the text itself, which is what the customer will see.

This module runs the check and scores it; `report` holds what it returns.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from composer.checking.antipatterns import find_anti_patterns
from composer.checking.figures import invented
from composer.checking.learned import Learned, learn
from composer.checking.matching import any_match, hits, split_sentences
from composer.checking.offers import check_compensation, find_amounts, find_offers
from composer.checking.phrases import Phrases, phrases
from composer.checking.report import (
    ANTI_PATTERN_NAMES,
    ANTI_SUGGESTIONS,
    COMPENSATION_NAMES,
    RUBRIC_VERSION,
    STEP_NAMES,
    STEP_SUGGESTIONS,
    Finding,
    Offer,
    Report,
    SentenceLabel,
    SentenceView,
    StepResult,
    Verdict,
)
from composer.checking.similarity import apply_judge, embedding_pass, warm_up
from composer.checking.spans import foreign_paragraphs
from composer.checking.steps import find_steps
from composer.errors import ComposerError
from composer.language.detect import LANGUAGE_NAMES, SUPPORTED, detect_language
from composer.understand.incident import Incident, parse_loss
from composer.understand.reading import Reading, understand

__all__ = [
    "ANTI_PATTERN_NAMES", "COMPENSATION_NAMES", "RUBRIC_VERSION", "STEP_NAMES", "CheckInputError",
    "Finding", "Offer", "Report", "StepResult", "check", "effective_severity", "find_amounts",
    "find_offers", "incident_from_options", "as_reading", "objects_to",
    "split_sentences", "validate_text", "warm_up",
]

MAX_TEXT_CHARS = 50_000
# Lewicki et al. 2016: responsibility first, repair second, regret/explanation/change about equal,
# forgiveness least. "Change" lives inside remedy here, so remedy carries repair and change.
STEP_WEIGHTS: dict[str, int] = {
    "responsibility": 27, "remedy": 25, "regret": 15, "explanation": 14, "impact": 14,
}
FORGIVENESS_WEIGHT = 5
ANTI_PATTERN_PENALTY: dict[str, int] = {
    "blame_shifting": 20, "placeholders_left": 20, "non_apology": 12, "conditional_apology": 12,
    "passive_evasion": 12, "inappropriate_humour": 15, "trivializing": 12, "over_promising": 8,
    "over_apologizing": 8, "boilerplate": 5, "register_mixed": 10, "promise_without_date": 8,
    "invented_fact": 20, "wrong_language_span": 15,
}
COMPENSATION_PENALTY = 10
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


class CheckInputError(ComposerError, ValueError):
    """Text that cannot be checked: empty, binary, or too long."""


def validate_text(text: str) -> str:
    """Reject what no support lead could paste: empty, binary, or longer than 50,000 chars."""
    if not isinstance(text, str):
        raise CheckInputError("the text to check must be a string")
    if "\x00" in text:
        raise CheckInputError("the text looks binary (it contains NUL bytes): pass a text file")
    if not text.strip():
        raise CheckInputError("the text to check is empty: paste the apology email")
    if len(text) > MAX_TEXT_CHARS:
        raise CheckInputError(
            f"the text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}: "
            "check one email at a time"
        )
    return text


# --- the incident --------------------------------------------------------------------------------


def as_reading(incident: Incident | Reading | None) -> Reading | None:
    """The reading the check is made against: the pipeline's own, or (for `compose check` and
    the API) an incident read here the same way compose reads it."""
    if incident is None or isinstance(incident, Reading):
        return incident
    return understand(incident)


def effective_severity(reading: Reading | None) -> str | None:
    """The stated severity; else trivial when no apology is due; else medium when a loss is
    known. Not triage's own severity: the checker only holds a draft to what it knows."""
    if reading is None:
        return None
    if reading.incident.severity:
        return reading.incident.severity
    if not reading.should_apologize:
        return "trivial"
    if reading.incident.loss is not None:
        return "medium"
    return None


def incident_from_options(
    text: str | None, severity: str | None, loss: str | None
) -> Incident | None:
    """The CLI's (and the HTTP API's) --incident/--severity/--loss as an Incident, or None
    when none was given."""
    if text is None and severity is None and loss is None:
        return None
    return Incident(
        text=text or "(not described)",
        severity=severity.lower() if severity else None,
        loss=parse_loss(loss) if loss else None,
    )


# --- the check ---------------------------------------------------------------------------------


def objects_to(sentence: str, language: str) -> bool:
    """Whether the checker objects to a sentence on its own: the offline writer's screen for
    sentences that carry what the lead typed (a quoted note may hold a bad draft)."""
    report = check(sentence, language=language, embeddings=False)
    return bool(report.anti_patterns or report.compensation)


def check(
    text: str,
    incident: Incident | Reading | None = None,
    *,
    language: str | None = None,
    embeddings: bool = True,
    judge: Any = None,
    known: Sequence[str] | None = None,
) -> Report:
    """Score an apology draft against the rubric, the anti-patterns and the compensation rules.

    `incident` is what the draft answers: the pipeline's Reading, or an Incident (read here as
    compose reads it). `language` overrides detection; `embeddings=False` keeps to patterns
    (faster, fully rule-based). `judge` (a `composer.checking.judge.Judge`) adds a model's view
    as one more signal, never the only one. `known` turns on invented_fact: the texts (besides
    the incident) a figure in the draft may come from, such as the plan's facts and offer; None
    when the writer may know more than the incident says (a person's own draft).
    """
    started = time.perf_counter()
    validate_text(text)
    text = text.translate(_QUOTES)
    if language is not None and not re.fullmatch(r"[a-z]{2}", language):
        raise CheckInputError(
            f"unknown language {language!r}: use a two-letter code such as "
            f"{', '.join(SUPPORTED)}"
        )
    lang = language or detect_language(text)
    sentences = split_sentences(text)
    notes: list[str] = []
    reading = as_reading(incident)
    severity = effective_severity(reading)
    if lang not in SUPPORTED:
        return _unsupported(sentences, lang, reading, severity, notes, started)

    assert lang is not None
    tables = phrases(lang)
    placeholders = hits(tables.table("placeholders"), sentences)
    steps, anti, forgiveness, views = _check_supported(sentences, text, tables, severity,
                                                       notes, embeddings)
    if judge is not None:
        apply_judge(judge, text, sentences, lang, steps, notes)
    if placeholders:
        anti.append(
            Finding("placeholders_left", placeholders, ANTI_SUGGESTIONS["placeholders_left"])
        )
    foreign = foreign_paragraphs(text, lang)
    if foreign:
        anti.append(Finding("wrong_language_span", foreign,
                            ANTI_SUGGESTIONS["wrong_language_span"]))
    if known is not None:
        told = [reading.original, reading.text] if reading is not None else []
        loss = [reading.incident.loss.amount] if reading and reading.incident.loss else []
        made_up = invented(sentences, [*told, *known], loss)
        if made_up:
            anti.append(Finding("invented_fact", made_up, ANTI_SUGGESTIONS["invented_fact"]))
    offers, comp = check_compensation(sentences, tables, reading, severity)
    report = _finish(steps, anti, comp, offers, notes, lang, True, reading, forgiveness, started)
    report.sentences = views(report.anti_patterns)
    return report


def _unsupported(
    sentences: list[str], lang: str | None, reading: Reading | None, severity: str | None,
    notes: list[str], started: float,
) -> Report:
    """A language without a pack: only placeholders and compensation amounts are checked."""
    placeholders = hits(phrases(None).table("placeholders"), sentences)
    name = LANGUAGE_NAMES.get(lang or "", lang or "unknown")
    notes.append(
        f"language {name} ({lang}) is not supported (supported: {', '.join(SUPPORTED)}): "
        "the rubric steps were not evaluated; only placeholders and compensation amounts "
        "were checked"
    )
    steps = {
        step: StepResult(False, [], f"not evaluated: {name} is not supported",
                         evaluated=False, source="not_evaluated")
        for step in STEP_NAMES
    }
    anti = (
        [Finding("placeholders_left", placeholders, ANTI_SUGGESTIONS["placeholders_left"])]
        if placeholders else []
    )
    offers, comp = check_compensation(sentences, None, reading, severity)
    return _finish(steps, anti, comp, offers, notes, lang, False, reading, False, started)


def _check_supported(
    sentences: list[str], text: str, tables: Phrases, severity: str | None, notes: list[str],
    embeddings: bool,
) -> tuple[dict[str, StepResult], list[Finding], bool,
           Callable[[list[Finding]], list[SentenceView]]]:
    """The steps (phrases and the sentence model, then exemplar similarity for those still
    missing) and the anti-patterns."""
    learned = learn(sentences, notes) if embeddings else Learned()
    found = find_steps(sentences, tables,
                       {step: learned.flagged(step) for step in STEP_NAMES})
    anti = find_anti_patterns(found, sentences, text, tables, severity, learned)
    # Regret counts only for an apology that is neither generic nor conditional.
    found["regret"] = anti.apologies(found["regret"])
    sources = {step: "pattern" if found[step] else "none" for step in STEP_NAMES}
    for step in STEP_NAMES:
        if found[step] and all(s in learned.flagged(step) for s in found[step]):
            sources[step] = "model"
    weak = [s for s in ("impact", "explanation", "responsibility", "remedy") if not found[s]]
    if weak and embeddings:
        embedding_pass(sentences, weak, found, sources, notes)

    steps: dict[str, StepResult] = {}
    for step in STEP_NAMES:
        evidence = found[step]
        passed = bool(evidence)
        suggestion = "" if passed else STEP_SUGGESTIONS[step]
        if step == "responsibility" and (anti.blame or anti.passive):
            passed, suggestion = False, STEP_SUGGESTIONS[step]
        if step == "regret" and not passed and (anti.non_apology or anti.conditional):
            suggestion = ANTI_SUGGESTIONS[
                "non_apology" if anti.non_apology else "conditional_apology"]
        steps[step] = StepResult(passed, evidence[:3], suggestion, source=sources[step])
    forgiveness = any_match(tables.table("asks_forgiveness"), text)

    def views(findings: list[Finding]) -> list[SentenceView]:
        # Who found each label: a label is the model's only if the model counted it on that
        # sentence and the phrases alone do not find it there. Asking the phrases again costs
        # ~9 ms, so only when the model counted a label on a sentence the report shows.
        shown = {(n, s) for n in STEP_NAMES for s in found[n]}
        shown |= {(f.name, s) for f in findings for s in f.evidence}
        by_phrases: dict[str, list[str]] = {}
        if any(s in learned.flagged(n) for n, s in shown):
            by_phrases = find_steps(sentences, tables)
            for finding in find_anti_patterns(by_phrases, sentences, text, tables,
                                              severity).findings:
                by_phrases[finding.name] = finding.evidence
        return sentence_views(sentences, found, findings, learned, by_phrases)

    return steps, anti.findings, forgiveness, views


def sentence_views(
    sentences: list[str], found: dict[str, list[str]], findings: list[Finding],
    learned: Learned, by_phrases: dict[str, list[str]],
) -> list[SentenceView]:
    """Each sentence with the steps it serves and the anti-patterns it shows, as the verdict
    counted them, and the model's leanings that did not count."""
    by_text = {s.text: s for s in learned.sentences}
    views = []
    for sentence in sentences:
        model = by_text.get(sentence)
        proba = model.proba if model else {}
        labels = [
            SentenceLabel(name, kind,
                          "model" if sentence in learned.flagged(name)
                          and sentence not in by_phrases.get(name, ()) else "phrases",
                          proba.get(name))
            for kind, names in (("step", [n for n in STEP_NAMES if sentence in found[n]]),
                                ("anti_pattern", [f.name for f in findings
                                                  if sentence in f.evidence]))
            for name in names
        ]
        shown = {label.name for label in labels}
        leans = {name: proba[name] for name in (model.labels if model else ())
                 if name not in shown and proba[name] >= 0.5}
        views.append(SentenceView(sentence, labels, leans))
    return views


def _finish(
    steps: dict[str, StepResult], anti: list[Finding], comp: list[Finding], offers: list[Offer],
    notes: list[str], lang: str | None, supported: bool, reading: Reading | None,
    forgiveness: bool, started: float,
) -> Report:
    score = sum(STEP_WEIGHTS[n] for n, s in steps.items() if s.passed)
    score += FORGIVENESS_WEIGHT if forgiveness else 0
    score -= sum(ANTI_PATTERN_PENALTY[f.name] for f in anti)
    score -= COMPENSATION_PENALTY * len(comp)
    score = max(0, min(100, score))
    verdict: Verdict
    if reading is not None and not reading.should_apologize:
        verdict = "no_apology_due"
        notes.append(
            "no standalone apology is due for a trivial slip (duplicate send, typo, wrong promo "
            "code): fix it, or add a line to the next mailing"
        )
    elif supported and all(s.passed for s in steps.values()) and not anti and not comp:
        verdict = "ready"
    else:
        verdict = "needs_changes"
    return Report(
        verdict=verdict, score=score, language=lang, language_supported=supported, steps=steps,
        anti_patterns=anti, compensation=comp, offers=offers, notes=notes,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )
