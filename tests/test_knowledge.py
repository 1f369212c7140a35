"""The card loader: shipped cards are valid and bad cards fail with the file and field named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from composer.knowledge.cards import KINDS, KnowledgeError, load_knowledge, shipped_knowledge

DOMAIN_IDS = {
    "template.we-messed-up", "template.working-on-it", "template.not-sure-yet",
    "template.security-notice", "template.outage-credit", "template.app-downtime",
    "example.wealthsimple", "example.ravelry", "example.caskers", "example.outsite",
    "example.gitlab", "example.software-outage-upgrade", "rule.when-not-to-apologize",
}
RUBRIC_STEPS = {"step.regret", "step.impact", "step.explanation", "step.responsibility",
                "step.remedy"}


def test_shipped_knowledge_keeps_every_domain_id_and_rubric_step():
    ids = {card.id for card in shipped_knowledge().cards}
    assert ids >= DOMAIN_IDS
    assert ids >= RUBRIC_STEPS


def test_shipped_cards_cover_every_kind_and_every_source_article():
    knowledge = shipped_knowledge()
    assert {card.kind for card in knowledge.cards} == set(KINDS)
    assert {card.source.file for card in knowledge.cards} == set(knowledge.sources)
    assert {doc.language for doc in knowledge.sources.values()} == {"it", "es", "zh", "ru"}


def _edit_first_card(knowledge_dir: Path, **changes) -> None:
    path = knowledge_dir / "cards" / "cards.yaml"
    cards = yaml.safe_load(path.read_text())
    cards[0].update(changes)
    path.write_text(yaml.safe_dump(cards, allow_unicode=True))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"kind": "recipe"}, "kind"),
        ({"source": {"file": "mini.txt", "span": "a sentence the article never says"}},
         "source.span: not found in mini.txt"),
        ({"source": {"file": "other.txt", "span": "We messed up."}}, "not listed in sources.yaml"),
        ({"tags": {"categories": ["weather"], "severity": ["low"], "channels": ["reply"]}},
         "tags.categories"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_card_names_file_and_field(mini_knowledge_dir, changes, expected):
    _edit_first_card(mini_knowledge_dir, **changes)
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(mini_knowledge_dir)
    message = str(info.value)
    assert "cards.yaml: card 0" in message
    assert expected in message


def test_duplicate_id_names_both_places(mini_knowledge_dir):
    path = mini_knowledge_dir / "cards" / "cards.yaml"
    cards = yaml.safe_load(path.read_text())
    cards[2]["id"] = cards[0]["id"]
    path.write_text(yaml.safe_dump(cards))
    with pytest.raises(KnowledgeError, match=r"card 2 \(template.own-it\): id: .* also used in"):
        load_knowledge(mini_knowledge_dir)


def test_span_matches_across_line_breaks_and_spacing(mini_knowledge_dir):
    _edit_first_card(
        mini_knowledge_dir, source={"file": "mini.txt", "span": "We messed   up.\nHere is"}
    )
    assert load_knowledge(mini_knowledge_dir).cards[0].source.span.startswith("We messed")


def test_content_hash_changes_when_a_card_changes(mini_knowledge_dir):
    before = load_knowledge(mini_knowledge_dir).content_hash
    _edit_first_card(mini_knowledge_dir, title="We got it wrong")
    assert load_knowledge(mini_knowledge_dir).content_hash != before


def test_unparseable_yaml_is_reported_with_its_path(mini_knowledge_dir):
    (mini_knowledge_dir / "cards" / "broken.yaml").write_text("- id: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"broken\.yaml: cannot read YAML"):
        load_knowledge(mini_knowledge_dir)
