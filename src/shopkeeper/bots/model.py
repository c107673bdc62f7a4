"""The bot's data with no I/O: the turn context, what a turn produced, and the dialogue state that
lives (as JSON) in the conversation row, so a restart mid-checkout loses nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shopkeeper.channels.messages import Reply

LANGUAGES: tuple[str, ...] = ("en", "pl", "ar", "zh", "sk")
RESULTS_PER_PAGE = 5


@dataclass(frozen=True)
class BotContext:
    conversation_id: str
    customer_id: str
    channel: str
    language: str | None
    state: dict[str, Any]
    customer_name: str | None = None


@dataclass
class BotTurn:
    replies: list[Reply]
    state: dict[str, Any]
    language: str
    handoff_reason: str | None = None
    handoff_note: str | None = None


@dataclass
class Item:
    """One product the shopper saw in a list, at its 1-based position."""

    product_id: str
    title: str
    price_minor: int
    currency: str
    colors: list[str] = field(default_factory=list)
    brand: str | None = None
    variant_id: str | None = None  # set when the product has a single variant

    def to_json(self) -> dict[str, Any]:
        return {
            "p": self.product_id,
            "t": self.title,
            "m": self.price_minor,
            "c": self.currency,
            "col": self.colors,
            "b": self.brand,
            "v": self.variant_id,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Item:
        return cls(
            str(d["p"]),
            str(d.get("t", "")),
            int(d.get("m", 0)),
            str(d.get("c", "EUR")),
            list(d.get("col") or []),
            d.get("b"),
            d.get("v"),
        )


def empty_filters() -> dict[str, Any]:
    return {"price_min": None, "price_max": None, "colors": [], "sizes": [], "brands": [], "categories": []}
