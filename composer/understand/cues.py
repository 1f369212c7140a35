"""The schema of `languages/<code>/understand.yaml`: what triage reads an incident by. Each table
is compiled the first time it is read (`LazyTable`): triage holds every language's tables, and
one incident reads a few of them."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict
from pydantic.dataclasses import dataclass

from composer.language.packs import LazyTable, load_pack

# The categories a pack may name; triage.CATEGORIES is the same set (tested), so that a misspelt
# category in a pack is an error, not a table nobody reads.
Category = Literal[
    "wrong_payment", "billing_error", "outage", "data_loss", "security_breach",
    "wrong_recipient", "wrong_content", "product_bug", "delivery_problem", "poor_service",
    "typo", "duplicate_send", "promo_code",
]


@dataclass(frozen=True, eq=False, config=ConfigDict(extra="forbid"))
class UnderstandPack:
    """What triage reads an incident by, in one language; each table is named by what it
    catches. `eq=False`: two loads are two packs, so callers can cache on the object."""

    category_cues: dict[Category, LazyTable] = field(default_factory=dict)
    category_stems: dict[Category, LazyTable] = field(default_factory=dict)
    app_broken: LazyTable = ()
    wide_impact: LazyTable = ()
    long_impact: LazyTable = ()
    sensitive_data: LazyTable = ()
    repeated: LazyTable = ()
    still_open: LazyTable = ()
    already_fixed: LazyTable = ()
    told_as_over: LazyTable = ()
    price_mentioned: LazyTable = ()
    prices_correct: LazyTable = ()
    # Says no money was lost ("nobody paid more", "переплат нет"): a billing cue is not one here.
    no_overcharge: LazyTable = ()
    # The customer asks whether a message of ours is phishing or fraud ("asked if it was a
    # scam"): the attack words are their worry, not what happened, so no breach is read from them.
    suspected_attack: LazyTable = ()
    remedy_offer_words: LazyTable = ()
    quote_swap_words: LazyTable = ()
    # Broken, damaged or wrong goods: an exchange restores them.
    faulty_goods: LazyTable = ()
    # A payment of ours in the wrong amount, unless a wrong account or person is named.
    wrong_amount: LazyTable = ()
    wrong_destination: LazyTable = ()
    # Counts of people or records hit ("3,812 customers"), and words that say a count was not
    # hit ("our 2,000 other customers were not affected"): a breach of 1,000 is at scale.
    affected_nouns: LazyTable = ()
    not_affected: LazyTable = ()
    # Talk about the customer instead of to them: a support lead's note pasted into an email.
    reported_speech: LazyTable = ()


def load_cues(lang: str, directory: str | Path | None = None) -> UnderstandPack:
    """The triage pack of `lang` (or `common`), validated."""
    return load_pack(lang, "understand", UnderstandPack, directory)


def about_the_customer(text: str, language: str) -> str | None:
    """The phrase in `text` that talks about the customer instead of to them ("the customer
    says", "il cliente dice", "клиент пишет", "客户说"), or None: the pack's `reported_speech`."""
    for pattern in load_cues(language).reported_speech:
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None
