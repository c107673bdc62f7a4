"""The demo FAQ/policy texts: ~20 topics in every shop language, and figures that agree with the
checkout configuration the bot quotes from (free-shipping thresholds, reservation time)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shopkeeper.demo import FAQ_LANGUAGES, load_faq

CHECKOUT_CONFIG = Path(__file__).parents[3] / "src" / "shopkeeper" / "checkout" / "demo_config.json"


@pytest.fixture(scope="module")
def faq() -> list[dict[str, Any]]:
    return load_faq()


def _answer(faq: list[dict[str, Any]], entry_id: str, language: str = "en") -> str:
    return str(next(e for e in faq if e["id"] == entry_id)["answer"][language])


def test_faq_covers_the_policy_topics_in_every_language(faq: list[dict[str, Any]]) -> None:
    ids = [e["id"] for e in faq]
    assert len(ids) == len(set(ids)) >= 18
    assert {
        "returns",
        "refunds",
        "delivery_times",
        "shipping_costs",
        "payment_methods",
        "instalments",
        "order_tracking",
        "cancellation",
        "exchanges",
        "warranty",
        "gift_cards",
        "contact",
        "privacy",
        "international_shipping",
        "damaged_items",
        "discount_codes",
    } <= set(ids)
    for entry in faq:
        assert entry["topic"]
        for field in ("question", "answer"):
            assert set(entry[field]) == set(FAQ_LANGUAGES), (entry["id"], field)
            assert all(text.strip() for text in entry[field].values())


def test_returns_answer_states_30_days_in_every_language(faq: list[dict[str, Any]]) -> None:
    for language in FAQ_LANGUAGES:
        assert "30" in _answer(faq, "returns", language)


@pytest.mark.skipif(not CHECKOUT_CONFIG.exists(), reason="checkout demo configuration not present")
def test_shipping_figures_agree_with_the_checkout_configuration(faq: list[dict[str, Any]]) -> None:
    config = json.loads(CHECKOUT_CONFIG.read_text(encoding="utf-8"))
    costs = _answer(faq, "shipping_costs")
    thresholds = {m["free_over"] for z in config["zones"] for m in z["methods"] if m.get("free_over")}
    for threshold in thresholds:
        assert f"free from {Decimal(threshold):.0f} EUR" in costs, threshold
    flat = {
        m["price"]
        for z in config["zones"]
        for m in z["methods"]
        if m["kind"] == "flat" and m["price"] != "0.00"
    }
    mentioned = [price for price in flat if f"{price} EUR" in costs]
    assert len(mentioned) >= 3
    assert f"{config['reservation_minutes']} minutes" in _answer(faq, "reservation")


@pytest.mark.skipif(not CHECKOUT_CONFIG.exists(), reason="checkout demo configuration not present")
def test_discount_codes_in_the_faq_exist_in_the_checkout_configuration(faq: list[dict[str, Any]]) -> None:
    config = json.loads(CHECKOUT_CONFIG.read_text(encoding="utf-8"))
    codes = {d["code"]: d for d in config["discounts"]}
    answer = _answer(faq, "discount_codes")
    for code in ("WELCOME10", "SAVE5"):
        assert code in answer
        assert f"from {Decimal(codes[code]['min_subtotal']):.0f} EUR" in answer
