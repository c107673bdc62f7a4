"""Outbound through the outbox: statuses never move backwards, sending rules refuse with a reason,
429/retry_after and rate limits defer without burning attempts, multi-part replies resume."""

from __future__ import annotations

import json
from datetime import timedelta

from channel_env import ChannelEnv, make_env
from sqlalchemy import select

from shopkeeper import customers
from shopkeeper.channels import services as ch
from shopkeeper.channels.messages import Button, ButtonsPart, Reply
from shopkeeper.kernel import outbox
from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.outbox import OutboxMessage


def queue_reply(
    env: ChannelEnv,
    channel: str,
    to: str,
    reply: Reply,
    *,
    inbound_ago: timedelta | None = timedelta(0),
    account: str = "default",
) -> str:
    with env.services.db.session() as s:
        if inbound_ago is not None:
            ch.touch_contact(s, channel, to, inbound_at=utcnow() - inbound_ago)
        msg = outbox.enqueue(
            s, f"channel.{channel}", to, {"reply": reply.model_dump(mode="json"), "channel_account": account}
        )
        return msg.id


def outbox_row(env: ChannelEnv, msg_id: str) -> OutboxMessage:
    with env.services.db.session() as s:
        row = s.get(OutboxMessage, msg_id)
        assert row is not None
        return row


def status_of(env: ChannelEnv, provider_id: str) -> str | None:
    with env.services.db.session() as s:
        return ch.delivery_status(s, provider_id)


def test_late_delivered_never_overwrites_read(database: Database) -> None:
    env = make_env(database, process=True)
    queue_reply(env, "whatsapp", "48600111222", Reply().text("Your order is on its way"))
    assert env.deliver() == 1
    (sent,) = env.fake.of("whatsapp")
    assert sent.body["to"] == "48600111222" and sent.body["text"]["body"] == "Your order is on its way"
    assert status_of(env, "wamid.OUT1") == "sent"
    env.post_fixture("whatsapp", "status_read")
    env.post_fixture("whatsapp", "status_delivered")  # arrives late, out of order
    env.post_fixture("whatsapp", "status_sent")
    assert status_of(env, "wamid.OUT1") == "read"


def test_messenger_read_watermark_marks_earlier_messages(database: Database) -> None:
    env = make_env(database, process=True)
    queue_reply(env, "messenger", "6543210987654321", Reply().text("one"))
    env.deliver()
    env.post_fixture("messenger", "delivery")
    assert status_of(env, "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_OUT1") == "delivered"
    with env.services.db.session() as s:  # the read watermark fixture is from the past: back-date our send
        from shopkeeper.channels.store import DeliveryRow

        row = s.scalar(select(DeliveryRow))
        assert row is not None
        row.sent_at = row.sent_at.replace(year=2024)
    env.post_fixture("messenger", "read")
    assert status_of(env, "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_OUT1") == "read"


def test_twilio_status_callbacks_move_forward_only(database: Database) -> None:
    env = make_env(database, process=True)
    queue_reply(env, "sms", "+15551234567", Reply().text("hello"))
    env.deliver()
    assert (
        env.fake.of("twilio")[0].form()["StatusCallback"] == "https://shop.example.com/webhooks/twilio/status"
    )
    env.post_fixture("twilio", "status_delivered")
    env.post_fixture("twilio", "status_sent")
    assert status_of(env, "SM20000000000000000000000000000001") == "delivered"


def test_whatsapp_free_form_outside_24h_is_refused_and_templates_go_through(database: Database) -> None:
    env = make_env(database)
    msg_id = queue_reply(
        env, "whatsapp", "48600111222", Reply().text("Back in stock!"), inbound_ago=timedelta(hours=25)
    )
    env.deliver()
    row = outbox_row(env, msg_id)
    assert row.status == outbox.DEAD and "window_closed" in (row.last_error or "")
    assert env.fake.of("whatsapp") == []
    with env.services.db.session() as s:
        ch.register_template(
            s, "whatsapp", "order_shipped", "en_US", "utility", "Hi {{1}}, order {{2}} shipped"
        )
        tpl_id = ch.enqueue_template(s, "whatsapp", "48600111222", "order_shipped", "en", ["Ana", "#1042"])
    env.deliver()
    assert outbox_row(env, tpl_id).status == outbox.SENT
    (req,) = env.fake.of("whatsapp")
    assert req.body["type"] == "template" and req.body["template"]["name"] == "order_shipped"
    assert req.body["template"]["language"] == {"code": "en_US"}
    assert [p["text"] for p in req.body["template"]["components"][0]["parameters"]] == ["Ana", "#1042"]


def test_unregistered_template_is_refused(database: Database) -> None:
    env = make_env(database)
    with env.services.db.session() as s:
        tpl_id = ch.enqueue_template(s, "whatsapp", "48600111222", "nope", "en", [])
    env.deliver()
    row = outbox_row(env, tpl_id)
    assert row.status == outbox.DEAD and "template_missing" in (row.last_error or "")


def test_messenger_agent_gets_human_agent_tag_for_seven_days_bot_does_not(database: Database) -> None:
    env = make_env(database)
    agent = queue_reply(
        env,
        "messenger",
        "psid-1",
        Reply(sender="agent").text("Hi, Marta here"),
        inbound_ago=timedelta(days=3),
    )
    bot = queue_reply(env, "messenger", "psid-1", Reply(sender="bot").text("Still there?"), inbound_ago=None)
    env.deliver()
    assert outbox_row(env, agent).status == outbox.SENT and outbox_row(env, bot).status == outbox.DEAD
    (req,) = env.fake.of("messenger")
    assert req.body["messaging_type"] == "MESSAGE_TAG" and req.body["tag"] == "HUMAN_AGENT"


def test_telegram_429_retry_after_is_honoured(database: Database) -> None:
    env = make_env(database)
    env.fake.failures.append(
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            },
            {},
        )
    )
    msg_id = queue_reply(env, "telegram", "987654321", Reply().text("hi"))
    before = utcnow()
    env.deliver()
    row = outbox_row(env, msg_id)
    assert row.status == outbox.PENDING and row.attempts == 1
    assert row.next_attempt_at >= before + timedelta(seconds=7)


def test_per_recipient_rate_limit_defers_without_burning_attempts(database: Database) -> None:
    env = make_env(database)
    ids = [queue_reply(env, "whatsapp", "48600111222", Reply().text(f"m{i}")) for i in range(12)]
    env.deliver()
    rows = [outbox_row(env, i) for i in ids]
    assert sum(r.status == outbox.SENT for r in rows) == 10  # burst of 10, then ~1 per 6 s
    deferred = [r for r in rows if r.status == outbox.PENDING]
    assert len(deferred) == 2 and all(
        r.attempts == 0 and "rate limited" in (r.last_error or "") for r in deferred
    )


def test_multi_part_reply_resumes_after_the_last_part_sent(database: Database) -> None:
    env = make_env(database)
    msg_id = queue_reply(env, "telegram", "987654321", Reply().text("first").text("second").text("third"))
    # the second provider call fails with a 502; the retry must not send "first" again
    env.fake.fail_at = {2: (502, {"ok": False, "description": "Bad Gateway"})}
    env.deliver()
    assert outbox_row(env, msg_id).status == outbox.PENDING
    with env.services.db.session() as s:
        row = s.get(OutboxMessage, msg_id)
        assert row is not None
        row.next_attempt_at = utcnow()
    env.deliver()
    texts = [r.body["text"] for r in env.fake.of("telegram") if r.status == 200]
    assert texts == ["first", "second", "third"] and outbox_row(env, msg_id).status == outbox.SENT


def test_stop_records_consent_confirms_and_blocks_later_sends(database: Database) -> None:
    env = make_env(database, process=True)
    with env.services.db.session() as s:
        c = customers.resolve_customer(s, "sms", "+15551234567")
        customers.record_consent(s, c.id, "marketing", "sms", True, "checkout checkbox")
    env.post_fixture("twilio", "sms_stop")
    env.deliver()
    (confirm,) = env.fake.of("twilio")
    assert "unsubscribed" in confirm.form()["Body"] and confirm.form()["To"] == "+15551234567"
    with env.services.db.session() as s:
        assert not customers.has_consent(s, c.id, "marketing", "sms")
        assert any(x.source == "keyword:STOP" for x in customers.current_consents(s, c.id))
    later = queue_reply(env, "sms", "+15551234567", Reply().text("20% off today!"))
    env.deliver()
    row = outbox_row(env, later)
    assert (
        row.status == outbox.DEAD
        and "opted_out" in (row.last_error or "")
        and len(env.fake.of("twilio")) == 1
    )


def test_choices_are_remembered_so_a_digit_picks_one(database: Database) -> None:
    env = make_env(database)
    reply = Reply().add(
        ButtonsPart(
            text="Which?",
            buttons=[Button(title="Cart", payload="/cart"), Button(title="Checkout", payload="/checkout")],
        )
    )
    queue_reply(env, "sms", "+15551234567", reply)
    env.deliver()
    assert "2) Checkout" in env.fake.of("twilio")[0].form()["Body"]
    with env.services.db.session() as s:
        assert ch.resolve_choice(s, "sms", "+15551234567", "2") == "/checkout"
        assert ch.resolve_choice(s, "sms", "+15551234567", "9") is None
        assert ch.resolve_choice(s, "sms", "+15551234567", "2 shoes please") is None


def test_twilio_whatsapp_template_goes_by_content_sid_outside_the_window(database: Database) -> None:
    env = make_env(database)
    with env.services.db.session() as s:
        ch.register_template(
            s,
            "twilio_whatsapp",
            "order_shipped",
            "en",
            "UTILITY",
            "Hi {{1}}, {{2}} shipped",
            provider_ref="HX0123456789abcdef0123456789abcdef",
        )
        tpl_id = ch.enqueue_template(
            s, "twilio_whatsapp", "+48600111222", "order_shipped", "en", ["Ana", "#1042"]
        )
    free = queue_reply(env, "twilio_whatsapp", "+48600111222", Reply().text("hi"), inbound_ago=None)
    env.deliver()
    assert outbox_row(env, tpl_id).status == outbox.SENT and outbox_row(env, free).status == outbox.DEAD
    (req,) = env.fake.of("twilio")
    form = req.form()
    assert form["To"] == "whatsapp:+48600111222" and form["From"] == "whatsapp:+15557654321"
    assert form["ContentSid"] == "HX0123456789abcdef0123456789abcdef" and "Body" not in form
    assert json.loads(form["ContentVariables"]) == {"1": "Ana", "2": "#1042"}
