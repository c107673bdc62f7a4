"""`shopkeeper channels check`: validates every channel's settings (presence and shape; secrets are
never printed) and exits non-zero if a configured channel is broken."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Messaging channels (WhatsApp, Messenger, Instagram, Telegram, Twilio).", no_args_is_help=True
)

MARK = {"ok": "✓", "warning": "!", "error": "✗"}


@app.callback()
def channels() -> None:
    """Messaging channels (WhatsApp, Messenger, Instagram, Telegram, Twilio)."""


@app.command("check")
def check() -> None:
    """Check SHOPKEEPER_CHANNELS_* settings: what is configured, what is missing or malformed."""
    from shopkeeper.channels.config import ChannelSettings, check_settings

    findings = check_settings(ChannelSettings())
    for f in findings:
        typer.echo(f"{MARK.get(f.level, '?')} {f.channel:<10} {f.message}")
    errors = [f for f in findings if f.level == "error"]
    configured = sorted({f.channel for f in findings if f.message == "configured"})
    typer.echo(
        f"{len(configured)} channel(s) ready: {', '.join(configured) or 'none'}; {len(errors)} error(s)"
    )
    if errors:
        raise typer.Exit(code=1)
