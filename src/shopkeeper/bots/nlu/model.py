"""What the NLU returns: the intent vocabulary, `Entity` and `Understanding` (pure data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field

INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "search_products",
    "refine_search",
    "show_more",
    "product_details",
    "product_question",
    "add_to_cart",
    "remove_from_cart",
    "change_quantity",
    "view_cart",
    "checkout",
    "apply_discount",
    "shipping_question",
    "order_status",
    "cancel_order",
    "return_request",
    "faq",
    "human_handoff",
    "recommend",
    "chitchat",
)

OUT_OF_SCOPE = "out_of_scope"

ENTITY_TYPES: tuple[str, ...] = (
    "quantity",
    "money",
    "price_range",
    "color",
    "size",
    "brand",
    "category",
    "ordinal",
    "reference",
    "country",
    "postcode",
    "email",
    "phone",
    "date",
    "discount_code",
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One span of the message with its normalised value (Money, int, str, dict, date...)."""

    type: str
    value: object
    text: str
    start: int
    end: int
    note: str | None = None


@dataclass(slots=True)
class Understanding:
    language: str
    intent: str
    confidence: float
    out_of_scope: bool = False
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    text: str = ""

    def first(self, type: str) -> Entity | None:
        for entity in self.entities:
            if entity.type == type:
                return entity
        return None

    def all(self, type: str) -> list[Entity]:
        return [entity for entity in self.entities if entity.type == type]
