"""The compensation plan follows the research in the rule cards, and says so."""

from __future__ import annotations

from decimal import Decimal

from composer.drafting.compensation import plan_compensation
from composer.understand.incident import Incident, parse_loss
from composer.understand.triage import triage


def plan(text: str, cap: str | None = None, **facts):
    incident = Incident(text, **facts)
    return plan_compensation(incident, triage(incident), parse_loss(cap) if cap else None)


def test_money_lost_gets_money_back_now_sized_inside_the_research_range():
    offer = plan("wrong bank account", loss=parse_loss("200 EUR"))
    assert offer.type == "refund"
    assert offer.immediate
    assert offer.unit == "EUR"
    assert Decimal("0.6") <= offer.share_of_loss <= Decimal("1.2")
    assert offer.amount == Decimal(200) * offer.share_of_loss
    assert "rule.compensation-size" in offer.cards
    assert "rule.compensation-type-match" in offer.cards


def test_delight_only_behind_the_paradox_gate_and_never_above_120_percent():
    mild = plan("the export button crashed", loss=parse_loss("40 EUR"))  # medium, first time
    assert mild.delight and mild.share_of_loss == Decimal("1.2")
    repeat = plan("the export button crashed", loss=parse_loss("40 EUR"), prior_failures=1)
    assert not repeat.delight and repeat.share_of_loss == Decimal("1.0")
    severe = plan("wrong bank account", loss=parse_loss("40 EUR"))
    assert not severe.delight
    assert "rule.paradox-gate" in severe.cards


def test_time_lost_on_a_failed_service_gets_a_service_credit():
    offer = plan("the site was down for three hours", loss=parse_loss("3 hours"))
    assert offer.type == "service_credit"
    assert offer.amount is None  # the size is a visible fill-in, not a guess


def test_a_credit_the_incident_offers_sizes_the_service_credit_and_nothing_else():
    """"We will credit one week of free service": the lead decided the size, so the email says
    it instead of a fill-in; a refund sized from money lost is not changed by it."""
    week = parse_loss("7 days")
    down = Incident("the site was down for three hours", loss=parse_loss("3 hours"))
    offer = plan_compensation(down, triage(down), None, week)
    assert offer.type == "service_credit" and (offer.amount, offer.unit) == (7, "days")
    assert any("the credit the incident offers" in r.text for r in offer.reasons)
    charged = Incident("wrong bank account", loss=parse_loss("200 EUR"))
    refund = plan_compensation(charged, triage(charged), None, week)
    assert refund.type == "refund" and refund.unit == "EUR"


def test_type_follows_the_category_when_no_loss_is_stated():
    assert plan("the parcel arrived damaged").type == "redo"
    assert plan("our agent was rude to me").type == "attention"
    assert plan("someone got unauthorized access to accounts").type == "attention"
    assert plan("we charged the customer twice").type == "refund"
    assert plan("the blender we sold her is defective").type == "exchange"  # faulty goods
    assert plan("the export button stopped working").type == "attention"  # software, no loss


def test_nothing_is_offered_for_trivial_errors():
    offer = plan("we sent the newsletter twice")
    assert offer.type == "none" and offer.amount is None
    assert "rule.when-not-to-apologize" in offer.cards


def test_a_policy_cap_wins_and_the_plan_says_what_that_costs():
    offer = plan("wrong bank account", cap="50 EUR", loss=parse_loss("200 EUR"))
    assert offer.amount == Decimal(50) and offer.capped
    assert offer.share_of_loss == Decimal("0.25")
    assert any("below the 60%" in r.text for r in offer.reasons)
    assert "policy" in offer.cards


def test_humour_only_for_a_low_playful_first_broad_mailing():
    allowed = plan("the back in stock alert was wrong", tone="playful", channel="newsletter")
    assert allowed.humour_allowed
    assert not plan("the back in stock alert was wrong", tone="playful").humour_allowed  # 1:1
    assert not plan("wrong bank account", tone="playful", channel="newsletter").humour_allowed


def test_every_reason_cites_a_card():
    offer = plan("wrong bank account", loss=parse_loss("200 EUR"))
    assert offer.reasons and all(r.cards for r in offer.reasons)


def test_a_cracked_product_gets_an_exchange_and_a_login_bug_gets_attention():
    assert plan("Lamp arrived with a cracked glass shade").type == "exchange"
    assert plan("desde esta mañana Javier no puede iniciar sesión en la app").type == "attention"
