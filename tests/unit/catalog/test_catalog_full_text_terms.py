"""Which query terms the full-text stage matches on (the ranker sees them all)."""

from shopkeeper.catalog.search import RETRIEVAL_BUDGET_MIN, full_text_terms

N = 90_000  # budget a ninth: 10,000 postings; a tenth is 9,000


def test_rare_terms_are_all_kept_in_query_order() -> None:
    df = {"cordless": 400, "drill": 900, "ryobi": 300}
    assert full_text_terms(["ryobi", "cordless", "drill"], df, N) == ["ryobi", "cordless", "drill"]


def test_common_terms_are_left_out_once_the_rarer_ones_fill_the_budget() -> None:
    df = {"white": 8_000, "cabinet": 3_000, "stock": 1_500, "in": 0}
    # rarest first: in (0), stock (1,500), cabinet (3,000) = 4,500; white would make 12,500
    assert full_text_terms(["in", "stock", "white", "cabinet"], df, N) == ["in", "stock", "cabinet"]


def test_a_term_in_over_a_tenth_of_the_catalog_only_when_it_is_the_rarest() -> None:
    df = {"x": 20_000, "2": 15_000, "lumber": 2_000}
    assert full_text_terms(["2", "x", "lumber"], df, N) == ["lumber"]
    assert full_text_terms(["2", "x"], df, N) == ["2"]  # a query of common terms keeps its rarest


def test_unknown_terms_cost_nothing_and_stay() -> None:
    df = {"hammer": 5_000}
    assert full_text_terms(["hamer", "hammer"], df, N) == ["hamer", "hammer"]


def test_a_small_catalog_keeps_at_least_the_minimum_budget() -> None:
    df = {"red": 900, "dress": 800, "summer": 700}  # a tenth of 9,000 documents is 900
    assert RETRIEVAL_BUDGET_MIN >= 2_400
    assert full_text_terms(["red", "summer", "dress"], df, 9_000) == ["red", "summer", "dress"]
