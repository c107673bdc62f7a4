"""Resolving what the shopper points at: "the second one", "that one", "the blue one", "the cheaper
one", "the second one in M" — against the last list shown and the focused product (pure logic)."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz

from shopkeeper.bots.model import Item

CHEAPER = (
    "cheaper",
    "cheapest",
    "less expensive",
    "tańsz",
    "najtańsz",
    "lacnejš",
    "najlacnejš",
    "أرخص",
    "الأرخص",
    "便宜",
    "更便宜",
    "最便宜",
)
PRICIER = ("more expensive", "pricier", "droższ", "najdroższ", "drahš", "najdrahš", "أغلى", "更贵", "最贵")


def mentions(text: str, needles: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(n in low for n in needles)


def _entity(u: Any, kind: str) -> Any:
    if u is None:
        return None
    for e in getattr(u, "entities", []):
        if e.type == kind:
            return e.value
    return None


def pick_item(items: list[Item], u: Any, text: str, focus_id: str | None) -> Item | None:
    """The listed item the shopper means, or None if nothing points anywhere."""
    ordinal = _entity(u, "ordinal")
    if isinstance(ordinal, int) and items:
        if ordinal < 0:  # "the last one"
            return items[ordinal] if -ordinal <= len(items) else None
        return items[ordinal - 1] if 1 <= ordinal <= len(items) else None
    if items and mentions(text, CHEAPER) and _entity(u, "price_range") is None:
        return min(items, key=lambda i: i.price_minor)
    if items and mentions(text, PRICIER):
        return max(items, key=lambda i: i.price_minor)
    color = _entity(u, "color")
    if isinstance(color, str) and items:
        for item in items:
            if color.lower() in (c.lower() for c in item.colors):
                return item
    brand = _entity(u, "brand")
    if isinstance(brand, str) and items:
        for item in items:
            if item.brand and item.brand.lower() == brand.lower():
                return item
    if items and len(text) >= 4:
        best = max(items, key=lambda i: fuzz.partial_ratio(i.title.lower(), text.lower()))
        if fuzz.partial_ratio(best.title.lower(), text.lower()) >= 85:
            return best
    if focus_id:
        for item in items:
            if item.product_id == focus_id:
                return item
        return Item(focus_id, "", 0, "EUR")
    if len(items) == 1:
        return items[0]
    return None


def variant_candidates(variants: list[Any], u: Any, text: str) -> list[Any]:
    """Variants whose options match the size/colour words said (all of them if none were said)."""
    size, color = _entity(u, "size"), _entity(u, "color")
    low = f" {text.lower()} "
    said = [str(x).lower() for x in (size, color) if x is not None]
    if not said:
        values = {str(val).lower() for v in variants for val in (v.options or {}).values() if val}
        said = [val for val in values if f" {val} " in low]
    if not said:
        return list(variants)
    return [v for v in variants if set(said) <= {str(val).lower() for val in (v.options or {}).values()}] or [
        v for v in variants if set(said) & {str(val).lower() for val in (v.options or {}).values()}
    ]


def mentions_option(variants: list[Any], u: Any, text: str) -> bool:
    return len(variant_candidates(variants, u, text)) < len(variants)


def pick_variant(variants: list[Any], u: Any, text: str, focused_variant: str | None) -> Any | None:
    """The variant meant by size/colour words; None if the choice is still open."""
    if len(variants) == 1:
        return variants[0]
    matches = variant_candidates(variants, u, text)
    if len(matches) == 1:
        return matches[0]
    if len(matches) == len(variants) and focused_variant:
        return next((v for v in variants if v.id == focused_variant), None)
    return None
