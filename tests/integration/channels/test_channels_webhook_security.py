"""Forged, unsigned and replayed deliveries through the real webhook endpoints: forged and unsigned
are refused with nothing stored; replays store nothing new and produce no second reply."""

from __future__ import annotations

import pytest
from channel_env import FIXTURES, ChannelEnv, make_env
from sqlalchemy import func, select

from shopkeeper.adapters.channels import inbox_db
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.inbox import InboundEvent
from shopkeeper.kernel.outbox import OutboxMessage

SIG = {
    "whatsapp": "X-Hub-Signature-256",
    "messenger": "X-Hub-Signature-256",
    "instagram": "X-Hub-Signature-256",
    "telegram": "X-Telegram-Bot-Api-Secret-Token",
    "twilio": "X-Twilio-Signature",
}
ALL = [(p, f.name.split(".")[0]) for p in SIG for f in sorted((FIXTURES / p).glob("*.headers.json"))]


def stored(env: ChannelEnv) -> int:
    """Every inbound event, wherever the composition root put the webhook log (and the main
    database too, so a stray row in the wrong place is counted)."""
    total = 0
    for db in {id(d): d for d in (env.services.db, inbox_db(env.services))}.values():
        with db.session() as s:
            total += int(s.scalar(select(func.count()).select_from(InboundEvent)) or 0)
    return total


@pytest.mark.parametrize(("provider", "name"), ALL)
def test_forged_and_unsigned_deliveries_are_refused_and_store_nothing(
    database: Database, provider: str, name: str
) -> None:
    env = make_env(database)
    forged = env.post_fixture(provider, name, **{SIG[provider]: "sha256=" + "0" * 64})
    unsigned = env.post_fixture(provider, name, **{SIG[provider]: ""})
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert forged.json()["error"]["code"] == "invalid_signature" if "error" in forged.json() else True
    assert stored(env) == 0


def test_every_signed_fixture_is_acknowledged(database: Database) -> None:
    env = make_env(database)
    codes = {(p, n): env.post_fixture(p, n).status_code for p, n in ALL}
    assert set(codes.values()) <= {200, 204}, codes


def test_replayed_stop_is_stored_once_and_answered_once(database: Database) -> None:
    env = make_env(database, process=True)
    first, again = env.post_fixture("twilio", "sms_stop"), env.post_fixture("twilio", "sms_stop")
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.headers["content-type"].startswith("text/xml")
    with inbox_db(env.services).session() as s:
        events = s.scalars(select(InboundEvent).where(InboundEvent.provider == "channel.sms")).all()
    with database.session() as s:
        replies = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "channel.sms")).all()
    assert len(events) == 1 and events[0].processed_at is not None
    assert len(replies) == 1


def test_replayed_status_batch_reports_replays(database: Database) -> None:
    env = make_env(database)
    assert env.post_fixture("whatsapp", "status_read").json() == {"stored": 1, "replays": 0}
    assert env.post_fixture("whatsapp", "status_read").json() == {"stored": 0, "replays": 1}


def test_meta_handshake_echoes_challenge_only_for_the_right_token(database: Database) -> None:
    env = make_env(database)
    for path, token in (
        ("/webhooks/whatsapp", "wa-verify"),
        ("/webhooks/messenger", "fb-verify"),
        ("/webhooks/instagram", "ig-verify"),
    ):
        ok = env.client.get(
            path, params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"}
        )
        assert (
            ok.status_code == 200
            and ok.text == "1158201444"
            and ok.headers["content-type"].startswith("text/plain")
        )
        bad = env.client.get(
            path, params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
        )
        assert bad.status_code == 403


def test_default_pump_processes_after_the_acknowledgement(database: Database) -> None:
    env = make_env(database)
    env.services.extras["channel_processing"] = "pump"
    assert env.post_fixture("twilio", "sms_stop").status_code == 200
    env.services.extras["channel_pump"].join()
    with inbox_db(env.services).session() as s:
        event = s.scalar(select(InboundEvent).where(InboundEvent.provider == "channel.sms"))
        assert event is not None and event.processed_at is not None and event.error is None
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_on_sqlite_the_webhook_log_has_its_own_file_and_acks_never_wait_for_a_bot_turn(
    database: Database,
) -> None:
    env = make_env(database)
    inbox = inbox_db(env.services)
    if database.dialect != "sqlite":
        assert inbox is database  # PostgreSQL: row locks, one database
        return
    assert inbox is not database and inbox.url.endswith(".inbox.db")
    with database.session() as held:  # a bot turn holding the main database's write lock
        held.connection()
        assert env.post_fixture("twilio", "sms_stop").status_code == 200
    assert stored(env) == 1
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == 0
