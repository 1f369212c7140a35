"""Anti-patterns: what makes an apology worse than none (research on service recovery, DOMAIN.md).

Read after the rubric steps, because some depend on them: an "if" clause counts only in an
apology sentence, and naming a partner or an error without an agent is evasive only when the
draft owns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from composer.checking.matching import any_match, count, hits
from composer.checking.phrases import Phrases
from composer.checking.report import ANTI_SUGGESTIONS, Finding
from composer.checking.steps import owns
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

    def flag(self, name: str, evidence: list[str]) -> None:
        if evidence:
            self.findings.append(Finding(name, evidence, ANTI_SUGGESTIONS[name]))


def find_anti_patterns(
    found: dict[str, list[str]], sentences: list[str], text: str, phrases: Phrases,
    severity: str | None,
) -> AntiPatterns:
    """Every anti-pattern but placeholders_left (which unsupported languages get too).
    `found` is the steps' sentences as `find_steps` gave them."""
    anti = AntiPatterns()
    _apology_form(anti, found, sentences, phrases)
    _evasion(anti, found, sentences, phrases)
    anti.flag("trivializing", hits(phrases.table("trivializing"), sentences))
    anti.flag("over_promising", hits(phrases.table("over_promising"), sentences))

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


def _apology_form(
    anti: AntiPatterns, found: dict[str, list[str]], sentences: list[str], phrases: Phrases,
) -> None:
    """Sorry for "any inconvenience"; sorry "if" (an "if" clause only in apology sentences)."""
    anti.non_apology = hits(phrases.table("non_apology"), sentences)
    anti.conditional = hits(phrases.table("conditional_apology"), sentences)
    anti.conditional += [
        s for s in hits(phrases.table("conditional_clause"), found["regret"])
        if s not in anti.conditional
    ]
    anti.flag("non_apology", anti.non_apology)
    anti.flag("conditional_apology", [s for s in anti.conditional if s not in anti.non_apology])


def _evasion(
    anti: AntiPatterns, found: dict[str, list[str]], sentences: list[str], phrases: Phrases,
) -> None:
    """Blame on others, and the passive voice that names no one."""
    blame = hits(phrases.table("blame_shifting"), sentences)
    weak_blame = hits(phrases.table("blame_on_partner"), sentences)
    if weak_blame and not found["responsibility"]:
        blame = list(dict.fromkeys(blame + weak_blame))
    # A sentence that owns the fault outright ("the check should have blocked it: the error is
    # ours") talks about our own people or systems: not blame. Clearing the customer ("not your
    # fault") is not ownership.
    anti.blame = [s for s in blame if s not in found["responsibility"] or not owns(s, phrases)]
    anti.flag("blame_shifting", anti.blame)

    passive = hits(phrases.table("passive_evasion"), sentences)
    weak_passive = hits(phrases.table("agentless_error"), sentences)
    if weak_passive and not found["responsibility"]:
        passive = list(dict.fromkeys(passive + weak_passive))
    anti.passive = passive
    anti.flag("passive_evasion", passive)


def _at_least(severity: str | None, floor: str) -> bool:
    return severity is not None and SEVERITIES.index(severity) >= SEVERITIES.index(floor)
