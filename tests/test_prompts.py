"""Prompt files declare their variables; a missing one fails loudly; guidance fits its budget."""

from __future__ import annotations

import pytest

from composer.drafting.prompts import PromptError, count_tokens, load_prompt, pack_guidance


def test_every_shipped_prompt_declares_exactly_what_it_uses():
    for name in ("system", "compose", "revise"):
        prompt = load_prompt(name)
        assert prompt.variables


def test_a_missing_or_unknown_variable_fails_loudly():
    prompt = load_prompt("system")
    with pytest.raises(PromptError, match="missing language_name"):
        prompt.render()
    with pytest.raises(PromptError, match="undeclared tone"):
        prompt.render(language_name="English", tone="warm")
    assert "Write in Italian" in prompt.render(language_name="Italian")


def test_a_prompt_file_whose_template_uses_an_undeclared_variable_is_refused(tmp_path, monkeypatch):
    import composer.drafting.prompts as prompts

    (tmp_path / "bad.yaml").write_text(
        "variables: [a]\ntemplate: '{{ a }} {{ b }}'\n", encoding="utf-8"
    )
    monkeypatch.setattr(prompts, "project_dir", lambda name: tmp_path)
    prompts.load_prompt.cache_clear()
    try:
        with pytest.raises(PromptError, match="template uses"):
            prompts.load_prompt("bad")
    finally:
        prompts.load_prompt.cache_clear()


def test_tokens_are_counted_offline_with_cl100k():
    assert count_tokens("hello world") == 2
    assert count_tokens("我们很抱歉") > 0


def test_guidance_is_packed_most_relevant_first_within_the_budget(shipped_retriever):
    hits = shipped_retriever.retrieve("wrong bank account", 6)
    text, budget = pack_guidance(list(hits), 300)
    assert budget.used <= 300
    assert budget.included[0] == hits[0].card.id
    order = [h.card.id for h in hits]
    assert sorted(budget.included + budget.dropped) == sorted(order)
    assert budget.included == sorted(budget.included, key=order.index)  # relevance order kept
    assert budget.dropped
    assert text.startswith(f"[{hits[0].card.id}]")
    _, roomy = pack_guidance(list(hits), 100_000)
    assert not roomy.dropped
