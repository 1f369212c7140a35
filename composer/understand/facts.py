"""`read_facts(text, language) -> [Fact]`: the facts a support lead typed in an incident (amounts,
durations, dates, ids, names, how often, how wide, why, what was done, by when), each with the
span it was read from, so the email can state them instead of leaving a blank or pasting the note.

Amounts and durations come from the project's one money and time reader (composer.language.money);
what a language says around them lives in `languages/<code>/facts.yaml` (and the cues that span
languages in `languages/common/facts.yaml`), validated by `FactsPack` below. This module holds only
the order in which kinds are read and how overlapping readings are settled:

1. the atoms (ids, money, times, dates, durations, recurrence) are read on the text with Markdown
   links and backticks blanked out (so offsets stay those of the text as typed);
2. each atom is masked with a mark of its kind, so a pack reads "by {DATE}" as an ETA and a count
   never takes the 2 of "2 May";
3. clauses (cause, fix status) are read on the unmasked text and may hold atoms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass as plain_dataclass
from dataclasses import field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, model_validator
from pydantic.dataclasses import dataclass

from composer.language import money
from composer.language.packs import Patterns, languages_dir, load_pack

Kind = Literal[
    "money", "duration", "date", "time", "count", "order_id", "ticket_id", "invoice_id",
    "product", "customer_name", "recurrence", "scope", "cause", "fix_status", "eta", "credit",
]
# Kinds a pack reads by pattern (money and most durations come from composer.language.money).
PatternKind = Literal[
    "duration", "date", "time", "count", "order_id", "ticket_id", "invoice_id", "product",
    "customer_name", "recurrence", "eta", "cause", "credit",
]
Scope = Literal["one", "some", "all", "global"]
Status = Literal["resolved", "in_progress", "planned"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
CLAUSES = ("cause", "fix_status")  # clause kinds may hold atoms; atoms never overlap each other

# Masks: an atom read in step 1 is replaced, character for character, by its kind's mark, and a
# pack names the marks as {DATE}, {TIME}... (private-use characters no text holds).
MARKS = {"date": "\ue001", "time": "\ue002", "duration": "\ue003", "money": "\ue004",
         "order_id": "\ue005", "ticket_id": "\ue005", "invoice_id": "\ue005",
         "recurrence": "\ue006"}
_ID = "A-Za-zА-ЯЁа-яё0-9"  # what an id is written with
_BUILTINS = {
    "DATE": "\ue001+", "TIME": "\ue002+", "DURATION": "\ue003+", "MONEY": "\ue004+",
    "ID": "\ue005+",
    # a number as digits: 1,200 / 1 320 / 4.2 / 3k / 12
    # (never a version: "3.9.1" is no number, and no count)
    "NUM": (r"(?<![\d.,])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])"
            r"|\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?(?![.,]?\d)|\d+(?:[.,]\d+)?(?![.,]?\d))"),
    # a capitalised word (a name): case matters even though packs match ignoring case; O'Brien,
    # Jean-Luc and CamelCase brands (NoteBox) are one word
    "CAP": (r"(?-i:[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zà-öø-ÿā-žа-яё]+"
            r"(?:['’][A-Z][a-z]+|-[A-Za-zÀ-ÿА-Яа-яЁё]+|[A-Z][a-z]+)*)"),
    "HAN": r"[\u4e00-\u9fff]",
    # an order, ticket or invoice id: letters, digits and dashes with a digit, 3+ long; a group
    # of 3+ letters and digits with two digits may follow a space (JD0146 2291, 1Z 84F 209 443)
    "IDTOKEN": (rf"(?:[#№]\s?)?(?-i:[A-Z]{{2,3}}[ ](?=\d{{4}}))?(?=[{_ID}-]{{3}}|[{_ID}]{{2}}[ ]\d)"
                rf"(?=[{_ID}-]*\d)[{_ID}](?:[{_ID}-]*[{_ID}])?"
                r"(?:[ \u00a0](?=[A-Za-z]*\d[A-Za-z]*\d)[A-Za-z0-9]{3,}(?![A-Za-z0-9]))*"
                rf"(?![{_ID}])"),
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def _alternation(words: Iterable[str]) -> str:
    """`(?:longest|long|...)`: vocabulary entries are regex fragments, longest tried first."""
    return "(?:" + "|".join(sorted(set(words), key=len, reverse=True)) + ")"


def _expand(value: Any, vocab: dict[str, str]) -> Any:
    """A pattern (a string or a list of pieces) with its {placeholders} written out."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    if not isinstance(value, str):
        return value
    return _PLACEHOLDER.sub(lambda m: vocab.get(m.group(1), m.group(0)), value)


@dataclass(frozen=True, eq=False, config=ConfigDict(extra="forbid"))
class FactsPack:
    """What facts are read by, in one language. Word tables give values (`ordinals: {third: 3}`)
    and are usable in patterns as {numbers}, {ordinals}, {months}, {relative_days}; `vocab`
    names more word lists for patterns. In a pattern, a group `fact` is the span, `tail` runs
    to the end of the clause, none means the whole match (or, for clauses, the whole clause);
    `n`, `ord`, `prev`, `day`, `month`, `year`, `rel`, `h`, `m`, `ampm` carry the value."""

    numbers: dict[str, int] = field(default_factory=dict)
    ordinals: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    relative_days: dict[str, int] = field(default_factory=dict)
    time_units: dict[str, int] = field(default_factory=dict)  # minutes per unit money lacks
    vocab: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[PatternKind, Patterns] = field(default_factory=dict)
    scope: dict[Scope, Patterns] = field(default_factory=dict)
    fix_status: dict[Status, Patterns] = field(default_factory=dict)
    widen: Patterns = ()  # on the masked text: an atom with the words around it
    clause_end: Patterns = ()
    clause_start: Patterns = ()
    # Before a name, these make it one of our own staff, not the customer ("our engineer
    # Marcus Bell", "наш курьер Олег"): no customer's name is read there.
    staff_before: Patterns = ()

    @model_validator(mode="before")
    @classmethod
    def _write_out_placeholders(cls, data: Any) -> Any:
        """Patterns name word lists as {name}; they are written out before compiling."""
        if not isinstance(data, dict):
            return data
        vocab = dict(_BUILTINS)
        for table in ("numbers", "ordinals", "months", "relative_days", "time_units"):
            if isinstance(data.get(table), dict) and data[table]:
                vocab[table] = _alternation(re.escape(str(k)) for k in data[table])
        for name, words in (data.get("vocab") or {}).items():
            if isinstance(words, list):
                vocab[name] = _alternation(str(w) for w in words)
        data = dict(data)
        for table in ("patterns", "scope", "fix_status"):
            if isinstance(data.get(table), dict):
                data[table] = {k: [_expand(p, vocab) for p in v] if isinstance(v, list) else v
                               for k, v in data[table].items()}
        for table in ("widen", "clause_end", "clause_start", "staff_before"):
            if isinstance(data.get(table), list):
                data[table] = [_expand(p, vocab) for p in data[table]]
        return data

    def __post_init__(self) -> None:
        """A misspelt {placeholder} would silently never match: refuse it at load."""
        for pattern in self._all_patterns():
            if unknown := _PLACEHOLDER.search(pattern.pattern):
                raise ValueError(f"unknown placeholder {unknown.group(0)} in {pattern.pattern!r}")

    def _all_patterns(self) -> Iterator[re.Pattern[str]]:
        for table in (self.patterns, self.scope, self.fix_status):
            for patterns in table.values():
                yield from patterns
        yield from self.widen
        yield from self.clause_end
        yield from self.clause_start
        yield from self.staff_before


@plain_dataclass(frozen=True)
class Fact:
    """One fact as typed: `text == incident[start:end]`; `value` is what it means where that can
    be said (a money or time `Quantity`, an ISO date, an int, an id, a scope or a status)."""

    kind: str
    text: str
    start: int
    end: int
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, money.Quantity):
            value = {"amount": str(value.amount), "unit": value.unit}
        elif isinstance(value, (date, Decimal)):
            value = str(value)
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
                "value": value}


@plain_dataclass(frozen=True)
class _Tables:
    """A language's pack and the common one, read as one."""

    lang: FactsPack
    common: FactsPack

    def patterns(self, kind: str) -> tuple[re.Pattern[str], ...]:
        common: dict[str, Patterns] = self.common.patterns  # type: ignore[assignment]
        lang: dict[str, Patterns] = self.lang.patterns  # type: ignore[assignment]
        return common.get(kind, ()) + lang.get(kind, ())

    def word(self, table: str, text: str) -> int | None:
        key = " ".join(text.lower().split())
        for pack in (self.lang, self.common):
            value = getattr(pack, table).get(key)
            if value is not None:
                return value
        return None


def load_facts_pack(lang: str, directory: str | Path | None = None) -> FactsPack:
    """The facts pack of `lang` (or `common`), validated."""
    return load_pack(lang, "facts", FactsPack, directory)


def _tables(language: str) -> _Tables:
    """A language without a facts pack yet is read as English (`en-GB` as `en`); a broken pack
    is an error."""
    language = re.split(r"[-_]", language.strip().lower())[0]
    has_pack = re.fullmatch(r"[a-z]{2,3}", language) is not None and \
        (languages_dir() / language / "facts.yaml").is_file()
    return _Tables(load_facts_pack(language if has_pack else "en"), load_facts_pack("common"))


# ------------------------------------------------------------------------------------ the text

_LINK = re.compile(r"!?\[([^\]\n]+)\]\(([^)\s]+)\)")
_MARKUP = re.compile(r"`+|\*\*|__|<(?=https?://)|(?<=[^\s<])>(?=\s|$)")


def plain_view(text: str) -> str:
    """The text as read: Markdown links as their words and backticks blanked with spaces, so
    every offset in the view is the same offset in the text as typed."""
    chars = list(text)
    for match in _LINK.finditer(text):
        for i in range(match.start(), match.start(1)):
            chars[i] = " "
        for i in range(match.end(1), match.end()):
            chars[i] = " "
    for match in _MARKUP.finditer(text):
        for i in range(match.start(), match.end()):
            chars[i] = " "
    return "".join(chars)


# ------------------------------------------------------------------------------- reading facts


@plain_dataclass(frozen=True)
class _Found:
    kind: str
    start: int
    end: int
    value: Any = None


def read_facts(text: str, language: str, *, today: date | None = None) -> list[Fact]:
    """Every fact typed in `text` (in `language`), in reading order. `today` resolves "yesterday"
    and dates without a year (default: the system date)."""
    tables = _tables(language)
    view = plain_view(text)
    today = today or date.today()
    atoms = _widen(view, _settle(_ids_not_money(list(_atoms(view, tables, today)))), tables)
    masked = _mask(view, atoms)
    for kind in ("eta", "credit"):  # "by Friday", then "one week of free service"
        around = list(_around(masked, tables, atoms, kind))
        atoms = [a for a in atoms if not any(_inside(a, e) for e in around)] + around
        masked = _mask(view, atoms)
    words = [w for w in _settle(_words(masked, tables), taken=atoms)
             if w.kind != "customer_name" or not _staff(view, w, tables)]
    words += _settle(_scopes(masked, tables))
    clauses = [c for kind in CLAUSES for c in _settle(_clauses(view, tables, kind))]
    found = sorted(atoms + words + clauses, key=lambda f: (f.start, f.end))
    return [fact for f in found if (fact := _fact(text, f)) is not None]


SHORT_ID = 6  # characters: an "id" this short beside a currency is more likely an amount


def _ids_not_money(found: list[_Found]) -> list[_Found]:
    """A short id inside a longer amount is the amount: "invoice, 240 EUR each" is 240 euros.
    A long one stays an id ("订单号202403150012元宝套餐" is no amount of money)."""
    money = [f for f in found if f.kind == "money"]
    return [f for f in found if not f.kind.endswith("_id") or f.end - f.start > SHORT_ID or not any(
        _inside(f, m) and m.end - m.start > f.end - f.start for m in money)]


def _staff(view: str, name: _Found, tables: _Tables) -> bool:
    """Whether the words just before a name make it one of our staff, not the customer."""
    before = view[max(0, name.start - 40):name.start]
    return any(p.search(before) for p in tables.lang.staff_before + tables.common.staff_before)


def _fact(text: str, found: _Found) -> Fact | None:
    """The fact as typed, its edges trimmed of spaces and of the marks of blanked Markdown."""
    start, end = found.start, found.end
    while start < end and (text[start].isspace() or text[start] in "`*[("):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "`*,;:"):
        end -= 1
    if start >= end:
        return None
    return Fact(found.kind, text[start:end], start, end, found.value)


def _inside(inner: _Found, outer: _Found) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _overlaps(a: _Found, b: _Found) -> bool:
    return a.start < b.end and b.start < a.end


_PRIORITY = {"order_id": 0, "ticket_id": 0, "invoice_id": 0, "money": 1, "recurrence": 2,
             "time": 3, "date": 3, "duration": 3, "eta": 3, "credit": 3, "count": 4,
             "customer_name": 6, "product": 5, "scope": 7, "cause": 0, "fix_status": 1}


def _settle(found: Iterable[_Found], taken: Iterable[_Found] = ()) -> list[_Found]:
    """One reading per stretch of text: the kind read first wins, then the longer span."""
    kept: list[_Found] = list(taken)
    fixed = len(kept)
    for f in sorted(found, key=lambda f: (_PRIORITY[f.kind], f.start - f.end, f.start)):
        if f.end > f.start and not any(_overlaps(f, k) for k in kept):
            kept.append(f)
    return kept[fixed:]


def _mask(view: str, found: Iterable[_Found]) -> str:
    chars = list(view)
    for f in found:
        mark = MARKS.get(f.kind, "\ue000")
        chars[f.start:f.end] = mark * (f.end - f.start)
    return "".join(chars)


def _span(match: re.Match[str]) -> tuple[int, int]:
    """The `fact` group's span where the pattern has one, else the whole match."""
    if "fact" in match.re.groupindex and match.group("fact") is not None:
        return match.span("fact")
    return match.span()


def _group(match: re.Match[str], name: str) -> str | None:
    return match.group(name) if name in match.re.groupindex else None


# --------------------------------------------------------------------------------------- atoms


def _atoms(view: str, tables: _Tables, today: date) -> Iterator[_Found]:
    """Ids, money, recurrence, times, dates and durations, overlapping readings included. Ids
    named by a word of the language come before ids known by their shape alone."""
    for pack in (tables.lang, tables.common):
        for kind in ("order_id", "ticket_id", "invoice_id"):
            for pattern in pack.patterns.get(kind, ()):  # type: ignore[call-overload]
                for match in pattern.finditer(view):
                    start, end = _span(match)
                    yield _Found(kind, start, end, _id_value(view[start:end]))
    for found in money.find_money(view):
        yield _Found("money", found.start, found.end, found.quantity)
    for found in money.find_durations(view):
        yield _Found("duration", found.start, found.end, found.quantity)
    for kind in ("recurrence", "time", "date", "duration"):
        for pattern in tables.patterns(kind):
            for match in pattern.finditer(view):
                yield _Found(kind, *_span(match), _value(kind, match, tables, today))


def _id_value(text: str) -> str:
    """The id itself: no `#`, `№` or `No.` before it, no spaces inside it."""
    return re.sub(r"^(?:#|№|n[o°º]\.?)\s*", "", text.strip(), flags=re.IGNORECASE).replace(" ", "")


def _value(kind: str, match: re.Match[str], tables: _Tables, today: date) -> Any:
    if kind == "recurrence":
        return _recurrence(match, tables)
    if kind == "time":
        return _clock(match)
    if kind == "date":
        return _date(match, tables, today)
    if kind == "duration":
        return _duration(match, tables)
    if kind == "count":
        return _number(_group(match, "n"), tables)
    return None


def _number(text: str | None, tables: _Tables) -> int | None:
    """A whole number as written: digits (1,200 / 1 320 / 3k / 4.2万), a word of the pack, a
    spelled number the money reader knows, or a Chinese numeral."""
    if not text:
        return None
    raw = text.strip().lower()
    if (word := tables.word("numbers", raw)) is not None:
        return word
    scale = re.search(r"(k|万|千|млн|тыс\.?|m)$", raw)
    factor = {"k": 1000, "万": 10_000, "千": 1000, "млн": 1_000_000, "m": 1_000_000}
    multiplier = factor.get(scale.group(1).rstrip("."), 1000) if scale else 1
    digits = raw[:scale.start()].strip() if scale else raw
    if re.fullmatch(r"\d+[.,]\d{1,2}", digits) and multiplier > 1:
        return int(Decimal(digits.replace(",", ".")) * multiplier)
    if re.search(r"\d", digits):
        number = money.read_number(digits)
        return int(number * multiplier) if number is not None else None
    if (zh := money.chinese_number(digits)) is not None and digits:
        return zh * multiplier
    return money.spelled_number(digits)  # the project's one spelled-number reader


def _recurrence(match: re.Match[str], tables: _Tables) -> int | None:
    """The nth time: an ordinal (`third` -> 3), or n times before (`twice already` -> 3)."""
    if ordinal := _group(match, "ord"):
        ordinal = ordinal.removeprefix("第")
        digits = re.match(r"\d+", ordinal)
        if digits:
            return int(digits.group(0))
        value = tables.word("ordinals", ordinal)
        return value if value is not None else money.chinese_number(ordinal) or None
    if count := _group(match, "n"):
        return _number(count, tables)
    if before := _group(match, "prev"):
        number = _number(before, tables)
        return number + 1 if number else None
    return None


def _clock(match: re.Match[str]) -> str | None:
    """`HH:MM` for a time of day that says its hour."""
    hour, minute = _group(match, "h"), _group(match, "m")
    if not hour or not hour.isdigit():
        return None
    h = int(hour)
    ampm = (_group(match, "ampm") or "").lower()
    if (ampm.startswith("p") or _group(match, "pm")) and h < 12:
        h += 12
    elif ampm.startswith("a") and h == 12:
        h = 0
    m = int(minute) if minute and minute.isdigit() else 0
    return f"{h:02d}:{m:02d}" if h < 24 and m < 60 else None


def _date(match: re.Match[str], tables: _Tables, today: date) -> date | None:
    """The day meant, when the text says it: `yesterday`, `2 May` (this year, or last year when
    that is more than half a year ahead), `06.03.2024`."""
    if rel := _group(match, "rel"):
        offset = tables.word("relative_days", rel)
        return today + timedelta(days=offset) if offset is not None else None
    day, month = _group(match, "day"), _group(match, "month")
    if not day or not month:
        return None
    number = int(month) if month.isdigit() else tables.word("months", month.rstrip("."))
    year = _group(match, "year")
    try:
        if year:
            return date(int(year) + (2000 if len(year) == 2 else 0), number or 0, int(day))
        meant = date(today.year, number or 0, int(day))
    except (TypeError, ValueError):
        return None
    return meant.replace(year=today.year - 1) if (meant - today).days > 183 else meant


def _duration(match: re.Match[str], tables: _Tables) -> money.Quantity | None:
    """Time the money reader has no unit for (months, years, nights), in days."""
    unit = _group(match, "unit")
    minutes = tables.word("time_units", unit) if unit else None
    number = _number(_group(match, "n"), tables) if _group(match, "n") else 1
    if not minutes or not number:
        return None
    total = Decimal(number * minutes)
    if total < 1440:  # "eine Dreiviertelstunde": 45 minutes, not 0.03125 days
        return money.duration(total)
    days = total / 1440
    return money.Quantity(days.quantize(Decimal(1)), "days")


# ----------------------------------------------------------------------- what the atoms become


def _around(masked: str, tables: _Tables, atoms: list[_Found], kind: str) -> Iterator[_Found]:
    """An atom with what it is for: by when ("eta": a date, time or duration after "by",
    "within", "entro", "до"..., or an ETA phrase of its own, "later this week"), or a credit the
    incident offers ("credit": "one week of free service", "补偿 3 天"). The value is the atom's."""
    found: list[_Found] = []
    for pattern in tables.patterns(kind):
        for match in pattern.finditer(masked):
            start, end = _span(match)
            inner = [a for a in atoms if start <= a.start and a.end <= end]
            candidate = _Found(kind, start, end, inner[-1].value if inner else None)
            if not any(_overlaps(candidate, f) for f in found):
                found.append(candidate)
    yield from found


def _words(masked: str, tables: _Tables) -> Iterator[_Found]:
    """Counts, names and products, read around the masked atoms."""
    for kind in ("count", "customer_name", "product"):
        for pattern in tables.patterns(kind):
            for match in pattern.finditer(masked):
                start, end = _span(match)
                if "\ue000" <= masked[start] <= "\ue006" and kind != "count":
                    continue
                value = _number(_group(match, "n"), tables) if kind == "count" else None
                yield _Found(kind, start, end, value if kind == "count" else None)


def _scopes(masked: str, tables: _Tables) -> Iterator[_Found]:
    """How wide: phrases of one, some, all or the whole world, read apart from the atoms."""
    for pack in (tables.common, tables.lang):
        for scope, patterns in pack.scope.items():
            for pattern in patterns:
                for match in pattern.finditer(masked):
                    yield _Found("scope", *_span(match), scope)


def _clauses(view: str, tables: _Tables, kind: str) -> Iterator[_Found]:
    """Why it happened (`cause`) or what was done (`fix_status`): the clause a cue stands in."""
    if kind == "cause":
        for pattern in tables.patterns("cause"):
            for match in pattern.finditer(view):
                yield _Found("cause", *_clause(view, match, tables))
        return
    for pack in (tables.common, tables.lang):
        for status, patterns in pack.fix_status.items():
            for pattern in patterns:
                for match in pattern.finditer(view):
                    yield _Found("fix_status", *_clause(view, match, tables), status)


def _clause(view: str, match: re.Match[str], tables: _Tables) -> tuple[int, int]:
    """The span a clause cue means: its `fact` group, from its `tail` group to the clause end,
    or the whole clause around the match."""
    if "fact" in match.re.groupindex and match.group("fact") is not None:
        return match.span("fact")
    if "tail" in match.re.groupindex and match.group("tail") is not None:
        return match.start("tail"), _clause_end(view, match.end(), tables)
    return _clause_start(view, match.start(), tables), _clause_end(view, match.end(), tables)


def _clause_end(view: str, at: int, tables: _Tables) -> int:
    ends = [m.start() for p in tables.lang.clause_end + tables.common.clause_end
            if (m := p.search(view, at))]
    return min(ends, default=len(view))


def _clause_start(view: str, at: int, tables: _Tables) -> int:
    starts = [m.end() for p in tables.lang.clause_start + tables.common.clause_start
              for m in p.finditer(view, 0, at)]
    return max(starts, default=0)


def _joined_value(inner: list[_Found]) -> Any:
    """The value of atoms one span joins: durations side by side add up ("2 hours 40 minutes",
    "4 horas y 36 minutos"); otherwise the first's ("5 to 7 days" is about its first)."""
    values = [a.value for a in inner]
    if len(values) > 1 and all(a.kind == "duration" for a in inner) and all(
            isinstance(v, money.Quantity) and not v.is_money for v in values):
        units = [money.MINUTES_IN[v.unit] for v in values]
        if units == sorted(units, reverse=True) and len(set(units)) == len(units):
            return money.duration(sum(v.amount * u for v, u in zip(values, units, strict=True)))
    return values[0]


def _widen(view: str, atoms: list[_Found], tables: _Tables) -> list[_Found]:
    """An atom with the words that belong to it: "up to 48 hours", "5 to 7 days", "€3–€9";
    atoms one pattern spans become one (the first's kind and value; a range of money has none)."""
    masked = _mask(view, atoms)
    for pattern in tables.common.widen + tables.lang.widen:
        for match in pattern.finditer(masked):
            start, end = _span(match)
            inner = sorted((a for a in atoms if start <= a.start and a.end <= end),
                           key=lambda a: a.start)
            if not inner or any(_overlaps(a, _Found("", start, end)) and a not in inner
                                for a in atoms):
                continue
            atoms = [a for a in atoms if a not in inner]
            value = _joined_value(inner)
            if inner[0].kind == "money" and len(inner) + len(_BARE_NUMBER.findall(
                    masked[start:end])) > 1:
                value = None  # "€3–€9", "da 6 a 14 €": a range is no one amount to refund
            atoms.append(_Found(inner[0].kind, start, end, value))
        masked = _mask(view, atoms)
    return atoms


_BARE_NUMBER = re.compile(r"\d+")
