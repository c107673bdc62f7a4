"""Provider-shaped, correctly signed inbound webhooks for a line of shopper text or a button tap —
what WhatsApp, Messenger, Instagram, Telegram and Twilio would POST — for the simulator, the
end-to-end tests and the benchmark. Uses the same secrets as the server's channel settings."""

from __future__ import annotations

import itertools
import json
import os
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from shopkeeper.adapters.channels import meta
from shopkeeper.adapters.channels.twilio import signature
from shopkeeper.channels.config import ChannelSettings, secret

CHANNELS = ("whatsapp", "messenger", "instagram", "telegram", "sms", "twilio_whatsapp")
_seq = itertools.count(1)


@dataclass(frozen=True)
class SimulatedWebhook:
    path: str
    body: bytes
    headers: dict[str, str]


def _uid() -> str:
    return f"{int(time.time() * 1000):x}{os.urandom(4).hex()}{next(_seq)}"


def build_webhook(
    channel: str,
    cfg: ChannelSettings,
    *,
    sender: str,
    text: str = "",
    payload: str | None = None,
    public_url: str = "http://127.0.0.1:8000",
    name: str = "Sam Shopper",
) -> SimulatedWebhook:
    """One inbound message as the provider sends it; `payload` means a tapped button."""
    now = int(time.time())
    if channel == "whatsapp":
        if payload is not None:
            msg = {
                "type": "interactive",
                "interactive": {"type": "button_reply", "button_reply": {"id": payload, "title": text[:20]}},
            }
        else:
            msg = {"type": "text", "text": {"body": text}}
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": "15550001111",
                "phone_number_id": cfg.whatsapp_phone_number_id,
            },
            "contacts": [{"profile": {"name": name}, "wa_id": sender}],
            "messages": [{"from": sender, "id": f"wamid.SIM{_uid()}", "timestamp": str(now), **msg}],
        }
        body = {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
        }
        raw = json.dumps(body).encode()
        return SimulatedWebhook(
            "/webhooks/whatsapp",
            raw,
            {
                "Content-Type": "application/json",
                "X-Hub-Signature-256": meta.sign(raw, secret(cfg.whatsapp_app_secret)),
            },
        )
    if channel in ("messenger", "instagram"):
        ev: dict[str, object] = {
            "sender": {"id": sender},
            "recipient": {"id": "PAGE"},
            "timestamp": now * 1000,
        }
        if payload is not None and text == "":
            ev["postback"] = {"mid": f"m_SIM{_uid()}", "title": text, "payload": payload}
        elif payload is not None:
            ev["message"] = {"mid": f"m_SIM{_uid()}", "text": text, "quick_reply": {"payload": payload}}
        else:
            ev["message"] = {"mid": f"m_SIM{_uid()}", "text": text}
        obj = "page" if channel == "messenger" else "instagram"
        raw = json.dumps(
            {"object": obj, "entry": [{"id": "PAGE", "time": now * 1000, "messaging": [ev]}]}
        ).encode()
        app_secret = cfg.messenger_app_secret if channel == "messenger" else cfg.instagram_app_secret
        return SimulatedWebhook(
            f"/webhooks/{channel}",
            raw,
            {"Content-Type": "application/json", "X-Hub-Signature-256": meta.sign(raw, secret(app_secret))},
        )
    if channel == "telegram":
        user = {"id": int(sender), "is_bot": False, "first_name": name, "language_code": "en"}
        chat = {"id": int(sender), "type": "private", "first_name": name}
        uid = int(time.time() * 1000) * 100 + next(_seq) % 100
        update: dict[str, object] = {"update_id": uid}
        if payload is not None:
            update["callback_query"] = {
                "id": f"cq{uid}",
                "from": user,
                "chat_instance": "1",
                "data": payload,
                "message": {"message_id": 1, "chat": chat, "date": now, "text": "…"},
            }
        else:
            update["message"] = {
                "message_id": uid % 10**6,
                "from": user,
                "chat": chat,
                "date": now,
                "text": text,
            }
        raw = json.dumps(update).encode()
        return SimulatedWebhook(
            "/webhooks/telegram",
            raw,
            {
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": secret(cfg.telegram_secret_token),
            },
        )
    if channel in ("sms", "twilio_whatsapp"):
        wa = channel == "twilio_whatsapp"
        frm = f"whatsapp:{sender}" if wa else sender
        to = f"whatsapp:{cfg.twilio_from_number}" if wa else (cfg.twilio_from_number or "+15550001111")
        params = {
            "MessageSid": f"SM{_uid()[:32]:0<32}",
            "AccountSid": cfg.twilio_account_sid or "AC0",
            "From": frm,
            "To": to,
            "Body": text,
            "NumMedia": "0",
            "NumSegments": "1",
            "ApiVersion": "2010-04-01",
        }
        if wa and payload is not None:
            params.update(ButtonPayload=payload, ButtonText=text)
        raw = urlencode(params).encode()
        base = (cfg.twilio_public_url or public_url).rstrip("/")
        sig = signature(secret(cfg.twilio_auth_token), f"{base}/webhooks/twilio", list(params.items()))
        return SimulatedWebhook(
            "/webhooks/twilio",
            raw,
            {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig},
        )
    raise ValueError(f"unknown channel {channel!r}; one of {', '.join(CHANNELS)}")


def demo_settings(api_base: str = "http://127.0.0.1:8000/fake") -> ChannelSettings:
    """Settings for a local run where every channel posts to a fake at `api_base`."""
    from pydantic import SecretStr

    return ChannelSettings(
        whatsapp_app_secret=SecretStr("sim-wa-secret"),
        whatsapp_verify_token=SecretStr("sim-verify"),
        whatsapp_access_token=SecretStr("sim-token"),
        whatsapp_phone_number_id="100000000000001",
        whatsapp_api_base=f"{api_base}/graph/v25.0",
        messenger_app_secret=SecretStr("sim-fb-secret"),
        messenger_verify_token=SecretStr("sim-verify"),
        messenger_page_token=SecretStr("sim-token"),
        messenger_api_base=f"{api_base}/graph/v25.0",
        instagram_app_secret=SecretStr("sim-ig-secret"),
        instagram_verify_token=SecretStr("sim-verify"),
        instagram_access_token=SecretStr("sim-token"),
        instagram_api_base=f"{api_base}/ig/v25.0",
        telegram_bot_token=SecretStr("1000:sim-token"),
        telegram_secret_token=SecretStr("sim-tg-secret"),
        telegram_api_base=f"{api_base}/telegram",
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token=SecretStr("sim-twilio-token"),
        twilio_from_number="+15550001111",
        twilio_api_base=f"{api_base}/twilio",
    )
