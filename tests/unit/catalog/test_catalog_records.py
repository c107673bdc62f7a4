import pytest

from shopkeeper.catalog.errors import InvalidRecord
from shopkeeper.catalog.model import Filters, clean_record
from shopkeeper.kernel.money import Money


def test_benchmark_shape_becomes_a_product_without_variants() -> None:
    rec = clean_record({"id": "p1", "title": "Lamp", "description": "A lamp"}, "EUR")
    assert rec["handle"] == "p1" and rec["variants"] == [] and rec["description"] == "A lamp"


def test_prices_become_integer_minor_units() -> None:
    rec = clean_record(
        {"title": "Hat", "variants": [{"sku": "h", "price": "19.99", "currency": "usd"}]}, "EUR"
    )
    assert rec["variants"][0]["price"] == Money(1999, "USD")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "Hat", "variants": [{"sku": "h", "price": 19.99}]}, "variants[0].price"),
        ({"title": "Hat", "variants": [{"sku": "h", "price": "-1"}]}, "variants[0].price"),
        ({"title": "Hat", "variants": [{"sku": "h", "price": "1"}, {"sku": "h", "price": "2"}]}, "sku"),
        ({"title": "Hat", "variants": [{"sku": "h", "price": "1", "stock": -2}]}, "stock"),
        ({"title": "Hat", "reviews": [{"rating": 9}]}, "rating"),
    ],
)
def test_invalid_records_name_the_field(raw: dict, field: str) -> None:
    with pytest.raises(InvalidRecord) as err:
        clean_record(raw, "EUR")
    assert err.value.field == field


def test_active_filters_are_listed_in_relaxation_order() -> None:
    f = Filters(colors=["black"], sizes=["44"], price_max=Money(5000, "EUR"), in_stock=True)
    assert f.active() == ["colors", "sizes", "price", "in_stock"]
    assert Filters().active() == []
