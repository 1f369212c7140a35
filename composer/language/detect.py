"""The languages the composer knows, and language detection, offline and dependency-free.

Each language is a folder `languages/<code>/`; its `language.yaml` says what the language is
(name, script, whether words are separated by spaces, locale, the words it is detected by). A
language is supported, written and checked, when its folder has every pack in `REQUIRED_PACKS`;
a folder with only `language.yaml` makes a language detected, so callers can say "not supported
yet" instead of silently treating French as English.

Scripts decide zh and ru outright; Latin-script text is scored by function words and accented
letters.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict
from pydantic.dataclasses import dataclass

from composer.language.packs import languages_dir, load_pack

# The packs a language folder needs before the composer writes in that language: what the
# language is, how triage reads it, how the injection guard reads it, how the offline writer
# phrases it.
REQUIRED_PACKS = ("language", "understand", "check", "guard", "phrasebook")

# Scripts, in the order they win a tie. Kana decides outright: Japanese mixes it with Han.
HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA = re.compile(r"[\u3040-\u30ff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
SCRIPTS: dict[str, re.Pattern[str]] = {
    "Kana": _KANA, "Hangul": HANGUL, "Han": HAN, "Cyrillic": CYRILLIC, "Arabic": _ARABIC,
    "Latin": _LATIN,
}
Script = Literal["Kana", "Hangul", "Han", "Cyrillic", "Arabic", "Latin"]
_DECISIVE = "Kana"
_WORD = re.compile(r"[a-zà-ÿñ']+")
FALLBACK = "en"  # what Latin-script text with no known word is taken for


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class Detection:
    """How Latin-script text is recognised as the language: a point per function word, half a
    point per accented letter typical of it."""

    words: str = ""  # function words, separated by spaces
    accents: str = ""  # letters, written together


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class LanguagePack:
    """`languages/<code>/language.yaml`: what the composer knows of a language itself."""

    name: str  # in English, as messages and prompts name it
    order: int  # its place in lists (SUPPORTED, reports): lower first
    script: Script  # the script it is written in; one not Latin identifies the language
    spaced: bool  # words separated by spaces; if not, lengths count characters, not words
    locale: str  # the babel locale amounts and numbers are written in
    sentence_join: str = ". "  # between sentences whose end mark was dropped
    clause_join: str = "; "  # between short notes run together in one sentence
    detection: Detection = field(default_factory=Detection)


def _read(root: Path) -> dict[str, LanguagePack]:
    """Every folder of `root` with a language.yaml, in the languages' order."""
    found = {d.name: load_pack(d.name, "language", LanguagePack, root)
             for d in root.iterdir() if (d / "language.yaml").is_file()}
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def missing_packs(code: str, root: Path | None = None) -> list[str]:
    """The required packs `languages/<code>/` does not have yet (file names)."""
    folder = (root or languages_dir()) / code
    return [f"{name}.yaml" for name in REQUIRED_PACKS if not (folder / f"{name}.yaml").is_file()]


LANGUAGES: dict[str, LanguagePack] = _read(languages_dir())
SUPPORTED: tuple[str, ...] = tuple(code for code in LANGUAGES if not missing_packs(code))
LANGUAGE_NAMES: dict[str, str] = {code: lang.name for code, lang in LANGUAGES.items()}

_WORDSETS = {code: frozenset(lang.detection.words.split()) for code, lang in LANGUAGES.items()
             if lang.detection.words.strip()}
_ACCENT_HINTS = {code: lang.detection.accents for code, lang in LANGUAGES.items()
                 if lang.detection.accents}
# The language each script other than Latin identifies (the first one, by order, that has it).
_BY_SCRIPT: dict[str, str] = {}
for _code, _pack in LANGUAGES.items():
    if _pack.script != "Latin":
        _BY_SCRIPT.setdefault(_pack.script, _code)


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code for `text`, or None when it has no letters at all."""
    counts = {script: len(pattern.findall(text)) for script, pattern in SCRIPTS.items()}
    if counts[_DECISIVE] and _DECISIVE in _BY_SCRIPT:
        return _BY_SCRIPT[_DECISIVE]
    script, n = max(((s, c) for s, c in counts.items() if s in _BY_SCRIPT or s == "Latin"),
                    key=lambda kv: kv[1])
    if n == 0:
        return None
    if script != "Latin":
        return _BY_SCRIPT[script]
    return _latin_language(text.lower())


def _latin_language(text: str) -> str:
    words = _WORD.findall(text.replace("’", "'"))
    scores = {lang: sum(w in wordset for w in words) for lang, wordset in _WORDSETS.items()}
    for lang, letters in _ACCENT_HINTS.items():
        scores[lang] += 0.5 * sum(text.count(ch) for ch in letters)
    best = max(scores, key=lambda lang: (scores[lang], lang == FALLBACK))
    return best if scores[best] > 0 else FALLBACK


def is_supported(lang: str | None) -> bool:
    return lang in SUPPORTED


def not_supported(detected: str | None) -> str:
    """Why triage writes in the fallback language when the incident's language is `detected`:
    one line, which for a language with a folder says what the folder still needs."""
    if detected in LANGUAGES:
        missing = ", ".join(missing_packs(detected))
        return (f"{LANGUAGE_NAMES[detected]} ({detected}) is detected but not supported yet: add "
                f"languages/{detected}/{missing} (see README: Add a language); writing in "
                f"{FALLBACK}")
    return (f"language {FALLBACK}: the incident's language ({detected or 'unknown'}) is not "
            "supported")


def latin_scores(text: str) -> dict[str, float]:
    """Per Latin-script language, how much `text` reads like it: function words, plus half a
    point per accented letter typical of the language."""
    words = re.findall(r"[a-zà-ÿñ']+", text.lower().replace("’", "'"))
    scores = {lg: float(sum(w in ws for w in words)) for lg, ws in _WORDSETS.items()}
    for lg, letters in _ACCENT_HINTS.items():
        scores[lg] += 0.5 * sum(text.lower().count(ch) for ch in letters)
    return scores
