"""`channels check`: configured channels are validated for presence and shape; secrets never print."""

from __future__ import annotations

from pydantic import SecretStr
from typer.testing import CliRunner

from shopkeeper.channels.config import ChannelSettings, check_settings
from shopkeeper.commands.channels import app


def test_unconfigured_channels_are_disabled_not_errors() -> None:
    findings = check_settings(ChannelSettings(_env_file=None))  # type: ignore[call-arg]
    assert {f.level for f in findings} == {"ok"} and len(findings) == 5


def test_partial_and_malformed_settings_are_errors() -> None:
    cfg = ChannelSettings(
        _env_file=None,
        telegram_bot_token=SecretStr("not-a-token"),  # type: ignore[call-arg]
        telegram_secret_token=SecretStr("has spaces!"),
        twilio_account_sid="AC123",
        twilio_auth_token=SecretStr("x"),
        twilio_from_number="5551234",
        whatsapp_app_secret=SecretStr("s"),
        whatsapp_api_base="http://graph.facebook.com/v25.0",
    )
    errors = {(f.channel, f.message) for f in check_settings(cfg) if f.level == "error"}
    text = " ".join(m for _, m in errors)
    assert "<bot id>:<secret>" in text and "1-256" in text and "32 hex" in text and "E.164" in text
    assert any(c == "whatsapp" and m.startswith("missing") for c, m in errors)
    assert any(c == "whatsapp" and "https" in m for c, m in errors)


def test_check_command_exits_non_zero_and_never_prints_secrets(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SHOPKEEPER_CHANNELS_WHATSAPP_APP_SECRET", "super-secret-value")
    monkeypatch.setenv("SHOPKEEPER_CHANNELS_WHATSAPP_ACCESS_TOKEN", "EAAG-secret-token")
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 1
    assert "whatsapp" in result.output and "missing" in result.output
    assert "super-secret-value" not in result.output and "EAAG-secret-token" not in result.output
