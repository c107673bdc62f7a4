"""A stand-in server that speaks the web chat protocol with canned replies covering every part type
of `shopkeeper.channels.messages`, so the widget's rendering and both transports are tested on their
own (the purchase test runs the real app)."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from shopkeeper.channels.messages import (
    Button,
    ButtonsPart,
    Carousel,
    CartLine,
    CartSummary,
    ImagePart,
    OrderSummary,
    PaymentRequest,
    ProductCard,
    QuickReplies,
    Reply,
    TextPart,
)
from shopkeeper.web.templating import STATIC_DIR

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>widget</title></head>
<body style="background:#f0f2f5"><shop-chat language="en" shop-name="Fake Shop"></shop-chat>
<script src="/static/widget/shop-chat.js"></script></body></html>"""
IMG = "/static/demo/img/alpenwerk-ridgeline-mid-gtx-waterproof-hiking-boots-brown.svg"


def _card(n: int) -> ProductCard:
    return ProductCard(
        product_id=f"prd_{n}",
        title=f"Trail Boot {n}",
        subtitle="Alpenwerk · waterproof",
        image_url=IMG,
        price_minor=10999,
        currency="EUR",
        price_text="€109.99",
        compare_at_text="€139.99" if n == 1 else None,
        rating=4.5,
        review_count=12,
        in_stock=n != 3,
        stock_text="In stock" if n != 3 else "Sold out",
        buttons=[
            Button(title="Details", payload=f"/product prd_{n}"),
            Button(title="Add", payload=f"/add var_{n}"),
        ],
        position=n,
    )


def reply_to(text: str, payload: str | None) -> list[Reply]:
    """The canned conversation: each keyword answers with one kind of part."""
    key = payload or text.lower()
    line = CartLine(
        line_id="lin_1",
        title="Trail Boot 1",
        variant_title="43 / Brown",
        quantity=1,
        unit_price_text="€109.99",
        total_minor=10999,
        total_text="€109.99",
        image_url=IMG,
    )
    if "boots" in key:
        return [
            Reply(
                parts=[
                    TextPart(text="Here are waterproof boots:"),
                    Carousel(cards=[_card(1), _card(2), _card(3)], more_payload="/show_more"),
                ]
            )
        ]
    if key == "/show_more":
        return [Reply(parts=[Carousel(cards=[_card(4), _card(5)])])]
    if key.startswith("/product"):
        return [
            Reply(
                parts=[
                    _card(1),
                    ImagePart(url=IMG, caption="Brown, side view"),
                    ButtonsPart(
                        text="Pick a size",
                        buttons=[
                            Button(title="43", payload="/add var_43"),
                            Button(title="Size guide", url="/static/x"),
                        ],
                    ),
                ]
            )
        ]
    if key.startswith("/add") or key == "/cart":
        return [
            Reply(
                parts=[
                    CartSummary(
                        cart_id="crt_1",
                        lines=[line],
                        currency="EUR",
                        subtotal_minor=10999,
                        subtotal_text="€109.99",
                        shipping_text="€6.90",
                        tax_text="€17.56",
                        total_minor=11689,
                        total_text="€116.89",
                        buttons=[Button(title="Check out", payload="/checkout")],
                    )
                ]
            )
        ]
    if key == "/checkout":
        return [
            Reply(
                parts=[
                    PaymentRequest(
                        payment_id="pay_1",
                        amount_minor=11689,
                        currency="EUR",
                        amount_text="€116.89",
                        url="/paid",
                        methods=["card", "instalments"],
                    )
                ]
            )
        ]
    if key == "/order":
        return [
            Reply(
                parts=[
                    OrderSummary(
                        order_id="ord_1",
                        number="SK-1001",
                        status="paid",
                        status_text="Paid",
                        lines=[line],
                        currency="EUR",
                        total_minor=11689,
                        total_text="€116.89",
                        shipping_address="Jan Novák\nHlavná 1\n811 01 Bratislava",
                        tracking_url="/track",
                    )
                ]
            )
        ]
    if key.startswith("/lang"):
        return [Reply(parts=[TextPart(text="مرحبًا! كيف يمكنني مساعدتك؟")], language="ar")]
    if "agent" in key:
        return [Reply(parts=[TextPart(text="Ana here, how can I help?")], sender="agent", agent_id="agt_1")]
    return [
        Reply(
            parts=[
                QuickReplies(
                    text="Hi! What are you looking for?",
                    options=[
                        Button(title="Boots", payload="boots"),
                        Button(title="My cart", payload="/cart"),
                    ],
                )
            ]
        )
    ]


def build_app() -> FastAPI:
    app = FastAPI()
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    history: list[dict[str, Any]] = []
    answered: dict[str, list[dict[str, Any]]] = {}
    ids = itertools.count(1)
    app.state.history = history
    app.state.rest_posts = 0

    def turn(text: str, payload: str | None, message_id: str | None) -> list[dict[str, Any]]:
        if message_id and message_id in answered:
            return answered[message_id]
        history.append(
            {
                "id": f"msg_{next(ids):04d}",
                "direction": "in",
                "sender": "customer",
                "text": text,
                "reply": None,
                "created_at": "2026-01-01T00:00:00Z",
            }
        )
        out = []
        for reply in reply_to(text, payload):
            message = {
                "id": f"msg_{next(ids):04d}",
                "direction": "out",
                "sender": reply.sender,
                "text": None,
                "reply": reply.model_dump(mode="json"),
                "created_at": "2026-01-01T00:00:00Z",
            }
            history.append(message)
            out.append(message)
        if message_id:
            answered[message_id] = out
        return out

    def push(reply: Reply) -> None:
        """A message produced later (like an order confirmation): history only, found by polling."""
        history.append(
            {
                "id": f"msg_{next(ids):04d}",
                "direction": "out",
                "sender": reply.sender,
                "text": None,
                "reply": reply.model_dump(mode="json"),
                "created_at": "2026-01-01T00:00:00Z",
            }
        )

    app.state.push = push

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return PAGE

    @app.get("/paid", response_class=HTMLResponse)
    def paid() -> str:
        return "<h1>Paid</h1>"

    @app.post("/api/v1/chat/sessions")
    async def session(request: Request) -> dict[str, Any]:
        body = await request.json()
        return {
            "visitor_id": body.get("visitor_id") or "vis_1",
            "customer_id": "cus_1",
            "token": "tok",
            "conversation_id": "cnv_1",
        }

    @app.post("/api/v1/chat/messages")
    async def post(request: Request) -> dict[str, Any]:
        body = await request.json()
        app.state.rest_posts += 1
        out = turn(body.get("text") or "", body.get("payload"), body.get("message_id"))
        return {"conversation_id": "cnv_1", "owner": "bot", "replies": [m["reply"] for m in out]}

    @app.get("/api/v1/chat/messages")
    def messages(after: str | None = None) -> dict[str, Any]:
        return {"messages": [m for m in history if after is None or m["id"] > after]}

    @app.websocket("/api/v1/chat/ws")
    async def ws(socket: WebSocket) -> None:
        await socket.accept()
        try:
            while True:
                frame = await socket.receive_json()
                await socket.send_json({"type": "typing"})
                if "agent" in (frame.get("text") or ""):
                    await socket.send_json({"type": "owner", "owner": "waiting"})
                for m in turn(frame.get("text") or "", frame.get("payload"), frame.get("message_id")):
                    await socket.send_json({"type": "reply", "message_id": m["id"], "reply": m["reply"]})
        except WebSocketDisconnect:
            return

    return app
