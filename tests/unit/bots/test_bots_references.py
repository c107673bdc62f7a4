"""Resolving "the second one", "the blue one", "the cheaper one", "that one", "the second one in M"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shopkeeper.bots import Item
from shopkeeper.bots.references import pick_item, pick_variant, variant_candidates


@dataclass
class E:
    type: str
    value: Any


@dataclass
class U:
    entities: list[E] = field(default_factory=list)


@dataclass
class V:
    id: str
    options: dict[str, str]


ITEMS = [
    Item("p1", "Trail Boot", 12000, "EUR", ["black"], "Alpenwerk"),
    Item("p2", "City Sneaker", 8000, "EUR", ["blue", "white"], "Nike"),
    Item("p3", "Beach Sandal", 3000, "EUR", ["red"], "Trailcraft"),
]
VARIANTS = [
    V("v1", {"size": "S", "color": "blue"}),
    V("v2", {"size": "M", "color": "blue"}),
    V("v3", {"size": "M", "color": "black"}),
]


def test_ordinal_points_at_the_listed_position() -> None:
    assert pick_item(ITEMS, U([E("ordinal", 2)]), "the second one", None) is ITEMS[1]
    assert pick_item(ITEMS, U([E("ordinal", -1)]), "the last one", None) is ITEMS[2]
    assert pick_item(ITEMS, U([E("ordinal", 7)]), "the seventh", None) is None


def test_colour_brand_and_cheaper_pick_the_matching_item() -> None:
    assert pick_item(ITEMS, U([E("color", "blue")]), "the blue one", None) is ITEMS[1]
    assert pick_item(ITEMS, U([E("brand", "Alpenwerk")]), "the alpenwerk", None) is ITEMS[0]
    assert pick_item(ITEMS, U(), "the cheaper one", None) is ITEMS[2]
    assert pick_item(ITEMS, U(), "ten najtańszy", None) is ITEMS[2]
    assert pick_item(ITEMS, U(), "the more expensive one", None) is ITEMS[0]


def test_that_one_means_the_focused_product() -> None:
    assert pick_item(ITEMS, U([E("reference", "that")]), "that one", "p3") is ITEMS[2]
    assert pick_item([], U(), "it", "p9") == Item("p9", "", 0, "EUR")
    assert pick_item(ITEMS, U(), "hmm", None) is None


def test_variant_by_size_and_colour_words() -> None:
    assert pick_variant(VARIANTS, U([E("size", "S")]), "in S", None) is VARIANTS[0]
    assert pick_variant(VARIANTS, U([E("size", "M"), E("color", "black")]), "M black", None) is VARIANTS[2]
    assert pick_variant(VARIANTS, U(), "the black one", None) is VARIANTS[2]  # option word, no entity


def test_ambiguous_variant_stays_open_with_the_matching_candidates() -> None:
    u = U([E("size", "M")])
    assert pick_variant(VARIANTS, u, "in M", None) is None
    assert variant_candidates(VARIANTS, u, "in M") == VARIANTS[1:]
    assert pick_variant(VARIANTS, U(), "add it", "v2") is VARIANTS[1]
