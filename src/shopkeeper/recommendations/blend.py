"""Our session model: V-SKNN, sequential and association rules propose candidates; a small
listwise-trained linear ranker over their scores (plus repeat and popularity signals) orders them.

The ranker is fitted on a time split of the training log only (older sessions feed the base
models, the most recent ones teach the weights); then the base models are refitted on everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from shopkeeper.recommendations.clicks import ClickLog, FloatArray, IntArray, SessionIndex, top_n
from shopkeeper.recommendations.rules import AssociationRules, SequentialRules
from shopkeeper.recommendations.session_knn import VSKNN, VSKNNConfig

FEATURES = (
    "vsknn", "vsknn_rank", "sr_last", "sr_prev", "ar_last", "sr_log", "in_session", "is_last",
    "recency", "repeats", "pop", "vsknn_short", "sr_short", "knn2", "bias",
)


@dataclass(frozen=True)
class BlendConfig:
    knn: VSKNNConfig = VSKNNConfig()
    knn2: VSKNNConfig = VSKNNConfig(k=100, weighting="div", weighting_score="quadratic", idf_weighting=1.0)
    knn_candidates: int = 100
    rule_candidates: int = 30
    tune_share: float = 0.25
    epochs: int = 400
    learning_rate: float = 0.05
    l2: float = 1e-4


class SessionBlend:
    def __init__(self, config: BlendConfig | None = None) -> None:
        self.config = config or BlendConfig()
        self.weights: FloatArray = np.zeros(len(FEATURES))
        self.weights[FEATURES.index("vsknn")] = 1.0

    # -- training -------------------------------------------------------------------------------
    def fit(self, log: ClickLog, index: SessionIndex | None = None) -> SessionBlend:
        head, tune = split_by_time(log, self.config.tune_share)
        if len(tune) and len(head):
            self._fit_bases(head, SessionIndex.build(head))
            self.weights = self._learn(tune)
        self._fit_bases(log, index or SessionIndex.build(log))
        return self

    def _fit_bases(self, log: ClickLog, index: SessionIndex) -> None:
        self.index = index
        self.knn = VSKNN(self.config.knn).fit(log, index)
        self.knn2 = VSKNN(self.config.knn2).fit(log, index)
        self.sr = SequentialRules(steps=20, weighting="quadratic", pruning=0).fit(log, index)
        self.ar = AssociationRules(pruning=0).fit(log, index)
        self.log_pop = np.log1p(index.clicks) / max(float(np.log1p(index.clicks.max())), 1e-9)

    def _learn(self, tune: ClickLog) -> FloatArray:
        blocks: list[FloatArray] = []
        targets: list[int] = []
        dense_of = self.index.item_of
        for start, end in tune.session_runs():
            raw = tune.items[start:end].tolist()
            for pos in range(1, len(raw)):
                history = [dense_of[r] for r in raw[:pos] if r in dense_of]
                target = dense_of.get(raw[pos])
                if not history or target is None:
                    continue
                cands, feats = self.features(history)
                where = np.flatnonzero(cands == target)
                if where.shape[0]:
                    blocks.append(feats)
                    targets.append(int(where[0]))
        return fit_listwise(blocks, targets, self.config)

    # -- serving --------------------------------------------------------------------------------
    def features(self, history: Sequence[int]) -> tuple[IntArray, FloatArray]:
        cfg = self.config
        knn = self.knn.scores(history)
        knn2 = self.knn2.scores(history)
        sr_last = self.sr.scores(history)
        sr_prev = self.sr.scores(history[:-1]) if len(history) > 1 else np.zeros_like(sr_last)
        ar_last = self.ar.scores(history)
        cands = np.unique(np.concatenate([
            top_n(knn, cfg.knn_candidates), top_n(sr_last, cfg.rule_candidates),
            top_n(ar_last, cfg.rule_candidates), np.asarray(history, dtype=np.int64),
        ]))
        rank = np.empty(knn.shape[0])
        rank[np.argsort(-knn, kind="stable")] = np.arange(knn.shape[0])
        recency = np.zeros(knn.shape[0])
        repeats = np.zeros(knn.shape[0])
        for back, item in enumerate(reversed(history), start=1):
            if recency[item] == 0:
                recency[item] = 1.0 / back
            repeats[item] += 1
        short = 1.0 / len(history)
        v = _norm(knn)[cands]
        s = _norm(sr_last)[cands]
        cols = [
            v, 1.0 / (1.0 + rank[cands]), s, _norm(sr_prev)[cands], _norm(ar_last)[cands],
            np.log1p(sr_last[cands]), (repeats[cands] > 0).astype(float),
            (cands == history[-1]).astype(float), recency[cands], np.log1p(repeats[cands]),
            self.log_pop[cands], v * short, s * short, _norm(knn2)[cands], np.ones(cands.shape[0]),
        ]
        return cands, np.stack(cols, axis=1)

    def recommend(self, history: Sequence[int], n: int = 20) -> IntArray:
        if not history:
            return np.zeros(0, dtype=np.int64)
        cands, feats = self.features(history)
        scores = feats @ self.weights
        order = np.lexsort([cands, -scores])[:n]
        return cands[order]


def _norm(x: FloatArray) -> FloatArray:
    top = float(x.max()) if x.shape[0] else 0.0
    return x / top if top > 0 else x


def split_by_time(log: ClickLog, share: float) -> tuple[ClickLog, ClickLog]:
    """Sessions starting in the last `share` of the log's sessions (by first click) form the tuning part."""
    runs = log.session_runs()
    if len(runs) < 10 or share <= 0:
        return log, ClickLog.from_rows([])
    starts = np.array([log.times[s] for s, _ in runs])
    cut = float(np.quantile(starts, 1 - share))
    tail = np.zeros(len(log), dtype=bool)
    for (s, e), t in zip(runs, starts, strict=True):
        tail[s:e] = t >= cut
    return log.take(np.flatnonzero(~tail).astype(np.int64)), log.take(np.flatnonzero(tail).astype(np.int64))


def fit_listwise(blocks: list[FloatArray], targets: list[int], cfg: BlendConfig) -> FloatArray:
    """Softmax cross-entropy of the true next item over each query's candidates; Adam, full batch."""
    n_feat = len(FEATURES)
    w = np.zeros(n_feat)
    w[FEATURES.index("vsknn")] = 1.0
    if not blocks:
        return w
    sizes = np.array([b.shape[0] for b in blocks])
    x = np.concatenate(blocks)
    query = np.repeat(np.arange(len(blocks)), sizes)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    target_rows = offsets + np.array(targets)
    scale = np.maximum(np.abs(x).max(axis=0), 1e-9)
    xs = x / scale
    w = w * scale
    m, v = np.zeros(n_feat), np.zeros(n_feat)
    for step in range(1, cfg.epochs + 1):
        z = xs @ w
        zmax = np.maximum.reduceat(z, offsets)
        e = np.exp(z - zmax[query])
        p = e / np.add.reduceat(e, offsets)[query]
        grad = xs.T @ p - xs[target_rows].sum(axis=0)
        grad = grad / len(blocks) + cfg.l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= cfg.learning_rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w / scale
