"""Numerals across scripts and language identification restricted to the merchant's languages."""

from __future__ import annotations

import pytest

from shopkeeper.bots.nlu.language import detect_language
from shopkeeper.bots.nlu.numerals import chinese_to_int, normalize

LANGS = ["en", "pl", "ar", "zh", "sk"]


@pytest.mark.parametrize(
    ("run", "value"), [("两百", 200), ("二十五", 25), ("十", 10), ("一千五百", 1500), ("三万", 30000)]
)
def test_chinese_numerals(run: str, value: int) -> None:
    assert chinese_to_int(run) == value


def test_normalize_maps_digits_and_keeps_offsets_into_the_original() -> None:
    norm = normalize("买两百元")
    assert norm.text == "买200元"
    assert norm.span(1, 4) == (1, 3)
    arabic = normalize("٥٠ دولار")
    assert arabic.text.startswith("50 ")
    assert arabic.span(0, 2) == (0, 2)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ok", "en"),
        ("tak", "pl"),
        ("好的", "zh"),
        ("نعم", "ar"),
        ("áno", "sk"),
        ("I'm looking for running shoes", "en"),
        ("szukam butów do biegania", "pl"),
        ("hľadám bežecké topánky", "sk"),
        ("dziękuję bardzo", "pl"),
        ("ďakujem pekne", "sk"),
    ],
)
def test_language_of_short_and_long_messages(text: str, language: str) -> None:
    assert detect_language(text, LANGS) == language


def test_detection_never_leaves_the_configured_languages() -> None:
    assert detect_language("Guten Tag, ich suche Schuhe", ["en", "pl"]) in {"en", "pl"}
    assert detect_language("你好", ["en", "pl"]) in {"en", "pl"}
    assert detect_language("anything", ["sk"]) == "sk"
