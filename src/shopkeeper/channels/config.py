"""Per-channel settings (SHOPKEEPER_CHANNELS_* environment variables): credentials, webhook secrets
and outbound base URLs. Secrets are SecretStr so they never print; base URLs are settings so tests
and the simulator can point them at a local fake."""

from __future__ import annotations

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
