"""Messaging channel adapters (WhatsApp Cloud API, Messenger, Instagram, Telegram, Twilio) and their
wiring: `build_channels` makes the configured adapters, `build_senders` their outbox senders, and
`wire` registers both plus the worker's poller that processes the stored webhook events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy import inspect, make_url

from shopkeeper.adapters.channels.inbound import (
    EventPump,
    accept,
    claim,
    handle_message,
    inbox_db,
    process,
    process_pending,
)
from shopkeeper.adapters.channels.messenger import InstagramChannel, MessengerChannel
from shopkeeper.adapters.channels.outbound import RATE_POLICIES, ChannelSender, RatePolicy
from shopkeeper.adapters.channels.telegram import TelegramChannel
from shopkeeper.adapters.channels.twilio import TwilioChannel
from shopkeeper.adapters.channels.whatsapp import WhatsAppChannel
from shopkeeper.channels.config import ChannelSettings, secret
from shopkeeper.channels.port import Channel
from shopkeeper.kernel.db import Database, is_sqlite
from shopkeeper.kernel.inbox import InboundEvent
from shopkeeper.kernel.outbox import Sender


def build_channels(
    cfg: ChannelSettings, base_url: str, *, transport: httpx2.BaseTransport | None = None
) -> dict[str, Channel]:
    """Every channel that has its credentials, keyed by channel name (Twilio serves two)."""
    t, timeout = transport, cfg.http_timeout_s
    out: dict[str, Channel] = {}
    if cfg.whatsapp_app_secret and cfg.whatsapp_phone_number_id:
        out["whatsapp"] = WhatsAppChannel(
            app_secret=secret(cfg.whatsapp_app_secret),
            verify_token=secret(cfg.whatsapp_verify_token),
            access_token=secret(cfg.whatsapp_access_token),
            phone_number_id=cfg.whatsapp_phone_number_id,
            api_base=cfg.whatsapp_api_base,
            catalog_id=cfg.whatsapp_catalog_id,
            transport=t,
            timeout_s=timeout,
        )
    if cfg.messenger_app_secret:
        out["messenger"] = MessengerChannel(
            app_secret=secret(cfg.messenger_app_secret),
            verify_token=secret(cfg.messenger_verify_token),
            page_token=secret(cfg.messenger_page_token),
            api_base=cfg.messenger_api_base,
            account_id=cfg.messenger_page_id,
            transport=t,
            timeout_s=timeout,
        )
    if cfg.instagram_app_secret:
        out["instagram"] = InstagramChannel(
            app_secret=secret(cfg.instagram_app_secret),
            verify_token=secret(cfg.instagram_verify_token),
            page_token=secret(cfg.instagram_access_token),
            api_base=cfg.instagram_api_base,
            account_id=cfg.instagram_account_id,
            transport=t,
            timeout_s=timeout,
        )
    if cfg.telegram_bot_token and cfg.telegram_secret_token:
        out["telegram"] = TelegramChannel(
            bot_token=secret(cfg.telegram_bot_token),
            secret_token=secret(cfg.telegram_secret_token),
            api_base=cfg.telegram_api_base,
            transport=t,
            timeout_s=timeout,
        )
    if cfg.twilio_account_sid and cfg.twilio_auth_token:
        public = (cfg.twilio_public_url or base_url).rstrip("/")
        twilio = TwilioChannel(
            account_sid=cfg.twilio_account_sid,
            auth_token=secret(cfg.twilio_auth_token),
            api_base=cfg.twilio_api_base,
            from_number=cfg.twilio_from_number,
            messaging_service_sid=cfg.twilio_messaging_service_sid,
            status_callback=f"{public}/webhooks/twilio/status",
            transport=t,
            timeout_s=timeout,
        )
        out["sms"] = twilio
        out["twilio_whatsapp"] = twilio
    return out


def build_senders(services: Any) -> dict[str, Sender]:
    """One outbox sender per configured channel kind (`channel.<name>`)."""
    channels: dict[str, Channel] = services.extras.get("channels") or {}
    policies: dict[str, RatePolicy] = services.extras.get("channel_rate_policies") or RATE_POLICIES
    return {
        f"channel.{name}": ChannelSender(services, name, channel, policies.get(name))
        for name, channel in channels.items()
    }


def wire(
    services: Any,
    *,
    transport: httpx2.BaseTransport | None = None,
    channel_settings: ChannelSettings | None = None,
) -> None:
    """Composition-root hook: adapters in `services.extras["channels"]`, their senders, the worker's
    poller for stored events and the in-process event pump (used when the web process processes)."""
    cfg = channel_settings or services.extras.get("channel_settings") or ChannelSettings()
    services.extras["channel_settings"] = cfg
    services.extras["channels"] = build_channels(cfg, services.settings.base_url, transport=transport)
    services.senders.update(build_senders(services))
    if "inbox_db" not in services.extras:
        services.extras["inbox_db"] = build_inbox_db(services.db)
    if "channel_pump" not in services.extras:
        # one thread on both backends: SQLite has one writer at a time, and a second CPU-bound bot
        # thread only competes for the interpreter lock with the acknowledgements (PostgreSQL, 2 → 1
        # thread: ack p99 245 → 46 ms at 200/s on a loaded machine, processing rate unchanged)
        threads = 1
        # bot turns share this process with the acknowledgements: a 0.2 ms GIL switch interval and
        # a 50k gen-0 GC threshold cut the SQLite ack p99 215 → 58-89 ms at 200/s (benchmarks/channels.py)
        services.extras["channel_pump"] = EventPump(
            services, threads, switch_interval=0.0002, gc_threshold=50_000
        )
    pollers = services.extras.setdefault("pollers", [])
    if process_pending_job not in pollers:
        pollers.append(process_pending_job)


def inbox_url(main_url: str) -> str | None:
    """The inbox's own SQLite file next to a file-backed main database (`shop.db` → `shop.inbox.db`);
    None where the main database serves (PostgreSQL, in-memory SQLite)."""
    if not is_sqlite(main_url):
        return None
    url = make_url(main_url)
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    path = Path(url.database)
    return str(url.set(database=str(path.with_name(f"{path.stem}.inbox{path.suffix or '.db'}"))))


def build_inbox_db(db: Database) -> Database:
    """On SQLite the webhook log gets its own file (own write lock): an acknowledgement then never
    waits for a bot turn's transaction. Only `inbound_events` lives there, created on first use."""
    url = inbox_url(db.url)
    if url is None:
        return db
    inbox = Database(url, bus=db.bus)
    _ensure_inbox_schema(inbox)
    return inbox


def _ensure_inbox_schema(inbox: Database) -> None:
    """The inbox file is not Alembic-managed: create its table, and bring a file made before the
    processing leases up to date (SQLite adds nullable/defaulted columns in place)."""
    table = InboundEvent.__table__
    table.create(inbox.engine, checkfirst=True)  # type: ignore[attr-defined]
    have = {c["name"] for c in inspect(inbox.engine).get_columns("inbound_events")}
    with inbox.engine.begin() as conn:
        if "claimed_until" not in have:
            conn.exec_driver_sql("ALTER TABLE inbound_events ADD COLUMN claimed_until DATETIME")
        if "attempts" not in have:
            conn.exec_driver_sql("ALTER TABLE inbound_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")
    for index in table.indexes:  # type: ignore[attr-defined]
        index.create(inbox.engine, checkfirst=True)


def process_pending_job(services: Any) -> int:
    return process_pending(services)


__all__ = [
    "RATE_POLICIES",
    "ChannelSender",
    "InstagramChannel",
    "MessengerChannel",
    "RatePolicy",
    "TelegramChannel",
    "TwilioChannel",
    "WhatsAppChannel",
    "accept",
    "build_channels",
    "build_senders",
    "claim",
    "handle_message",
    "inbox_db",
    "process",
    "process_pending",
    "wire",
]
