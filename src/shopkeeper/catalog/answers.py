"""Answers to a shopper's question about one product: rank the product's own evidence (attributes,
description sentences, review sentences) for the question and quote the best; None when nothing
answers it (the bot then offers a colleague). The ranker is trained offline on ePQA dev."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sqlalchemy.orm import Session

from shopkeeper.catalog.documents import plain
from shopkeeper.catalog.model import ProductAnswer
from shopkeeper.catalog.services import get_product
from shopkeeper.catalog.text import QUESTION_WORDS, stem, tokens
from shopkeeper.catalog.vectors import TextEncoder, USEEncoder

SOURCES = ("attribute", "description", "bullet", "review", "cqa")
QA_FEATURES = [
    "cos",
    "cos_rel",
    "cos_rank",
    "cos_asked",
    "cos_answer",
    "has_asked",
    "bm25",
    "bm25_rel",
    "bm25_rank",
    "cover",
    "n_tokens",
    "yes_no_q",
    "yes_no_c",
    "has_number",
    *(f"src_{s}" for s in SOURCES),
    "n_cands",
]
QA_RANKER_FILE = Path(__file__).with_name("qa_ranker.txt")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
YES_NO = re.compile(r"^(is|are|does|do|can|will|would|could|has|have|should|did|was|were)\b", re.I)
ANSWER_WORDS = re.compile(r"\b(yes|no|not|does|doesn't|fits?|works?)\b", re.I)
# Below both, the best evidence is judged not to answer (USE-m cosines of unrelated texts sit
# around 0.1-0.3; a shared content word or two is what a genuine answer usually has).
MIN_COSINE, MIN_COVER = 0.4, 0.5


ATTR_NOISE = re.compile(
    r'[{}\[\]":_;]|\b(?:value|unit|normalized_value|source|unknown|type|language_tag|'
    r"marketplace_id|en_us)\b"
)
ASKING = QUESTION_WORDS | {stem(w, "en") for w in QUESTION_WORDS}
ASKED = re.compile(r"\s*Question:\s*", re.I)


def readable(e: Evidence) -> str:
    """Attribute records arrive as `key: { value:"..." }`; embed their words, not their syntax."""
    return " ".join(ATTR_NOISE.sub(" ", e.text).split()) if e.source == "attribute" else e.text


def split_answered(e: Evidence) -> tuple[str, str] | None:
    """An earlier answer quoted with its question ("answer Question: question") -> (answer, question)."""
    parts = ASKED.split(e.text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 and parts[1].strip() else None


@dataclass(frozen=True)
class Evidence:
    text: str
    source: str  # one of SOURCES


def evidence_of(view: Any) -> list[Evidence]:
    out = [Evidence(f"{k.replace('_', ' ')}: {v}", "attribute") for k, v in view.attributes.items()]
    for v in view.variants:
        for k, val in v.options.items():
            ev = Evidence(f"{k}: {val}", "attribute")
            if ev not in out:
                out.append(ev)
    out += [
        Evidence(s.strip(), "description")
        for s in SENTENCE.split(plain(view.description))
        if len(s.strip()) > 3
    ]
    for r in view.reviews:
        out += [
            Evidence(s.strip(), "review")
            for s in SENTENCE.split(f"{r.title}. {r.body}")
            if len(s.strip()) > 3
        ]
    return out


def qa_features(
    question: str, evidence: list[Evidence], sims: np.ndarray, language: str = "en"
) -> np.ndarray:
    """sims: (n, 3) cosines of the question with the evidence, with the question an earlier answer
    replied to, and with that answer alone (the first column repeated when there is none)."""
    sims = sims.reshape(len(evidence), 3)
    cos = sims[:, 0]
    q = set(tokens(question, language)) - ASKING
    docs = [tokens(e.text, language) for e in evidence]
    n = len(docs)
    df: Counter[str] = Counter(t for d in docs for t in set(d))
    avg = sum(len(d) for d in docs) / max(n, 1)
    bm = []
    for d in docs:
        tf = Counter(d)
        bm.append(
            sum(
                math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                * tf[t]
                * 2.2
                / (tf[t] + 1.2 * (0.25 + 0.75 * len(d) / max(avg, 1e-6)))
                for t in q
                if t in tf
            )
        )
    bm_arr = np.asarray(bm)
    cos_rank = np.argsort(np.argsort(-cos)) if n else np.zeros(0)
    bm_rank = np.argsort(np.argsort(-bm_arr)) if n else np.zeros(0)
    yn = float(bool(YES_NO.match(question.strip())))
    rows = []
    for i, (e, d) in enumerate(zip(evidence, docs, strict=True)):
        rows.append(
            [
                cos[i],
                cos[i] - cos.max(),
                math.log1p(cos_rank[i]),
                sims[i, 1],
                sims[i, 2],
                float(split_answered(e) is not None),
                bm_arr[i],
                bm_arr[i] / bm_arr.max() if bm_arr.max() > 0 else 0.0,
                math.log1p(bm_rank[i]),
                len(q & set(d)) / max(len(q), 1),
                math.log1p(len(d)),
                yn,
                float(bool(ANSWER_WORDS.search(e.text))),
                float(any(ch.isdigit() for ch in e.text)),
                *(float(e.source == s) for s in SOURCES),
                float(n),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(n, len(QA_FEATURES))


class EvidenceRanker:
    """Scores (question, evidence) rows; the cosine alone when no trained model ships."""

    def __init__(
        self,
        path: str | Path | None = QA_RANKER_FILE,
        booster: Any = None,
        encoder: TextEncoder | None = None,
    ) -> None:
        self.encoder = encoder or USEEncoder()
        self.booster = booster
        if booster is None and path is not None and Path(path).exists():
            import lightgbm

            self.booster = lightgbm.Booster(model_file=str(path))

    def cosines(self, question: str, evidence: list[Evidence]) -> np.ndarray:
        texts = [question, *(readable(e) for e in evidence)]
        pairs = {i: p for i, e in enumerate(evidence) if (p := split_answered(e)) is not None}
        extra = [t for p in pairs.values() for t in p]
        vecs = self.encoder.encode(texts + extra)
        q, ev = vecs[0], vecs[1 : len(texts)]
        cos = np.asarray(ev @ q, dtype=np.float64)
        sims = np.stack([cos, cos, cos], axis=1)
        for k, i in enumerate(pairs):
            answer, asked = vecs[len(texts) + 2 * k], vecs[len(texts) + 2 * k + 1]
            sims[i, 1], sims[i, 2] = float(asked @ q), float(answer @ q)
        return sims

    def rank(
        self, question: str, evidence: list[Evidence], language: str = "en", cos: np.ndarray | None = None
    ) -> list[tuple[Evidence, float]]:
        if not evidence:
            return []
        cos = self.cosines(question, evidence) if cos is None else cos
        x = qa_features(question, evidence, cos, language)
        scores = np.asarray(self.booster.predict(x, num_threads=1)) if self.booster is not None else x[:, 0]
        order = np.argsort(-scores, kind="stable")
        return [(evidence[i], float(scores[i])) for i in order]


_DEFAULT: EvidenceRanker | None = None


def default_ranker() -> EvidenceRanker:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = EvidenceRanker()
    return _DEFAULT


def answer_question(
    session: Session,
    product_id: str,
    question: str,
    language: str = "en",
    ranker: EvidenceRanker | None = None,
) -> ProductAnswer:
    """Quote the product's best evidence for the question, or answer=None ("I don't know").

    The ranker orders evidence but its scores are not probabilities, so whether the best piece
    answers at all is judged on its own: close in meaning, or sharing most of the question's words."""
    view = get_product(session, product_id)
    evidence = evidence_of(view)
    if not evidence:
        return ProductAnswer(None, [], 0.0, None)
    r = ranker or default_ranker()
    sims = r.cosines(question, evidence)
    ranked = r.rank(question, evidence, language, cos=sims)
    best = ranked[0][0]
    cos = float(sims[evidence.index(best), 0])
    q = set(tokens(question, language)) - ASKING
    cover = len(q & set(tokens(best.text, language))) / max(len(q), 1)
    quoted = [e.text for e, _ in ranked[:3]]
    if cos < MIN_COSINE and cover < MIN_COVER:
        return ProductAnswer(None, quoted, round(max(cos, 0.0) / 2, 3), None)
    confidence = min(1.0, 0.6 * max(cos, 0.0) + 0.4 * cover + 0.2)
    source: Literal["attribute", "description", "review"] = (
        "attribute"
        if best.source == "attribute"
        else "review"
        if best.source in ("review", "cqa")
        else "description"
    )
    return ProductAnswer(best.text, quoted, round(confidence, 3), source)
