"""Channel-neutral text for every canonical part: what a channel shows when it cannot show the part
natively. Choices become numbered lines the shopper can answer with a digit; links stay tappable."""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.channels.messages import (
    Button,
    ButtonsPart,
    Carousel,
    CartLine,
    CartSummary,
    ImagePart,
    OrderSummary,
    Part,
    PaymentRequest,
    ProductCard,
    QuickReplies,
    TextPart,
)
from shopkeeper.channels.port import RenderContext

CHOICE_HINT = {"en": "Reply with a number.", "pl": "Odpisz numerem.", "de": "Antworte mit einer Zahl."}
MORE_TITLE = {"en": "Show more", "pl": "Pokaż więcej", "de": "Mehr zeigen"}
PAY_TITLE = {"en": "Pay {amount}", "pl": "Zapłać {amount}", "de": "{amount} bezahlen"}


def hint(table: dict[str, str], language: str) -> str:
    return table.get(language, table["en"])


def card_line(card: ProductCard) -> str:
    bits = [card.title]
    price = card.price_text + (f" (was {card.compare_at_text})" if card.compare_at_text else "")
    bits.append(price)
    if card.rating is not None and card.review_count:
        bits.append(f"★{card.rating:.1f} ({card.review_count})")
    if not card.in_stock:
        bits.append(card.stock_text or "out of stock")
    elif card.stock_text:
        bits.append(card.stock_text)
    head = f"{card.position}. " if card.position else ""
    return head + " · ".join(bits)


def card_subtitle(card: ProductCard) -> str:
    bits = [card.price_text]
    if card.compare_at_text:
        bits.append(f"was {card.compare_at_text}")
    if card.rating is not None and card.review_count:
        bits.append(f"★{card.rating:.1f} ({card.review_count})")
    if card.stock_text or not card.in_stock:
        bits.append(card.stock_text or "out of stock")
    if card.subtitle:
        bits.append(card.subtitle)
    return " · ".join(bits)


def _line(line: CartLine) -> str:
    variant = f" ({line.variant_title})" if line.variant_title else ""
    return f"{line.quantity} × {line.title}{variant} — {line.total_text}"


def cart_text(cart: CartSummary) -> str:
    rows = [_line(line) for line in cart.lines] or ["(empty)"]
    rows.append(f"Subtotal: {cart.subtotal_text}")
    for label, value in (
        ("Discount", cart.discount_text),
        ("Shipping", cart.shipping_text),
        ("Tax", cart.tax_text),
    ):
        if value:
            rows.append(f"{label}: {value}")
    rows.append(f"Total: {cart.total_text}")
    return "\n".join(rows)


def order_text(order: OrderSummary) -> str:
    rows = [f"Order {order.number}: {order.status_text}"]
    rows += [_line(line) for line in order.lines]
    rows.append(f"Total: {order.total_text}")
    if order.shipping_address:
        rows.append(f"Ship to: {order.shipping_address}")
    if order.tracking_url:
        rows.append(f"Tracking: {order.tracking_url}")
    return "\n".join(rows)


def payment_title(payment: PaymentRequest, language: str) -> str:
    return hint(PAY_TITLE, language).format(amount=payment.amount_text)


def part_body(part: Part, language: str = "en") -> str:
    """The part's words without its choices (those are rendered by `numbered`)."""
    if isinstance(part, TextPart | QuickReplies | ButtonsPart):
        return part.text
    if isinstance(part, ImagePart):
        return part.caption or ""
    if isinstance(part, ProductCard):
        return card_line(part) + (f"\n{part.subtitle}" if part.subtitle else "")
    if isinstance(part, Carousel):
        return "\n".join(card_line(c) for c in part.cards)
    if isinstance(part, CartSummary):
        return cart_text(part)
    if isinstance(part, OrderSummary):
        return order_text(part)
    if isinstance(part, PaymentRequest):
        return f"{payment_title(part, language)}: {part.url}"
    raise TypeError(f"unknown part {type(part).__name__}")  # pragma: no cover - exhaustive union


def part_buttons(part: Part, language: str = "en") -> list[Button]:
    """Every choice a part offers, in order (a carousel's card buttons, then "show more")."""
    if isinstance(part, QuickReplies):
        return list(part.options)
    if isinstance(part, ButtonsPart | ProductCard | CartSummary | OrderSummary):
        return list(part.buttons)
    if isinstance(part, Carousel):
        out: list[Button] = []
        for card in part.cards:
            for b in card.buttons:
                out.append(Button(title=f"{b.title}: {card.title}", payload=b.payload, url=b.url))
        if part.more_payload:
            out.append(Button(title=hint(MORE_TITLE, language), payload=part.more_payload))
        return out
    return []


@dataclass(frozen=True)
class TextRendering:
    text: str
    payloads: list[str]  # payload of choice n is payloads[n-1]


def numbered(
    parts: list[Part], language: str, ctx: RenderContext, *, start: int = 1, hint_line: bool = True
) -> TextRendering:
    """All parts as one text: bodies, then choices as "n) title" lines; URL buttons as links."""
    blocks: list[str] = []
    payloads: list[str] = []
    n = start
    for part in parts:
        body = part_body(part, language)
        if isinstance(part, ImagePart):
            body = (body + "\n" if body else "") + ctx.short_link(part.url)
        elif isinstance(part, PaymentRequest):
            body = f"{payment_title(part, language)}: {ctx.short_link(part.url)}"
        lines = [body] if body else []
        for b in part_buttons(part, language):
            if b.url:
                lines.append(f"{b.title}: {ctx.short_link(b.url)}")
            elif b.payload:
                lines.append(f"{n}) {b.title}")
                payloads.append(b.payload)
                n += 1
        if lines:
            blocks.append("\n".join(lines))
    if payloads and hint_line:
        blocks.append(hint(CHOICE_HINT, language))
    return TextRendering("\n\n".join(blocks), payloads)
