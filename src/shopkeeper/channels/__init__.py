"""Channels: the canonical message model, the Channel port and capability-based rendering."""

from shopkeeper.channels.messages import (
    Button,
    CartLine,
    CartSummary,
    Carousel,
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
    "Button", "CartLine", "CartSummary", "Carousel", "ImagePart", "InboundMessage", "OrderSummary",
    "Part", "PaymentRequest", "ProductCard", "QuickReplies", "Reply", "TextPart",
]
