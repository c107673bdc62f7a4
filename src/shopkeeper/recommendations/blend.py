"""Our session model: V-SKNN, sequential and association rules propose candidates; a small
gradient-boosted ranker over their scores (plus repeat, transition and trend signals) orders them.

The ranker is fitted on a time split of the training log only (older sessions feed the base
models, the most recent ones teach the weights); then the base models are refitted on everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from shopkeeper.recommendations.clicks import ClickLog, FloatArray, IntArray, SessionIndex, top_n
from shopkeeper.recommendations.rules import AssociationRules, Rules, SequentialRules
from shopkeeper.recommendations.session_knn import VSKNN, VSKNNConfig

FEATURES = (
    "vsknn", "vsknn_rank", "sr_last", "sr_prev", "ar_last", "sr_log", "in_session", "is_last",
    "recency", "repeats", "pop", "vsknn_short", "sr_short", "knn2", "bias",
    "self_rate", "next_prob", "recent_pop", "length", "distinct", "knn_share",
)


@dataclass(frozen=True)
class BlendConfig:
    knn: VSKNNConfig = field(default_factory=VSKNNConfig)
    # a second, sharper neighbourhood: fewer neighbours, steeper score decay
    knn2: VSKNNConfig = field(default_factory=lambda: VSKNNConfig(
        k=100, weighting="div", weighting_score="quadratic", idf_weighting=1.0))
    knn_candidates: int = 100
    rule_candidates: int = 30
    tune_share: float = 0.25
    folds: int = 2  # time folds of tuning data: (first 75% -> last 25%), (first 50% -> next 25%)
    negatives: int = 40  # per tuning query; subsampling keeps the ranker's fit time bounded
    trees: int = 100
    learning_rate: float = 0.1
    leaves: int = 15
    min_leaf: int = 200
    seed: int = 7


class SessionBlend:
    def __init__(self, config: BlendConfig | None = None) -> None:
        self.config = config or BlendConfig()
        self.ranker: Any = None  # None: order by V-SKNN alone (too little data to learn from)

    # -- training -------------------------------------------------------------------------------
    def fit(self, log: ClickLog, index: SessionIndex | None = None) -> SessionBlend:
        rows: list[FloatArray] = []
        labels: list[IntArray] = []
        for fold in range(self.config.folds):
            share = self.config.tune_share * (fold + 1)
            head, tail = split_by_time(log, share)
            tune = split_by_time(tail, 1 - 1 / (fold + 1))[0] if fold else tail
            if len(tune) and len(head):
                self._fit_bases(head, SessionIndex.build(head))
                x, y = self._examples(tune)
                rows += x
                labels += y
        self.ranker = self._learn(rows, labels)
        self._fit_bases(log, index or SessionIndex.build(log))
        return self

    def _fit_bases(self, log: ClickLog, index: SessionIndex) -> None:
        self.index = index
        self.knn = VSKNN(self.config.knn).fit(log, index)
        self.knn2 = VSKNN(self.config.knn2).fit(log, index)
        self.sr = SequentialRules(steps=20, weighting="quadratic", pruning=0).fit(log, index)
        self.ar = AssociationRules(pruning=0).fit(log, index)
        self.log_pop = np.log1p(index.clicks) / max(float(np.log1p(index.clicks.max())), 1e-9)
        self.self_rate, self.next_prob = first_order(log, index)
        self.recent_pop = recent_popularity(log, index)

    def _examples(self, tune: ClickLog) -> tuple[list[FloatArray], list[IntArray]]:
        """Candidate features and 0/1 labels for every prefix of the tuning sessions (negatives
        subsampled per query)."""
        cfg = self.config
        rng = np.random.default_rng(cfg.seed)
        rows: list[FloatArray] = []
        labels: list[IntArray] = []
        dense_of = self.index.item_of
        for start, end in tune.session_runs():
            raw = tune.items[start:end].tolist()
            for pos in range(1, len(raw)):
                history = [dense_of[r] for r in raw[:pos] if r in dense_of]
                target = dense_of.get(raw[pos])
                if not history or target is None:
                    continue
                cands, feats = self.features(history)
                hit = cands == target
                if not hit.any():
                    continue
                neg = np.flatnonzero(~hit)
                if neg.shape[0] > cfg.negatives:
                    neg = rng.choice(neg, cfg.negatives, replace=False)
                keep = np.concatenate([np.flatnonzero(hit), neg])
                rows.append(feats[keep])
                labels.append(hit[keep].astype(np.int64))
        return rows, labels

    def _learn(self, rows: list[FloatArray], labels: list[IntArray]) -> Forest | None:
        from sklearn.ensemble import HistGradientBoostingClassifier

        cfg = self.config
        if len(rows) < 50:
            return None
        model = HistGradientBoostingClassifier(
            max_iter=cfg.trees, learning_rate=cfg.learning_rate, max_leaf_nodes=cfg.leaves,
            min_samples_leaf=cfg.min_leaf, l2_regularization=1.0, random_state=cfg.seed,
        )
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):  # OpenMP spinning on a shared 2-core box costs seconds
            model.fit(np.concatenate(rows), np.concatenate(labels))
        return Forest.from_sklearn(model)

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
            self.self_rate[cands], self._next_prob(history[-1], cands), self.recent_pop[cands],
            np.full(cands.shape[0], float(np.log1p(len(history)))),
            np.full(cands.shape[0], float(len(set(history)))), knn[cands] / max(float(knn.sum()), 1e-9),
        ]
        return cands, np.stack(cols, axis=1)

    def _next_prob(self, last: int, cands: IntArray) -> FloatArray:
        cols, vals = self.next_prob.get(last, (np.zeros(0, dtype=np.int64), np.zeros(0)))
        out = np.zeros(self.index.n_items)
        out[cols] = vals
        return out[cands]

    def recommend(self, history: Sequence[int], n: int = 20) -> IntArray:
        if not history:
            return np.zeros(0, dtype=np.int64)
        cands, feats = self.features(history)
        scores = feats[:, FEATURES.index("vsknn")] if self.ranker is None else self.ranker.raw(feats)
        order = np.lexsort([cands, -scores])[:n]
        return cands[order]


@dataclass(frozen=True)
class Forest:
    """A fitted boosted-tree ranker as flat numpy arrays, scored without sklearn (fast, no threads)."""

    feature: IntArray
    threshold: FloatArray
    left: IntArray
    right: IntArray
    leaf: NDArray[np.bool_]
    value: FloatArray
    roots: IntArray
    depth: int

    @classmethod
    def from_sklearn(cls, model: Any) -> Forest:
        parts, roots, offset, depth = [], [], 0, 0
        for (tree,) in model._predictors:
            nodes = tree.nodes
            parts.append((nodes, offset))
            roots.append(offset)
            offset += nodes.shape[0]
            depth = max(depth, int(nodes["depth"].max()))
        cat = np.concatenate([n for n, _ in parts])
        shift = np.concatenate([np.full(n.shape[0], o) for n, o in parts])
        return cls(
            feature=cat["feature_idx"].astype(np.int64), threshold=cat["num_threshold"].astype(np.float64),
            left=(cat["left"] + shift).astype(np.int64), right=(cat["right"] + shift).astype(np.int64),
            leaf=cat["is_leaf"].astype(bool), value=cat["value"].astype(np.float64),
            roots=np.array(roots, dtype=np.int64), depth=depth,
        )

    def raw(self, x: FloatArray) -> FloatArray:
        """Sum of leaf values per row (monotone in the predicted probability)."""
        node = np.broadcast_to(self.roots, (x.shape[0], self.roots.shape[0])).copy()
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            go_left = x[rows, self.feature[node]] <= self.threshold[node]
            step = np.where(go_left, self.left[node], self.right[node])
            node = np.where(self.leaf[node], node, step)
        return np.asarray(self.value[node].sum(axis=1))


def first_order(log: ClickLog, index: SessionIndex) -> tuple[FloatArray, Rules]:
    """How often a click on an item is followed by the same item again, and P(next | this)."""
    dense = np.array([index.item_of[int(r)] for r in log.items.tolist()], dtype=np.int64)
    same_session = log.sessions[1:] == log.sessions[:-1]
    src, dst = dense[:-1][same_session], dense[1:][same_session]
    n = index.n_items
    self_rate = np.bincount(src[src == dst], minlength=n) / np.maximum(index.clicks, 1)
    pair, counts = np.unique(src * n + dst, return_counts=True)
    out_deg = np.bincount(src, minlength=n).astype(np.float64)
    rules: Rules = {}
    p_src, p_dst = pair // n, pair % n
    cut = np.flatnonzero(np.diff(p_src)) + 1
    for a, b, c in zip(np.split(p_src, cut), np.split(p_dst, cut), np.split(counts, cut), strict=True):
        if a.shape[0]:
            rules[int(a[0])] = (b.astype(np.int64), c / out_deg[int(a[0])])
    return self_rate.astype(np.float64), rules


def recent_popularity(log: ClickLog, index: SessionIndex, days: float = 2.0) -> FloatArray:
    """Share of clicks each item got in the last `days` of the log (what is trending now)."""
    if len(log) == 0:
        return np.zeros(index.n_items)
    recent = log.times >= float(log.times.max()) - days * 86400
    dense = np.array([index.item_of[int(r)] for r in log.items[recent].tolist()], dtype=np.int64)
    counts = np.bincount(dense, minlength=index.n_items).astype(np.float64)
    return counts / max(float(counts.max()), 1.0)


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
