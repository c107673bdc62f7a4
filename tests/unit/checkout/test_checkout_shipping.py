"""Shipping zones and methods: flat, by weight, by price, free over a threshold, limits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shopkeeper.checkout import Destination, ShippingMethod, Zone, options_for
from shopkeeper.checkout.model import Bracket
from shopkeeper.kernel.money import Money

EUR = "EUR"


def m(minor: int) -> Money:
    return Money(minor, EUR)


FLAT = ShippingMethod("flat", "Locker", "flat", (2, 3), price=m(350), free_over=m(5000), max_weight_g=25000)
WEIGHT = ShippingMethod(
    "wt",
    "Courier",
    "weight",
    (1, 2),
    brackets=(Bracket(2000, m(490)), Bracket(10000, m(690)), Bracket(30000, m(990))),
)
PRICE = ShippingMethod(
    "pr",
    "Standard",
    "price",
    (5, 8),
    brackets=(Bracket(5000, m(990)), Bracket(15000, m(690)), Bracket(None, m(0))),
)
ONLY_BIG = ShippingMethod("free", "Free", "flat", (5, 9), price=m(0), min_subtotal=m(20000))
PL = Zone("pl", "Poland", frozenset({"PL"}), (FLAT, WEIGHT))
US_CA = Zone("ca", "California", frozenset({"US"}), (PRICE,), regions=frozenset({"CA"}))
US = Zone("us", "US", frozenset({"US"}), (PRICE, ONLY_BIG))
ZONES = [PL, US_CA, US]


def test_flat_price_below_the_free_threshold_and_free_from_it() -> None:
    assert FLAT.cost(m(4999), 500) == m(350)
    assert FLAT.cost(m(5000), 500) == m(0)


def test_weight_brackets_pick_the_first_that_fits_inclusive() -> None:
    assert WEIGHT.cost(m(100), 2000) == m(490)
    assert WEIGHT.cost(m(100), 2001) == m(690)
    assert WEIGHT.cost(m(100), 30000) == m(990)


def test_too_heavy_for_every_bracket_is_not_offered() -> None:
    assert WEIGHT.cost(m(100), 30001) is None
    assert FLAT.cost(m(100), 25001) is None


def test_price_brackets_with_an_open_top() -> None:
    assert PRICE.cost(m(4000), 0) == m(990)
    assert PRICE.cost(m(12000), 0) == m(690)
    assert PRICE.cost(m(99999), 0) == m(0)


def test_method_with_minimum_subtotal_appears_only_from_it() -> None:
    assert [o.id for o in options_for(ZONES, Destination("US", region="NY"), m(19999), 0)] == ["pr"]
    assert {o.id for o in options_for(ZONES, Destination("US", region="NY"), m(20000), 0)} == {"pr", "free"}


def test_first_matching_zone_wins_and_regions_narrow_it() -> None:
    assert [o.zone_id for o in options_for(ZONES, Destination("US", region="CA"), m(100), 0)] == ["ca"]
    assert {o.zone_id for o in options_for(ZONES, Destination("US", region="TX"), m(100), 0)} == {"us"}


def test_options_are_sorted_cheapest_first_with_etas() -> None:
    opts = options_for(ZONES, Destination("PL", "00-950"), m(1000), 3000)
    assert [(o.id, o.price, o.eta_days) for o in opts] == [("flat", m(350), (2, 3)), ("wt", m(690), (1, 2))]


def test_no_zone_no_options() -> None:
    assert options_for(ZONES, Destination("JP"), m(1000), 100) == []


def test_postcode_prefix_zones() -> None:
    islands = Zone("isl", "Islands", frozenset({"DE"}), (FLAT,), postcode_prefixes=("18565",))
    assert islands.covers(Destination("DE", "18565"))
    assert not islands.covers(Destination("DE", "10115"))


@given(st.integers(0, 10**7), st.integers(0, 40000))
def test_shipping_cost_rules_hold_for_any_cart(goods_minor: int, weight_g: int) -> None:
    goods = m(goods_minor)
    for method in (FLAT, WEIGHT, PRICE, ONLY_BIG):
        price = method.cost(goods, weight_g)
        if method.free_over is not None and goods >= method.free_over and price is not None:
            assert price.is_zero()
        if method.max_weight_g is not None and weight_g > method.max_weight_g:
            assert price is None
        if price is not None:
            assert price.amount_minor >= 0 and price.currency == EUR


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_weight_brackets_never_charge_less_for_a_heavier_parcel(a: int, b: int) -> None:
    light, heavy = sorted((a % 30001, b % 30001))
    cheap, dear = WEIGHT.cost(m(100), light), WEIGHT.cost(m(100), heavy)
    assert cheap is not None and dear is not None and cheap <= dear
