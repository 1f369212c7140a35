"""Personal data never reaches a remote model, and the model's answer gets it back."""

from __future__ import annotations

import re

import pytest

from composer.backends.redact import Redactor, iban_ok, luhn_ok, redactor_for, should_redact
from composer.understand.incident import Incident

PLACEHOLDER = re.compile(r"\[(EMAIL|PHONE|IBAN|CARD|ACCOUNT|ADDRESS|NAME)_\d+\]")


def redacted(text: str, *names: str) -> tuple[str, Redactor]:
    redactor = Redactor(names=names)
    return redactor.redact(text), redactor


def kinds(redactor: Redactor) -> dict[str, str]:
    """Original value -> kind, for asserting what was recognised as what."""
    return {value: ph[1:].rsplit("_", 1)[0] for ph, value in redactor.found.items()}


# --- each kind is found and replaced ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("write to anna.rossi@example.com today", "anna.rossi@example.com", "EMAIL"),
        ("邮箱wang.fang@example.cn谢谢", "wang.fang@example.cn", "EMAIL"),
        ("call +39 06 1234 5678 please", "+39 06 1234 5678", "PHONE"),
        ("call (555) 123-4567 please", "(555) 123-4567", "PHONE"),
        ("звоните +7 (495) 123-45-67", "+7 (495) 123-45-67", "PHONE"),
        ("или 8 800 555-35-35", "8 800 555-35-35", "PHONE"),
        ("请致电138 0013 8000", "138 0013 8000", "PHONE"),
        ("手机13800138000", "13800138000", "PHONE"),
        ("teléfono +34 912 345 678.", "+34 912 345 678", "PHONE"),
        ("Tel. 333 123 4567", "333 123 4567", "PHONE"),
        ("IBAN DE89 3704 0044 0532 0130 00 EUR", "DE89 3704 0044 0532 0130 00", "IBAN"),
        ("IBAN IT60X0542811101000000123456.", "IT60X0542811101000000123456", "IBAN"),
        ("card 4111 1111 1111 1111 exp 12/26", "4111 1111 1111 1111", "CARD"),
        ("card 5500-0000-0000-0004", "5500-0000-0000-0004", "CARD"),
        ("account number: 12345678901", "12345678901", "ACCOUNT"),
        ("routing 021000021", "021000021", "ACCOUNT"),
        ("conto corrente n. 000012345678", "000012345678", "ACCOUNT"),
        ("número de cuenta: 2100 0418 4502 0005 1332", "2100 0418 4502 0005 1332", "ACCOUNT"),
        ("счёт № 40817810099910004312", "40817810099910004312", "ACCOUNT"),
        ("账号：6222021234567890", "6222021234567890", "ACCOUNT"),
        ("ship to 12 Baker Street, London NW1 6XE.", "12 Baker Street, London NW1 6XE", "ADDRESS"),
        ("spedito a Via Roma 15, 20121 Milano (MI).", "Via Roma 15, 20121 Milano (MI)", "ADDRESS"),
        ("enviado a Calle Mayor 3, 28013 Madrid.", "Calle Mayor 3, 28013 Madrid", "ADDRESS"),
        ("адрес: ул. Тверская, д. 7, кв. 12.", "ул. Тверская, д. 7, кв. 12", "ADDRESS"),
        ("地址：北京市朝阳区建国路88号。", "北京市朝阳区建国路88号", "ADDRESS"),
    ],
)
def test_each_kind_is_found_and_replaced(text, value, kind):
    out, redactor = redacted(text)
    assert value not in out
    assert kinds(redactor) == {value: kind}
    assert f"[{kind}_1]" in out


def test_placeholders_are_numbered_per_kind_in_order_of_appearance():
    out, _ = redacted("a@x.com, b@x.com, +39 06 1234 5678, a@x.com")
    assert out == "[EMAIL_1], [EMAIL_2], [PHONE_1], [EMAIL_1]"


def test_placeholders_do_not_look_like_the_products_fill_ins():
    out, _ = redacted("Dear [[customer name]], we wrote to anna@example.com")
    assert out == "Dear [[customer name]], we wrote to [EMAIL_1]"


# --- checksums ----------------------------------------------------------------------------------


def test_a_luhn_invalid_number_is_not_called_a_card():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    out, redactor = redacted("card 4111 1111 1111 1112 was declined")
    assert "CARD" not in out and redactor.found == {}


def test_a_luhn_invalid_number_with_an_account_label_is_an_account():
    _, redactor = redacted("account 1234567890123456")
    assert kinds(redactor) == {"1234567890123456": "ACCOUNT"}


def test_iban_needs_mod_97():
    assert iban_ok("GB82 WEST 1234 5698 7654 32")
    assert not iban_ok("GB82 WEST 1234 5698 7654 33")
    out, redactor = redacted("IBAN GB82 WEST 1234 5698 7654 33 bounced")
    assert "IBAN_" not in out


# --- what must survive --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We refunded 120 EUR, then €1,250.00 and $ 1,000,000 more.",
        "Il rimborso di 1.250,00 € e di 12.500.000 EUR è partito il 12.03.2024 alle 09:15.",
        "El pedido ORD-2024-00123 de 89,99 € del 12/03/2024 tardó 3 horas (99,95 %).",
        "Заказ #A-10233 на 12 500 000 руб. от 2024-03-12 14:30, скидка 15%.",
        "订单号ORD-2024-00123，金额¥1,250.00，时间2024年3月12日 14:30，延迟3小时。",
        "Ticket #A-10233, invoice 2024001234, ref 123456789, in 2023 2024, 50% of 10 000 users.",
        "Sent via SMS 3 times; nel corso di 3 giorni; open 9-17; version 1.2.3.4.",
        "Our account team charged 1250000 RUB to the account on 2024-03-12.",
    ],
)
def test_amounts_dates_times_and_order_ids_survive(text):
    out, redactor = redacted(text)
    assert out == text
    assert redactor.found == {}


def test_the_company_name_is_kept_even_when_it_shares_the_customers_name():
    redactor = Redactor(names=("Mario Rossi",), keep=("Rossi Assicurazioni",))
    out = redactor.redact("Rossi Assicurazioni si scusa con Mario Rossi. Il sig. Rossi attende.")
    assert out == "Rossi Assicurazioni si scusa con [NAME_1]. Il sig. [NAME_2] attende."


def test_a_lowercase_word_that_spells_a_name_part_is_not_a_name():
    out, _ = redacted("A rose will bloom. Rose Will wrote; Rose called.", "Rose Will")
    assert out == "A rose will bloom. [NAME_1] wrote; [NAME_2] called."


# --- stability and restore ----------------------------------------------------------------------


def test_same_value_same_placeholder_across_messages():
    redactor = Redactor(names=("Anna Rossi",))
    messages = [
        {"role": "system", "content": "You write apologies."},
        {"role": "user", "content": "Anna Rossi (anna@example.com) was charged twice."},
        {"role": "user", "content": "Reply to anna@example.com and call Anna Rossi."},
    ]
    out = redactor.redact_messages(messages)
    assert out[0] == messages[0]
    assert out[1]["content"] == "[NAME_1] ([EMAIL_1]) was charged twice."
    assert out[2]["content"] == "Reply to [EMAIL_1] and call [NAME_1]."
    assert messages[1]["content"].startswith("Anna Rossi")  # the input is not modified


def test_a_value_found_by_its_label_is_redacted_elsewhere_too():
    redactor = Redactor()
    redactor.redact("account number 12345678")
    assert redactor.redact("we refunded 12345678 yesterday") == "we refunded [ACCOUNT_1] yesterday"
    out = redactor.redact("Tel 333 123 4567, again 333 123 4567")
    assert out == "Tel [PHONE_1], again [PHONE_1]"


def test_restore_round_trips_text_exactly():
    text = (
        "Dear Anna Rossi, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, "
        "call +39 06 1234 5678, write anna@example.com, ship to Via Roma 15. Thanks, Anna!"
    )
    out, redactor = redacted(text, "Anna Rossi")
    assert len(PLACEHOLDER.findall(out)) == 7
    assert not [value for value in redactor.found.values() if value in out]
    assert redactor.restore(out) == text


@pytest.mark.parametrize(
    ("answer", "restored"),
    [
        ("Dear [NAME_1],", "Dear Anna Rossi,"),
        ("Dear [name_1],", "Dear Anna Rossi,"),
        ("Dear [ NAME_1 ],", "Dear Anna Rossi,"),
        ("Dear NAME_1,", "Dear Anna Rossi,"),
        ("Dear [[NAME_1]],", "Dear Anna Rossi,"),
        ("Dear [NAME 1],", "Dear Anna Rossi,"),
        ("Dear \\[NAME\\_1\\],", "Dear Anna Rossi,"),
        ("尊敬的【NAME_1】，", "尊敬的Anna Rossi，"),
        ("尊敬的NAME_1，", "尊敬的Anna Rossi，"),
        ("Dear [NAME_7], we wrote to [EMAIL_1]", "Dear [NAME_7], we wrote to anna@example.com"),
        ("Dear [[customer name]] and MY_NAME_1", "Dear [[customer name]] and MY_NAME_1"),
        ("Dear [PHONE_1]", "Dear [PHONE_1]"),
    ],
)
def test_restore_tolerates_what_models_do_to_placeholders(answer, restored):
    _, redactor = redacted("Anna Rossi, anna@example.com", "Anna Rossi")
    assert redactor.restore(answer) == restored


def test_found_maps_placeholders_and_repr_leaks_nothing():
    redactor = Redactor(names=("Anna Rossi",))
    redactor.redact("Anna Rossi, anna@example.com")
    assert redactor.found == {"[NAME_1]": "Anna Rossi", "[EMAIL_1]": "anna@example.com"}
    assert "Anna" not in repr(redactor) and "anna@" not in repr(redactor)


def test_a_single_string_is_taken_as_one_name():
    assert Redactor(names="Anna Rossi").redact("Anna Rossi") == "[NAME_1]"  # type: ignore[arg-type]


# --- names --------------------------------------------------------------------------------------


def test_name_parts_alone_are_names_too():
    text = "Anna Rossi wrote. Dear Anna, Ms Rossi, Anna's refund; Al."
    out, redactor = redacted(text, "Anna Rossi")
    assert out == "[NAME_1] wrote. Dear [NAME_2], Ms [NAME_3], [NAME_2]'s refund; Al."
    assert redactor.found["[NAME_3]"] == "Rossi"


def test_titles_are_not_name_parts():
    out, _ = redacted("Sig.ra Anna Rossi, Mrs Smith, Anna", "Sig.ra Anna Rossi")
    assert out == "Sig.ra [NAME_1], Mrs Smith, [NAME_2]"


def test_russian_names_are_found_in_other_cases():
    text = "Анна Петрова пишет. Анне Петровой вернём деньги, Анну извиним, у Анны и Петровой нет."
    out, redactor = redacted(text, "Анна Петрова")
    for raw in ("Анна", "Анне", "Анну", "Анны", "Петрова", "Петровой"):
        assert raw not in out
    assert out.startswith("[NAME_1] пишет. [NAME_2] вернём")
    assert redactor.restore(out) == text


def test_russian_stem_does_not_swallow_other_words():
    out, _ = redacted("Аннотация к заказу; Ивановка; Иван пришёл, Ивану ответили.", "Иван")
    assert out == "Аннотация к заказу; Ивановка; [NAME_1] пришёл, [NAME_2] ответили."


def test_chinese_names_as_given_and_surname_with_honorific():
    out, _ = redacted("王芳女士您好，王女士的投诉已收到，小王负责。", "王芳")
    assert out == "[NAME_1]女士您好，[NAME_2]女士的投诉已收到，小王负责。"


def test_latin_name_inside_chinese_text():
    out, _ = redacted("亲爱的Anna，Anna Rossi的退款", "Anna Rossi")
    assert out == "亲爱的[NAME_1]，[NAME_2]的退款"


# --- realistic incidents, one per language -----------------------------------------------------

INCIDENTS = {
    "en": (
        ("Anna Rossi",),
        "Customer Anna Rossi (anna.rossi@example.com, +44 20 7946 0958) was charged twice, "
        "120 EUR each, on 2024-03-12 for order #A-10233. Card 4111 1111 1111 1111. The refund "
        "went to account no. 12345678 instead of IBAN GB82 WEST 1234 5698 7654 32. She lives at "
        "12 Baker Street, London NW1 6XE. Anna asked for a call back at 14:30.",
        ("120 EUR", "2024-03-12", "#A-10233", "14:30"),
    ),
    "it": (
        ("Mario Bianchi",),
        "Il cliente Mario Bianchi (mario.bianchi@esempio.it, tel. 333 123 4567) ha ricevuto il "
        "bonifico di 1.250,00 € sul conto 000012345678 invece che sull'IBAN "
        "IT60 X054 2811 1010 0000 0123 456. Ordine ORD-2024-00123 del 12.03.2024. Indirizzo: "
        "Via Roma 15, 20121 Milano (MI). Il sig. Bianchi è arrabbiato.",
        ("1.250,00 €", "ORD-2024-00123", "12.03.2024"),
    ),
    "es": (
        ("Lucía García",),
        "La clienta Lucía García (lucia@ejemplo.es, +34 912 345 678) pagó 89,99 € dos veces con "
        "la tarjeta 5500 0000 0000 0004. Cuenta: 2100 0418 4502 0005 1332, IBAN "
        "ES91 2100 0418 4502 0005 1332. Dirección: Calle Mayor 3, 28013 Madrid. Pedido #A-10233 "
        "del 12/03/2024; García espera 3 días.",
        ("89,99 €", "#A-10233", "12/03/2024", "3 días"),
    ),
    "ru": (
        ("Анна Петрова",),
        "Анне Петровой (anna.petrova@example.ru, +7 (495) 123-45-67) не пришёл возврат "
        "12 500 руб. по заказу № A-10233 от 12.03.2024. Счёт № 40817810099910004312, карта "
        "4111-1111-1111-1111. Адрес: 125009, г. Москва, ул. Тверская, д. 7, кв. 12. Анна ждёт "
        "ответа до 18:00.",
        ("12 500 руб.", "A-10233", "12.03.2024", "18:00"),
    ),
    "zh": (
        ("王芳",),
        "王芳女士（wang.fang@example.cn，电话138 0013 8000）的账号6222021234567890123被重复扣款，"
        "金额¥1,250.00，订单号ORD-2024-00123，时间2024年3月12日 14:30。收货地址：北京市朝阳区"
        "建国路88号。王女士希望尽快退款。",
        ("¥1,250.00", "ORD-2024-00123", "14:30"),
    ),
}
RAW = {
    "en": ("Anna", "Rossi", "anna.rossi@example.com", "7946 0958", "4111 1111 1111 1111",
           "12345678", "GB82 WEST", "Baker Street", "NW1 6XE"),
    "it": ("Mario", "Bianchi", "mario.bianchi@esempio.it", "333 123 4567", "000012345678",
           "IT60 X054", "Via Roma 15", "20121 Milano"),
    "es": ("Lucía", "García", "lucia@ejemplo.es", "912 345 678", "5500 0000 0000 0004",
           "2100 0418", "ES91", "Calle Mayor", "28013 Madrid"),
    "ru": ("Анне", "Петровой", "Анна", "anna.petrova@example.ru", "123-45-67",
           "40817810099910004312", "4111-1111", "Тверская", "125009"),
    "zh": ("王芳", "王女士", "wang.fang@example.cn", "138 0013 8000", "6222021234567890123",
           "建国路88号"),
}


@pytest.mark.parametrize("lang", sorted(INCIDENTS))
def test_a_realistic_incident_keeps_no_raw_value_and_restores(lang):
    names, text, survivors = INCIDENTS[lang]
    out, redactor = redacted(text, *names)
    for raw in RAW[lang]:
        assert raw not in out, raw
    for kept in survivors:
        assert kept in out, kept
    assert len({ph.split("_")[0] for ph in redactor.found}) >= 5  # at least five kinds found
    assert redactor.restore(out) == text


# --- wiring -------------------------------------------------------------------------------------


def test_redactor_for_an_incident_uses_customer_facts_and_keeps_the_company():
    incident = Incident(
        text="Anna was charged twice; Acme Rossi apologises. Parcel to Flat 3, Old Mill.",
        customer="Anna Rossi",
        company="Acme Rossi",
        sender="Marco",
        facts={"customer_name": "Anna Maria Rossi", "address": "Flat 3, Old Mill",
               "account": "premium"},
    )
    redactor = redactor_for(incident)
    out = redactor.redact(incident.text)
    assert out == "[NAME_1] was charged twice; Acme Rossi apologises. Parcel to [ADDRESS_1]."
    assert redactor.redact("Maria and Marco") == "[NAME_2] and Marco"
    assert "premium" not in redactor.found.values()


@pytest.mark.parametrize(
    ("base_url", "setting", "expected"),
    [
        ("http://127.0.0.1:8080/v1", None, False),
        ("http://localhost:11434/v1", None, False),
        ("http://[::1]:8000/v1", None, False),
        ("https://api.openai.com/v1", None, True),
        ("https://llm.internal.example.com/v1", None, True),
        (None, None, True),
        ("http://127.0.0.1:8080/v1", True, True),
        ("https://api.openai.com/v1", False, False),
        (None, False, False),
    ],
)
def test_should_redact_defaults_and_explicit_setting(base_url, setting, expected):
    assert should_redact(base_url, setting) is expected
