"""Rendering to each channel's capabilities: native where it fits, text that still works where it
does not — every choice a reply offers reaches the shopper on every channel."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channel_fixtures import make_adapters

from shopkeeper.channels.messages import (
    Button,
    ButtonsPart,
    Carousel,
    CartLine,
    CartSummary,
    PaymentRequest,
    ProductCard,
    QuickReplies,
    Reply,
)
from shopkeeper.channels.port import NullRenderContext


def card(i: int) -> ProductCard:
    return ProductCard(
        product_id=f"prd_{i:04d}",
        title=f"Trail Runner Model {i} Extra Long Name",
        price_minor=11900,
        currency="EUR",
        price_text="€119.00",
        image_url=f"https://img.test/{i}.jpg",
        buttons=[
            Button(title="View", payload=f"/product prd_{i:04d}"),
            Button(title="Add to cart", payload=f"/add var_{i:04d}"),
        ],
    )


def full_reply() -> Reply:
    reply = Reply(language="en")
    reply.text("Here is what I found")
    reply.add(Carousel(cards=[card(i) for i in range(1, 6)], more_payload="/show_more"))
    reply.add(
        QuickReplies(
            text="Anything else?",
            options=[
                Button(title="Cart", payload="/cart"),
                Button(title="Talk to a human", payload="/human"),
            ],
        )
    )
    reply.add(
        CartSummary(
            cart_id="crt_1",
            lines=[
                CartLine(
                    line_id="ln_1",
                    title="Trail Runner",
                    quantity=1,
                    unit_price_text="€119.00",
                    total_minor=11900,
                    total_text="€119.00",
                )
            ],
            currency="EUR",
            subtotal_minor=11900,
            subtotal_text="€119.00",
            total_minor=11900,
            total_text="€119.00",
            buttons=[
                Button(title="Checkout", payload="/checkout"),
                Button(title="Remove", payload="/remove ln_1"),
            ],
        )
    )
    reply.add(
        PaymentRequest(
            payment_id="pay_1",
            amount_minor=11900,
            currency="EUR",
            amount_text="€119.00",
            url="https://shop.test/pay/pay_1",
        )
    )
    return reply


def rendered(name: str, reply: Reply, ctx: NullRenderContext | None = None) -> tuple[str, NullRenderContext]:
    adapter: Any = make_adapters()[name]
    ctx = ctx or NullRenderContext()
    requests = adapter.render(reply, "user-1", ctx)
    return json.dumps([r.json or r.form for r in requests], ensure_ascii=False), ctx


PAYLOADS = ["/show_more", "/cart", "/human", "/checkout", "/remove ln_1", "/product prd_0001"]
# a card's secondary actions: WhatsApp lists carry one row per card (its primary action, which
# shows the product with all its actions); every other channel shows them in the carousel itself
SECONDARY = {"messenger", "instagram", "telegram", "twilio"}


@pytest.mark.parametrize("name", ["whatsapp", "messenger", "instagram", "telegram", "twilio"])
def test_no_choice_and_no_link_is_dropped(name: str) -> None:
    text, ctx = rendered(name, full_reply())
    for payload in PAYLOADS + (["/add var_0003"] if name in SECONDARY else []):
        reachable = (
            payload in text or payload in ctx.tokens.values() or any(payload in m for m in ctx.menus.values())
        )
        assert reachable, f"{payload} unreachable on {name}"
    assert "shop.test/pay/pay_1" in text and "€119.00" in text


def test_whatsapp_buttons_are_at_most_three_with_short_titles() -> None:
    adapter: Any = make_adapters()["whatsapp"]
    three = Reply().add(
        ButtonsPart(
            text="Size?",
            buttons=[Button(title=f"Size {s} (European sizing)", payload=f"/s {s}") for s in (41, 42, 43)],
        )
    )
    (req,) = adapter.render(three, "u", NullRenderContext())
    buttons = req.json["interactive"]["action"]["buttons"]
    assert req.json["interactive"]["type"] == "button" and len(buttons) == 3
    assert all(len(b["reply"]["title"]) <= 20 for b in buttons)
    seven = Reply().add(
        ButtonsPart(text="Size?", buttons=[Button(title=str(s), payload=f"/s {s}") for s in range(7)])
    )
    (lst,) = adapter.render(seven, "u", NullRenderContext())
    assert lst.json["interactive"]["type"] == "list"
    assert len(lst.json["interactive"]["action"]["sections"][0]["rows"]) == 7
    many = Reply().add(
        ButtonsPart(text="Size?", buttons=[Button(title=str(s), payload=f"/s {s}") for s in range(12)])
    )
    ctx = NullRenderContext()
    (txt,) = adapter.render(many, "u", ctx)
    assert txt.json["type"] == "text" and "12) 11" in txt.json["text"]["body"] and len(ctx.menus["u"]) == 12


def test_whatsapp_payment_link_is_a_cta_url_and_catalog_uses_product_list() -> None:
    adapter: Any = make_adapters()["whatsapp"]
    pay = Reply().add(
        PaymentRequest(
            payment_id="p", amount_minor=1, currency="EUR", amount_text="€0.01", url="https://shop.test/pay/p"
        )
    )
    (req,) = adapter.render(pay, "u", NullRenderContext())
    assert req.json["interactive"]["type"] == "cta_url"
    adapter.catalog_id = "CAT1"
    (mpm,) = adapter.render(Reply().add(Carousel(cards=[card(1), card(2)])), "u", NullRenderContext())
    assert mpm.json["interactive"]["type"] == "product_list"
    assert mpm.json["interactive"]["action"]["catalog_id"] == "CAT1"


def test_telegram_callback_data_never_exceeds_64_bytes() -> None:
    long_payload = "/add " + "var_" + "x" * 80
    reply = Reply().add(
        ButtonsPart(
            text="Pick",
            buttons=[Button(title="Add", payload=long_payload), Button(title="Cart", payload="/cart")],
        )
    )
    ctx = NullRenderContext()
    text, _ = rendered("telegram", reply, ctx)
    data = [b["callback_data"] for row in json.loads(text)[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert all(len(d.encode()) <= 64 for d in data)
    assert long_payload in ctx.tokens.values() and "/cart" in data


def test_messenger_card_buttons_beyond_three_still_reach_the_shopper() -> None:
    adapter: Any = make_adapters()["messenger"]
    crowded = card(1).model_copy(
        update={"buttons": [Button(title=f"B{i}", payload=f"/b{i}") for i in range(5)]}
    )
    ctx = NullRenderContext()
    reqs = adapter.render(Reply().add(crowded), "psid", ctx)
    elements = reqs[0].json["message"]["attachment"]["payload"]["elements"]
    assert len(elements[0]["buttons"]) == 3 and ctx.menus["psid"] == ["/b3", "/b4"]


def test_messenger_carousel_is_a_generic_template_with_quick_reply_for_more() -> None:
    adapter: Any = make_adapters()["messenger"]
    reply = Reply().add(Carousel(cards=[card(i) for i in range(12)], more_payload="/show_more"))
    reqs = adapter.render(reply, "psid", NullRenderContext())
    first = reqs[0].json
    assert first["recipient"] == {"id": "psid"} and first["messaging_type"] == "RESPONSE"
    elements = first["message"]["attachment"]["payload"]["elements"]
    assert len(elements) == 10 and all(len(e["buttons"]) <= 3 for e in elements)
    assert reqs[-1].json["message"]["quick_replies"][0]["payload"] == "/show_more"
    assert "Trail Runner Model 11" in json.dumps(reqs[1].json)  # cards 11-12 as text, not dropped


def test_messenger_agent_past_24h_uses_human_agent_tag() -> None:
    adapter: Any = make_adapters()["messenger"]
    (req,) = adapter.render(
        Reply(sender="agent").text("Sorry for the wait"), "psid", NullRenderContext(), mode="human_agent_tag"
    )
    assert req.json["messaging_type"] == "MESSAGE_TAG" and req.json["tag"] == "HUMAN_AGENT"


def test_sms_numbered_choices_gsm_friendly() -> None:
    adapter: Any = make_adapters()["twilio"]
    reply = Reply().add(
        QuickReplies(
            text="Which one’s yours?",
            options=[Button(title="Cart", payload="/cart"), Button(title="Help", payload="/human")],
        )
    )
    ctx = NullRenderContext()
    (req,) = adapter.render(reply, "+15551234567", ctx)
    form = dict(req.form)
    assert form["To"] == "+15551234567" and form["From"] == "+15557654321"
    assert "1) Cart" in form["Body"] and "2) Help" in form["Body"] and "’" not in form["Body"]
    assert ctx.menus["+15551234567"] == ["/cart", "/human"]


def test_telegram_bot_token_never_reaches_the_http_log(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    import httpx2

    from shopkeeper.adapters.channels import TelegramChannel
    from shopkeeper.channels.port import OutboundRequest

    transport = httpx2.MockTransport(
        lambda r: httpx2.Response(200, json={"ok": True, "result": {"message_id": 1}})
    )
    channel = TelegramChannel(
        bot_token="123456:SECRET-token_x", secret_token="s", api_base="https://tg.test", transport=transport
    )
    with caplog.at_level(logging.INFO, logger="httpx2"):
        assert channel.post(OutboundRequest(path="sendMessage", json={"chat_id": 1, "text": "hi"})).ok
    assert "sendMessage" in caplog.text and "SECRET-token_x" not in caplog.text


def test_whatsapp_lead_in_text_rides_in_the_interactive_body() -> None:
    adapter: Any = make_adapters()["whatsapp"]
    reply = (
        Reply()
        .text("Here is what I found:")
        .add(Carousel(cards=[card(1), card(2)], more_payload="/show_more"))
    )
    (req,) = adapter.render(reply, "u", NullRenderContext())
    assert req.json["interactive"]["type"] == "list"
    assert req.json["interactive"]["body"]["text"].startswith("Here is what I found:\n\n1. Trail Runner")
    long_lead = (
        Reply().text("x" * 1020).add(ButtonsPart(text="Size?", buttons=[Button(title="M", payload="/m")]))
    )
    assert len(adapter.render(long_lead, "u", NullRenderContext())) == 2  # too long to merge: both kept
