"""Money and time as people write them: the one reader for `--loss`, `--max-compensation`, facts,
incident text and drafts under check, and the one writer of amounts in the customer's locale.

Which library does what:
- price-parser reads the number of an amount, whatever its grouping and decimal marks
  (`2,400`, `2.400,50`, `1 200` with a plain, non-breaking or thin space, `14,90`);
- babel knows the ISO 4217 codes (`RUB 3000`, `CNY 688`) and writes an amount back in the
  customer's locale (`$2,400` in English, `2.400 USD` in Italian, `2 400 $` in Russian);
- number-parser (en, es, ru) and text2num (it, de, es, en) read spelled-out numbers
  ("three hours", "tre giorni", "три часа"); Chinese numerals (三个半小时) are read here,
  because neither library reads them.
The marks and words themselves (currency symbols and names, time units) are the tables below; a
regex only finds where a number stands next to one of them. Heavy imports wait for a match, so
text without amounts costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

TIME_UNITS: tuple[str, ...] = ("minutes", "hours", "days")

# Currency marks and names a person writes, lower-cased, to ISO 4217. Longer marks first in the
# pattern, so "R$" and "US$" are not read as "$".
CURRENCY_MARKS: dict[str, str] = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "евро": "EUR", "欧元": "EUR",
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "dollari": "USD",
    "dollaro": "USD", "dólar": "USD", "dólares": "USD", "доллар": "USD", "доллара": "USD",
    "долларов": "USD", "美元": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "sterline": "GBP",
    "libras": "GBP", "фунт": "GBP", "фунта": "GBP", "фунтов": "GBP", "英镑": "GBP",
    "₽": "RUB", "rub": "RUB", "руб": "RUB", "руб.": "RUB", "рубль": "RUB", "рубля": "RUB",
    "рублей": "RUB", "р.": "RUB", "rubli": "RUB", "rublos": "RUB", "卢布": "RUB",
    "¥": "CNY", "cn¥": "CNY", "元": "CNY", "块": "CNY", "块钱": "CNY", "人民币": "CNY",
    "yuan": "CNY", "rmb": "CNY", "cny": "CNY",
    "r$": "BRL", "brl": "BRL", "reais": "BRL",
    "a$": "AUD", "c$": "CAD", "hk$": "HKD", "₹": "INR", "₩": "KRW", "chf": "CHF",
}
# Time-unit words in the supported languages, lower-cased, to minutes/hours/days.
TIME_WORDS: dict[str, str] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "minuto", "minuti", "minutos",
                     "minuten", "минута", "минуты", "минут", "мин", "мин.", "分钟", "分"),
                    "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "ora", "ore", "hora", "horas", "stunde",
                     "stunden", "std", "std.", "час", "часа", "часов", "ч", "ч.", "小时", "个小时",
                     "钟头", "个钟头"), "hours"),
    **dict.fromkeys(("d", "day", "days", "giorno", "giorni", "día", "dia", "días", "dias", "tag",
                     "tage", "tagen", "день", "дня", "дней", "сутки", "суток", "天", "日"), "days"),
    **dict.fromkeys(("working day", "working days", "business day", "business days",
                     "giorni lavorativi", "días laborables", "días hábiles", "arbeitstage",
                     "рабочих дня", "рабочих дней", "个工作日", "工作日"), "days"),
}
ACCEPTED_FORMS = ("'120 EUR', 'USD 2,400', '2.400,50 €', '£86', '688元', '3 490 руб.', "
                  "'3 hours', '2 giorni', '3,5 часа', '3小时'")

_SPACE = "[ \u00a0\u2009\u202f]"
_NUMBER = (rf"\d{{1,3}}(?:(?:{_SPACE}|[.,'’])\d{{3}})+(?:[.,]\d{{1,2}})?(?![\d])"
           r"|\d+(?:[.,]\d+)?")
_SUFFIX = r"(?:\s?(?P<mult>[kK]|[mM](?![a-zа-я])|mln|млн|тыс\.?|万|千))?"


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MARKS = _alternatives(CURRENCY_MARKS)
_LATIN_CYRILLIC = "A-Za-zÀ-ÿА-Яа-яЁё"  # word edges for marks; CJK text has no spaces to need them
# Regex sources for other modules' patterns (the injection guard, redaction): a currency mark,
# and an amount with its mark before or after.
CURRENCY_MARK = rf"(?:{_MARKS})"
AMOUNT = rf"(?:{CURRENCY_MARK}{_SPACE}?\d[\d.,]*|\d[\d.,\s]*\s?(?:{_MARKS}|%))"
_MONEY_BEFORE = re.compile(
    rf"(?<![{_LATIN_CYRILLIC}\d$€£¥₽])(?P<cur>{_MARKS}|[A-Z]{{3}}){_SPACE}?(?P<num>{_NUMBER})"
    rf"{_SUFFIX}"
    r"(?![\d])", re.IGNORECASE)
_MONEY_AFTER = re.compile(
    rf"(?<![\d.,])(?P<num>{_NUMBER}){_SUFFIX}{_SPACE}?(?P<cur>{_MARKS}|[A-Z]{{3}})"
    rf"(?![{_LATIN_CYRILLIC}])", re.IGNORECASE)
_TIME = re.compile(
    rf"(?<![\d.,])(?P<num>{_NUMBER}){_SPACE}?(?P<unit>{_alternatives(TIME_WORDS)})(?![^\W\d_])",
    re.IGNORECASE)
# "2h32m", "1h 30min": hours and minutes written together.
_HOURS_MINUTES = re.compile(r"(?<![\w.,])(?P<h>\d+)\s?h\s?(?P<m>\d{1,2})\s?(?:m|min)\b",
                            re.IGNORECASE)
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_TIME = re.compile(r"(?P<num>[零〇一二两俩三四五六七八九十百千]+)(?P<half>个半|半)?个?"
                      r"(?P<unit>小时|钟头|分钟|天|工作日)(?P<half2>半)?")
_MULTIPLIERS = {"k": 1000, "m": 1_000_000, "mln": 1_000_000, "млн": 1_000_000, "тыс": 1000,
                "тыс.": 1000, "万": 10_000, "千": 1000}


class MoneyError(ValueError):
    """A value that is not an amount of money or time; the message names the accepted forms."""


@dataclass(frozen=True)
class Quantity:
    """An amount of money (ISO 4217 `unit`) or of time (`minutes`, `hours` or `days`)."""

    amount: Decimal
    unit: str

    @property
    def is_money(self) -> bool:
        return self.unit not in TIME_UNITS

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True)
class Found:
    """A quantity found in a text, with where it stands (for evidence and for masking)."""

    quantity: Quantity
    start: int
    end: int
    text: str


def read_number(raw: str) -> Decimal | None:
    """The number in `2,400`, `2.400,50`, `1 200`, `14,90` (price-parser decides the marks)."""
    from price_parser import Price

    amount = Price.fromstring(raw.strip()).amount
    return Decimal(amount) if amount is not None else None


@cache
def _iso_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def currency_code(mark: str) -> str | None:
    """ISO 4217 for a symbol, a name in one of the languages, or a code babel knows."""
    lowered = mark.strip().lower()
    if lowered in CURRENCY_MARKS:
        return CURRENCY_MARKS[lowered]
    upper = mark.strip().upper()
    return upper if len(upper) == 3 and upper.isalpha() and upper in _iso_codes() else None


def find_money(text: str) -> list[Found]:
    """Every amount of money in a text, in order; a bare number is not money."""
    found: list[Found] = []
    for regex in (_MONEY_BEFORE, _MONEY_AFTER):
        for match in regex.finditer(text):
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            mark = match.group("cur")
            # A code must be written as one (EUR, not "eur" inside a sentence) unless it is a
            # known mark; `[A-Z]{3}` matched case-insensitively would take any word.
            if mark.lower() not in CURRENCY_MARKS and not mark.isupper():
                continue
            code = currency_code(mark)
            amount = _amount(match.group("num"), match.group("mult"))
            if code and amount is not None and amount > 0:
                found.append(Found(Quantity(amount, code), match.start(), match.end(),
                                   match.group(0)))
    return sorted(found, key=lambda f: f.start)


def find_durations(text: str) -> list[Found]:
    """Every stretch of time in a text: `12 minutes`, `6 horas`, `3,5 часа`, `2h32m`,
    `三个半小时`, and spelled-out numbers (`three days`, `tre giorni`)."""
    found: list[Found] = []

    def add(quantity: Quantity, start: int, end: int) -> None:
        if not any(f.start < end and start < f.end for f in found):
            found.append(Found(quantity, start, end, text[start:end]))

    for match in _HOURS_MINUTES.finditer(text):
        hours = Decimal(match.group("h")) + Decimal(match.group("m")) / 60
        add(Quantity(hours.quantize(Decimal("0.01")).normalize(), "hours"), *match.span())
    for match in _TIME.finditer(text):
        amount = read_number(match.group("num"))
        if amount is not None and amount > 0:
            add(Quantity(amount, TIME_WORDS[match.group("unit").lower()]), *match.span())
    for match in _ZH_TIME.finditer(text):
        number = chinese_number(match.group("num"))
        if number is None:
            continue
        half = Decimal("0.5") if match.group("half") or match.group("half2") else Decimal(0)
        unit = TIME_WORDS[match.group("unit")]
        add(Quantity(Decimal(number) + half, unit), *match.span())
    for quantity, start, end in _spelled_durations(text):
        add(quantity, start, end)
    return sorted(found, key=lambda f: f.start)


def parse_quantity(text: str) -> Quantity:
    """One amount of money or time, the whole value (`--loss`, `--max-compensation`, a fact).

    Words after the quantity are the lead's own ("2 giorni di lavoro"); an ISO code in any case
    is accepted here, since the whole value is meant as an amount.
    """
    raw = " ".join(str(text).split())
    if not raw:
        raise MoneyError(f"empty amount: write one like {ACCEPTED_FORMS}")
    code_first = re.fullmatch(r"([A-Za-z]{3})\s?(\d[\d\s.,\u00a0\u2009\u202f]*)", raw)
    if code_first and currency_code(code_first.group(1)):
        amount = read_number(code_first.group(2))
        if amount is not None:
            return _positive(Quantity(amount, currency_code(code_first.group(1)) or ""), text)
    for finder in (find_money, find_durations):
        hits = finder(raw)
        if hits and hits[0].start == 0:
            return _positive(hits[0].quantity, text)
    lowered = raw.lower()
    number = re.match(rf"({_NUMBER})\s?([A-Za-z]{{3}})\b", raw)
    if number and currency_code(number.group(2)):
        amount = read_number(number.group(1))
        if amount is not None:
            return _positive(Quantity(amount, currency_code(number.group(2)) or ""), text)
    unit = re.match(rf"{_NUMBER}\s?([^\W\d_]+)", lowered)
    if unit and unit.group(1) not in TIME_WORDS and currency_code(unit.group(1)) is None:
        raise MoneyError(f"unknown unit {unit.group(1)!r} in {text!r}: use a currency "
                         f"(EUR, USD, €, руб., 元) or minutes/hours/days, e.g. {ACCEPTED_FORMS}")
    raise MoneyError(f"cannot read {text!r}: write an amount and a currency or time unit, "
                     f"e.g. {ACCEPTED_FORMS}")


def format_money(amount: Decimal, currency: str, lang: str) -> str:
    """An amount as a customer in `lang` writes it: `$2,400`, `2.400 USD`, `2 400 $`, `¥899`.

    Whole amounts lose their cents; others keep two decimals.
    """
    from babel.numbers import format_currency

    whole = amount == amount.to_integral_value()
    pattern = None
    if whole:
        from babel import Locale

        pattern = Locale.parse(_locale(lang)).currency_formats["standard"].pattern
        pattern = pattern.replace(".00", "").replace(",00", "")
    text = format_currency(amount, currency, format=pattern, locale=_locale(lang),
                           currency_digits=not whole)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"^([A-Z]{2,3})(?=\d)", r"\1 ", text)  # "RUB 3,490", not "RUB3,490"


def format_number(amount: Decimal, lang: str) -> str:
    """A plain number in the customer's locale: `3.5` in English, `3,5` in Italian."""
    from babel.numbers import format_decimal

    return format_decimal(amount, locale=_locale(lang)).replace("\u00a0", " ").replace(
        "\u202f", " ")


def _locale(lang: str) -> str:
    return {"zh": "zh_Hans_CN"}.get(lang, lang)


def _amount(number: str, multiplier: str | None) -> Decimal | None:
    amount = read_number(number)
    if amount is None:
        return None
    if multiplier:
        amount *= _MULTIPLIERS[multiplier.lower()]
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def _positive(quantity: Quantity, text: str) -> Quantity:
    if quantity.amount <= 0:
        raise MoneyError(f"the amount must be positive, got {text!r}")
    return quantity


def chinese_number(text: str) -> int | None:
    """十二 -> 12, 两 -> 2, 一百五十 -> 150; None for what is not a Chinese numeral."""
    total, current = 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for char in text:
        if char in _ZH_DIGITS:
            current = _ZH_DIGITS[char]
        elif char in units:
            total += (current or 1) * units[char]
            current = 0
        else:
            return None
    return total + current


# Spelled-out numbers before a time unit: the words are read by number-parser / text2num.
_SPELLED_UNITS = _alternatives(w for w in TIME_WORDS if len(w) > 2 or not w.isascii())
_WORD_BEFORE_UNIT = re.compile(
    rf"(?P<words>(?:[^\W\d_]+[ -]){{1,4}})(?P<unit>{_SPELLED_UNITS})(?![^\W\d_])", re.IGNORECASE)
_HALF = re.compile(r"\s*(and a half|e mezz[oa]|y media|с половиной|und ein halb)\b",
                   re.IGNORECASE)


def _spelled_durations(text: str):
    """(Quantity, start, end) for "three days", "tre giorni e mezzo", "три часа"."""
    for match in _WORD_BEFORE_UNIT.finditer(text):
        words = list(re.finditer(r"[^\W\d_]+", match.group("words")))
        for first in range(len(words)):  # the longest run of words that is a number
            number = _spelled_number(" ".join(w.group(0) for w in words[first:]))
            if number is None:
                continue
            half = _HALF.match(text, match.end())
            amount = Decimal(number) + (Decimal("0.5") if half else 0)
            end = half.end() if half else match.end()
            unit = TIME_WORDS[match.group("unit").lower()]
            yield Quantity(amount, unit), match.start("words") + words[first].start(), end
            break


@cache
def _spelled_number(phrase: str) -> int | None:
    """A whole number written in words, in en/it/es/ru/de; None when the words are not one."""
    lowered = phrase.lower().strip()
    if lowered in ("a", "an", "un", "una", "uno", "ein", "eine", "einen"):
        return None  # "a day" is not a count a lead gave
    from number_parser import parse_number
    from text_to_num import text2num

    for lang in ("en", "es", "ru"):
        try:
            value = parse_number(lowered, language=lang)
        except Exception:  # noqa: BLE001 - the library raises several types for non-numbers
            value = None
        if isinstance(value, int) and value > 0:
            return value
    for lang in ("it", "de", "es", "en"):
        try:
            value = text2num(lowered, lang)
        except (ValueError, KeyError):
            continue
        if isinstance(value, int) and value > 0:
            return value
    return None
