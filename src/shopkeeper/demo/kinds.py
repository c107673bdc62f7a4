"""The shape of a demo product line (a Kind): what the catalog generator varies within it. Pure data
types; the lines themselves live in kinds_*.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SHOE_SIZES = tuple(str(s) for s in range(36, 48))
CLOTHING_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
TODDLER_SIZES = ("74", "80", "86", "92", "98", "104")
KIDS_SIZES = ("98", "104", "110", "116", "122", "128", "134", "140")
ONE_SIZE: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """One product line, e.g. hiking boots: the generator makes `count` products from it.

    `names` maps a language to (noun phrase, grammatical gender: m/f/n/p for pl and sk, m/f for ar).
    `desc` holds English sentences with {placeholders} (brand, model, material, noun and attribute
    keys); a sentence written "attr=value:text" is used only when the attribute has that value.
    """

    key: str
    category: str
    noun: str
    names: dict[str, tuple[str, str]]
    count: int
    brands: tuple[str, ...]
    models: tuple[str, ...]
    price: tuple[int, int]
    colors: tuple[str, ...]
    materials: tuple[str, ...]
    weight_g: tuple[int, int]
    desc: tuple[str, ...]
    praise: tuple[str, ...]
    gripes: tuple[str, ...]
    attrs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ONE_SIZE
    size_span: tuple[int, int] = (4, 6)
    color_count: tuple[int, int] = (1, 3)
    adjective: str | None = None
    suffixes: tuple[str, ...] = ("", "", " 2", " Pro", " Lite", " Plus")
    option: str = "size"
    size_prices: dict[str, int] = field(default_factory=dict)  # size -> extra EUR
    pins: tuple[dict[str, Any], ...] = ()  # fixed choices for the first products of the line
