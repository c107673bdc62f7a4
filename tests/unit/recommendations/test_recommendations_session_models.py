"""V-SKNN, rules and the evaluation protocol on logs small enough to check by hand."""

from __future__ import annotations

import numpy as np

from shopkeeper.recommendations.clicks import ClickLog, SessionIndex
from shopkeeper.recommendations.evaluation import evaluate, prepare_test
from shopkeeper.recommendations.rules import AssociationRules, Popularity, SequentialRules
from shopkeeper.recommendations.session_knn import VSKNN, VSKNNConfig, position_weight


def log(*sessions: list[int]) -> ClickLog:
    rows = []
    t = 0.0
    for sid, items in enumerate(sessions, start=1):
        for item in items:
            t += 1
            rows.append((sid, item, t))
    return ClickLog.from_rows(rows)


def test_parse_reads_session_rec_tsv_with_any_column_order() -> None:
    parsed = ClickLog.parse(["Time\tSessionId\tItemId\n", "1.5\t7\t100\n", "2.5\t7\t101\n"])
    assert parsed.sessions.tolist() == [7, 7]
    assert parsed.items.tolist() == [100, 101]
    assert parsed.times.tolist() == [1.5, 2.5]


def test_index_keeps_each_item_once_per_session_and_counts_clicks() -> None:
    ix = SessionIndex.build(log([10, 10, 20], [20, 30]))
    assert ix.n_sessions == 2
    assert sorted(ix.item_ids[ix.items_of(0)].tolist()) == [10, 20]
    assert ix.clicks.tolist() == [2, 2, 1]
    assert sorted(ix.postings(ix.item_of[20]).tolist()) == [0, 1]


def test_position_weight_quadratic_favours_the_last_click() -> None:
    assert position_weight("quadratic", 2, 2) == 1.0
    assert position_weight("quadratic", 1, 2) == 0.25


def test_vsknn_scores_items_of_the_neighbours_weighted_by_similarity_and_decay() -> None:
    train = log([1, 2, 3], [2, 4], [5, 6])
    model = VSKNN(VSKNNConfig(k=10, idf_weighting=0)).fit(train)
    ix = model.index
    assert ix is not None
    scores = model.scores(ix.dense([1, 2]))
    by_raw = {int(ix.item_ids[i]): float(s) for i, s in enumerate(scores) if s > 0}
    # history [1, 2]: weights 1->0.25, 2->1.0 (quadratic), divided by 2 distinct items.
    # session A {1,2,3}: sim 0.625, last shared click is "2" (step 1). session B {2,4}: sim 0.5.
    assert by_raw == {1: 0.625, 2: 1.125, 3: 0.625, 4: 0.5}
    assert 5 not in by_raw and 6 not in by_raw


def test_vsknn_limits_neighbours_to_the_most_similar_k() -> None:
    train = log([1, 2], [1, 3], [1, 2, 9])
    model = VSKNN(VSKNNConfig(k=1, idf_weighting=0)).fit(train)
    ix = model.index
    assert ix is not None
    nb, _ = model.neighbours(ix.dense([1, 2]))
    assert nb.shape[0] == 1


def test_sequential_rules_vote_for_the_clicks_that_followed() -> None:
    train = log([1, 2, 3], [1, 2])
    sr = SequentialRules(steps=2, weighting="quadratic", pruning=0).fit(train)
    ix = SessionIndex.build(train)
    s = sr.scores(ix.dense([1]))
    assert s[ix.item_of[2]] == 2.0  # twice right after 1
    assert s[ix.item_of[3]] == 0.25  # once, two steps after 1


def test_association_rules_count_pairs_both_ways_and_prune() -> None:
    train = log([1, 2, 3], [1, 2])
    ar = AssociationRules(pruning=1).fit(train)
    ix = SessionIndex.build(train)
    s = ar.scores(ix.dense([1]))
    assert s[ix.item_of[2]] == 2.0
    assert s[ix.item_of[3]] == 0.0  # pruned: only the strongest successor kept


def test_prepare_test_drops_unknown_items_then_sessions_too_short() -> None:
    train = log([1, 2, 3])
    test = ClickLog.from_rows([(9, 1, 1.0), (9, 99, 2.0), (9, 2, 3.0), (8, 3, 1.0), (8, 98, 2.0)])
    kept = prepare_test(train, test)
    assert kept.sessions.tolist() == [9, 9]
    assert kept.items.tolist() == [1, 2]


def test_evaluate_scores_every_prefix_with_hit_rate_and_reciprocal_rank() -> None:
    train = log([1, 2, 3], [3, 1])
    ix = SessionIndex.build(train)

    class Fixed:
        def recommend(self, history: list[int], n: int = 20) -> np.ndarray:
            return np.array([ix.item_of[3], ix.item_of[2]], dtype=np.int64)

    test = prepare_test(train, ClickLog.from_rows([(5, 1, 1.0), (5, 2, 2.0), (5, 1, 3.0)]))
    m = evaluate(Fixed(), ix, test)
    # prefixes: [1] -> 2 (rank 2), [1, 2] -> 1 (miss)
    assert m.predictions == 2
    assert m.hr == 0.5
    assert m.mrr == 0.25
    assert m.coverage == 2 / 3


def test_popularity_recommends_most_clicked_first() -> None:
    train = log([1, 2, 2], [2, 3])
    pop = Popularity().fit(train)
    assert pop.index.item_ids[pop.recommend([], 2)].tolist() == [2, 1]
