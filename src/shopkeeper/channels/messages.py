"""The canonical message model every channel speaks: what a shopper sent (InboundMessage) and the
rich parts a bot or agent replies with (Reply). Adapters translate to and from provider formats;
nothing here knows a provider.

Money fields are integer minor units plus a currency, with a pre-formatted `price_text` in the
shopper's locale so channels that can only show text need no formatting logic.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Button(_Part):
    """A tappable choice. `payload` comes back verbatim in InboundMessage.payload; `url` opens a link."""

    title: str
    payload: str | None = None
    url: str | None = None


class TextPart(_Part):
    type: Literal["text"] = "text"
    text: str


class QuickReplies(_Part):
    """Short suggested answers shown under the previous message."""

    type: Literal["quick_replies"] = "quick_replies"
    text: str
    options: list[Button]


class ButtonsPart(_Part):
    type: Literal["buttons"] = "buttons"
    text: str
    buttons: list[Button]


class ImagePart(_Part):
    type: Literal["image"] = "image"
    url: str
    caption: str | None = None


class ProductCard(_Part):
    type: Literal["product_card"] = "product_card"
    product_id: str
    title: str
    subtitle: str | None = None
    image_url: str | None = None
    price_minor: int
    currency: str
    price_text: str
    compare_at_text: str | None = None
    rating: float | None = None  # average stars 0-5, display only (not money)
    review_count: int = 0
    in_stock: bool = True
    stock_text: str | None = None
    url: str | None = None
    buttons: list[Button] = Field(default_factory=list)
    position: int | None = None  # 1-based position in the list the shopper saw


class Carousel(_Part):
    type: Literal["carousel"] = "carousel"
    cards: list[ProductCard]
    more_payload: str | None = None  # payload of a "show more" action, if there are more


class CartLine(_Part):
    line_id: str
    title: str
    variant_title: str | None = None
    quantity: int
    unit_price_text: str
    total_minor: int
    total_text: str
    image_url: str | None = None


class CartSummary(_Part):
    type: Literal["cart_summary"] = "cart_summary"
    cart_id: str
    lines: list[CartLine]
    currency: str
    subtotal_minor: int
    subtotal_text: str
    discount_text: str | None = None
    shipping_text: str | None = None
    tax_text: str | None = None
    total_minor: int
    total_text: str
    buttons: list[Button] = Field(default_factory=list)


class OrderSummary(_Part):
    type: Literal["order_summary"] = "order_summary"
    order_id: str
    number: str
    status: str
    status_text: str
    lines: list[CartLine]
    currency: str
    total_minor: int
    total_text: str
    shipping_address: str | None = None
    tracking_url: str | None = None
    buttons: list[Button] = Field(default_factory=list)


class PaymentRequest(_Part):
    type: Literal["payment_request"] = "payment_request"
    payment_id: str
    amount_minor: int
    currency: str
    amount_text: str
    url: str
    methods: list[str] = Field(default_factory=list)
    expires_at: datetime | None = None


Part = Annotated[
    TextPart
    | QuickReplies
    | ButtonsPart
    | ImagePart
    | ProductCard
    | Carousel
    | CartSummary
    | OrderSummary
    | PaymentRequest,
    Field(discriminator="type"),
]


class Reply(BaseModel):
    """What the bot or an agent says in one turn: an ordered list of parts."""

    model_config = ConfigDict(extra="forbid")

    parts: list[Part] = Field(default_factory=list)
    language: str = "en"
    sender: Literal["bot", "agent", "system"] = "bot"
    agent_id: str | None = None

    def text(self, text: str) -> Reply:
        self.parts.append(TextPart(text=text))
        return self

    def add(self, part: Part) -> Reply:
        self.parts.append(part)
        return self


class Location(BaseModel):
    latitude: float  # geographic coordinates, not money
    longitude: float
    name: str | None = None
    address: str | None = None


class Attachment(BaseModel):
    kind: Literal["image", "audio", "video", "file", "sticker"]
    url: str | None = None
    provider_media_id: str | None = None
    mime_type: str | None = None
    caption: str | None = None


class InboundMessage(BaseModel):
    """One thing a shopper did on a channel, in canonical form.

    `text` is what they typed (or the title of what they tapped); `payload` is the machine payload
    of a tapped button/quick reply/postback/callback, if any.
    """

    channel: str  # "webchat", "whatsapp", "messenger", "instagram", "telegram", "sms", ...
    channel_account: str = "default"  # which of the merchant's numbers/pages/bots received it
    sender_id: str  # the channel's id for the shopper (visitor id, wa_id, PSID, chat id, E.164)
    message_id: str  # the provider's id: the dedupe key
    text: str = ""
    payload: str | None = None
    sent_at: datetime | None = None
    location: Location | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    order_items: list[dict[str, Any]] = Field(default_factory=list)  # e.g. a WhatsApp catalog order
    profile_name: str | None = None
    locale_hint: str | None = None
    raw: dict[str, Any] = Field(default_factory=dict)
