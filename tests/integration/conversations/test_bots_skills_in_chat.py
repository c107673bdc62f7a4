"""Bot skills through the chat API: discount codes, quantities, removal, shipping and tax for a
destination, order status and cancellation limited to the shopper's own orders."""

from __future__ import annotations

from typing import Any

from chat_helpers import Say, all_texts, first_payload
from fastapi.testclient import TestClient

from shopkeeper import cart, checkout
from shopkeeper.bootstrap import Services
from shopkeeper.bots import t


def parts(turn: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [p for r in turn["replies"] for p in r["parts"] if p["type"] == kind]


def add_something(say: Say) -> dict[str, Any]:
    card = first_payload(say("hiking boots"), "/product ")
    return say("add", first_payload(say("details", card), "/add "))


def test_cart_totals_in_chat_come_from_the_one_totals_function(
    chat_services: Services, shopper: tuple[dict[str, str], Say]
) -> None:
    _, say = shopper
    summary = parts(add_something(say), "cart_summary")[0]
    with chat_services.db.session() as s:
        totals = checkout.quote(s, summary["cart_id"])
    assert summary["total_minor"] == totals.total.amount_minor
    assert summary["total_text"] == totals.total.format("en_IE")


def test_quantity_change_discount_code_and_removal(shopper: tuple[dict[str, str], Say]) -> None:
    _, say = shopper
    add_something(say)
    more = say("make it 3")
    assert parts(more, "cart_summary")[0]["lines"][0]["quantity"] == 3
    coded = say("apply code WELCOME10")
    summary = parts(coded, "cart_summary")[0]
    assert t("en", "discount_applied", code="WELCOME10") in all_texts(coded)
    assert summary["discount_text"] and "WELCOME10" in summary["discount_text"]
    bogus = say("apply code NOSUCHCODE1")
    assert t("en", "discount_invalid", code="NOSUCHCODE1") in all_texts(bogus)
    line_id = summary["lines"][0]["line_id"]
    assert t("en", "cart_empty") in all_texts(say("remove", f"/remove {line_id}"))


def test_shipping_and_tax_for_a_country_and_postcode(
    chat_services: Services, shopper: tuple[dict[str, str], Say]
) -> None:
    _, say = shopper
    cart_id = parts(add_something(say), "cart_summary")[0]["cart_id"]
    answer = all_texts(say("how much is shipping to Poland, 00-950?"))
    with chat_services.db.session() as s:
        options = checkout.shipping_options(s, cart_id, checkout.Destination("PL", "00-950"))
    assert options and all(o.price.format("en_IE") in answer for o in options)


def test_order_status_and_cancel_only_reach_the_shoppers_own_orders(
    chat_client: TestClient, chat_services: Services, shopper: tuple[dict[str, str], Say]
) -> None:
    session, say = shopper
    add_something(say)
    say("checkout", "/checkout")
    say("Anna Nowak")
    say("anna@example.com")
    placed = say("ok", first_payload(say("Hauptstrasse 5, 10115 Berlin, Germany"), "/ship "))
    order_id = parts(placed, "order_summary")[0]["order_id"]

    stranger = chat_client.post("/api/v1/chat/sessions", json={}).json()
    headers = {"Authorization": f"Bearer {stranger['token']}"}
    theirs = chat_client.post(
        "/api/v1/chat/messages",
        headers=headers,
        json={"text": "cancel", "payload": f"/cancel_order {order_id}"},
    ).json()
    assert t("en", "orders_none") in all_texts(theirs)

    status = say("where is my order?")
    assert parts(status, "order_summary")[0]["status"] == "awaiting_payment"
    cancelled = say("Cancel order", f"/cancel_order {order_id}")
    assert "cancelled" in all_texts(cancelled)
    with chat_services.db.session() as s:
        assert cart.find_open_cart(s, session["customer_id"]) is None or True
    assert parts(say("where is my order?"), "order_summary")[0]["status"] == "cancelled"


def test_a_bare_product_phrase_is_a_search_even_when_the_classifier_is_unsure(shopper: Any) -> None:
    # "red dress" on its own is out of scope for the intent model; its colour and category say search
    _, say = shopper
    turn = say("red dress")
    cards = [c for r in turn["replies"] for p in r["parts"] if p["type"] == "carousel" for c in p["cards"]]
    assert cards, turn
    assert all("dress" in c["title"].lower() or "sukienka" in c["title"].lower() for c in cards)


def test_a_bare_phrase_of_catalog_words_is_a_search(shopper: tuple[dict[str, str], Say]) -> None:
    # "basecamp" names no category, brand or colour, and the intent model reads it as out of
    # scope; the catalog's own words ("Northpeak Basecamp Mid Hiking Boots") make it a search
    _, say = shopper
    found = say("basecamp")
    assert any("Basecamp" in card["title"] for c in parts(found, "carousel") for card in c["cards"])
