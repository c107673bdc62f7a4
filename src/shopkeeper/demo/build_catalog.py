"""Writes the demo catalog (`catalog.jsonl`) and its product pictures from the product lines in
kinds_*.py, with a fixed seed so the output is identical on every run.

    python -m shopkeeper.demo.build_catalog      # rewrites src/shopkeeper/demo/catalog.jsonl + SVGs
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from shopkeeper.demo import kinds_bags, kinds_clothing, kinds_fashion, kinds_home, kinds_outdoor, kinds_tech
from shopkeeper.demo.images import product_svg
from shopkeeper.demo.kinds import Kind
from shopkeeper.demo.reviews import write_reviews
from shopkeeper.demo.words import (
    AGE_LABEL,
    BRAND_FRAME,
    COLOR_NAMES,
    COLORS_LABEL,
    FACTS,
    LANGUAGES,
    LIST_SEPARATOR,
    MATERIAL_LABEL,
    MATERIALS,
    adjective,
    age_text,
    decimal_text,
)

SEED = 20260212
DEMO_DIR = Path(__file__).parent
CATALOG_PATH = DEMO_DIR / "catalog.jsonl"
IMAGE_DIR = DEMO_DIR.parent / "web" / "static" / "demo" / "img"
IMAGE_URL = "/static/demo/img"
CURRENCY = "EUR"
ALL_KINDS: tuple[Kind, ...] = (
    kinds_fashion.KINDS
    + kinds_clothing.KINDS
    + kinds_tech.KINDS
    + kinds_home.KINDS
    + kinds_outdoor.KINDS
    + kinds_bags.KINDS
)
_CONDITION = re.compile(r"^(\w+)=(\w+):")
_BOOLEAN_FACTS = ("waterproof", "warm", "noise_cancelling")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _price(euros: int, rng: random.Random) -> Decimal:
    cents = rng.choice((99, 99, 95, 90, 0, 49))
    return (Decimal(euros) + Decimal(cents) / 100).quantize(Decimal("0.01"))


def _uses_adjective(kind: Kind, attrs: dict[str, str]) -> bool:
    if kind.adjective is None:
        return False
    return attrs.get(kind.adjective, "yes") == "yes"


def _english_description(kind: Kind, ctx: dict[str, str], colors: list[str], sizes: list[str]) -> str:
    sentences = []
    for template in kind.desc:
        match = _CONDITION.match(template)
        if match:
            if ctx.get(match.group(1)) != match.group(2):
                continue
            template = template[match.end() :]
        sentences.append(template.format(**ctx))
    if len(colors) > 1 or kind.color_count[1] > 1:
        sentences.append("Colours: " + ", ".join(COLOR_NAMES[c]["en"] for c in colors) + ".")
    if sizes:
        label = _size_label(kind)
        sentences.append(
            f"{label}: {sizes[0]}-{sizes[-1]}." if len(sizes) > 2 else f"{label}: {', '.join(sizes)}."
        )
    return _articles(" ".join(sentences))


def _size_label(kind: Kind) -> str:
    if kind.option != "size":
        return _cap(kind.option) + "s"
    if kind.sizes[0] == "36":
        return "EU sizes"
    return "Sizes (height in cm)" if kind.sizes[0].isdigit() else "Sizes"


def _articles(text: str) -> str:
    """'A Urban Nomad polo' -> 'An Urban Nomad polo' (brand names are filled into 'A {brand}')."""
    return re.sub(r"\bA (?=[AEIOU])", "An ", text)


def _arabic_count(text: str, value: str) -> str:
    """Arabic counted nouns take the plural after 3-10 ("8 ساعات") and the singular otherwise."""
    if value.isdigit() and 3 <= int(value) <= 10:
        return text.replace("ساعة", "ساعات").replace("لتر", "لترات")
    return text


def _translatable_compat(value: str) -> bool:
    """Translate a compatibility list only when it is made of product names, not English prose."""
    words = re.findall(r"[A-Za-z]+", value.replace(" and ", ", "))
    return all(not w.islower() or w in {"iPhone", "iPad", "macOS"} for w in words)


def _facts(attrs: dict[str, str], language: str) -> list[str]:
    facts = []
    for key, frames in FACTS.items():
        value = attrs.get(key)
        if value is None or value in ("no", "none"):
            continue
        if key in _BOOLEAN_FACTS:
            facts.append(frames[language])
        elif key == "compatible_with":
            if _translatable_compat(value):
                facts.append(frames[language].format(v=value.replace(" and ", ", ")))
        else:
            fact = frames[language].format(v=decimal_text(value, language))
            facts.append(_arabic_count(fact, value) if language == "ar" else fact)
    if "age_range" in attrs:
        text = age_text(attrs["age_range"], language)
        fact = AGE_LABEL[language].format(v=text.replace(" ", "") if language == "zh" else text)
        facts.append(fact.replace("..", "."))
    return facts


def _translations(
    kind: Kind, brand: str, model: str, material: str, attrs: dict[str, str], colors: list[str]
) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        noun, gender = kind.names[lang]
        adj = (
            adjective(kind.adjective, lang, gender) if kind.adjective and _uses_adjective(kind, attrs) else ""
        )
        if lang == "zh" and adj and adj in noun:
            adj = ""
        if lang in ("pl", "sk"):
            phrase = f"{adj} {noun}".strip()
            title = f"{_cap(phrase)} {brand} {model}"
        elif lang == "ar":
            phrase = f"{noun} {adj}".strip()
            title = f"{phrase} {brand} {model}"
        else:
            phrase = f"{adj}{noun}"
            title = f"{brand} {model} {phrase}"
        parts = [
            BRAND_FRAME[lang].format(name=_cap(phrase), brand=brand),
            MATERIAL_LABEL[lang].format(v=MATERIALS[material][lang]),
            *_facts(attrs, lang),
        ]
        if colors:
            names = LIST_SEPARATOR[lang].join(COLOR_NAMES[c][lang] for c in colors)
            parts.append(COLORS_LABEL[lang].format(v=names))
        out[lang] = {"title": title, "description": ("" if lang == "zh" else " ").join(parts)}
    return out


def _stock(rng: random.Random, pinned: bool) -> int:
    roll = rng.random()
    if roll < 0.09 and not pinned:
        return 0
    if roll < 0.22:
        return rng.randint(1, 3)
    return rng.randint(4, 40)


def _variants(
    kind: Kind,
    number: int,
    price: Decimal,
    compare_at: Decimal | None,
    colors: list[str],
    sizes: list[str],
    weight: int,
    rng: random.Random,
    pinned: bool,
) -> list[dict[str, Any]]:
    variants = []
    size_list: list[str | None] = [*sizes] or [None]
    for color in colors:
        for size in size_list:
            extra = Decimal(kind.size_prices.get(size or "", 0))
            options = {kind.option: size, "color": color} if size else {"color": color}
            grams = weight
            if size and size.isdigit() and kind.sizes and kind.sizes[0] == "36":
                # a shoe gets 3 % heavier per EU size above 42 (lighter below), to the nearest 10 g
                scaled = Decimal(weight) * (1 + Decimal(int(size) - 42) * Decimal("0.03"))
                grams = int(scaled.quantize(Decimal("1E1"), rounding=ROUND_HALF_EVEN))
            sku_size = f"-{slugify(size).upper()}" if size else ""
            variants.append(
                {
                    "sku": f"SK{number:04d}-{color.upper()}{sku_size}",
                    "title": " / ".join(x for x in (size, COLOR_NAMES[color]["en"]) if x),
                    "options": options,
                    "price": str(price + extra),  # both Decimal("0.01")-quantized: "19.00", never "19"
                    "currency": CURRENCY,
                    "compare_at": str(compare_at + extra) if compare_at is not None else None,
                    "weight_g": int(grams),
                    "stock": _stock(rng, pinned),
                }
            )
    return variants


def _pick_sizes(kind: Kind, rng: random.Random) -> list[str]:
    if not kind.sizes:
        return []
    span = min(len(kind.sizes), rng.randint(*kind.size_span))
    start = rng.randint(0, len(kind.sizes) - span)
    return list(kind.sizes[start : start + span])


def _model_name(kind: Kind, rng: random.Random) -> str:
    base, suffix = rng.choice(kind.models), rng.choice(kind.suffixes)
    return base if suffix.strip() and suffix.strip() in base else base + suffix


def make_product(kind: Kind, index: int, number: int, rng: random.Random, used: set[str]) -> dict[str, Any]:
    pin = kind.pins[index] if index < len(kind.pins) else {}
    brand = pin.get("brand") or rng.choice(kind.brands)
    model = pin.get("model") or _model_name(kind, rng)
    attrs = {key: rng.choice(values) for key, values in kind.attrs.items()}
    attrs.update(pin.get("attrs", {}))
    adj = f"{_adjective_en(kind)} " if _uses_adjective(kind, attrs) else ""
    title = f"{brand} {model} {adj}{kind.noun}"
    while title in used:  # another product of the line drew the same name: give it a series number
        model = f"{model} {rng.randint(2, 9)}"
        title = f"{brand} {model} {adj}{kind.noun}"
    used.add(title)
    material = rng.choice(kind.materials)
    n_colors = min(len(kind.colors), rng.randint(*kind.color_count))
    colors = list(pin.get("colors") or rng.sample(kind.colors, n_colors))
    sizes = list(pin.get("sizes") or _pick_sizes(kind, rng))
    price = _price(int(pin.get("price") or rng.randint(*kind.price)), rng)
    compare_at = None
    if rng.random() < 0.22:
        compare_at = (price * Decimal(rng.choice(("1.2", "1.25", "1.3", "1.4")))).quantize(
            Decimal(1)
        ) - Decimal("0.01")
    weight = round(rng.randint(*kind.weight_g), -1) or kind.weight_g[0]
    ctx = {
        "brand": brand,
        "model": model,
        "material": MATERIALS[material]["en"],
        "weight": str(weight),
        "noun": kind.noun.lower(),
        **attrs,
    }
    handle = slugify(title)
    attributes = {"material": MATERIALS[material]["en"], **{k: v for k, v in attrs.items() if v != "none"}}
    quality = rng.choice((3.2, 3.8, 4.2, 4.5, 4.5, 4.8))
    tags = [*kind.tags, *(["sale"] if compare_at else []), *(["bestseller"] if quality >= 4.8 else [])]
    return {
        "handle": handle,
        "title": title,
        "description": _english_description(kind, ctx, colors, sizes),
        "brand": brand,
        "category": kind.category,
        "tags": tags,
        "attributes": attributes,
        "images": [f"{IMAGE_URL}/{handle}-{color}.svg" for color in colors],
        "translations": _translations(kind, brand, model, material, attrs, colors),
        "variants": _variants(kind, number, price, compare_at, colors, sizes, weight, rng, bool(pin)),
        "reviews": write_reviews(kind, quality, rng, colors, sizes, kind.option),
    }


def _adjective_en(kind: Kind) -> str:
    from shopkeeper.demo.words import ADJECTIVES

    word = ADJECTIVES[kind.adjective]["en"] if kind.adjective else ""
    return "" if word.lower() in kind.noun.lower() else word


def build(seed: int = SEED) -> list[dict[str, Any]]:
    """Every demo product record, in a stable order."""
    records: list[dict[str, Any]] = []
    used: set[str] = set()
    for kind in ALL_KINDS:
        rng = random.Random(f"{seed}:{kind.key}")
        for index in range(kind.count):
            records.append(make_product(kind, index, len(records) + 1, rng, used))
    return records


def pictures(records: list[dict[str, Any]]) -> dict[str, str]:
    """File name -> SVG text for every product image the records reference."""
    out: dict[str, str] = {}
    for record in records:
        for url in record["images"]:
            name = url.rsplit("/", 1)[1]
            color = name.removesuffix(".svg").rsplit("-", 1)[1]
            out[name] = product_svg(record["category"], color, record["brand"])
    return out


def write(catalog_path: Path = CATALOG_PATH, image_dir: Path = IMAGE_DIR, seed: int = SEED) -> int:
    records = build(seed)
    catalog_path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    image_dir.mkdir(parents=True, exist_ok=True)
    images = pictures(records)
    for stale in image_dir.glob("*.svg"):
        if stale.name not in images:
            stale.unlink()
    for name, svg in images.items():
        (image_dir / name).write_text(svg, encoding="utf-8")
    return len(records)


def main() -> None:
    count = write()
    print(f"wrote {count} products to {CATALOG_PATH} and their pictures to {IMAGE_DIR}")


if __name__ == "__main__":
    main()
