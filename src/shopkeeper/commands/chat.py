"""`shopkeeper chat [--language pl]`: chat with the shop's bot in the terminal, against the
in-process services (same database as `shopkeeper demo`). Cards, carousels, cart and order
summaries render as rich text; type a button's number to press it, `/approve` (or `/decline`,
`/instalments`) to settle a demo payment without a browser, `/quit` to leave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from shopkeeper.settings import Settings

app = typer.Typer(help="Chat with the shop's bot in the terminal.")
console = Console()
DEMO_OUTCOMES = {"/approve": "succeeded", "/decline": "failed", "/instalments": "succeeded"}


def _buttons(part: dict[str, Any], pressable: list[tuple[str, str]]) -> str:
    labels = []
    for b in part.get("buttons", []) + part.get("options", []):
        if b.get("payload"):
            pressable.append((b["title"], b["payload"]))
            labels.append(f"[bold cyan][{len(pressable)}][/] {b['title']}")
        elif b.get("url"):
            labels.append(f"{b['title']}: {b['url']}")
    return "  ".join(labels)


def _card(card: dict[str, Any], pressable: list[tuple[str, str]]) -> str:
    stars = f" ★ {card['rating']} ({card['review_count']})" if card.get("rating") is not None else ""
    head = f"{card.get('position') or '•'}. [bold]{card['title']}[/] — {card['price_text']}{stars}"
    stock = f"  [dim]{card.get('stock_text') or ''}[/]"
    return f"{head}{stock}\n   {_buttons(card, pressable)}"


def _lines_table(part: dict[str, Any]) -> Table:
    table = Table(show_header=False, box=None)
    for ln in part["lines"]:
        title = ln["title"] + (f" ({ln['variant_title']})" if ln.get("variant_title") else "")
        table.add_row(f"{ln['quantity']} ×", title, ln["unit_price_text"], ln["total_text"])
    return table


def render(reply: dict[str, Any], pressable: list[tuple[str, str]]) -> None:
    """Print one canonical Reply; buttons get numbers appended to `pressable`."""
    for part in reply["parts"]:
        kind = part["type"]
        if kind == "text":
            console.print(f"[green]bot>[/] {part['text']}")
        elif kind in ("quick_replies", "buttons"):
            console.print(f"[green]bot>[/] {part['text']}\n   {_buttons(part, pressable)}")
        elif kind == "image":
            console.print(f"[dim]🖼  {part.get('caption') or ''} {part['url']}[/]")
        elif kind == "product_card":
            console.print(_card(part, pressable))
        elif kind == "carousel":
            for card in part["cards"]:
                console.print(_card(card, pressable))
            if part.get("more_payload"):
                pressable.append(("more", part["more_payload"]))
                console.print(f"   [bold cyan][{len(pressable)}][/] …")
        elif kind == "cart_summary":
            extra = " · ".join(x for x in (part.get("discount_text"), part.get("tax_text")) if x)
            console.print(Panel(_lines_table(part), title="🛒", subtitle=f"{part['total_text']}  {extra}"))
            if part.get("buttons"):
                console.print("   " + _buttons(part, pressable))
        elif kind == "order_summary":
            console.print(
                Panel(
                    _lines_table(part),
                    title=f"#{part['number']} · {part['status_text']}",
                    subtitle=part["total_text"],
                )
            )
            if part.get("buttons"):
                console.print("   " + _buttons(part, pressable))
        elif kind == "payment_request":
            console.print(
                Panel(
                    f"{part['amount_text']}\n{part['url']}\n[dim]/approve · /decline · /instalments[/]",
                    title="💳",
                )
            )


def _settle(services: Any, payment_id: str, command: str) -> None:
    from shopkeeper import payments

    provider = services.payment_provider
    with services.db.session() as session:
        view = payments.get_payment(session, payment_id)
    event = provider.build_event(
        payment_id, DEMO_OUTCOMES[command], view.amount, "card", 3 if command == "/instalments" else None
    )
    body, headers = provider.signed_request(event)
    payments.handle_webhook(services.db, provider, body, headers)


@app.command("chat")
def chat(
    language: str | None = typer.Option(
        None, help="Language to start in (en, pl, ar, zh, sk); the bot follows the language you write in."
    ),
    data_dir: Path = typer.Option(Path("./shopkeeper-data"), help="Where the SQLite database lives."),
    database_url: str = typer.Option("", help="Use this database instead of the embedded SQLite."),
    visitor: str = typer.Option("terminal", help="Who you are to the shop (a web chat visitor id)."),
) -> None:
    """Chat with the bot in the terminal — search, cart, checkout, pay, order status."""
    from shopkeeper import conversations
    from shopkeeper.bootstrap import build_services
    from shopkeeper.channels.messages import InboundMessage
    from shopkeeper.kernel.clock import new_id
    from shopkeeper.seeding import ensure_demo_data

    overrides: dict[str, Any] = {"data_dir": data_dir}
    if database_url:
        overrides["database_url"] = database_url
    services = build_services(Settings(**overrides))
    ensure_demo_data(services)
    console.print("[dim]Type to chat; a number presses a button; /quit leaves.[/]")
    pressable: list[tuple[str, str]] = []
    last_payment: str | None = None
    seen = _last_message_id(services, visitor)  # show only what is said from now on
    hint: str | None = language
    while True:
        try:
            text = console.input("[bold]you>[/] ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if text in ("/quit", "/exit"):
            break
        if not text:
            continue
        if text in DEMO_OUTCOMES and last_payment:
            _settle(services, last_payment, text)
        else:
            payload = None
            if text.isdigit() and 1 <= int(text) <= len(pressable):
                text, payload = pressable[int(text) - 1]
            elif text.startswith("/"):
                payload = text
            conversations.receive_turn(
                services,
                InboundMessage(
                    channel="webchat",
                    sender_id=visitor,
                    message_id=new_id("cli"),
                    text=text,
                    payload=payload,
                    locale_hint=hint,
                ),
            )
            hint = None  # after the first message the bot follows the language written in
        with services.db.session() as session:
            customer_conv = _conversation(session, visitor)
            messages = conversations.history(session, customer_conv, after=seen) if customer_conv else []
        pressable = []
        for m in messages:
            seen = m.id
            if m.direction == "out" and m.reply:
                render(m.reply, pressable)
                for part in m.reply["parts"]:
                    if part["type"] == "payment_request":
                        last_payment = part["payment_id"]


def _last_message_id(services: Any, visitor: str) -> str | None:
    from shopkeeper import conversations

    with services.db.session() as session:
        conv_id = _conversation(session, visitor)
        messages = conversations.history(session, conv_id) if conv_id else []
    return messages[-1].id if messages else None


def _conversation(session: Any, visitor: str) -> str | None:
    from shopkeeper import conversations, customers

    customer = customers.resolve_customer(session, "webchat", visitor)
    conv = conversations.find_conversation(session, customer.id, "webchat")
    return conv.id if conv else None
