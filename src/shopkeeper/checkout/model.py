"""Pure checkout rules: shipping zones and methods, tax rates, and THE totals arithmetic.

No database, no I/O. `compute_totals` is the only place where subtotal, discount, shipping and tax
are combined; `services.quote` feeds it, and chat, API and payment all go through `quote`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from shopkeeper.kernel.money import Money


@dataclass(frozen=True)
class Destination:
    country: str  # ISO 3166-1 alpha-2
    postcode: str | None = None
    region: str | None = None  # ISO 3166-2 subdivision without the country ("CA" for US-CA)


@dataclass(frozen=True)
class Bracket:
    """Price for parcels/subtotals up to (and including) `up_to`; None = no upper bound."""

    up_to: int | None  # grams for weight brackets, minor units for price brackets
    price: Money


@dataclass(frozen=True)
class ShippingMethod:
    id: str
    name: str
    kind: Literal["flat", "weight", "price"]
    eta_days: tuple[int, int]
    price: Money | None = None  # flat
    brackets: tuple[Bracket, ...] = ()
    free_over: Money | None = None  # free when the discounted goods reach this
    min_subtotal: Money | None = None  # only offered from this goods value up
    max_weight_g: int | None = None
    carrier: str | None = None

    def cost(self, goods: Money, weight_g: int) -> Money | None:
        """Price for these goods and weight, or None if this method cannot carry them."""
        if self.max_weight_g is not None and weight_g > self.max_weight_g:
            return None
        if self.min_subtotal is not None and goods < self.min_subtotal:
            return None
        if self.free_over is not None and goods >= self.free_over:
            return Money.zero(goods.currency)
        if self.kind == "flat":
            return self.price
        measure = weight_g if self.kind == "weight" else goods.amount_minor
        for bracket in self.brackets:
            if bracket.up_to is None or measure <= bracket.up_to:
                return bracket.price
        return None


@dataclass(frozen=True)
class Zone:
    id: str
    name: str
    countries: frozenset[str]
    methods: tuple[ShippingMethod, ...]
    regions: frozenset[str] = frozenset()  # empty = every region of those countries
    postcode_prefixes: tuple[str, ...] = ()  # empty = every postcode

    def covers(self, dest: Destination) -> bool:
        if dest.country.upper() not in self.countries:
            return False
        if self.regions and (dest.region or "").upper() not in self.regions:
            return False
        if self.postcode_prefixes:
            pc = (dest.postcode or "").replace(" ", "").upper()
            return any(pc.startswith(p) for p in self.postcode_prefixes)
        return True


@dataclass(frozen=True)
class ShippingOption:
    id: str
    name: str
    price: Money
    eta_days: tuple[int, int]
    zone_id: str = ""
    carrier: str | None = None


def options_for(zones: list[Zone], dest: Destination, goods: Money, weight_g: int) -> list[ShippingOption]:
    """Shipping options of the first zone covering the destination, cheapest first."""
    zone = next((z for z in zones if z.covers(dest)), None)
    if zone is None:
        return []
    options = []
    for method in zone.methods:
        price = method.cost(goods, weight_g)
        if price is not None:
            options.append(
                ShippingOption(method.id, method.name, price, method.eta_days, zone.id, method.carrier)
            )
    return sorted(options, key=lambda o: (o.price.amount_minor, o.eta_days))


@dataclass(frozen=True)
class TaxRule:
    """VAT / sales tax for a country: `rate` as a fraction ("0.23"), optional per-region rates."""

    country: str
    rate: Decimal
    inclusive: bool  # prices already contain the tax (EU/UK VAT) or it is added on top (US)
    regions: dict[str, Decimal] = field(default_factory=dict)
    tax_shipping: bool = True
    name: str = "VAT"

    def rate_for(self, region: str | None) -> Decimal:
        if region and region.upper() in self.regions:
            return self.regions[region.upper()]
        return self.rate


def tax_on(base: Money, rate: Decimal, inclusive: bool) -> Money:
    """Tax contained in (inclusive) or due on top of (exclusive) `base`, rounded half up per total."""
    if rate <= 0 or base.amount_minor <= 0:
        return Money.zero(base.currency)
    amount = Decimal(base.amount_minor)
    raw = amount * rate / (1 + rate) if inclusive else amount * rate
    return Money(int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP)), base.currency)


@dataclass(frozen=True)
class TotalsLine:
    line_id: str
    variant_id: str
    product_id: str
    title: str
    variant_title: str | None
    quantity: int
    unit_price: Money
    total: Money
    discount: Money  # this line's share of the order discount
    sku: str | None = None
    image_url: str | None = None


@dataclass(frozen=True)
class Totals:
    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    total: Money
    tax_inclusive: bool
    lines: list[TotalsLine]
    notes: list[str]
    tax_rate: Decimal = Decimal(0)
    tax_country: str | None = None
    discount_code: str | None = None
    shipping_method_id: str | None = None
    shipping_method_name: str | None = None

    @property
    def currency(self) -> str:
        return self.total.currency


def allocate_discount(discount: Money, line_totals: list[Money]) -> list[Money]:
    """Split the order discount over lines in proportion to their totals (exact sum)."""
    if not line_totals:
        return []
    weights = [m.amount_minor for m in line_totals]
    if discount.is_zero() or sum(weights) <= 0:
        return [Money.zero(discount.currency) for _ in line_totals]
    return discount.allocate(weights)


def compute_totals(
    lines: list[TotalsLine],
    currency: str,
    *,
    discount: Money | None = None,
    shipping: Money | None = None,
    tax_rule: TaxRule | None = None,
    region: str | None = None,
    notes: list[str] | None = None,
    discount_code: str | None = None,
    shipping_method: ShippingOption | None = None,
) -> Totals:
    """Subtotal − discount + shipping (+ tax when prices exclude it) = total, in integer minor units.

    Discounts reduce the taxable base; shipping is taxed when the rule says so. With inclusive
    prices the tax is the part of the paid amount that is tax, so it never changes the total.
    """
    zero = Money.zero(currency)
    subtotal = zero
    for line in lines:
        subtotal = subtotal + line.total
    discount = min(discount or zero, subtotal, key=lambda m: m.amount_minor)
    shipping = shipping or zero
    shares = allocate_discount(discount, [ln.total for ln in lines])
    lines = [
        TotalsLine(ln.line_id, ln.variant_id, ln.product_id, ln.title, ln.variant_title, ln.quantity,
                   ln.unit_price, ln.total, share, ln.sku, ln.image_url)
        for ln, share in zip(lines, shares, strict=True)
    ]
    goods = subtotal - discount
    rate = tax_rule.rate_for(region) if tax_rule else Decimal(0)
    inclusive = tax_rule.inclusive if tax_rule else True
    taxable = goods + shipping if (tax_rule is None or tax_rule.tax_shipping) else goods
    tax = tax_on(taxable, rate, inclusive)
    total = goods + shipping + (zero if inclusive else tax)
    return Totals(
        subtotal=subtotal, discount=discount, shipping=shipping, tax=tax, total=total,
        tax_inclusive=inclusive, lines=lines, notes=list(notes or []), tax_rate=rate,
        tax_country=tax_rule.country if tax_rule else None, discount_code=discount_code,
        shipping_method_id=shipping_method.id if shipping_method else None,
        shipping_method_name=shipping_method.name if shipping_method else None,
    )
