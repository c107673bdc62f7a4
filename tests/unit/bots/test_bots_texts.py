"""The message catalog: every language has every text with the same placeholders."""

from __future__ import annotations

import re

import pytest

from shopkeeper.bots import LANGUAGES, t
from shopkeeper.bots.phrases import catalog

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_language_has_every_english_text_with_the_same_placeholders(language: str) -> None:
    english, other = catalog("en"), catalog(language)
    assert set(other) == set(english)
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), key
        assert other[key] != text or key.startswith("btn_"), f"{language}:{key} is untranslated"


def test_text_fills_placeholders_and_falls_back_to_english() -> None:
    assert t("pl", "orders_status", number="SK-1001", status="opłacone") == "Zamówienie SK-1001: opłacone."
    assert t("xx", "cart_empty") == "Your cart is empty."
