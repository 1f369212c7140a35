"""Triage decides what the email is about; a wrong call here makes every later step wrong."""

from __future__ import annotations

import pytest

from composer.incident import Incident, parse_loss
from composer.triage import triage


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("wrong bank account", "wrong_payment"),
        ("we charged the customer twice", "billing_error"),
        ("the site was down for three hours", "outage"),
        ("we lost some customers' files during the migration", "data_loss"),
        ("someone got unauthorized access to our user database", "security_breach"),
        ("the renewal reminder went to the wrong list", "wrong_recipient"),
        ("the newsletter announced the wrong sale dates", "wrong_content"),
        ("the export button stopped working after the update", "product_bug"),
        ("the parcel arrived damaged", "delivery_problem"),
        ("our agent was rude and nobody answered for a week", "poor_service"),
        ("typo in the subject line", "typo"),
        ("we sent the newsletter twice", "duplicate_send"),
        ("the promo code in yesterday's mailing does not work", "promo_code"),
        ("il sito è rimasto offline per tre ore", "outage"),
        ("abbiamo addebitato due volte l'abbonamento", "billing_error"),
        ("el pedido llegó dañado", "delivery_problem"),
        ("деньги ушли не на тот счёт", "wrong_payment"),
        ("服务器宕机了三个小时", "outage"),
        ("我们给客户重复扣款了", "billing_error"),
        ("cobramos dos veces al cliente", "billing_error"),
        ("enviamos la factura del cliente a otra persona", "wrong_recipient"),
        ("il pacco è arrivato con due settimane di ritardo", "delivery_problem"),
        ("no recibió respuesta del soporte", "poor_service"),
        ("промокод в рассылке не работал", "promo_code"),
        ("мы списали деньги с клиента дважды", "billing_error"),
        ("курьер потерял заказ клиента", "delivery_problem"),
        ("快递把客户的包裹弄丢了", "delivery_problem"),
        ("我们不小心删除了客户的数据", "data_loss"),
    ],
)
def test_category_from_the_incident_words(text, category):
    assert triage(Incident(text)).category == category


def test_trivial_errors_get_no_standalone_apology_and_advice_instead():
    for text in ("we sent the newsletter twice", "typo in the subject line"):
        decided = triage(Incident(text))
        assert decided.severity == "trivial"
        assert decided.should_apologize is False
        assert "No standalone apology" in decided.advice
        assert "rule.when-not-to-apologize" in decided.cards


def test_an_explicit_severity_overrides_the_trivial_default():
    decided = triage(Incident("typo in the price of the offer", severity="low"))
    assert decided.should_apologize is True


def test_severity_rises_with_long_outages_big_losses_and_repeats():
    assert triage(Incident("the app crashed")).severity == "medium"
    assert triage(Incident("the app was down for hours")).severity == "high"
    assert triage(Incident("the app crashed", loss=parse_loss("2000 EUR"))).severity == "high"
    assert triage(Incident("the app crashed", prior_failures=1)).severity == "high"
    assert triage(Incident("someone hacked an account", prior_failures=2)).severity == "critical"


def test_stage_follows_fix_status_channel_and_wording():
    assert triage(Incident("the site is down", fix_status="fixed")).stage == "resolved"
    assert triage(Incident("the site was down for two hours")).stage == "resolved"
    assert triage(Incident("the site is still down")).stage == "investigating"
    assert triage(Incident("the site was down", channel="newsletter")).stage == "proactive"
    # Unknown: promise an update rather than claim a fix.
    assert triage(Incident("wrong bank account")).stage == "investigating"


def test_output_language_is_detected_unless_overridden():
    assert triage(Incident("il sito è rimasto offline per tre ore")).language == "it"
    assert triage(Incident("the site was down"), language="es").language == "es"
    french = triage(Incident("le site était en panne pendant trois heures, nous sommes désolés"))
    assert french.language == "en"
    assert "fr" in french.reasons[-1] and "not supported" in french.reasons[-1]


def test_reasons_explain_every_decision():
    decided = triage(Incident("the app was down for hours", prior_failures=1))
    text = " ".join(decided.reasons)
    for word in ("category outage", "raised to high", "earlier failure", "stage", "language"):
        assert word in text
