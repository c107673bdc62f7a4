from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.db import Database, record_event
from shopkeeper.kernel.inbox import InboundEvent, record_inbound
from shopkeeper.kernel.outbox import DEAD, PENDING, SENT, OutboxMessage, SendResult, deliver_due, enqueue


@dataclass(frozen=True)
class Noted:
    text: str


def test_events_are_published_only_after_commit(database: Database) -> None:
    heard: list[str] = []
    database.bus.subscribe(Noted, lambda e: heard.append(e.text))
    with pytest.raises(RuntimeError), database.session() as s:
        record_event(s, Noted("rolled back"))
        raise RuntimeError("abort")
    with database.session() as s:
        record_event(s, Noted("kept"))
        assert heard == []
    assert heard == ["kept"]


def test_in_transaction_listener_failure_rolls_the_change_back(database: Database) -> None:
    def refuse(session: object, event: Noted) -> None:
        raise ValueError("cannot")

    database.bus.subscribe_in_transaction(Noted, refuse)
    with pytest.raises(ValueError), database.session() as s:
        enqueue(s, "channel.test", "x", {"a": 1})
        record_event(s, Noted("n"))
    with database.session() as s:
        assert s.scalars(select(OutboxMessage)).all() == []


def test_outbox_retries_with_backoff_then_delivers(database: Database) -> None:
    with database.session() as s:
        msg = enqueue(s, "channel.test", "+48500100200", {"text": "hi"})
        msg_id = msg.id
    calls: list[str] = []

    def flaky(m: OutboxMessage) -> SendResult:
        calls.append(m.id)
        if len(calls) == 1:
            return SendResult(ok=False, error="503", retry_after_s=2)
        return SendResult(ok=True, provider_message_id="wamid.1")

    assert deliver_due(database, {"channel.test": flaky}) == 1
    with database.session() as s:
        m = s.get(OutboxMessage, msg_id)
        assert m is not None and m.status == PENDING and m.attempts == 1
        assert m.next_attempt_at > utcnow() + timedelta(seconds=1)
        m.next_attempt_at = utcnow()  # time passes
    assert deliver_due(database, {"channel.test": flaky}) == 1
    with database.session() as s:
        m = s.get(OutboxMessage, msg_id)
        assert m is not None and m.status == SENT and m.provider_message_id == "wamid.1"
    assert deliver_due(database, {"channel.test": flaky}) == 0


def test_a_permanent_failure_is_parked_not_retried(database: Database) -> None:
    with database.session() as s:
        enqueue(s, "channel.test", "x", {})
    deliver_due(database, {"channel.test": lambda m: SendResult(ok=False, error="400", permanent=True)})
    with database.session() as s:
        assert s.scalars(select(OutboxMessage.status)).one() == DEAD


def test_a_crashing_sender_keeps_the_message_for_a_retry(database: Database) -> None:
    with database.session() as s:
        enqueue(s, "channel.test", "x", {})

    def crash(_: OutboxMessage) -> SendResult:
        raise ConnectionError("reset")

    deliver_due(database, {"channel.test": crash})
    with database.session() as s:
        m = s.scalars(select(OutboxMessage)).one()
        assert m.status == PENDING and "ConnectionError" in (m.last_error or "")


def test_dedupe_key_enqueues_once(database: Database) -> None:
    with database.session() as s:
        enqueue(s, "channel.test", "x", {}, dedupe_key="order:1:confirmation")
    with database.session() as s:
        enqueue(s, "channel.test", "x", {}, dedupe_key="order:1:confirmation")
    with database.session() as s:
        assert len(s.scalars(select(OutboxMessage)).all()) == 1


def test_inbound_replay_is_recognised(database: Database) -> None:
    with database.session() as s:
        assert record_inbound(s, "stripe", "evt_1", "{}") is not None
    with database.session() as s:
        assert record_inbound(s, "stripe", "evt_1", "{}") is None
        assert record_inbound(s, "whatsapp", "evt_1", "{}") is not None
    with database.session() as s:
        assert len(s.scalars(select(InboundEvent)).all()) == 2
