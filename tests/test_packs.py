"""Language packs: triage reads exactly the tables it used to hold as literals, and a broken pack
fails at load with one line that says where, instead of a cue that silently never matches."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import get_args

import pytest
import yaml

from composer.errors import ComposerError
from composer.language.detect import SUPPORTED
from composer.language.packs import PackError, languages_dir
from composer.understand.cues import Category
from composer.understand.cues import load_cues as load_pack
from composer.understand.triage import CATEGORIES, _assemble, classify, tables

ROOT = Path(__file__).resolve().parent.parent
# The old tables, snapshot taken from triage.py's literals before they were deleted: table ->
# language -> entries ("any" = entries that span languages; stems were written per script).
OLD = json.loads((ROOT / "tests" / "fixtures" / "triage_tables.json").read_text("utf-8"))
FLAT = ("app_broken", "wide_impact", "long_impact", "sensitive_data", "repeated", "still_open",
        "already_fixed", "price_mentioned", "prices_correct")
WORD_BOUNDED = ("en", "it", "es")  # old latin-script stems were wrapped in \b(...)\b
# The languages the snapshot was taken with: the tables are assembled from their packs, so a
# language added since (its entries come after these) does not change what is compared.
FIVE = ("en", "it", "es", "ru", "zh")


def _five_tables():
    return _assemble(tuple(load_pack(lang) for lang in FIVE), load_pack("common"))


def _patterns(table) -> list[str]:
    return [p.pattern for p in table]


def test_pack_categories_are_triage_categories():
    assert set(get_args(Category)) == set(CATEGORIES)


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_supported_language_has_a_valid_understand_pack(lang):
    pack = load_pack(lang)
    assert set(pack.category_cues) <= set(CATEGORIES)
    assert any(pack.category_cues.values())


def test_every_triage_table_compiles():
    """Tables compile when first read (a cold compose reads a few): here every one is read."""
    built = tables()
    assert set(built) >= {*CATEGORIES, *(f"stems:{c}" for c in CATEGORIES), *FLAT,
                          "remedy_offered"}
    for name in built:
        assert all(isinstance(p, re.Pattern) for p in built[name]), name
    for lang in (*SUPPORTED, "common"):
        pack = load_pack(lang)
        assert all(isinstance(p, re.Pattern) for table in (
            *pack.category_cues.values(), *pack.category_stems.values(), pack.reported_speech,
            pack.remedy_offer_words, pack.quote_swap_words) for p in table), lang


def test_a_table_is_compiled_when_first_read_and_kept(tmp_path):
    root = _broken_pack(tmp_path, "wide_impact:\n  - 'everyone'\nrepeated:\n  - 'again ['\n")
    pack = load_pack("xx", directory=root)  # the bad regex in `repeated` is not read yet
    assert [p.pattern for p in pack.wide_impact] == ["everyone"]
    assert pack.wide_impact[0] is next(iter(pack.wide_impact))
    with pytest.raises(PackError, match=r"understand\.yaml:4: repeated\[0\] 'again \[': bad regex"):
        list(pack.repeated)


def test_the_tables_hold_every_supported_language_in_order():
    built = tables()
    for category in CATEGORIES:
        own = [p.pattern for lang in SUPPORTED
               for p in load_pack(lang).category_cues.get(category, ())]
        assert [p.pattern for p in built[category]][:len(own)] == own, category


@pytest.mark.parametrize("lang", FIVE)
def test_each_pack_holds_its_languages_old_entries(lang):
    pack = load_pack(lang)
    assert {c: _patterns(p) for c, p in pack.category_cues.items()} == \
        OLD["category_cues"][lang]
    for table in FLAT:
        assert _patterns(getattr(pack, table)) == OLD[table][lang], table


def test_triage_tables_are_exactly_the_old_tables():
    built = _five_tables()
    order = (*FIVE, "any")
    for category in CATEGORIES:
        old = [p for lang in order for p in OLD["category_cues"].get(lang, {}).get(category, [])]
        assert _patterns(built[category]) == old, category
    for table in FLAT:
        assert _patterns(built[table]) == [p for lang in FIVE for p in OLD[table][lang]]
    assert _patterns(built["remedy_offered"]) == OLD["remedy_offered"]["any"]


def _alternatives(regex: str) -> tuple[str, list[str]]:
    """The wrapper (`\\b(` or `(`) and the top-level alternatives of a stems regex."""
    head = "\\b(" if regex.startswith("\\b(") else "("
    body = regex[len(head):-len(")\\b") if head == "\\b(" else -1]
    out, depth, in_class, current, i = [], 0, False, "", 0
    while i < len(body):
        ch = body[i]
        step = 2 if ch == "\\" else 1
        if ch == "\\":
            pass
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            out.append(current)
            current, i = "", i + 1
            continue
        current += body[i:i + step]
        i += step
    return head, [*out, current]


@pytest.mark.parametrize("category", CATEGORIES)
def test_stems_are_the_old_words_split_by_language(category):
    """The old stems mixed en+it+es in one regex and ru+zh in another; the packs hold one regex
    per language with the same words and the same wrapping, so the same words are found."""
    old = Counter()
    for group, head in (("en+it+es", "\\b("), ("ru+zh", "(")):
        (regex,) = OLD["category_stems"][group][category]
        found_head, words = _alternatives(regex)
        assert found_head == head
        old.update((head, w) for w in words)
    new = Counter()
    for lang in FIVE:
        for regex in _patterns(load_pack(lang).category_stems.get(category, ())):
            head, words = _alternatives(regex)
            assert head == ("\\b(" if lang in WORD_BOUNDED else "(")
            new.update((head, w) for w in words)
    assert new == old
    # and they find the same distinct words in text: every word side by side, and the eval cases
    old_res = [re.compile(r, re.IGNORECASE) for g in OLD["category_stems"].values()
               for r in g[category]]
    samples = [" ".join(re.sub(r"[\\()?*+\[\]|]|\\[wb]", " ", r) for r in g[category])
               for g in OLD["category_stems"].values()] + _eval_incidents()
    for text in samples:
        before = {m.group(0).lower() for p in old_res for m in p.finditer(text)}
        after = {m.group(0).lower() for p in _five_tables()[f"stems:{category}"]
                 for m in p.finditer(text)}
        assert after == before, text


def _eval_incidents() -> list[str]:
    texts = []
    for path in sorted((ROOT / "evals" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8")) or []:
            incident = case["incident"]
            texts.append(incident if isinstance(incident, str) else incident["text"])
    return texts


def test_a_quoted_word_swap_and_an_offered_code_still_read_the_same():
    assert classify('the subject said "Mondya" instead of "Monday"')[0] == "typo"
    assert classify("l'oggetto diceva «Lunedi» invece di «Lunedì»")[0] == "typo"
    assert classify("the code WELCOME15 was rejected at checkout")[0] == "promo_code"


def test_packs_are_read_once_and_again_when_edited(tmp_path):
    shutil.copytree(languages_dir() / "en", tmp_path / "en")
    first = load_pack("en", directory=tmp_path)
    assert load_pack("en", directory=tmp_path) is first
    path = tmp_path / "en" / "understand.yaml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_pack("en", directory=tmp_path) is not first


def _broken_pack(tmp_path: Path, text: str) -> Path:
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "understand.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _error(tmp_path: Path, text: str, read=lambda pack: pack) -> str:
    """The one-line error of the pack `text`: at load, or when `read` first reads a table."""
    root = _broken_pack(tmp_path, text)
    with pytest.raises(PackError) as raised:
        read(load_pack("xx", directory=root))
    assert isinstance(raised.value, ComposerError)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_a_bad_regex_names_file_line_and_entry_when_its_table_is_first_read(tmp_path):
    message = _error(tmp_path, (
        "category_cues:\n"
        "  outage:\n"
        "    - '\\b(down|offline)'\n"
        "    - - '\\b(site|service) '\n"
        "      - '(was|is down'\n"
    ), read=lambda pack: pack.category_cues["outage"][0])
    assert message.startswith(str(tmp_path / "xx" / "understand.yaml") + ":5: ")
    assert "category_cues.outage[1] '(was|is down'" in message
    assert "bad regex (missing ), unterminated subpattern" in message


def test_a_bad_regex_in_a_plain_list(tmp_path):
    message = _error(tmp_path, "wide_impact:\n  - 'everyone'\n  - 'all [customers'\n",
                     read=lambda pack: list(pack.wide_impact))
    assert ":3: wide_impact[1] 'all [customers': bad regex (unterminated character set" in message


def test_an_unknown_table_is_refused(tmp_path):
    message = _error(tmp_path, "wide_impact: []\nwide_impacts:\n  - 'everyone'\n")
    assert message.endswith(":2: unknown table 'wide_impacts'")


def test_an_unknown_category_is_refused(tmp_path):
    message = _error(tmp_path, "category_cues:\n  outage: []\n  outages:\n    - 'down'\n")
    assert message.endswith(":3: category_cues: unknown key 'outages'")


def test_broken_yaml_names_the_line(tmp_path):
    message = _error(tmp_path, "wide_impact:\n  - 'everyone\n")
    assert "understand.yaml:" in message and "not valid YAML" in message


def test_a_language_folder_without_understand_yaml_is_reported(tmp_path):
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "detect.yaml").write_text("words: []\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"de: no understand\.yaml; every language folder "
                                        r"needs one"):
        load_pack("de", directory=tmp_path)


def test_a_missing_language_is_reported(tmp_path):
    with pytest.raises(PackError, match="no language pack for 'de'"):
        load_pack("de", directory=tmp_path)
