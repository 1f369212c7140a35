"""Language packs beyond triage: the guard's and the policy's phrases (guard.yaml), what each
language is (language.yaml) and the offline writer's reading tables (phrasebook.yaml) build
exactly the tables that used to be Python literals. The snapshots in tests/fixtures/ were taken
from those literals before they were deleted."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from composer.checking import policy
from composer.drafting import offline
from composer.drafting.plan import phrasebook
from composer.language import detect
from composer.language.detect import (
    LANGUAGE_NAMES,
    LANGUAGES,
    REQUIRED_PACKS,
    SUPPORTED,
    LanguagePack,
    detect_language,
    missing_packs,
)
from composer.language.money import _locale
from composer.language.packs import PackError, languages_dir, load_pack
from composer.understand import injection
from composer.understand.incident import Incident
from composer.understand.triage import triage

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GUARD = json.loads((FIXTURES / "guard_tables.json").read_text("utf-8"))
LANG = json.loads((FIXTURES / "language_tables.json").read_text("utf-8"))
# The languages the snapshots were taken with: tables are rebuilt from their packs, so a language
# added since (its rules come after these) does not change what is compared.
FIVE = tuple(LANG["supported"])


def _snap(pattern: re.Pattern[str]) -> dict:
    return {"pattern": pattern.pattern, "flags": int(pattern.flags)}


def _rules(rules) -> list[dict]:
    return [{"kind": r.kind, **_snap(r.pattern)} for r in rules]


@cache
def _texts() -> tuple[str, ...]:
    """Incidents of every eval set (and the injection attacks), and their sentences: the text
    the tables are used on."""
    texts = []
    for path in sorted((ROOT / "evals").glob("*.yaml")) + sorted((ROOT / "evals").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for case in data if isinstance(data, list) else []:
            if not isinstance(case, dict):
                continue
            for key in ("incident", "base", "query"):
                value = case.get(key)
                value = value.get("text") if isinstance(value, dict) else value
                if isinstance(value, str):
                    texts.append(value)
    sentences = [s for t in texts for s in offline._sentences(t)]
    assert len(texts) > 300
    return tuple(texts + sentences)


def _five_guard_packs():
    return tuple(injection.load_guard(lang) for lang in FIVE), injection.load_guard("common")


# --- guard.yaml: the injection guard and the draft policy ---------------------------------------


def test_injection_rules_are_exactly_the_old_rules_in_order():
    tables = injection._assemble(FIVE, *_five_guard_packs())
    assert _rules(tables.rules) == GUARD["rules"]
    assert _rules(tables.spaced_out) == GUARD["compact_rules"]
    # The names of unsupported languages: the old ones, less German, which is supported now.
    old_names = re.compile(GUARD["unsupported_language"]["pattern"],
                           GUARD["unsupported_language"]["flags"])
    german = ("german", "tedesco", "alemán", "aleman", "немецкий", "по-немецки", "德语", "德文")
    others = ("french", "klingon", "portoghese", "japonés", "арабский", "по-французски", "法语",
              "日文", "latino")
    for name in german:
        assert old_names.search(name) and not tables.unsupported_language.search(name), name
    for name in others:
        assert old_names.search(name) and tables.unsupported_language.search(name), name


def test_the_building_blocks_are_the_old_constants():
    blocks = GUARD["blocks"]
    for name, key in (("lead", "lead"), ("objects", "objects"), ("language_names", "languages"),
                      ("language_adverbs", "language_adverbs")):
        for lang in FIVE:
            assert getattr(injection.load_guard(lang), name) == blocks[key].get(lang), (name, lang)
    assert blocks["money"] == injection.AMOUNT


def test_policy_tables_are_exactly_the_old_tables():
    tables = policy._assemble(*_five_guard_packs())
    assert _snap(tables.leak_phrases) == GUARD["policy"]["leak_phrases"]
    assert _snap(tables.offer_words) == GUARD["policy"]["offer_words"]
    assert [{"what": what, **_snap(p)} for what, p in tables.markup] == GUARD["policy"]["markup"]


def test_every_rule_kind_has_a_description():
    assert set(injection.KINDS) == set(GUARD["descriptions"]) == set(injection._DESCRIPTIONS)


def test_a_rule_naming_a_block_its_pack_lacks_is_an_error(tmp_path):
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "guard.yaml").write_text(
        "rules:\n  compensation_demand:\n    - '{lead}offer'\n", encoding="utf-8")
    pack = injection.load_guard("xx", tmp_path)
    with pytest.raises(PackError, match=r"languages/xx/guard.yaml: a rule uses \{lead\}"):
        injection._assemble(("xx",), (pack,), injection.load_guard("common"))


def test_a_bad_regex_in_a_guard_pack_names_file_line_and_entry(tmp_path):
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "guard.yaml").write_text(
        "rules:\n  override:\n    - - '\\bignore '\n      - '(all|any rules'\n", encoding="utf-8")
    with pytest.raises(PackError) as raised:
        injection.load_guard("xx", tmp_path)
    message = str(raised.value)
    assert ":4: rules.override[0] '(all|any rules': bad regex (missing )" in message


def test_an_unknown_rule_kind_is_refused(tmp_path):
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "guard.yaml").write_text("rules:\n  overide: ['x']\n", encoding="utf-8")
    with pytest.raises(PackError, match="unknown key 'overide'"):
        injection.load_guard("xx", tmp_path)


# --- language.yaml: names, order, detection, facts ----------------------------------------------


def test_names_and_supported_languages_are_the_old_ones_in_the_old_order():
    old = LANG["language_names"]
    assert [(c, n) for c, n in LANGUAGE_NAMES.items() if c in old] == list(old.items())
    assert list(SUPPORTED[:len(FIVE)]) == list(FIVE)  # a language added since comes after


def test_detection_words_and_accents_are_the_old_tables():
    assert list(detect._WORDSETS) == LANG["wordsets_order"]
    old = {k: set(v.split()) for k, v in LANG["stopwords"].items()}
    for code, words in detect._WORDSETS.items():
        if code in SUPPORTED and code not in FIVE:
            # a language supported since the snapshot keeps its old words and may add more
            assert old[code] <= words, code
        else:
            assert set(words) == old[code], code
    assert LANG["accent_hints"] == detect._ACCENT_HINTS


def test_locales_are_the_old_map():
    assert {code: _locale(code) for code in LANG["locales"]} == LANG["locales"]


SCRIPT_SAMPLES = [
    "", "1234 !!", "注文が届きませんでした", "주문이 도착하지 않았습니다", "طلبي لم يصل",
    "Заказ не пришёл", "订单没有送达", "ab 中文 кк", "中中 кк", "кк 中中", "Привет 你好吗",
    "Nous sommes désolés", "Wir haben das Paket nicht erhalten", "Não recebemos o pedido",
    "la la la", "é", "ñ", "xyz",
]


def _old_wrong_language(text: str, expected: str) -> str | None:
    """policy._wrong_language as it was (zh and ru decided by script)."""
    han, cyr, latin = (len(r.findall(text)) for r in (detect.HAN, detect.CYRILLIC, policy._LATIN))
    letters = han + cyr + latin
    if letters < 4:
        return None
    script = {"zh": han, "ru": cyr}.get(expected)
    if script is not None:
        weight = 3 if expected == "zh" else 1
        if script * weight >= 0.5 * (letters - han + han * weight if expected == "zh" else letters):
            return None
        detected = detect_language(text)
        return detected if detected != expected else "another script"
    if han * 3 > latin or cyr > latin:
        return detect_language(text) or "another script"
    scores = detect.latin_scores(text)
    best = max(scores, key=lambda lg: scores[lg])
    mine = scores.get(expected, 0.0)
    if best == expected or scores[best] < 3 or scores[best] < 2 * mine + 1:
        return None
    return best


def test_the_wrong_language_check_reads_scripts_from_the_packs_as_it_did_by_code():
    for text in [*SCRIPT_SAMPLES, *_texts()]:
        for lang in SUPPORTED:
            assert policy._wrong_language(text, lang) == _old_wrong_language(text, lang), \
                (text, lang)


def test_a_language_is_supported_when_its_folder_has_every_pack():
    assert {"fr", "de", "pt", "ja", "ko", "ar"} <= set(LANGUAGES)
    for code in LANGUAGES:
        assert (code in SUPPORTED) == (missing_packs(code) == []), code
    assert missing_packs("xx") == [f"{p}.yaml" for p in REQUIRED_PACKS]


def test_supported_is_the_folders_with_every_pack_in_their_order(tmp_path):
    for code in ("en", "fr"):  # fr: a folder with only language.yaml
        shutil.copytree(languages_dir() / code, tmp_path / code)
    shutil.copytree(languages_dir() / "zh", tmp_path / "zz")
    (tmp_path / "zz" / "language.yaml").write_text(
        (tmp_path / "zz" / "language.yaml").read_text("utf-8").replace("order: 50", "order: 5"),
        encoding="utf-8")
    (tmp_path / "common").mkdir()  # no language.yaml: not a language
    found = detect._read(tmp_path)
    assert list(found) == ["zz", "en", "fr"]
    assert [c for c in found if not missing_packs(c, tmp_path)] == ["zz", "en"]


def test_a_language_yaml_with_an_unknown_key_is_refused(tmp_path):
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "language.yaml").write_text(
        "name: X\norder: 1\nscript: Latin\nspaced: true\nlocale: xx\nspace: true\n",
        encoding="utf-8")
    with pytest.raises(PackError, match=r"language.yaml:6: unknown table 'space'"):
        load_pack("xx", "language", LanguagePack, tmp_path)


def test_a_detected_language_without_packs_says_what_to_add():
    code = next(c for c, p in LANGUAGES.items() if c not in SUPPORTED and p.detection.words)
    text = " ".join(LANGUAGES[code].detection.words.split()[:12])
    decided = triage(Incident(text))
    assert decided.language == "en"
    assert decided.reasons[-1] == (
        f"{LANGUAGE_NAMES[code]} ({code}) is detected but not supported yet: add "
        f"languages/{code}/{', '.join(missing_packs(code))} (see README: Add a language); "
        "writing in en")
    unknown = triage(Incident("12345 !!!"))
    assert unknown.reasons[-1] == "language en: the incident's language (unknown) is not supported"


# --- phrasebook.yaml: the offline writer's reading tables ---------------------------------------


def test_scope_and_order_patterns_are_the_old_ones():
    for lang, pattern in LANG["offline"]["scope_sentence"].items():
        assert _snap(offline._scope_pattern(lang)) == {"pattern": pattern,
                                                        "flags": int(re.IGNORECASE | re.UNICODE)}
    old = dict(LANG["offline"]["order_id"])  # the id's group is named now, nothing else moved
    old["pattern"] = old["pattern"].replace(r"\s*([A-Za-z0-9]", r"\s*(?P<id>[A-Za-z0-9]")
    assert _snap(offline._order_pattern(FIVE)) == old


def _note_parts(pattern: str) -> tuple[str, Counter, Counter]:
    head, rest = pattern.split(r"\b(", 1)
    group, tail = rest.split(r")\b|", 1)
    return head, Counter(group.split("|")), Counter(tail.split("|"))


def test_note_words_are_the_old_words_and_find_the_same_sentences():
    """The old pattern listed en, it and es words interleaved; the packs list them language by
    language, so only the order of alternatives in one group changed, which a search (all this
    pattern is used for) does not see."""
    old = LANG["offline"]["not_a_statement"]
    new = offline._not_a_statement(FIVE)
    assert int(new.flags) == old["flags"]
    assert _note_parts(new.pattern) == _note_parts(old["pattern"])
    old_re = re.compile(old["pattern"], old["flags"])
    for text in _texts():
        assert bool(new.search(text)) == bool(old_re.search(text)), text


def test_a_prompts_variant_phrasebook_wins_else_the_pack(tmp_path):
    pack = phrasebook("en")
    assert phrasebook("en", tmp_path / "bare") == pack  # a variant without offline/en.yaml
    (tmp_path / "offline").mkdir()
    variant = {**pack, "closing": {tone: "Bye." for tone in pack["closing"]}}
    (tmp_path / "offline" / "en.yaml").write_text(yaml.safe_dump(variant, allow_unicode=True),
                                                  encoding="utf-8")
    assert phrasebook("en", tmp_path)["closing"]["warm"] == "Bye."
    assert phrasebook("it", tmp_path) == phrasebook("it")


def test_no_module_keeps_a_language_code_check():
    """The facts a language differs by are in language.yaml, not `== "zh"` in code."""
    for module in (offline, policy, injection, detect):
        source = Path(module.__file__).read_text("utf-8")
        assert not re.search(r"""[!=]= ?["'](?:en|it|es|ru|zh)["']|["']zh["']""", source), module
