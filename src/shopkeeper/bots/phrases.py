"""The bot's message catalog: natural texts per language in bots/texts/<lang>.json, looked up by key
with named placeholders. A missing key falls back to English, never to the key itself."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

TEXTS_DIR = Path(__file__).parent / "texts"
FALLBACK = "en"


@lru_cache(maxsize=16)
def catalog(language: str) -> dict[str, Any]:
    path = TEXTS_DIR / f"{language}.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def t(language: str, key: str, **values: object) -> str:
    """The text for `key` in `language` with {placeholders} filled in."""
    template = catalog(language).get(key)
    if not isinstance(template, str):
        template = catalog(FALLBACK).get(key)
    if not isinstance(template, str):
        raise KeyError(f"bot text {key!r} is missing in {FALLBACK}.json")
    return template.format(**values) if values else template


def words(language: str, key: str) -> list[str]:
    """A list entry of the catalog (e.g. status names), English if the language lacks it."""
    value = catalog(language).get(key)
    if not isinstance(value, list):
        value = catalog(FALLBACK).get(key, [])
    return [str(v) for v in value]


def languages() -> list[str]:
    return sorted(p.stem for p in TEXTS_DIR.glob("*.json"))
