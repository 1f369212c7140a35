"""How the checker reads text: a draft cut into sentences and clauses, and a table of phrases
matched against them (one joined alternation per table where it compiles)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

_LATIN_END = re.compile(r"(?<=[.!?…;])[\"')\]»”]*\s+(?=\S)")
_CJK_END = re.compile(r"(?<=[。！？；])")
_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d+[.)])\s+")
_LINE_END = re.compile(r"[.!?…:;,。！？；：]['\"»”)]*$")
_CONTINUES = re.compile(r"^[a-zà-ÿа-яё0-9€$£(]")
_LOWER_START = re.compile(r"^[a-zà-ÿа-яё]")
LIST_INTRO_MAX_WORDS = 4


def split_sentences(text: str) -> list[str]:
    """Split on Chinese 。！？, Latin/Cyrillic end punctuation followed by space, and line breaks.

    A hard-wrapped line that ends mid-sentence and continues in lower case is joined first, so
    an email wrapped at 72 columns still yields whole sentences. A bullet in lower case after a
    short intro ending in a colon continues the intro's sentence ("Abbiamo già:" / "- recuperato
    i bancali"), so each item is read with the intro in front of it.
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    bullets = [bool(_BULLET.match(line)) for line in raw]
    lines = [_BULLET.sub("", line).strip() for line in raw]
    joined: list[str] = []
    intro = ""
    for line, bullet in zip(lines, bullets, strict=True):
        if bullet and intro and _LOWER_START.match(line):
            joined.append(f"{intro} {line}")
            continue
        if line and not bullet:
            intro = ""
        if (line and joined and joined[-1] and not _LINE_END.search(joined[-1])
                and _CONTINUES.match(line)):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
        if not bullet and line.endswith(":") and len(line.split()) <= LIST_INTRO_MAX_WORDS:
            intro = line[:-1].rstrip()
    sentences: list[str] = []
    for line in joined:
        for part in _CJK_END.split(line):
            for sentence in _LATIN_END.split(part):
                sentence = sentence.strip()
                if not sentence:
                    continue
                if sentences and _ORDINAL_END.search(sentences[-1]) and _is_month(sentence):
                    sentences[-1] = f"{sentences[-1]} {sentence}"  # "am 3. Oktober": a date
                else:
                    sentences.append(sentence)
    return sentences


_ORDINAL_END = re.compile(r"(?<![\d.,])\d{1,2}\.$")


def _is_month(sentence: str) -> bool:
    first = re.match(r"\w+", sentence)
    return bool(first) and first.group(0).casefold() in _month_words()


@lru_cache(maxsize=1)
def _month_words() -> frozenset[str]:
    """Month names in every language with a facts pack (read only when a sentence seems to end
    in an ordinal: German dates, "am 3. Oktober", are not two sentences)."""
    from composer.language.detect import SUPPORTED
    from composer.understand.facts import load_facts_pack

    return frozenset(m.casefold() for lang in SUPPORTED for m in load_facts_pack(lang).months)


@lru_cache(maxsize=1024)
def _union(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One alternation for a whole table: a single scan per sentence instead of one per
    pattern (patterns that cannot be joined, e.g. duplicate group names, are scanned one by one).
    """
    if not patterns or len({p.flags for p in patterns}) != 1:
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


def _matcher(patterns: Iterable[re.Pattern[str]]) -> Callable[[str], bool]:
    """Whether any of `patterns` occurs in a text: the joined alternation when it compiles."""
    patterns = tuple(patterns)
    joined = _union(patterns)
    if joined is not None:
        return lambda text: joined.search(text) is not None
    return lambda text: any(p.search(text) for p in patterns)


def hits(patterns: Iterable[re.Pattern[str]], sentences: list[str]) -> list[str]:
    """The sentences where any of `patterns` occurs, in order."""
    found = _matcher(patterns)
    return [s for s in sentences if found(s)]


def unnegated_hits(
    patterns: Iterable[re.Pattern[str]], sentences: list[str], veto: re.Pattern[str] | None
) -> list[str]:
    """Like `hits`, but a match right after a negation (`veto`) in its clause does not count.

    "Non è stata una nostra disattenzione" and "这不是我们的疏忽" deny a fault, not own it.
    """
    if veto is None:
        return hits(patterns, sentences)
    found = []
    for sentence in sentences:
        for pattern in patterns:
            if any(not veto.search(CLAUSE_CUT.split(sentence[: m.start()])[-1])
                   for m in pattern.finditer(sentence)):
                found.append(sentence)
                break
    return found


def count(patterns: Iterable[re.Pattern[str]], text: str) -> int:
    """How many times `patterns` occur in `text`, all together."""
    return sum(len(p.findall(text)) for p in patterns)


def any_match(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    """Whether any of `patterns` occurs in `text`."""
    return _matcher(patterns)(text)


CLAUSE_CUT = re.compile(r"\s*[,;:\u2014\u2013]\s+|\s+-\s+|[，；：、]")


def clauses(sentence: str) -> list[str]:
    """A sentence cut at , ; : and dashes (、，；： in Chinese)."""
    return [c for c in CLAUSE_CUT.split(sentence) if c.strip()]


def clause_hits(
    entries: Iterable[tuple[re.Pattern[str], ...]], sentences: list[str],
    veto: re.Pattern[str] | None = None,
) -> list[str]:
    """Sentences with a clause that holds every pattern of some entry.

    A match right after a negation (`veto`, matched against the text before it) does not count.
    """
    entries = tuple(entries)
    found: list[str] = []
    for sentence in sentences:
        for clause in clauses(sentence):
            if any(_all_match(entry, clause, veto) for entry in entries):
                found.append(sentence)
                break
    return found


def _all_match(
    entry: tuple[re.Pattern[str], ...], clause: str, veto: re.Pattern[str] | None
) -> bool:
    for pattern in entry:
        match = pattern.search(clause)
        if match is None or (veto is not None and veto.search(clause[: match.start()])):
            return False
    return True
