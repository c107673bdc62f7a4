"""Our learned session model: it learns a pattern V-SKNN alone ranks wrong, and its exported trees
score exactly like the fitted sklearn model."""

from __future__ import annotations

import random

import numpy as np

from shopkeeper.recommendations.blend import BlendConfig, Forest, SessionBlend, split_by_time
from shopkeeper.recommendations.clicks import ClickLog


def synthetic_log(n_sessions: int = 600, seed: int = 3) -> ClickLog:
    """Shoppers walk chains 10k -> 10k+1 -> ..., with noise clicks; strict order matters."""
    rng = random.Random(seed)
    rows = []
    t = 0.0
    for sid in range(n_sessions):
        start = rng.randrange(0, 40)
        for step in range(rng.randint(2, 5)):
            t += 1
            item = start + step if rng.random() > 0.2 else rng.randrange(0, 45)
            rows.append((sid, item, t))
    return ClickLog.from_rows(rows)


def test_split_by_time_puts_the_latest_sessions_in_the_tuning_part() -> None:
    log = synthetic_log(100)
    head, tune = split_by_time(log, 0.25)
    assert len(head) + len(tune) == len(log)
    assert head.times.max() < tune.times.min() + 10  # sessions start in time order
    assert set(head.sessions.tolist()).isdisjoint(tune.sessions.tolist())


def test_blend_predicts_the_next_step_of_a_chain() -> None:
    log = synthetic_log()
    model = SessionBlend(BlendConfig(trees=30, min_leaf=20)).fit(log)
    assert model.ranker is not None
    ix = model.index
    recs = model.recommend(ix.dense([7, 8]), 5)
    assert int(ix.item_ids[recs[0]]) in (8, 9)
    assert 9 in ix.item_ids[recs].tolist()


def test_forest_export_matches_sklearn_raw_scores() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] + 0.5 * x[:, 1] * x[:, 2] > 0).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7).fit(x, y)
    forest = Forest.from_sklearn(clf)
    expected = clf.decision_function(x) - clf._baseline_prediction.ravel()[0]
    assert np.allclose(forest.raw(x), expected)
