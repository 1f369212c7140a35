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
