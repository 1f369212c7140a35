"""The languages the composer knows, and language detection, offline and dependency-free.

Each language is a folder `languages/<code>/`; its `language.yaml` says what the language is
(name, script, whether words are separated by spaces, locale, the words it is detected by). A
language is supported, written and checked, when its folder has every pack in `REQUIRED_PACKS`;
a folder with only `language.yaml` makes a language detected, so callers can say "not supported
yet" instead of silently treating French as English.

Text is read by py3langid's byte n-gram model, restricted to the languages with a folder
(`composer/language/langid.py`); a language without the packs wins only clearly, so a short
Spanish title is not taken for Portuguese. Pinyin and mixed text are read as a whole, not by
counting scripts.
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
FALLBACK = "en"  # the language written in when the incident's is not supported


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
# How much more likely, per square root of a byte, a language without the packs must be than the
# best supported one to be named: 2 keeps "Cobro duplicado" Spanish and still names Portuguese
# and French sentences (scripts/langid_probe.py).
UNSUPPORTED_MARGIN = 2.0


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code for `text`, or None when it has no letters at all."""
    if not any(pattern.search(text) for pattern in SCRIPTS.values()):
        return None
    from composer.language.langid import rank

    ranked = rank(text, tuple(LANGUAGES))
    best, score = ranked[0]
    if best in SUPPORTED:
        return best
    supported = [(code, s) for code, s in ranked if code in SUPPORTED]
    if not supported:
        return best
    gap = (score - supported[0][1]) / max(len(text.encode()), 1) ** 0.5
    return best if gap > UNSUPPORTED_MARGIN else supported[0][0]


def is_supported(lang: str | None) -> bool:
    return lang in SUPPORTED


def no_packs(detected: str) -> str:
    """That `detected` has no packs yet, and, for a language with a folder, what it still needs."""
    if detected in LANGUAGES:
        missing = ", ".join(missing_packs(detected))
        return (f"{LANGUAGE_NAMES[detected]} ({detected}) is detected but not supported yet: add "
                f"languages/{detected}/{missing} (see README: Add a language)")
    return f"the incident's language ({detected}) is not supported"


def not_supported(detected: str | None) -> str:
    """Why triage writes in the fallback language when the incident's language is `detected`:
    one line, which for a language with a folder says what the folder still needs."""
    if detected in LANGUAGES:
        return f"{no_packs(detected)}; writing in {FALLBACK}"
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
