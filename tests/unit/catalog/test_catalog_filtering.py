from shopkeeper.catalog.filtering import Facts, VariantFacts, apply_filters, matches
from shopkeeper.catalog.model import Filters
from shopkeeper.catalog.ranking import Candidate
from shopkeeper.kernel.money import Money


def facts(color: str, size: str, price: int, available: int = 3) -> Facts:
    return Facts("Stride", "Running shoes", 4.5, 2, 0, [VariantFacts(color, size, price, "EUR", available)])


def test_one_variant_must_satisfy_colour_size_and_price_together() -> None:
    f = Facts(
        "B",
        "C",
        None,
        0,
        0,
        [VariantFacts("black", "42", 8900, "EUR", 1), VariantFacts("navy", "44", 9500, "EUR", 1)],
    )
    assert matches(f, Filters(colors=["black"], sizes=["42"]))
    assert not matches(f, Filters(colors=["black"], sizes=["44"]))


def test_price_in_another_currency_does_not_match() -> None:
    assert not matches(facts("black", "42", 100), Filters(price_max=Money(5000, "USD")))


def test_in_stock_ignores_sold_out_variants() -> None:
    assert not matches(facts("black", "42", 100, available=0), Filters(in_stock=True))


def test_relaxes_colour_first_and_explains() -> None:
    cands = [Candidate("a", {}), Candidate("b", {})]
    f = {"a": facts("navy", "44", 9500), "b": facts("black", "42", 8900)}
    kept, relaxed, why = apply_filters(cands, f, Filters(colors=["black"], sizes=["44"]))
    assert [c.product_id for c in kept] == ["a"]
    assert relaxed == ["colors"]
    assert why is not None and "colour" in why


def test_exclusions_are_never_relaxed() -> None:
    kept, relaxed, _ = apply_filters(
        [Candidate("a", {})], {"a": facts("navy", "44", 1)}, Filters(exclude_ids=["a"])
    )
    assert kept == [] and relaxed == []
