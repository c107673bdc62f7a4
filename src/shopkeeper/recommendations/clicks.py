"""Click logs in the session-rec shape (SessionId, ItemId, Time) as numpy arrays, plus the dense
item/session indexing every session model shares. Pure: parsing takes lines, never opens files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ClickLog:
    """One row per click; rows of a session are contiguous and in the order the log keeps them."""

    sessions: IntArray
    items: IntArray
    times: FloatArray

    def __len__(self) -> int:
        return int(self.sessions.shape[0])

    @classmethod
    def parse(cls, lines: Iterable[str]) -> ClickLog:
        """Tab-separated lines with a header naming SessionId, ItemId and Time (any order)."""
        it = iter(lines)
        header = next(it).strip().split("\t")
        si, ii, ti = header.index("SessionId"), header.index("ItemId"), header.index("Time")
        s: list[int] = []
        i: list[int] = []
        t: list[float] = []
        for line in it:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            s.append(int(parts[si]))
            i.append(int(parts[ii]))
            t.append(float(parts[ti]))
        return cls(np.array(s, dtype=np.int64), np.array(i, dtype=np.int64), np.array(t, dtype=np.float64))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, int, float]]) -> ClickLog:
        data = list(rows)
        return cls(
            np.array([r[0] for r in data], dtype=np.int64),
            np.array([r[1] for r in data], dtype=np.int64),
            np.array([r[2] for r in data], dtype=np.float64),
        )

    def take(self, order: IntArray) -> ClickLog:
        return ClickLog(self.sessions[order], self.items[order], self.times[order])

    def sorted_by(self, *keys: str) -> ClickLog:
        """Stable sort on the named columns, first key most significant (like pandas on several keys)."""
        cols = {"SessionId": self.sessions, "ItemId": self.items, "Time": self.times}
        order = np.lexsort([cols[k] for k in reversed(keys)])
        return self.take(order.astype(np.int64))

    def session_runs(self) -> list[tuple[int, int]]:
        """(start, end) row ranges of each contiguous session."""
        if len(self) == 0:
            return []
        cut = np.flatnonzero(np.diff(self.sessions)) + 1
        starts = np.concatenate([[0], cut])
        ends = np.concatenate([cut, [len(self)]])
        return list(zip(starts.tolist(), ends.tolist(), strict=True))

    def item_set(self) -> set[int]:
        return set(np.unique(self.items).tolist())


@dataclass(frozen=True)
class SessionIndex:
    """Dense ids: items 0..n_items-1, sessions 0..n_sessions-1, and both incidence lists (CSR).

    A session keeps each item once (sets, as V-SKNN uses them); `last_time` is the time of the
    session's last row in log order (session-rec's notion of a session's recency).
    """

    item_ids: IntArray  # dense -> raw
    item_of: dict[int, int]  # raw -> dense
    clicks: IntArray  # clicks per dense item
    session_indptr: IntArray
    session_items: IntArray
    item_indptr: IntArray
    item_sessions: IntArray
    last_time: FloatArray

    @property
    def n_items(self) -> int:
        return int(self.item_ids.shape[0])

    @property
    def n_sessions(self) -> int:
        return int(self.last_time.shape[0])

    def postings(self, item: int) -> IntArray:
        return self.item_sessions[self.item_indptr[item] : self.item_indptr[item + 1]]

    def items_of(self, session: int) -> IntArray:
        return self.session_items[self.session_indptr[session] : self.session_indptr[session + 1]]

    def dense(self, raw_items: Iterable[int]) -> list[int]:
        """Raw ids to dense ids, dropping items never seen in training."""
        return [self.item_of[r] for r in raw_items if r in self.item_of]

    @classmethod
    def build(cls, log: ClickLog) -> SessionIndex:
        item_ids, dense_items = np.unique(log.items, return_inverse=True)
        dense_items = dense_items.astype(np.int64)
        runs = log.session_runs()
        n_sessions = len(runs)
        row_session = np.repeat(np.arange(n_sessions, dtype=np.int64), [e - s for s, e in runs])
        last_time = np.array([log.times[e - 1] for _, e in runs], dtype=np.float64)
        pairs = np.unique(row_session * len(item_ids) + dense_items)
        p_sess, p_item = pairs // len(item_ids), pairs % len(item_ids)
        s_indptr = _indptr(p_sess, n_sessions)
        by_item = np.lexsort([p_sess, p_item])
        i_indptr = _indptr(p_item, len(item_ids))
        return cls(
            item_ids=item_ids.astype(np.int64),
            item_of={int(r): k for k, r in enumerate(item_ids.tolist())},
            clicks=np.bincount(dense_items, minlength=len(item_ids)).astype(np.int64),
            session_indptr=s_indptr,
            session_items=p_item.astype(np.int64),
            item_indptr=i_indptr,
            item_sessions=p_sess[by_item].astype(np.int64),
            last_time=last_time,
        )


def top_n(scores: FloatArray, n: int) -> IntArray:
    """Indices of the n largest positive scores, best first (ties: lower index first)."""
    positive = np.flatnonzero(scores > 0)
    if positive.shape[0] > n:
        part = np.argpartition(-scores[positive], n - 1)[:n]
        positive = positive[part]
    order = np.lexsort([positive, -scores[positive]])
    return positive[order].astype(np.int64)


def _indptr(keys: IntArray, n: int) -> IntArray:
    return np.concatenate([[0], np.cumsum(np.bincount(keys, minlength=n))]).astype(np.int64)
