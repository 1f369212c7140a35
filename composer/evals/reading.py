"""Did the draft carry what the incident said, written to the customer? Three measures the eval
applies to every email:

- facts carried: each fact the case lists (an amount, a date, a name, an id) is in the email,
  as typed or as the same quantity in the customer's format ("£64", "64 GBP"; "4.300" for "4300");
- no pasted note: no 60-character stretch of the incident text appears verbatim in the email;
- no reported speech: the email never talks about the customer in the third person ("the
  customer says", "il cliente dice", "клиент пишет", "客户说"), the pack's `reported_speech`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from composer.language.money import Quantity, find_durations, find_money
from composer.schema import FILL_IN
from composer.understand.cues import about_the_customer
from composer.understand.facts import read_facts

_TODAY = date.today()

VERBATIM_CHARS = 60
_DIGITS = re.compile(r"\d+(?:[.,\s\u00a0\u202f]\d{3})*(?:[.,]\d+)?")
_SEPARATORS = re.compile(r"(?<=\d)[.,\s\u00a0\u202f](?=\d{3}\b)")


def _fold(text: str) -> str:
    """Case, width and spacing folded, so "ＡＢ 12" and "ab 12" compare equal."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _quantities(text: str) -> set[Quantity]:
    return {f.quantity for f in (*find_money(text), *find_durations(text))}


def _numbers(text: str) -> set[str]:
    return {_SEPARATORS.sub("", m.group(0)) for m in _DIGITS.finditer(text)}


def _moments(text: str, language: str) -> set[Any]:
    """The days and clock times a text names, as values: "yesterday", "31.03." and "March 31"
    are days; "2pm" and "14:00" the same time (read with one fixed today, so both sides agree)."""
    return {f.value for f in read_facts(text, language, today=_TODAY)
            if f.kind in ("date", "time", "eta") and isinstance(f.value, (date, str))}


def fact_in(fact: str, email: str, language: str | None = None) -> bool:
    """`fact` is stated in `email`: as typed, as the same amount or duration, as the same days
    and times (in `language`: "heute" and "6. Dezember"), or (for a fact that is a number with a
    word, "4.300 pedidos") with the same number and words."""
    if _fold(fact) in _fold(email):
        return True
    wanted = _quantities(fact)
    if wanted and wanted <= _quantities(email):
        return True
    if language and (moments := _moments(fact, language)) and moments <= _moments(email,
                                                                                  language):
        return True
    numbers = _numbers(fact)
    if not numbers or not numbers <= _numbers(email):
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", _fold(fact)) if len(w) > 2]
    folded = _fold(email)
    return all(w in folded for w in words)


def facts_missing(facts: list[str], email: str, language: str | None = None) -> list[str]:
    return [f for f in facts if not fact_in(f, email, language)]


def verbatim_stretch(incident: str, email: str, limit: int = VERBATIM_CHARS) -> str | None:
    """The longest stretch of the incident pasted into the email, when it is `limit` characters
    or longer (spacing and case folded; the email's fill-ins do not count)."""
    a, b = _fold(incident), _fold(FILL_IN.sub(" ", email))
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[match.a:match.a + match.size] if match.size >= limit else None


def reported_speech(email: str, language: str) -> str | None:
    """A phrase that talks about the customer instead of to them, or None. Fill-ins do not
    count: "[[nome del cliente]]" is for the lead, who replaces it before sending."""
    return about_the_customer(FILL_IN.sub(" ", email), language)
