"""V-SKNN (Ludewig & Jannach): next item from the k most similar recent sessions, vectorised.

Follows session-rec's `VMContextKNN` rule for rule (position weights where a repeated item keeps
its last weight, neighbours drawn from the most recent sessions sharing an item, `div`/`quadratic`
decays, idf boost on item scores) so our baseline is the published one. Pure numpy, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from shopkeeper.recommendations.clicks import ClickLog, FloatArray, IntArray, SessionIndex, top_n


def position_weight(kind: str, i: int, length: int) -> float:
    """Weight of the i-th click (1-based) of a session of `length` clicks; later clicks weigh more."""
    if kind == "quadratic":
        return (i / length) ** 2
    if kind == "div":
        return i / length
    if kind == "linear":
        return 1 - 0.1 * (length - i) if i <= 10 else 0.0
    if kind == "log":
        return float(1 / np.log10((length - i) + 1.7))
    return 1.0


def step_decay(kind: str, step: int) -> float:
    """Score decay for a neighbour matched `step` clicks back from the end of the current session."""
    if kind == "div":
        return 1 / step
    if kind == "quadratic":
        return 1 / (step * step)
    if kind == "log":
        return float(1 / np.log10(step + 1.7))
    if kind == "linear":
        return 1 - 0.1 * step if step <= 100 else 0.0
    return 1.0


@dataclass(frozen=True)
class VSKNNConfig:
    k: int = 500
    sample_size: int = 5000
    weighting: str = "quadratic"
    weighting_score: str = "div"
    idf_weighting: float = 5.0


class VSKNN:
    """Stateless per call: `scores(history)` depends only on the clicks of the current session."""

    def __init__(self, config: VSKNNConfig | None = None) -> None:
        self.config = config or VSKNNConfig()
        self.index: SessionIndex | None = None
        self.idf: FloatArray = np.zeros(0)

    def fit(self, log: ClickLog, index: SessionIndex | None = None) -> VSKNN:
        self.index = index or SessionIndex.build(log)
        n_sessions = self.index.n_sessions
        # session-rec counts an item's clicks (rows), not its sessions, in the idf denominator
        self.idf = np.log(n_sessions / np.maximum(self.index.clicks, 1)).astype(np.float64)
        return self

    def neighbours(self, history: Sequence[int]) -> tuple[IntArray, FloatArray]:
        """The k nearest sessions (dense ids) and their similarities, for dense-id clicks."""
        ix, cfg = self._index(), self.config
        weights: dict[int, float] = {}
        length = len(history)
        for pos, item in enumerate(history, start=1):
            weights[item] = position_weight(cfg.weighting, pos, length)  # a repeat keeps its last weight
        if not weights:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        postings = [ix.postings(item) for item in weights]
        relevant = np.unique(np.concatenate(postings))
        if cfg.sample_size and relevant.shape[0] > cfg.sample_size:
            recent = np.argpartition(-ix.last_time[relevant], cfg.sample_size - 1)[: cfg.sample_size]
            relevant = relevant[recent]
        sim_all = np.zeros(ix.n_sessions)
        for post, w in zip(postings, weights.values(), strict=True):
            sim_all[post] += w
        sims = sim_all[relevant] / len(weights)
        if relevant.shape[0] > cfg.k:
            best = np.argpartition(-sims, cfg.k - 1)[: cfg.k]
            relevant, sims = relevant[best], sims[best]
        return relevant, sims

    def scores(self, history: Sequence[int]) -> FloatArray:
        """A score per dense item (0 = not suggested)."""
        ix, cfg = self._index(), self.config
        out = np.zeros(ix.n_items)
        nb, sims = self.neighbours(history)
        if nb.shape[0] == 0:
            return out
        # the most recent click a neighbour shares decides its decay: walk from the oldest click
        # so that later (smaller) steps overwrite earlier ones
        step_all = np.zeros(ix.n_sessions)
        length = len(history)
        for back in range(length, 0, -1):
            step_all[ix.postings(history[length - back])] = back
        decay = np.array([step_decay(cfg.weighting_score, int(s)) for s in step_all[nb]])
        flat, wts = gather(ix, nb, sims * decay)
        summed = np.bincount(flat, weights=wts, minlength=ix.n_items).astype(np.float64)
        return np.asarray(summed * (1.0 + self.idf * cfg.idf_weighting))

    def recommend(self, history: Sequence[int], n: int = 20) -> IntArray:
        return top_n(self.scores(history), n)

    def _index(self) -> SessionIndex:
        if self.index is None:
            raise RuntimeError("fit() first")
        return self.index


def gather(ix: SessionIndex, sessions: IntArray, weights: FloatArray) -> tuple[IntArray, FloatArray]:
    """All (item, weight of its session) pairs of the given sessions, flattened."""
    starts = ix.session_indptr[sessions]
    lengths = ix.session_indptr[sessions + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    flat = ix.session_items[np.repeat(starts, lengths) + offsets]
    return flat.astype(np.int64), np.repeat(weights, lengths)
