"""`shopkeeper simulate <channel> "<text>"`: posts a correctly signed, provider-shaped webhook to a
running server and prints what the provider would receive back. The server's outbound API bases
must point at the fake this command runs (`--fake-port`), e.g.
SHOPKEEPER_CHANNELS_WHATSAPP_API_BASE=http://127.0.0.1:8765/graph/v25.0 — or use `--local`."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2
import typer

app = typer.Typer(help="Simulate shoppers on messaging channels.")
_BOT_TOKEN = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")  # never print a secret, even a fake's


def _fake_server(port: int) -> tuple[ThreadingHTTPServer, Any]:
    from shopkeeper.adapters.channels.fake import FakeProviders

    fake = FakeProviders()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            request = httpx2.Request(
                "POST",
                f"http://127.0.0.1:{port}{self.path}",
                content=self.rfile.read(length),
                headers=dict(self.headers.items()),
            )
            response = fake.handle(request)
            self.send_response(response.status_code)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(response.content)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, fake


def _print(requests: list[Any]) -> None:
    if not requests:
        typer.echo("(nothing was sent back)")
    for r in requests:
        typer.echo(f"→ {r.provider} POST {_BOT_TOKEN.sub('/bot<token>', r.url)}")
        typer.echo(
            json.dumps(r.body if not isinstance(r.body, list) else dict(r.body), ensure_ascii=False, indent=2)
        )


@app.command("simulate")
def simulate(
    channel: str = typer.Argument(
        ..., help="whatsapp | messenger | instagram | telegram | sms | twilio_whatsapp"
    ),
    text: str = typer.Argument("", help="What the shopper types (or the title of the tapped button)."),
    payload: str | None = typer.Option(None, help="A tapped button's payload instead of typed text."),
    sender: str = typer.Option("", help="The shopper's channel id (default: one per channel)."),
    server: str = typer.Option("http://127.0.0.1:8000", help="The running Shopkeeper server."),
    fake_port: int = typer.Option(8765, help="Port of the local fake provider API that captures replies."),
    wait: float = typer.Option(8.0, help="Seconds to wait for replies."),
    local: bool = typer.Option(False, help="Run an in-process shop (demo catalog) instead of a server."),
) -> None:
    """Post one signed provider webhook and print the provider requests the shop makes in reply."""
    from shopkeeper.adapters.channels.simulator import build_webhook
    from shopkeeper.channels.config import ChannelSettings

    who = sender or {
        "telegram": "424242",
        "messenger": "7000000000000001",
        "instagram": "7000000000000002",
        "whatsapp": "15551230000",
    }.get(channel, "+15551230000")
    if local:
        _local(channel, text, payload, who)
        return
    cfg = ChannelSettings()
    hook = build_webhook(channel, cfg, sender=who, text=text, payload=payload, public_url=server)
    srv, fake = _fake_server(fake_port)
    try:
        resp = httpx2.post(
            server.rstrip("/") + hook.path, content=hook.body, headers=hook.headers, timeout=10
        )
        typer.echo(f"← webhook answered {resp.status_code} {resp.text[:200]}")
        deadline, last = time.monotonic() + wait, 0
        while time.monotonic() < deadline:
            time.sleep(0.3)
            if fake.requests and len(fake.requests) == last:
                break  # replies arrived and then stopped
            last = len(fake.requests)
        _print(fake.requests)
    finally:
        srv.shutdown()


def _local(channel: str, text: str, payload: str | None, who: str) -> None:
    import tempfile
    from pathlib import Path

    from fastapi.testclient import TestClient

    from shopkeeper.adapters.channels import wire
    from shopkeeper.adapters.channels.fake import FakeProviders
    from shopkeeper.adapters.channels.simulator import build_webhook, demo_settings
    from shopkeeper.bootstrap import build_services
    from shopkeeper.kernel.outbox import deliver_due
    from shopkeeper.seeding import ensure_demo_data
    from shopkeeper.settings import Settings
    from shopkeeper.web.app import create_app

    data = Path(tempfile.mkdtemp(prefix="shopkeeper-sim-"))
    services = build_services(Settings(data_dir=data, database_url=f"sqlite:///{data / 'sim.db'}"))
    ensure_demo_data(services)
    fake, cfg = FakeProviders(), demo_settings()
    wire(services, transport=fake.transport, channel_settings=cfg)
    client = TestClient(create_app(services, run_worker=False), base_url=services.settings.base_url)
    hook = build_webhook(
        channel, cfg, sender=who, text=text, payload=payload, public_url=services.settings.base_url
    )
    resp = client.post(hook.path, content=hook.body, headers=hook.headers)
    typer.echo(f"← webhook answered {resp.status_code} {resp.text[:200]}")
    services.extras["channel_pump"].join()  # acknowledged first, processed on the event pump
    while deliver_due(services.db, services.senders):
        pass
    _print(fake.requests)
