from dataclasses import dataclass, field

from shopkeeper.bots.skills.product import _wanted_first


@dataclass
class V:
    id: str
    options: dict[str, str] = field(default_factory=dict)


def test_variants_in_the_searched_size_and_colour_come_first_in_catalog_order() -> None:
    variants = [
        V("a", {"size": "42", "color": "Brown"}),
        V("b", {"size": "43", "color": "Brown"}),
        V("c", {"size": "43", "color": "Black"}),
        V("d", {"size": "44", "color": "Black"}),
    ]
    results = {"filters": {"sizes": ["43"], "colors": ["black"]}}
    assert [v.id for v in _wanted_first(variants, results)] == ["c", "b", "d", "a"]


def test_without_search_filters_the_catalog_order_stays() -> None:
    variants = [V("a", {"size": "42"}), V("b", {"size": "43"})]
    assert [v.id for v in _wanted_first(variants, {})] == ["a", "b"]
