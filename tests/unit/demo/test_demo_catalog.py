"""The shipped demo catalog: enough products in the 11 agreed categories, records in the import
format of docs/contracts.md, translations in every shop language, pictures on disk, the products
the issue's example requests need, and a generator that reproduces the file byte for byte."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from shopkeeper.demo import CATALOG_PATH, load_catalog_records
from shopkeeper.demo.build_catalog import IMAGE_DIR, build, pictures

CATEGORIES = {
    "Shoes",
    "Dresses",
    "Jackets & Coats",
    "T-Shirts & Tops",
    "Headphones & Audio",
    "Phones & Accessories",
    "Home & Kitchen",
    "Beauty & Care",
    "Sports & Outdoors",
    "Toys & Kids",
    "Bags & Backpacks",
}
COLORS = {
    "black",
    "white",
    "red",
    "blue",
    "navy",
    "green",
    "grey",
    "beige",
    "pink",
    "brown",
    "yellow",
    "purple",
    "orange",
    "silver",
    "gold",
}


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return load_catalog_records()


def _offers(
    record: dict[str, Any], *, color: str | None = None, size: str | None = None, max_price: str | None = None
) -> bool:
    """Is there an in-stock variant with that colour/size at or under that price?"""
    for v in record["variants"]:
        options = v["options"]
        if color and options.get("color") != color:
            continue
        if size and options.get("size") != size:
            continue
        if max_price and Decimal(v["price"]) > Decimal(max_price):
            continue
        if v["stock"] > 0:
            return True
    return False


def test_catalog_has_over_320_products_spread_over_the_11_categories(records: list[dict[str, Any]]) -> None:
    per_category = Counter(r["category"] for r in records)
    assert len(records) >= 320
    assert set(per_category) == CATEGORIES
    assert min(per_category.values()) >= 25


def test_records_follow_the_import_format(records: list[dict[str, Any]]) -> None:
    handles, skus, titles = set(), set(), set()
    for r in records:
        assert {
            "handle",
            "title",
            "description",
            "brand",
            "category",
            "tags",
            "attributes",
            "images",
            "translations",
            "variants",
            "reviews",
        } <= set(r)
        assert r["handle"] not in handles and r["title"] not in titles
        handles.add(r["handle"])
        titles.add(r["title"])
        assert len(r["description"].split(". ")) >= 2, r["handle"]
        assert all(isinstance(v, str) for v in r["attributes"].values())
        assert 2 <= len(r["reviews"]) <= 8
        assert all(1 <= rv["rating"] <= 5 and rv["body"] and rv["author"] for rv in r["reviews"])
        for v in r["variants"]:
            assert v["sku"] not in skus
            skus.add(v["sku"])
            assert v["currency"] == "EUR"
            assert Decimal(v["price"]).as_tuple().exponent == -2  # "19.00", never "19" or a float
            assert v["compare_at"] is None or Decimal(v["compare_at"]) > Decimal(v["price"])
            assert v["options"]["color"] in COLORS
            assert isinstance(v["stock"], int) and v["stock"] >= 0
            assert isinstance(v["weight_g"], int) and v["weight_g"] > 0


def test_stock_includes_sold_out_and_low_variants(records: list[dict[str, Any]]) -> None:
    stock = [v["stock"] for r in records for v in r["variants"]]
    assert stock.count(0) > 50
    assert sum(1 for s in stock if 1 <= s <= 3) > 100


def test_every_product_is_translated_into_the_four_other_languages(records: list[dict[str, Any]]) -> None:
    for r in records:
        assert set(r["translations"]) == {"pl", "sk", "ar", "zh"}
        for language, t in r["translations"].items():
            assert t["title"] and t["description"], (r["handle"], language)
            assert r["brand"] in t["title"]
            assert t["title"] != r["title"]
    by_handle = {r["handle"]: r for r in records}
    boots = by_handle["alpenwerk-ridgeline-mid-gtx-waterproof-hiking-boots"]["translations"]
    assert boots["pl"]["title"].startswith("Wodoodporne buty trekkingowe")
    assert boots["sk"]["title"].startswith("Nepremokavé turistické topánky")
    assert boots["ar"]["title"].startswith("حذاء للمشي الجبلي مقاوم للماء")
    assert "防水" in boots["zh"]["title"]


def test_reviews_are_mostly_english_with_the_other_shop_languages(records: list[dict[str, Any]]) -> None:
    languages = Counter(rv["language"] for r in records for rv in r["reviews"])
    assert languages["en"] > sum(languages.values()) / 2
    assert {"pl", "sk", "ar", "zh"} <= set(languages)


def test_every_image_the_records_name_is_on_disk(records: list[dict[str, Any]]) -> None:
    for r in records:
        assert r["images"]
        for url in r["images"]:
            assert url.startswith("/static/demo/img/")
            assert (IMAGE_DIR / url.rsplit("/", 1)[1]).is_file(), url


def test_the_issues_example_requests_have_products(records: list[dict[str, Any]]) -> None:
    hiking = [
        r
        for r in records
        if r["category"] == "Shoes"
        and "hiking" in r["tags"]
        and r["attributes"].get("waterproof") == "yes"
        and _offers(r, size="43", max_price="120")
    ]
    red_dresses = [
        r for r in records if r["category"] == "Dresses" and _offers(r, color="red", max_price="46")
    ]
    black_running = [
        r
        for r in records
        if "running" in r["tags"] and r["category"] == "Shoes" and _offers(r, color="black", size="44")
    ]
    warm_toddler = [
        r
        for r in records
        if "toddler" in r["tags"] and r["attributes"].get("warm") == "yes" and _offers(r, max_price="30")
    ]
    iphone_earbuds = [
        r for r in records if "earbuds" in r["tags"] and "iPhone" in r["attributes"]["compatible_with"]
    ]
    bluetooth_zh = [r for r in records if "蓝牙耳机" in r["translations"]["zh"]["title"]]
    laptop_15 = [
        r
        for r in records
        if r["category"] == "Bags & Backpacks"
        and float(r["attributes"].get("laptop_size_in", "0").replace("none", "0")) >= 15
    ]
    nike = [r for r in records if r["brand"] == "Nike" and r["category"] == "Shoes"]
    for found in (
        hiking,
        red_dresses,
        black_running,
        warm_toddler,
        iphone_earbuds,
        bluetooth_zh,
        laptop_15,
        nike,
    ):
        assert len(found) >= 2


def test_product_questions_have_answers_in_the_data(records: list[dict[str, Any]]) -> None:
    by_handle = {r["handle"]: r for r in records}
    boots = by_handle["alpenwerk-ridgeline-mid-gtx-waterproof-hiking-boots"]
    backpack = by_handle["urbanpack-commuter-25-waterproof-laptop-backpack"]
    assert boots["attributes"]["waterproof"] == "yes" and "waterproof" in boots["description"]
    assert backpack["attributes"]["laptop_size_in"] == "15.6" and "15.6 inches" in backpack["description"]


def test_generator_reproduces_the_shipped_files() -> None:
    records = build()
    expected = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    assert CATALOG_PATH.read_text(encoding="utf-8") == expected
    images = pictures(records)
    assert set(images) == {p.name for p in IMAGE_DIR.glob("*.svg")}
    name, svg = next(iter(images.items()))
    assert (IMAGE_DIR / name).read_text(encoding="utf-8") == svg


def test_the_storefronts_featured_products_are_in_the_demo_catalog(records: list[dict[str, Any]]) -> None:
    from shopkeeper.web.storefront import FEATURED_HANDLES

    handles = {r["handle"] for r in records}
    assert set(FEATURED_HANDLES) <= handles
