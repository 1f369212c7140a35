"""invented_fact: a figure in the draft (an amount, a duration, a date, a time, a percent, an id)
that the incident never gave and the plan never decided. A model that writes "your €180 refund"
when the customer lost €149 has invented a fact, however well the sentence reads.

Figures are compared as numbers, whatever their locale ("2,400.50", "2.400,50", "2 400,50" are
one value) and as digit strings (an id, "IT-3390", is its digits). Figures in a fill-in are the
sender's to complete, not facts. Spelled-out numbers ("five days") are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from composer.schema import FILL_IN

# A run of digits with thousands groups and a decimal part in any of the usual locales.
_FIGURE = re.compile(r"\d+(?:[.,\u00a0\u202f ']\d{3})*(?:[.,]\d+)?|\d+")
_SEPARATORS = re.compile(r"[\u00a0\u202f ']")


def figures(text: str) -> set[str]:
    """The figures of `text` in canonical forms: each as a number (no trailing zeros) and as
    its bare digits."""
    return set().union(*(_forms(raw) for raw in _written(text)))


def _written(text: str) -> list[str]:
    """The figures as written, outside fill-ins."""
    return _FIGURE.findall(FILL_IN.sub(" ", text))


def _forms(raw: str) -> set[str]:
    digits = re.sub(r"\D", "", raw)
    forms = {digits.lstrip("0") or "0"}
    compact = _SEPARATORS.sub("", raw)
    for decimal_mark, group_mark in ((".", ","), (",", ".")):
        candidate = compact.replace(group_mark, "")
        if candidate.count(decimal_mark) > 1:
            continue
        try:
            value = Decimal(candidate.replace(decimal_mark, "."))
        except InvalidOperation:
            continue
        forms.add(_plain(value))
    return forms


def _plain(value: Decimal) -> str:
    """1500.00 -> "1500", 12.50 -> "12.5"."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def invented(sentences: Iterable[str], known_texts: Iterable[str],
             known_values: Iterable[Decimal] = ()) -> list[str]:
    """The sentences holding a figure that none of `known_texts` (the incident, the plan's
    facts and offer) holds."""
    known: set[str] = {_plain(v) for v in known_values}
    for text in known_texts:
        known |= figures(text)
    return [s for s in sentences if any(not (_forms(raw) & known) for raw in _written(s))]
