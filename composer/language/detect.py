"""Language detection for the five supported languages, offline and dependency-free.

Scripts decide zh and ru outright; Latin-script text is scored by function words and
accented letters. Other languages are recognised too, so callers can say "unsupported"
instead of silently treating French as English.
"""

from __future__ import annotations

import re

SUPPORTED = ("en", "it", "es", "ru", "zh")

LANGUAGE_NAMES = {
    "en": "English",
    "it": "Italian",
    "es": "Spanish",
    "ru": "Russian",
    "zh": "Chinese",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
}

_STOPWORDS = {
    "en": "the a an and of to in is are was were we our you your for on with this that it not "
    "have has had be been sorry by from at as they their wrong our us will can about what",
    "it": "il lo la gli le un una di del della dei delle che e è per non con su sono siamo "
    "abbiamo ci ti vi noi voi nostro nostra suo sua ma anche come al alla nel nella stato "
    "stata ore scusa scuse cliente",
    "es": "el la los las un una de del que y es en por para con no su sus lo se hemos somos "
    "dos veces otra otro usted ustedes está están hay pedido cuenta correo también "
    "nos nuestro nuestra pero como al fue ha muy sentimos disculpa cliente horas",
    "fr": "le la les un une des du de et est sont nous vous pour pas avec sur dans ce cette "
    "notre votre mais été avons désolé",
    "de": "der die das ein eine und ist sind wir sie nicht mit für auf dem den des zu es "
    "haben unser ihr aber wurde entschuldigung",
    "pt": "o os a as um uma de do da dos das que e é em para com não nós nosso nossa foi "
    "são pelo pela desculpe",
}
_WORDSETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_ACCENT_HINTS = {
    "es": "ñ¿¡áíóú",
    "it": "èàùòì",
    "fr": "çêâîôûëœ",
    "de": "äöüß",
    "pt": "ãõç",
}

HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA = re.compile(r"[\u3040-\u30ff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
_WORD = re.compile(r"[a-zà-ÿñ']+")


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code for `text`, or None when it has no letters at all."""
    counts = {
        "ja": len(_KANA.findall(text)),
        "ko": len(HANGUL.findall(text)),
        "zh": len(HAN.findall(text)),
        "ru": len(CYRILLIC.findall(text)),
        "ar": len(_ARABIC.findall(text)),
        "latin": len(_LATIN.findall(text)),
    }
    if counts["ja"]:
        return "ja"
    script, n = max(counts.items(), key=lambda kv: kv[1])
    if n == 0:
        return None
    if script != "latin":
        return script
    return _latin_language(text.lower())


def _latin_language(text: str) -> str:
    words = _WORD.findall(text.replace("’", "'"))
    scores = {lang: sum(w in wordset for w in words) for lang, wordset in _WORDSETS.items()}
    for lang, letters in _ACCENT_HINTS.items():
        scores[lang] += 0.5 * sum(text.count(ch) for ch in letters)
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > 0 else "en"


def is_supported(lang: str | None) -> bool:
    return lang in SUPPORTED


def latin_scores(text: str) -> dict[str, float]:
    """Per Latin-script language, how much `text` reads like it: function words, plus half a
    point per accented letter typical of the language."""
    words = re.findall(r"[a-zà-ÿñ']+", text.lower().replace("’", "'"))
    scores = {lg: float(sum(w in ws for w in words)) for lg, ws in _WORDSETS.items()}
    for lg, letters in _ACCENT_HINTS.items():
        scores[lg] += 0.5 * sum(text.lower().count(ch) for ch in letters)
    return scores
