"""Identity across channels: a verified phone joins WhatsApp and SMS; a link code joins any two;
Telegram callback taps are answered so the client's spinner stops."""

from __future__ import annotations

from channel_env import make_env
from sqlalchemy import select

from shopkeeper import customers
from shopkeeper.adapters.channels.simulator import build_webhook
from shopkeeper.channels import services as ch
from shopkeeper.channels.config import ChannelSettings
from shopkeeper.channels.messages import InboundMessage
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.outbox import OutboxMessage


def last_text(env, channel: str) -> str:  # type: ignore[no-untyped-def]
    env.deliver()
    reqs = env.fake.of("twilio" if channel == "sms" else channel)
    body = reqs[-1].body
    if isinstance(body, list):
        return str(dict(body).get("Body"))
    return str(body.get("text") or (body.get("message") or {}).get("text"))


def test_link_code_from_one_channel_joins_the_other(database: Database) -> None:
    env = make_env(database, process=True)
    cfg: ChannelSettings = env.services.extras["channel_settings"]
    hook = build_webhook("telegram", cfg, sender="987654321", text="link")
    assert env.client.post(hook.path, content=hook.body, headers=hook.headers).status_code == 200
    text = last_text(env, "telegram")
    code = text.split("link code is ")[1][:6]
    assert code.isdigit()
    hook = build_webhook(
        "sms", cfg, sender="+15551234567", text=f"link {code}", public_url="https://shop.example.com"
    )
    assert env.client.post(hook.path, content=hook.body, headers=hook.headers).status_code == 200
    assert "Linked" in last_text(env, "sms")
    with database.session() as s:
        tg = customers.resolve_customer(s, "telegram", "987654321")
        sms = customers.resolve_customer(s, "sms", "+15551234567")
        assert tg.id == sms.id
    again = build_webhook("messenger", cfg, sender="psid-9", text=f"link {code}")
    env.client.post(again.path, content=again.body, headers=again.headers)
    assert "unknown or expired" in last_text(env, "messenger")  # single use


def test_same_verified_phone_on_whatsapp_and_sms_is_one_customer(database: Database) -> None:
    env = make_env(database)
    from shopkeeper.adapters.channels.inbound import _pre_route

    with database.session() as s:
        for channel, sender in (("whatsapp", "48600111222"), ("sms", "+48600111222")):
            msg = InboundMessage(channel=channel, sender_id=sender, message_id=f"{channel}-1", text="hello")
            assert _pre_route(env.services, s, msg) is not None
    with database.session() as s:
        wa = customers.resolve_customer(s, "whatsapp", "48600111222")
        sms = customers.resolve_customer(s, "sms", "+48600111222")
        assert wa.id == sms.id


def test_telegram_callback_query_is_answered_and_token_resolved(database: Database) -> None:
    env = make_env(database)
    from shopkeeper.adapters.channels.inbound import _pre_route

    with database.session() as s:
        ctx = ch.DbRenderContext(s, "telegram")
        data = ctx.callback("/add " + "x" * 80, 64)
        assert data.startswith("~") and len(data.encode()) <= 64
        msg = InboundMessage(
            channel="telegram",
            sender_id="987654321",
            message_id="tg:1",
            payload=data,
            raw={"callback_query_id": "cq-1"},
        )
        routed = _pre_route(env.services, s, msg)
        assert routed is not None and routed.payload == "/add " + "x" * 80
    env.deliver()
    (answer,) = [r for r in env.fake.of("telegram") if r.url.endswith("answerCallbackQuery")]
    assert answer.body == {"callback_query_id": "cq-1"}
    with database.session() as s:
        assert (
            s.scalar(select(OutboxMessage.status).where(OutboxMessage.kind == "channel.telegram")) == "sent"
        )
