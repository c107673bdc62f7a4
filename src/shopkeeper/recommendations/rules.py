"""Classic session baselines on dense item ids: popularity, association rules (co-occurrence in a
session) and sequential rules (what followed what, decayed by distance), as in session-rec.
Pure python/numpy; rules are pruned to the strongest `pruning` successors per item.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from shopkeeper.recommendations.clicks import ClickLog, FloatArray, IntArray, SessionIndex, top_n
from shopkeeper.recommendations.session_knn import step_decay

Rules = dict[int, tuple[IntArray, FloatArray]]


def prune(raw: dict[int, dict[int, float]], keep: int) -> Rules:
    """Keep the `keep` strongest successors of each item (ties: first seen first, like Counter)."""
    out: Rules = {}
    for src, targets in raw.items():
        best = sorted(targets.items(), key=lambda kv: -kv[1])
        if keep > 0:
            best = best[:keep]
        out[src] = (np.array([k for k, _ in best], dtype=np.int64), np.array([v for _, v in best]))
    return out


class Popularity:
    def fit(self, log: ClickLog, index: SessionIndex | None = None) -> Popularity:
        self.index = index or SessionIndex.build(log)
        self.counts = self.index.clicks.astype(np.float64)
        self._top = top_n(self.counts, 100)
        return self

    def scores(self, history: Sequence[int]) -> FloatArray:
        return self.counts / (self.counts + 1)

    def recommend(self, history: Sequence[int], n: int = 20) -> IntArray:
        return self._top[:n]


class _RuleModel:
    rules: Rules
    n_items: int

    def scores(self, history: Sequence[int]) -> FloatArray:
        out = np.zeros(self.n_items)
        if history and history[-1] in self.rules:
            cols, vals = self.rules[history[-1]]
            out[cols] = vals
        return out

    def recommend(self, history: Sequence[int], n: int = 20) -> IntArray:
        return top_n(self.scores(history), n)


class AssociationRules(_RuleModel):
    """Every ordered pair of clicks in a session counts both ways (repeats included)."""

    def __init__(self, pruning: int = 20) -> None:
        self.pruning = pruning

    def fit(self, log: ClickLog, index: SessionIndex | None = None) -> AssociationRules:
        ix = index or SessionIndex.build(log)
        self.n_items = ix.n_items
        dense = [ix.item_of[int(r)] for r in log.items.tolist()]
        raw: dict[int, dict[int, float]] = {}
        for start, end in log.session_runs():
            seen: list[int] = []
            for item in dense[start:end]:
                for prev in seen:
                    a = raw.setdefault(item, {})
                    b = raw.setdefault(prev, {})
                    b[item] = b.get(item, 0.0) + 1
                    a[prev] = a.get(prev, 0.0) + 1
                seen.append(item)
        self.rules = prune(raw, self.pruning)
        return self


class SequentialRules(_RuleModel):
    """A click votes for each of the `steps` clicks before it, weighted by its distance."""

    def __init__(self, steps: int = 20, weighting: str = "quadratic", pruning: int = 20) -> None:
        self.steps, self.weighting, self.pruning = steps, weighting, pruning

    def fit(self, log: ClickLog, index: SessionIndex | None = None) -> SequentialRules:
        ix = index or SessionIndex.build(log)
        self.n_items = ix.n_items
        dense = [ix.item_of[int(r)] for r in log.items.tolist()]
        weight = [0.0] + [step_decay(self.weighting, i) for i in range(1, self.steps + 1)]
        raw: dict[int, dict[int, float]] = {}
        for start, end in log.session_runs():
            seq = dense[start:end]
            for pos in range(1, len(seq)):
                item = seq[pos]
                for back in range(1, min(self.steps, pos) + 1):
                    row = raw.setdefault(seq[pos - back], {})
                    row[item] = row.get(item, 0.0) + weight[back]
        self.rules = prune(raw, self.pruning)
        return self
