"""Keep customers' personal data on this machine: placeholders go out, real values come back.

Before a prompt leaves for a remote model, emails, phone numbers, IBANs, card numbers, labelled
account numbers, recognisable postal addresses and the customer's name become placeholders such
as `[EMAIL_1]`; the model's answer is restored with the real values. Detection is plain regular
expressions for en, it, es, ru and zh. In doubtful cases (amounts, dates, times, order ids) it
leaves text alone, so data with no recognisable shape (an unlabelled account number, a street
without a number) passes through: the redactor lowers exposure, it does not guarantee anonymity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from composer.backends.base import is_local
from composer.language.money import CURRENCY_AFTER, CURRENCY_BEFORE

KINDS: tuple[str, ...] = ("EMAIL", "PHONE", "IBAN", "CARD", "ACCOUNT", "ADDRESS", "NAME")

_MASK = "\x00"  # stands in for text already taken, so later detectors cannot reuse it
_CJK = r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef"
_LETTER = rf"[^\W\d_{_CJK}]"  # a letter of a spaced script (Latin, Cyrillic): word edges
_WORDCH = rf"[^\W{_CJK}]"  # a word character that is not CJK (CJK text has no spaces)
_Span = tuple[int, int, str]

# --- checksums ----------------------------------------------------------------------------------


def iban_ok(value: str) -> bool:
    """ISO 13616 mod-97: a random 'XX00…' string passes only 1 time in 97."""
    compact = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    rotated = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rotated)) % 97 == 1


def luhn_ok(digits: str) -> bool:
    """The card-number checksum; rules out 9 of 10 random digit strings."""
    if not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


# --- context tests shared by the number detectors -------------------------------------------------

# A number next to a currency mark is an amount, never an identifier (the money reader's marks).
_CURRENCY_BEFORE = re.compile(rf"(?:{CURRENCY_BEFORE}|\b(?:JPY|RMB))\s?$", re.I)
_CURRENCY_AFTER = re.compile(rf"^\s?(?:[%万]|{CURRENCY_AFTER})", re.I)
_DATE_INSIDE = re.compile(
    r"(?<!\d)(?:\d{4}([./-])\d{1,2}\1\d{1,2}|\d{1,2}([./-])\d{1,2}\2\d{2,4})(?!\d)"
)
_NOT_PHONE_LABEL = re.compile(
    r"(?i)(?:order|ticket|invoice|ref|tracking|case|ordine|fattura|pratica|pedido|factura|"
    r"заказ|накладн|订单|工单|单号|发票)[^\d\n]{0,20}$"
)
_PHONE_LABEL = re.compile(
    r"(?i)(?:tel|phone|mobile|cell|whatsapp|cellulare|telefono|tel[eé]fono|m[oó]vil|телефон|"
    r"тел|моб|电话|手机|联系方式)[^\d\n]{0,16}$"
)


def _money_or_time(masked: str, start: int, end: int) -> bool:
    """A number that is an amount, a decimal, a percentage or a clock time, not an identifier."""
    before, after = masked[max(0, start - 6):start], masked[end:end + 12]
    return bool(
        _CURRENCY_BEFORE.search(before)
        or _CURRENCY_AFTER.search(after)
        or re.match(r"[.,:]\d", after)
        or re.search(r"\d[.,:]$", before)
    )


# --- detectors: each yields (start, end) candidates in the masked text --------------------------

_EMAIL = re.compile(
    rf"(?<![.+%-])(?<!{_WORDCH})(?:{_WORDCH}|[.+%-])+@{_WORDCH}(?:{_WORDCH}|-)*"
    rf"(?:\.{_WORDCH}(?:{_WORDCH}|-)*)+"
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,34}")
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])\d+(?:[ -]\d+)*(?![0-9A-Za-z])")
_ACCOUNT = re.compile(
    rf"(?i)(?:(?<!{_LETTER})(?:account|acct|acc\.|a/c|routing|sort\s+code|aba|conto|c/c|cuenta|"
    r"ccc|сч[её]т\w*|р/с|л/с)|账户|账号|帐号|帐户|賬戶|賬號|户号)"
    r"[^\d\n;!?。；！？\x00]{0,24}?"
    r"(\d{4}(?: \d{4}){1,4}(?: \d{1,4})?|\d(?:-?\d){5,19})(?![0-9A-Za-z]|-\d)"
)
_PHONE = re.compile(
    r"(?<![0-9A-Za-z#№/_+\-])\+?\(?\d[\d \u00a0().\-]{5,24}\d(?![0-9A-Za-z_])"
)


def _emails(masked: str) -> Iterator[tuple[int, int]]:
    for m in _EMAIL.finditer(masked):
        yield m.span()


def _ibans(masked: str) -> Iterator[tuple[int, int]]:
    """The longest prefix that passes mod-97 (a match may run into a following code or word)."""
    for m in _IBAN.finditer(masked):
        tokens = m.group().split(" ")
        for k in range(len(tokens), 0, -1):
            if iban_ok("".join(tokens[:k])):
                yield m.start(), m.start() + len(" ".join(tokens[:k]))
                break


def _accounts(masked: str) -> Iterator[tuple[int, int]]:
    for m in _ACCOUNT.finditer(masked):
        start, end = m.span(1)
        digits = re.sub(r"\D", "", m.group(1))
        if 6 <= len(digits) <= 20 and not _DATE_INSIDE.search(m.group(1)) and not _money_or_time(
            masked, start, end
        ):
            yield start, end


def _cards(masked: str) -> Iterator[tuple[int, int]]:
    """The longest run of digit groups with 13-19 digits that passes Luhn."""
    for m in _DIGIT_RUN.finditer(masked):
        groups = [(g.start() + m.start(), g.end() + m.start()) for g in re.finditer(r"\d+", m[0])]
        best: tuple[int, int] | None = None
        for i in range(len(groups)):
            for j in range(i, len(groups)):
                start, end = groups[i][0], groups[j][1]
                digits = re.sub(r"\D", "", masked[start:end])
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and luhn_ok(digits) and (
                    best is None or end - start > best[1] - best[0]
                ):
                    best = (start, end)
        if best:
            yield best


def _phones(masked: str) -> Iterator[tuple[int, int]]:
    for m in _PHONE.finditer(masked):
        cand, start, end = m.group(), m.start(), m.end()
        digits = re.sub(r"\D", "", cand)
        plus = cand.startswith("+")
        before = masked[max(0, start - 30):start]
        if not 8 <= len(digits) <= (15 if plus else 12):
            continue
        if re.search(r"[.\-]{2}|\s{2}", cand) or _DATE_INSIDE.search(cand):
            continue
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cand) or _money_or_time(masked, start, end):
            continue  # 12.500.000 is an amount
        if all(re.fullmatch(r"(?:19|20)\d\d", g) for g in re.findall(r"\d+", cand)):
            continue  # "2023 2024" are years
        if not plus and _NOT_PHONE_LABEL.search(before):
            continue
        if (
            cand.isdigit()
            and not re.fullmatch(r"1[3-9]\d{9}", cand)  # a Chinese mobile number
            and not _PHONE_LABEL.search(before)
        ):
            continue  # a bare digit run is more often an order or customer number
        yield start, end


_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*"
_CITY = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’\-]+(?:\s[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’\-]+)?"
_UNIT = (
    r"(?:,?\s*(?:(?i:apt|apartment|suite|ste|flat|unit|interno|int\.|scala|piano|piso|puerta|"
    r"esc\.|escalera)\.?\s*[A-Za-z0-9]{1,4}|\d{1,2}\s?[º°ª]\s?[A-Z]?)(?![\w]))"
)
_TAIL = (
    rf"{_UNIT}*(?:,\s*(?:\d{{5}}\s+)?{_CITY}(?:\s*\([A-Z]{{2}}\))?"
    r"(?:,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?|,?\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})?"
    r"(?![0-9A-Za-z]))?"
)
_NUM = r"(?:n[º°o.]?\.?\s*)?\d{1,4}(?:\s?[A-Za-z](?![\w]))?(?:/[A-Za-z0-9]{1,4})?(?![\d%])"
_IT_PART = r"(?:di|del|della|dello|dei|degli|delle|de|da|d'|san|santa)"
_ES_PART = r"(?:de|del|la|las|los|el|y)"
_HAN = r"(?:(?![的了到在寄送往去来至把给于从是为和与及我你他她们址收请])[\u4e00-\u9fff])"
_ADDRESSES = [
    # 12 Baker Street, London NW1 6XE / 350 5th Avenue, New York, NY 10118
    rf"(?<![0-9A-Za-z])\d{{1,5}}[A-Za-z]?,?\s+(?:(?:{_CAP}|\d+(?:st|nd|rd|th))\s+){{1,3}}"
    r"(?i:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|place|pl|court|ct|"
    rf"square|sq|terrace|close|crescent|gardens|parkway|pkwy|highway|hwy|row|mews)\b\.?{_TAIL}",
    # Via Roma 15, 20121 Milano (MI) / Piazza dei Mille, 3
    r"(?<![\w])(?:(?i:viale|v\.le|piazza|p\.zza|p\.za|piazzale|corso|c\.so|largo|vicolo|strada|"
    r"contrada|lungomare|lungotevere|borgo)|Via|via(?=\s+[A-Z][a-zà-ù]))\s+"
    rf"(?:{_IT_PART}\s+){{0,2}}{_CAP}(?:\s+(?:{_CAP}|{_IT_PART})){{0,4}}?,?\s*{_NUM}{_TAIL}",
    # Calle Mayor 3, 28013 Madrid / C/ de Alcalá, 45, 2º B
    r"(?<![\w])(?i:calle|c/|avenida|avda\.|av\.|paseo|plaza|pza\.|camino|carrera|ronda|"
    rf"traves[ií]a|carretera|ctra\.|glorieta|rambla)\s*(?:{_ES_PART}\s+){{0,2}}{_CAP}"
    rf"(?:\s+(?:{_CAP}|{_ES_PART})){{0,4}}?,?\s*{_NUM}{_TAIL}",
    # 125009, г. Москва, ул. Тверская, д. 7, кв. 12
    r"(?:\d{6},?\s*)?(?:г\.\s*[А-ЯЁ][а-яё\-]+,?\s*)?(?<![А-Яа-яЁё])"
    r"(?i:ул\.|улица|пр-т|пр\.|просп\.|проспект|пер\.|переулок|ш\.|шоссе|наб\.|набережная|"
    r"пл\.|площадь|б-р|бульвар)\s*[А-ЯЁ0-9][\w.\-]*(?:\s+[А-ЯЁа-яё][\w.\-]*){0,2}?,?\s*"
    r"(?:(?:д\.|дом)\s*)?\d{1,4}[а-я]?(?![\d%])"
    r"(?:,?\s*(?:корп\.|корпус|к\.|стр\.|строение|кв\.|квартира|офис|оф\.)\s*\d+[а-я]?)*",
    # 北京市朝阳区建国路88号3号楼501室
    rf"(?:{_HAN}{{2,8}}?(?:省|自治区))?(?:{_HAN}{{1,8}}?(?:市|区|县|镇))*{_HAN}{{1,10}}?"
    r"(?:路|街|大道|道|巷|胡同|弄)[0-9０-９]{1,5}[号號](?:院)?"
    rf"(?:(?:[0-9０-９]{{1,4}}|{_HAN}){{1,8}}?(?:号楼|栋|幢|单元|层|楼|室))*",
]
_ADDRESS = re.compile("|".join(f"(?:{p})" for p in _ADDRESSES))


def _addresses(masked: str) -> Iterator[tuple[int, int]]:
    for m in _ADDRESS.finditer(masked):
        yield m.start(), m.end() - (len(m[0]) - len(m[0].rstrip(" ,")))


# --- names ----------------------------------------------------------------------------------------

_TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sig", "sig.ra", "sig.na", "signor", "signora",
    "signorina", "dott", "dott.ssa", "sr", "sra", "srta", "señor", "señora", "don", "doña",
    "г-н", "г-жа", "господин", "госпожа",
}
_RU_ENDINGS = (
    "(?:ого|его|ому|ему|ами|ями|ой|ей|ою|ею|ом|ем|ым|им|ых|их|ах|ях|а|я|у|ю|е|и|ы|ь|й|о)?"
)
_ZH_HONORIFICS = "女士|先生|小姐|老师|经理|总"


def _word_pattern(word: str) -> str:
    """A name word; Russian names also in their other cases (Анна: Анны, Анне, Анну, Анной)."""
    if re.fullmatch(r"[А-Яа-яЁё\-]{3,}", word):
        stem = word[:-1] if word[-1].lower() in "аяьйоеыи" and len(word) > 3 else word
        return re.sub("[её]", "[её]", re.escape(stem), flags=re.I) + _RU_ENDINGS
    return re.escape(word)


def _bounded(pattern: str, sample: str) -> str:
    """Word edges for spaced scripts; CJK text has none, so a CJK edge is left open."""
    lead = rf"(?<!{_LETTER})" if re.match(_LETTER, sample) else r"(?<![0-9A-Za-z])"
    tail = rf"(?!{_LETTER})" if re.match(_LETTER, sample[-1]) else r"(?![0-9A-Za-z])"
    if re.match(f"[{_CJK}]", sample):
        lead = ""
    if re.match(f"[{_CJK}]", sample[-1]):
        tail = ""
    return lead + pattern + tail


def _name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Full names first, then their parts, longest first."""
    full: set[str] = set()
    parts: set[str] = set()
    surnames: set[str] = set()
    for name in names:
        words = name.split()
        while words and words[0].lower().rstrip(".") in _TITLES:
            words = words[1:]
        if not words:
            continue
        full.add(" ".join(words))
        if len(words) > 1 or re.search(f"[{_CJK}]", name) is None:
            parts.update(p for w in words for p in w.split("-") if re.fullmatch(r"[^\W\d_]{3,}", p))
        if len(words) == 1 and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", words[0]):
            han = words[0]
            surnames.add(han[:2] if len(han) == 4 else han[0])
            if len(han) == 3:
                parts.add(han[1:])
    found: list[re.Pattern[str]] = []
    for name in sorted(full, key=len, reverse=True):
        body = r"[\s\u00a0]+".join(_word_pattern(w) for w in name.split())
        found.append(re.compile(_bounded(body, name), re.I))
    for part in sorted(parts - full, key=len, reverse=True):
        found.append(re.compile(_bounded(_word_pattern(part), part), re.I))
    for surname in surnames:
        found.append(re.compile(rf"{re.escape(surname)}(?={_ZH_HONORIFICS})"))
    return found


# --- the redactor ---------------------------------------------------------------------------------

_KIND_ALT = "|".join(KINDS)
_RESTORE_BRACKETED = re.compile(
    rf"(?:\\?[\[［【]){{1,2}}\s*({_KIND_ALT})\s*(?:\\?_|-|\s)?\s*(\d+)\s*(?:\\?[\]］】]){{1,2}}",
    re.I,
)
_RESTORE_BARE = re.compile(rf"(?<![0-9A-Za-z_])({_KIND_ALT})\\?_(\d+)(?![0-9A-Za-z_])")


class _Scan:
    """A text, the spans taken so far, and a copy with those spans blanked out."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = text
        self.spans: list[_Span] = []

    def take(self, found: Iterable[tuple[int, int]], kind: str) -> None:
        for start, end in found:
            if end > start and _MASK not in self.masked[start:end]:
                self.spans.append((start, end, kind))
                self.hide(start, end)

    def hide(self, start: int, end: int) -> None:
        self.masked = self.masked[:start] + _MASK * (end - start) + self.masked[end:]


@dataclass
class Redactor:
    """Replaces personal data with stable placeholders and puts it back.

    One instance per incident: the same value gets the same placeholder in every message, so
    the model sees a consistent story and `restore` can map its answer back.
    """

    names: tuple[str, ...] = field(default=(), repr=False)  # the customer's name(s)
    known: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (kind, value) pairs
    keep: tuple[str, ...] = ()  # never a name or address: the company, the sender
    _placeholders: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _counts: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.names, str):  # a lone string would otherwise be read letter by letter
            self.names = (self.names,)
        self.names = tuple(n.strip() for n in self.names if n and n.strip())
        self.keep = (self.keep,) if isinstance(self.keep, str) else self.keep
        for kind, _ in self.known:
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")

    @property
    def found(self) -> dict[str, str]:
        """Placeholder -> original value. Personal data: never log it."""
        return {ph: value for value, ph in self._placeholders.items()}

    def redact(self, text: str) -> str:
        """The text with personal data replaced; values seen before keep their placeholder."""
        if not text:
            return text
        scan = _Scan(text)
        scan.take(_emails(scan.masked), "EMAIL")
        scan.take(_ibans(scan.masked), "IBAN")
        for kind, value in self._literals():
            scan.take(_literal(scan.masked, value), kind)
        scan.take(_accounts(scan.masked), "ACCOUNT")
        scan.take(_cards(scan.masked), "CARD")
        scan.take(_phones(scan.masked), "PHONE")
        for kept in self.keep:
            for m in re.finditer(re.escape(kept), scan.masked, re.I) if kept.strip() else ():
                scan.hide(*m.span())
        scan.take(_addresses(scan.masked), "ADDRESS")
        for pattern in _name_patterns(self.names):
            scan.take(_name_hits(pattern, scan.masked), "NAME")
        seen = {text[start:end]: kind for start, end, kind in scan.spans}
        for value in sorted(seen, key=len, reverse=True):
            scan.take(_literal(scan.masked, value), seen[value])  # same value, other contexts
        out, last = [], 0
        for start, end, kind in sorted(scan.spans):
            out += [text[last:start], self._issue(text[start:end], kind)]
            last = end
        return "".join(out) + text[last:]

    def restore(self, text: str) -> str:
        """Placeholders back to values, also as models write them: [name_1], [ NAME_1 ], NAME_1,
        【NAME_1】, [[NAME_1]]. One never issued (the model invented it) is left as written."""
        found = self.found

        def back(m: re.Match[str]) -> str:
            return found.get(f"[{m[1].upper()}_{int(m[2])}]", m[0])

        return _RESTORE_BARE.sub(back, _RESTORE_BRACKETED.sub(back, text))

    def redact_messages(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Copies of chat messages with every text content redacted (plain or multi-part)."""
        out = []
        for message in messages:
            copy = dict(message)
            content = copy.get("content")
            if isinstance(content, str):
                copy["content"] = self.redact(content)
            elif isinstance(content, list):
                copy["content"] = [
                    {**part, "text": self.redact(part["text"])}
                    if isinstance(part, dict) and isinstance(part.get("text"), str)
                    else part
                    for part in content
                ]
            out.append(copy)
        return out

    def _issue(self, value: str, kind: str) -> str:
        if value not in self._placeholders:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._placeholders[value] = f"[{kind}_{self._counts[kind]}]"
        return self._placeholders[value]

    def _literals(self) -> list[tuple[str, str]]:
        """Values already issued or given as known, longest first, so a later mention without
        its label or context still gets its placeholder."""
        issued = [(ph[1:].rsplit("_", 1)[0], value) for value, ph in self._placeholders.items()]
        given = [(kind, value.strip()) for kind, value in self.known if value.strip()]
        return sorted(issued + given, key=lambda kv: len(kv[1]), reverse=True)


def _literal(masked: str, value: str) -> Iterator[tuple[int, int]]:
    if len(value) < 2:  # a lone Chinese surname (王) is a name only before 女士, 先生...
        return
    for m in re.finditer(_bounded(re.escape(value), value), masked):
        yield m.span()


def _name_hits(pattern: re.Pattern[str], masked: str) -> Iterator[tuple[int, int]]:
    """A name counts only capitalised: 'Rose Will' is a name, 'a rose will bloom' is not."""
    for m in pattern.finditer(masked):
        if not m[0][0].islower():
            yield m.span()


# --- wiring ---------------------------------------------------------------------------------------

_NAME_FACTS = (
    "name", "customer_name", "customer", "full_name", "first_name", "last_name", "surname",
    "given_name", "contact_name",
)
_KIND_FACTS = {
    "email": "EMAIL", "e_mail": "EMAIL", "customer_email": "EMAIL",
    "phone": "PHONE", "telephone": "PHONE", "mobile": "PHONE", "customer_phone": "PHONE",
    "iban": "IBAN", "card": "CARD", "card_number": "CARD",
    "account": "ACCOUNT", "account_number": "ACCOUNT",
    "address": "ADDRESS", "shipping_address": "ADDRESS", "billing_address": "ADDRESS",
    "postal_address": "ADDRESS", "customer_address": "ADDRESS",
}
_KIND_SHAPES: dict[str, Callable[[str], bool]] = {
    "EMAIL": lambda v: "@" in v,
    "ADDRESS": lambda v: len(v) >= 5,
}


def redactor_for(incident: Any) -> Redactor:
    """A Redactor that knows the incident's customer name and any personal facts it gives
    (email=, phone=, iban=, account=, address=...), and leaves the company and sender alone."""
    facts: dict[str, str] = dict(getattr(incident, "facts", None) or {})
    names = [getattr(incident, "customer", None)] + [facts.get(key) for key in _NAME_FACTS]
    known = []
    for key, value in facts.items():
        kind = _KIND_FACTS.get(key.lower())
        shape = _KIND_SHAPES.get(kind or "", lambda v: len(re.sub(r"\D", "", v)) >= 6)
        if kind and value and shape(str(value)):
            known.append((kind, str(value).strip()))
    keep = [getattr(incident, "company", None), getattr(incident, "sender", None)]
    return Redactor(
        names=tuple(str(n) for n in names if n),
        known=tuple(known),
        keep=tuple(str(k) for k in keep if k),
    )


def should_redact(base_url: str | None, setting: bool | None) -> bool:
    """An explicit setting wins; otherwise redact for every server that is not on this machine
    (no base URL means api.openai.com)."""
    if setting is not None:
        return setting
    return not is_local(base_url)
