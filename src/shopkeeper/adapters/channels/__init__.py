"""Messaging channel adapters (WhatsApp Cloud API, Messenger, Instagram, Telegram, Twilio) and their
wiring: `build_channels` makes the configured adapters, `build_senders` their outbox senders, and
`wire` registers both plus the sweeper that processes stored-but-unprocessed webhook events."""

from __future__ import annotations

from typing import Any

import httpx2

from shopkeeper.adapters.channels.inbound import EventPump, accept, handle_message, process, process_pending
from shopkeeper.adapters.channels.messenger import InstagramChannel, MessengerChannel
from shopkeeper.adapters.channels.outbound import RATE_POLICIES, ChannelSender, RatePolicy
from shopkeeper.adapters.channels.telegram import TelegramChannel
from shopkeeper.adapters.channels.twilio import TwilioChannel
from shopkeeper.adapters.channels.whatsapp import WhatsAppChannel
from shopkeeper.channels.config import ChannelSettings, secret
from shopkeeper.channels.port import Channel
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
    """Composition-root hook: adapters in `services.extras["channels"]`, their senders, the sweeper."""
    cfg = channel_settings or services.extras.get("channel_settings") or ChannelSettings()
    services.extras["channel_settings"] = cfg
    services.extras["channels"] = build_channels(cfg, services.settings.base_url, transport=transport)
    services.senders.update(build_senders(services))
    if "channel_pump" not in services.extras:
        # SQLite has one writer at a time: more threads would only queue on its lock
        threads = 1 if services.db.dialect == "sqlite" else 2
        services.extras["channel_pump"] = EventPump(services, threads)
    periodic = services.extras.setdefault("periodic", [])
    if process_pending_job not in periodic:
        periodic.append(process_pending_job)


def process_pending_job(services: Any) -> None:
    process_pending(services)


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
    "handle_message",
    "process",
    "process_pending",
    "wire",
]
