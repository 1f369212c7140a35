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

from composer.language.detect import LANGUAGES

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
    "¥": "CNY", "cn¥": "CNY", "元": "CNY", "块钱": "CNY", "人民币": "CNY", "yuan": "CNY",
    "rmb": "CNY", "cny": "CNY", "日元": "JPY", "港元": "HKD", "港币": "HKD", "韩元": "KRW",
    "r$": "BRL", "brl": "BRL", "reais": "BRL",
    "a$": "AUD", "c$": "CAD", "hk$": "HKD", "₹": "INR", "₩": "KRW", "chf": "CHF",
}
# Marks written before an amount only ("$5", "EUR 5"): what redaction looks for left of a number.
MARKS_BEFORE = ("€", "$", "£", "¥", "₽", "us$", "cn¥", "r$", "a$", "c$", "hk$", "₹", "₩")
# ISO codes read in free text when written in capitals ("GBP 86"). Codes that are also English
# words (ALL, TRY, CUP, AMD, TOP...) and X-codes stay out; a whole `--loss` value takes any code
# babel knows.
TEXT_CODES = frozenset({
    "EUR", "USD", "GBP", "RUB", "CNY", "JPY", "CHF", "CAD", "AUD", "NZD", "BRL", "INR", "KRW",
    "HKD", "SGD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "MXN", "ARS", "CLP",
    "COP", "PEN", "ZAR", "ILS", "AED", "SAR", "TWD", "THB", "MYR", "IDR", "PHP", "VND", "UAH",
    "KZT", "RMB",
})
# Time-unit words in the supported languages, lower-cased, to minutes/hours/days. Single
# letters (3h, 5m, 2d) are read only lower-case and glued to the number.
TIME_WORDS: dict[str, str] = {
    **dict.fromkeys(("min", "mins", "minute", "minutes", "minuto", "minuti", "minutos",
                     "minuten", "минута", "минуты", "минут", "мин", "мин.", "分钟"), "minutes"),
    **dict.fromkeys(("hr", "hrs", "hour", "hours", "ora", "ore", "hora", "horas", "stunde",
                     "stunden", "std", "std.", "час", "часа", "часов", "ч.", "小时", "个小时",
                     "钟头", "个钟头"), "hours"),
    **dict.fromkeys(("day", "days", "giorno", "giorni", "día", "dia", "días", "dias", "tag",
                     "tage", "tagen", "день", "дня", "дней", "сутки", "суток", "天"), "days"),
    **dict.fromkeys(("week", "weeks", "settimana", "settimane", "semana", "semanas", "woche",
                     "wochen", "неделя", "недели", "недель", "неделю", "周", "个星期", "星期"),
                    "weeks"),
    **dict.fromkeys(("working day", "working days", "business day", "business days",
                     "giorni lavorativi", "días laborables", "días hábiles", "arbeitstage",
                     "рабочих дня", "рабочих дней", "个工作日", "工作日"), "days"),
}
_LETTER_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_DAYS_IN = {"weeks": 7}  # a week lost is read as the days it holds
# Half hours and one and a half, as words (no digit to read).
HALF_HOURS: dict[str, Decimal] = {
    "half an hour": Decimal("0.5"), "half hour": Decimal("0.5"), "mezz'ora": Decimal("0.5"),
    "mezz’ora": Decimal("0.5"), "mezzora": Decimal("0.5"), "media hora": Decimal("0.5"),
    "полчаса": Decimal("0.5"), "полтора часа": Decimal("1.5"), "eine halbe stunde":
    Decimal("0.5"), "半小时": Decimal("0.5"), "半个小时": Decimal("0.5"),
    "一个半小时": Decimal("1.5"),
}
ACCEPTED_FORMS = ("'120 EUR', 'USD 2,400', '2.400,50 €', '£86', '688元', '3 490 руб.', "
                  "'3 hours', '2 giorni', '3,5 часа', '3小时'")

_SPACE = "[ \u00a0\u2009\u202f]"
_GROUP = rf"(?:{_SPACE}|[.,'’])"
_NUMBER = (rf"[1-9]\d{{0,2}}(?:{_GROUP}\d{{3}})+(?:[.,]\d{{1,2}})?(?![\d])"
           r"|\d+(?:[.,]\d+)?")
_LATIN_CYRILLIC = "A-Za-zÀ-ÿА-Яа-яЁё"  # word edges for marks; CJK text has no spaces to need them
_EDGE = rf"(?![{_LATIN_CYRILLIC}])"
_MULTIPLIERS = {"k": 1000, "m": 1_000_000, "mln": 1_000_000, "million": 1_000_000,
                "millions": 1_000_000, "mio": 1_000_000, "mio.": 1_000_000,
                "milioni": 1_000_000, "millones": 1_000_000, "млн": 1_000_000,
                "миллион": 1_000_000, "миллиона": 1_000_000, "миллионов": 1_000_000,
                "тыс": 1000, "тыс.": 1000, "тысяч": 1000, "тысячи": 1000, "mila": 1000,
                "mil": 1000, "tausend": 1000, "万": 10_000, "千": 1000}
def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SUFFIX = (rf"(?:{_SPACE}?(?P<mult>(?i:"
           rf"{_alternatives(w for w in _MULTIPLIERS if w.isascii() or w[0] in 'мт')})"
           rf"{_EDGE}|万|千))?")
_MARKS = _alternatives(CURRENCY_MARKS)
_CODES = "|".join(sorted(TEXT_CODES))
# Regex sources for other modules' patterns (the injection guard, redaction): a mark written
# before an amount, one written after it, and an amount with either.
_PREFIX_ONLY = ("us$", "cn¥", "r$", "a$", "c$", "hk$")
CURRENCY_AFTER = rf"(?:{_alternatives(m for m in CURRENCY_MARKS if m not in _PREFIX_ONLY)}){_EDGE}"
CURRENCY_BEFORE = rf"(?:(?<![{_LATIN_CYRILLIC}])(?:{_alternatives(MARKS_BEFORE)}|{_CODES}))"
AMOUNT = (rf"(?:{CURRENCY_BEFORE}{_SPACE}?\d[\d.,]*|\d[\d.,\s]*\s?(?:{CURRENCY_AFTER}|%))")
_MONEY_BEFORE = re.compile(
    rf"(?<![{_LATIN_CYRILLIC}\d$€£¥₽])(?P<cur>(?i:{_alternatives(MARKS_BEFORE)})|{_CODES}|人民币)"
    rf"{_SPACE}?"
    rf"(?P<num>{_NUMBER}){_SUFFIX}(?![\d])")
_MONEY_AFTER = re.compile(
    rf"(?<![\d.,])(?P<num>{_NUMBER}){_SUFFIX}{_SPACE}?(?P<cur>(?i:{_MARKS})|{_CODES}){_EDGE}"
    r"(?!块)")
_TIME = re.compile(
    rf"(?<![\d.,])(?<!第)(?P<num>{_NUMBER})(?:{_SPACE}?(?P<unit>(?i:{_alternatives(TIME_WORDS)}))"
    rf"|(?P<letter>[mhd])){_EDGE}")
# "2h32m", "1h 30min": hours and minutes written together.
_HOURS_MINUTES = re.compile(r"(?<![\w.,])(?P<h>\d+)\s?h\s?(?P<m>\d{1,2})\s?(?:m|min)\b")
_DIGIT_HALF = re.compile(r"\s*(?:and a half|e mezz[oa]|y medi[oa]|с половиной|und ein halb)\b",
                         re.IGNORECASE)
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_TIME = re.compile(r"(?<!第)(?P<num>[零〇一二两俩三四五六七八九十百千]+)(?P<half>个半|半)?个?"
                      r"(?P<unit>小时|钟头|分钟|天|工作日|周|星期)(?P<half2>半)?")
_HALF_WORDS = re.compile(rf"(?<![{_LATIN_CYRILLIC}])(?:{_alternatives(HALF_HOURS)}){_EDGE}",
                         re.IGNORECASE)


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
    """The number in `2,400`, `2.400,50`, `1 200`, `2’400`, `14,90`: spaces and apostrophes
    only group digits; price-parser decides what a point or a comma is."""
    from price_parser import Price

    cleaned = re.sub(r"[ \u00a0\u2009\u202f'’]", "", raw.strip())
    if re.fullmatch(r"0[.,]\d+", cleaned):  # 0.150 is a fraction: 0 never leads a group
        return Decimal(cleaned.replace(",", "."))
    amount = Price.fromstring(cleaned).amount
    return Decimal(amount) if amount is not None else None


@cache
def _iso_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def currency_code(mark: str, any_code: bool = False) -> str | None:
    """ISO 4217 for a symbol or a name in one of the languages, or a code: one of the common
    ones, or (`any_code`, for a whole value like `--loss`) any code babel knows."""
    lowered = mark.strip().lower()
    if lowered in CURRENCY_MARKS:
        return CURRENCY_MARKS[lowered]
    upper = mark.strip().upper()
    if upper in TEXT_CODES:
        return upper
    known = any_code and len(upper) == 3 and upper.isalpha() and not upper.startswith("X")
    return upper if known and upper in _iso_codes() else None


def find_money(text: str) -> list[Found]:
    """Every amount of money in a text, in order; a bare number is not money."""
    found: list[Found] = []
    for regex in (_MONEY_BEFORE, _MONEY_AFTER):
        for match in regex.finditer(text):
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            code = currency_code(match.group("cur"))
            amount = _amount(match.group("num"), match.group("mult"))
            if code and amount is not None and amount > 0:
                found.append(Found(Quantity(amount, code), match.start(), match.end(),
                                   match.group(0)))
    return sorted(found, key=lambda f: f.start)


def find_durations(text: str) -> list[Found]:
    """Every stretch of time in a text: `12 minutes`, `6 horas`, `3,5 часа`, `2h32m`, `3h`,
    `三个半小时`, `полчаса`, `2 giorni e mezzo`, and spelled-out numbers (`three days`)."""
    found: list[Found] = []

    def add(quantity: Quantity, start: int, end: int) -> None:
        if quantity.unit in _DAYS_IN:
            quantity = Quantity(quantity.amount * _DAYS_IN[quantity.unit], "days")
        if not any(f.start < end and start < f.end for f in found):
            found.append(Found(quantity, start, end, text[start:end]))

    for match in _HOURS_MINUTES.finditer(text):
        minutes = Decimal(match.group("h")) * 60 + Decimal(match.group("m"))
        add(duration(minutes), *match.span())
    for match in _TIME.finditer(text):
        amount = read_number(match.group("num"))
        if amount is None or amount <= 0:
            continue
        unit = (TIME_WORDS[match.group("unit").lower()] if match.group("unit")
                else _LETTER_UNITS[match.group("letter")])
        end = match.end()
        half = _DIGIT_HALF.match(text, end)
        if half and amount == amount.to_integral_value():
            amount, end = amount + Decimal("0.5"), half.end()
        add(Quantity(amount, unit), match.start(), end)
    for match in _ZH_TIME.finditer(text):
        number = chinese_number(match.group("num"))
        if number is None:
            continue
        half = Decimal("0.5") if match.group("half") or match.group("half2") else Decimal(0)
        unit = TIME_WORDS[match.group("unit")]
        add(Quantity(Decimal(number) + half, unit), *match.span())
    for match in _HALF_WORDS.finditer(text):
        add(Quantity(HALF_HOURS[match.group(0).lower()], "hours"), *match.span())
    for quantity, start, end in _spelled_durations(text):
        add(quantity, start, end)
    return sorted(found, key=lambda f: f.start)


def parse_quantity(text: str) -> Quantity:
    """One amount of money or time, the whole value (`--loss`, `--max-compensation`, a fact).

    Words after the quantity are the lead's own ("2 giorni di lavoro"); durations in a row add
    up ("2 hours 30 minutes"); any ISO code babel knows is accepted, in any case.
    """
    raw = " ".join(str(text).split())
    if not raw:
        raise MoneyError(f"empty amount: write one like {ACCEPTED_FORMS}")
    code_first = re.fullmatch(rf"([A-Za-z]{{3}})\s?({_NUMBER})", raw)
    code_last = re.fullmatch(rf"({_NUMBER})\s?([A-Za-z]{{3}})(?:\s.*)?", raw)
    for number, mark in ((code_first.group(2), code_first.group(1)) if code_first else ("", ""),
                         (code_last.group(1), code_last.group(2)) if code_last else ("", "")):
        code = currency_code(mark, any_code=True) if mark else None
        amount = read_number(number) if code else None
        if code and amount is not None:
            return _positive(Quantity(amount, code), text)
    money = find_money(raw)
    if money and money[0].start == 0 and _clean_end(raw, money[0].end):
        return _positive(money[0].quantity, text)
    durations = find_durations(raw)
    if durations and durations[0].start == 0:
        total, end = _sum_in_a_row(raw, durations)
        if _clean_end(raw, end):
            return _positive(total, text)
    unit = re.match(rf"{_NUMBER}\s?([^\W\d_]+)", raw.lower())
    if unit and unit.group(1) not in TIME_WORDS and currency_code(unit.group(1), True) is None:
        raise MoneyError(f"unknown unit {unit.group(1)!r} in {text!r}: use a currency "
                         f"(EUR, USD, €, руб., 元) or minutes/hours/days, e.g. {ACCEPTED_FORMS}")
    raise MoneyError(f"cannot read {text!r}: write an amount and a currency or time unit, "
                     f"e.g. {ACCEPTED_FORMS}")


def _clean_end(raw: str, end: int) -> bool:
    """What follows a quantity is nothing or the lead's words, never more digits ("EUR 12 34",
    "EUR 1e3")."""
    rest = raw[end:]
    return not rest or (rest[0] in " ,;(" and not re.match(r"[\s,;(]*\d", rest))


_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400}


def _sum_in_a_row(raw: str, durations: list[Found]) -> tuple[Quantity, int]:
    """`2 hours 30 minutes` is 2.5 hours: durations separated only by spaces or "and" add up,
    in the unit of the first."""
    first, total, end = durations[0], durations[0].quantity.amount, durations[0].end
    unit = first.quantity.unit
    for nxt in durations[1:]:
        if not re.fullmatch(r"[\s,]*(?:and|e|y|и|und)?\s*", raw[end:nxt.start]):
            break
        seconds = nxt.quantity.amount * _SECONDS[nxt.quantity.unit]
        total += seconds / _SECONDS[unit]
        end = nxt.end
    if total != total.to_integral_value():
        total = total.quantize(Decimal("0.01")).normalize()
    return Quantity(total, unit), end


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


def format_duration(amount: Decimal, unit: str, lang: str) -> str:
    """A length of time as a customer in `lang` writes it, with the language's plural: `6 часов`,
    `2 недели`, `3,5 ore`, `10 Tage`, `2 hours, 40 minutes`. Whole weeks (from 14 days) read as
    weeks: the reader keeps weeks as days."""
    from babel.units import format_unit

    minutes = amount * MINUTES_IN[unit]
    if unit != "days" and minutes > 60 and minutes % 30 and minutes == int(minutes):
        # 160 minutes or 2.67 hours: as the customer says it, hours and minutes
        hours, rest = divmod(int(minutes), 60)
        return _units([(Decimal(hours), "duration-hour"), (Decimal(rest), "duration-minute")],
                      lang)
    name = {"minutes": "duration-minute", "hours": "duration-hour", "days": "duration-day"}[unit]
    if unit == "days" and amount >= 14 and amount % 7 == 0:
        name, amount = "duration-week", amount / 7
    text = format_unit(amount, name, locale=_locale(lang))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


MINUTES_IN = {"minutes": 1, "hours": 60, "days": 1440}


def _units(parts: list[tuple[Decimal, str]], lang: str) -> str:
    """`2 hours, 40 minutes`, `2 Stunden, 40 Minuten`, `2小时40分钟`: units the locale lists."""
    from babel.lists import format_list
    from babel.units import format_unit

    locale = _locale(lang)
    items = [format_unit(n, name, locale=locale).replace("\u00a0", " ").replace("\u202f", " ")
             for n, name in parts if n]
    try:
        return format_list(items, style="unit", locale=locale)
    except (KeyError, ValueError):  # a locale without unit lists
        pack = LANGUAGES.get(lang)
        return (" " if pack is None or pack.spaced else "").join(items)


def duration(minutes: Decimal) -> Quantity:
    """A length of time in its plainest unit: whole days as days, whole hours as hours, else
    minutes (so "2 hours 40 minutes" keeps its minutes)."""
    if minutes >= 1440 and minutes % 1440 == 0:
        return Quantity(_plain(minutes / 1440), "days")
    if minutes % 60 == 0 or minutes % 30 == 0 and minutes > 60:
        return Quantity(_plain(minutes / 60), "hours")
    return Quantity(_plain(minutes), "minutes")


def _plain(number: Decimal) -> Decimal:
    """12, not 1.2E+1."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else \
        number.normalize()


def _locale(lang: str) -> str:
    """The babel locale of `lang` (its language.yaml says; zh is zh_Hans_CN), else the code."""
    pack = LANGUAGES.get(lang)
    return pack.locale if pack is not None else lang


def _amount(number: str, multiplier: str | None) -> Decimal | None:
    if multiplier and re.fullmatch(r"\d+[.,]\d+", number):  # $1.250k, 1,5 млн: a decimal
        number = number.replace(",", ".")
        amount: Decimal | None = Decimal(number)
    else:
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


_HALF_BEFORE = re.compile(r"\s(?:and a half|e mezz[oa]|y medi[oa]|с половиной|und ein halb)[ -]$",
                          re.IGNORECASE)


def _spelled_durations(text: str):
    """(Quantity, start, end) for "three days", "tre giorni e mezzo", "три часа"."""
    for match in _WORD_BEFORE_UNIT.finditer(text):
        words = list(re.finditer(r"[^\W\d_]+", match.group("words")))
        half_before = _HALF_BEFORE.search(match.group("words"))
        if half_before:  # "two and a half hours"
            words = [w for w in words if w.start() < half_before.start()]
        for first in range(len(words)):  # the longest run of words that is a number
            number = spelled_number(" ".join(w.group(0) for w in words[first:]))
            if number is None:
                continue
            half = half_before or _HALF.match(text, match.end())
            amount = Decimal(number) + (Decimal("0.5") if half else 0)
            end = half.end() if half and not half_before else match.end()
            unit = TIME_WORDS[match.group("unit").lower()]
            yield Quantity(amount, unit), match.start("words") + words[first].start(), end
            break


_IT_NUMBER_ENDINGS = ("uno", "una", "due", "tre", "quattro", "cinque", "sei", "sette", "otto",
                      "nove", "dieci", "undici", "dodici", "tredici", "quattordici", "quindici",
                      "sedici", "diciassette", "diciotto", "diciannove", "venti", "trenta",
                      "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta",
                      "cento", "mille", "mila")


@cache
def spelled_number(phrase: str) -> int | None:
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
    if not re.fullmatch(r"[a-zàèéìíòóù' -]+", lowered):
        return None
    for lang in ("it", "de"):  # text2num, not number-parser, reads Italian and German
        if lang == "it" and not lowered.endswith(_IT_NUMBER_ENDINGS):
            continue  # it reads English ordinals ("second") as Italian ("secondo")
        try:
            value = text2num(lowered, lang)
        except (ValueError, KeyError):
            continue
        if isinstance(value, int) and value > 0:
            return value
    return None
