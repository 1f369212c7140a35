"""wrong_language_span: a paragraph written in another language than the draft, such as an
English sign-off under an Italian email, or a model that switched language halfway."""

from __future__ import annotations

import re

from composer.language.detect import LANGUAGES

# A paragraph must be long enough to judge (names and product words fool a short one), and the
# other language must win clearly: log-likelihood per square root of a byte.
MIN_CHARS = 40
MARGIN = 1.0
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\S)")
_CJK = re.compile(r"[\u3400-\u9fff]")


def foreign_paragraphs(text: str, language: str) -> list[str]:
    """The paragraphs of `text` that are clearly in another language than `language`."""
    from composer.language.langid import rank

    out = []
    for paragraph in (p.strip() for p in _PARAGRAPH.split(text)):
        long_enough = (len(paragraph) >= MIN_CHARS and len(paragraph.split()) >= 6) or \
            len(_CJK.findall(paragraph)) >= 15
        if not long_enough:
            continue
        ranked = dict(rank(paragraph, tuple(LANGUAGES)))
        best = max(ranked, key=lambda code: ranked[code])
        if best == language or language not in ranked:
            continue
        gap = (ranked[best] - ranked[language]) / max(len(paragraph.encode()), 1) ** 0.5
        if gap > MARGIN:
            out.append(paragraph)
    return out
