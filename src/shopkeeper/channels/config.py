"""Per-channel settings (SHOPKEEPER_CHANNELS_* environment variables): credentials, webhook secrets
and outbound base URLs. Secrets are SecretStr so they never print; base URLs are settings so tests
and the simulator can point them at a local fake."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

GRAPH_VERSION = "v25.0"  # research §1.1: make the Graph version a setting, default v25.0


class ChannelSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPKEEPER_CHANNELS_", env_file=".env", extra="ignore")

    # WhatsApp Cloud API
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_access_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_catalog_id: str | None = None  # Meta Commerce catalog whose retailer ids are our SKUs
    whatsapp_api_base: str = f"https://graph.facebook.com/{GRAPH_VERSION}"

    # Messenger (Page) and Instagram Messaging
    messenger_app_secret: SecretStr | None = None
    messenger_verify_token: SecretStr | None = None
    messenger_page_token: SecretStr | None = None
    messenger_page_id: str | None = None
    messenger_api_base: str = f"https://graph.facebook.com/{GRAPH_VERSION}"
    instagram_app_secret: SecretStr | None = None
    instagram_verify_token: SecretStr | None = None
    instagram_access_token: SecretStr | None = None
    instagram_account_id: str | None = None
    instagram_api_base: str = f"https://graph.facebook.com/{GRAPH_VERSION}"

    # Telegram Bot API
    telegram_bot_token: SecretStr | None = None
    telegram_secret_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"

    # Twilio (SMS/MMS and WhatsApp via Twilio)
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None  # E.164 sender, or use a messaging service
    twilio_messaging_service_sid: str | None = None
    twilio_api_base: str = "https://api.twilio.com"
    twilio_public_url: str | None = None  # the URL Twilio signs; default: Settings.base_url

    # behaviour
    http_timeout_s: float = 10.0
    keyword_languages: list[str] = Field(default_factory=list)  # empty: the merchant's languages

    def configured(self) -> list[str]:
        """Channels with enough settings to receive and send."""
        out = []
        if self.whatsapp_app_secret and self.whatsapp_access_token and self.whatsapp_phone_number_id:
            out.append("whatsapp")
        if self.messenger_app_secret and self.messenger_page_token:
            out.append("messenger")
        if self.instagram_app_secret and self.instagram_access_token:
            out.append("instagram")
        if self.telegram_bot_token and self.telegram_secret_token:
            out.append("telegram")
        if self.twilio_account_sid and self.twilio_auth_token:
            out.append("sms")
        return out


def secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


@dataclass(frozen=True)
class Finding:
    channel: str
    level: str  # ok | warning | error
    message: str


_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_TG_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def _url_findings(channel: str, url: str) -> list[Finding]:
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [Finding(channel, "error", f"API base {url!r} is not an http(s) URL")]
    if parts.scheme != "https" and not local:
        return [Finding(channel, "error", f"API base {url!r} must use https (only localhost may use http)")]
    if local:
        return [Finding(channel, "warning", f"API base points at a local fake ({url})")]
    return []


def check_settings(cfg: ChannelSettings) -> list[Finding]:
    """What `shopkeeper channels check` reports: missing or malformed settings per channel.

    Secrets are only tested for presence and shape, never printed."""
    out: list[Finding] = []
    groups: dict[str, dict[str, object]] = {
        "whatsapp": {
            "whatsapp_app_secret": cfg.whatsapp_app_secret,
            "whatsapp_verify_token": cfg.whatsapp_verify_token,
            "whatsapp_access_token": cfg.whatsapp_access_token,
            "whatsapp_phone_number_id": cfg.whatsapp_phone_number_id,
        },
        "messenger": {
            "messenger_app_secret": cfg.messenger_app_secret,
            "messenger_verify_token": cfg.messenger_verify_token,
            "messenger_page_token": cfg.messenger_page_token,
        },
        "instagram": {
            "instagram_app_secret": cfg.instagram_app_secret,
            "instagram_verify_token": cfg.instagram_verify_token,
            "instagram_access_token": cfg.instagram_access_token,
        },
        "telegram": {
            "telegram_bot_token": cfg.telegram_bot_token,
            "telegram_secret_token": cfg.telegram_secret_token,
        },
        "sms": {
            "twilio_account_sid": cfg.twilio_account_sid,
            "twilio_auth_token": cfg.twilio_auth_token,
            "twilio_from_number or twilio_messaging_service_sid": cfg.twilio_from_number
            or cfg.twilio_messaging_service_sid,
        },
    }
    bases = {
        "whatsapp": cfg.whatsapp_api_base,
        "messenger": cfg.messenger_api_base,
        "instagram": cfg.instagram_api_base,
        "telegram": cfg.telegram_api_base,
        "sms": cfg.twilio_api_base,
    }
    for channel, fields in groups.items():
        present = {k: bool(secret(v) if isinstance(v, SecretStr) else v) for k, v in fields.items()}
        if not any(present.values()):
            out.append(Finding(channel, "ok", "not configured (disabled)"))
            continue
        missing = [k for k, ok in present.items() if not ok]
        if missing:
            out.append(Finding(channel, "error", "missing " + ", ".join(missing)))
        out += _url_findings(channel, bases[channel])
        out += _shape_findings(channel, cfg)
        if not any(f.channel == channel and f.level == "error" for f in out):
            out.append(Finding(channel, "ok", "configured"))
    return out


def _shape_findings(channel: str, cfg: ChannelSettings) -> list[Finding]:
    out: list[Finding] = []
    if channel == "telegram":
        token = secret(cfg.telegram_bot_token)
        if token and not re.match(r"^\d+:[A-Za-z0-9_-]+$", token):
            out.append(Finding(channel, "error", "telegram_bot_token is not of the form <bot id>:<secret>"))
        if cfg.telegram_secret_token and not _TG_SECRET.match(secret(cfg.telegram_secret_token)):
            out.append(Finding(channel, "error", "telegram_secret_token must be 1-256 of A-Z a-z 0-9 _ -"))
    if channel == "sms":
        if cfg.twilio_account_sid and not re.match(r"^AC[0-9a-fA-F]{32}$", cfg.twilio_account_sid):
            out.append(Finding(channel, "error", "twilio_account_sid must be AC followed by 32 hex digits"))
        if cfg.twilio_from_number and not _E164.match(cfg.twilio_from_number):
            out.append(Finding(channel, "error", "twilio_from_number must be E.164 (+15551234567)"))
        if not cfg.twilio_public_url:
            out.append(
                Finding(
                    channel, "warning", "twilio_public_url unset: signatures are checked against base_url"
                )
            )
    if channel == "whatsapp" and cfg.whatsapp_phone_number_id and not cfg.whatsapp_phone_number_id.isdigit():
        out.append(Finding(channel, "error", "whatsapp_phone_number_id must be the numeric phone number id"))
    if channel in ("whatsapp", "messenger", "instagram"):
        base = getattr(cfg, f"{channel}_api_base")
        if not re.search(r"/v\d+\.\d+$", base.rstrip("/")):
            out.append(Finding(channel, "warning", f"{channel}_api_base has no Graph version (/vNN.0)"))
    return out
