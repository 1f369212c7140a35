"""The schema of `languages/<code>/check.yaml` and the checker's way into it: the phrases a draft
is read by, one table per thing they catch.

A language's table is its own pack's entries, then those of `languages/common/check.yaml`
(entries that span languages), in the order written: first-match logic and the evidence quoted
depend on it. Packs are read once per process (and again when a file changes); a table is
compiled the first time a check uses it, so a cold start pays only for what it reads.
"""

from __future__ import annotations

import re
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict
from pydantic.dataclasses import dataclass

from composer.language.packs import (
    LazyCaseSensitiveRegex,
    LazyRegex,
    RegexText,
    bad_regex,
    load_pack,
    pack_path,
)

OfferType = Literal["refund", "voucher", "exchange", "upgrade"]
# The order a sentence's offers are listed in (a refund before a voucher ...).
OFFER_TYPES: tuple[OfferType, ...] = ("refund", "voucher", "exchange", "upgrade")

Table = tuple[LazyRegex, ...]
Compiled = tuple[re.Pattern[str], ...]


# Validators are built on the first load, not at import (~15 ms for a table this wide).
_CONFIG = ConfigDict(extra="forbid", defer_build=True)


@dataclass(frozen=True, config=_CONFIG)
class Clause:
    """A clause (a sentence cut at , ; : dashes and 、，；：) counts when it holds all of these."""

    all_of: Table


@dataclass(frozen=True, eq=False, config=_CONFIG)
class CheckPack:
    """What the checker reads a draft by, in one language; each table is named by what it
    catches (the comments in the packs say how each is used). `eq=False`: two loads are two
    packs, so what is compiled from one is cached by the object (`phrases`)."""

    # the rubric steps, by phrase
    regret: Table = ()
    impact: Table = ()
    explanation: Table = ()
    slip_narrative: Table = ()
    responsibility: Table = ()
    remedy: Table = ()
    # the rubric steps, by clause
    responsibility_clauses: tuple[Clause, ...] = ()
    impact_clauses: tuple[Clause, ...] = ()
    explanation_clauses: tuple[Clause, ...] = ()
    remedy_clauses: tuple[Clause, ...] = ()
    negation: LazyRegex | None = None
    # what a step does not count
    customer_cleared: Table = ()
    broken_promise: Table = ()
    from_now_on: Table = ()
    # anti-patterns
    non_apology: Table = ()
    thanks_instead: Table = ()
    conditional_apology: Table = ()
    conditional_clause: Table = ()
    blame_shifting: Table = ()
    blame_on_partner: Table = ()
    third_party: Table = ()
    passive_evasion: Table = ()
    agentless_error: Table = ()
    trivializing: Table = ()
    over_promising: Table = ()
    self_abasement: Table = ()
    humour: Table = ()
    asks_forgiveness: Table = ()
    serious_harm: Table = ()
    placeholders: tuple[LazyCaseSensitiveRegex, ...] = ()
    boilerplate: Table = ()
    # the form of address: a draft that uses both has slipped register (case matters: "Lei")
    formal_address: tuple[LazyCaseSensitiveRegex, ...] = ()
    informal_address: tuple[LazyCaseSensitiveRegex, ...] = ()
    # a promise of time that names none ("soon", "a breve"), and what dates a sentence
    vague_time: Table = ()
    dated: Table = ()
    # compensation
    offer_types: dict[OfferType, Table] = field(default_factory=dict)
    offer_given: Table = ()
    not_an_offer: Table = ()
    money_back: Table = ()
    owed_money: Table = ()
    service_credit: Table = ()
    full_refund: Table = ()
    for_later: Table = ()
    amends: Table = ()
    gift: Table = ()
    perks: Table = ()
    happier_promise: Table = ()


def load_check_pack(lang: str, directory: str | Path | None = None) -> CheckPack:
    """The check pack of `lang` (or `common`), validated."""
    return load_pack(lang, "check", CheckPack, directory)


class Phrases:
    """The tables one check reads: a language's pack, then `common`. Each table is compiled on
    first use and kept; a bad regex is a one-line PackError naming the file and line."""

    def __init__(self, packs: tuple[tuple[str, CheckPack], ...], directory: str | None) -> None:
        self._packs = packs
        self._directory = directory
        self._tables: dict[str, Compiled] = {}
        self._clauses: dict[str, tuple[Compiled, ...]] = {}
        self._negation: tuple[re.Pattern[str] | None] | None = None

    def table(self, name: str) -> Compiled:
        """Table `name`, e.g. `regret` or `blame_shifting`."""
        if name not in self._tables:
            self._tables[name] = tuple(
                self._compile(code, (name, i), entry)
                for code, pack in self._packs for i, entry in enumerate(getattr(pack, name))
            )
        return self._tables[name]

    def offer_type(self, kind: OfferType) -> Compiled:
        """The words that make a sentence's offer a `kind` (refund, voucher ...)."""
        key = f"offer_types.{kind}"
        if key not in self._tables:
            self._tables[key] = tuple(
                self._compile(code, ("offer_types", kind, i), entry)
                for code, pack in self._packs
                for i, entry in enumerate(pack.offer_types.get(kind, ()))
            )
        return self._tables[key]

    def clauses(self, name: str) -> tuple[Compiled, ...]:
        """Clause table `name` (e.g. `remedy_clauses`): per entry, the patterns it needs."""
        if name not in self._clauses:
            self._clauses[name] = tuple(
                tuple(self._compile(code, (name, i, "all_of", j), entry)
                      for j, entry in enumerate(clause.all_of))
                for code, pack in self._packs for i, clause in enumerate(getattr(pack, name))
            )
        return self._clauses[name]

    def negation(self) -> re.Pattern[str] | None:
        """What, just before an ownership phrase, denies it ("not our fault"); None if unset."""
        if self._negation is None:
            entries = [(code, p.negation) for code, p in self._packs if p.negation is not None]
            code, entry = entries[0] if entries else ("", None)
            self._negation = (self._compile(code, ("negation",), entry) if entry else None,)
        return self._negation[0]

    def _compile(self, code: str, loc: tuple[str | int, ...], entry: RegexText) -> re.Pattern[str]:
        try:
            return re.compile(entry.pattern, entry.flags)
        except re.error as err:
            raise bad_regex(pack_path(code, "check", self._directory), loc, err) from None


def phrases(lang: str | None, directory: str | Path | None = None) -> Phrases:
    """The tables for a check in `lang` (None: only those that span languages). The same object
    while the pack files are unchanged, so each table is compiled once per process."""
    packs = ((lang, load_check_pack(lang, directory)),) if lang else ()
    packs += (("common", load_check_pack("common", directory)),)
    return _phrases(packs, None if directory is None else str(directory))


@lru_cache(maxsize=32)
def _phrases(packs: tuple[tuple[str, CheckPack], ...], directory: str | None) -> Phrases:
    return Phrases(packs, directory)
