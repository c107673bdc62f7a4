"""Query-side translation into the catalog's language through the shared multilingual vector
space: a bilingual lexicon induced from the catalog's own title vocabulary, no dictionary shipped.

Each catalog title word is embedded once with the multilingual encoder (USE-m v3: its languages
share one space). A query in another language is then "translated" word by word — each query word
(and, for CJK, each character bigram) is mapped to its nearest catalog word when the cosine clears a
threshold — and the nearest catalog words to the whole query vector are added. The lexical stage
and the ranker then see catalog-language terms, while the semantic stage still embeds the original.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Iterable

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from shopkeeper.catalog.store import SearchDocument
from shopkeeper.catalog.text import CJK, STOP, words
from shopkeeper.catalog.vectors import TextEncoder

# Cosines of a word with its translation sit at 0.6-0.9 in USE-m; unrelated words at 0.1-0.4.
WORD_THRESHOLD = 0.6
QUERY_THRESHOLD = 0.55
QUERY_NEIGHBOURS = 1
MAX_VOCABULARY = 40_000
QUERY_BAND = 0.08
PAIRS = True


def title_vocabulary(
    titles: Iterable[str], language: str = "en", min_words: int = 2, min_pairs: int = 3
) -> list[str]:
    """Surface title words seen in at least `min_words` titles and adjacent word pairs ("sleeping
    bag", "wine rack") seen in at least `min_pairs`, most frequent first; no stop words, numbers
    or one-letter words."""
    stop = STOP.get(language, set())
    singles: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for t in titles:
        ws = [w for w in words(t) if w.isalpha() and w not in stop and not CJK.search(w)]
        singles.update({w for w in ws if len(w) >= 3})
        pairs.update({f"{a} {b}" for a, b in itertools.pairwise(ws) if len(a) >= 2 and len(b) >= 2 and a != b})
    single = [w for w, n in singles.most_common(MAX_VOCABULARY) if n >= min_words]
    pair = [w for w, n in pairs.most_common(MAX_VOCABULARY - len(single)) if n >= min_pairs]
    return single + pair


class CrossLingualBridge:
    """Maps a foreign query onto catalog words. `build` (or `ensure` with a session) embeds the
    vocabulary once per catalog version; `translate` costs one small batched encode per query."""

    def __init__(
        self,
        encoder: TextEncoder,
        *,
        word_threshold: float = WORD_THRESHOLD,
        query_threshold: float = QUERY_THRESHOLD,
        query_neighbours: int = QUERY_NEIGHBOURS,
        vocabulary_encoder: TextEncoder | None = None,
    ) -> None:
        """`vocabulary_encoder` (same model, e.g. a cached one) embeds the vocabulary; queries use
        `encoder`."""
        self.encoder = encoder
        self.vocabulary_encoder = vocabulary_encoder or encoder
        self.word_threshold = word_threshold
        self.query_threshold = query_threshold
        self.query_neighbours = query_neighbours
        self.vocabulary: list[str] = []
        self._known: set[str] = set()
        self._matrix = np.zeros((0, encoder.dim), dtype=np.float32)
        self._version: object = None
        self._lock = threading.Lock()

    def build(self, vocabulary: list[str]) -> None:
        vecs = self.vocabulary_encoder.encode(vocabulary) if vocabulary else np.zeros((0, self.encoder.dim))
        self.vocabulary, self._known = list(vocabulary), {w for w in vocabulary if " " not in w}
        self._matrix = np.asarray(vecs, dtype=np.float32).reshape(len(vocabulary), self.encoder.dim)

    def ensure(self, session: Session, version: object) -> None:
        """(Re)build from the catalog's titles when the catalog version changed."""
        if version == self._version:
            return
        with self._lock:
            if version == self._version:
                return
            titles = session.execute(select(SearchDocument.raw_title)).scalars()
            self.build(title_vocabulary(t or "" for t in titles))
            self._version = version

    def _nearest(self, sims: np.ndarray) -> tuple[int, float]:
        i = int(np.argmax(sims))
        return i, float(sims[i])

    def translate(self, text: str, language: str, query_vector: np.ndarray | None = None) -> str:
        """The query's catalog-language rendering: words already in the catalog vocabulary and
        numbers stay, other words become their nearest catalog word (when close enough), followed
        by the nearest catalog words to the whole query. Returns `text` when nothing maps."""
        if not len(self.vocabulary):
            return text
        stop = STOP.get(language, set())
        ws = [w for w in dict.fromkeys(words(text)) if w not in stop]
        kept: list[str] = []
        unknown: list[str] = []
        for w in ws:
            if any(c.isdigit() for c in w) or w in self._known:
                kept.append(w)
            elif len(w) >= 2:
                unknown.append(w)
        if PAIRS and not CJK.search(text):
            # "garnków i patelni": two inflected words carry a phrase that one word alone does not
            unknown += [f"{a} {b}" for a, b in itertools.pairwise(ws) if a in unknown or b in unknown]
        mapped: list[str] = []
        with threadpool_limits(1, user_api="blas"):
            if unknown:
                vecs = self.encoder.encode(unknown)
                sims = vecs @ self._matrix.T
                for row in sims:
                    i, s = self._nearest(row)
                    if s >= self.word_threshold:
                        mapped.append(self.vocabulary[i])
            if query_vector is not None and self.query_neighbours:
                qs = self._matrix @ np.asarray(query_vector, dtype=np.float32)
                k = min(self.query_neighbours, len(qs))
                top = np.argpartition(-qs, k - 1)[:k]
                top = top[np.argsort(-qs[top])]
                floor = max(self.query_threshold, float(qs[top[0]]) - QUERY_BAND)
                mapped += [w for i in top if qs[i] >= floor for w in self.vocabulary[i].split()]
        out = list(dict.fromkeys(w for phrase in kept + mapped for w in phrase.split()))
        return " ".join(out) if mapped else text
