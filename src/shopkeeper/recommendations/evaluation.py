"""session-rec's next-item protocol: for every prefix of each test session recommend n items and
score the click that followed (HR@n, MRR@n, coverage, popularity bias). Pure; no file access.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from shopkeeper.recommendations.clicks import ClickLog, IntArray, SessionIndex


class SessionModel(Protocol):
    def recommend(self, history: Sequence[int], n: int = 20) -> IntArray: ...


@dataclass
class Metrics:
    hr: float
    mrr: float
    coverage: float
    popularity: float
    predictions: int
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    cpu_latencies_ms: list[float] = field(default_factory=list, repr=False)

    def latency(self, q: float, cpu: bool = False) -> float:
        """Percentile of per-request time: wall clock, or this process's CPU time (what the
        request costs, without the waits a crowded machine adds)."""
        values = self.cpu_latencies_ms if cpu else self.latencies_ms
        return float(np.percentile(values, q)) if values else 0.0


def session_rec_order(log: ClickLog) -> ClickLog:
    """The row order session-rec's loader hands to `fit`: stable sort on (SessionId, ItemId)."""
    return log.sorted_by("SessionId", "ItemId")


def prepare_test(train: ClickLog, test: ClickLog) -> ClickLog:
    """Drop clicks on items unseen in training, then sessions left with fewer than two clicks;
    order as session-rec evaluates: (SessionId, ItemId), then stably (SessionId, Time)."""
    known = np.isin(test.items, np.unique(train.items))
    kept = test.take(np.flatnonzero(known).astype(np.int64))
    _, inverse, counts = np.unique(kept.sessions, return_inverse=True, return_counts=True)
    kept = kept.take(np.flatnonzero(counts[inverse] > 1).astype(np.int64))
    return kept.sorted_by("SessionId", "ItemId").sorted_by("SessionId", "Time")


def evaluate(
    model: SessionModel, index: SessionIndex, test: ClickLog, n: int = 20, timed: bool = False
) -> Metrics:
    """`test` as returned by `prepare_test`; the model sees dense ids of the session so far."""
    pop = index.clicks / max(int(index.clicks.max()), 1)
    hits, rr, preds, pop_sum = 0, 0.0, 0, 0.0
    covered: set[int] = set()
    latencies: list[float] = []
    cpu: list[float] = []
    dense = index.dense(test.items.tolist())
    for start, end in test.session_runs():
        seq = dense[start:end]
        for pos in range(1, len(seq)):
            t0, c0 = time.perf_counter(), time.process_time()
            recs = model.recommend(seq[:pos], n)[:n]
            if timed:
                latencies.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            preds += 1
            if recs.shape[0]:
                covered.update(recs.tolist())
                pop_sum += float(pop[recs].mean())
            where = np.flatnonzero(recs == seq[pos])
            if where.shape[0]:
                hits += 1
                rr += 1.0 / (int(where[0]) + 1)
    return Metrics(
        hr=hits / max(preds, 1),
        mrr=rr / max(preds, 1),
        coverage=len(covered) / max(index.n_items, 1),
        popularity=pop_sum / max(preds, 1),
        predictions=preds,
        latencies_ms=latencies,
        cpu_latencies_ms=cpu,
    )
