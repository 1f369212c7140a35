"""Money and time as people write them: the one reader (composer.language.money) in --loss, in
incident
text and in drafts under check, and amounts written back in the customer's locale."""

from __future__ import annotations

from decimal import Decimal

import pytest

from composer.language.money import (
    find_durations,
    find_money,
    format_duration,
    format_money,
    parse_quantity,
)
from composer.understand.incident import IncidentError, parse_loss

# (as written, amount, ISO code, a sentence of an incident in the language that writes it so)
MONEY_FORMS = [
    ("USD 2,400", "2400", "USD", "en", "The wire of USD 2,400 went to an old account."),
    ("2.400,50 €", "2400.50", "EUR", "it", "Abbiamo addebitato 2.400,50 € per errore."),
    ("EUR 14,90", "14.90", "EUR", "es", "Le cobramos EUR 14,90 dos veces."),
    ("1 200 ₽", "1200", "RUB", "ru", "С клиента списали 1 200 ₽ дважды."),
    ("1\u00a0200 ₽", "1200", "RUB", "ru", "Списали 1\u00a0200 ₽ лишних."),
    ("1\u2009200 ₽", "1200", "RUB", "ru", "Вернуть 1\u2009200 ₽ клиенту."),
    ("RUB 3000", "3000", "RUB", "ru", "Клиент потерял RUB 3000 из-за сбоя."),
    ("CNY 688", "688", "CNY", "zh", "客户被多扣了CNY 688。"),
    ("¥688", "688", "CNY", "zh", "订单多收了¥688。"),
    ("688元", "688", "CNY", "zh", "我们多扣了您688元。"),
    ("R$ 50", "50", "BRL", "es", "El cliente pagó R$ 50 de más."),
    ("$1.2k", "1200", "USD", "en", "About $1.2k was paid out twice."),
    ("149 euro", "149", "EUR", "it", "Il rimborso di 149 euro non è arrivato."),
    ("12 euro", "12", "EUR", "it", "Ha pagato 12 euro di spedizione per niente."),
    ("GBP 86", "86", "GBP", "en", "Her GBP 86 grocery order never came."),
    ("£86", "86", "GBP", "en", "Her £86 grocery order never came."),
    ("3 490 руб.", "3490", "RUB", "ru", "Заказ на 3 490 руб. потерялся."),
    ("$239", "239", "USD", "en", "You charged my card twice, $239 each time."),
    ("EUR 79", "79", "EUR", "en", "The EUR 79 refund is late."),
]

TIME_FORMS = [
    ("12 minutes", "12", "minutes", "en", "Checkout was down for 12 minutes."),
    ("6 horas", "6", "hours", "es", "La web estuvo caída 6 horas."),
    ("2 giorni", "2", "days", "it", "Il pacco è in ritardo di 2 giorni."),
    ("3,5 часа", "3.5", "hours", "ru", "Сайт не работал 3,5 часа."),
    ("3小时", "3", "hours", "zh", "系统宕机了3小时。"),
    ("三个半小时", "3.5", "hours", "zh", "客户等了三个半小时。"),
    ("24h", "24", "hours", "en", "The API was degraded for 24h across all regions."),
    ("2h32m", "152", "minutes", "en", "Total downtime was 2h32m."),
    ("three days", "3", "days", "en", "She waited three days for a reply."),
    ("tre giorni", "3", "days", "it", "Ha aspettato tre giorni."),
    ("три часа", "3", "hours", "ru", "Клиент ждал три часа на линии."),
    ("dos días", "2", "days", "es", "El pedido llegó con dos días de retraso."),
    ("2 weeks", "14", "days", "en", "The parcel was 2 weeks late."),
    ("2 недели", "14", "days", "ru", "Клиент ждал 2 недели."),
]


@pytest.mark.parametrize(("written", "amount", "unit", "lang", "sentence"), MONEY_FORMS)
def test_every_amount_form_reads_as_a_loss_and_in_incident_text(
        written, amount, unit, lang, sentence):
    loss = parse_loss(written)
    assert (loss.amount, loss.unit) == (Decimal(amount), unit)
    assert loss.is_money
    found = find_money(sentence)
    assert [(f.quantity.amount, f.quantity.unit) for f in found] == [(Decimal(amount), unit)]
    assert sentence[found[0].start:found[0].end] == found[0].text


@pytest.mark.parametrize(("written", "amount", "unit", "lang", "sentence"), TIME_FORMS)
def test_every_duration_form_reads_as_a_loss_and_in_incident_text(
        written, amount, unit, lang, sentence):
    loss = parse_loss(written)
    assert (loss.amount, loss.unit) == (Decimal(amount), unit)
    assert not loss.is_money
    found = find_durations(sentence)
    assert [(f.quantity.amount, f.quantity.unit) for f in found] == [(Decimal(amount), unit)]


def test_words_after_the_quantity_are_the_leads_own():
    assert parse_loss("2 giorni di lavoro") == parse_loss("2 giorni")


@pytest.mark.parametrize("text", [
    "the 1,150 invoices", "order 55812", "room 12 at 14:30", "the 3rd time this week",
    "I paid 5 knowing it was wrong", "ALL 3 orders", "TOP 10", "TRY 2 more times",
    "the AMD 5950X server", "我买了3块蛋糕", "Li Yuan 13812345678"])
def test_a_bare_number_is_not_money(text):
    assert find_money(text) == []


@pytest.mark.parametrize(("amount", "currency", "lang", "written"), [
    ("2400", "USD", "en", "$2,400"),
    ("2400", "USD", "it", "2.400 USD"),
    ("2400", "USD", "ru", "2 400 $"),
    ("149", "EUR", "en", "€149"),
    ("3490", "RUB", "ru", "3 490 ₽"),
    ("899", "CNY", "zh", "¥899"),
    ("14.9", "EUR", "es", "14,90 €"),
])
def test_amounts_are_written_in_the_customers_locale(amount, currency, lang, written):
    assert format_money(Decimal(amount), currency, lang) == written


def test_what_the_locale_writes_the_checker_reads_back():
    for lang in ("en", "it", "es", "ru", "zh", "de"):
        for currency in ("USD", "EUR", "RUB", "CNY", "GBP"):
            written = format_money(Decimal("2400.5"), currency, lang)
            found = find_money(f"We refunded {written} today.")
            assert [(f.quantity.amount, f.quantity.unit) for f in found] == [
                (Decimal("2400.50"), currency)], written


@pytest.mark.parametrize(("text", "needle"), [
    ("lots", "cannot read loss 'lots'"),
    ("5 zorks", "unknown unit 'zorks'"),
    ("0 EUR", "must be positive"),
])
def test_an_unreadable_loss_is_one_line_naming_the_accepted_forms(text, needle):
    with pytest.raises(IncidentError) as info:
        parse_loss(text)
    message = str(info.value)
    assert needle in message and "\n" not in message
    if "positive" not in needle:
        assert "USD 2,400" in message and "3,5 часа" in message  # the accepted forms


def test_the_same_reader_reads_a_max_compensation_cap():
    assert parse_quantity("EUR 50") == parse_quantity("50 €") == parse_quantity("€50")


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("I paid $5 knowing it was wrong", "5", "USD"),  # "k" of "knowing" is no thousand
    ("€20 kindly refunded", "20", "EUR"),
    ("$2 million", "2000000", "USD"), ("5 тысяч рублей", "5000", "RUB"),
    ("2 mila euro", "2000", "EUR"), ("$1.250k", "1250", "USD"), ("EUR 0.150", "0.150", "EUR"),
    ("2’400 CHF", "2400", "CHF"), ("花了50块钱", "50", "CNY"), ("688元退回", "688", "CNY"),
])
def test_amounts_with_multipliers_and_edges(text, amount, unit):
    assert [(f.quantity.amount, f.quantity.unit) for f in find_money(text)] == [
        (Decimal(amount), unit)]


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("系统宕机3小时后恢复", "3", "hours"), ("等了3天才到货", "3", "days"),
    ("3分钟后恢复", "3", "minutes"), ("半小时", "0.5", "hours"), ("полчаса", "0.5", "hours"),
    ("полтора часа", "1.5", "hours"), ("half an hour", "0.5", "hours"),
    ("two and a half hours", "2.5", "hours"), ("2 giorni e mezzo", "2.5", "days"),
    ("down for 3h", "3", "hours"),
])
def test_durations_followed_by_text_and_halves(text, amount, unit):
    assert [(f.quantity.amount, f.quantity.unit) for f in find_durations(text)] == [
        (Decimal(amount), unit)]


@pytest.mark.parametrize("text", ["3D printer", "a 5 m cable", "2024年3月5日", "3点15分",
                                  "第三天", "the second hour"])
def test_what_is_not_a_duration(text):
    assert find_durations(text) == []


def test_a_whole_value_adds_durations_in_a_row_and_rejects_trailing_digits():
    assert parse_quantity("2 hours 30 minutes") == parse_quantity("2.5 hours")
    for bad in ("EUR 12 34", "EUR 1e3"):
        with pytest.raises(ValueError):
            parse_quantity(bad)


def test_a_currency_word_next_to_a_phone_number_does_not_stop_its_redaction():
    from composer.backends.redact import redactor_for
    from composer.understand.incident import Incident

    for text in ("Contact Li Yuan 13812345678", "联系张元13812345678"):
        assert "13812345678" not in redactor_for(Incident(text)).redact(text)


@pytest.mark.parametrize("loss", ["USD 2,400", "EUR 79", "EUR 14,90", "RUB 3000", "CNY 688"])
def test_compose_check_reads_an_accountants_loss(loss, tmp_path):
    import json
    import subprocess
    import sys

    draft = tmp_path / "draft.txt"
    draft.write_text("We are sorry we charged you twice; we have refunded the full amount.",
                     encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "composer", "check", str(draft), "--incident",
         "we charged the customer twice", "--loss", loss, "--json"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr  # a verdict, not "cannot read loss"
    assert "cannot read" not in result.stderr
    assert json.loads(result.stdout)["verdict"] in ("ready", "needs_changes")


@pytest.mark.parametrize(("lang", "written"), [
    ("en", "2 hours, 40 minutes"), ("de", "2 Stunden, 40 Minuten"), ("it", "2 ore e 40 minuti"),
    ("es", "2 horas 40 minutos"), ("ru", "2 часа 40 минут"), ("zh", "2小时40分钟"),
])
def test_hours_and_minutes_are_written_as_a_customer_says_them(lang, written):
    """160 minutes is "2 hours, 40 minutes", not "2.67 hours"; round amounts keep one unit."""
    assert format_duration(Decimal(160), "minutes", lang) == written
    assert format_duration(Decimal("2.5"), "hours", "en") == "2.5 hours"
    assert format_duration(Decimal(45), "minutes", "en") == "45 minutes"
