"""The rubric steps a draft shows, by phrase and by clause, before anti-patterns have their say.

Each step is found by its phrase table (`regret`, `impact` ...) and, for four of them, by a
clause table (`impact_clauses` ...: one clause holding every pattern of an entry); then the
sentences that only look like a step are taken out (a broken promise is not a remedy, a sentence
about the future is not impact, a placeholder explains nothing).
"""

from __future__ import annotations

from composer.checking.matching import any_match, clause_hits, hits, unnegated_hits
from composer.checking.phrases import Phrases
from composer.checking.report import STEP_NAMES
from composer.schema import FILL_IN


def find_steps(
    sentences: list[str], phrases: Phrases, learned: dict[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """Per step, the sentences that show it, in order. `learned` is what the sentence model
    found per step: added after the phrases and clauses, and screened like them."""
    veto = phrases.negation()
    found = {
        step: unnegated_hits(phrases.table(step), sentences, veto)
        if step == "responsibility" else hits(phrases.table(step), sentences)
        for step in STEP_NAMES
    }
    _add_clauses(found, sentences, phrases)
    for step, extra in (learned or {}).items():
        found[step] += [s for s in extra if s not in found[step]]
    broken_promises = set(hits(phrases.table("broken_promise"), sentences))
    found["remedy"] = [s for s in found["remedy"] if s not in broken_promises]
    # "From now on ..." is prevention: neither what the failure did nor what happened.
    policy = set(hits(phrases.table("from_now_on"), sentences))
    found["impact"] = [s for s in found["impact"] if s not in policy]
    # A placeholder where the cause should be ("Qué pasó: [EXPLICAR LA CAUSA]") explains nothing.
    # The composer's own [[fill-ins]] are slots of a draft the sender completes; they are still
    # flagged as placeholders_left but do not cost the draft its steps.
    placeholders = phrases.table("placeholders")
    unexplained = policy | {
        s for s in sentences if any_match(placeholders, FILL_IN.sub("", s))
    }
    found["explanation"] = [s for s in found["explanation"] if s not in unexplained]
    apology_sentences = set(found["regret"])
    found["explanation"] += [
        s for s in hits(phrases.table("slip_narrative"), sentences)
        if s not in apology_sentences and s not in found["explanation"] and s not in unexplained
    ]
    return found


def _add_clauses(found: dict[str, list[str]], sentences: list[str], phrases: Phrases) -> None:
    """Clause-level co-occurrence signals added to the phrase hits.

    A clause remedy hit must not be a sentence that apologises, explains or describes the
    harm: "we released an update that broke it" is the cause, not the fix.
    """
    def extend(step: str, new: list[str], skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        found[step] += [s for s in new if s not in found[step] and s not in skip]

    extend("responsibility", clause_hits(phrases.clauses("responsibility_clauses"), sentences,
                                         phrases.negation()))
    extend("impact", clause_hits(phrases.clauses("impact_clauses"), sentences))
    extend("explanation", clause_hits(phrases.clauses("explanation_clauses"), sentences),
           set(found["regret"]))
    described = set(found["regret"]) | set(found["explanation"]) | set(found["impact"])
    extend("remedy", clause_hits(phrases.clauses("remedy_clauses"), sentences), described)


def owns(sentence: str, phrases: Phrases) -> bool:
    """The sentence owns the fault in first person, beyond clearing the customer."""
    for pattern in phrases.table("customer_cleared"):
        sentence = pattern.sub(" ", sentence)
    veto = phrases.negation()
    return bool(unnegated_hits(phrases.table("responsibility"), [sentence], veto)
                or clause_hits(phrases.clauses("responsibility_clauses"), [sentence], veto))
