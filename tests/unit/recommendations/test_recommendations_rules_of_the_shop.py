"""Pure business rules of the product recommender: decayed pair weights, content similarity,
price band and diversity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopkeeper.recommendations.model import (
    HALF_LIFE,
    Event,
    ItemProfile,
    content_similarity,
    decay_weight,
    diversify,
    is_substitute,
    merge,
    pair_increments,
    price_fit,
    rank,
)

T = datetime(2026, 5, 1, tzinfo=UTC)


def profile(
    pid: str, category: str | None, price: int | None, tags: tuple[str, ...] = (), brand: str = "b"
) -> ItemProfile:
    return ItemProfile(pid, pid.title(), category, brand, tags, {}, price, "EUR", ())


def test_an_event_one_half_life_later_weighs_twice_as_much() -> None:
    assert abs(decay_weight(T + HALF_LIFE) / decay_weight(T) - 2.0) < 1e-9


def test_products_bought_in_one_order_pair_both_ways() -> None:
    inc = pair_increments([Event("c", "purchased", "a", T), Event("c", "purchased", "b", T)], [])
    assert inc[("bought", "a", "b")] == inc[("bought", "b", "a")] == decay_weight(T)
    assert ("bought", "a", "a") not in inc


def test_an_earlier_order_within_30_days_pairs_weaker_and_older_ones_not_at_all() -> None:
    earlier = [Event("c", "purchased", "old", T - timedelta(days=40)),
               Event("c", "purchased", "recent", T - timedelta(days=3))]
    inc = pair_increments([Event("c", "purchased", "new", T)], earlier)
    assert inc[("bought", "new", "recent")] == 0.4 * decay_weight(T)
    assert ("bought", "new", "old") not in inc


def test_views_in_a_browsing_session_vote_for_what_came_next() -> None:
    earlier = [Event("c", "viewed", "a", T - timedelta(minutes=20)),
               Event("c", "viewed", "b", T - timedelta(minutes=5))]
    inc = pair_increments([Event("c", "viewed", "c", T)], earlier)
    w = decay_weight(T)
    assert inc[("next", "b", "c")] == w
    assert inc[("next", "a", "c")] == w / 4
    assert ("next", "c", "a") not in inc
    assert inc[("viewed", "c", "a")] == inc[("viewed", "a", "c")] == w


def test_views_hours_apart_are_different_sessions() -> None:
    inc = pair_increments([Event("c", "viewed", "c", T)], [Event("c", "viewed", "a", T - timedelta(hours=5))])
    assert inc == {}


def test_content_similarity_ranks_same_category_and_tags_over_brand_alone() -> None:
    shoe = profile("shoe", "Shoes", 9900, ("running",))
    other_shoe = profile("trail", "Shoes", 10900, ("running", "trail"), brand="x")
    same_brand_bottle = profile("bottle", "Sports", 1200)
    assert content_similarity(shoe, other_shoe) > content_similarity(shoe, same_brand_bottle)
    assert content_similarity(shoe, shoe) == 0.0


def test_price_fit_favours_add_ons_cheaper_than_the_cart() -> None:
    assert price_fit(profile("case", "P", 999), 49900) == 1.0
    assert price_fit(profile("phone", "P", 59900), 49900) < price_fit(profile("mid", "P", 40000), 49900) < 1.0
    assert price_fit(profile("unknown", "P", None), 49900) == 1.0


def test_diversify_caps_each_category_and_refills_when_short() -> None:
    ranked = [("a1", 5.0), ("a2", 4.0), ("a3", 3.0), ("b1", 2.0)]
    cats = {"a1": "A", "a2": "A", "a3": "A", "b1": "B"}
    assert diversify(ranked, cats, per_category=1, limit=2) == [("a1", 5.0), ("b1", 2.0)]
    assert diversify(ranked, cats, per_category=1, limit=3) == [("a1", 5.0), ("b1", 2.0), ("a2", 4.0)]


def test_rank_drops_excluded_unsellable_and_non_positive_scores() -> None:
    scores = {"a": 1.0, "b": 2.0, "c": 0.0, "d": 3.0}
    assert rank(scores, exclude={"d"}, sellable={"a", "b", "c"}) == [("b", 2.0), ("a", 1.0)]


def test_merge_scales_each_source_to_one_before_weighting() -> None:
    assert merge((1.0, {"a": 10.0, "b": 5.0}), (0.5, {"b": 2.0})) == {"a": 1.0, "b": 1.0}


def test_a_phone_substitutes_a_phone_but_a_case_complements_it() -> None:
    phone = profile("p1", "Phones", 49900, ("smartphone",))
    other_phone = profile("p2", "Phones", 45900, ("smartphone",))
    case = profile("case", "Phones", 999, ("case",))
    assert is_substitute(phone, other_phone)
    assert not is_substitute(phone, case)
    assert not is_substitute(phone, profile("bottle", "Sports", 1200, ("smartphone",)))
