"""The distance half of the in-scope score: Mahalanobis to the nearest class mean, ranked against a
held-out reference."""

from __future__ import annotations

import numpy as np

from shopkeeper.bots.nlu.novelty import Novelty


def _clusters() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    centres = np.array([[5.0, 0.0, 0.0], [0.0, 5.0, 0.0]])
    # stretched along the first axis: Mahalanobis must discount that direction
    noise = rng.normal(size=(400, 3)) * np.array([3.0, 0.3, 0.3])
    labels = np.array(["a", "b"] * 200)
    return centres[(labels == "b").astype(int)] + noise, labels


def test_distance_follows_the_shared_covariance_not_euclid() -> None:
    x, y = _clusters()
    novelty = Novelty.fit(x, y, "test")
    along = novelty.distance(np.array([[11.0, 0.0, 0.0]]))[0]  # 6 away on the wide axis
    across = novelty.distance(np.array([[5.0, 0.0, 2.0]]))[0]  # 2 away on a narrow axis
    assert across > along
    assert novelty.distance(np.array([[0.0, 5.0, 0.0]]))[0] < 1.0  # at a class mean


def test_score_ranks_against_the_reference_and_rewards_both_signals() -> None:
    x, y = _clusters()
    novelty = Novelty.fit(x, y, "test")
    novelty.set_reference(np.linspace(0.5, 1.0, 101), np.linspace(0.0, 10.0, 101))
    sure_near, sure_far, unsure_near = novelty.score(np.array([0.99, 0.99, 0.55]), np.array([0.5, 9.5, 0.5]))
    assert sure_near > sure_far and sure_near > unsure_near
    assert 0.9 < sure_near <= 1.0
    # beyond every reference point: rank 0 on both halves
    assert novelty.score(np.array([0.1]), np.array([50.0]))[0] == 0.0
