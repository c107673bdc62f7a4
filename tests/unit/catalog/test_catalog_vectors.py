"""Bulk embedding in worker processes gives the vectors the in-process encoder gives, in order."""

from __future__ import annotations

import numpy as np
import pytest

from shopkeeper.catalog import vectors
from shopkeeper.catalog.vectors import USEEncoder


@pytest.mark.slow
def test_pooled_bulk_encode_matches_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        f"{colour} {thing} size {n}"
        for n in range(40)
        for colour, thing in (("black", "boots"), ("red", "kettle"))
    ]
    texts += ["Simpson Strong-Tie 12-Gauge Angle", "czarne buty do biegania", "无线耳机"]
    monkeypatch.setenv("SHOPKEEPER_EMBED_WORKERS", "1")
    alone = USEEncoder().encode(texts)
    monkeypatch.setenv("SHOPKEEPER_EMBED_WORKERS", "2")
    monkeypatch.setattr(vectors, "POOL_MIN", 10)
    monkeypatch.setattr(vectors, "POOL_CHUNK", 7)  # many chunks: both ends of the list are used
    try:
        pooled = USEEncoder().encode(texts)
        # the worker really ran (a dead pool falls back to in-process and would pass unseen)
        assert vectors._POOL._executor is not None and not vectors._POOL.broken
    finally:
        vectors._POOL.close()
    assert pooled.shape == (len(texts), vectors.DIM)
    assert np.allclose(pooled, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-5)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _full_scan(matrix: np.ndarray, qv: np.ndarray, k: int, floor: float, band: float) -> list[int]:
    sims = matrix @ qv
    top = np.lexsort((np.arange(len(sims)), -sims))[:k]
    cut = max(floor, float(sims[top[0]]) - band)
    return [int(i) for i in top if sims[i] >= cut]


def test_coarse_index_returns_what_a_full_scan_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "COARSE_MIN", 1_000)
    monkeypatch.setattr(vectors, "COARSE_DIM", 12)
    rng = np.random.default_rng(3)
    topics = rng.normal(size=(20, 48))
    matrix = _unit(topics[rng.integers(0, 20, 3_000)] + 0.6 * rng.normal(size=(3_000, 48)))
    index = vectors.CoarseIndex()
    index.update(matrix, list(range(len(matrix))))
    assert index.proj is not None and index.coarse.shape == (3_000, 12)

    def check() -> None:
        for _ in range(40):
            qv = _unit(topics[rng.integers(0, 20)] + 0.8 * rng.normal(size=48))
            rows, sims = index.top(matrix, qv, 60, 0.3, 0.25)
            cut = max(0.3, float(sims[0]) - 0.25)
            got = [int(r) for r, s in zip(rows, sims, strict=True) if s >= cut]
            assert got == _full_scan(matrix, qv, 60, 0.3, 0.25)
            assert np.allclose(sims, matrix[rows] @ qv, atol=1e-6)

    check()
    # a product's vector changes and products are added: the projected rows follow
    matrix[5] = _unit(topics[0])
    matrix = np.vstack([matrix, _unit(topics[rng.integers(0, 20, 400)] + 0.6 * rng.normal(size=(400, 48)))])
    index.update(matrix, [5, *range(3_000, 3_400)])
    assert index.coarse.shape == (3_400, 12)
    check()


def test_small_matrices_are_scanned_in_full() -> None:
    index = vectors.CoarseIndex()
    matrix = _unit(np.random.default_rng(1).normal(size=(500, 32)))
    index.update(matrix, list(range(500)))
    assert index.proj is None
    rows, _ = index.top(matrix, matrix[7], 10, 0.3, 0.25)
    assert int(rows[0]) == 7
