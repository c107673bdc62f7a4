"""The merchant's checkout configuration: shipping zones and methods, tax rates, discount codes.

Read from a JSON file (the demo one ships as `demo_config.json`), validated with pydantic, turned
into the pure rule objects of `checkout.model` and `cart.model`. Amounts are decimal strings in
the shop's currency, never floats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shopkeeper.cart import DiscountRule
from shopkeeper.checkout.errors import ConfigInvalid
from shopkeeper.checkout.model import Bracket, ShippingMethod, TaxRule, Zone
from shopkeeper.kernel.money import Money

DEMO_CONFIG = Path(__file__).with_name("demo_config.json")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BracketIn(_In):
    up_to_g: int | None = None
    up_to: Decimal | None = None
    price: Decimal


class MethodIn(_In):
    id: str
    name: str
    kind: Literal["flat", "weight", "price"]
    eta_days: tuple[int, int]
    price: Decimal | None = None
    brackets: list[BracketIn] = Field(default_factory=list)
    free_over: Decimal | None = None
    min_subtotal: Decimal | None = None
    max_weight_g: int | None = None
    carrier: str | None = None


class ZoneIn(_In):
    id: str
    name: str
    countries: list[str]
    regions: list[str] = Field(default_factory=list)
    postcode_prefixes: list[str] = Field(default_factory=list)
    methods: list[MethodIn]


class TaxIn(_In):
    rate: Decimal  # percent, e.g. 23 or 25.5
    inclusive: bool
    regions: dict[str, Decimal] = Field(default_factory=dict)
    tax_shipping: bool = True
    name: str = "VAT"


class DiscountIn(_In):
    code: str
    kind: Literal["percent", "fixed"]
    percent: Decimal | None = None
    amount: Decimal | None = None
    min_subtotal: Decimal | None = None
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    usage_limit: int | None = None
    per_customer_limit: int | None = None
    description: str = ""
    active: bool = True

    @field_validator("starts_at", "expires_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            raise ValueError("dates need a timezone, e.g. 2027-01-01T00:00:00Z")
        return v


class ConfigIn(_In):
    currency: str = "EUR"
    default_country: str = "DE"
    order_number_prefix: str = "SK"
    reservation_minutes: int = 30
    zones: list[ZoneIn]
    taxes: dict[str, TaxIn]
    discounts: list[DiscountIn] = Field(default_factory=list)


@dataclass(frozen=True)
class CheckoutConfig:
    currency: str
    default_country: str
    order_number_prefix: str
    reservation_minutes: int
    zones: list[Zone]
    taxes: dict[str, TaxRule]
    discounts: list[DiscountRule]

    def tax_rule(self, country: str) -> TaxRule | None:
        return self.taxes.get(country.upper())

    def method(self, method_id: str) -> ShippingMethod | None:
        return next((m for z in self.zones for m in z.methods if m.id == method_id), None)


def _money(value: Decimal | None, currency: str) -> Money | None:
    return None if value is None else Money.of(value, currency)


def _method(m: MethodIn, cur: str) -> ShippingMethod:
    brackets = tuple(
        Bracket(
            up_to=b.up_to_g if m.kind == "weight" else (
                Money.of(b.up_to, cur).amount_minor if b.up_to is not None else None
            ),
            price=Money.of(b.price, cur),
        )
        for b in m.brackets
    )
    if m.kind == "flat" and m.price is None:
        raise ConfigInvalid(f"shipping method {m.id}: a flat method needs a price")
    if m.kind != "flat" and not brackets:
        raise ConfigInvalid(f"shipping method {m.id}: a {m.kind} method needs brackets")
    return ShippingMethod(
        id=m.id, name=m.name, kind=m.kind, eta_days=m.eta_days, price=_money(m.price, cur),
        brackets=brackets, free_over=_money(m.free_over, cur), min_subtotal=_money(m.min_subtotal, cur),
        max_weight_g=m.max_weight_g, carrier=m.carrier,
    )


def parse_config(data: dict[str, object]) -> CheckoutConfig:
    """Validate a configuration mapping; raises ConfigInvalid with the first problems found."""
    try:
        cfg = ConfigIn.model_validate(data)
    except ValidationError as exc:
        raise ConfigInvalid(str(exc)) from exc
    cur = cfg.currency.upper()
    zones = [
        Zone(
            id=z.id, name=z.name, countries=frozenset(c.upper() for c in z.countries),
            methods=tuple(_method(m, cur) for m in z.methods),
            regions=frozenset(r.upper() for r in z.regions),
            postcode_prefixes=tuple(p.replace(" ", "").upper() for p in z.postcode_prefixes),
        )
        for z in cfg.zones
    ]
    ids = [m.id for z in zones for m in z.methods]
    if len(ids) != len(set(ids)):
        raise ConfigInvalid("shipping method ids must be unique across zones")
    taxes = {
        country.upper(): TaxRule(
            country=country.upper(), rate=t.rate / 100, inclusive=t.inclusive,
            regions={k.upper(): v / 100 for k, v in t.regions.items()},
            tax_shipping=t.tax_shipping, name=t.name,
        )
        for country, t in cfg.taxes.items()
    }
    try:
        discounts = [
            DiscountRule(
                code=d.code.strip().upper(), kind=d.kind, percent=d.percent, amount=_money(d.amount, cur),
                min_subtotal=_money(d.min_subtotal, cur), starts_at=d.starts_at, expires_at=d.expires_at,
                usage_limit=d.usage_limit, per_customer_limit=d.per_customer_limit,
                description=d.description, active=d.active,
            )
            for d in cfg.discounts
        ]
    except ValueError as exc:
        raise ConfigInvalid(str(exc)) from exc
    return CheckoutConfig(
        currency=cur, default_country=cfg.default_country.upper(),
        order_number_prefix=cfg.order_number_prefix, reservation_minutes=cfg.reservation_minutes,
        zones=zones, taxes=taxes, discounts=discounts,
    )


def load_config(path: str | Path | None = None) -> CheckoutConfig:
    """The configuration in `path` (JSON), or the demo configuration shipped with the package."""
    source = Path(path) if path else DEMO_CONFIG
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigInvalid(f"cannot read checkout configuration {source}: {exc}") from exc
    return parse_config(data)
