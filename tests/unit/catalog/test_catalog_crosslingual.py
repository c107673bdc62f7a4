"""The cross-lingual bridge: catalog vocabulary and query-side translation through a shared space."""

from __future__ import annotations

import numpy as np

from shopkeeper.catalog.crosslingual import CrossLingualBridge, title_vocabulary

# A toy "aligned" space: each concept is one axis; words of any language that mean it sit on it.
CONCEPTS = {
    "shoes": 0,
    "buty": 0,
    "running": 1,
    "biegania": 1,
    "running shoes": 2,
    "buty biegania": 2,
    "wine": 3,
    "wino": 3,
    "rack": 4,
    "wine rack": 5,
    "stojak wino": 5,
}


class ToyEncoder:
    name = "toy"
    dim = 8

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            axis = CONCEPTS.get(t)
            out[i, axis if axis is not None else 7] = 1.0
            if axis is None:  # unknown words point nowhere in particular
                out[i, 6] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_vocabulary_has_words_and_pairs_without_stop_words_or_numbers() -> None:
    vocab = title_vocabulary(["Black running shoes 42", "Navy running shoes", "Wine rack for the kitchen"])
    assert "running" in vocab and "shoes" in vocab and "running shoes" in vocab
    assert "42" not in vocab and "the" not in vocab and "for" not in vocab
    assert vocab.index("running") < vocab.index("kitchen")  # most frequent first


def test_large_catalogs_drop_words_seen_once() -> None:
    titles = ["running shoes"] * 3 + [f"oddword{i} thing" for i in range(5_000)]
    vocab = title_vocabulary(titles)
    assert "running shoes" in vocab and "thing" in vocab
    assert not any(w.startswith("oddword") for w in vocab)


def test_translates_foreign_words_to_their_nearest_catalog_words() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False, glossaries={})
    bridge.build(["shoes", "running", "wine", "rack", "running shoes", "wine rack"])
    assert set(bridge.translate("buty do biegania 44", "pl").split()) == {"shoes", "running", "44"}
    assert set(bridge.translate("stojak na wino", "pl").split()) >= {"wine", "rack"}


def test_keeps_catalog_words_and_leaves_unmappable_queries_alone() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False, glossaries={})
    bridge.build(["shoes", "wine"])
    assert bridge.translate("zzz qqq", "pl") == "zzz qqq"
    assert "shoes" in bridge.translate("shoes qqq", "pl").split()


def test_query_vector_adds_its_nearest_catalog_phrase() -> None:
    enc = ToyEncoder()
    bridge = CrossLingualBridge(enc, background=False, glossaries={})
    bridge.build(["shoes", "wine", "wine rack"])
    qv = enc.encode(["wine rack"])[0]
    assert bridge.translate("qqq", "zh", qv).split() == ["wine", "rack"]


def test_an_empty_lexicon_changes_nothing() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False, glossaries={})
    assert bridge.translate("buty", "pl") == "buty"


class FixedEncoder:
    """Vectors given per text (unit length), to set cosines exactly."""

    name = "fixed"
    dim = 3

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.asarray([self.vectors.get(t, [0.0, 0.0, 1.0]) for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_a_common_catalog_word_beats_a_rare_look_alike_that_is_barely_closer() -> None:
    # cosines with "mikser": "lonizer" 0.67, "mixer" 0.63, "zzz" far below
    enc = FixedEncoder(
        {"mikser": [1.0, 0.0, 0.0], "lonizer": [0.67, 0.742, 0.0], "mixer": [0.63, -0.777, 0.0]}
    )
    bridge = CrossLingualBridge(enc, word_threshold=0.6, background=False, glossaries={})
    bridge.build(["lonizer", "mixer"], counts=[2, 68])
    assert bridge.translate("mikser", "pl") == "mixer"
    bridge.build(["lonizer", "mixer"])  # no counts: the nearest by cosine alone
    assert bridge.translate("mikser", "pl") == "lonizer"


def test_frequency_does_not_make_a_distant_word_a_translation() -> None:
    enc = FixedEncoder({"mikser": [1.0, 0.0, 0.0], "mixer": [0.9, 0.436, 0.0], "shirt": [0.3, -0.954, 0.0]})
    bridge = CrossLingualBridge(enc, word_threshold=0.6, background=False, glossaries={})
    bridge.build(["mixer", "shirt"], counts=[3, 5_000])
    assert bridge.translate("mikser", "pl") == "mixer"
