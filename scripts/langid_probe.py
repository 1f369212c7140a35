"""Which language detector reads incidents best? The detector the composer uses
(composer.language.detect: scripts, then py3langid over the Latin-script languages with a folder,
a language without packs winning only clearly) against the function-word counts it replaced and
plain py3langid, on every labelled text the project keeps (the incident corpus, the blind
understand set, the eval cases), overall, per language, and on short texts (under 60 characters).

    python scripts/langid_probe.py [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import yaml

from composer.language.detect import SCRIPTS, detect_language, latin_scores

ROOT = Path(__file__).resolve().parents[1]
KNOWN = ("en", "it", "es", "ru", "zh", "de", "fr", "pt")


def texts() -> list[tuple[str, str, str]]:
    """(source, language, text) for every labelled text."""
    out = []
    for lang_file in sorted((ROOT / "evals" / "incidents").glob("*.yaml")):
        for item in yaml.safe_load(lang_file.read_text(encoding="utf-8")) or []:
            out.append(("incidents", lang_file.stem, item["text"]))
    for folder in ("understand_blind", "cases"):
        for path in sorted((ROOT / "evals" / folder).glob("*.yaml")):
            for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                incident = case["incident"]
                text = incident if isinstance(incident, str) else incident.get("text", "")
                lang = (case.get("language") or (incident.get("language") if isinstance(
                    incident, dict) else None) or case["expect"]["language"])
                if case.get("language"):  # output forced: the text may be in another language
                    continue
                out.append((folder, lang, text))
    return out


def _by_words(text: str) -> str:
    """The detector before py3langid: scripts decide, Latin text by function words."""
    if not SCRIPTS["Latin"].search(text):
        return detect_language(text) or "en"
    scores = latin_scores(text)
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > 0 else "en"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    import py3langid
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(KNOWN))
    load = time.perf_counter() - started
    detectors = {
        "composer": detect_language,
        "function words": _by_words,
        "py3langid": lambda t: identifier.classify(t)[0],
    }
    rows = texts()
    result: dict = {"texts": len(rows), "py3langid_load_s": round(load, 3),
                    "version": py3langid.__version__ if hasattr(py3langid, "__version__") else ""}
    for name, detect in detectors.items():
        by_lang: dict[str, list[bool]] = defaultdict(list)
        short: list[bool] = []
        misses = []
        t0 = time.perf_counter()
        for _source, lang, text in rows:
            got = detect(text)
            ok = got == lang
            by_lang[lang].append(ok)
            if len(text) < 60:
                short.append(ok)
            if not ok:
                misses.append((lang, got, text[:70]))
        elapsed = time.perf_counter() - t0
        result[name] = {
            "accuracy": round(sum(sum(v) for v in by_lang.values()) / len(rows), 3),
            "by_language": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_lang.items())},
            "short_texts": f"{sum(short)}/{len(short)}",
            "ms_per_text": round(1000 * elapsed / len(rows), 2),
            "misses": misses[:8],
        }
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else yaml.safe_dump(
        result, allow_unicode=True, sort_keys=False, width=120))


if __name__ == "__main__":
    main()
