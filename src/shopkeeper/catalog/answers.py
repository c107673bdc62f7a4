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
from shopkeeper.catalog.text import tokens
from shopkeeper.catalog.vectors import TextEncoder, USEEncoder

SOURCES = ("attribute", "description", "bullet", "review", "cqa")
QA_FEATURES = ["cos", "cos_rel", "cos_rank", "bm25", "bm25_rel", "bm25_rank", "cover", "n_tokens",
               "yes_no_q", "yes_no_c", "has_number", *(f"src_{s}" for s in SOURCES), "n_cands"]
QA_RANKER_FILE = Path(__file__).with_name("qa_ranker.txt")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
YES_NO = re.compile(r"^(is|are|does|do|can|will|would|could|has|have|should|did|was|were)\b", re.I)
ANSWER_WORDS = re.compile(r"\b(yes|no|not|does|doesn't|fits?|works?)\b", re.I)
ANSWER_THRESHOLD = 0.0  # ranker margin below which we say "I don't know"


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
    out += [Evidence(s.strip(), "description") for s in SENTENCE.split(plain(view.description)) if len(s.strip()) > 3]
    for r in view.reviews:
        out += [Evidence(s.strip(), "review") for s in SENTENCE.split(f"{r.title}. {r.body}") if len(s.strip()) > 3]
    return out


def qa_features(question: str, evidence: list[Evidence], cos: np.ndarray, language: str = "en") -> np.ndarray:
    q = set(tokens(question, language))
    docs = [tokens(e.text, language) for e in evidence]
    n = len(docs)
    df: Counter[str] = Counter(t for d in docs for t in set(d))
    avg = sum(len(d) for d in docs) / max(n, 1)
    bm = []
    for d in docs:
        tf = Counter(d)
        bm.append(sum(math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * tf[t] * 2.2
                      / (tf[t] + 1.2 * (0.25 + 0.75 * len(d) / max(avg, 1e-6))) for t in q if t in tf))
    bm_arr = np.asarray(bm)
    cos_rank = np.argsort(np.argsort(-cos)) if n else np.zeros(0)
    bm_rank = np.argsort(np.argsort(-bm_arr)) if n else np.zeros(0)
    yn = float(bool(YES_NO.match(question.strip())))
    rows = []
    for i, (e, d) in enumerate(zip(evidence, docs, strict=True)):
        rows.append([
            cos[i], cos[i] - cos.max(), math.log1p(cos_rank[i]), bm_arr[i],
            bm_arr[i] / bm_arr.max() if bm_arr.max() > 0 else 0.0, math.log1p(bm_rank[i]),
            len(q & set(d)) / max(len(q), 1), math.log1p(len(d)), yn,
            float(bool(ANSWER_WORDS.search(e.text))), float(any(ch.isdigit() for ch in e.text)),
            *(float(e.source == s) for s in SOURCES), float(n),
        ])
    return np.asarray(rows, dtype=np.float64).reshape(n, len(QA_FEATURES))


class EvidenceRanker:
    """Scores (question, evidence) rows; the cosine alone when no trained model ships."""

    def __init__(self, path: str | Path | None = QA_RANKER_FILE, booster: Any = None,
                 encoder: TextEncoder | None = None) -> None:
        self.encoder = encoder or USEEncoder()
        self.booster = booster
        if booster is None and path is not None and Path(path).exists():
            import lightgbm

            self.booster = lightgbm.Booster(model_file=str(path))

    def cosines(self, question: str, evidence: list[Evidence]) -> np.ndarray:
        vecs = self.encoder.encode([question, *(e.text for e in evidence)])
        return np.asarray(vecs[1:] @ vecs[0], dtype=np.float64)

    def rank(self, question: str, evidence: list[Evidence], language: str = "en",
             cos: np.ndarray | None = None) -> list[tuple[Evidence, float]]:
        if not evidence:
            return []
        cos = self.cosines(question, evidence) if cos is None else cos
        x = qa_features(question, evidence, cos, language)
        scores = (np.asarray(self.booster.predict(x, num_threads=1)) if self.booster is not None
                  else x[:, 0])
        order = np.argsort(-scores, kind="stable")
        return [(evidence[i], float(scores[i])) for i in order]


_DEFAULT: EvidenceRanker | None = None


def default_ranker() -> EvidenceRanker:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = EvidenceRanker()
    return _DEFAULT


def answer_question(session: Session, product_id: str, question: str, language: str = "en",
                    ranker: EvidenceRanker | None = None) -> ProductAnswer:
    """Quote the product's best evidence for the question, or answer=None ("I don't know")."""
    view = get_product(session, product_id)
    evidence = evidence_of(view)
    ranked = (ranker or default_ranker()).rank(question, evidence, language)
    if not ranked or ranked[0][1] < ANSWER_THRESHOLD:
        return ProductAnswer(None, [e.text for e, _ in ranked[:3]], 0.0, None)
    best, score = ranked[0]
    confidence = 1 / (1 + math.exp(-score))
    source: Literal["attribute", "description", "review"] = (
        "attribute" if best.source == "attribute" else "review" if best.source in ("review", "cqa")
        else "description")
    return ProductAnswer(best.text, [e.text for e, _ in ranked[:3]], round(confidence, 3), source)
