"""Channels: the canonical message model, the Channel port and capability-based rendering."""

from shopkeeper.channels.messages import (
    Button,
    Carousel,
    CartLine,
    CartSummary,
    ImagePart,
    InboundMessage,
    OrderSummary,
    Part,
    PaymentRequest,
    ProductCard,
    QuickReplies,
    Reply,
    TextPart,
)

__all__ = [
    "Button",
    "Carousel",
    "CartLine",
    "CartSummary",
    "ImagePart",
    "InboundMessage",
    "OrderSummary",
    "Part",
    "PaymentRequest",
    "ProductCard",
    "QuickReplies",
    "Reply",
    "TextPart",
]
