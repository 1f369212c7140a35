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


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("el boletín del lunes se envió dos veces a toda la base", "duplicate_send"),
        ("Priya can't export invoices to PDF since this morning's release", "product_bug"),
        ("приложение снова вылетает при оплате", "product_bug"),
        ("网站改版后读屏软件也没法用", "product_bug"),
        ("Enviamos por error el correo de renovación a antiguos contactos", "wrong_recipient"),
        ("Durante la migrazione abbiamo cancellato i dati di 40 album", "data_loss"),
        ("系统升级时删除了李娜店铺的商品数据", "data_loss"),
        ("Lamp arrived with a cracked glass shade", "product_bug"),
    ],
)
def test_wordings_the_first_rules_missed(text, category):
    assert triage(Incident(text)).category == category


def test_a_typo_that_changes_a_price_is_a_factual_error_not_a_trivial_slip():
    decided = triage(Incident("Typo in the newsletter: the price was printed as 19 EUR"))
    assert decided.category == "wrong_content" and decided.severity == "low"
    assert decided.should_apologize
    # A plain typo, or a wrong date, stays a quiet correction unless the user says otherwise.
    assert not triage(Incident("typo in the subject line")).should_apologize
    assert not triage(Incident("Refuso nella newsletter: la data era sbagliata")).should_apologize


def test_sensitive_data_sent_to_a_stranger_is_high():
    assert triage(Incident("把孙小姐的体检报告发错人了")).severity == "high"
    assert triage(Incident("we sent her medical report to the wrong person")).severity == "high"
    assert triage(Incident("the renewal reminder went to the wrong list")).severity == "medium"
