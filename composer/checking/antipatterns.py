"""Anti-patterns: what makes an apology worse than none (research on service recovery, DOMAIN.md).

Read after the rubric steps, because some depend on them: an "if" clause counts only in an
apology sentence, and naming a partner or an error without an agent is evasive only when the
draft owns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from composer.checking.learned import Learned
from composer.checking.matching import any_match, count, hits
from composer.checking.phrases import Phrases
from composer.checking.report import ANTI_SUGGESTIONS, Finding
from composer.checking.steps import owns
from composer.schema import FILL_IN
from composer.understand.incident import SEVERITIES

OVER_APOLOGY_COUNT = 4


@dataclass
class AntiPatterns:
    """The findings, in the report's order, and the sentences the steps are judged by: an
    apology in a non-apology or conditional sentence is no regret; blame or passive voice cost
    the responsibility step."""

    findings: list[Finding] = field(default_factory=list)
    non_apology: list[str] = field(default_factory=list)
    conditional: list[str] = field(default_factory=list)
    blame: list[str] = field(default_factory=list)
    passive: list[str] = field(default_factory=list)

    def apologies(self, regret: list[str]) -> list[str]:
        """The apology sentences that count: neither generic nor conditional."""
        return [s for s in regret if s not in self.non_apology and s not in self.conditional]

    def flag(self, name: str, evidence: list[str]) -> None:
        if evidence:
            self.findings.append(Finding(name, evidence, ANTI_SUGGESTIONS[name]))


def find_anti_patterns(
    found: dict[str, list[str]], sentences: list[str], text: str, phrases: Phrases,
    severity: str | None, learned: Learned | None = None,
) -> AntiPatterns:
    """Every anti-pattern but placeholders_left (which unsupported languages get too).
    `found` is the steps' sentences as `find_steps` gave them; `learned` the sentence model's
    labels, added to the phrase hits where the model counts."""
    learned = learned or Learned()
    anti = AntiPatterns()
    _apology_form(anti, found, sentences, phrases, learned, severity)
    _evasion(anti, found, sentences, phrases, learned)
    # Not the model's to say: "happier than before" is a compensation finding, and a sentence
    # that acknowledges the harm ("even briefly, it was upsetting") does not minimise it.
    skip = {"over_promising": set(hits(phrases.table("happier_promise"), sentences)),
            "trivializing": set(found["impact"]), "boilerplate": set()}
    for name in ("trivializing", "over_promising", "boilerplate"):
        anti.flag(name, _union(hits(phrases.table(name), sentences),
                               [s for s in learned.flagged(name) if s not in skip[name]]))
    anti.flag("promise_without_date", _undated_promises(sentences, phrases, learned))
    anti.flag("register_mixed", register_slips(sentences, phrases))

    regret_patterns = phrases.table("regret")
    apologies = count(regret_patterns, text)
    abasement = hits(phrases.table("self_abasement"), sentences)
    if apologies >= OVER_APOLOGY_COUNT or abasement:
        anti.flag("over_apologizing", abasement + hits(regret_patterns, sentences))

    humour = hits(phrases.table("humour"), sentences)
    serious = _at_least(severity, "medium") or (
        severity is None and any_match(phrases.table("serious_harm"), text)
    )
    if humour and serious:
        anti.flag("inappropriate_humour", humour)
    return anti


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys(first + second))


def _apology_form(
    anti: AntiPatterns, found: dict[str, list[str]], sentences: list[str], phrases: Phrases,
    learned: Learned, severity: str | None,
) -> None:
    """Sorry for "any inconvenience"; thanks for patience where nothing says sorry; sorry "if"
    (an "if" clause only in apology sentences)."""
    anti.non_apology = _union(hits(phrases.table("non_apology"), sentences),
                              learned.flagged("non_apology"))
    # The model's "if" counts in an apology sentence only, as the clause table does.
    anti.conditional = _union(hits(phrases.table("conditional_apology"), sentences),
                              [s for s in learned.flagged("conditional_apology")
                               if s in found["regret"]])
    anti.conditional += [
        s for s in hits(phrases.table("conditional_clause"), found["regret"])
        if s not in anti.conditional
    ]
    if not anti.apologies(found["regret"]) and severity != "trivial":
        # "Thank you for your patience" in a draft that never says sorry stands in for one; in
        # a draft that apologises, or a note where none is due, it is only thanks.
        anti.non_apology = _union(anti.non_apology, hits(phrases.table("thanks_instead"),
                                                         sentences))
    anti.flag("non_apology", anti.non_apology)
    anti.flag("conditional_apology", [s for s in anti.conditional if s not in anti.non_apology])


def _evasion(
    anti: AntiPatterns, found: dict[str, list[str]], sentences: list[str], phrases: Phrases,
    learned: Learned,
) -> None:
    """Blame on others, and the passive voice that names no one."""
    blame = _union(hits(phrases.table("blame_shifting"), sentences),
                   learned.flagged("blame_shifting"))
    weak_blame = hits(phrases.table("blame_on_partner"), sentences)
    outside = hits(phrases.table("third_party"), sentences)
    # What the draft owns: a sentence about an outside party's fault owns nothing unless it
    # says outright that the fault is ours.
    owned = [s for s in found["responsibility"] if s not in outside or owns(s, phrases)]
    if not owned:
        # Where the draft owns nothing, an outside party named in the sentence that explains
        # the failure is where the blame was put ("the update our processing provider installed
        # blocked the cards"), however politely.
        blamed = [s for s in outside
                  if s in found["explanation"] or s in learned.likely("explanation")
                  or s in learned.likely("blame_shifting")]
        blame = _union(blame, weak_blame + blamed)
    # A partner named in a sentence the model reads as blame is blame, owned elsewhere or not.
    blame = _union(blame, [s for s in weak_blame if s in learned.likely("blame_shifting")])
    # A sentence that owns the fault outright ("the check should have blocked it: the error is
    # ours") talks about our own people or systems: not blame. Clearing the customer ("not your
    # fault") is not ownership.
    anti.blame = [s for s in blame if s not in found["responsibility"] or not owns(s, phrases)]
    anti.flag("blame_shifting", anti.blame)

    passive = hits(phrases.table("passive_evasion"), sentences)
    # A passive sentence evades only where nobody owns the fault: "both bills were then
    # calculated from that wrong number" in a draft that says "the error is ours" is a fact.
    # The model's label and the weak agentless cue are both that kind of reading.
    if not found["responsibility"]:
        passive = _union(passive, learned.flagged("passive_evasion")
                         + hits(phrases.table("agentless_error"), sentences))
    anti.passive = passive
    anti.flag("passive_evasion", passive)


def _undated_promises(sentences: list[str], phrases: Phrases, learned: Learned) -> list[str]:
    """A promise of time that names none ("we will be in touch soon"): a vague-time phrase, or
    the model's label, in a sentence with no date, no digit and no fill-in to complete."""
    # The model's label alone must be a next step too: "we should have noticed" is no promise.
    vague = _union(hits(phrases.table("vague_time"), sentences),
                   [s for s in learned.flagged("promise_without_date")
                    if s in learned.likely("remedy")])
    return [s for s in vague
            if _words(s) >= 4 and not any(ch.isdigit() for ch in s) and not FILL_IN.search(s)
            and not any_match(phrases.table("dated"), s)
            and not any_match(phrases.table("placeholders"), s)]


def _words(sentence: str) -> int:
    """Words, counting two CJK characters as one: "A presto," and "Talk soon," are farewells."""
    cjk = sum(1 for ch in sentence if "\u3400" <= ch <= "\u9fff")
    return len(sentence.split()) + cjk // 2


def register_slips(sentences: list[str], phrases: Phrases) -> list[str]:
    """The sentences in the less used form of address, when a draft uses both (tu and Lei,
    tú and usted, ты and Вы, 你 and 您, du and Sie, "Dear Sir" and "mate"). A sentence with
    both is a slip in itself."""
    # A fill-in ("[[il tuo nome]]") speaks to the sender, not the customer.
    bare = {FILL_IN.sub(" ", s): s for s in sentences}
    formal = {bare[s] for s in hits(phrases.table("formal_address"), list(bare))}
    informal = {bare[s] for s in hits(phrases.table("informal_address"), list(bare))}
    if not formal or not informal:
        return []
    both = formal & informal
    minority = informal if len(informal - both) <= len(formal - both) else formal
    return [s for s in sentences if s in minority or s in both]


def _at_least(severity: str | None, floor: str) -> bool:
    return severity is not None and SEVERITIES.index(severity) >= SEVERITIES.index(floor)
