"""The web chat WebSocket: typing and reply frames for the shopper's own messages, and replies
produced later (the order confirmation after payment) pushed by the `channel.webchat` sender."""

from __future__ import annotations

from chat_helpers import Say, first_payload
from fastapi.testclient import TestClient

from shopkeeper.bootstrap import Services
from shopkeeper.bots import t
from shopkeeper.kernel.money import Money
from shopkeeper.kernel.outbox import deliver_due


def test_socket_gets_its_replies_and_the_confirmation_after_payment(
    chat_client: TestClient, chat_services: Services, shopper: tuple[dict[str, str], Say]
) -> None:
    session, say = shopper
    card = first_payload(say("hiking boots"), "/product ")
    say("add", first_payload(say("details", card), "/add "))
    say("checkout", "/checkout")
    say("Anna Nowak")
    say("anna@example.com")
    ship = first_payload(say("Hauptstrasse 5, 10115 Berlin, Germany"), "/ship ")
    deliver_due(chat_services.db, chat_services.senders)  # earlier replies: nobody listening yet

    with chat_client.websocket_connect(f"/api/v1/chat/ws?token={session['token']}") as ws:
        ws.send_json({"type": "message", "text": "ok", "payload": ship, "message_id": "ws-1"})
        assert ws.receive_json() == {"type": "typing"}
        frame = ws.receive_json()
        assert frame["type"] == "reply"
        request = next(p for p in frame["reply"]["parts"] if p["type"] == "payment_request")
        number = next(p for p in frame["reply"]["parts"] if p["type"] == "order_summary")["number"]

        provider = chat_services.payment_provider
        event = provider.build_event(
            request["payment_id"], "succeeded", Money(request["amount_minor"], request["currency"])
        )
        body, headers = provider.signed_request(event)
        assert chat_client.post("/webhooks/payments/demo", content=body, headers=headers).status_code < 300
        deliver_due(chat_services.db, chat_services.senders)  # the worker's pass
        pushed = ws.receive_json()
        assert pushed["type"] == "reply"
        assert pushed["reply"]["parts"][0]["text"] == t("en", "order_paid", number=number)


def test_socket_refuses_a_forged_token(chat_client: TestClient) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    with (
        pytest.raises(WebSocketDisconnect),
        chat_client.websocket_connect("/api/v1/chat/ws?token=forged") as ws,
    ):
        ws.receive_json()
