"""Prices, numbers and dates in the shopper's language (babel), so every channel shows them right."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date as _format_date
from babel.numbers import format_decimal

from shopkeeper.kernel.money import Money

LOCALES = {"en": "en_IE", "pl": "pl_PL", "ar": "ar_SA", "zh": "zh_Hans_CN", "sk": "sk_SK"}


@lru_cache(maxsize=32)
def locale_for(language: str) -> str:
    return LOCALES.get(language, language or "en")


def money(value: Money, language: str) -> str:
    return value.format(locale_for(language))


def number(value: int | float, language: str) -> str:
    return _number(value, language)


@lru_cache(maxsize=4096)
def _number(value: int | float, language: str) -> str:
    # Babel's formatting remembered: stock counts and quantities repeat on every card and cart
    return str(format_decimal(value, locale=locale_for(language)))


def day(value: date | datetime, language: str) -> str:
    return str(_format_date(value, format="medium", locale=locale_for(language)))


def days_range(low: int, high: int, language: str) -> str:
    if low == high:
        return number(low, language)
    return f"{number(low, language)}–{number(high, language)}"
