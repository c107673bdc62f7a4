"""Query-side translation into the catalog's language through the shared multilingual vector
space: a bilingual lexicon induced from the catalog's own title vocabulary, no dictionary shipped.

Each catalog title word and frequent adjacent word pair is embedded once with the multilingual
encoder (USE-m v3: its languages share one space). A query in another language is then
"translated": each query word and adjacent word pair (for CJK, each character bigram) is mapped to
its nearest lexicon entry when the cosine clears a threshold, and the entry nearest to the whole
query vector is added. The lexical stage and the ranker then see catalog-language terms; the
semantic stage uses the mean of the original's and the translation's vectors.

A shipped shopping glossary (`glossary.py`) goes first: its terms translate directly, and only the
words it lacks go to the induced lexicon, whose failures are sub-word look-alikes of unknown words
("kalosze" → "wrought").
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from shopkeeper.catalog.glossary import HEAD_FIRST, Entry, Glossary, Piece, shipped, stop_words
from shopkeeper.catalog.store import SearchDocument
from shopkeeper.catalog.text import CJK, stem, words
from shopkeeper.catalog.vectors import TextEncoder, encode_stored, one_blas_thread
from shopkeeper.kernel.db import Database

log = logging.getLogger(__name__)

# Cosines of a word with its translation sit at 0.6-0.9 in USE-m; unrelated words at 0.1-0.4.
WORD_THRESHOLD = 0.6
QUERY_THRESHOLD = 0.55
QUERY_BAND = 0.08
QUERY_NEIGHBOURS = 1
# The lexicon's size bounds the per-query cost: one (query words x MAX_VOCABULARY x 512) product.
MAX_VOCABULARY = 12_000
SMALL_CATALOG = 5_000
PAIRS = True
# A prior for common catalog words: a shopper's word more likely means a word of many titles than
# a sub-word look-alike of two ("mikser" is nearer "lonizer" (2 titles) than "mixer" (68) in USE-m,
# "stojak" nearer "stor" than "table"). The nearest entry is chosen by cosine + FREQUENCY_PRIOR *
# ln(titles containing it); the threshold still applies to its cosine. 0.04 of 0.02/0.04/0.06 on
# the translated CrowdFlower dev queries (RESULTS.md).
FREQUENCY_PRIOR = 0.04


def title_vocabulary(
    titles: Iterable[str], language: str = "en", min_words: int | None = None, min_pairs: int | None = None
) -> list[str]:
    """Surface title words and adjacent word pairs ("sleeping bag", "wine rack"), most frequent
    first; no stop words, numbers or one-letter words. In a large catalog (SMALL_CATALOG titles or
    more) a word must occur in 2 titles and a pair in 3, which drops typos and model numbers; a
    small shop keeps everything."""
    return [w for w, _ in title_counts(titles, language, min_words, min_pairs)]


def title_counts(
    titles: Iterable[str], language: str = "en", min_words: int | None = None, min_pairs: int | None = None
) -> list[tuple[str, int]]:
    """`title_vocabulary` with the number of titles each entry occurs in."""
    titles = list(titles)
    small = len(titles) < SMALL_CATALOG
    min_words = min_words if min_words is not None else (1 if small else 2)
    min_pairs = min_pairs if min_pairs is not None else (1 if small else 3)
    stop = stop_words(language)
    singles: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for t in titles:
        ws = [w for w in words(t) if w.isalpha() and w not in stop and not CJK.search(w)]
        singles.update({w for w in ws if len(w) >= 2})
        pairs.update(
            {f"{a} {b}" for a, b in itertools.pairwise(ws) if len(a) >= 2 and len(b) >= 2 and a != b}
        )
    single = [(w, n) for w, n in singles.most_common(MAX_VOCABULARY) if n >= min_words]
    pair = [(w, n) for w, n in pairs.most_common(MAX_VOCABULARY - len(single)) if n >= min_pairs]
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
        background: bool = True,
        glossaries: Mapping[str, Glossary | None] | None = None,
    ) -> None:
        """`vocabulary_encoder` (same model, e.g. a cached one) embeds the vocabulary; queries use
        `encoder`. `glossaries` by language (None: the shipped ones, `{}`: none)."""
        self.encoder = encoder
        self.vocabulary_encoder = vocabulary_encoder or encoder
        self.word_threshold = word_threshold
        self.query_threshold = query_threshold
        self.query_neighbours = query_neighbours
        self.vocabulary: list[str] = []
        self._known: set[str] = set()
        self._counts: dict[str, int] = {}
        self._stem_counts: dict[str, int] = {}
        self._glossaries = glossaries
        self._matrix = np.zeros((0, encoder.dim), dtype=np.float32)
        self._log_counts = np.zeros(0, dtype=np.float32)
        self.background = background
        self._version: object = None
        self._building = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def build(self, vocabulary: list[str], counts: list[int] | None = None) -> None:
        """Install a lexicon over these catalog words, `counts` the titles each occurs in (no
        catalog version: `ensure` rebuilds)."""
        self._install(list(vocabulary), self.vocabulary_encoder.encode, counts)
        self._version = None

    def ensure(self, session: Session, version: object, db: Database | None = None) -> None:
        """(Re)build from the catalog's titles when the catalog version changed. With `db` and
        `background`, the build runs on a thread (its word vectors read from and stored in
        `evidence_vectors`, so only new words are embedded) and queries are translated with the
        previous lexicon, or not at all, until it is ready; otherwise it is built here and now."""
        if version == self._version or self._building:
            return
        if db is None or not self.background:
            with self._lock:
                if version != self._version:
                    self._build_from(session, self.vocabulary_encoder)
                    self._version = version
            return
        self._building = True
        self._thread = threading.Thread(target=self._build_in_background, args=(db, version), daemon=True)
        self._thread.start()

    def _build_from(self, session: Session, encoder: TextEncoder) -> None:
        titles = session.execute(select(SearchDocument.raw_title)).scalars()
        entries = title_counts(t or "" for t in titles)
        self._install([w for w, _ in entries], encoder.encode, [n for _, n in entries])

    def _install(
        self,
        vocabulary: list[str],
        encode: Callable[[list[str]], np.ndarray],
        counts: list[int] | None = None,
    ) -> None:
        vecs = encode(vocabulary) if vocabulary else np.zeros((0, self.encoder.dim))
        matrix = np.asarray(vecs, dtype=np.float32).reshape(len(vocabulary), self.encoder.dim)
        n = np.asarray(counts if counts is not None else [1] * len(vocabulary), dtype=np.float32)
        self.vocabulary, self._matrix = vocabulary, matrix
        self._log_counts = np.log(np.maximum(n, 1.0)).astype(np.float32)
        self._known = {w for w in vocabulary if " " not in w}
        self._counts = {w: int(c) for w, c in zip(vocabulary, n, strict=True)}
        stems: dict[str, int] = {}
        for w in self._known:
            s = stem(w, "en")
            stems[s] = max(stems.get(s, 0), self._counts[w])
        self._stem_counts = stems

    def _build_in_background(self, db: Database, version: object) -> None:
        try:
            with db.session() as session:
                titles = [t or "" for t in session.execute(select(SearchDocument.raw_title)).scalars()]
            entries = title_counts(titles)
            with self._lock:
                self._install(
                    [w for w, _ in entries],
                    lambda ws: encode_stored(db, self.vocabulary_encoder, ws),
                    [n for _, n in entries],
                )
                self._version = version
        except Exception:  # a failed build leaves the previous lexicon; the next refresh retries
            log.exception("cross-lingual lexicon build failed")
        finally:
            self._building = False

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until a background build finished (tests, warm-up); True when none is running."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self._building

    def _nearest(self, sims: np.ndarray) -> tuple[int, float]:
        """The best entry by cosine plus the frequency prior, and its cosine."""
        i = int(np.argmax(sims + FREQUENCY_PRIOR * self._log_counts if FREQUENCY_PRIOR else sims))
        return i, float(sims[i])

    def glossary(self, language: str) -> Glossary | None:
        return shipped(language) if self._glossaries is None else self._glossaries.get(language)

    def _pieces(self, text: str, language: str) -> list[Piece]:
        glossary = self.glossary(language)
        return glossary.pieces(text) if glossary is not None else [Piece(w) for w in words(text)]

    def maps_every_word(self, text: str, language: str) -> bool:
        """Whether each of the phrase's words is a glossary term, a catalog word or has a close
        one ("lampka na biurko" → "lamp", "desk"); words outside the glossary count as unmapped
        while the lexicon is not built."""
        stop = stop_words(language)
        pieces = [p for p in self._pieces(text, language) if p.entry is not None or p.text not in stop]
        rest = [w for p in pieces if p.entry is None for w in _lexicon_words(p.text)]
        rest = [w for w in rest if not any(c.isdigit() for c in w)]
        if not pieces or (rest and not len(self.vocabulary)):
            return False
        unknown = [w for w in dict.fromkeys(rest) if w not in self._known]
        if not unknown:
            return any(p.entry is not None for p in pieces) or bool(rest)
        with one_blas_thread():
            sims = self.encoder.encode(unknown) @ self._matrix.T
        return all(self._nearest(row)[1] >= self.word_threshold for row in sims)

    def _target(self, entry: Entry) -> str:
        """The entry's English alternative most catalog titles use (the first without a lexicon)."""
        if len(entry.targets) == 1 or not self._counts:
            return entry.targets[0]
        return max(entry.targets, key=self._titles)

    def _titles(self, phrase: str) -> int:
        n = self._counts.get(phrase)
        if n is not None:
            return n
        ws = [w for w in words(phrase) if len(w) >= 2]
        return min((self._stem_counts.get(stem(w, "en"), 0) for w in ws), default=0)

    def translate(self, text: str, language: str, query_vector: np.ndarray | None = None) -> str:
        """The query's catalog-language rendering: glossary terms become their English words,
        numbers and words already in the catalog vocabulary stay, other words become their nearest
        catalog word (when close enough); then the nearest catalog words to the whole query. In a
        language that names the thing first, the first named thing moves to the end, as English
        says it ("etui na telefon" → "phone case"). Returns `text` when nothing maps."""
        pieces = self._pieces(text, language)
        hits = any(p.entry is not None for p in pieces)
        if not len(self.vocabulary) and not hits:
            return text
        slots, head, asks = self._slots(pieces, language)
        asked = {w for _, w in asks}
        pairs: list[str] = []
        if PAIRS and asked and not CJK.search(text):
            # "garnków i patelni": two inflected words carry a phrase that one word alone does not
            ws = _content_words(text, language)
            pairs = [f"{a} {b}" for a, b in itertools.pairwise(ws) if a in asked or b in asked]
        tail: list[str] = []
        mapped = hits
        if len(self.vocabulary):
            with one_blas_thread():
                if asks or pairs:
                    sims = self.encoder.encode([w for _, w in asks] + pairs) @ self._matrix.T
                    for k, row in enumerate(sims):
                        i, s = self._nearest(row)
                        if s >= self.word_threshold:
                            (slots[asks[k][0]] if k < len(asks) else tail).append(self.vocabulary[i])
                            mapped = True
                if query_vector is not None and self.query_neighbours:
                    neighbours = self._query_neighbours(query_vector)
                    tail += neighbours
                    mapped = mapped or bool(neighbours)
        if head is not None:
            slots.append(slots.pop(head))
        # a repeated word keeps its last place: the whole query's nearest phrase comes last, in
        # catalog word order ("rain jacket"), so the query ends on its head noun as English does
        seq = [w for phrase in [*(" ".join(s) for s in slots), *tail] for w in phrase.split()]
        out = list(dict.fromkeys(reversed(seq)))[::-1]
        return " ".join(out) if mapped and out else text

    def _slots(
        self, pieces: list[Piece], language: str
    ) -> tuple[list[list[str]], int | None, list[tuple[int, str]]]:
        """Each piece's English words in query order (glossary terms, numbers, catalog words; the
        lexicon fills the rest), the slot of the thing a head-first language names first, and the
        (slot, foreign word) pairs to ask the lexicon about."""
        stop = stop_words(language)
        slots: list[list[str]] = []
        head: int | None = None
        asks: list[tuple[int, str]] = []
        for p in pieces:
            if p.entry is not None:
                if head is None and not p.entry.modifier and language in HEAD_FIRST:
                    head = len(slots)
                slots.append(self._target(p.entry).split())
            elif p.text in stop:
                continue
            elif any(c.isdigit() for c in p.text) or p.text in self._known:
                slots.append([p.text])
            else:
                asks += [(len(slots), w) for w in _lexicon_words(p.text)]
                slots.append([])
        return slots, head, asks

    def _query_neighbours(self, query_vector: np.ndarray) -> list[str]:
        qs = self._matrix @ np.asarray(query_vector, dtype=np.float32)
        k = min(self.query_neighbours, len(qs))
        top = np.argpartition(-qs, k - 1)[:k]
        top = top[np.argsort(-qs[top])]
        floor = max(self.query_threshold, float(qs[top[0]]) - QUERY_BAND)
        return [w for i in top if qs[i] >= floor for w in self.vocabulary[i].split()]


def _lexicon_words(piece: str) -> list[str]:
    """What the lexicon is asked for a piece the glossary lacks: a word of two letters or more;
    for a Chinese run, its character bigrams."""
    if CJK.search(piece):
        return [w for w in words(piece) if len(w) >= 2]
    return [piece] if len(piece) >= 2 else []


def _content_words(text: str, language: str) -> list[str]:
    """The query's distinct words in order, minus the language's stop words."""
    stop = stop_words(language)
    return [w for w in dict.fromkeys(words(text)) if w not in stop]
