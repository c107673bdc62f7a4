"""Ranking features for (query, candidate product) pairs and the learned ranker over them
(LightGBM, XE-NDCG objective, trained offline on the dev judgements and shipped as `ranker.txt`).
Features are computed here, in Python, so SQLite and PostgreSQL rank the same candidates alike."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from shopkeeper.catalog.text import tokens

FIELD_WEIGHTS = {
    "title": 3.0,
    "brand": 2.0,
    "category": 1.5,
    "attributes": 1.0,
    "description": 0.6,
    "reviews": 0.3,
}
FEATURE_NAMES = [
    "bm25",
    "bm25_title",
    "cover_title",
    "cover_all",
    "last_in_title",
    "first_in_title",
    "bigram_title",
    "fuzz_set",
    "fuzz_partial",
    "sem",
    "sem_rel",
    "sem_rank",
    "lex_rank",
    "rrf",
    "bm25_rel",
    "n_terms",
    "title_len",
    "numbers",
    "cover_desc",
    "rating",
    "reviews",
    "popularity",
    "in_stock",
    "head_end",
    "head_dist",
    "head_cover",
]
RANKER_FILE = Path(__file__).with_name("ranker.txt")


@dataclass
class Candidate:
    product_id: str
    doc: dict[str, Any]
    lex_rank: int | None = None
    sem_rank: int | None = None
    sem: float = 0.0
    rating: float | None = None
    review_count: int = 0
    popularity: int = 0
    in_stock: int = -1  # -1 unknown (no variants), 0 sold out, 1 available
    extra: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryTerms:
    raw: str
    terms: list[str]  # distinct stemmed query terms, typo-corrected
    ordered: list[str]  # in query order, with repeats (for bigrams, first/last)
    numbers: list[str]
    expansions: list[str] = field(default_factory=list)  # merchant synonyms: retrieval and BM25 only


def _bm25(
    tfs: dict[str, float], dl: float, terms: list[str], df: dict[str, int], n_docs: int, avgdl: float
) -> float:
    score = 0.0
    for t in terms:
        tf = tfs.get(t, 0.0)
        if tf <= 0:
            continue
        d = df.get(t, 0)
        idf = math.log(1 + (n_docs - d + 0.5) / (d + 0.5))
        score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / max(avgdl, 1e-6)))
    return score


# A title names its product before these ("gold dress watch for women", "ipad case - black"):
# what follows is what it fits, goes with or is made by.
HEAD_CUT = re.compile(r"\s[-–|]\s|,|\(|\[|\bfor\b|\bwith\b|\bw/|\bcompatible\b|\bby\b")


def title_head(raw_title: str, language: str = "en") -> list[str]:
    """Stemmed words of the title's naming part, numbers dropped; its last word is usually the
    head noun ("watch" in "gold dress watch"), the thing a query's last word should name."""
    for part in (HEAD_CUT.split(raw_title, maxsplit=1)[0], raw_title):
        head = [t for t in tokens(part, language) if not any(c.isdigit() for c in t)]
        if head:
            return head
    return []


def parsed(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored search document split once into what the features read (cached by the service)."""
    fields = {f: (doc.get(f) or "").split() for f in FIELD_WEIGHTS}
    title = fields["title"]
    return {
        "fields": fields,
        # the non-empty fields with their weights, in FIELD_WEIGHTS order (an empty one adds 0)
        "weighted": [(FIELD_WEIGHTS[f], toks) for f, toks in fields.items() if toks],
        "title": title,
        "tset": set(title),
        "dset": set(fields["description"]),
        "all": set().union(*map(set, fields.values())),
        "dl": sum(len(v) for v in fields.values()),
        "title_bigrams": set(itertools.pairwise(title)),
        "raw_title": (doc.get("raw_title") or "").lower(),
        "head": title_head((doc.get("raw_title") or "").lower()),
    }


def _idf(terms: list[str], df: dict[str, int], n_docs: int) -> list[tuple[str, float]]:
    out = []
    for t in terms:
        d = df.get(t, 0)
        out.append((t, math.log(1 + (n_docs - d + 0.5) / (d + 0.5))))
    return out


def _bm25_idf(tfs: dict[str, float], dl: float, idfs: list[tuple[str, float]], avgdl: float) -> float:
    """`_bm25` with the query's idfs computed once: the same operations in the same order."""
    score = 0.0
    k = 1.2 * (0.25 + 0.75 * dl / max(avgdl, 1e-6))
    for t, idf in idfs:
        tf = tfs.get(t, 0.0)
        if tf <= 0:
            continue
        score += idf * tf * 2.2 / (tf + k)
    return score


def features(
    q: QueryTerms, cands: list[Candidate], df: dict[str, int], n_docs: int, avgdl: float
) -> np.ndarray:
    """One row per candidate, FEATURE_NAMES order. The per-query parts (term sets, idfs, the
    columns that do not depend on the document) are computed once; this runs ~150 times a search."""
    n = len(cands)
    width = len(FEATURE_NAMES)
    if not n:
        return np.zeros((0, width), dtype=np.float64)
    qset = set(q.terms)
    qall = qset | set(q.expansions)
    idfs = _idf(list(dict.fromkeys(q.terms + q.expansions)), df, n_docs)
    nq = max(len(qset), 1)
    q_bigrams = set(zip(q.ordered, q.ordered[1:], strict=False))
    n_bigrams = len(q_bigrams)
    qraw = q.raw.lower()
    last = next((t for t in reversed(q.ordered) if not t.isdigit()), None)
    first_t = q.ordered[0] if q.ordered else None
    last_t = q.ordered[-1] if q.ordered else None
    numbers = q.numbers
    n_numbers = len(numbers)
    n_terms = float(len(q.terms))
    title_len_avg = max(avgdl / 3, 1.0)
    token_set_ratio, partial_ratio, log1p = fuzz.token_set_ratio, fuzz.partial_ratio, math.log1p
    rows: list[tuple[float, ...]] = []
    append = rows.append
    for c in cands:
        d = c.doc
        title, tset, allset, raw_title = d["title"], d["tset"], d["all"], d["raw_title"]
        tfs: dict[str, float] = {}
        for t in qall & allset:
            tfs[t] = sum([w * toks.count(t) for w, toks in d["weighted"]])
        title_tf = {t: float(title.count(t)) for t in qall & tset}
        head = d["head"]
        if last is None or not head:
            head_end, head_dist, head_cover = -1.0, 7.0, 0.0
        else:
            head_end = float(head[-1] == last)
            head_dist = 7.0
            for i in range(len(head) - 1, -1, -1):
                if head[i] == last:
                    head_dist = float(min(len(head) - 1 - i, 7))
                    break
            head_cover = len(qset & set(head)) / nq
        lex_rank, sem_rank = c.lex_rank, c.sem_rank
        append(
            (
                _bm25_idf(tfs, d["dl"], idfs, avgdl),
                _bm25_idf(title_tf, len(title), idfs, title_len_avg),
                len(qset & tset) / nq,
                len(qset & allset) / nq,
                float(last_t is not None and last_t in tset),
                float(first_t is not None and first_t in tset),
                (len(q_bigrams & d["title_bigrams"]) / n_bigrams) if n_bigrams else -1.0,
                token_set_ratio(qraw, raw_title) / 100.0,
                partial_ratio(qraw, raw_title) / 100.0,
                c.sem,
                0.0,
                log1p(sem_rank) if sem_rank is not None else 7.0,
                log1p(lex_rank) if lex_rank is not None else 7.0,
                (1 / (60 + lex_rank) if lex_rank is not None else 0.0)
                + (1 / (60 + sem_rank) if sem_rank is not None else 0.0),
                0.0,
                n_terms,
                float(len(title)),
                (sum(num in tset for num in numbers) / n_numbers) if n_numbers else -1.0,
                len(qset & d["dset"]) / nq,
                c.rating if c.rating is not None else -1.0,
                log1p(c.review_count),
                log1p(c.popularity),
                float(c.in_stock),
                head_end,
                head_dist,
                head_cover,
            )
        )
    x = np.array(rows, dtype=np.float64)
    x[:, 10] = x[:, 9] - x[:, 9].max()
    top = x[:, 0].max()
    x[:, 14] = x[:, 0] / top if top > 0 else 0.0
    return x


class Ranker:
    """Scores feature rows; without a model file it falls back to reciprocal rank fusion."""

    def __init__(self, path: str | Path | None = RANKER_FILE, booster: Any = None) -> None:
        self._booster = booster
        # loaded at first use (the search warm-up): importing lightgbm pulls in scikit-learn and
        # scipy, ~1 s that the demo's first page should not wait for
        self._path = Path(path) if booster is None and path is not None and Path(path).exists() else None

    @property
    def booster(self) -> Any:
        if self._booster is None and self._path is not None:
            import lightgbm

            self._booster = lightgbm.Booster(model_file=str(self._path))
        return self._booster

    def score(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        if self.booster is None:
            return x[:, FEATURE_NAMES.index("rrf")] + 0.01 * x[:, FEATURE_NAMES.index("cover_title")]
        return np.asarray(self.booster.predict(x, num_threads=1), dtype=np.float64)
