from __future__ import annotations

import pytest

from composer.language.detect import detect_language, is_supported


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("wrong bank account", "en"),
        ("We charged you twice for the March invoice.", "en"),
        ("il sito è rimasto offline per tre ore", "it"),
        ("Abbiamo inviato la newsletter due volte ai nostri clienti", "it"),
        ("Enviamos el boletín dos veces", "es"),
        ("El pago se envió a una cuenta equivocada", "es"),
        ("рассылка ушла дважды", "ru"),
        ("我们把钱转错了账户", "zh"),
        ("nous avons envoyé la newsletter deux fois", "fr"),
    ],
)
def test_detects_language(text, lang):
    assert detect_language(text) == lang


def test_text_without_letters_has_no_language():
    assert detect_language("12345 !!!") is None


def test_french_is_recognised_as_unsupported():
    assert not is_supported(detect_language("Nous sommes désolés pour cette erreur"))


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        ("Pacco in ritardo di 2 giorni.", "it"),
        ("Doppio addebito", "it"),
        ("IBAN sbagliato", "it"),
        ("Newsletter inviata due volte", "it"),
        ("Cobro duplicado", "es"),
        ("Pedido retrasado", "es"),
        ("Двойное списание", "ru"),
        ("重复扣款", "zh"),
        ("Paket zu spät", "de"),
        ("Double charge", "en"),
    ],
)
def test_short_ticket_titles_are_read_in_their_language(title, lang):
    """A title of two or three words decides the language the whole email is written in."""
    assert detect_language(title) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [("注文が届きませんでした", "ja"), ("주문이 도착하지 않았습니다", "ko"), ("طلبي لم يصل", "ar"),
     ("Não recebemos o pedido do cliente", "pt"),
     ("Le colis est arrivé avec trois jours de retard", "fr")],
)
def test_a_language_without_packs_is_named_not_taken_for_another(text, lang):
    assert detect_language(text) == lang
    assert not is_supported(lang)
